"""review / quiz / config / reset as a user drives them: CliRunner with input, and real processes."""

import contextlib
import hashlib
import math
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime

import pytest
from factories import review_state
from typer.testing import CliRunner

from dlquiz.cli import app
from dlquiz.model import CardState
from dlquiz.paths import state_path
from dlquiz.scheduler import AGAIN, DAY_MS, EASY, GOOD, format_interval, now_ms
from dlquiz.store import open_store

BANK = """\
- id: zz-sess-alpha
  topic: zzsess
  difficulty: easy
  question: Alpha question, used by the session tests?
  answer: The alpha answer.
  key_points: ["alpha point one", "alpha point two"]
  derivation:
    - step: "a = 1"
      why: "alpha starts at one"
    - step: "a + a = 2"
      why: "so twice alpha is two"
  choices:
    correct: "the right alpha option"
    wrong: ["wrong alpha one", "wrong alpha two", "wrong alpha three"]
- id: zz-sess-beta
  topic: zzsess
  difficulty: medium
  question: Beta question, used by the session tests?
  answer: The beta answer.
  key_points: ["beta point one", "beta point two"]
  exercise: activations.sigmoid_derivative
- id: zz-sess-gamma
  topic: zzsess
  difficulty: hard
  question: Gamma question, used by the session tests?
  answer: The gamma answer.
  key_points: ["gamma point one", "gamma point two"]
"""
IDS = ["zz-sess-alpha", "zz-sess-beta", "zz-sess-gamma"]


@pytest.fixture
def bank_dir(tmp_path):
    directory = tmp_path / "mybank"
    directory.mkdir()
    (directory / "zzsess.yaml").write_text(BANK, encoding="utf-8")
    return directory


def due_state(days_overdue):
    """A review card that came due ``days_overdue`` days ago (a negative number: due in the future)."""
    return review_state(now_ms() - days_overdue * DAY_MS, interval_days=12)


@pytest.fixture
def due_cards(bank_dir):
    """No new cards today; the three test cards due, alpha first, then beta, then gamma."""
    with open_store() as store:
        store.set_setting("new_per_day", "0")
        for qid, overdue in zip(IDS, (3, 2, 1), strict=True):
            store.commit_answer(qid, 0, CardState(), due_state(overdue), GOOD, "review", now_ms() - 20 * DAY_MS)
    return bank_dir


def invoke(bank_dir, args, input=None):
    return CliRunner().invoke(app, ["--bank", str(bank_dir), *args], input=input)


def todays_answers():
    with open_store() as store:
        return [(r.question_id, r.rating) for r in store.reviews() if r.answered_at_ms > now_ms() - DAY_MS]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- review through CliRunner


def test_piped_review_answers_two_cards_and_saves_them(due_cards):
    result = invoke(due_cards, ["review"], input="\n3\n\n3\nq\n")
    assert result.exit_code == 0, result.output
    assert todays_answers() == [("zz-sess-alpha", GOOD), ("zz-sess-beta", GOOD)]
    assert "1/3 · 3 due · 0 new" in result.output
    assert "The alpha answer." in result.output and "alpha point two" in result.output
    assert "Session over: 2 answered" in result.output


def test_interval_on_the_button_is_the_interval_saved(due_cards):
    result = invoke(due_cards, ["review"], input="\n4\nq\n")
    assert result.exit_code == 0, result.output
    shown = re.search(r"4 Easy · (\S+)", result.output).group(1)
    with open_store() as store:
        saved = store.card("zz-sess-alpha").state
    assert format_interval(saved.due_ms - saved.last_review_ms) == shown
    assert saved.reps == 4


def test_undo_restores_the_card_exactly(due_cards):
    with open_store() as store:
        before = store.card("zz-sess-alpha").state
    result = invoke(due_cards, ["review"], input="\n1\nu\n\n4\nq\n")
    assert result.exit_code == 0, result.output
    assert "undid Again on zz-sess-alpha" in result.output
    with open_store() as store:
        log = store.reviews("zz-sess-alpha", include_undone=True)
        assert [(r.rating, r.undone) for r in log[1:]] == [(AGAIN, True), (EASY, False)]
        assert log[1].before == before == log[2].before
        assert store.card("zz-sess-alpha").state == log[2].after
        assert store.card("zz-sess-alpha").state.lapses == 0  # the undone lapse is gone


@pytest.mark.parametrize(
    "keys,expected",
    [
        # an unknown key gets a hint, not a crash; the grade that follows still counts
        ("\nx\n7\n3\nq\n", ["press 1, 2, 3 or 4", "'x' means nothing here"]),
        # a typed attempt is shown beside the model answer
        # (piped output has no styles: the words that are in key points are marked with brackets)
        ("alpha is one\n3\nq\n", ["Your attempt: [alpha] is [one]", "The alpha answer."]),
        # d reveals the derivation one step at a time
        ("\nd\n\n\n\n3\nq\n", ["a + a = 2", "so twice alpha is two"]),
        # the end of input ends the session with its summary, exit 0
        ("\n3\n", ["Session over: 1 answered", "2 cards left"]),
    ],
    ids=["unknown-key", "typed-attempt", "derivation", "end-of-input"],
)
def test_review_keys(due_cards, keys, expected):
    result = invoke(due_cards, ["review"], input=keys)
    assert result.exit_code == 0, result.output
    for text in expected:
        assert text in result.output
    assert "Traceback" not in result.output
    assert todays_answers() == [("zz-sess-alpha", GOOD)]


def test_nothing_due_says_so(bank_dir):
    with open_store() as store:
        store.set_setting("new_per_day", "0")
    result = invoke(bank_dir, ["review"], input="")
    assert result.exit_code == 0
    assert "Nothing to review" in result.output


def test_new_cards_respect_the_daily_limit(bank_dir, monkeypatch):
    # the clock held at 12:00 local: run for real just before 04:00, the second review would already be in
    # the next study day (a new allowance) and the next card "in <1m" (this failed in CI at 03:59)
    noon = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr("dlquiz.scheduler.now_ms", lambda: int(noon.timestamp() * 1000))
    invoke(bank_dir, ["config", "new_per_day", "2"])
    result = invoke(bank_dir, ["review"], input="\n4\n\n4\n")
    assert result.exit_code == 0, result.output
    assert "1/2 · 0 due · 2 new" in result.output
    again = invoke(bank_dir, ["review"], input="")
    assert "Nothing to review" in again.output  # both of today's new cards are used up
    # B2: the third new card comes with tomorrow's allowance, at the 04:00 rollover (not when a review is due)
    assert "The next card is in 16h (at 04:00)" in again.output, again.output


def test_unreadable_state_file_exits_2_and_is_untouched(due_cards):
    path = state_path()
    for name in os.listdir(path.parent):
        os.remove(path.parent / name)
    path.write_bytes(b"\x00garbage that is not sqlite" * 100)
    before = digest(path)
    result = invoke(due_cards, ["review"], input="\n3\n")
    assert result.exit_code == 2
    assert str(path) in result.output and "move it aside" in result.output
    assert "Traceback" not in result.output
    assert digest(path) == before


# --------------------------------------------------------------------------- quiz


def start_studying(*ids):
    """The cards have been answered before (review cards due in 5 days): quiz answers on them count."""
    with open_store() as store:
        for qid in ids:
            store.commit_answer(qid, 0, CardState(), due_state(-5), GOOD, "review", now_ms() - 20 * DAY_MS)
            assert store.card(qid).version == 1


def answers_after_setup():
    with open_store() as store:
        return [(r.question_id, r.rating, r.mode) for r in store.reviews()][1:]


def test_choice_quiz_grades_the_pick_and_says_why(bank_dir):
    args = ["quiz", "--topic", "zzsess", "--mode", "choice", "--seed", "5"]
    look = invoke(bank_dir, args, input="q\n")
    number = re.search(r"(\d)\. the right alpha option", look.output).group(1)
    wrong = next(n for n in "1234" if n != number)
    practice = invoke(bank_dir, args, input=f"{number}\n")  # a new card: practice, nothing saved (friction 4)
    assert "practice: not scheduled" in practice.output and "✓ right" in practice.output
    assert todays_answers() == []
    start_studying("zz-sess-alpha")
    right = invoke(bank_dir, args, input=f"{number}\n")
    assert right.exit_code == 0, right.output
    assert "✓ right" in right.output and "this answer counts toward your schedule" in right.output
    assert re.search(r"zzsess\s+1\s+1\s+100", right.output)
    missed = invoke(bank_dir, args, input=f"{wrong}\n")
    assert "✗ wrong: the answer is " + number in missed.output
    assert "alpha point two" in missed.output and "dlquiz show zz-sess-alpha" in missed.output  # why (friction 6)
    assert re.search(r"zzsess\s+0\s+1\s+0", missed.output)
    assert answers_after_setup() == [("zz-sess-alpha", GOOD, "choice"), ("zz-sess-alpha", AGAIN, "choice")]
    invoke(bank_dir, [*args, "--no-schedule"], input=f"{wrong}\n")
    assert len(answers_after_setup()) == 2  # pure practice


def test_exercise_quiz_checks_the_number(bank_dir):
    args = ["quiz", "--topic", "zzsess", "--mode", "exercise", "--seed", "11"]
    look = invoke(bank_dir, args, input="q\n")
    z = float(re.search(r"z = (−?-?[\d.]+)", look.output).group(1).replace("−", "-"))
    s = 1 / (1 + math.exp(-z))  # σ(z) and σ'(z) = σ(1 − σ), worked out here by hand
    start_studying("zz-sess-beta")
    right = invoke(bank_dir, args, input=f"{s:.6f} {s * (1 - s):.6f}\n")
    assert right.exit_code == 0, right.output
    assert re.search(r"zzsess\s+1\s+1\s+100", right.output)
    wrong = invoke(bank_dir, args, input="abc\n?\n0.01 0.01\n")
    assert "Could not read that" in wrong.output
    assert "Hint: σ′(z)" in wrong.output  # ? is a hint here as in 'dlquiz exercise'
    assert re.search(r"zzsess\s+0\s+1\s+0", wrong.output)
    assert answers_after_setup() == [("zz-sess-beta", GOOD, "exercise"), ("zz-sess-beta", AGAIN, "exercise")]


def test_quiz_mode_without_matching_items_says_so(bank_dir):
    result = invoke(bank_dir, ["quiz", "--topic", "zzsess", "--difficulty", "hard", "--mode", "choice"])
    assert result.exit_code == 1  # valid filters that select nothing to ask, as when filters match nothing
    assert "choice form" in result.output


def test_a_quiz_ends_with_right_and_wrong_by_topic_not_review_ratings(bank_dir):
    """Friction 10: the quiz summary said "Again 1 … 2 cards left for later" for practice."""
    args = ["quiz", "--topic", "zzsess", "--mode", "flashcard", "-n", "3", "--seed", "1"]
    result = invoke(bank_dir, args, input="\n1\n\n3\nq\n")  # one wrong, one right, then stop
    assert result.exit_code == 0, result.output
    end = result.output[result.output.rindex("Quiz over") :]
    assert end.startswith("Quiz over: 1 of 2 right (50%) in ") and "stopped after 2 of 3" in end
    assert "Score by topic" in end and re.search(r"total\s+1\s+2\s+50", end)
    for review_words in ("Again", "Good", "Session over", "cards left"):
        assert review_words not in end


# --------------------------------------------------------------------------- config and reset


def test_config_shows_and_sets_with_validation(bank_dir):
    shown = invoke(bank_dir, ["config"])
    assert shown.exit_code == 0
    assert "desired_retention" in shown.output and "0.9" in shown.output and "rollover_hour" in shown.output
    assert invoke(bank_dir, ["config", "desired_retention", "0.85"]).exit_code == 0
    assert "0.85" in invoke(bank_dir, ["config", "desired_retention"]).output
    for name, value in [("desired_retention", "0.5"), ("new_per_day", "-3"), ("rollover_hour", "24"), ("speed", "1")]:
        bad = invoke(bank_dir, ["config", name, value])
        assert bad.exit_code == 2, (name, value)
        assert "Traceback" not in bad.output
    with open_store() as store:
        assert store.settings() == {"desired_retention": "0.85"}


def test_reset_asks_then_moves_the_file_aside(due_cards):
    path = state_path()
    kept = invoke(due_cards, ["reset"], input="n\n")
    assert kept.exit_code == 0 and "Nothing changed" in kept.output and path.exists()
    moved = invoke(due_cards, ["reset"], input="y\n")
    assert moved.exit_code == 0
    with open_store() as fresh:  # a new file holding only the settings (new_per_day 0, from due_cards)
        assert fresh.reviews() == [] and fresh.settings() == {"new_per_day": "0"}
    aside = [p for p in path.parent.iterdir() if p.name.startswith("state-") and p.suffix == ".db"]
    assert len(aside) == 1
    with open_store(aside[0]) as old:
        assert len(old.reviews()) == 3  # the history is kept in the moved file
    result = invoke(due_cards, ["review"], input="q\n")
    assert result.exit_code == 0  # a fresh start, with the settings kept: nothing due, new cards off
    assert "Nothing to review right now." in result.output and "next card" not in result.output
    assert "new cards are off (new_per_day 0): 'dlquiz config new_per_day 20' for 20 a day" in result.output


def test_reset_keeps_the_settings_and_starts_the_history_afresh(due_cards):
    """Friction 17: settings are the user's choices, not history; reset carries them over."""
    path = state_path()
    for name, value in [("new_per_day", "7"), ("interview_date", "2030-01-02")]:
        assert invoke(due_cards, ["config", name, value]).exit_code == 0
    result = invoke(due_cards, ["reset", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Kept your settings (new_per_day 7, interview_date 2030-01-02)" in result.output
    with open_store() as fresh:
        assert fresh.settings() == {"new_per_day": "7", "interview_date": "2030-01-02"}
        assert fresh.reviews() == [] and fresh.cards() == {}
    (aside,) = [p for p in path.parent.iterdir() if p.name.startswith("state-") and p.suffix == ".db"]
    with open_store(aside) as old:  # the old file keeps both
        assert len(old.reviews()) == 3 and old.settings()["new_per_day"] == "7"
    assert "7 new" in invoke(due_cards, ["review"], input="q\n").output  # the kept limit is the one used


def test_reset_settings_puts_the_settings_back_to_their_defaults(due_cards):
    path = state_path()
    assert invoke(due_cards, ["config", "new_per_day", "7"]).exit_code == 0
    result = invoke(due_cards, ["reset", "--yes", "--settings"])
    assert result.exit_code == 0 and "Kept your settings" not in result.output
    assert not path.exists()
    assert "0 due · 20 new" in invoke(due_cards, ["review"], input="q\n").output


def test_reset_yes_moves_an_unreadable_file_without_asking(bank_dir):
    path = state_path()
    path.write_text("not a database")
    before = digest(path)
    result = invoke(bank_dir, ["reset", "--yes"])
    assert result.exit_code == 0
    aside = [p for p in path.parent.iterdir() if p.name.startswith("state-")]
    assert len(aside) == 1 and digest(aside[0]) == before
    assert not path.exists()  # nothing could be read from it to carry over


# --------------------------------------------------------------------------- real processes


def spawn(bank_dir, *args):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "dlquiz", "--bank", str(bank_dir), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )


def read_until(fd, pattern, timeout=20.0):
    """Read from ``fd`` (a pipe or a terminal) until ``pattern`` appears; returns everything read."""
    seen = b""
    deadline = time.monotonic() + timeout
    while pattern.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {pattern!r}; got:\n{seen.decode(errors='replace')}"
        if select.select([fd], [], [], left)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # a terminal whose process has gone
                chunk = b""
            assert chunk, f"output ended before {pattern!r}; got:\n{seen.decode(errors='replace')}"
            seen += chunk
    return seen.decode(errors="replace")


def output_fd(proc):
    return proc.stdout.fileno()


def send(proc, text):
    proc.stdin.write(text.encode())
    proc.stdin.flush()


def test_subprocess_review_with_piped_input(due_cards):
    result = subprocess.run(
        [sys.executable, "-m", "dlquiz", "--bank", str(due_cards), "review"],
        input="\n3\n\n3\nq\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Session over: 2 answered" in result.stdout
    assert todays_answers() == [("zz-sess-alpha", GOOD), ("zz-sess-beta", GOOD)]


def test_sigkill_mid_session_loses_no_given_answer(due_cards):
    proc = spawn(due_cards, "review")
    try:
        read_until(output_fd(proc), "1/3")
        send(proc, "\n3\n")
        read_until(output_fd(proc), "2/3")  # the next card is on screen, so the first answer is already saved
        send(proc, "\n")
        read_until(output_fd(proc), "grade")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    assert todays_answers() == [("zz-sess-alpha", GOOD)]
    db = sqlite3.connect(state_path())
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_ctrl_c_ends_with_summary_and_exit_130(due_cards):
    proc = spawn(due_cards, "review")
    try:
        read_until(output_fd(proc), "1/3")
        send(proc, "\n4\n")
        read_until(output_fd(proc), "2/3")
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Session over: 1 answered" in out.decode()
    assert "Traceback" not in out.decode()
    assert todays_answers() == [("zz-sess-alpha", EASY)]


def test_two_sessions_at_once_refuse_a_stale_answer(due_cards):
    first = spawn(due_cards, "review")
    second = spawn(due_cards, "review")
    try:
        read_until(output_fd(first), "zz-sess-alpha")
        read_until(output_fd(second), "zz-sess-alpha")  # both show alpha, each with buttons from the same state
        send(second, "\n4\n")
        read_until(output_fd(second), "saved zz-sess-alpha")
        send(first, "\n1\n")
        refused = read_until(output_fd(first), "2/3")
        assert "changed by another dlquiz session" in refused
        send(first, "\n3\nq\n")  # the first session goes on with the next card
        send(second, "q\n")
        out_first, _ = first.communicate(timeout=20)
        second.communicate(timeout=20)
    finally:
        first.kill()
        second.kill()
    assert first.returncode == 0 and second.returncode == 0
    assert "1 answer not saved" in out_first.decode()
    assert todays_answers() == [("zz-sess-alpha", EASY), ("zz-sess-beta", GOOD)]
    with open_store() as store:
        assert store.card("zz-sess-alpha").state.lapses == 0  # the refused Again was not merged
    db = sqlite3.connect(state_path())
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def _start_in_a_terminal(bank, *args):
    """`dlquiz review` (or ``args``) on an 80×24 pseudo-terminal of its own: (process, master fd, slave
    fd, the terminal's settings before the process started)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    before = termios.tcgetattr(slave)
    env = dict(os.environ, TERM="xterm", PYTHONUNBUFFERED="1")

    def own_terminal():  # a new session whose controlling terminal is the pty, so Ctrl-C raises SIGINT
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-m", "dlquiz", "--bank", str(bank), *(args or ["review"])],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        preexec_fn=own_terminal,
    )
    return proc, master, slave, before


@contextlib.contextmanager
def review_in_a_terminal(bank, *args):
    """The process and the master end of its terminal (see :func:`_start_in_a_terminal`); at the end the
    process is gone, the terminal must be as it was before it started (no cbreak mode left), and both
    ends are closed."""
    import termios

    proc, master, slave, before = _start_in_a_terminal(bank, *args)
    try:
        yield proc, master
    finally:
        proc.kill()
        restored = termios.tcgetattr(slave) == before
        os.close(master)
        os.close(slave)
    assert restored, "the terminal was left in cbreak mode"


def test_single_key_presses_in_a_terminal_and_ctrl_c_restores_it(due_cards):
    with review_in_a_terminal(due_cards) as (proc, master):
        read_until(master, "Enter answer")
        os.write(master, b"\r")  # Enter alone reveals the answer: no line to finish
        read_until(master, "grade")
        os.write(master, b"z")  # an unknown single key: a hint
        read_until(master, "means nothing here")
        os.write(master, b"4")  # one key press grades and saves
        read_until(master, "2/3")
        os.write(master, b"\x03")  # Ctrl-C from the keyboard
        read_until(master, "Session over: 1 answered")
        assert proc.wait(20) == 130
    assert todays_answers() == [("zz-sess-alpha", EASY)]


def test_a_typed_attempt_may_begin_with_u_or_q_in_a_terminal(due_cards):
    with review_in_a_terminal(due_cards) as (proc, master):
        read_until(master, "Enter answer")
        os.write(master, b"use momentum\r")  # not undo, not quit: an attempt
        assert "Your attempt: use momentum" in read_until(master, "grade ›")  # the whole card is drawn at once
        os.write(master, b"3")
        read_until(master, "Enter answer")
        os.write(master, b"q\r")  # the word q, then Enter, quits
        read_until(master, "Session over: 1 answered")
        assert proc.wait(20) == 0
    assert len(todays_answers()) == 1


def test_in_a_terminal_enter_is_good_wrong_keys_do_not_redraw_and_messages_stay(due_cards):
    with review_in_a_terminal(due_cards) as (proc, master):
        read_until(master, "Enter answer")
        os.write(master, b" ")  # Space reveals, as in Anki
        read_until(master, "grade ›")
        os.write(master, b"u")  # B7: the message stays on the prompt line, on screen
        read_until(master, "nothing to undo yet in this session")
        os.write(master, b"d")  # the derivation, one step at a time
        read_until(master, "Derivation")
        os.write(master, b"\r")
        read_until(master, "alpha starts at one")
        os.write(master, b"\r")  # the last step; the grade keys come back under the derivation
        assert "so twice alpha is two" in read_until(master, "grade ›")
        os.write(master, b"c")  # B6: one message for whatever the card lacks
        read_until(master, "this card has no reference code")
        os.write(master, b"z")  # friction 19: a wrong key rewrites the prompt line, nothing else
        after_wrong_key = read_until(master, "means nothing here")
        assert "\x1b[2J" not in after_wrong_key and "Alpha question" not in after_wrong_key
        os.write(master, b"\r")  # friction 11: Enter grades Good
        read_until(master, "2/3")
        os.write(master, b"q\r")
        read_until(master, "Session over: 1 answered")
        assert proc.wait(20) == 0
    assert todays_answers() == [("zz-sess-alpha", GOOD)]


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGQUIT", 131)])
def test_a_termination_signal_at_a_key_prompt_restores_the_terminal(due_cards, name, code):
    with review_in_a_terminal(due_cards) as (proc, master):
        read_until(master, "Enter answer")
        os.write(master, b"\r")
        read_until(master, "grade ›")
        os.write(master, b"4")
        read_until(master, "2/3")
        os.write(master, b"\r")
        read_until(master, "grade ›")  # waiting for one key, in cbreak mode
        proc.send_signal(getattr(signal, name))
        read_until(master, "Session over: 1 answered")
        assert proc.wait(20) == code
    assert todays_answers() == [("zz-sess-alpha", EASY)]


def test_a_closed_stdin_ends_the_session_and_a_closed_stdout_is_like_dev_null(due_cards):
    def run(closed_fd, keys=None):
        return subprocess.run(
            [sys.executable, "-m", "dlquiz", "--bank", str(due_cards), "review"],
            input=keys,
            stdout=subprocess.PIPE if closed_fd != 1 else None,
            stderr=subprocess.PIPE,
            preexec_fn=lambda: os.close(closed_fd),
            timeout=60,
        )

    no_stdin = run(0)
    assert no_stdin.returncode == 0 and b"Traceback" not in no_stdin.stderr
    assert b"Session over: 0 answered" in no_stdin.stdout
    assert todays_answers() == []
    # output nobody reads, as with >/dev/null: piped answers are still taken and saved (reliability T7)
    no_stdout = run(1, keys=b"\n3\nq\n")
    assert no_stdout.returncode == 0 and no_stdout.stderr == b""
    assert len(todays_answers()) == 1


def test_show_steps_hides_the_answer_until_the_steps_are_tried(bank_dir):
    result = invoke(bank_dir, ["show", "zz-sess-alpha", "--steps"], input="a equals one\n?\n\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("Alpha question") < out.index("your try: a equals one") < out.index("a + a = 2")
    assert out.index("Hint: step 2: so twice alpha is two") < out.index("a + a = 2")
    assert out.index("a + a = 2") < out.index("The alpha answer.")  # friction 7: the answer comes last


def test_a_mock_interview_in_a_terminal_keeps_the_line_being_typed_and_restores_the_terminal(due_cards, tmp_path):
    out = tmp_path / "t.md"
    with review_in_a_terminal(due_cards, "mock", "-n", "2", "-o", str(out)) as (proc, master):
        read_until(master, "left")  # the live clock on the top line
        os.write(master, b"first line\r")
        deadline = time.monotonic() + 20
        while "first line" not in (out.read_text(encoding="utf-8") if out.exists() else ""):
            assert time.monotonic() < deadline, "the line typed never reached the transcript"
            time.sleep(0.05)
        os.write(master, b"half a second line")
        read_until(master, "half a second line")
        proc.send_signal(signal.SIGTERM)
        read_until(master, "Transcript saved")
        assert proc.wait(20) == 143
    text = out.read_text(encoding="utf-8")
    assert "first line\\\nhalf a second line" in text and "answer cut short" in text
