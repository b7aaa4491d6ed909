"""Time to the first card of `dlquiz review`, the cost of an answer, and `dlquiz stats` on a big log.

Budgets: first card ≤ 200 ms; `dlquiz stats` with 1,000,000 reviews ≤ 1 s.

Run: python bench/session.py

Each run starts `python -m dlquiz review` with a pipe on stdin kept open and stops the clock when the
first card's progress line ("1/…") reaches stdout, then quits. Two states are timed: a fresh home,
and a home whose log holds 100,000 reviews with every bank item answered and due. It also reports
which heavy modules the review path imported before the first card, the median time of preview +
commit for one answer in-process, and `dlquiz stats` over logs of 100,000 and 1,000,000 answers
spread over 1,000 days (with and without an interview date, whose plan plays the schedule forward).
"""

from __future__ import annotations

import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bytecode import compile_dlquiz

RUNS = 11


def time_to_first_card(home: Path) -> float:
    env = dict(os.environ, DLQUIZ_HOME=str(home), NO_COLOR="1", COLUMNS="80")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlquiz", "review"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    seen = b""
    while b"1/" not in seen:
        select.select([proc.stdout], [], [], 10)
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            raise SystemExit(f"dlquiz review ended before showing a card:\n{seen.decode()}")
        seen += chunk
    elapsed = time.perf_counter() - start
    proc.communicate(b"q\n", timeout=10)
    return elapsed


def stats_ms(samples) -> str:
    """'median (min)' in ms: the machine is shared, so the minimum shows the cost without contention."""
    samples = [s * 1000 for s in samples]
    return f"{statistics.median(samples):6.0f} ms (min {min(samples):4.0f})"


def first_card_ms(home: Path) -> str:
    return stats_ms([time_to_first_card(home) for _ in range(RUNS)])


def fill_log(home: Path, reviews: int) -> int:
    """Answer every bank item once (due now) and pad the log to ``reviews`` rows."""
    os.environ["DLQUIZ_HOME"] = str(home)
    from dlquiz.bank import load_bank
    from dlquiz.model import REVIEW, CardState
    from dlquiz.scheduler import DAY_MS, GOOD, now_ms
    from dlquiz.store import open_store

    ids = load_bank().ids()
    at = now_ms()
    with open_store() as store:
        state = CardState(
            new=False,
            state=REVIEW,
            step=None,
            stability=5.0,
            difficulty=5.0,
            due_ms=at - DAY_MS,
            last_review_ms=at - 6 * DAY_MS,
            reps=1,
            lapses=0,
        )
        for qid in ids:
            store.commit_answer(qid, 0, CardState(), state, GOOD, "review", at - 6 * DAY_MS)
        # the rest of the log spread over 1,000 days before the first answers, as a long-time user's would be
        span = 1000 * DAY_MS
        step = span // max(1, reviews - len(ids))
        ratings = (1, 2, 3, 3, 3, 3, 4)
        rows = [
            (
                ids[i % len(ids)],
                ratings[i % len(ratings)],
                "review",
                at - 6 * DAY_MS - span + i * step,
                4000,
                state.to_json(),
                state.to_json(),
                REVIEW,
            )
            for i in range(reviews - len(ids))
        ]
        with store.db:
            store.db.execute("BEGIN")
            store.db.executemany(
                "INSERT INTO reviews (question_id, rating, mode, answered_at_ms, duration_ms, before, after, "
                "before_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(ids)


def modules_before_first_card(home: Path) -> list[str]:
    env = dict(os.environ, DLQUIZ_HOME=str(home), NO_COLOR="1")
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dlquiz", "review"], input=b"q\n", capture_output=True, env=env
    ).stderr.decode()
    heavy = ("numpy", "fsrs", "plotext", "markdown_it", "pygments")
    found = {line.split("|")[-1].strip() for line in out.splitlines() if "|" in line}
    return sorted(name for name in found if name.split(".")[0] in heavy and "." not in name)


def answer_cost_ms(home: Path) -> float:
    os.environ["DLQUIZ_HOME"] = str(home)
    from dlquiz.scheduler import GOOD, Settings, commit, preview
    from dlquiz.store import open_store

    times = []
    with open_store() as store:
        for i in range(200):
            qid = f"bench-{i}"
            start = time.perf_counter()
            shown = preview(store.card(qid), Settings())
            commit(store, shown, GOOD, "review")
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def stats_time(home: Path) -> str:
    env = dict(os.environ, DLQUIZ_HOME=str(home), NO_COLOR="1")
    return stats_ms([_run([sys.executable, "-m", "dlquiz", "stats"], env) for _ in range(5)])


def main() -> None:
    print(compile_dlquiz())
    with tempfile.TemporaryDirectory() as tmp:
        fresh, full = Path(tmp, "fresh"), Path(tmp, "full")
        fresh.mkdir()
        full.mkdir()
        base = stats_ms([_run([sys.executable, "-c", "import typer"]) for _ in range(RUNS)])
        framework = stats_ms([_run([sys.executable, "-c", "import typer, yaml, rich.console"]) for _ in range(RUNS)])
        first_fresh = first_card_ms(fresh)
        items = fill_log(full, 100_000)
        first_full = first_card_ms(full)
        heavy = modules_before_first_card(full)
        per_answer = answer_cost_ms(Path(tmp, "fresh"))
        stats_100k = stats_time(full)
        million = Path(tmp, "million")
        million.mkdir()
        fill_log(million, 1_000_000)
        stats_1m = stats_time(million)
        _run(
            [sys.executable, "-m", "dlquiz", "config", "interview_date", _in_days(90)],
            dict(os.environ, DLQUIZ_HOME=str(million)),
        )
        stats_1m_interview = stats_time(million)
    print(f"median (min) of {RUNS} runs")
    print(f"python -c 'import typer':                          {base}")
    print(f"import typer + yaml + rich.console:                {framework}   <- floor for any command showing a card")
    print(f"first card, fresh home (20 new cards):             {first_fresh}")
    print(f"first card, 100,000 reviews, {items} cards due:     {first_full}")
    print(f"heavy modules imported before the first card:     {', '.join(heavy) or 'none'}")
    print(f"one answer (preview + commit, in-process):         {per_answer:6.2f} ms")
    print(f"dlquiz stats, 100,000 reviews (median of 5):      {stats_100k}")
    print(f"dlquiz stats, 1,000,000 reviews (median of 5):    {stats_1m}")
    print(f"  the same, interview in 90 days (plan computed): {stats_1m_interview}")
    print("budgets: first card <= 200 ms; stats with 1,000,000 reviews <= 1 s")


def _in_days(days: int) -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=days)).isoformat()


def _run(argv: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
