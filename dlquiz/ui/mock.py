"""How a mock interview looks: questions under a live clock, then your answers beside the model ones.

In a terminal the top line stays put (a scroll region below it) and shows the time left, once a second,
while you type; when the time is up it turns to reverse video and the terminal bell rings once. Every
line you finish is handed to the interview at once, so it is in the transcript even if the session is
cut short; Ctrl-C or a termination signal also keeps the line being edited.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlquiz.activities.interview import clock_text
from dlquiz.activities.summaries import MockSummary
from dlquiz.activities.views import MockQuestionView, MockScoreView
from dlquiz.activities.vocabulary import Action, Answer, AnswerTimed, Draft, Event, Quit
from dlquiz.ui import keys
from dlquiz.ui.items import question_panel
from dlquiz.ui.screen import fitted, indented, marked, note, plural
from dlquiz.wording import noun

SIDE_BY_SIDE = 110  # narrower than this, the two answers are stacked


def status_text(view: MockQuestionView, elapsed: float) -> tuple[str, bool]:
    """The clock line and whether the time is up."""
    left = view.limit_seconds - elapsed
    head = f"Question {view.number} of {view.total}"
    if left > 0:
        return f"{head} · {clock_text(left)} left", False
    return f"{head} · TIME IS UP, {clock_text(-left)} over: finish, then an empty line", True


class Countdown:
    """The live clock on the top line of the terminal, kept by a thread while an answer is typed."""

    def __init__(self, view: MockQuestionView, clock: Callable[[], float] = time.monotonic):
        self.view = view
        self.clock = clock
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.rang = False
        self.size = shutil.get_terminal_size()

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError):
            os.write(1, text.encode())

    def _region(self) -> str:
        """The escape codes that keep the top line still (set again when the window changes size)."""
        self.size = shutil.get_terminal_size()
        return f"\x1b7\x1b[2;{self.size.lines}r\x1b8"

    def _draw(self) -> None:
        text, up = status_text(self.view, self.clock() - self.view.started)
        region = self._region() if shutil.get_terminal_size() != self.size else ""
        width = self.size.columns
        style = "\x1b[7m" if up else "\x1b[1m"
        bell = "\a" if up and not self.rang else ""
        self.rang = self.rang or up
        self._write(f"{region}\x1b7\x1b[1;1H\x1b[2K{style}{text[: width - 1]}\x1b[0m\x1b8{bell}")

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self._draw()

    def __enter__(self) -> Countdown:
        self._write(self._region())  # the top line stays; the rest scrolls under it
        self._draw()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(1)
        self._write("\x1b7\x1b[r\x1b8")  # the whole screen scrolls again


# --------------------------------------------------------------------------- questions


def render(screen, view: MockQuestionView | MockScoreView, previous) -> None:
    if view == previous or (previous is not None and getattr(previous, "screen", None) == view.screen):
        return
    if isinstance(view, MockScoreView):
        render_score_view(screen, view)
        return
    limit = clock_text(view.limit_seconds)
    screen.fresh(Text(f"Question {view.number} of {view.total} · {limit} to answer", style="heading"))
    screen.print(question_panel(view.item))
    screen.print(
        Text("Answer as you would aloud; an empty line ends your answer (q↵ alone ends the interview).", style="muted")
    )


def read(screen, view: MockQuestionView, send: Callable[[Action], None]) -> Action:
    clock = Countdown(view) if screen.terminal else contextlib.nullcontext()
    with clock:
        return read_answer(view, send)


def read_answer(view: MockQuestionView, send: Callable[[Action], None]) -> Action:
    """Lines until an empty one; each finished line is sent as a Draft, so nothing typed is lost."""
    lines = view.draft.splitlines() if view.draft else []
    while True:
        try:
            line = keys.read_text(prompt="  > ")
        except EOFError:
            if lines:
                return Answer("\n".join(lines))
            raise
        except (KeyboardInterrupt, keys.Terminated):
            partial = keys.line_buffer() if keys.interactive() else ""
            if partial.strip():
                send(Draft("\n".join([*lines, partial])))
            raise
        command = keys.WORDS.get(line.strip().lower())
        if command is not None and type(command) in view.accepts:
            if isinstance(command, Quit):
                return command
            send(command)
            continue
        if not line.strip():
            return Answer("\n".join(lines))
        lines.append(line)
        send(Draft("\n".join(lines)))


def render_event(screen, event: Event) -> None:
    if isinstance(event, AnswerTimed):
        over = event.seconds - event.limit
        text = clock_text(event.seconds) + (f", {clock_text(over)} over time" if over > 0 else "")
        screen.note(Text(f"⏱ that answer took {text}", style="bad" if over > 0 else "muted"))


# --------------------------------------------------------------------------- self-scoring


def _answers(console: Console, view: MockScoreView) -> RenderableType:
    typed = marked(view.typed, view.match.spans) if view.typed else Text("(no answer)", style="muted")
    yours = Panel(typed, title="Your answer", title_align="left", border_style="yellow")
    model = Panel(Markdown(view.item.answer), title="Model answer", title_align="left", border_style="green")
    if console.width >= SIDE_BY_SIDE:
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        grid.add_row(yours, model)
        return grid
    return Group(yours, model)


def points_table(view: MockScoreView) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=5, justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for number, point in enumerate(view.match.points, 1):
        mark = Text(f"{number}.", style="key") + (Text(" ✓", style="good") if point.touched else Text("  "))
        grid.add_row(mark, marked(point.text, point.spans))
    return grid


def render_score_view(screen, view: MockScoreView) -> None:
    title = Text(f"Self-scoring {view.number} of {view.total}: which key points did you make?", style="heading")
    points: list[RenderableType] = [Text(""), points_table(view)]
    foot: list[RenderableType] = []
    touched = view.match.touched()
    if touched:
        which = f"{noun(len(touched), 'point')} {' '.join(map(str, touched))}"
        foot.append(indented(f"your answer uses the words of {which} (✓); score what you actually said"))
    foot.append(indented("this score counts toward your schedule" if view.scheduled else "practice: not scheduled"))
    if screen.terminal:
        answers = [_answers(screen.console, view)]
        fitted(screen, title, [question_panel(view.item)], answers, foot, more="↓ more · ↑ back", movable=points)
        return
    screen.fresh(title)
    for thing in (question_panel(view.item), _answers(screen.console, view), *points, *foot):
        screen.print(thing)


def repaint(screen, view: MockScoreView) -> None:
    render_score_view(screen, view)


def prompt_text(view) -> str:  # noqa: ARG001
    return "points made (e.g. 1 3 · a all · Enter none)"


def key_help(view) -> str:  # noqa: ARG001
    return "type the numbers of the points you made, 'a' for all, or Enter for none"


# --------------------------------------------------------------------------- the end


def summary_table(summary: MockSummary) -> Table:
    table = Table(title="Mock interview", title_justify="left", show_edge=False)
    table.add_column("#", justify="right")
    table.add_column("id", style="id", overflow="fold")
    table.add_column("time", justify="right")
    table.add_column("points", justify="right")
    for number, row in enumerate(summary.rows, 1):
        table.add_row(
            str(number), row.item_id, Text(clock_text(row.seconds), style="bad" if row.over else ""), row.points
        )
    return table


def render_mock_summary(console: Console, summary: MockSummary) -> None:
    console.print()
    if not summary.rows:
        console.print(Text("No question answered; nothing saved.", style="muted"))
        return
    console.print(summary_table(summary))
    if summary.saved:
        console.print(Text(f"Transcript saved to {summary.path}", style="muted"))
    else:
        console.print(Text(f"Could not save the transcript to {summary.path}: {summary.problem}", style="bad"))
        console.print(Text("Here it is, so nothing is lost:", style="bad"))
        console.print(Text(summary.transcript), soft_wrap=True)
    if summary.scheduled:
        note(console, f"{plural(summary.scheduled, 'score')} counted toward your schedule")
