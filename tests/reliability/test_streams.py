"""T7: closed, full and ASCII-only standard streams give no traceback from any command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from harness import NEUTRAL, answers, assert_one_clear_line, dlquiz, env_for

COMMANDS = [["list"], ["export"], ["stats", "--json"], ["show", "softmax-jacobian"], ["search", "batch", "norm"]]


def run(home, args, stdout=subprocess.PIPE, stdin_data="\n3\nq\n", close=(), **env):
    def closer():
        for fd in close:
            os.close(fd)

    return subprocess.run(
        [sys.executable, "-m", "dlquiz", *args],
        input=stdin_data.encode() if stdin_data is not None and 0 not in close else None,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env_for(home, **env),
        cwd=NEUTRAL,
        preexec_fn=closer if close else None,
        timeout=60,
    )


@pytest.mark.parametrize("args", [*COMMANDS, ["review"]], ids=lambda a: " ".join(a))
def test_stdout_on_a_full_device_is_one_clear_line(args, _isolated_home):
    with open("/dev/full", "wb") as full:
        result = run(_isolated_home, args, stdout=full)
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and lines == [lines[0]] and "cannot write to standard output" in lines[0], lines


def test_review_with_stdout_closed_saves_the_answer(_isolated_home):
    result = run(_isolated_home, ["review"], stdout=None, close=(1,))
    assert "Traceback" not in result.stderr.decode() and result.returncode == 0, result.stderr
    assert len(answers(_isolated_home / "state.db")) == 1


@pytest.mark.parametrize("args", [["list"], ["export"]], ids=lambda a: a[0])
def test_other_commands_with_stdout_closed_end_quietly(args, _isolated_home):
    result = run(_isolated_home, args, stdout=None, close=(1,))
    assert result.returncode == 0 and result.stderr.decode() == ""


@pytest.mark.parametrize("args", [["review"], ["reset"], ["mock", "-n", "1"], ["exercise"]], ids=lambda a: a[0])
def test_stdin_closed_gives_no_traceback(args, _isolated_home):
    dlquiz(_isolated_home, "config", "new_per_day", "5")
    result = run(_isolated_home, args, close=(0,))
    assert "Traceback" not in result.stderr.decode(), result.stderr.decode()
    assert result.returncode in (0, 1, 2, 130)
    if args == ["reset"]:
        assert b"Nothing changed" in result.stdout and (_isolated_home / "state.db").exists()


ASCII, C_LOCALE, LATIN_1 = (
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "PYTHONUTF8": "0"},
    {"PYTHONIOENCODING": "latin-1"},
)
CASES = [(args, ASCII) for args in [*COMMANDS, ["config"], ["review"]]]
CASES += [(args, env) for args in (["list"], ["review"]) for env in (C_LOCALE, LATIN_1)]


@pytest.mark.parametrize("args, encoding", CASES, ids=lambda x: " ".join(x) if isinstance(x, list) else str(x))
def test_a_stdout_that_cannot_encode_unicode_prints_question_marks_and_says_so(args, encoding, _isolated_home):
    result = dlquiz(_isolated_home, *args, input="\n3\nq\n", **encoding)
    assert "Traceback" not in result.stderr and result.returncode == 0, result.stderr
    if "could not be shown" in result.stderr:
        assert "?" in result.stdout and "PYTHONIOENCODING=utf-8" in result.stderr


def test_an_error_on_an_ascii_terminal_is_still_one_line(_isolated_home):
    result = dlquiz(_isolated_home, "show", "no-such-item-ü", PYTHONIOENCODING="ascii")
    assert_one_clear_line(result)
