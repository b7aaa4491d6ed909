"""A mock interview: N questions answered in your own words against a clock, then self-scored
against each item's key points and kept as a Markdown transcript.

Plain logic only: choosing questions, checking where the transcript goes, parsing the self-score, the
rating a self-score gives, and the transcript's text. The interview itself is
:class:`dlquiz.activities.mock.MockActivity`.
"""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.model import Item, Rating


@dataclass
class MockAnswer:
    """One question as the candidate answered it."""

    item: Item
    typed: str
    seconds: float
    covered: tuple[int, ...] | None = None  # key-point numbers (1-based) the candidate says they made
    cut_short: bool = False  # the interview ended while it was being typed

    @property
    def score(self) -> float | None:
        return None if self.covered is None else len(self.covered) / len(self.item.key_points)


@dataclass
class MockInterview:
    items: list[Item]
    seconds_per_question: int
    started_at: datetime
    answers: list[MockAnswer] = field(default_factory=list)
    draft: MockAnswer | None = None  # the answer being typed, kept in the transcript as it grows


MAX_MINUTES = 120.0  # per question; more is surely a typo


def check_minutes(minutes: float) -> float:
    """The time per question, refused (UserError) unless it is a finite number from 0.5 to 120."""
    import math

    if not math.isfinite(minutes) or not 0.5 <= minutes <= MAX_MINUTES:
        raise UserError(f"--minutes must be a number from 0.5 to {MAX_MINUTES:g}, not {minutes:g}")
    return minutes


def check_transcript_target(path: Path) -> Path:
    """Refuse, before the interview starts, a transcript path that can never be written."""
    name = path.name
    if name in ("", ".", "..") or str(path).endswith(os.sep):
        raise UserError(f"-o needs a file name, and '{path}' is a directory; try -o '{path / 'interview.md'}'")
    parent = path.parent
    try:
        limit = os.pathconf(parent if parent.is_dir() else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(name)) > limit:
        raise UserError(f"-o: the file name is too long ({len(os.fsencode(name))} bytes; at most {limit})")
    try:
        if path.is_dir():
            raise UserError(f"-o needs a file name, and '{path}' is a directory; try -o '{path / 'interview.md'}'")
        if not parent.is_dir():
            raise UserError(f"-o: the directory '{parent}' does not exist")
        if path.exists() and not path.is_file():
            raise UserError(f"-o: '{path}' exists and is not a regular file")
    except OSError as exc:
        raise UserError(f"-o: cannot use '{path}': {exc.strerror or exc}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"-o: cannot write in '{parent}'")
    return path


def pick_questions(pool: list[Item], n: int, *, seed: int | None = None) -> list[Item]:
    """``n`` distinct items drawn at random from ``pool``, easiest first (as an interview warms up)."""
    if not pool:
        raise UserError("no items match those filters; 'dlquiz list' shows what there is")
    chosen = random.Random(seed).sample(pool, min(n, len(pool)))
    order = {"easy": 0, "medium": 1, "hard": 2}
    return sorted(chosen, key=lambda item: order[item.difficulty])


def parse_covered(text: str, count: int) -> tuple[int, ...]:
    """The key points a candidate ticks: '1 3', '1,3', 'a' / 'all', or '' for none.

    Raises ValueError with a message that says what to type.
    """
    words = text.replace(",", " ").split()
    if not words:
        return ()
    if len(words) == 1 and words[0].lower() in ("a", "all"):
        return tuple(range(1, count + 1))
    try:
        numbers = sorted({int(word) for word in words})
    except ValueError:
        raise ValueError(
            f"type the numbers of the points you made (1-{count}), 'a' for all, or Enter for none"
        ) from None
    if numbers[0] < 1 or numbers[-1] > count:
        raise ValueError(f"key points are numbered 1 to {count}")
    return tuple(numbers)


def rating_for(covered: tuple[int, ...], points: int) -> Rating:
    """A self-score as a grade: every key point made → Good, at least half → Hard, fewer → Again."""
    if points and len(covered) >= points:
        return Rating.GOOD
    if points and 2 * len(covered) >= points:
        return Rating.HARD
    return Rating.AGAIN


def clock_text(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")


def typed_markdown(typed: str) -> str:
    """A typed answer as Markdown that keeps its lines: a hard break (backslash) ends every line that
    another line of the same paragraph follows, so no viewer joins them into one run-on line."""
    lines = typed.strip().splitlines()
    out = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        joins = line.strip() and following.strip() and not _LIST_ITEM.match(following)
        out.append(line.rstrip() + ("\\" if joins else ""))
    return "\n".join(out)


def transcript_markdown(interview: MockInterview) -> str:
    """The whole interview as Markdown: per question the answer given, the time, the model answer
    and which key points were made; an answer still being typed is included as it stands."""
    when = interview.started_at.strftime("%Y-%m-%d %H:%M")
    lines = [f"# Mock interview, {when}", ""]
    answers = interview.answers + ([interview.draft] if interview.draft else [])
    scored = [a.score for a in answers if a.score is not None]
    answered = sum(1 for a in answers if a.typed.strip())
    lines.append(
        f"{len(answers)} of {len(interview.items)} questions asked, {answered} answered, "
        f"{clock_text(interview.seconds_per_question)} each"
        + (f"; key points made: {100 * sum(scored) / len(scored):.0f}%" if scored else "")
    )
    lines.append("")
    for number, answer in enumerate(answers, 1):
        item = answer.item
        over = answer.seconds - interview.seconds_per_question
        timing = clock_text(answer.seconds) + (f" ({clock_text(over)} over time)" if over > 0 else "")
        if answer.cut_short:
            timing += ", answer cut short"
        elif answer is interview.draft:
            timing += ", answer still being typed"
        lines += [f"## {number}. {item.question}", "", f"*{item.id} · {item.topic} · {item.difficulty} · {timing}*", ""]
        lines += ["**Your answer**", "", typed_markdown(answer.typed) or "*(no answer)*", ""]
        lines += ["**Model answer**", "", item.answer.rstrip(), ""]
        lines += ["**Key points**", ""]
        for index, point in enumerate(item.key_points, 1):
            mark = " " if answer.covered is None else ("x" if index in answer.covered else " ")
            lines.append(f"- [{mark}] {point}")
        lines.append("")
    return "\n".join(lines)


def transcript_path(directory: Path, started_at: datetime) -> Path:
    return directory / f"mock-{started_at.strftime('%Y%m%d-%H%M%S')}.md"
