"""``dlquiz stats`` on screen: where you stand, what to study next, your history and what is coming.

Everything fits 80 columns and reads without colour: the charts use a glyph per level.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dlquiz.ui.charts import bar, heatmap
from dlquiz.wording import plural as _plural

WEAKEST_SHOWN = 3  # topics named in the "study next" line


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def _day(d: date, today: date | None = None) -> str:
    """'Fri 15 Jan', with the year when it is not ``today``'s."""
    return d.strftime("%a %d %b" if today is None or d.year == today.year else "%a %d %b %Y")


def _minutes(m: float) -> str:
    hours, minutes = divmod(round(m), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def standing_lines(stats) -> list[Text]:
    """The headline: cards by state, what today holds, recall now and on the interview day, the plan."""
    counts = stats.counts
    head = Text(f"{stats.items} items: ", style="heading")
    head.append(" · ".join(f"{n} {name}" for name, n in counts.items() if n or name == "new"))
    if stats.suspended:
        head.append(f" ({stats.suspended} suspended)", style="muted")
    today = Text("Today: ", style="heading")
    today.append(f"{stats.due_now} due, {stats.new_today} new to learn · ")
    today.append(f"{_plural(stats.answers_today, 'answer')} in {_minutes(stats.minutes_today)} · ")
    today.append(f"streak {_plural(stats.streak, 'day')}")
    recall = Text("Recall now: ", style="heading")
    recall.append(_pct(stats.recall_now))
    recall.append(" of the bank (FSRS's chance you recall an item; unstudied: 0)", style="muted")
    lines = [head, today, recall]
    if stats.coding.exercises:
        coding = Text("Coding: ", style="heading")
        coding.append(f"{stats.coding.passed} of {stats.coding.exercises} exercises passed")
        if stats.coding.due:
            coding.append(f" · {stats.coding.due} due: dlquiz implement --next", style="medium")
        lines.append(coding)
    if stats.interview_passed is not None:
        lines.append(
            Text.assemble(
                ("Interview: ", "heading"),
                (f"{_day(stats.interview_passed, stats.today)} has passed; ", "muted"),
                ("dlquiz config interview_date YYYY-MM-DD", "key"),
                (" sets the next one", "muted"),
            )
        )
    interview = stats.interview
    if interview is not None:
        plan = interview.plan
        when = f"in {_plural(plan.days_left, 'day')}" if plan.days_left else "today"
        line = Text(f"Interview {_day(interview.date, stats.today)} ({when}): ", style="heading")
        line.append(f"{_pct(interview.recall)} recalled if you studied nothing more")
        lines.append(line)
        if plan.days_left and plan.unseen:
            advice = Text("Plan: ", style="heading")
            advice.append(f"{plan.new_per_day} new a day meets all {plan.unseen} unseen items by the day before")
            pace = plan.at_your_pace
            if pace is not None and pace >= interview.date:
                advice.append(
                    f" (your limit of new cards a day gets there only on {_day(pace, stats.today)})", style="bad"
                )
            advice.append(f"; then about {plan.daily_reviews:.0f} answers a day")
            lines.append(advice)
        elif plan.days_left:
            lines.append(
                Text.assemble(
                    ("Plan: ", "heading"),
                    f"every item met; about {plan.daily_reviews:.0f} answers a day keep them until then",
                )
            )
    return lines


def topic_table(stats, width: int = 80) -> Table:
    """Topics, weakest first. Narrow terminals lose the retention column first, then lapses and recall now."""
    interview = stats.interview
    title = "By topic, weakest first"
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        title=title,
        title_justify="left",
        title_style="heading",
    )
    with_retention = width >= 72
    with_now = width >= 56 or interview is None
    with_lapses = width >= 56
    table.add_column("topic", style="topic", no_wrap=True, overflow="ellipsis")
    table.add_column("studied", justify="right", no_wrap=True)
    if with_now:
        table.add_column("recall", justify="right", no_wrap=True)
    if interview is not None:
        table.add_column(interview.date.strftime("on %d %b"), justify="right", no_wrap=True)
    if with_retention:
        table.add_column("30-day retention", justify="right", no_wrap=True)
    if with_lapses:
        table.add_column("lapses", justify="right", no_wrap=True)
    for topic in stats.topics:
        retention = topic.retention.total
        row = [topic.topic, f"{topic.studied}/{topic.items}"]
        if with_now:
            row.append(_pct(topic.recall_now))
        if interview is not None:
            row.append(_pct(topic.recall_interview))
        if with_retention:
            row.append(f"{_pct(retention.rate)} of {retention.answers}" if retention.answers else "—")
        if with_lapses:
            row.append(str(topic.lapses))
        table.add_row(*row)
    return table


def leech_line(stats) -> Text | None:
    leeches = sum(topic.leeches for topic in stats.topics)
    if not leeches:
        return None
    return Text.assemble(
        ("Leeches: ", "heading"),
        f"{_plural(leeches, 'card')} forgotten 8 times or more, suspended (",
        ("dlquiz list", "key"),
        " marks them; rewrite the card in your own words, then ",
        ("dlquiz unsuspend ID", "key"),
        ")",
    )


def retention_line(stats) -> Text:
    table = stats.retention
    line = Text("True retention, 30 days: ", style="heading")
    parts = []
    for name, r in (("young", table.young), ("mature", table.mature), ("all", table.total)):
        parts.append(f"{name} {_pct(r.rate)} of {r.answers}" if r.answers else f"{name} —")
    line.append(" · ".join(parts))
    return line


def forecast_lines(stats, days: int, width: int) -> list[Text]:
    shown = stats.forecast[:days]
    peak = max((d.due + d.new for d in shown), default=0)
    label_width = 16
    room = max(10, width - label_width - 16)
    scale = room / peak if peak else 0.0
    lines = [Text.assemble(("Coming up ", "heading"), ("(█ due · ░ new cards your daily limit brings)", "muted"))]
    for i, d in enumerate(shown):
        label = "today" if i == 0 else "tomorrow" if i == 1 else _day(d.day)
        line = Text(f"{label:<{label_width}}", style="muted")
        line.append_text(bar([(d.due, "█", "key"), (d.new, "░", "muted")], scale))
        line.append(f" {d.due}" + (f" + {d.new} new" if d.new else ""))
        lines.append(line)
    return lines


MIN_WEEKS = 13  # a quarter: enough to look like a calendar on the first day


def history_lines(stats, width: int) -> list[Text]:
    per_day = {d.day: d.answers for d in stats.history}
    last = stats.today
    first = min((d.day for d in stats.history if d.answers), default=last)
    since_first = (last - first).days // 7 + 2  # the weeks with answers, and the one before the first
    weeks = max(MIN_WEEKS, min(since_first, 53, width - 8))
    week_ago = [d for d in stats.history if d.day > last - timedelta(days=7)]
    title = Text.assemble(
        ("Answers per day ", "heading"),
        (
            f"(last 7 days: {sum(d.answers for d in week_ago)} answers, "
            f"{_minutes(sum(d.minutes for d in week_ago))}; longest streak {_plural(stats.longest_streak, 'day')})",
            "muted",
        ),
    )
    return [title, *heatmap(per_day, last, weeks)]


def render_stats(console: Console, stats) -> None:
    width = console.width
    for line in standing_lines(stats):
        console.print(line)
    console.print()
    console.print(topic_table(stats, width))
    weakest = stats.topics[:WEAKEST_SHOWN]
    if weakest:
        line = Text("Study next: ", style="heading") + Text(weakest[0].command, style="key")
        if len(weakest) > 1:
            line.append(f"  (then {', '.join(t.topic for t in weakest[1:])})", style="muted")
        console.print(line)
    console.print(retention_line(stats))
    leeches = leech_line(stats)
    if leeches is not None:
        console.print(leeches)
    console.print()
    for line in history_lines(stats, width):
        console.print(line, no_wrap=True, overflow="crop")
    console.print()
    for line in forecast_lines(stats, 7 if console.height < 40 else 14, width):
        console.print(line, no_wrap=True, overflow="crop")
