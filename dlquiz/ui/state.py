"""The learner's settings on screen (``dlquiz config``)."""

from __future__ import annotations

from dataclasses import asdict

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dlquiz.errors import UserError
from dlquiz.settings import SETTING_HELP, Settings, format_setting


def render_settings(console: Console, settings: Settings, only: str | None = None) -> None:
    values = asdict(settings)
    if only is not None and only not in values:
        raise UserError(f"unknown setting '{only}'; the settings are {', '.join(values)}")
    defaults = asdict(Settings())
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("setting", style="id", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column("meaning", overflow="fold")
    for name, value in values.items():
        if only is not None and name != only:
            continue
        shown = Text(format_setting(value))
        if value != defaults[name]:
            shown.append(f" (default {format_setting(defaults[name])})", style="muted")
        table.add_row(name, shown, SETTING_HELP[name])
    console.print(table)
    if only is None:
        console.print(Text("Change one with: dlquiz config NAME VALUE", style="muted"))
