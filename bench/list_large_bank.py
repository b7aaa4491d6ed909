"""`dlquiz list` and `dlquiz search` over a synthetic 10,000-item user bank (budget: 1 s).

Run: python bench/list_large_bank.py   (writes the bank to a temporary directory, prints timings)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITEMS = 10_000
FILES = 20
ANSWER = " ".join(["Gradient descent moves the weights against the gradient of the loss."] * 5)


def write_bank(directory: Path) -> None:
    per_file = ITEMS // FILES
    for f in range(FILES):
        topic = f"synthetic-{f:02d}"
        lines = []
        for i in range(per_file):
            lines += [
                f"- id: {topic}-item-{i:05d}",
                f"  topic: {topic}",
                f"  difficulty: {('easy', 'medium', 'hard')[i % 3]}",
                f"  tags: [tag-{i % 7}]",
                f"  question: Question number {i} of {topic}?",
                f"  answer: |\n    {ANSWER}",
                "  key_points:\n    - first point\n    - second point",
                "  code: activations.sigmoid" if i % 2 else '  pitfalls: ["Wrong: x. Right: y."]',
            ]
        (directory / f"{topic}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def time_run(argv: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as home:
        write_bank(Path(tmp))
        os.environ["DLQUIZ_HOME"] = home  # a throw-away home, whose parse cache starts empty
        base = [sys.executable, "-m", "dlquiz", "--bank", tmp]
        print(f"synthetic bank: {ITEMS} items in {FILES} files (+ the built-in bank)")
        print(f"dlquiz {'list (cold cache)':18} {time_run(base + ['list'], runs=1) * 1000:8.0f} ms (once)")
        for label, extra in (
            ("list", ["list"]),
            ("list --json", ["list", "--json"]),
            ("search gradient", ["search", "gradient"]),
            ("search weight-decay", ["search", "weight-decay"]),
        ):
            print(f"dlquiz {label:18} {time_run(base + extra) * 1000:8.0f} ms (median of 5)")
        start = time.perf_counter()
        from dlquiz.bank import load_bank

        bank = load_bank(tmp)
        print(f"load_bank in-process       {(time.perf_counter() - start) * 1000:8.0f} ms for {len(bank)} items")
        from dlquiz.search import find

        for query in (["gradient"], ["weight-decay"], ["normalisation"], ["qwertyuiop"]):
            start = time.perf_counter()
            hits = find(bank.items, query)
            took = (time.perf_counter() - start) * 1000
            print(f"search.find {query[0]!r:16} {took:8.0f} ms, {len(hits)} matches (in-process, bank loaded)")
    print("budget: dlquiz list <= 1000 ms")


if __name__ == "__main__":
    main()
