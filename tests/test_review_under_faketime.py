"""End to end: `dlquiz review` driven with piped keys over three weeks of simulated days, the clock moved by
libfaketime, in New York across the autumn clock change. Every card must end with the memory state a clean
py-fsrs gives when fed elapsed study days, no review screen may offer two equal intervals, and what is
saved is what the button said.
"""

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fsrs_oracle import oracle_memory

from dlquiz.paths import state_path

FAKETIME = shutil.which("faketime")
ROOT = Path(__file__).resolve().parent.parent
ZONE = "America/New_York"

pytestmark = pytest.mark.skipif(
    FAKETIME is None, reason="needs the faketime binary of libfaketime (apt install faketime)"
)

# (date, local time) of each session: mornings drifting earlier, a late night, just before and just after
# the 04:00 rollover, days skipped, and the night the clocks go back (1 November)
SESSIONS = [
    "2026-10-26 07:30",
    "2026-10-27 07:20",
    "2026-10-28 23:50",
    "2026-10-29 03:50",
    "2026-10-29 04:10",
    "2026-10-31 04:30",
    "2026-11-01 03:30",
    "2026-11-02 07:00",
    "2026-11-04 06:50",
    "2026-11-07 09:00",
    "2026-11-11 08:00",
    "2026-11-16 07:40",
]
BUTTONS = re.compile(r"1 Again · (\S+)\s+2 Hard · (\S+)\s+3 Good · (\S+)\s+4 Easy · (\S+)")
SAVED = re.compile(r"saved \S+: (Again|Hard|Good|Easy) · (\S+)")


def review_at(moment: str, keys: str) -> str:
    env = dict(os.environ, TZ=ZONE, PYTHONPATH=str(ROOT), NO_COLOR="1", COLUMNS="80")
    result = subprocess.run(
        [FAKETIME, "-f", f"@{moment}:00", sys.executable, "-m", "dlquiz", "review"],
        input=keys,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_three_weeks_of_reviews_schedule_as_anki_with_fsrs_does():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run(
        [sys.executable, "-m", "dlquiz", "config", "new_per_day", "4"], check=True, env=env, capture_output=True
    )
    rng = random.Random(11)
    screens = []
    for moment in SESSIONS:
        keys = "".join(f"\n{rng.choice('1233334')}\n" for _ in range(40))
        out = review_at(moment, keys)
        shown = BUTTONS.findall(out)
        saved = SAVED.findall(out)
        assert len(saved) == len(shown) and (shown or "Nothing to review" in out), out
        names = ("Again", "Hard", "Good", "Easy")
        for buttons, (name, interval) in zip(shown, saved, strict=True):
            assert buttons[names.index(name)] == interval  # the interval saved is the one on the button
        screens += shown
    db = sqlite3.connect(state_path())
    rows = db.execute(
        "SELECT question_id, rating, answered_at_ms - duration_ms, after FROM reviews WHERE undone = 0 ORDER BY id"
    ).fetchall()
    answers, saved_memory = {}, {}
    for qid, rating, shown_ms, after in rows:
        after = json.loads(after)
        answers.setdefault(qid, []).append((rating, shown_ms))
        saved_memory.setdefault(qid, []).append(tuple(after[k] for k in ("state", "step", "stability", "difficulty")))
    for qid in answers:
        assert saved_memory[qid] == oracle_memory(answers[qid], ZONE), qid
    days = [[int(b[:-1]) for b in buttons[1:]] for buttons in screens if all(b.endswith("d") for b in buttons[1:])]
    assert len(rows) > 150 and len(days) > 40
    assert all(hard < good < easy for hard, good, easy in days)
