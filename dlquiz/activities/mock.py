"""`dlquiz mock` as an activity: questions against the clock, then self-scoring against key points.

Nothing typed is lost: the transcript is rewritten (atomically) after every line typed, every answer and
every score, so a terminal closed mid-answer, SIGTERM, or Ctrl-C keeps everything typed up to the last
Enter; :meth:`MockActivity.finish` adds the answer being typed when the interview ends. If the file
cannot be written (a full disk), the problem is reported once, the text is kept in memory, every later
change tries again, and the summary carries the text so the interface can show it.

A self-score reaches the schedule like a quiz answer (:class:`~dlquiz.activities.desk.Policy`), as a
grade from the share of key points made (:func:`dlquiz.activities.interview.rating_for`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from dlquiz.activities.compare import match_attempt
from dlquiz.activities.desk import AnswerMode, Desk, Entry, ShownCard
from dlquiz.activities.interview import MockAnswer, MockInterview, parse_covered, rating_for, transcript_markdown
from dlquiz.activities.views import MockQuestionView, MockScoreView, View
from dlquiz.activities.vocabulary import (
    Action,
    Answer,
    AnswerTimed,
    Draft,
    Event,
    Hint,
    Quit,
    Refused,
    TranscriptProblem,
    Undo,
    Undone,
)
from dlquiz.errors import UserError
from dlquiz.model import Rating
from dlquiz.writing import write_text

if TYPE_CHECKING:
    from dlquiz.activities.summaries import MockSummary


class MockActivity:
    def __init__(
        self,
        interview: MockInterview,
        path: Path,
        desk: Desk,
        *,
        clock: Callable[[], float] = time.monotonic,
        write: Callable[[Path, str], object] = write_text,
    ):
        self.interview = interview
        self.path = path
        self.desk = desk
        self.clock = clock
        self.write = write
        self.asked = 0  # questions put so far (the one on screen included)
        self.scoring = False
        self.scored = 0  # answers scored so far
        self.started = clock()
        self.quit = False
        self.problem: str | None = None
        self.written = False
        self.shown: list[ShownCard] = []
        self._ask_next()

    # ---- the interview

    def _ask_next(self) -> None:
        if self.asked < len(self.interview.items):
            item = self.interview.items[self.asked]
            self.shown.append(self.desk.show(Entry(item)))
            self.asked += 1
            self.started = self.clock()
        else:
            self.scoring = True

    def view(self) -> View | None:
        if self.quit:
            return None
        total = len(self.interview.items)
        if not self.scoring:
            item = self.interview.items[self.asked - 1]
            draft = self.interview.draft.typed if self.interview.draft else ""
            return MockQuestionView(
                self.asked, item, self.asked, total, self.interview.seconds_per_question, self.started, draft
            )
        if self.scored >= len(self.interview.answers):
            return None
        answer = self.interview.answers[self.scored]
        return MockScoreView(
            total + 1 + self.scored,
            answer.item,
            self.scored + 1,
            len(self.interview.answers),
            answer.typed,
            answer.seconds,
            answer.seconds > self.interview.seconds_per_question,
            match_attempt(answer.typed, answer.item.key_points),
            self.shown[self.scored].scheduled,
            answer.covered,
        )

    def handle(self, action: Action) -> list[Event]:
        view = self.view()
        if view is None:
            return [Refused("the interview is over")]
        if isinstance(action, Quit):
            self.quit = True
            return self._save()
        if isinstance(view, MockQuestionView):
            return self._while_asking(action)
        return self._while_scoring(action)

    def _while_asking(self, action: Action) -> list[Event]:
        item = self.interview.items[self.asked - 1]
        seconds = self.clock() - self.started
        if isinstance(action, Draft):
            self.interview.draft = MockAnswer(item, action.text, seconds) if action.text.strip() else None
            return self._save()
        if isinstance(action, Answer):
            self.interview.draft = None
            self.interview.answers.append(MockAnswer(item, action.text.strip(), seconds))
            self._ask_next()
            return [AnswerTimed(seconds, self.interview.seconds_per_question), *self._save()]
        if isinstance(action, Hint):
            return [Refused("no hints in an interview: say what you know, then an empty line")]
        if isinstance(action, Undo):
            return [Refused("nothing to undo while answering; an answer can be scored as it deserves")]
        return [Refused("type your answer; an empty line ends it")]

    def _while_scoring(self, action: Action) -> list[Event]:
        if isinstance(action, Undo):
            return self._undo_score()
        if not isinstance(action, Answer):
            return [Refused("type the numbers of the points you made, 'a' for all, or Enter for none")]
        answer = self.interview.answers[self.scored]
        try:
            covered = parse_covered(action.text, len(answer.item.key_points))
        except ValueError as exc:
            return [Refused(str(exc))]
        rating = rating_for(covered, len(answer.item.key_points))
        events, _ = self.desk.answer(
            Entry(answer.item), self.shown[self.scored], rating, AnswerMode.MOCK, rating != Rating.AGAIN
        )
        answer.covered = covered
        self.scored += 1
        return events + self._save()

    def _undo_score(self) -> list[Event]:
        if self.scored == 0:
            return [Refused("nothing to undo yet: no answer is scored")]
        done, events = self.desk.undo()
        if done is None:
            return events
        self.scored -= 1
        answer = self.interview.answers[self.scored]
        answer.covered = None
        self.shown[self.scored] = self.desk.show(Entry(answer.item))  # its state as restored, to score again
        return [Undone(done.entry.item.id, "score"), *self._save()]

    # ---- the transcript

    def _save(self) -> list[Event]:
        if not (self.interview.answers or self.interview.draft):
            return []
        try:
            self.write(self.path, transcript_markdown(self.interview))
        except (UserError, OSError) as exc:
            new = self.problem is None
            self.problem = str(exc)
            return [TranscriptProblem(self.problem)] if new else []
        self.problem = None
        self.written = True
        return []

    def finish(self) -> MockSummary:
        """Keep the answer being typed, write the transcript a last time, and report."""
        from dlquiz.activities.summaries import MockRow, MockSummary

        self.quit = True
        draft = self.interview.draft
        if draft is not None and not self.scoring:
            typed, seconds = draft.typed.strip(), self.clock() - self.started
            self.interview.answers.append(MockAnswer(draft.item, typed, seconds, cut_short=True))
            self.interview.draft = None
        self._save()
        limit = self.interview.seconds_per_question
        rows = tuple(
            MockRow(
                a.item.id,
                a.seconds,
                a.seconds > limit,
                "—" if a.covered is None else f"{len(a.covered)}/{len(a.item.key_points)}",
            )
            for a in self.interview.answers
        )
        return MockSummary(
            rows,
            self.path if self.interview.answers else None,
            self.written and self.problem is None,
            self.problem,
            transcript_markdown(self.interview) if self.problem else "",
            scheduled=sum(d.scheduled for d in self.desk.answers),
        )
