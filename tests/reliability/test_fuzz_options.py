"""T4: every option of every command, given hostile values (empty, negative, huge, non-finite, Unicode
digits, escapes, markup, 100,000 characters, paths), ends in words and an exit status of 0, 1, 2 or 130:
never a traceback. Hypothesis picks the command, the options and the values."""

from __future__ import annotations

import pytest
import typer
from harness import FULL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dlquiz.cli import app

HOSTILE = [
    "",
    "-1",
    "0",
    "1",
    "3",
    "100000000000000000000000000",
    "1e309",
    "1e308",
    "-1e308",
    "inf",
    "-inf",
    "nan",
    "1e-320",
    "１２",  # full-width digits
    "٣",  # an Arabic-Indic digit
    "1_000",
    "0x10",
    "\u202e12",  # a right-to-left override
    "\x1b]52;c;ZWNobw==\x07",
    "[bold red]x[/bold red]",
    "x" * 100_000,
    "-",
    "--",
    "../../etc/passwd",
    "softmax-jacobian",
    "name=1e308",
    "seed=-1",
    "optimizers",
]
SKIPPED = {"check"}  # runs every link of the bank (seconds each): its only option, --bank, is fuzzed elsewhere


def _commands() -> dict:
    group = typer.main.get_command(app)
    return {name: group.commands[name] for name in group.commands if name not in SKIPPED}


COMMANDS = _commands()


@st.composite
def command_lines(draw) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    command = COMMANDS[name]
    value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
    args = [name]
    for param in command.params:
        if param.param_type_name == "argument":
            count = 1 if param.nargs == 1 else draw(st.integers(0, 2))
            args += [draw(value) for _ in range(count)]
        elif draw(st.booleans()):
            flag = param.opts[0]
            if param.is_flag:
                args.append(flag)
            elif param.name in ("output",):  # a path inside the test's own directory, hostile or not
                args += [flag, "out/" + draw(value)[:200]]
            else:
                args += [flag, draw(value)]
    return args


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz")
    (path / "out").mkdir()
    return path


@settings(
    max_examples=1500 if FULL else 120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=not FULL,
)
@given(args=command_lines())
def test_hostile_options_end_in_words_never_a_traceback(args, workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    result = CliRunner().invoke(app, args, input="q\n")
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, (args[:6], repr(result.exception))
    assert result.exit_code in (0, 1, 2, 130), (args[:6], result.exit_code, result.output[-300:])
