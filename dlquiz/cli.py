"""The command line: one function per command, arguments and wiring only.

The logic lives in plain functions (dlquiz.bank, dlquiz.search, dlquiz.session, ...) and the
rendering in dlquiz.ui; heavy modules are imported inside the commands that need them.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from dlquiz import __version__
from dlquiz.errors import UserError


class _Group(TyperGroup):
    """Turns a UserError into one line on stderr and exit 2; Ctrl-C into exit 130."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            from rich.text import Text

            from dlquiz.ui.console import err_console

            err_console().print(Text("error: ", style="bad") + Text(str(exc)), soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    ORDER = (
        "review",
        "quiz",
        "mock",
        "exercise",
        "show",
        "demo",
        "list",
        "search",
        "stats",
        "config",
        "export",
        "check",
        "reset",
    )

    def list_commands(self, ctx):  # daily use first, upkeep last
        return sorted(self.commands, key=lambda name: self.ORDER.index(name) if name in self.ORDER else len(self.ORDER))


app = typer.Typer(
    cls=_Group,
    help="Deep-learning interview prep: flashcards, quizzes, derivations and live NumPy demos.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"bank_dir": None}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlquiz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    bank: str | None = typer.Option(
        None, "--bank", metavar="DIR", help="Add every *.yaml in DIR to the built-in bank (also $DLQUIZ_BANK)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Deep-learning interview prep: flashcards, quizzes, derivations and live NumPy demos."""
    _state["bank_dir"] = bank


def _bank():
    from dlquiz.bank import load_bank

    return load_bank(_state["bank_dir"])


def _out():
    from dlquiz.ui.console import console

    return console()


def _check_difficulty(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() not in ("easy", "medium", "hard"):
        raise typer.BadParameter("must be easy, medium or hard")
    return value.lower()


@app.command("list", short_help="List items, what each has, and when it is due.")
def list_items(
    topic: str | None = typer.Option(None, "--topic", "-t", help="Only this topic."),
    tag: str | None = typer.Option(None, "--tag", help="Only items with this tag."),
    difficulty: str | None = typer.Option(
        None, "--difficulty", "-d", callback=_check_difficulty, help="easy, medium or hard."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the items as a JSON list, for scripts."),
) -> None:
    """List the bank's items and what each has.

    Example: dlquiz list --topic optimizers --difficulty hard
    """
    from dlquiz.listing import filtered_items

    items = filtered_items(_bank(), topic, tag, difficulty)
    if as_json:
        import json

        typer.echo(json.dumps([item.to_dict() for item in items], ensure_ascii=False, indent=2))
        return
    from dlquiz.listing import due_column
    from dlquiz.ui.listing import render_list

    render_list(_out(), items, {"due": due_column(items)})


@app.command(short_help="Show an item: answer, key points, derivation, code.")
def show(
    item_id: str = typer.Argument(..., metavar="ID", help="The item's id (see 'dlquiz list')."),
    steps: bool = typer.Option(False, "--steps", help="Reveal the derivation one step at a time."),
    no_code: bool = typer.Option(False, "--no-code", help="Leave out the reference code."),
    all_code: bool = typer.Option(False, "--all-code", help="Show every linked function, not only the first."),
) -> None:
    """Show an item: question, answer, key points, derivation, code.

    Example: dlquiz show adam-bias-correction --steps
    """
    from dlquiz.bank import get_item
    from dlquiz.listing import schedule_line
    from dlquiz.ui.items import render_code_section, render_item

    item = get_item(_bank(), item_id)
    if steps and not item.derivation:
        raise UserError(f"'{item.id}' has no derivation; 'dlquiz list' marks the items that have one (∂)")
    out = _out()
    render_item(
        out, item, code=not (no_code or steps), all_code=all_code, derivation=not steps, schedule=schedule_line(item.id)
    )
    if steps:
        from dlquiz.ui.keys import wait_for_more
        from dlquiz.ui.steps import reveal_steps

        out.print()
        reveal_steps(out, item.derivation, wait_for_more)
        if item.code and not no_code:
            render_code_section(out, item, all_code=all_code)


@app.command(short_help="Search questions, answers and tags.")
def search(
    text: list[str] = typer.Argument(..., metavar="TEXT", help="Words to look for (all must match)."),
    limit: int = typer.Option(20, "-n", min=1, help="Show at most this many matches."),
) -> None:
    """Search questions, answers and tags; best matches first.

    Example: dlquiz search batch norm
    """
    from dlquiz.search import search as run_search
    from dlquiz.ui.listing import render_search

    bank = _bank()
    query = " ".join(text)
    found = run_search(bank.items, query)
    render_search(_out(), query, found[:limit], total=len(found))


@app.command(short_help="Validate the bank and run every link.")
def check() -> None:
    """Validate the bank and run every link; list every problem.

    Example: dlquiz --bank ~/my-questions check
    """
    from dlquiz.checking import check_bank
    from dlquiz.ui.checking import render_report

    report = check_bank(_state["bank_dir"])
    render_report(_out(), report)
    if not report.ok:
        raise typer.Exit(2)


@app.command(short_help="Run an item's live NumPy demo.")
def demo(
    item_id: str = typer.Argument(..., metavar="ID", help="The item whose demo to run."),
    settings: list[str] = typer.Option(
        [], "--set", metavar="NAME=VALUE", help="Change one of the demo's inputs (repeatable)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed for random inputs, to repeat a run."),
) -> None:
    """Run the live demo of an item: what it shows, the code, the inputs, the results.

    Example: dlquiz demo adam-bias-correction --set beta1=0.8
    """
    from dlquiz.bank import get_item
    from dlquiz.ui.demo import show_demo

    show_demo(_out(), get_item(_bank(), item_id), settings=settings, seed=seed)


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

    bank = _bank()
    with open_store() as store:
        code = run_session(_out(), start_review(store, bank))
    if code:
        raise typer.Exit(code)


@app.command(short_help="Practise a slice: flashcards, choices, exercises.")
def quiz(
    topic: str | None = typer.Option(None, "--topic", "-t", help="Only this topic."),
    tag: str | None = typer.Option(None, "--tag", help="Only items with this tag."),
    difficulty: str | None = typer.Option(
        None, "--difficulty", "-d", callback=_check_difficulty, help="easy, medium or hard."
    ),
    n: int = typer.Option(10, "-n", min=1, help="How many questions."),
    mode: str = typer.Option("mixed", "--mode", "-m", help="flashcard, choice, exercise or mixed."),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed for the order, options and numbers, to repeat a quiz."
    ),
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
    entries = select_quiz(_bank(), mode, topic, tag, difficulty, n, rng)
    if len(entries) < n:
        typer.echo(f"Only {len(entries)} question{'s' if len(entries) != 1 else ''} match (asked for {n}).", err=True)
    with open_store() as store:
        code = run_session(_out(), start_quiz(store, entries), scores=True, rng=rng)
    if code:
        raise typer.Exit(code)


@app.command(short_help="Show or change the scheduling settings.")
def config(
    name: str | None = typer.Argument(None, help="desired_retention, new_per_day or rollover_hour."),
    value: str | None = typer.Argument(None, help="The new value; leave out to see the current one."),
) -> None:
    """Show the scheduling settings, or change one.

    Example: dlquiz config desired_retention 0.85
    """
    from dlquiz.scheduler import load_settings, parse_setting
    from dlquiz.store import open_store
    from dlquiz.ui.state import render_settings

    with open_store() as store:
        if name is not None and value is not None:
            store.set_setting(name, str(parse_setting(name, value)))
            typer.echo(f"Saved {name} = {getattr(load_settings(store.settings()), name)}.")
        render_settings(_out(), load_settings(store.settings()), only=name)


@app.command(short_help="Start afresh (the old state is kept aside).")
def reset(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first."),
) -> None:
    """Start afresh: the state file is moved aside (kept, renamed with the date and time), not deleted.

    Example: dlquiz reset --yes
    """
    from dlquiz.paths import state_path
    from dlquiz.store import move_aside

    path = state_path()
    if not path.exists():
        typer.echo(f"Nothing to reset: {path} does not exist.")
        return
    question = f"Move {path} aside (your review history and settings) and start afresh?"
    try:
        if not yes and not typer.confirm(question, default=False):
            typer.echo("Nothing changed.")
            return
    except (typer.Abort, EOFError):  # Ctrl-C or no input at the question
        typer.echo("\nNothing changed.")
        raise typer.Exit(130) from None
    moved = move_aside(path)
    typer.echo(f"Moved the old state (history and settings) to {moved}; the next session starts afresh.")


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

    status = run_exercise_command(_out(), _bank(), item_id, topic, count, seed)
    if status:
        raise typer.Exit(status)


@app.command(short_help="A timed mock interview, self-scored.")
def mock(
    n: int = typer.Option(5, "-n", min=1, help="How many questions."),
    topic: str | None = typer.Option(None, "--topic", "-t", help="Only this topic."),
    tag: str | None = typer.Option(None, "--tag", help="Only items with this tag."),
    difficulty: str | None = typer.Option(
        None, "--difficulty", "-d", callback=_check_difficulty, help="easy, medium or hard."
    ),
    minutes: float = typer.Option(3.0, "--minutes", min=0.5, help="Time to answer each question."),
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

    pool = filtered_items(_bank(), topic, tag, difficulty)
    started = datetime.now().astimezone()
    interview = MockInterview(pick_questions(pool, n, seed=seed), int(minutes * 60), started)
    target = Path(output) if output else transcript_path(data_home() / "transcripts", started)
    if not output:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create {target.parent}: {exc.strerror or exc}") from None
    code = run_mock(_out(), interview, target)
    if code:
        raise typer.Exit(code)


@app.command(short_help="Export as Markdown, CSV or Anki notes.")
def export(
    fmt: str = typer.Option(
        "markdown", "--format", "-f", help="markdown, csv or anki (a note file for Anki's File > Import)."
    ),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write here instead of standard output."
    ),
    topic: str | None = typer.Option(None, "--topic", "-t", help="Only this topic."),
    tag: str | None = typer.Option(None, "--tag", help="Only items with this tag."),
    difficulty: str | None = typer.Option(
        None, "--difficulty", "-d", callback=_check_difficulty, help="easy, medium or hard."
    ),
) -> None:
    """Export items as a Markdown study sheet, CSV, or notes for Anki.

    Example: dlquiz export --format anki -o dlquiz-anki.txt
    """
    from dlquiz.export import FORMATS
    from dlquiz.export import export as run_export
    from dlquiz.listing import filtered_items
    from dlquiz.writing import write_text

    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    text = run_export(filtered_items(_bank(), topic, tag, difficulty), fmt)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(output, text)
        typer.echo(f"wrote {output}", err=True)


@app.command(short_help="Progress: states, forecast, retention, streak.")
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON, for scripts."),
) -> None:
    """Your progress: cards by state, due forecast, retention, streak, mastery by topic.

    Example: dlquiz stats --json
    """
    from dlquiz.stats import compute_stats
    from dlquiz.store import open_store

    bank = _bank()
    with open_store() as store:
        figures = compute_stats(store, bank)
    if as_json:
        import json

        typer.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
        return
    from dlquiz.ui.state import render_stats

    render_stats(_out(), figures)


def main() -> None:
    app(prog_name="dlquiz")
