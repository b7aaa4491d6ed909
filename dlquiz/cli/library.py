"""The bank: list, show, search, demo, check, export."""

from __future__ import annotations

import typer

from dlquiz.cli.app import (
    DifficultyOpt,
    TagOpt,
    TopicOpt,
    app,
    bank_dir,
    complete_demo_id,
    complete_export_format,
    complete_item_id,
    console,
    current_bank,
)
from dlquiz.errors import UserError, visible


@app.command("list", short_help="List items, what each has, and when it is due.")
def list_items(
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    as_json: bool = typer.Option(False, "--json", help="Print the items as a JSON list, for scripts."),
    tags: bool = typer.Option(False, "--tags", help="List the tags instead, each with its number of items."),
) -> None:
    """List the bank's items and what each has (or, with --tags, the tags of those items).

    Examples: dlquiz list --topic optimizers --difficulty hard · dlquiz list --tags
    """
    from dlquiz.errors import NothingSelected
    from dlquiz.listing import filtered_items, no_item_matches

    bank = current_bank()
    items = filtered_items(bank, topic, tag, difficulty)
    if tags and items:
        _list_tags(items, as_json)
        return
    if as_json:
        import json

        from dlquiz.cardinfo import card_summaries
        from dlquiz.listing import due_column

        due, cards = due_column(items), card_summaries(item.id for item in items)  # what the table's columns say
        rows = [{**item.to_dict(), "due": due[item.id], "card": cards[item.id]} for item in items]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    if not items:  # stdout stays what it was (no rows; [] for --json), the reason goes to stderr
        raise NothingSelected(no_item_matches(bank, topic, tag, difficulty))
    if as_json:
        return
    from dlquiz.listing import due_column
    from dlquiz.ui.listing import render_list

    render_list(console(), items, {"due": due_column(items)})


def _list_tags(items, as_json: bool) -> None:
    from dlquiz.listing import tag_counts

    counts = tag_counts(items)
    if as_json:
        import json

        typer.echo(json.dumps([{"tag": tag, "items": n} for tag, n in counts], ensure_ascii=False, indent=2))
        return
    from dlquiz.ui.listing import render_tags

    render_tags(console(), counts)


NoPagerOpt = typer.Option(False, "--no-pager", help="Print straight to the terminal, without a pager.")


@app.command(short_help="Show an item: answer, key points, derivation, code.")
def show(
    item_id: str = typer.Argument(
        ..., metavar="ID", help="The item's id (see 'dlquiz list').", autocompletion=complete_item_id
    ),
    steps: bool = typer.Option(False, "--steps", help="Reveal the derivation one step at a time."),
    no_code: bool = typer.Option(False, "--no-code", help="Leave out the reference code."),
    all_code: bool = typer.Option(False, "--all-code", help="Show every linked function, not only the first."),
    as_json: bool = typer.Option(False, "--json", help="Print the item (and its card, if studied) as JSON."),
    no_pager: bool = NoPagerOpt,
) -> None:
    """Show an item: question, answer, key points, derivation, code.

    In a terminal, output taller than the screen goes through a pager ($DLQUIZ_PAGER, $PAGER or less).

    Example: dlquiz show adam-bias-correction --steps
    """
    from dlquiz.bank.lookup import get_item

    item = get_item(current_bank(), item_id)
    if as_json:
        import json

        from dlquiz.cardinfo import card_summary

        data = item.to_dict()
        data["card"] = card_summary(item.id)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from dlquiz.listing import schedule_line
    from dlquiz.ui.items import render_item

    if steps and not item.derivation:
        raise UserError(f"'{item.id}' has no derivation; 'dlquiz list' marks the items that have one (∂)")
    out = console()
    if steps:  # the answer stays hidden until the derivation is done, so each step can be tried first
        from dlquiz.activities.steps import WalkActivity
        from dlquiz.ui.driver import drive
        from dlquiz.ui.items import question_panel

        out.print(question_panel(item))
        schedule = schedule_line(item.id)
        if schedule:
            out.print("  " + schedule, style="muted", markup=False)
        status = drive(out, WalkActivity(item.derivation))
        if status:
            raise typer.Exit(status)
        out.print()
        from dlquiz.ui.console import paged

        with paged(out, enabled=not no_pager) as paged_out:  # the answer and code are as long as show's
            render_item(paged_out, item, code=not no_code, all_code=all_code, derivation=False, question=False)
        return
    from dlquiz.ui.console import paged

    with paged(out, enabled=not no_pager) as paged_out:
        render_item(paged_out, item, code=not no_code, all_code=all_code, schedule=schedule_line(item.id))


SEARCH_SHOWN = 20  # matches shown in the terminal unless -n says otherwise


@app.command(short_help="Search questions, answers, key points and tags.")
def search(
    text: list[str] = typer.Argument(
        ..., metavar="TERM...", help='Words to look for (all must match); quote a phrase: "batch norm".'
    ),
    limit: int | None = typer.Option(
        None, "-n", min=1, help=f"Show at most this many matches (default {SEARCH_SHOWN}; with --json, all)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the matches as JSON, for scripts."),
) -> None:
    """Search the bank; best matches first, each with where it matched.

    Hyphens match spaces (weight-decay finds "weight decay" and the tag), British and American
    spellings match each other (normalisation, normalization), a word finds its other forms (normalize
    finds normalization and normalizing), and a compound finds its spaced form where the bank writes
    both (batchnorm, "batch norm"). Exits with 1 when nothing matches, as grep does.

    Example: dlquiz search weight-decay
    """
    from dlquiz.search import find, query_problem

    problem = query_problem(text)
    if problem:
        raise UserError(problem)
    bank = current_bank()
    hits = find(bank.items, text)
    if as_json:
        import json

        from dlquiz.ui.listing import search_json

        shown = hits if limit is None else hits[:limit]
        typer.echo(json.dumps(search_json(text, shown), ensure_ascii=False, indent=2))
        if len(shown) < len(hits):  # said where a script's reader sees it, without changing the JSON's shape
            typer.echo(f"showing {len(shown)} of {len(hits)} matches (-n {limit})", err=True)
    limit = SEARCH_SHOWN if limit is None else limit
    if not hits:
        if not as_json:
            _nothing_found(bank, text)
        raise typer.Exit(1)
    if not as_json:
        from dlquiz.ui.listing import render_search

        render_search(console(), text, hits[:limit], total=len(hits))


def _nothing_found(bank, text: list[str]) -> None:
    from rich.text import Text

    from dlquiz.search import suggestions
    from dlquiz.ui.console import err_console

    query = " ".join(text)
    near = suggestions(bank.items, text)
    hint = f" Did you mean: {', '.join(near)}?" if near else " Try fewer or shorter words."
    err_console().print(Text(f"Nothing matches '{query}'.{hint}", style="muted"), soft_wrap=True)


@app.command(short_help="Validate the bank and run every link.")
def check() -> None:
    """Validate the bank and run every link; list every problem.

    Example: dlquiz --bank ~/my-questions check
    """
    from dlquiz.bank.checking import check_bank
    from dlquiz.ui.checking import render_report
    from dlquiz.ui.console import progress_bar

    with progress_bar("checking", 1) as tick:
        report = check_bank(bank_dir(), progress=tick)
    render_report(console(), report)
    if not report.ok:
        raise typer.Exit(2)


@app.command(short_help="Run an item's live NumPy demo.")
def demo(
    item_id: str = typer.Argument(
        ..., metavar="ID", help="The item whose demo to run.", autocompletion=complete_demo_id
    ),
    settings: list[str] = typer.Option(
        [], "--set", metavar="NAME=VALUE", help="Change one of the demo's inputs (repeatable)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed for random inputs, to repeat a run."),
    code: bool = typer.Option(False, "--code", help="Also print the reference code it runs (after the results)."),
    no_pager: bool = NoPagerOpt,
) -> None:
    """Run the live demo of an item: what it shows, its inputs, the results (tables, plots), and with
    --code the reference code behind them.

    Example: dlquiz demo adam-bias-correction --set beta1=0.8
    """
    from dlquiz.bank.lookup import get_item
    from dlquiz.ui.console import paged
    from dlquiz.ui.demo import show_demo

    item = get_item(current_bank(), item_id)
    with paged(console(), enabled=not no_pager) as out:
        show_demo(out, item, settings=settings, seed=seed, code=code)


@app.command(short_help="Export for Anki (.apkg, with your progress), as Markdown or CSV.")
def export(
    fmt: str = typer.Option(
        "markdown",
        "--format",
        "-f",
        help="apkg (an Anki package), anki (a note file for Anki's File > Import), markdown or csv.",
        autocompletion=complete_export_format,
    ),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write here instead of standard output (required for apkg)."
    ),
    history: bool = typer.Option(
        False,
        "--history",
        help="apkg only: add each card's schedule, FSRS memory state and every answer (Anki's review log).",
    ),
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
) -> None:
    """Export items as an Anki package or note file, a Markdown study sheet, or CSV.

    The package has a deck per topic (dlquiz::topic) and a note type of its own; importing a newer export
    updates the notes it already has. With --history, tick "Import any learning progress" in Anki's
    import dialog to keep your intervals and FSRS memory states.

    Example: dlquiz export --format apkg --history -o dlquiz.apkg
    """
    from dlquiz.export import FORMATS

    # one line, 'error: ...', as mock's -o and quiz's --mode say theirs (not click's usage block)
    if fmt not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not '{visible(fmt, 40)}'")
    if history and fmt != "apkg":
        raise UserError("--history goes with --format apkg: only an Anki package carries the review history")
    if fmt == "apkg" and output is None:
        raise UserError("-o FILE is needed with --format apkg: an .apkg is a binary file")
    from dlquiz.listing import selected_items
    from dlquiz.ui.console import progress_bar

    items = selected_items(current_bank(), topic, tag, difficulty)
    if fmt == "apkg" and output is not None:
        saved = _saved_history() if history else None
        with progress_bar("exporting", len(items)) as tick:
            from dlquiz.export.anki_package import write_package

            summary = write_package(items, output, saved, progress=tick)
        from dlquiz.wording import plural

        notes, decks = plural(summary.notes, "note"), plural(summary.decks - 1, "deck")
        done = f"wrote {output}: {notes} in {decks} under 'dlquiz'"
        if saved is not None:
            done += f", {plural(summary.cards_with_history, 'card')} with their schedule"
            done += f", {plural(summary.revlog_rows, 'answer')}"
        typer.echo(done, err=True)
        return
    from dlquiz.export import export as run_export
    from dlquiz.writing import write_text

    with progress_bar("exporting", len(items)) as tick:
        text = run_export(_ticking(items, tick), fmt)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(output, text)
        typer.echo(f"wrote {output}", err=True)


def _ticking(items, tick):
    for n, item in enumerate(items, 1):
        yield item
        tick(n, len(items))


def _saved_history():
    """The learner's cards and answers for --history (None, said on stderr, before the first answer)."""
    from dlquiz.paths import state_path

    if not state_path().exists():
        typer.echo("No answers saved yet: the package has no history (every card is new).", err=True)
        return None
    from dlquiz.export.anki_history import read_history
    from dlquiz.scheduler import now_ms
    from dlquiz.store import open_store

    with open_store() as store:
        return read_history(store, now_ms())
