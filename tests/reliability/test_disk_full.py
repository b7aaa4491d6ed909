"""T2, U1: a full disk is said to be a full disk, on one line; the answer that could not be saved raises a
NotSavedError the session can show, and every answer saved before it is intact.

A real full disk where this process may mount a small tmpfs; the store's fault seam everywhere."""

from __future__ import annotations

import subprocess

import pytest
from factories import answered
from harness import NEUTRAL, answers, can_mount, cards_match_log, dlquiz, env_for, integrity

from dlquiz import faults
from dlquiz.model import NEW_CARD
from dlquiz.store import DiskFullError, NotSavedError, open_store


def test_an_answer_on_a_full_disk_raises_not_saved_and_keeps_the_rest(monkeypatch, _isolated_home):
    monkeypatch.setenv("DLQUIZ_FAULTS", "commit:2=full")
    faults.reset()
    try:
        with open_store() as store:
            store.commit_answer("first", 0, NEW_CARD, answered(1), 3, "review", 1)
            with pytest.raises(DiskFullError) as info:
                store.commit_answer("second", 0, NEW_CARD, answered(1), 3, "review", 2)
            assert isinstance(info.value, NotSavedError)
            assert "full" in str(info.value) and "nothing of this change was saved" in str(info.value)
            assert store.card("second").version == 0  # nothing of it was kept
            store.commit_answer("second", 0, NEW_CARD, answered(1), 3, "review", 3)  # space again: it works
    finally:
        faults.reset()
    assert [row[1] for row in answers(_isolated_home / "state.db")] == ["first", "second"]


def test_a_review_whose_disk_fills_says_so_and_keeps_the_answers_before(_isolated_home):
    result = dlquiz(_isolated_home, "review", input="\n3\n\n3\n\n3\nq\n", DLQUIZ_FAULTS="commit:2=full")
    assert "Traceback" not in result.stderr and result.returncode == 0
    # the session says so on screen and keeps the card to answer again (here the next Good saves it)
    assert "not saved" in result.stdout and "is full" in result.stdout and "dlquiz reset" not in result.stdout
    state = _isolated_home / "state.db"
    assert len(answers(state)) >= 1 and integrity(state) == "ok" and cards_match_log(state)


def _on_small_disk(home, size: str, script: str):
    mount = home.parent / "disk"
    mount.mkdir()
    wrapped = f"mount -t tmpfs -o size={size} tmpfs '{mount}' || exit 9\n{script}"
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", wrapped],
        capture_output=True,
        text=True,
        env=env_for(mount / "home"),
        timeout=120,
        cwd=NEUTRAL,
    )


@pytest.mark.skipif(not can_mount(), reason="needs a private mount namespace to mount a small tmpfs")
def test_a_fresh_home_on_a_full_disk_is_one_line_saying_the_disk_is_full(_isolated_home):
    # the disk is filled first (the bank's cache no longer takes the last space: it is not written when the
    # disk is nearly full), so the state file is what cannot be created
    script = (
        'mkdir -p "$DLQUIZ_HOME"\n'
        'dd if=/dev/zero of="$(dirname "$DLQUIZ_HOME")/filler" bs=4k 2>/dev/null\n'
        'printf "\\n3\\nq\\n" | python -m dlquiz review >/dev/null\necho "rc=$?"\n'
    )
    result = _on_small_disk(_isolated_home, "400k", script)
    assert "rc=2" in result.stdout, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("note:")]
    assert len(lines) == 1 and "is full" in lines[0] and "Traceback" not in result.stderr
    assert "not a readable" not in lines[0] and "dlquiz reset" not in lines[0]  # U1: not called damage


MID_SESSION = r"""
mkdir -p "$DLQUIZ_HOME"
python -m dlquiz list >/dev/null
printf '\n3\nq\n' | python -m dlquiz review >/dev/null || exit 8
dd if=/dev/zero of="$(dirname "$DLQUIZ_HOME")/filler" bs=4k 2>/dev/null
printf '\n3\n\n3\nq\n' | python -m dlquiz review >/dev/null; echo "full=$?"
rm "$(dirname "$DLQUIZ_HOME")/filler"
python -m dlquiz stats --json | grep '"answers": '
printf '\n3\nq\n' | python -m dlquiz review >/dev/null; echo "freed=$?"
python -c '
import os, sqlite3
db = sqlite3.connect(os.environ["DLQUIZ_HOME"] + "/state.db")
print("integrity", db.execute("pragma integrity_check").fetchone()[0])
print("answers", db.execute("select count(*) from reviews").fetchone()[0])
'
"""


@pytest.mark.skipif(not can_mount(), reason="needs a private mount namespace to mount a small tmpfs")
def test_a_disk_that_fills_mid_session_keeps_every_saved_answer(_isolated_home):
    result = _on_small_disk(_isolated_home, "4m", MID_SESSION)
    out = result.stdout
    assert "full=2" in out and "freed=0" in out, (out, result.stderr)
    assert '"answers": 1,' in out and "integrity ok" in out and "answers 2" in out
    assert "Traceback" not in result.stderr and "is full" in result.stderr
