"""The typer application: one small function per command (in the sibling modules), arguments and
wiring only.

The logic lives in plain functions (dlquiz.bank, dlquiz.search, dlquiz.activities, ...) and the rendering
in dlquiz.ui; heavy modules are imported inside the commands that need them, so ``dlquiz --help``
stays fast.

Options every command shares (``--bank``, ``--color``) are added here, once, to every command, and so
is shell completion (``--install-completion``; ids, topics and tags complete from the bank).
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from typing import Annotated, Any

import typer
from typer.core import TyperGroup, TyperOption

from dlquiz import __version__

BANK_KEY = "dlquiz.bank_dir"  # where --bank is kept, in the context's meta (one dict shared by the whole chain)
WARNINGS_KEY = "dlquiz.warnings"  # warnings to show when the command ends, in the same meta
_META: ContextVar[dict[str, Any]] = ContextVar("dlquiz_cli_meta")  # the running command line's meta


def _remember_bank(ctx: typer.Context, _param: Any, value: str | None) -> None:
    if value is not None:
        ctx.meta[BANK_KEY] = value


def _bank_option() -> TyperOption:
    return TyperOption(
        param_decls=["--bank"],
        metavar="DIR",
        expose_value=False,
        callback=_remember_bank,
        help="Add every *.yaml and *.yml in DIR to the built-in bank (also $DLQUIZ_BANK).",
    )


COLOR_HELP = "auto (colour in a terminal; honours NO_COLOR and FORCE_COLOR), always or never."


def _apply_color(_ctx: typer.Context, _param: Any, value: str | None) -> None:
    if value is None:
        return
    from dlquiz.ui.console import COLOR_MODES, set_color

    if value not in COLOR_MODES:
        raise typer.BadParameter(f"must be {', '.join(COLOR_MODES[:-1])} or {COLOR_MODES[-1]}, not '{value}'")
    set_color(value)


def _color_option() -> TyperOption:
    return TyperOption(
        param_decls=["--color"],
        metavar="WHEN",
        expose_value=False,
        is_eager=True,
        callback=_apply_color,
        autocompletion=lambda: ["auto", "always", "never"],
        help=COLOR_HELP,
    )


class _Group(TyperGroup):
    """Turns a UserError, and any error of the state file, the file system or an encoding that escapes a
    command, into one line on stderr and exit 2 (never a traceback); Ctrl-C into exit 130.

    It also gives every command the ``--bank`` option, so it may follow the command's name as well as
    precede it (``dlquiz list --bank DIR`` and ``dlquiz --bank DIR list`` mean the same).
    """

    ORDER = (
        "review",
        "quiz",
        "mock",
        "exercise",
        "implement",
        "show",
        "demo",
        "list",
        "search",
        "stats",
        "config",
        "suspend",
        "unsuspend",
        "forget",
        "export",
        "check",
        "reset",
        "repair",
    )

    def invoke(self, ctx):
        _META.set(ctx.meta)
        from dlquiz import notices
        from dlquiz.cli.edges import explain, fail, note

        notices.set_sink(note)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as exc:
            message = explain(exc)
            if message is None:
                raise  # a closed pipe (click ends quietly), or a bug: its traceback is the report
            fail(message, getattr(exc, "exit_code", 2))
        finally:
            notices.set_sink(None)

    def list_commands(self, ctx):  # noqa: ARG002 (daily use first, upkeep last)
        return sorted(self.commands, key=lambda name: self.ORDER.index(name) if name in self.ORDER else len(self.ORDER))

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        if command is not None and not any(p.name == "bank" for p in command.params):
            command.params.append(_bank_option())
            command.params.append(_color_option())
        if command is not None:
            from dlquiz.cli.edges import guard_numbers

            guard_numbers(command)
        return command


app = typer.Typer(
    cls=_Group,
    help="Deep-learning interview prep: flashcards, quizzes, derivations and live NumPy demos.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlquiz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    bank: str | None = typer.Option(
        None,
        "--bank",
        metavar="DIR",
        help="Add every *.yaml and *.yml in DIR to the built-in bank (also $DLQUIZ_BANK).",
    ),
    color: str | None = typer.Option(  # noqa: ARG001 (handled by its callback)
        None,
        "--color",
        metavar="WHEN",
        is_eager=True,
        callback=_apply_color,
        autocompletion=lambda: ["auto", "always", "never"],
        help=COLOR_HELP,
    ),
    version: bool = typer.Option(  # noqa: ARG001 (handled by its callback)
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Deep-learning interview prep: flashcards, quizzes, derivations and live NumPy demos."""
    if bank is not None:
        ctx.meta[BANK_KEY] = bank
    ctx.call_on_close(lambda: _print_warnings(ctx.meta))


# --------------------------------------------------------------------------- shared by the commands


def bank_dir() -> str | None:
    """The --bank given anywhere on the command line (None: only $DLQUIZ_BANK and the built-in bank)."""
    return _META.get({}).get(BANK_KEY)


def current_bank():
    """The question bank, with the user's directory added.

    A personal bank with problems does not stop the daily commands: its broken items are left out and a
    warning says how many and points to 'dlquiz --bank DIR check' (see bank.load_bank_partial).
    """
    from dlquiz.bank import load_bank_partial

    bank, left_out = load_bank_partial(bank_dir())
    if left_out is not None:
        warn_at_end(left_out.summary())
    return bank


def warn_at_end(message: str) -> None:
    """Show a warning on stderr when the command ends, so a review (which clears the screen for each
    card) cannot wipe it before it is read. Outside a running command line it is shown at once."""
    meta = _META.get(None)
    if meta is None:
        _print_warnings({WARNINGS_KEY: [message]})
    else:
        meta.setdefault(WARNINGS_KEY, []).append(message)


def _print_warnings(meta: dict[str, Any]) -> None:
    from rich.text import Text

    from dlquiz.ui.console import err_console

    out = err_console()
    for message in meta.pop(WARNINGS_KEY, []):  # a terminal wraps it between words; a log keeps it whole
        out.print(Text("warning: ", style="bad") + Text(message), soft_wrap=not out.is_terminal)


def console():
    """The console that commands print to."""
    from dlquiz.ui import console as ui_console

    return ui_console.console()


def confirmed(question: str, yes: bool) -> bool:
    """Whether to go on with a change: ``--yes``, or y at ``question`` (no, the default: "Nothing changed.").
    Ctrl-C or the end of input at the question also changes nothing, and exits with 130."""
    try:
        if yes or typer.confirm(question, default=False):
            return True
    except (typer.Abort, EOFError):
        typer.echo("\nNothing changed.")
        raise typer.Exit(130) from None
    typer.echo("Nothing changed.")
    return False


def _check_difficulty(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() not in ("easy", "medium", "hard"):
        raise typer.BadParameter("must be easy, medium or hard")
    return value.lower()


# --------------------------------------------------------------------------- shell completion
# Each returns (value, help) pairs; typer keeps those that start with what was typed. A bank that does
# not load completes nothing rather than printing an error into the user's command line.


def _completion_bank(ctx: typer.Context):
    from dlquiz.bank import load_bank

    try:
        return load_bank(ctx.meta.get(BANK_KEY))
    except Exception:
        return None


def complete_item_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import item_choices

    bank = _completion_bank(ctx)
    return item_choices(bank, incomplete) if bank is not None else []


def complete_topic(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import topic_choices

    bank = _completion_bank(ctx)
    return topic_choices(bank, incomplete) if bank is not None else []


def complete_tag(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import tag_choices

    bank = _completion_bank(ctx)
    return tag_choices(bank, incomplete) if bank is not None else []


def complete_demo_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import demo_choices

    bank = _completion_bank(ctx)
    return demo_choices(bank, incomplete) if bank is not None else []


def complete_exercise_item(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import exercise_choices

    bank = _completion_bank(ctx)
    return exercise_choices(bank, incomplete) if bank is not None else []


def complete_implement(incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import implement_choices

    return implement_choices(incomplete)


def complete_setting(incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import setting_choices

    return setting_choices(incomplete)


def complete_export_format(incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import value_choices

    formats = [
        ("apkg", "an Anki package, with your progress (--history)"),
        ("anki", "a note file for Anki's File > Import"),
        ("markdown", "a study sheet"),
        ("csv", "a spreadsheet"),
    ]
    return value_choices(formats, incomplete)


def complete_quiz_mode(incomplete: str) -> list[tuple[str, str]]:
    from dlquiz.completion import value_choices
    from dlquiz.model import QuizMode

    about = {
        QuizMode.FLASHCARD: "recall, then grade yourself",
        QuizMode.CHOICE: "multiple choice, graded for you",
        QuizMode.EXERCISE: "numeric exercises, graded for you",
        QuizMode.MIXED: "each item in a form it has",
    }
    return value_choices(((mode.value, text) for mode, text in about.items()), incomplete)


TopicOpt = Annotated[str | None, typer.Option("--topic", "-t", help="Only this topic.", autocompletion=complete_topic)]
TagOpt = Annotated[str | None, typer.Option("--tag", help="Only items with this tag.", autocompletion=complete_tag)]
DifficultyOpt = Annotated[
    str | None, typer.Option("--difficulty", "-d", callback=_check_difficulty, help="easy, medium or hard.")
]


def main() -> None:
    from dlquiz.cli.edges import finish_output, guard_streams

    guard_streams()
    try:
        app(prog_name="dlquiz")
        status: Any = 0
    except SystemExit as exc:
        status = exc.code
    sys.exit(finish_output(status))
