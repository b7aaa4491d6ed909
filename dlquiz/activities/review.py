"""`dlquiz review`: the daily loop, in the order Anki's v3 scheduler shows cards.

After every answer the queue is read again from the state file (:func:`dlquiz.activities.queue.queue_at`):
learning cards past their due instant first, then review cards due today, then new cards up to what is
left of today's limit, and learning cards due within the learn-ahead window only when nothing else is
left. Reading it afresh keeps it right when time passes during a session and when another session
answers, suspends or introduces cards meanwhile.

Options: only some items (``--topic``/``--tag``/``--difficulty``), at most ``limit`` cards this session
(their learning repeats still come back, so nothing is left half-learnt), no new cards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from dlquiz.activities.cards import CardSession
from dlquiz.activities.desk import AnswerMode, Desk, Entry, Policy
from dlquiz.activities.queue import Group, Queue, queue_at, reviewable_from_ms
from dlquiz.activities.views import Progress
from dlquiz.activities.vocabulary import SessionKind
from dlquiz.model import CardKind, Item
from dlquiz.scheduler import day_start_ms, load_settings, now_ms
from dlquiz.store import Store

if TYPE_CHECKING:
    from dlquiz.activities.summaries import CardSummary


def cap(queue: Queue, seen: set[str], limit: int) -> Queue:
    """The queue of a session limited to ``limit`` cards: the cards already seen, then the first others
    in the order they would be shown."""
    room = max(0, limit - len(seen))
    groups = {}
    for group in Group:
        kept = []
        for qid in queue.ids(group):
            if qid in seen:
                kept.append(qid)
            elif room > 0 and group is not Group.LATER:
                kept.append(qid)
                room -= 1
        groups[group] = tuple(kept)
    return Queue(groups)


class ReviewActivity(CardSession):
    kind = SessionKind.REVIEW

    def __init__(self, desk: Desk, items: Sequence[Item], *, limit: int | None = None, new_cards: bool = True):
        super().__init__(desk)
        self.items = list(items)
        self.by_id = {item.id: item for item in self.items}
        self.limit = limit
        self.new_cards = new_cards
        self.seen: set[str] = set()
        self.empty_at_start: bool | None = None

    def queue(self) -> Queue:
        queue = self.whole_queue()
        return cap(queue, self.seen, self.limit) if self.limit is not None else queue

    def whole_queue(self) -> Queue:
        """What a review would offer now without this session's -n."""
        store, settings = self.desk.store, self.desk.settings
        at = self.desk.clock()
        allowance = 0
        if self.new_cards:
            introduced = store.new_cards_since(day_start_ms(at, settings.rollover_hour))
            allowance = settings.new_per_day - introduced
        return queue_at(self.items, store.cards(), store.marks(), settings, at, allowance)

    def pull(self) -> Entry | None:
        qid = self.queue().next_id()
        if self.empty_at_start is None:
            self.empty_at_start = qid is None
        if qid is None:
            return None
        self.seen.add(qid)
        return Entry(self.by_id[qid])

    def count(self, entry: Entry) -> Progress:
        queue = self.queue()
        position = len(self.desk.answers) + self.desk.skipped + 1
        waiting = queue.waiting
        total = position - 1 + queue.due + queue.new + waiting + (queue.group_of(entry.item.id) is None)
        return Progress(self.kind, position, total, due=queue.due, new=queue.new, waiting=waiting)

    def early_ms(self, entry: Entry) -> int | None:
        card = self.desk.store.card(entry.item.id).state
        if card.new or card.due_ms is None or card.state == CardKind.REVIEW:
            return None
        early = card.due_ms - self.desk.clock()
        return early if early > 0 else None

    def mode(self, entry: Entry) -> AnswerMode:  # noqa: ARG002
        return AnswerMode.REVIEW

    def finish(self) -> CardSummary:
        if self.empty_at_start is None:
            self.view()  # nothing was asked yet: find out whether there was anything at all
        queue = self.queue()
        left = {qid for group in Group for qid in queue.ids(group)}
        if self.step is not None and not self.step.committed:
            left.add(self.step.entry.item.id)
        store, settings = self.desk.store, self.desk.settings
        at = self.desk.clock()
        introduced = store.new_cards_since(day_start_ms(at, settings.rollover_hour))
        next_ms, new_off, beyond_limit = None, False, 0
        if queue.next_id() is None and self.limit is not None:  # -n was reached: more may be ready now
            whole = self.whole_queue()
            beyond_limit = whole.due + whole.new
        if queue.next_id() is None and not beyond_limit:
            cards, marks = store.cards(), store.marks()
            if settings.new_per_day > 0:  # new cards wait for tomorrow's allowance
                new_wait = self.new_cards and introduced >= settings.new_per_day
            else:  # no allowance ever comes: say so if unseen cards wait (the queue with room for all of them)
                new_wait = False
                new_off = self.new_cards and queue_at(self.items, cards, marks, settings, at, len(self.items)).new > 0
            next_ms = reviewable_from_ms(self.items, cards, marks, settings, at, new_wait)
        held_back = 0  # --no-new: the new cards today's limit would have let in
        if not self.new_cards:
            allowance = settings.new_per_day - introduced
            held_back = queue_at(self.items, store.cards(), store.marks(), settings, at, allowance).new
        from dlquiz.implement.schedule import due_count

        return self.summary(
            left=len(left),
            stopped=bool(left) and queue.next_id() is not None,
            empty_at_start=bool(self.empty_at_start),
            next_ms=next_ms,
            new_held_back=held_back,
            coding_due=due_count(store, at),
            new_off=new_off,
            beyond_limit=beyond_limit,
        )


def start_review(
    store: Store,
    items: Sequence[Item],
    *,
    limit: int | None = None,
    new_cards: bool = True,
    clock: Callable[[], int] = now_ms,
) -> ReviewActivity:
    """A review of ``items`` (the whole bank, or a filtered part of it)."""
    desk = Desk(store, load_settings(store.settings()), Policy.EVERY, clock)
    return ReviewActivity(desk, items, limit=limit, new_cards=new_cards)
