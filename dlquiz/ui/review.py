"""How flashcards and multiple-choice cards look, and the summary of a card session.

In a terminal a revealed card is laid out to fit the window: the progress line and the question stay at
the top, the grade buttons at the bottom, and an answer too long for the space between is shown a
window at a time (↓/j and ↑/k page it), so the question never scrolls away while you grade. Piped, the
cards follow one another, separated by a rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlquiz.activities.views import ChoiceView, FlashcardView, Stage
from dlquiz.activities.vocabulary import Extra, ExtraRequested, SessionKind

if TYPE_CHECKING:
    from dlquiz.activities.compare import AttemptMatch
    from dlquiz.activities.summaries import CardSummary
from dlquiz.errors import UserError
from dlquiz.scheduler import DAY_MS, format_interval
from dlquiz.ui.items import ItemPanel, bullets, prose, question_panel
from dlquiz.ui.screen import (
    EXTRA_KEYS,
    fitted,
    grade_lines,
    hanging,
    indented,
    keys_lines,
    marked,
    note,
    plural,
    progress_text,
)
from dlquiz.wording import noun, percent

# --------------------------------------------------------------------------- flashcards


def answer_part(view: FlashcardView, plain: bool = False) -> list[RenderableType]:
    """The attempt (with the words that are in key points marked), the answer, and the key points.

    ``plain``: for output without styles, where the marks are brackets."""
    parts: list[RenderableType] = []
    match = view.match
    if view.attempt:
        spans = match.spans if match else ()
        line = Text("  Your attempt: ", style="heading")  # one style for the line: the words stay together
        line.append_text(marked(view.attempt, spans, brackets=plain))
        parts.append(line)
        if match is not None:
            parts.append(indented(touched_text(match)))
    points = match.points if match else ()
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for i, point in enumerate(view.item.key_points):
        hit = points[i] if points else None
        mark = Text("✓", style="good") if hit is not None and hit.touched else Text("•", style="key")
        grid.add_row(mark, marked(point, hit.spans, brackets=plain) if hit is not None else Text(point))
    block = Group(prose(view.item.answer), Text(""), Text("Key points", style="heading"), grid)
    parts.append(Padding(block, (1, 1, 0, 1)))
    return parts


def touched_text(match: AttemptMatch) -> str:
    touched = match.touched()
    total = len(match.points)
    if not match.spans:
        return f"none of the {total} key points' words are in your attempt"
    if not touched:
        return f"some key-point words are in your attempt (marked), but no point has half of its words ({total} points)"
    numbers = ", ".join(map(str, touched))
    return f"your attempt uses the words of {noun(len(touched), 'key point')} {numbers} of {total} (✓)"


def card_keys(extras: Sequence[Extra]) -> list[tuple[str, str]]:
    pairs = [EXTRA_KEYS[e] for e in extras]
    return [*pairs, ("u", "undo"), ("s", "suspend"), ("b", "bury"), ("q", "quit")]


def flashcard_foot(screen, view: FlashcardView) -> list[Text]:
    width = screen.console.width
    lines = [Text(""), *grade_lines(view.buttons, width)]
    if not view.scheduled:
        lines.append(Text("  practice: the grade is for your score only", style="muted"))
    return lines + keys_lines(card_keys(view.extras), width)


def render(screen, view: FlashcardView | ChoiceView, previous) -> None:
    same = previous is not None and getattr(previous, "screen", None) == view.screen
    if view == previous and not screen.dirty:
        return
    screen.dirty = False
    if isinstance(view, ChoiceView):
        _render_choice(screen, view, previous, same)
        return
    if view.stage is Stage.QUESTION:
        if not same:
            screen.fresh(progress_text(view))
            screen.print(question_panel(view.item))
        return
    came_from_question = same and isinstance(previous, FlashcardView) and previous.stage is Stage.QUESTION
    if screen.terminal and (not same or came_from_question):
        repaint(screen, view)
    elif same and not came_from_question:
        for line in flashcard_foot(screen, view):
            screen.print(line)
    else:
        if not same:
            screen.fresh(progress_text(view))
            screen.print(question_panel(view.item))
        for part in answer_part(view, plain=screen.console.color_system is None):
            screen.print(part)
        for line in flashcard_foot(screen, view):
            screen.print(line)


def repaint(screen, view: FlashcardView | ChoiceView) -> None:
    """The whole card again, fitted to the window (after a reveal, or to page the answer)."""
    if isinstance(view, ChoiceView):
        fitted(screen, progress_text(view), [stem_panel(view)], choice_body(view), choice_foot(screen, view))
    else:
        fitted(
            screen,
            progress_text(view),
            [question_panel(view.item)],
            answer_part(view, plain=screen.console.color_system is None),
            flashcard_foot(screen, view),
        )


# --------------------------------------------------------------------------- multiple choice


def stem_panel(view: ChoiceView) -> Panel:
    if view.stem == view.item.question:
        return question_panel(view.item)
    return ItemPanel(prose(view.stem), view.item)


def options_part(view: ChoiceView) -> list[RenderableType]:
    rows: list[RenderableType] = []
    for number, option in enumerate(view.options, 1):
        label = Text(f"{number}.", style="key")
        if view.picked is not None and number == view.right:
            label = Text(f"{number}.", style="good") + Text(" ✓", style="good")
        elif view.picked is not None and number == view.picked:
            label = Text(f"{number}.", style="bad") + Text(" ✗", style="bad")
        rows.append(hanging(label, Text(option)))
    return rows


def verdict_part(view: ChoiceView) -> list[RenderableType]:
    if view.picked == view.right:
        parts: list[RenderableType] = [Text("  ✓ right", style="good")]
    else:
        wrong = f"wrong: the answer is {view.right}. {view.options[view.right - 1]}"
        parts = [hanging(Text("✗", style="bad"), Text(wrong))]
    parts.append(Padding(Text("Why: the key points", style="heading"), (1, 0, 0, 2)))
    parts.append(bullets("•", "key", view.item.key_points))
    parts.append(Text(f"  More: dlquiz show {view.item.id}", style="muted"))
    return parts


def choice_body(view: ChoiceView) -> list[RenderableType]:
    return options_part(view) + verdict_part(view)


def choice_foot(screen, view: ChoiceView) -> list[Text]:
    pairs = [("Enter", "next"), *card_keys(view.extras)]
    pairs = [p for p in pairs if p[0] not in ("s", "b")]
    return [Text(""), *keys_lines(pairs, screen.console.width)]


def _render_choice(screen, view: ChoiceView, previous, same: bool) -> None:
    if view.stage is Stage.QUESTION:
        if not same:
            screen.fresh(progress_text(view))
            screen.print(stem_panel(view))
            for row in options_part(view):
                screen.print(row)
        return
    came_from_question = same and isinstance(previous, ChoiceView) and previous.stage is Stage.QUESTION
    if screen.terminal and (not same or came_from_question):
        repaint(screen, view)
        return
    if screen.terminal:
        for line in choice_foot(screen, view):
            screen.print(line)
        return
    if not same:
        screen.fresh(progress_text(view))
        screen.print(stem_panel(view))
        for row in options_part(view):
            screen.print(row)
    for part in verdict_part(view):
        screen.print(part)


# --------------------------------------------------------------------------- prompts


def prompt_text(view: FlashcardView | ChoiceView) -> str:
    if isinstance(view, ChoiceView):
        if view.stage is Stage.QUESTION:
            return f"pick 1–{len(view.options)} · u undo · q quit"
        return "next"
    if view.stage is Stage.QUESTION:
        return "Enter answer · type an attempt · ? hint · u↵ undo · q↵ quit"
    return "grade"


def key_help(view: FlashcardView | ChoiceView) -> str:
    if isinstance(view, ChoiceView):
        if view.stage is Stage.QUESTION:
            return f"type a number from 1 to {len(view.options)}"
        return "press Enter for the next card"
    if view.stage is Stage.QUESTION:
        return "press Enter to see the answer, or type your attempt"
    return "press 1, 2, 3 or 4 to grade (Enter: Good)"


# --------------------------------------------------------------------------- code and demos


def render_extra(screen, event: ExtraRequested) -> None:
    screen.print()
    if event.extra is Extra.CODE:
        from dlquiz.ui.items import render_code

        screen.end_line()
        render_code(screen.console, event.item)
    else:
        from dlquiz.ui.demo import show_demo

        try:
            screen.end_line()
            show_demo(screen.console, event.item, settings=[], seed=None, in_session=True)
        except UserError as exc:
            screen.message(str(exc))
    screen.dirty = True


# --------------------------------------------------------------------------- the end


def render_card_summary(console: Console, summary: CardSummary) -> None:
    if summary.kind is SessionKind.EXERCISE:
        from dlquiz.ui.exercise import render_score

        render_score(console, summary)
        return
    if summary.kind is SessionKind.QUIZ:
        render_quiz_summary(console, summary)
        return
    if summary.kind is SessionKind.REVIEW and summary.empty_at_start:
        line = Text("Nothing to review right now.", style="heading")
        if summary.next_ms is not None:
            line.append(" The next card is " + when_text(summary.next_ms, summary.at_ms) + ".", style="muted")
        console.print(line)
        review_pointers(console, summary)
        return
    console.print()
    line = Text("Session over: ", style="heading")
    line.append(f"{summary.answered} answered in {_took(summary.seconds)}")
    if summary.answered:
        line.append(" · " + " · ".join(f"{r.label} {n}" for r, n in summary.ratings.items()), style="muted")
    console.print(line)
    common_lines(console, summary)
    if summary.kind is SessionKind.REVIEW and not summary.left and summary.next_ms is not None:
        note(console, "All done for now. The next card is " + when_text(summary.next_ms, summary.at_ms) + ".")
    if summary.kind is SessionKind.REVIEW:
        review_pointers(console, summary)


def _took(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"


def render_quiz_summary(console: Console, summary: CardSummary) -> None:
    """A quiz is practice of a slice: right and wrong, by topic (not the ratings and cards of a review)."""
    console.print()
    if not summary.answered:
        console.print(Text("No question answered.", style="muted"))
    else:
        line = Text("Quiz over: ", style="heading")
        line.append(f"{summary.right} of {summary.answered} right ({summary.percent}%) in {_took(summary.seconds)}")
        if summary.stopped and summary.answered < summary.planned:
            line.append(f" · stopped after {summary.answered} of {summary.planned}", style="muted")
        console.print(line)
    if summary.skipped:
        note(console, f"{plural(summary.skipped, 'answer')} not saved: another session had changed the card")
    if summary.answered:
        note(console, f"{summary.scheduled} of {summary.answered} counted toward your schedule; the rest was practice")
    for qid in summary.leeches:
        note(console, f"leech: {qid} is suspended; 'dlquiz unsuspend {qid}' brings it back", "bad")
    if summary.scores:
        console.print(score_table(summary))


def review_pointers(console: Console, summary: CardSummary) -> None:
    """What else waits when a review ends: new cards --no-new held back or turned off, coding exercises due."""
    if summary.new_held_back:
        waiting = plural(summary.new_held_back, "new card")
        note(
            console,
            f"{waiting} {'is' if summary.new_held_back == 1 else 'are'} waiting: 'dlquiz review' without --no-new",
        )
    if summary.beyond_limit:
        ready = plural(summary.beyond_limit, "more card")
        note(console, f"{ready} {'is' if summary.beyond_limit == 1 else 'are'} ready now (this review stopped at -n)")
    if summary.new_off:
        note(console, "new cards are off (new_per_day 0): 'dlquiz config new_per_day 20' for 20 a day")
    if summary.coding_due:
        exercises = plural(summary.coding_due, "coding exercise")
        note(
            console, f"{exercises} {'is' if summary.coding_due == 1 else 'are'} due: dlquiz implement --next", "medium"
        )


def common_lines(console: Console, summary: CardSummary) -> None:
    if summary.left:
        note(console, f"{plural(summary.left, 'card')} left for later")
    if summary.skipped:
        note(console, f"{plural(summary.skipped, 'answer')} not saved: another session had changed the card")
    if summary.kind is not SessionKind.REVIEW and summary.answered:
        note(console, f"{summary.scheduled} of {summary.answered} counted toward your schedule; the rest was practice")
    for qid in summary.leeches:
        note(console, f"leech: {qid} is suspended; 'dlquiz unsuspend {qid}' brings it back", "bad")


def when_text(at_ms: int, now_ms: int) -> str:
    """'in 2h (at 04:00)' within a day, 'in 3d (at Fri 04:00)' within the week, or 'available now'."""
    import time

    if at_ms <= now_ms:
        return "available now"
    then, wait = time.localtime(at_ms / 1000), at_ms - now_ms
    clock = time.strftime("%H:%M" if wait < DAY_MS else "%a %H:%M" if wait < 6 * DAY_MS else "%a %d %b", then)
    return f"in {format_interval(at_ms - now_ms)} (at {clock})"


def score_table(summary: CardSummary) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Score by topic", title_justify="left")
    table.add_column("topic", style="topic")
    table.add_column("right", justify="right")
    table.add_column("asked", justify="right")
    table.add_column("%", justify="right")
    for score in summary.scores:
        table.add_row(score.topic, str(score.right), str(score.asked), str(score.percent))
    asked = sum(s.asked for s in summary.scores)
    table.add_row(Text("total", style="heading"), str(summary.right), str(asked), str(percent(summary.right, asked)))
    return table
