"""Shell conventions of the output: no trailing blanks off a terminal, --color and the colour variables,
the pager in a terminal, the progress bar only in a terminal, --json on show."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from test_bank import item_yaml, write
from typer.testing import CliRunner

from dlquiz.bank import load_bank
from dlquiz.cli import app
from dlquiz.ui import console as ui_console

ROOT = Path(__file__).resolve().parent.parent
ESC = "\x1b["


def dlquiz(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    for name in ("NO_COLOR", "FORCE_COLOR"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run([sys.executable, "-m", "dlquiz", *args], capture_output=True, text=True, env=full)


def test_strip_trailing_keeps_colour_codes_after_the_blanks():
    assert ui_console.strip_trailing("a  \nb\x1b[1m c \x1b[0m\n") == "a\nb\x1b[1m c\x1b[0m\n"


def test_output_to_a_file_has_no_trailing_blanks():
    out = dlquiz("show", "adam-bias-correction")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) > 40
    assert [line for line in lines if line != line.rstrip()] == []  # 53 of 111 lines before


def test_color_flag_beats_the_environment_and_auto_follows_it():
    assert ESC not in dlquiz("search", "adam").stdout  # a pipe: no colour
    assert ESC in dlquiz("--color", "always", "search", "adam", NO_COLOR="1").stdout
    assert ESC in dlquiz("search", "adam", "--color", "always").stdout  # after the command too
    assert ESC not in dlquiz("--color", "never", "search", "adam", FORCE_COLOR="1").stdout
    assert ESC in dlquiz("search", "adam", FORCE_COLOR="1").stdout
    bad = dlquiz("--color", "sometimes", "list")
    assert bad.returncode == 2 and "always" in bad.stderr


def test_show_json_carries_the_item_and_its_card():
    result = CliRunner().invoke(app, ["show", "adam", "--json"])
    data = json.loads(result.stdout)
    assert data["id"] == "adam" and data["key_points"] and data["card"] is None


def test_list_json_is_valid_and_complete():
    result = CliRunner().invoke(app, ["list", "--json", "--topic", "optimizers"])
    data = json.loads(result.stdout)
    assert data and all(entry["topic"] == "optimizers" for entry in data)


def in_a_terminal(
    args: list[str], env: dict[str, str], rows: int = 24, cols: int = 80, keys: tuple[tuple[str, bytes], ...] = ()
) -> str:
    """Run dlquiz with a pseudo-terminal as its input and output; return what the terminal received.

    ``keys``: (text to wait for, bytes to type then), in order, as a user answers prompts."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", **env}
    full.pop("COLUMNS", None)
    proc = subprocess.Popen([sys.executable, "-m", "dlquiz", *args], stdin=slave, stdout=slave, stderr=slave, env=full)
    os.close(slave)
    chunks = []
    waiting = list(keys)
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
        if waiting and waiting[0][0].encode() in b"".join(chunks):
            os.write(master, waiting.pop(0)[1])
            chunks.append(b"\x00")  # a mark, so the same text already seen does not count for the next key
    proc.wait(60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def pager_script(tmp_path: Path) -> tuple[Path, Path]:
    paged = tmp_path / "paged.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f'#!/bin/sh\ncat > "{paged}"\necho "[paged]"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, paged


def test_long_output_goes_through_the_pager_in_a_terminal(tmp_path):
    script, paged = pager_script(tmp_path)
    screen = in_a_terminal(["show", "adam-bias-correction"], {"DLQUIZ_PAGER": str(script)})
    assert "[paged]" in screen and "Key points" not in screen
    text = paged.read_text(encoding="utf-8")
    assert "Key points" in text and text.count("\n") > 24


def test_the_answer_after_show_steps_goes_through_the_pager_too(tmp_path):
    """Friction 5: after the derivation, the answer and 30+ lines of code were printed without the pager."""
    script, paged = pager_script(tmp_path)
    steps = len(next(item for item in load_bank() if item.id == "adam-bias-correction").derivation)
    enter = tuple((f"step {n}/{steps}:", b"\r") for n in range(1, steps + 1))
    screen = in_a_terminal(["show", "adam-bias-correction", "--steps"], {"DLQUIZ_PAGER": str(script)}, keys=enter)
    assert "[paged]" in screen and "Key points" not in screen  # the walk on screen, the answer in the pager
    text = paged.read_text(encoding="utf-8")
    assert "Key points" in text and "Derivation" not in text  # the steps were shown one at a time already
    screen = in_a_terminal(
        ["show", "adam-bias-correction", "--steps", "--no-pager"], {"DLQUIZ_PAGER": str(script)}, keys=enter
    )
    assert "Key points" in screen


def test_short_output_no_pager_and_pipes_are_not_paged(tmp_path):
    script, paged = pager_script(tmp_path)
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml("tiny", answer="Short.", key_points="\n    - one\n    - two"))
    screen = in_a_terminal(["--bank", str(bank), "show", "tiny"], {"DLQUIZ_PAGER": str(script)})
    assert "Short." in screen and not paged.exists()
    screen = in_a_terminal(["show", "adam-bias-correction", "--no-pager"], {"DLQUIZ_PAGER": str(script)})
    assert "Key points" in screen and not paged.exists()
    piped = dlquiz("show", "adam-bias-correction", DLQUIZ_PAGER=str(script))
    assert "Key points" in piped.stdout and not paged.exists()


def test_progress_bar_draws_only_on_a_terminal(monkeypatch):
    quiet = io.StringIO()
    with ui_console.progress_bar("work", 10, stream=quiet) as tick:
        for n in range(10):
            tick(n + 1, 10)
    assert quiet.getvalue() == ""

    class FakeTerminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(ui_console, "PROGRESS_DELAY_S", 0.0)
    terminal = FakeTerminal()
    with ui_console.progress_bar("work", 10, stream=terminal) as tick:
        tick(5, 10)
    assert "work" in terminal.getvalue() and "5/10" in terminal.getvalue()
