"""How long `dlquiz implement ID --check FILE` takes, as a user runs it (budget: 2 s for a correct file).

Each exercise's model solution is checked by the real command in a fresh process (start-up, building
the checks, the child process and its limits included); the table shows the median of a few runs, and
the last line how long a file that never returns takes to be stopped at a 2-second limit.

Run: python bench/implement.py [ID ...]   (not collected by pytest; about a minute for all exercises)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dlquiz.implement.registry import EXERCISES, find
from dlquiz.implement.starter import solution_text

RUNS = 3
BUDGET_S = 2.0


def check_seconds(exercise_id: str, path: Path, *extra: str) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dlquiz", "implement", exercise_id, "--check", str(path), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start, done.returncode


def main(ids: list[str]) -> None:
    exercises = [find(i) for i in ids] if ids else list(EXERCISES)
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for exercise in exercises:
            path = Path(tmp, f"{exercise.stem}.py")
            path.write_text(solution_text(exercise))
            runs = [check_seconds(exercise.id, path) for _ in range(RUNS)]
            assert all(code == 0 for _, code in runs), f"{exercise.id}: the model solution did not pass"
            rows.append((exercise.id, statistics.median(s for s, _ in runs)))
        endless = Path(tmp, "endless.py")
        endless.write_text("def softmax(x, axis=-1):\n    while True:\n        pass\n")
        stop_s, stop_code = check_seconds("softmax", endless, "--time-limit", "2")
    width = max(len(name) for name, _ in rows)
    print(f"{'exercise':<{width}}  {'--check, median s':>17}   ({RUNS} runs each, a correct file)")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:17.2f}{'' if seconds <= BUDGET_S else '   over budget'}")
    worst = max(rows, key=lambda r: r[1])
    print(f"slowest: {worst[0]} {worst[1]:.2f} s (budget {BUDGET_S:.0f} s)")
    print(f"a file that never returns, --time-limit 2: stopped after {stop_s:.2f} s, exit {stop_code}")


if __name__ == "__main__":
    main(sys.argv[1:])
