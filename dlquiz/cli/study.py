"""The sessions: review, quiz, mock interview, exercises; and suspending cards.

Each command builds its activity (:mod:`dlquiz.activities`) and hands it to the one interface loop,
:func:`dlquiz.ui.driver.drive`, which returns the exit status (0; 130 after Ctrl-C; 128 + the signal
after SIGTERM, SIGHUP or SIGQUIT).
"""

from __future__ import annotations

import typer

from dlquiz.cli.app import (
    DifficultyOpt,
    TagOpt,
    TopicOpt,
    app,
    complete_exercise_item,
    complete_item_id,
    complete_quiz_mode,
    confirmed,
    console,
    current_bank,
)
from dlquiz.errors import UserError

NoScheduleOpt = typer.Option(False, "--no-schedule", help="Pure practice: no answer changes when a card is due.")


def _run(activity) -> None:
    from dlquiz.ui.driver import drive

    code = drive(console(), activity)
    if code:
        raise typer.Exit(code)


@app.command(short_help="Review due cards, then new ones (the daily loop).")
def review(
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    n: int | None = typer.Option(None, "-n", min=1, max=100_000, help="At most this many cards this session."),
    no_new: bool = typer.Option(False, "--no-new", help="Only cards you are already learning: no new cards."),
) -> None:
    """Review the cards that are due, then new cards up to the daily limit.

    Enter (or Space) shows the answer, or type an attempt first; then 1 Again, 2 Hard, 3 Good, 4 Easy
    (Enter or Space: Good), each labelled with the interval it gives. u undoes, s suspends, b buries
    until tomorrow, d derivation, c code, r demo, ? hint, q quits. Every answer is saved at once. With an
    interview date set (dlquiz config interview_date YYYY-MM-DD), the due cards most at risk of being
    forgotten by that day come first.

    Example: dlquiz review --topic attention --no-new
    """
    from dlquiz.activities.review import start_review
    from dlquiz.scheduler import now_ms
    from dlquiz.store import open_store

    bank = current_bank()
    if topic or tag or difficulty:
        from dlquiz.listing import selected_items

        items = selected_items(bank, topic, tag, difficulty)
    else:
        items = list(bank)
    with open_store() as store:
        store.verify()  # a damaged file is refused before the first card, not at the first answer
        # the clock named here, as the other sessions name theirs (not a default bound at import)
        _run(start_review(store, items, limit=n, new_cards=not no_new, clock=now_ms))


@app.command(short_help="Practise a slice: flashcards, choices, exercises.")
def quiz(
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    n: int = typer.Option(10, "-n", min=1, max=100_000, help="How many questions."),
    mode: str = typer.Option(
        "mixed", "--mode", "-m", help="flashcard, choice, exercise or mixed.", autocompletion=complete_quiz_mode
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the order, options and numbers, to repeat a quiz."),
    no_schedule: bool = NoScheduleOpt,
) -> None:
    """Practise a slice of the bank; choices and exercises are graded for you, then a score by topic.

    An answer counts toward your schedule only for a card you are already studying (right = Good, wrong =
    Again), once per quiz; cards you have not started are practice, so a quiz never uses up the day's new
    cards. The screen says which. --no-schedule makes every answer practice.

    Example: dlquiz quiz --topic optimizers --mode choice -n 5
    """
    import random

    from dlquiz.activities.quiz import select_quiz, start_quiz
    from dlquiz.model import QuizMode
    from dlquiz.store import open_store

    try:
        quiz_mode = QuizMode(mode.lower())
    except ValueError:
        raise UserError(f"--mode must be one of {', '.join(m.value for m in QuizMode)}, not '{mode}'") from None
    rng = random.Random(seed)
    entries = select_quiz(current_bank(), quiz_mode, topic, tag, difficulty, n, rng)
    if len(entries) < n:
        from dlquiz.wording import plural

        verb = "matches" if len(entries) == 1 else "match"
        typer.echo(f"Only {plural(len(entries), 'question')} {verb} (asked for {n}).", err=True)
    with open_store() as store:
        store.verify()  # a damaged file is refused before the first card, not at the first answer
        _run(start_quiz(store, entries, schedule=not no_schedule))


@app.command(short_help="Numeric exercises with worked solutions.")
def exercise(
    item_id: str | None = typer.Argument(
        None,
        metavar="[ID]",
        help="Practise this item's exercise (default: a random mix).",
        autocompletion=complete_exercise_item,
    ),
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    count: int | None = typer.Option(None, "-n", min=1, max=1000, help="How many exercises (default 5; 1 with an ID)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the random inputs, to repeat a run."),
    no_schedule: bool = NoScheduleOpt,
) -> None:
    """Numeric exercises: compute the answer, see how far off it is, then the worked steps.

    ? gives a hint, Enter alone shows the solution, u undoes, q quits. A right answer counts as Good (Hard
    after a hint) and a wrong one as Again, for cards you are already studying; the rest is practice.

    Example: dlquiz exercise --topic optimizers -n 3
    """
    from dlquiz.activities.quiz import exercise_entries, start_quiz
    from dlquiz.activities.vocabulary import SessionKind
    from dlquiz.store import open_store

    entries = exercise_entries(current_bank(), item_id, topic, count, seed, tag, difficulty)
    with open_store() as store:
        store.verify()  # a damaged file is refused before the first card, not at the first answer
        _run(start_quiz(store, entries, schedule=not no_schedule, kind=SessionKind.EXERCISE))


@app.command(short_help="A timed mock interview, self-scored.")
def mock(
    n: int = typer.Option(5, "-n", min=1, max=1000, help="How many questions."),
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    minutes: float = typer.Option(3.0, "--minutes", help="Time to answer each question (0.5 to 120)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for picking the questions."),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Where to save the Markdown transcript."
    ),
    no_schedule: bool = NoScheduleOpt,
) -> None:
    """A mock interview: typed answers against a clock, then the model answers for self-scoring.

    The transcript is saved as Markdown as you go (in the data directory's transcripts/ unless -o is
    given). Your self-score counts toward the schedule of cards you are already studying (every key point
    made = Good, at least half = Hard, fewer = Again).

    Example: dlquiz mock -n 3 --topic attention --minutes 2
    """
    from datetime import datetime
    from pathlib import Path

    from dlquiz.activities.desk import Desk, Policy
    from dlquiz.activities.interview import (
        MockInterview,
        check_minutes,
        check_transcript_target,
        pick_questions,
        transcript_path,
    )
    from dlquiz.activities.mock import MockActivity
    from dlquiz.listing import selected_items
    from dlquiz.paths import data_home
    from dlquiz.scheduler import load_settings, now_ms
    from dlquiz.store import open_store

    seconds = round(check_minutes(minutes) * 60)
    pool = selected_items(current_bank(), topic, tag, difficulty)
    started = datetime.now().astimezone()
    if output is not None:
        target = check_transcript_target(Path(output).expanduser())
    else:
        target = transcript_path(data_home() / "transcripts", started)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create {target.parent}: {exc.strerror or exc}") from None
    interview = MockInterview(pick_questions(pool, n, seed=seed), seconds, started)
    with open_store() as store:
        store.verify()  # a damaged file is refused before the first card, not at the first answer
        policy = Policy.NONE if no_schedule else Policy.STUDIED
        desk = Desk(store, load_settings(store.settings()), policy, now_ms)
        _run(MockActivity(interview, target, desk))


@app.command(short_help="Keep cards out of reviews; without IDs, list them.")
def suspend(
    ids: list[str] | None = typer.Argument(
        None, metavar="[ID]...", help="The cards to suspend.", autocompletion=complete_item_id
    ),
) -> None:
    """Suspend cards: they stay out of reviews until 'dlquiz unsuspend'. Without IDs, list the cards that
    are suspended or buried now (leeches, suspended after 8 lapses, are marked).

    Example: dlquiz suspend adam-bias-correction
    """
    from dlquiz.store import open_store

    if not ids:
        _list_hidden()
        return
    known = _known(ids)
    from dlquiz.activities.queue import set_suspended

    with open_store() as store:
        store.verify()  # a damaged file is refused before the first card, not at the first answer
        changed = set_suspended(store, known, True)
    same = [qid for qid in known if qid not in changed]
    if changed:
        typer.echo(f"Suspended {', '.join(changed)}: out of reviews until 'dlquiz unsuspend'.")
    if same:
        typer.echo(f"Already suspended: {', '.join(same)}.")


@app.command(short_help="Bring suspended or buried cards back into reviews.")
def unsuspend(
    ids: list[str] = typer.Argument(
        ..., metavar="ID...", help="The cards to bring back.", autocompletion=complete_item_id
    ),
) -> None:
    """Bring suspended (or buried) cards back into reviews.

    Example: dlquiz unsuspend adam-bias-correction
    """
    from dlquiz.activities.queue import set_suspended
    from dlquiz.store import open_store

    known = _known(ids)
    with open_store() as store:
        store.verify()  # a damaged file is refused before the first card, not at the first answer
        changed = set_suspended(store, known, False)
    if changed:
        typer.echo(f"Back in reviews: {', '.join(changed)}.")
    same = [qid for qid in known if qid not in changed]
    if same:
        typer.echo(f"Not suspended or buried: {', '.join(same)}.")


@app.command(short_help="Make cards new again; their answers stay in your history.")
def forget(
    ids: list[str] = typer.Argument(..., metavar="ID...", help="The cards to forget.", autocompletion=complete_item_id),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first."),
) -> None:
    """Forget cards, as Anki's Forget does: each becomes a new card, to be learnt again from its first step
    (within the day's new-card limit). Its answers stay in your history and in stats; a suspended card
    stays suspended.

    Example: dlquiz forget adam-bias-correction
    """
    known = _known(ids)
    if not confirmed(f"Make {', '.join(known)} new again? Their answers stay in your history.", yes):
        return
    from dlquiz.scheduler import now_ms
    from dlquiz.store import open_store

    with open_store() as store:
        store.verify()  # a damaged file is refused before anything is written
        changed = store.forget(known, now_ms())
    if changed:
        typer.echo(f"Forgot {', '.join(changed)}: new cards again; 'dlquiz review' teaches them from the start.")
    same = [qid for qid in known if qid not in changed]
    if same:
        typer.echo(f"Nothing to forget (not studied yet): {', '.join(same)}.")


def _known(ids: list[str]) -> list[str]:
    """The ids, each checked against the bank (an unknown one is an error with a suggestion)."""
    from dlquiz.bank.lookup import get_item

    bank = current_bank()
    return [get_item(bank, qid).id for qid in ids]


def _list_hidden() -> None:
    from dlquiz.activities.queue import hidden_cards
    from dlquiz.paths import state_path
    from dlquiz.scheduler import now_ms
    from dlquiz.store import open_store

    hidden = {}
    if state_path().exists():
        with open_store() as store:
            store.verify()  # a damaged file is refused before the first card, not at the first answer
            hidden = hidden_cards(store, now_ms())
    if not hidden:
        typer.echo("No card is suspended or buried.")
        return
    width = max(len(qid) for qid in hidden)
    for qid, mark in hidden.items():
        what = "suspended (leech)" if mark.suspended and mark.leech else "suspended" if mark.suspended else "buried"
        typer.echo(f"{qid.ljust(width)}  {what}")  # the states in one column
