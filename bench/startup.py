"""Start-up cost of the CLI: `dlquiz --help` against `python -c "import typer"` (budget 1.5x).

Run: python bench/startup.py   (prints the median wall time of each over several runs)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _bytecode import compile_dlquiz

RUNS = 15


def median_seconds(argv: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(compile_dlquiz())
    base = median_seconds([sys.executable, "-c", "import typer"])
    rows = [
        ("python -c 'import typer'", base),
        ("dlquiz --help", median_seconds([sys.executable, "-m", "dlquiz", "--help"])),
        ("dlquiz list", median_seconds([sys.executable, "-m", "dlquiz", "list"])),
        ("dlquiz show <first id>", median_seconds([sys.executable, "-m", "dlquiz", "show", first_id()])),
    ]
    print(f"{'command':28} {'median ms':>10} {'x typer':>8}   (median of {RUNS} runs)")
    for name, seconds in rows:
        print(f"{name:28} {seconds * 1000:10.1f} {seconds / base:8.2f}")
    print("budget: dlquiz --help <= 1.5 x import typer")


def first_id() -> str:
    from dlquiz.bank import load_bank

    return load_bank().ids()[0]


if __name__ == "__main__":
    main()
