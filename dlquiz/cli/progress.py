"""The learner's state: stats, config, reset, repair."""

from __future__ import annotations

import typer

from dlquiz.cli.app import app, complete_setting, confirmed, console, current_bank
from dlquiz.errors import UserError


@app.command(short_help="Where you stand: recall, weak topics, history, forecast.")
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print every figure as JSON (dates as ISO strings)."),
    on: str | None = typer.Option(
        None, "--on", metavar="YYYY-MM-DD", help="Predict recall on this day (default: the configured interview_date)."
    ),
) -> None:
    """Where you stand: recall by topic (weakest first), history, streak, retention and the due forecast.

    Recall is FSRS's probability that you remember a card; a topic's recall averages its items, an item
    never studied counting as 0. With an interview date (dlquiz config interview_date 2027-03-01, or
    --on), stats predicts your recall on that day if you studied nothing more, and plans the new cards a
    day it takes to meet every item by then, with the reviews that follow if you recall each card when
    it is due (real days add some Again answers). True retention, as Anki defines it: of the answers in
    the last 30 study days to cards in review, the share not rated Again; young cards had an interval
    under 21 days, mature ones 21 days or more. A leech is a card forgotten 8 times. The forecast counts
    the cards due each study day and the new cards your daily limit brings.

    Example: dlquiz stats --on 2027-03-01
    """
    from dlquiz.settings import parse_day
    from dlquiz.stats import compute_stats
    from dlquiz.store import open_store

    interview = parse_day(on, "--on") if on is not None else None
    bank = current_bank()
    with open_store(readonly=True) as store:
        figures = compute_stats(store, bank, interview=interview)
    if as_json:
        import json

        typer.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
        return
    from dlquiz.ui.stats import render_stats

    render_stats(console(), figures)


@app.command(
    short_help="Show or change your settings.",
    context_settings={"ignore_unknown_options": True},  # so that a value such as -1 reaches the range check
)
def config(
    ctx: typer.Context,
    name: str | None = typer.Argument(
        None, help="desired_retention, new_per_day, rollover_hour or interview_date.", autocompletion=complete_setting
    ),
    value: str | None = typer.Argument(None, help="The new value; leave out to see the current one."),
    as_json: bool = typer.Option(False, "--json", help="Print the settings as JSON, for scripts."),
) -> None:
    """Show your settings, or change one.

    Examples: dlquiz config desired_retention 0.85 · dlquiz config interview_date 2027-03-01
    """
    from dlquiz.settings import check_new_value, format_setting, load_settings, parse_setting, settings_json
    from dlquiz.store import open_store
    from dlquiz.ui.state import render_settings

    for given in (name, value):  # unknown options are let through for the sake of -1: refuse them here
        if given is not None and given.startswith("-"):
            try:
                float(given)
            except ValueError:
                ctx.fail(f"No such option: {given}")  # a usage error, as for any other command
    if as_json and value is not None:
        ctx.fail("--json shows the settings; it does not change one")
    with open_store(readonly=value is None) as store:  # only showing: works in a read-only home too
        store.verify()  # a damaged file is refused before anything is shown
        if name is not None and value is not None:
            from datetime import date

            from dlquiz.scheduler import now_ms, study_day

            parsed = parse_setting(name, value)
            rollover = load_settings(store.settings()).rollover_hour
            check_new_value(name, parsed, date.fromordinal(study_day(now_ms(), rollover)))
            store.set_setting(name, format_setting(parsed))
            typer.echo(f"Saved {name} = {format_setting(getattr(load_settings(store.settings()), name))}.")
        settings = load_settings(store.settings())
    if as_json:
        import json

        typer.echo(json.dumps(settings_json(settings, only=name), indent=2))
        return
    render_settings(console(), settings, only=name)


@app.command(short_help="Start afresh (the old state is kept aside).")
def reset(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first."),
    settings: bool = typer.Option(
        False, "--settings", help="Also put the settings back to their defaults (they are kept otherwise)."
    ),
) -> None:
    """Start afresh: the state file is moved aside (kept, renamed with the date and time), not deleted, and
    your settings (dlquiz config) are carried over to the new one unless --settings is given.

    Its write-ahead log is copied into it first, so the file moved aside holds every answer by itself.
    To go back: move the new state.db away and rename the old file to state.db.

    Example: dlquiz reset --yes
    """
    import os

    from dlquiz.paths import state_path
    from dlquiz.settings import SPECS
    from dlquiz.store import finish_interrupted_move, move_aside, open_store, rescue_orphaned_log, settings_kept_in

    path = state_path()
    if path.parent.is_dir():
        finish_interrupted_move(path)
        rescue_orphaned_log(path)
    if not os.path.lexists(path):
        typer.echo(f"Nothing to reset: {path} does not exist.")
        return
    what = "your review history and settings" if settings else "your review history; settings are kept"
    if not confirmed(f"Move {path} aside ({what}) and start afresh?", yes):
        return
    moved = move_aside(path)
    if moved is None:  # another dlquiz moved it meanwhile
        typer.echo(f"Nothing to reset: {path} does not exist.")
        return
    kept = {} if settings else {n: v for n, v in settings_kept_in(moved).items() if n in SPECS}
    if settings:
        typer.echo(f"Moved the old state (history and settings) to {moved}.")
    else:
        typer.echo(f"Moved the old state to {moved}." + ("" if kept else " It had no settings to carry over."))
    if kept:
        try:
            with open_store() as store:
                store.set_settings(kept)
        except UserError as exc:
            raise UserError(f"{exc}; the settings stayed in {moved}: set them again with dlquiz config") from None
        typer.echo(f"Kept your settings ({', '.join(f'{n} {v}' for n, v in kept.items())}).")
    typer.echo("The next session starts afresh.")


@app.command(short_help="Recover a damaged state file into a new one.")
def repair() -> None:
    """Recover what can be read from a damaged state file into a new one; the damaged file is kept beside it.

    Settings, every readable answer of the log, and the cards (rebuilt from the log where their rows are
    lost) go into the new file; then it says what it recovered and what it could not. A sound file is left
    as it is.

    Example: dlquiz repair
    """
    from dlquiz.paths import state_path
    from dlquiz.store import repair as run_repair

    path = state_path()
    report = run_repair(path)
    if report is None:
        typer.echo(f"{path} is sound (every page and value checked); nothing to repair.")
        return
    from dlquiz.ui.repair import render_repair

    render_repair(console(), report)
