"""The sessions: review, quiz, mock interview, exercises."""

from __future__ import annotations

import typer

from dlquiz.cli import DifficultyOpt, TagOpt, TopicOpt, app, console, current_bank
from dlquiz.errors import UserError


@app.command(short_help="Review due cards, then new ones (the daily loop).")
def review() -> None:
    """Review the cards that are due, then new cards up to the daily limit.

    Enter shows the answer (or type an attempt first); 1 Again, 2 Hard, 3 Good, 4 Easy grade it, each
    labelled with the interval it gives; u undoes the last answer; d derivation, c code, r demo; q quits.
    Every answer is saved at once.

    Example: dlquiz review
    """
    from dlquiz.session import start_review
    from dlquiz.store import open_store
    from dlquiz.ui.review import run_session

    bank = current_bank()
    with open_store() as store:
        code = run_session(console(), start_review(store, bank))
    if code:
        raise typer.Exit(code)


@app.command(short_help="Practise a slice: flashcards, choices, exercises.")
def quiz(
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    n: int = typer.Option(10, "-n", min=1, help="How many questions."),
    mode: str = typer.Option("mixed", "--mode", "-m", help="flashcard, choice, exercise or mixed."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the order, options and numbers, to repeat a quiz."),
) -> None:
    """Practise a slice of the bank; choices and exercises are graded for you, then a score by topic.

    Answers feed the scheduler too (right = Good, wrong = Again).

    Example: dlquiz quiz --topic optimizers --mode choice -n 5
    """
    import random

    from dlquiz.session import select_quiz, start_quiz
    from dlquiz.store import open_store
    from dlquiz.ui.review import run_session

    rng = random.Random(seed)
    entries = select_quiz(current_bank(), mode, topic, tag, difficulty, n, rng)
    if len(entries) < n:
        typer.echo(f"Only {len(entries)} question{'s' if len(entries) != 1 else ''} match (asked for {n}).", err=True)
    with open_store() as store:
        code = run_session(console(), start_quiz(store, entries), scores=True, rng=rng)
    if code:
        raise typer.Exit(code)


@app.command(short_help="Numeric exercises with worked solutions.")
def exercise(
    item_id: str | None = typer.Argument(
        None, metavar="[ID]", help="Practise this item's exercise (default: a random mix)."
    ),
    topic: str | None = typer.Option(None, "--topic", "-t", help="Only items of this topic."),
    count: int | None = typer.Option(None, "-n", min=1, help="How many exercises (default 5; 1 with an ID)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the random inputs, to repeat a run."),
) -> None:
    """Numeric exercises: compute the answer, see how far off it is, then the worked steps.

    Example: dlquiz exercise --topic optimizers -n 3
    """
    from dlquiz.ui.exercise import run_exercise_command

    status = run_exercise_command(console(), current_bank(), item_id, topic, count, seed)
    if status:
        raise typer.Exit(status)


@app.command(short_help="A timed mock interview, self-scored.")
def mock(
    n: int = typer.Option(5, "-n", min=1, help="How many questions."),
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    minutes: float = typer.Option(3.0, "--minutes", min=0.5, max=600, help="Time to answer each question."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for picking the questions."),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Where to save the Markdown transcript."
    ),
) -> None:
    """A mock interview: typed answers against a clock, then the model answers for self-scoring.

    The transcript is saved as Markdown (in the data directory's transcripts/ unless -o is given).

    Example: dlquiz mock -n 3 --topic attention --minutes 2
    """
    from datetime import datetime
    from pathlib import Path

    from dlquiz.listing import filtered_items
    from dlquiz.mock import MockInterview, pick_questions, transcript_path
    from dlquiz.paths import data_home
    from dlquiz.ui.mock import run_mock

    pool = filtered_items(current_bank(), topic, tag, difficulty)
    started = datetime.now().astimezone()
    interview = MockInterview(pick_questions(pool, n, seed=seed), int(minutes * 60), started)
    target = Path(output) if output else transcript_path(data_home() / "transcripts", started)
    if not output:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create {target.parent}: {exc.strerror or exc}") from None
    code = run_mock(console(), interview, target)
    if code:
        raise typer.Exit(code)
