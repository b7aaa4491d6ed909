"""Time every demo as `dlquiz check` runs it (run_demo(link, {}, seed=0)) and print each time and the total.

Run: python bench/demos.py   (not collected by pytest)

Budgets (design.md §8): each demo under 1 s, all of them together under 10 s. Imports (numpy and
the demo modules) are timed separately, once, as `check` pays them once.
"""

from __future__ import annotations

import time

EACH_BUDGET = 1.0
TOTAL_BUDGET = 10.0


def main() -> None:
    from dlquiz.demos import all_demos, run_demo

    start = time.perf_counter()
    links = [link for link, _ in all_demos()]
    imports = time.perf_counter() - start

    times = []
    for link in links:
        t0 = time.perf_counter()
        run_demo(link, settings={}, seed=0)
        times.append((time.perf_counter() - t0, link))
    total = sum(t for t, _ in times)

    width = max(len(link) for link in links)
    print(f"{'demo':<{width}}  seconds")
    for t, link in sorted(times, reverse=True):
        flag = "  OVER BUDGET" if t > EACH_BUDGET else ""
        print(f"{link:<{width}}  {t:7.3f}{flag}")
    print()
    print(f"demos: {len(links)}")
    print(f"imports (numpy + demo modules): {imports:.3f} s")
    print(f"slowest demo: {max(times)[0]:.3f} s  (budget {EACH_BUDGET:g} s each)")
    print(f"all demos: {total:.3f} s; with imports {total + imports:.3f} s  (budget {TOTAL_BUDGET:g} s)")


if __name__ == "__main__":
    main()
