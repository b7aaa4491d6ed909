"""The bank: list, show, search, demo, check, export."""

from __future__ import annotations

import typer

from dlquiz.cli import DifficultyOpt, TagOpt, TopicOpt, app, bank_dir, console, current_bank
from dlquiz.errors import UserError


@app.command("list", short_help="List items, what each has, and when it is due.")
def list_items(
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    as_json: bool = typer.Option(False, "--json", help="Print the items as a JSON list, for scripts."),
) -> None:
    """List the bank's items and what each has.

    Example: dlquiz list --topic optimizers --difficulty hard
    """
    from dlquiz.listing import filtered_items

    items = filtered_items(current_bank(), topic, tag, difficulty)
    if as_json:
        import json

        typer.echo(json.dumps([item.to_dict() for item in items], ensure_ascii=False, indent=2))
        return
    from dlquiz.listing import due_column
    from dlquiz.ui.listing import render_list

    render_list(console(), items, {"due": due_column(items)})


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
    from dlquiz.listing import schedule_line
    from dlquiz.lookup import get_item
    from dlquiz.ui.items import render_code_section, render_item

    item = get_item(current_bank(), item_id)
    if steps and not item.derivation:
        raise UserError(f"'{item.id}' has no derivation; 'dlquiz list' marks the items that have one (∂)")
    out = console()
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

    bank = current_bank()
    query = " ".join(text)
    found = run_search(bank.items, query)
    render_search(console(), query, found[:limit], total=len(found))


@app.command(short_help="Validate the bank and run every link.")
def check() -> None:
    """Validate the bank and run every link; list every problem.

    Example: dlquiz --bank ~/my-questions check
    """
    from dlquiz.checking import check_bank
    from dlquiz.ui.checking import render_report

    report = check_bank(bank_dir())
    render_report(console(), report)
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
    from dlquiz.lookup import get_item
    from dlquiz.ui.demo import show_demo

    show_demo(console(), get_item(current_bank(), item_id), settings=settings, seed=seed)


@app.command(short_help="Export as Markdown, CSV or Anki notes.")
def export(
    fmt: str = typer.Option(
        "markdown", "--format", "-f", help="markdown, csv or anki (a note file for Anki's File > Import)."
    ),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write here instead of standard output."
    ),
    topic: TopicOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
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
    text = run_export(filtered_items(current_bank(), topic, tag, difficulty), fmt)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(output, text)
        typer.echo(f"wrote {output}", err=True)
