"""`dlquiz check`: validate the bank, then import every code link and run every demo and exercise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dlquiz.bank import Problem, bank_files, import_link, user_dirs, validate_files
from dlquiz.model import Item


@dataclass
class Report:
    files: int = 0
    items: int = 0
    links_run: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _run(item: Item, kind: str, link: str) -> None:
    """Import (and for demos and exercises, run once with a fixed seed) what a link names."""
    if kind == "code":
        import_link("code", link)
    elif kind == "demo":
        from dlquiz.demos import run_demo

        run_demo(link, settings={}, seed=0)
    else:
        import numpy as np

        from dlquiz.exercises import generate

        generate(link, np.random.default_rng(0))


def check_bank(bank_dir: str | None = None, progress: Callable[[int, int], None] | None = None) -> Report:
    """Every problem in the bank (built-in plus the user's), including links that fail when run.

    ``progress(done, total)`` is told after each item's links have run.
    """
    files: list[Path] = bank_files(user_dirs(bank_dir))
    items, problems = validate_files(files)
    report = Report(files=len(files), items=len(items), problems=list(problems))
    for done, item in enumerate(items, 1):
        if progress:
            progress(done - 1, len(items))
        for kind, links in (("code", item.code), ("demo", (item.demo,)), ("exercise", (item.exercise,))):
            for link in links:
                if not link:
                    continue
                try:
                    _run(item, kind, link)
                except Exception as exc:  # a broken link is a finding, not a crash
                    report.problems.append(
                        Problem(
                            item.source,
                            item.line,
                            f"'{link}' fails when run: {type(exc).__name__}: {exc}",
                            item.id,
                            kind,
                        )
                    )
                else:
                    report.links_run += 1
    return report
