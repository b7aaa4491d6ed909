"""The one interface loop (dlquiz.ui.driver): what it keeps and what it resets between screens."""

from __future__ import annotations

import io
from dataclasses import dataclass
from types import SimpleNamespace

from rich.console import Console

from dlquiz.activities.vocabulary import Answer, Prompt
from dlquiz.ui import driver
from dlquiz.ui.console import make_console


@dataclass(frozen=True)
class FakeView:
    screen: int
    prompt: Prompt = Prompt.LINES


class FakeActivity:
    """Shows its views in turn, one per input."""

    def __init__(self, screens: list[int]):
        self.views = [FakeView(n) for n in screens]

    def view(self):
        return self.views[0] if self.views else None

    def handle(self, action):  # noqa: ARG002
        self.views.pop(0)
        return []

    def finish(self):
        return None


def test_each_new_screen_starts_at_the_top_and_the_same_screen_keeps_its_scroll(monkeypatch):
    """QA bug 2: scrolling down on mock self-scoring 1 opened self-scoring 2 at "lines 11–20 of 25"."""
    offsets: list[int] = []

    def render(screen, view, previous):  # noqa: ARG001
        offsets.append(screen.offset)

    def read(screen, view, send):  # noqa: ARG001  (the learner scrolls down before answering)
        screen.offset += 10
        return Answer("")

    fake_ui = SimpleNamespace(render=render, read=read)
    monkeypatch.setattr(driver, "_ui", lambda view: fake_ui)  # noqa: ARG005
    console = Console(file=io.StringIO(), width=80, height=24)
    assert driver.drive(console, FakeActivity([1, 1, 2, 3])) == 0
    assert offsets == [0, 10, 0, 0]  # screen 1 redrawn keeps its place; screens 2 and 3 start at the top


def _terminal_screen(width: int, height: int, monkeypatch) -> driver.Screen:
    from dlquiz.ui import keys

    monkeypatch.setattr(keys, "interactive", lambda: True)
    console = make_console(file=io.StringIO(), width=width, height=height, force_terminal=True, color_system=None)
    return driver.Screen(console)


def _score_view(item_id: str):
    from dlquiz.activities.compare import match_attempt
    from dlquiz.activities.views import MockScoreView
    from dlquiz.bank import load_bank

    item = load_bank().get(item_id)
    return MockScoreView(9, item, 1, 2, "softmax scales", 3.0, False, match_attempt("x", item.key_points), False)


def _screenful(screen: driver.Screen) -> list[str]:
    """The lines of the last clean screen (after the terminal's clear-screen code)."""
    return screen.console.file.getvalue().split("\x1b[2J")[-1].split("\x1b[H")[-1].splitlines()


def test_self_scoring_fits_a_short_narrow_terminal_with_its_title_on_top(monkeypatch):
    """Driving bug 2 at 50×20: the wrapped title and the key points pushed the top of the screen off."""
    from dlquiz.ui.mock import render_score_view

    for width, height in ((50, 20), (80, 24)):
        screen = _terminal_screen(width, height, monkeypatch)
        render_score_view(screen, _score_view("dropout-vs-random-forest"))
        lines = _screenful(screen)
        assert len(lines) + 1 <= height, (width, height, len(lines))  # + the prompt line
        assert lines[0].startswith("Self-scoring 1 of 2") and all(len(line) <= width for line in lines)
        assert screen.pageable  # the model answer is longer than either screen
    footed = any(line.startswith("   1. Both average") for line in lines)  # 80×24: the points stay below
    assert footed


def test_a_wrapped_progress_line_counts_as_two():
    from rich.text import Text

    console = Console(file=io.StringIO(), width=20, height=10)
    used = driver.Screen(console).fresh(Text("Self-scoring 1 of 2: which key points?"))
    assert used == 2


# --------------------------------------------------------------------------- narrow terminals (friction 18)

QUESTION_PROMPT = "Enter answer · type an attempt · ? hint · u↵ undo · q↵ quit"


def test_a_prompt_that_fits_stays_on_one_line():
    assert driver.split_prompt(QUESTION_PROMPT, 80) == ([], QUESTION_PROMPT)


def test_a_long_prompt_breaks_between_its_parts_never_inside_one():
    for width in (30, 40, 50, 60):
        head, last = driver.split_prompt(QUESTION_PROMPT, width)
        lines = [f"  {row}" for row in head] + [f"  {last} › "]
        assert all(len(line) < width for line in lines), (width, lines)
        assert " · ".join([*head, last]) == QUESTION_PROMPT  # every part, in order, none cut
    at_50 = (["Enter answer · type an attempt · ? hint"], "u↵ undo · q↵ quit")
    assert driver.split_prompt(QUESTION_PROMPT, 50) == at_50


def test_a_long_prompt_s_first_lines_are_not_repeated_by_a_message_about_a_key():
    out = io.StringIO()
    screen = driver.Screen(Console(file=out, width=50, color_system=None))
    screen.terminal = True  # as in a terminal: a message replaces the prompt line only
    screen.prompt(QUESTION_PROMPT)
    screen.message("'x' means nothing here")
    screen.prompt(QUESTION_PROMPT)
    assert out.getvalue().count("Enter answer · type an attempt") == 1
    screen.print("the next screen")
    screen.prompt(QUESTION_PROMPT)
    assert out.getvalue().count("Enter answer · type an attempt") == 2  # below new output, shown again


def test_a_narrow_card_title_leaves_out_its_last_parts_instead_of_cutting_them():
    from factories import item

    from dlquiz.ui.items import question_panel

    card = item("what-is-deep-learning")  # topic basics, difficulty easy
    full = "what-is-deep-learning  ·  basics  ·  easy"
    cases = [(80, full), (47, full), (46, "what-is-deep-learning  ·  basics"), (30, "what-is-deep-learning")]
    for width, title in cases:
        out = io.StringIO()
        Console(file=out, width=width, color_system=None).print(question_panel(card))
        top = out.getvalue().splitlines()[0]
        assert len(top) == width and top.startswith(f"╭─ {title} ─"), top  # whole parts, then the rule
        assert set(top[len(title) + 4 :]) <= {"─", "╮"}, top


def test_marks_show_as_brackets_where_output_has_no_styles():
    from dlquiz.activities.compare import Span
    from dlquiz.ui.screen import marked

    spans = [Span(9, 16), Span(0, 4)]  # in any order
    assert marked("Adam and RMSProp", spans, brackets=True).plain == "[Adam] and [RMSProp]"
    styled = marked("Adam and RMSProp", spans)
    assert styled.plain == "Adam and RMSProp" and len(styled.spans) == 2  # in a terminal: the style alone
