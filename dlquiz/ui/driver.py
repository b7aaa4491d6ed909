"""The one interface loop: it drives every activity (review, quiz, exercise, mock, show --steps).

It asks the activity for its view, renders it (a new card gets a clean screen in a terminal and a rule
when piped; the same card is added to, and nothing is redrawn when nothing changed), reads one input
through the key map of :mod:`dlquiz.ui.keys`, hands the action to the activity and shows the events.

It is also the one place for how a session ends: the end of input or a closed stdin ends it (exit 0),
Ctrl-C ends it with 130, and SIGTERM, SIGHUP and SIGQUIT end it like Ctrl-C (the activity finishes, so a
mock interview writes its transcript; the terminal is restored) with 128 + the signal's number. While
the activity finishes, further signals wait. A closed stdout is refused before anything starts; a stdout
that fails mid-session (a full disk) ends the session with one line on stderr, every answer kept.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.text import Text

from dlquiz.activities.views import ChoiceView, ExerciseView, FlashcardView, MockQuestionView, MockScoreView, StepsView
from dlquiz.activities.vocabulary import (
    Action,
    Activity,
    Event,
    ExtraRequested,
    HintShown,
    Marked,
    MarkKind,
    Next,
    Prompt,
    Refused,
    Saved,
    StepShown,
    TranscriptProblem,
    Undone,
)
from dlquiz.errors import UserError
from dlquiz.ui import keys
from dlquiz.ui.keys import Terminated
from dlquiz.ui.screen import flow

if TYPE_CHECKING:
    from dlquiz.activities.summaries import Summary

RATING_STYLES = {1: "bad", 2: "medium", 3: "good", 4: "key"}
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name))


def split_prompt(text: str, width: int) -> tuple[list[str], str]:
    """A prompt ``a · b · c`` that fits ``width`` as it is: ([], text); else its parts packed into lines as
    full as fit (as the key lines are, by :func:`flow`), the last of them for the prompt line itself."""
    rows = [line.plain[2:] for line in flow([Text(part) for part in text.split(" · ")], width - 4, gap=" · ")]
    return rows[:-1], rows[-1]  # width − 4: room for " › " and the cursor


class Screen:
    """The console and what the driver knows about what is on it."""

    def __init__(self, console: Console):
        self.console = console
        self.terminal = keys.interactive() and console.is_terminal
        self.notices: list[RenderableType] = []  # repeated under the progress line of the next clean screen
        self.offset = 0  # the first line of a paged answer
        self.page_rows = 0  # how many lines of it are shown
        self.pageable = False
        self.at_prompt = False  # a key prompt is the last thing on the screen (no newline yet)
        self.pending_message: Text | None = None  # a message about the last key, for the next prompt
        self.dirty = False  # something was printed under the view (code, a demo): show its keys again
        self.prompt_cells = 0  # the width of the last prompt shown
        self.head_shown: list[str] = []  # a long prompt's first parts, on the lines above the prompt now
        self.prompt_line = ""  # the last prompt's line as shown, for the line editor to redraw

    def print(self, *things: RenderableType, **kwargs) -> None:
        self.end_line()
        self.console.print(*things, **kwargs)

    def end_line(self) -> None:
        self.head_shown = []  # whatever comes next goes below a long prompt's lines
        if self.at_prompt:
            keys.write("\n")
            self.at_prompt = False

    def fresh(self, progress: Text) -> int:
        """Start a clean screen: the progress line and the notices kept for it; returns the lines used."""
        self.end_line()
        if self.terminal:
            self.console.clear()
        else:
            self.console.rule(style="muted")
        self.console.print(progress)
        used = len(self.console.render_lines(progress, self.console.options, pad=False))  # 2 when it wraps
        if self.terminal:
            for notice in self.notices:
                self.console.print(notice)
                used += len(self.console.render_lines(notice, self.console.options, pad=False))
        self.notices = []
        return used

    def note(self, text: Text) -> None:
        """A message about what just happened: printed now, and again on the next clean screen."""
        block = Padding(text, (0, 0, 0, 2), expand=False)
        self.print(block)
        self.notices.append(block)

    def message(self, text: str, style: str = "muted") -> None:
        """A message about the last key: on the prompt line in a terminal (nothing else moves), else a line."""
        if self.terminal and self.at_prompt:
            keys.write("\r\x1b[2K")
            self.at_prompt = False
            room = self.console.width - self.prompt_cells - 2
            self.pending_message = Text(text if len(text) <= room else text[: max(0, room - 1)] + "…", style=style)
            return
        self.print(Padding(Text(text, style=style), (0, 0, 0, 2), expand=False))

    def prompt(self, text: str) -> None:
        """Show a key prompt (and the message about the last key, on the same line).

        A prompt wider than the terminal is not left to the terminal to cut mid-word: its leading
        ``a · b · …`` parts go on lines above, once, and the prompt line keeps the last part.
        """
        shown = self.head_shown  # still on the lines above when only a message about a key came between
        self.end_line()
        head, last = split_prompt(text, self.console.width)
        if head and shown != head:
            for row in head:
                self.console.print(Text(f"  {row}"))
        self.head_shown = head
        self.prompt_line = f"  {last} › "
        line = Text(self.prompt_line)
        self.prompt_cells = line.cell_len
        if self.pending_message is not None:
            line.append(self.pending_message.plain + " ", style=self.pending_message.style)
            self.pending_message = None
        self.console.print(line, end="", soft_wrap=True)
        keys.write("")
        self.at_prompt = True


def _ui(view: object) -> ModuleType:
    """The module that renders this kind of view and reads its input, imported when first needed."""
    if isinstance(view, (FlashcardView, ChoiceView)):
        from dlquiz.ui import review

        return review
    if isinstance(view, ExerciseView):
        from dlquiz.ui import exercise

        return exercise
    if isinstance(view, StepsView):
        from dlquiz.ui import steps

        return steps
    if isinstance(view, (MockQuestionView, MockScoreView)):
        from dlquiz.ui import mock

        return mock
    raise TypeError(f"no screen for {type(view).__name__}")


# --------------------------------------------------------------------------- reading an action


def read_action(screen: Screen, view, send: Callable[[Action], None]) -> Action:
    """Read keys until one means something on this view; paging and wrong keys are handled here."""
    ui = _ui(view)
    if view.prompt is Prompt.LINES:
        return ui.read(screen, view, send)
    if view.prompt is Prompt.KEY and Next in view.accepts and not screen.terminal:
        return Next()  # piped input: a verdict needs no key to go on
    while True:
        key, text = _read_input(screen, view.prompt, ui.prompt_text(view))
        if key is not None and screen.pageable and key in keys.SCROLL:
            screen.offset += keys.SCROLL[key] * max(1, screen.page_rows - 1)
            ui.repaint(screen, view)
            continue
        if text is not None:
            action = keys.action_for_text(text, view.accepts)
        else:
            action = keys.action_for_key(key or keys.UNKNOWN, view.accepts)
        if action is not None:
            if screen.terminal and key is not None and view.prompt is Prompt.KEY:
                keys.write(key if len(key) == 1 and key != " " else "")  # echoed; the line ends with the next output
            return action
        typed = (text or "").strip() if text is not None else ("" if key in keys.SPECIAL else key)
        screen.message((f"'{typed}' means nothing here; " if typed else "") + ui.key_help(view))


def _read_input(screen: Screen, prompt: Prompt, text: str) -> tuple[str | None, str | None]:
    """(key, None) for a single key, (None, line) for a typed line."""
    if not screen.terminal:
        screen.prompt(text)
        line = keys.read_line()
        keys.write(line + "\n")
        screen.at_prompt = False
        return (line.strip() or keys.ENTER, None) if prompt is Prompt.KEY else (None, line)
    if prompt is Prompt.TEXT:
        screen.end_line()
        return None, keys.read_text(prompt=f"  {text} › ")
    screen.prompt(text)
    key = keys.read_key()
    if prompt is Prompt.KEY:
        return key, None
    if key in (keys.ENTER, " ", "?"):
        keys.write(("?" if key == "?" else "") + "\n")
        screen.at_prompt = False
        return None, "?" if key == "?" else ""
    if len(key) == 1 and key.isprintable():
        screen.at_prompt = False
        keys.write("\r\x1b[2K")  # the line editor draws the prompt itself, so a redraw (Backspace) keeps it
        return None, keys.read_text(key, prompt=screen.prompt_line)
    return key, None


# --------------------------------------------------------------------------- events


def show_events(screen: Screen, events: list[Event]) -> None:
    for event in events:
        if isinstance(event, Saved):
            if event.scheduled:  # practice is said once, on the progress line
                saved = Text(f"saved {event.item_id}: ", style="muted")
                saved.append(event.label, style=RATING_STYLES[event.rating])
                screen.note(saved)
        elif isinstance(event, Undone):
            screen.note(Text(f"undid {event.what} on {event.item_id}: it is back as it was", style="muted"))
        elif isinstance(event, Marked):
            screen.note(Text(marked_text(event), style="bad" if event.kind is MarkKind.LEECH else "muted"))
        elif isinstance(event, Refused):
            screen.message(event.message)
        elif isinstance(event, HintShown):
            screen.message("Hint: " + event.text, "heading")
        elif isinstance(event, TranscriptProblem):
            screen.print(Text("  " + event.message, style="bad"))
        elif isinstance(event, ExtraRequested):
            from dlquiz.ui.review import render_extra

            render_extra(screen, event)
        elif isinstance(event, StepShown):
            from dlquiz.ui.steps import render_step

            render_step(screen, event)
        else:
            from dlquiz.ui.mock import render_event

            render_event(screen, event)


def marked_text(event: Marked) -> str:
    back = f"'dlquiz unsuspend {event.item_id}' brings it back"
    if event.kind is MarkKind.LEECH:
        return f"{event.item_id} has lapsed {event.lapses} times: suspended as a leech; {back}"
    if event.kind is MarkKind.SUSPENDED:
        return f"suspended {event.item_id}: out of reviews until you unsuspend it (u undoes; {back})"
    return f"buried {event.item_id}: back at the next study day (u undoes)"


# --------------------------------------------------------------------------- the loop


@contextlib.contextmanager
def _handling(signums: tuple[int, ...], handler: Callable[[int, Any], None]) -> Iterator[None]:
    """``handler`` for these signals while the block runs, then the previous handlers back (in the main thread
    only: elsewhere the signals are left alone)."""
    previous = {}
    try:
        for signum in signums:
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread
        previous = {}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _signals_end_session() -> contextlib.AbstractContextManager[None]:
    """SIGTERM, SIGHUP and SIGQUIT raise Terminated in the main thread, as SIGINT raises KeyboardInterrupt."""

    def stop(signum: int, _frame: Any) -> None:
        raise Terminated(signum)

    return _handling(SIGNALS, stop)


def _signals_wait() -> contextlib.AbstractContextManager[None]:
    """While the activity finishes (writing a transcript), signals wait instead of cutting it short."""
    caught: list[int] = []
    return _handling((signal.SIGINT, *SIGNALS), lambda signum, _frame: caught.append(signum))


def drive(console: Console, activity: Activity) -> int:
    """Run ``activity`` to its end on ``console``; returns the exit status (0, 130, or 128 + a signal)."""
    if sys.stdout is None or getattr(sys.stdout, "closed", False):
        raise UserError("standard output is closed, so there is nowhere to show the session")
    screen = Screen(console)
    code = 0
    failed: OSError | None = None

    def send(action: Action) -> None:
        show_events(screen, activity.handle(action))

    with _signals_end_session():
        try:
            try:
                previous = None
                while (view := activity.view()) is not None:
                    if previous is None or getattr(previous, "screen", None) != view.screen:
                        screen.offset = 0  # every new screen starts at its top, whatever was scrolled before
                    _ui(view).render(screen, view, previous)
                    previous = view
                    send(read_action(screen, view, send))
            except EOFError:
                screen.end_line()
            except KeyboardInterrupt:
                code = 130
            except Terminated as stop:
                code = 128 + stop.signum
            except OSError as exc:  # stdout failed (a full disk, a terminal gone)
                failed = exc
        finally:
            with _signals_wait():
                summary = activity.finish()
    try:
        if code == 130:
            screen.end_line()
            console.print()
        render_summary(screen, summary)
    except OSError as exc:
        failed = failed or exc
    if failed is not None and code == 0:
        _silence_stdout()
        raise UserError(f"cannot write to standard output ({failed.strerror or failed}); every answer given is saved")
    if failed is not None:
        _silence_stdout()
    return code


def _silence_stdout() -> None:
    """Point a broken stdout at /dev/null, so the interpreter's own flush at exit cannot fail too."""
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def render_summary(screen: Screen, summary: Summary) -> None:
    from dlquiz.activities.summaries import CardSummary, MockSummary

    screen.end_line()
    if isinstance(summary, CardSummary):
        from dlquiz.ui.review import render_card_summary

        render_card_summary(screen.console, summary)
    elif isinstance(summary, MockSummary):
        from dlquiz.ui.mock import render_mock_summary

        render_mock_summary(screen.console, summary)
