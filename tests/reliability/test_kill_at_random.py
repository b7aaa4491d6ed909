"""Random SIGKILLs across review sessions: every answer the session said it saved is in the log, in order,
the file is sound and the cards are what the log says, after every kill.

Each home runs trial after trial on whatever the last kill left (an unfinished log, a half-written page).
Answers are fed a little at a time, with an undo now and then. ``DLQUIZ_RELIABILITY_KILLS`` sets the
number of kills (default 24; 200 with ``DLQUIZ_RELIABILITY=full``).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness import FULL, NEUTRAL, cards_match_log, dlquiz, env_for, integrity, sql

KILLS = int(os.environ.get("DLQUIZ_RELIABILITY_KILLS") or (200 if FULL else 24))
HOMES = 3  # run side by side: the kills land while other processes compete for the disk and the CPU
SAVED = re.compile(r"saved ([\w-]+):")
UNDID = re.compile(r"undid \w+ on ([\w-]+):")


def log_rows(state: Path) -> list[tuple]:
    if not state.exists() or "reviews" not in {r[0] for r in sql(state, "SELECT name FROM sqlite_master")}:
        return []
    return sql(state, "SELECT id, question_id, undone FROM reviews ORDER BY id")


def trial(home: Path, rng: random.Random) -> tuple[int, int]:
    """One session killed at a random moment; checks the log against what it said. (acknowledged, undone)"""
    state = home / "state.db"
    before = log_rows(state)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlquiz", "review"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env_for(home),
        cwd=NEUTRAL,
    )

    def feed() -> None:
        try:
            while True:
                keys = "u\n" if rng.random() < 0.15 else f"\n{rng.choice('1234')}\n"
                proc.stdin.write(keys.encode())
                proc.stdin.flush()
                time.sleep(rng.uniform(0.01, 0.08))
        except (BrokenPipeError, ValueError, OSError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    time.sleep(rng.uniform(0.05, 1.5))
    proc.send_signal(signal.SIGKILL)
    out = proc.stdout.read().decode(errors="replace")
    proc.wait()
    saved, undid = SAVED.findall(out), UNDID.findall(out)
    after = log_rows(state)
    new = after[len(before) :]
    assert after[: len(before)] == before, "rows of earlier sessions changed"
    assert len(saved) <= len(new) <= len(saved) + 1, (saved, new)  # one saved but killed before saying so
    assert [row[1] for row in new[: len(saved)]] == saved, "an acknowledged answer is missing or out of order"
    assert set(undid) <= {row[1] for row in new if row[2]}, "an acknowledged undo is not in the log"
    if state.exists():
        assert integrity(state) == "ok" and cards_match_log(state)
    return len(saved), len(undid)


def test_random_kills_lose_no_acknowledged_answer(tmp_path):
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def run_home(index: int) -> None:
        home = tmp_path / f"home-{index}"
        home.mkdir()
        rng = random.Random(index)
        try:
            for _ in range(KILLS // HOMES):
                results.append(trial(home, rng))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run_home, args=(i,)) for i in range(HOMES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    assert len(results) == KILLS // HOMES * HOMES
    assert sum(saved for saved, _ in results) > 0, "no answer was given before the kills: the test tested nothing"
    for index in range(HOMES):  # after all the kills, each home still works
        assert dlquiz(tmp_path / f"home-{index}", "stats").returncode == 0
    saved, undone = sum(r[0] for r in results), sum(r[1] for r in results)
    print(f"\n{len(results)} kills, {saved} acknowledged answers, {undone} undos, 0 lost")
