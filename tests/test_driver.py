"""The one interface loop (dlquiz.ui.driver): what it keeps and what it resets between screens."""

from __future__ import annotations

import io
from dataclasses import dataclass
from types import SimpleNamespace

from rich.console import Console

from dlquiz.activities.vocabulary import Answer, Prompt
from dlquiz.ui import driver


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
