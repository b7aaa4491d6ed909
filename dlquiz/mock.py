"""A mock interview: N questions answered in your own words against a clock, then self-scored
against each item's key points and kept as a Markdown transcript.

Plain logic only: choosing questions, parsing the self-score, writing the transcript text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.model import Item


@dataclass
class MockAnswer:
    """One question as the candidate answered it."""

    item: Item
    typed: str
    seconds: float
    covered: tuple[int, ...] | None = None  # key-point numbers (1-based) the candidate says they made

    @property
    def score(self) -> float | None:
        return None if self.covered is None else len(self.covered) / len(self.item.key_points)


@dataclass
class MockInterview:
    items: list[Item]
    seconds_per_question: int
    started_at: datetime
    answers: list[MockAnswer] = field(default_factory=list)


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


def clock_text(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def transcript_markdown(interview: MockInterview) -> str:
    """The whole interview as Markdown: per question the answer given, the time, the model answer
    and which key points were made."""
    when = interview.started_at.strftime("%Y-%m-%d %H:%M")
    lines = [f"# Mock interview, {when}", ""]
    scored = [a.score for a in interview.answers if a.score is not None]
    answered = sum(1 for a in interview.answers if a.typed.strip())
    lines.append(
        f"{len(interview.answers)} of {len(interview.items)} questions asked, {answered} answered, "
        f"{clock_text(interview.seconds_per_question)} each"
        + (f"; key points made: {100 * sum(scored) / len(scored):.0f}%" if scored else "")
    )
    lines.append("")
    for number, answer in enumerate(interview.answers, 1):
        item = answer.item
        over = answer.seconds - interview.seconds_per_question
        timing = clock_text(answer.seconds) + (f" ({clock_text(over)} over time)" if over > 0 else "")
        lines += [f"## {number}. {item.question}", "", f"*{item.id} · {item.topic} · {item.difficulty} · {timing}*", ""]
        lines += ["**Your answer**", "", answer.typed.strip() or "*(no answer)*", ""]
        lines += ["**Model answer**", "", item.answer.rstrip(), ""]
        lines += ["**Key points**", ""]
        for index, point in enumerate(item.key_points, 1):
            mark = " " if answer.covered is None else ("x" if index in answer.covered else " ")
            lines.append(f"- [{mark}] {point}")
        lines.append("")
    return "\n".join(lines)


def transcript_path(directory: Path, started_at: datetime) -> Path:
    return directory / f"mock-{started_at.strftime('%Y%m%d-%H%M%S')}.md"
