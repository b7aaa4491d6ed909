"""`dlquiz check`: validate the bank strictly, then import every code link and run every demo and exercise.

It also says which cards of the state file belong to no item (an id renamed or removed, a ``--bank``
left off): their history is kept and comes back with the item, but a user should know. The state file
is only read for that, never opened for writing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dlquiz.bank import links
from dlquiz.bank.loader import bank_files, scan_files, user_dirs
from dlquiz.bank.problems import Problem
from dlquiz.model import Item


@dataclass
class Report:
    files: int = 0
    items: int = 0
    links_run: int = 0
    problems: list[Problem] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # ids with a card in the state file but no item
    state_note: str | None = None  # why the state file could not be read for orphans, if it could not

    @property
    def ok(self) -> bool:
        return not self.problems


def _run_demo(link: str) -> None:
    from dlquiz.demos import run_demo

    run_demo(link, settings={}, seed=0)


def _run_exercise(link: str) -> None:
    import numpy as np

    from dlquiz.exercises import generate

    generate(link, np.random.default_rng(0))


# How each kind of link is tried once (with a fixed seed); a kind not named here is imported only.
RUNNERS: dict[str, Callable[[str], Any]] = {"demo": _run_demo, "exercise": _run_exercise}


def _links_of(item: Item) -> list[tuple[str, str]]:
    out = []
    for kind, spec in links.KINDS.items():
        value = getattr(item, kind)
        for link in (value if spec.many else (value,)) if value else ():
            out.append((kind, link))
    return out


def check_bank(bank_dir: str | None = None, progress: Callable[[int, int], None] | None = None) -> Report:
    """Every problem in the bank (built-in plus the user's), including links that fail when run.

    ``progress(done, total)`` is told before each item's links run.
    """
    files = bank_files(user_dirs(bank_dir))
    found = scan_files(files)
    report = Report(files=len(files), items=len(found.items), problems=list(found.problems))
    for done, item in enumerate(found.items):
        if progress:
            progress(done, len(found.items))
        for kind, link in _links_of(item):
            try:
                RUNNERS.get(kind, lambda link, kind=kind: links.load(kind, link))(link)
            except Exception as exc:  # a broken link is a finding, not a crash
                report.problems.append(
                    Problem(
                        item.source, item.line, f"'{link}' fails when run: {type(exc).__name__}: {exc}", item.id, kind
                    )
                )
            else:
                report.links_run += 1
    report.orphans, report.state_note = _orphans(found.ids)
    return report


def _orphans(ids: frozenset[str]) -> tuple[list[str], str | None]:
    """The ids that have a card in the state file and no item; or why the file could not be read.

    The cards of coding exercises (implement:ID) belong to ``dlquiz implement``, not to the bank: one is an
    orphan only when no exercise has that id.
    """
    from dlquiz.errors import UserError
    from dlquiz.implement.registry import exercise_of_card
    from dlquiz.store import stored_question_ids

    try:
        stored = stored_question_ids()
    except UserError as exc:
        return [], str(exc)
    return sorted(qid for qid in set(stored) - ids if exercise_of_card(qid) is None), None
