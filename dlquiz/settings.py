"""The learner's settings (``dlquiz config``): one spec per setting, its type, its range and its meaning.

Settings are stored in the state file as text; :func:`load_settings` reads them back, and a stored value
that no longer parses falls back to its default rather than stopping the program.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Generic, TypeVar

from dlquiz.errors import UserError


@dataclass(frozen=True)
class Settings:
    """What the user can change with ``dlquiz config``."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    rollover_hour: int = 4
    interview_date: date | None = None


T = TypeVar("T")


@dataclass(frozen=True)
class Spec(Generic[T]):
    """How one setting is written, checked and explained."""

    parse: Callable[[str], T]
    ok: Callable[[T], bool] | None  # None: every value that parses is allowed
    kind: str  # what the value must be, for the error message
    help: str


def _date_or_none(text: str) -> date | None:
    if text.strip().lower() in ("none", "off", "-", ""):
        return None
    return date.fromisoformat(text.strip())


SPECS: dict[str, Spec[Any]] = {
    "desired_retention": Spec(
        float,
        lambda v: 0.70 <= v <= 0.99,
        "a number",
        "chance of recalling a card when it comes due (0.70–0.99); higher means more reviews",
    ),
    "new_per_day": Spec(int, lambda v: v >= 0, "a whole number", "new cards introduced per study day (0 or more)"),
    "rollover_hour": Spec(
        int, lambda v: 0 <= v <= 23, "a whole number", "local hour at which a new study day starts (0–23)"
    ),
    "interview_date": Spec(
        _date_or_none,
        None,
        "a date written YYYY-MM-DD (or 'none' to clear it)",
        "the day of your interview (YYYY-MM-DD, or none): stats then predict your recall on that day",
    ),
}
SETTING_HELP = {name: spec.help for name, spec in SPECS.items()}


def parse_setting(name: str, text: str) -> object:
    """The value of setting ``name`` written as ``text``, or a UserError saying what is allowed."""
    spec = SPECS.get(name)
    if spec is None:
        raise UserError(f"unknown setting '{name}'; the settings are {', '.join(SPECS)}")
    try:
        value = spec.parse(text)
    except (ValueError, OverflowError):
        raise UserError(f"{name} must be {spec.kind}, not '{text}'") from None
    if value is not None and spec.ok is not None and not spec.ok(value):
        raise UserError(f"{name} = {text} is out of range: {spec.help}")
    return value


def parse_day(text: str, name: str) -> date:
    """A calendar day written YYYY-MM-DD (``stats --on``), or a UserError that names ``name``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{name} must be a date written YYYY-MM-DD, not '{text}'") from None


def check_new_value(name: str, value: object, today: date) -> None:
    """Refuse a value that parses but makes no sense to set now: an interview day already gone by.

    Only a value being set is checked; one stored earlier whose day has since passed stays readable
    (``stats`` says it has passed).
    """
    if name == "interview_date" and isinstance(value, date) and value < today:
        raise UserError(
            f"interview_date {value.isoformat()} is in the past (today is {today.isoformat()}); "
            "give the day of your next interview, or none to clear it"
        )


def format_setting(value: object) -> str:
    """How a value is written in the state file and shown: dates as YYYY-MM-DD, nothing as 'none'."""
    return "none" if value is None else str(value)


def settings_json(settings: Settings, only: str | None = None) -> dict[str, object]:
    """The settings (or the one named ``only``) for ``config --json``: numbers as numbers, the date as
    YYYY-MM-DD, none as null."""
    if only is not None and only not in SPECS:
        raise UserError(f"unknown setting '{only}'; the settings are {', '.join(SPECS)}")
    return {
        f.name: value.isoformat() if isinstance(value := getattr(settings, f.name), date) else value
        for f in fields(Settings)
        if only is None or f.name == only
    }


def load_settings(stored: dict[str, str]) -> Settings:
    """Settings from the store's text values; a value that no longer parses falls back to its default."""
    values = {}
    for f in fields(Settings):
        if f.name in stored:
            with contextlib.suppress(UserError):
                values[f.name] = parse_setting(f.name, stored[f.name])
    return Settings(**values)  # type: ignore[arg-type]
