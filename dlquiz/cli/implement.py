"""`dlquiz implement`: coding practice, graded against the reference."""

from __future__ import annotations

from pathlib import Path

import typer

from dlquiz.cli.app import app, complete_implement, console
from dlquiz.errors import UserError


@app.command(short_help="Write softmax, batch norm, attention, Adam: graded.")
def implement(
    exercise_id: str | None = typer.Argument(
        None,
        metavar="[ID]",
        help="The exercise (or its bank item); without it, the list.",
        autocompletion=complete_implement,
    ),
    check: Path | None = typer.Option(
        None, "--check", metavar="FILE", help="Grade FILE: exit 0 if every check passes, 1 if one fails."
    ),
    starter: bool = typer.Option(False, "--starter", help="Print the starter file."),
    solution: bool = typer.Option(False, "--solution", help="Print the model solution (a file that passes)."),
    next_due: bool = typer.Option(False, "--next", help="Open the exercise due longest, else the next new one."),
    directory: Path | None = typer.Option(
        None, "--dir", metavar="DIR", help="Working folder (default: implement/ in the data directory)."
    ),
    fresh: bool = typer.Option(False, "--fresh", help="Start over from the starter (asks before replacing your file)."),
    as_json: bool = typer.Option(False, "--json", help="The list, or the --check report, as JSON."),
    time_limit: float = typer.Option(
        10.0, "--time-limit", metavar="SECONDS", min=1.0, max=600.0, help="How long a grading may take (1–600)."
    ),
) -> None:
    """Implement it: NumPy code for what interviews ask you to write, graded against the reference.

    Each exercise writes a starter file (the signature, the task, shapes and conventions) and opens it
    in $VISUAL or $EDITOR; every save-and-quit grades it on small readable inputs, edge cases and
    finite differences, and names the classic mistake a wrong answer looks like. Your code runs in its
    own process with time and memory limits. Passing is scheduled like a card.

    Examples: dlquiz implement · dlquiz implement softmax · dlquiz implement adam --check my_adam.py
    """
    from dlquiz.implement.registry import find

    picks = [
        name for name, on in (("--check", check is not None), ("--starter", starter), ("--solution", solution)) if on
    ]
    if len(picks) > 1:
        raise UserError(f"{' and '.join(picks)} cannot be combined")
    if next_due and exercise_id is not None:
        raise UserError("--next picks the exercise itself; give an ID or --next, not both")
    if exercise_id is None and not next_due:
        given = picks + (["--fresh"] if fresh else []) + (["--dir"] if directory is not None else [])
        if given:
            raise UserError(f"{given[0]} needs an exercise ID ('dlquiz implement' lists them)")
        _list(as_json)
        return
    if as_json and check is None:
        raise UserError("--json goes with the list or with --check")
    exercise = find(exercise_id) if exercise_id is not None else None
    if exercise is not None and (starter or solution):
        from dlquiz.implement.starter import solution_text, starter_text

        typer.echo(starter_text(exercise) if starter else solution_text(exercise), nl=False)
        return
    if exercise is not None and check is not None:
        raise typer.Exit(_check(exercise, _file_to_check(exercise, check, directory), as_json, time_limit))
    code = _practise(exercise, directory, fresh, time_limit)
    if code:
        raise typer.Exit(code)


def _list(as_json: bool) -> None:
    import json

    from dlquiz.implement.schedule import statuses
    from dlquiz.scheduler import now_ms
    from dlquiz.store import open_store

    at = now_ms()
    with open_store() as store:
        rows = statuses(store, at)
    if as_json:
        typer.echo(json.dumps([row.to_dict(at) for row in rows], indent=2, ensure_ascii=False))
        return
    from dlquiz.ui.implement import render_list

    render_list(console(), rows, at)


def _file_to_check(exercise, path: Path, directory: Path | None) -> Path:
    """``path``, or the working file it names: the starter says '--check softmax.py', which must work from
    any folder, so a bare file name that is not here but is the exercise's working file means that file."""
    from dlquiz.implement.starter import work_path
    from dlquiz.paths import data_home

    if path.exists() or path.parent != Path("."):
        return path
    working = work_path(exercise, directory if directory is not None else data_home() / "implement")
    if path.name != working.name or not working.exists():
        return path
    typer.echo(f"{path} is not in this folder: checking your working file {working}", err=True)
    return working


def _check(exercise, path: Path, as_json: bool, time_limit: float) -> int:
    import json

    from dlquiz.implement.grading import grade

    if not path.exists():
        raise UserError(f"no file {path}")
    if not path.is_file():
        raise UserError(f"{path} is not a file")
    report = grade(exercise, path, time_limit=time_limit)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        from dlquiz.ui.implement import render_report

        render_report(console(), report)
    return 0 if report.passed else 1


def _practise(exercise, directory: Path | None, fresh: bool, time_limit: float) -> int:
    """The edit–grade loop on one exercise (or on the one --next picks)."""
    from dlquiz.implement import schedule
    from dlquiz.implement.grading import grade
    from dlquiz.implement.starter import ensure_starter, replace_with_starter, work_file
    from dlquiz.paths import data_home
    from dlquiz.scheduler import format_interval, load_settings, now_ms, until_due_ms
    from dlquiz.store import open_store
    from dlquiz.ui import implement as ui

    out = console()
    with open_store() as store:  # a state file that cannot be used stops us before any work is done
        if exercise is None:
            found = schedule.statuses(store)
            pick = schedule.next_up(found)
            if pick is None:
                upcoming = min((s for s in found if not s.new), key=lambda s: s.card.state.due_ms or 0, default=None)
                when = f" Next: {upcoming.exercise.id}, {upcoming.due_label(now_ms())}." if upcoming else ""
                out.print(f"Nothing is due and every exercise has been tried.{when}")
                return 0
            exercise = pick.exercise
            out.print(f"[muted]Next: {exercise.id} ({'due' if pick.due else 'new'})[/]")
    folder = directory if directory is not None else data_home() / "implement"
    existing = work_file(exercise, folder)
    if fresh and existing.exists and not existing.untouched:
        if not ui.has_terminal():
            raise ui.refuse_without_terminal(existing.path)
        from dlquiz.implement.starter import backup_path

        if not ui.confirm(
            out, f"Replace {existing.path} with a fresh starter? Yours is kept as {backup_path(existing.path).name}."
        ):
            out.print("[muted]Nothing was changed.[/]")
            return 0
        backup = replace_with_starter(exercise, folder)
        state = f"fresh starter; yours is now {backup.name}" if backup else "fresh starter"
    else:
        work = ensure_starter(exercise, folder)
        state = "new starter" if not existing.exists else ("the starter, untouched" if work.untouched else "your file")

    editor = ui.editor_command() if ui.has_terminal() else None
    ui.header(out, exercise, existing.path, state, editor)

    def record(ex, result) -> str | None:
        try:
            with open_store() as store:
                card = schedule.record(store, ex, result)
                rollover = load_settings(store.settings()).rollover_hour
        except UserError as exc:
            out.print(f"[bad]Not saved:[/] {exc}")
            return None
        return "next review in " + format_interval(until_due_ms(card.state, now_ms(), rollover))  # study days

    loop = ui.Loop(out, exercise, existing.path, lambda ex, p: grade(ex, p, time_limit=time_limit), record, editor)
    return loop.run()
