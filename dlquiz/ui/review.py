"""The review and quiz screens: one card at a time, keys in, every answer saved before the next card.

The loop asks :class:`dlquiz.session.Session` for the next card (its four outcomes are fixed for the
moment it is shown), shows it, reads keys through :mod:`dlquiz.ui.keys`, and commits the answer
through the session before it asks for the next card. In a terminal each card gets a clean screen;
with piped input the cards follow one another, separated by a rule. Ctrl-C
and the end of input end a session cleanly: the summary is printed and the exit code is returned
(130 after Ctrl-C, 0 otherwise).
"""

from __future__ import annotations

import random

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlquiz.errors import UserError
from dlquiz.scheduler import RATING_NAMES, RATINGS, format_interval
from dlquiz.session import CHOICE, EXERCISE, Session, Shown, Summary
from dlquiz.store import StaleCardError, StateBusyError
from dlquiz.ui import keys
from dlquiz.ui.items import answer_block, item_header, question_panel

RATING_STYLES = {1: "bad", 2: "medium", 3: "good", 4: "key"}


class Quit(Exception):
    """The user pressed q."""


class Undo(Exception):
    """The user pressed u: the card on screen gives way to the last answered one."""


def hint(console: Console, message: str) -> None:
    """A one-line (wrapped, indented) message about a key or an answer."""
    console.print(Padding(Text(message, style="muted"), (0, 0, 0, 2)))


def _prompt(text: str) -> str:
    return f"  {text} › "


# --------------------------------------------------------------------------- pieces of the screen


def progress_line(session: Session) -> Text:
    return Text(str(session.progress()), style="muted")


def grade_line(shown: Shown) -> Text:
    """'1 Again · 1m   2 Hard · 6m   3 Good · 10m   4 Easy · 7d'."""
    line = Text("  ")
    for rating in RATINGS:
        if rating > 1:
            line.append("   ")
        line.append(f"{rating} ", style="key")
        line.append(shown.outcome(rating).label, style=RATING_STYLES[rating])
    return line


def extra_keys(shown: Shown) -> list[tuple[str, str]]:
    item = shown.item
    extras = []
    if item.derivation:
        extras.append(("d", "derivation"))
    if item.code:
        extras.append(("c", "code"))
    if item.demo:
        extras.append(("r", "run demo"))
    return extras + [("u", "undo"), ("q", "quit")]


def keys_line(pairs: list[tuple[str, str]]) -> Text:
    line = Text("  ")
    for i, (key, what) in enumerate(pairs):
        if i:
            line.append(" · ", style="muted")
        line.append(key, style="key")
        line.append(" " + what, style="muted")
    return line


def render_summary(console: Console, summary: Summary, *, scores: bool = False) -> None:
    console.print()
    minutes, seconds = divmod(round(summary.seconds), 60)
    took = f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
    line = Text("Session over: ", style="heading")
    line.append(f"{summary.answered} answered in {took}")
    if summary.answered:
        line.append(" · " + " · ".join(f"{RATING_NAMES[r]} {n}" for r, n in summary.ratings.items()), style="muted")
    console.print(line)
    if summary.left:
        hint(console, f"{summary.left} card{'s' if summary.left != 1 else ''} left for later")
    if summary.skipped:
        hint(
            console,
            f"{summary.skipped} answer{'s' if summary.skipped != 1 else ''} not saved: another session had changed the card",
        )
    if scores and summary.scores:
        console.print(score_table(summary))


def score_table(summary: Summary) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Score by topic", title_justify="left")
    table.add_column("topic", style="topic")
    table.add_column("right", justify="right")
    table.add_column("asked", justify="right")
    table.add_column("%", justify="right")
    for score in summary.scores:
        table.add_row(score.topic, str(score.right), str(score.asked), str(score.percent))
    asked = sum(s.asked for s in summary.scores)
    table.add_row(
        Text("total", style="heading"),
        str(summary.right),
        str(asked),
        str(round(100 * summary.right / asked) if asked else 0),
    )
    return table


def hanging(label: Text, body: str) -> Table:
    """``label body`` with the body's wrapped lines indented under its first line."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text("  ") + label, Text(body))
    return grid


# --------------------------------------------------------------------------- the screen


class Screen:
    """Drives one session on a console."""

    def __init__(self, console: Console, session: Session, rng: random.Random | None = None):
        self.console = console
        self.session = session
        self.rng = rng or random.Random()
        self.notices: list[Padding] = []  # shown under the progress line of the next card

    def notice(self, text: Text) -> None:
        """A message about the last action; printed now and again after the screen is cleared."""
        block = Padding(text, (0, 0, 0, 2))
        self.console.print(block)
        self.notices.append(block)

    # ---- the loop

    def run(self, *, scores: bool = False) -> int:
        """Show cards until the queue is empty, q, Ctrl-C (exit code 130) or the end of input (0)."""
        code = 0
        had_cards = bool(self.session.pending)
        try:
            while True:
                shown = self.session.next_card()
                if shown is None:
                    break
                try:
                    self.ask(shown)
                except Undo:
                    self.undo()
        except Quit:
            pass
        except EOFError:
            self.console.print()
        except KeyboardInterrupt:
            self.console.print()
            code = 130
        if had_cards:
            render_summary(self.console, self.session.summary(), scores=scores)
        else:
            line = Text("Nothing to review right now.", style="heading")
            if self.session.next_due_ms is not None:
                wait = max(0, self.session.next_due_ms - self.session.clock())
                line.append(f" The next card is due in {format_interval(wait)}.", style="muted")
            self.console.print(line)
        return code

    def clear(self) -> None:
        if keys.interactive() and self.console.is_terminal:
            self.console.clear()
        else:
            self.console.rule(style="muted")

    def undo(self) -> None:
        try:
            undone = self.session.undo()
        except (StaleCardError, StateBusyError) as exc:
            hint(self.console, str(exc))
            return
        if undone is None:
            hint(self.console, "nothing to undo yet in this session")
        else:
            self.notice(
                Text(
                    f"undid {RATING_NAMES[undone.rating]} on {undone.entry.item.id}: it is back as it was",
                    style="muted",
                )
            )

    def ask(self, shown: Shown) -> None:
        form = shown.entry.form
        if form == CHOICE:
            self.ask_choice(shown)
        elif form == EXERCISE:
            self.ask_exercise(shown)
        else:
            self.ask_flashcard(shown)

    def header(self) -> None:
        self.clear()
        self.console.print(progress_line(self.session))
        if self.notices and keys.interactive() and self.console.is_terminal:
            for text in self.notices:
                self.console.print(text)
        self.notices = []

    def commit(self, rating: int, correct: bool | None = None) -> None:
        shown_id = self.session.current.item.id
        try:
            outcome = self.session.answer(rating, correct)
        except (StaleCardError, StateBusyError) as exc:  # busy: the card stays, to be answered again
            self.notice(Text(str(exc), style="bad"))
            return
        saved = Text(f"saved {shown_id}: ", style="muted")
        saved.append(outcome.label, style=RATING_STYLES[rating])
        self.notice(saved)

    def pause(self) -> None:
        """In a terminal, keep an auto-graded verdict on screen until a key is pressed."""
        if keys.interactive() and self.console.is_terminal:
            key = keys.read_choice("uq", prompt=_prompt("Enter next · u undo · q quit"))
            if key == "q":
                raise Quit
            if key == "u":
                raise Undo

    # ---- flashcards (review, and the quiz's flashcard form)

    def ask_flashcard(self, shown: Shown) -> None:
        self.header()
        self.console.print(question_panel(shown.item))
        attempt = None
        while True:
            # No single-key commands here: any letter may begin an attempt ("use momentum..."), so
            # undo and quit are the words u and q followed by Enter.
            key = keys.read_choice(
                "", allow_text=True, prompt=_prompt("Enter answer · type an attempt · u↵ undo · q↵ quit")
            )
            if key == keys.ENTER:
                break
            if key.strip().lower() == "q":
                raise Quit
            if key.strip().lower() == "u":
                raise Undo
            if key in keys.SPECIAL:
                hint(self.console, "press Enter to see the answer, or type your attempt")
                continue
            attempt = key
            break
        if attempt:
            self.console.print(Text("  Your attempt: ", style="heading") + Text(attempt))
        self.console.print(Padding(answer_block(shown.item), (1, 1, 0, 1)))
        self.grade(shown)

    def grade(self, shown: Shown) -> None:
        extras = extra_keys(shown)
        commands = "1234" + "".join(k for k, _ in extras)
        while True:
            self.console.print()
            self.console.print(grade_line(shown))
            self.console.print(keys_line(extras))
            key = keys.read_choice(commands, prompt=_prompt("grade"))
            if key in ("1", "2", "3", "4"):
                self.commit(int(key))
                return
            if key == "q":
                raise Quit
            if key == "u":
                raise Undo
            if key in ("d", "c", "r"):
                self.show_extra(shown, key)
                continue
            hint(
                self.console,
                "press 1, 2, 3 or 4 to grade how well you knew it"
                + (f"; '{key}' means nothing here" if key not in keys.SPECIAL else ""),
            )

    def show_extra(self, shown: Shown, key: str) -> None:
        item = shown.item
        self.console.print()
        if key == "d":
            from dlquiz.ui.steps import reveal_steps

            reveal_steps(self.console, item.derivation, keys.wait_for_more)
        elif key == "c":
            from dlquiz.ui.items import render_code

            render_code(self.console, item)
        else:
            from dlquiz.ui.demo import show_demo

            try:
                show_demo(self.console, item, settings=[], seed=None, in_session=True)
            except UserError as exc:
                hint(self.console, str(exc))

    # ---- multiple choice

    def ask_choice(self, shown: Shown) -> None:
        from dlquiz.session import choice_options, grade_choice

        self.header()
        self.console.print(question_panel(shown.item, choice=True))
        options, right = choice_options(shown.item, self.rng)
        for number, option in enumerate(options, 1):
            self.console.print(hanging(Text(f"{number}.", style="key"), option))
        numbers = "".join(str(n) for n in range(1, len(options) + 1))
        while True:
            key = keys.read_choice(numbers + "uq", prompt=_prompt(f"pick 1–{len(options)} · u undo · q quit"))
            if key == "q":
                raise Quit
            if key == "u":
                raise Undo
            if key in numbers and len(key) == 1:
                break
            hint(self.console, f"type a number from 1 to {len(options)}")
        rating, correct = grade_choice(options, right, int(key) - 1)
        if correct:
            self.console.print(Text("  ✓ right", style="good"))
        else:
            self.console.print(hanging(Text("✗", style="bad"), f"wrong: the answer is {right + 1}. {options[right]}"))
        self.commit(rating, correct)
        self.pause()

    # ---- numeric exercises

    def ask_exercise(self, shown: Shown) -> None:
        from dlquiz.session import grade_exercise, make_exercise

        self.header()
        exercise = make_exercise(shown.item, self.rng.randrange(2**32))
        self.console.print(
            Panel(Text(exercise.prompt), title=item_header(shown.item), title_align="left", border_style="cyan")
        )
        hint(self.console, exercise_footer(exercise))
        while True:
            text = keys.read_choice("", allow_text=True, prompt=_prompt("your answer · u↵ undo · q↵ quit")).strip()
            if text.lower() == "q":
                raise Quit
            if text.lower() == "u":
                raise Undo
            if text in keys.SPECIAL or not text:
                hint(self.console, "type your number, then Enter")
                continue
            rating, verdict = grade_exercise(exercise, text)
            if not getattr(verdict, "readable", True):
                hint(self.console, verdict.message)
                continue
            break
        style = "good" if verdict.correct else "bad"
        self.console.print(hanging(Text("✓" if verdict.correct else "✗", style=style), verdict.message))
        if not verdict.correct and exercise.steps:
            self.console.print(worked_steps(exercise.steps))
        self.commit(rating, verdict.correct)
        self.pause()


def worked_steps(steps) -> Table:
    """Numbered steps, each reason under its statement, wrapped lines kept indented."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="muted")
    grid.add_column(overflow="fold")
    total = len(steps)
    for number, step in enumerate(steps, 1):
        grid.add_row(f"  {number}/{total}", Text(step.step, style="bold") + Text("\n" + step.why, style="muted"))
    return grid


def exercise_footer(exercise) -> str:
    """What to type and how precise it must be."""
    from dlquiz.exercises import expected_format, tolerance_text

    return f"Type {expected_format(exercise)}; {tolerance_text(exercise)}."


def run_session(console: Console, session: Session, *, scores: bool = False, rng: random.Random | None = None) -> int:
    """Run a review or quiz session on ``console``; returns the exit code (0, or 130 after Ctrl-C)."""
    return Screen(console, session, rng).run(scores=scores)
