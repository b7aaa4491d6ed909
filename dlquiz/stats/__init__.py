"""What ``dlquiz stats`` reports, computed from the state file and the bank. Nothing here prints.

Definitions (the help text of ``dlquiz stats`` repeats them):

- **Due now**: learning cards whose time has come and review cards due today (by study day); **new
  today**: new cards today's limit still lets in.
- **Forecast**: per study day, the cards due that day (overdue ones count today) and the new cards the
  daily limit will introduce.
- **True retention** (as Anki's statistics define it): of the answers given in the last 30 study days to
  cards in the review state, the share not rated Again; **young** cards had been scheduled for less than
  21 days, **mature** ones for 21 days or more. A card is mature when its current interval is ≥ 21 days.
- **Recall**: FSRS's probability of recalling a card (its retrievability), averaged over a topic's items,
  an item never studied counting as 0; **on the interview day** it is the recall that day if nothing more
  were studied.
- **Leech**: a card forgotten 8 times or more after it was learned (Anki's threshold).
- **Streak**: study days in a row with at least one answer, ending today (or yesterday, until today
  ends).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from dlquiz.model import Bank, CardKind, CardState
from dlquiz.settings import load_settings
from dlquiz.stats.days import longest_streak, streak_length, study_date, study_day_number
from dlquiz.stats.log import NO_ANSWERS, answer_count, day_totals, review_answers_since
from dlquiz.stats.plan import Plan, make_plan
from dlquiz.stats.recall import recall_on
from dlquiz.store import Store

__all__ = ["Stats", "compute_stats", "streak_length", "study_day_number"]

FORECAST_DAYS = 30
HISTORY_DAYS = 371  # 53 weeks: a full year of the calendar heatmap
RETENTION_DAYS = 30
MATURE_DAYS = 21  # Anki's line between young and mature: the card's interval, in days
LEECH_LAPSES = 8  # Anki's default leech threshold


@dataclass(frozen=True)
class Retention:
    answers: int
    recalled: int

    @property
    def rate(self) -> float | None:
        return self.recalled / self.answers if self.answers else None


@dataclass(frozen=True)
class RetentionTable:
    young: Retention
    mature: Retention

    @property
    def total(self) -> Retention:
        return Retention(self.young.answers + self.mature.answers, self.young.recalled + self.mature.recalled)


@dataclass(frozen=True)
class TopicStanding:
    topic: str
    items: int
    studied: int
    mature: int
    lapses: int
    leeches: int
    recall_now: float
    recall_interview: float | None
    retention: RetentionTable
    command: str  # the command that studies this topic


@dataclass(frozen=True)
class DayActivity:
    day: date
    answers: int
    minutes: float


@dataclass(frozen=True)
class ForecastDay:
    day: date
    due: int
    new: int


@dataclass(frozen=True)
class Interview:
    date: date
    recall: float  # predicted share of the bank recalled that day, if nothing more were studied
    plan: Plan


@dataclass(frozen=True)
class Coding:
    exercises: int
    passed: int  # passed at their last sitting
    due: int  # due now: `dlquiz implement --next` offers them


@dataclass(frozen=True)
class Stats:
    at: datetime
    today: date
    items: int
    counts: dict[str, int]  # the bank's items by what their card is: new, learning, review, relearning
    due_now: int
    new_today: int
    forecast: list[ForecastDay]
    answers: int
    answers_today: int
    minutes_today: float
    streak: int
    longest_streak: int  # within the history window
    history: list[DayActivity]  # every study day of the window, oldest first, days without answers included
    retention: RetentionTable
    recall_now: float
    interview: Interview | None
    interview_passed: date | None  # the configured interview date, when it has gone by
    topics: list[TopicStanding]  # weakest first
    suspended: int  # suspended cards (counted in their state too); reviews leave them out
    coding: Coding  # the coding exercises of `dlquiz implement`

    def to_dict(self) -> dict:
        """Plain data for ``--json``: dates and times as ISO strings, rates included."""

        def plain(value):
            if isinstance(value, (date, datetime)):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        data["retention"] = _retention_dict(self.retention)
        for topic, standing in zip(data["topics"], self.topics, strict=True):
            topic["retention"] = _retention_dict(standing.retention)
        return data


def _retention_dict(table: RetentionTable) -> dict:
    return {
        name: {"answers": r.answers, "recalled": r.recalled, "rate": r.rate}
        for name, r in (("young", table.young), ("mature", table.mature), ("total", table.total))
    }


def _study_command(topic: str, due: int, unseen: int, new_today: int) -> str:
    """The command that studies ``topic`` now: a review when it has cards due or new cards today's limit
    lets in, else a quiz (practice: it neither schedules nor spends tomorrow's new cards)."""
    if due or (unseen and new_today):
        return f"dlquiz review --topic {topic}"
    return f"dlquiz quiz --topic {topic}"


def _coding(store: Store, at_ms: int) -> Coding:
    from dlquiz.implement.schedule import statuses

    found = statuses(store, at_ms)
    return Coding(len(found), sum(s.result == "passed" for s in found), sum(s.due for s in found))


def _interval_days(card: CardState, rollover: int) -> int:
    """The card's current interval in study days (0 unless it is in the review state)."""
    if card.state != CardKind.REVIEW or card.due_ms is None or card.last_review_ms is None:
        return 0
    return study_day_number(card.due_ms, rollover) - study_day_number(card.last_review_ms, rollover)


def _retention(answers) -> RetentionTable:
    young = [a for a in answers if a.interval_days < MATURE_DAYS]
    mature = [a for a in answers if a.interval_days >= MATURE_DAYS]
    return RetentionTable(
        Retention(len(young), sum(a.rating > 1 for a in young)),
        Retention(len(mature), sum(a.rating > 1 for a in mature)),
    )


def compute_stats(store: Store, bank: Bank, at_ms: int | None = None, interview: date | None = None) -> Stats:
    """Every figure of ``dlquiz stats`` at the moment ``at_ms`` (now by default).

    ``interview`` overrides the configured interview date (``stats --on DATE``).
    """
    from dlquiz.scheduler import is_due, now_ms, study_day_start_ms

    at = now_ms() if at_ms is None else at_ms
    settings = load_settings(store.settings())
    rollover = settings.rollover_hour
    interview = interview or settings.interview_date
    today = study_day_number(at, rollover)
    passed = None
    if interview is not None and interview.toordinal() < today:  # the day has gone: nothing to predict
        passed, interview = interview, None
    cards = {qid: stored.state for qid, stored in store.cards().items()}
    marks = store.marks()
    suspended = {qid for qid, mark in marks.items() if mark.suspended}
    hidden_now = {qid for qid, mark in marks.items() if mark.hidden(at)}

    def day_start(day: int) -> int:
        return study_day_start_ms(day, rollover)

    counts = {kind.label: 0 for kind in CardKind}
    due_per_day = [0] * FORECAST_DAYS
    due_now = 0
    unseen = 0  # new cards that reviews will introduce (suspended ones wait)
    topic_due: dict[str, int] = {}
    topic_unseen: dict[str, int] = {}
    for item in bank:
        card = cards.get(item.id)
        if card is None or card.new:
            counts[CardKind.NEW.label] += 1
            if item.id not in suspended:
                unseen += 1
                topic_unseen[item.topic] = topic_unseen.get(item.topic, 0) + 1
            continue
        counts[CardKind(card.state).label] += 1
        if item.id in suspended:
            continue
        if item.id not in hidden_now and is_due(card, at, rollover):
            due_now += 1
            topic_due[item.topic] = topic_due.get(item.topic, 0) + 1
        if card.due_ms is not None:
            offset = max(0, study_day_number(card.due_ms, rollover) - today)
            if offset < FORECAST_DAYS:
                due_per_day[offset] += 1

    introduced = store.new_cards_since(day_start(today))
    new_today = min(unseen, max(0, settings.new_per_day - introduced))
    forecast, left = [], unseen
    for offset in range(FORECAST_DAYS):
        new = new_today if offset == 0 else min(left, settings.new_per_day)
        left -= new
        forecast.append(ForecastDay(study_date(today + offset), due_per_day[offset], new))

    totals = day_totals(store, day_start(today - HISTORY_DAYS + 1), rollover)
    history = []
    for day in range(today - HISTORY_DAYS + 1, today + 1):
        total = totals.get(day, NO_ANSWERS)
        history.append(DayActivity(study_date(day), total.answers, round(total.duration_ms / 60_000, 1)))
    active = {day for day, t in totals.items() if t.answers}

    recent = review_answers_since(store, day_start(today - RETENTION_DAYS + 1), rollover)
    by_topic_answers: dict[str, list] = {}
    topic_of = {item.id: item.topic for item in bank}
    for answer in recent:
        if answer.question_id in topic_of:
            by_topic_answers.setdefault(topic_of[answer.question_id], []).append(answer)

    interview_day = interview.toordinal() if interview else None
    topics = []
    recall_sum = interview_sum = 0.0
    for topic in bank.topics():
        items = [item for item in bank if item.topic == topic]
        topic_cards = [cards.get(item.id) for item in items]
        studied = [c for c in topic_cards if c is not None and not c.new]
        now_recall = [recall_on(c, today, rollover) for c in topic_cards]
        day_recall = [recall_on(c, interview_day, rollover) for c in topic_cards] if interview_day else None
        recall_sum += sum(now_recall)
        interview_sum += sum(day_recall or [])
        topics.append(
            TopicStanding(
                topic=topic,
                items=len(items),
                studied=len(studied),
                mature=sum(_interval_days(c, rollover) >= MATURE_DAYS for c in studied),
                lapses=sum(c.lapses for c in studied),
                leeches=sum(c.lapses >= LEECH_LAPSES for c in studied),
                recall_now=sum(now_recall) / len(items),
                recall_interview=sum(day_recall) / len(items) if day_recall is not None else None,
                retention=_retention(by_topic_answers.get(topic, [])),
                command=_study_command(topic, topic_due.get(topic, 0), topic_unseen.get(topic, 0), new_today),
            )
        )
    order = {topic: i for i, topic in enumerate(bank.topics())}
    topics.sort(key=lambda t: (t.recall_interview if t.recall_interview is not None else t.recall_now, order[t.topic]))

    plan = None
    if interview is not None:
        plan = Interview(
            interview,
            interview_sum / len(bank) if len(bank) else 0.0,
            make_plan(cards, [i for i in bank.ids() if i not in suspended], settings, interview, at),
        )
    today_total = totals.get(today, NO_ANSWERS)
    return Stats(
        at=datetime.fromtimestamp(at / 1000).astimezone(),
        today=study_date(today),
        items=len(bank),
        counts=counts,
        due_now=due_now,
        new_today=new_today,
        forecast=forecast,
        answers=answer_count(store),
        answers_today=today_total.answers,
        minutes_today=round(today_total.duration_ms / 60_000, 1),
        streak=streak_length(active, today),
        longest_streak=longest_streak(active),
        history=history,
        retention=_retention(recent),
        recall_now=recall_sum / len(bank) if len(bank) else 0.0,
        interview=plan,
        interview_passed=passed,
        topics=topics,
        suspended=len(suspended & set(bank.ids())),
        coding=_coding(store, at),
    )
