"""The command line: one small function per command, arguments and wiring only.

The logic lives in plain functions (dlquiz.bank, dlquiz.search, dlquiz.session, ...) and the rendering
in dlquiz.ui; heavy modules are imported inside the commands that need them, so ``dlquiz --help``
stays fast. The commands are grouped by what they are for:

- :mod:`dlquiz.cli.study`: review, quiz, mock, exercise (the sessions);
- :mod:`dlquiz.cli.library`: list, show, search, demo, check, export (the bank);
- :mod:`dlquiz.cli.progress`: stats, config, reset (the learner's state).

Options every command shares (``--bank``) are added here, once, to every command.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from typing import Annotated, Any

import typer
from typer.core import TyperGroup, TyperOption

from dlquiz import __version__

BANK_KEY = "dlquiz.bank_dir"  # where --bank is kept, in the context's meta (one dict shared by the whole chain)
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
        help="Add every *.yaml in DIR to the built-in bank (also $DLQUIZ_BANK).",
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
        "show",
        "demo",
        "list",
        "search",
        "stats",
        "config",
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
            fail(message)
        finally:
            notices.set_sink(None)

    def list_commands(self, ctx):  # noqa: ARG002 (daily use first, upkeep last)
        return sorted(self.commands, key=lambda name: self.ORDER.index(name) if name in self.ORDER else len(self.ORDER))

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        if command is not None and not any(p.name == "bank" for p in command.params):
            command.params.append(_bank_option())
        if command is not None:
            from dlquiz.cli.edges import guard_numbers

            guard_numbers(command)
        return command


app = typer.Typer(
    cls=_Group,
    help="Deep-learning interview prep: flashcards, quizzes, derivations and live NumPy demos.",
    no_args_is_help=True,
    add_completion=False,
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
        None, "--bank", metavar="DIR", help="Add every *.yaml in DIR to the built-in bank (also $DLQUIZ_BANK)."
    ),
    version: bool = typer.Option(  # noqa: ARG001 (handled by its callback)
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Deep-learning interview prep: flashcards, quizzes, derivations and live NumPy demos."""
    if bank is not None:
        ctx.meta[BANK_KEY] = bank


# --------------------------------------------------------------------------- shared by the commands


def bank_dir() -> str | None:
    """The --bank given anywhere on the command line (None: only $DLQUIZ_BANK and the built-in bank)."""
    return _META.get({}).get(BANK_KEY)


def current_bank():
    """The question bank, with the user's directory added."""
    from dlquiz.bank import load_bank

    return load_bank(bank_dir())


def console():
    """The console that commands print to."""
    from dlquiz.ui import console as ui_console

    return ui_console.console()


def _check_difficulty(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() not in ("easy", "medium", "hard"):
        raise typer.BadParameter("must be easy, medium or hard")
    return value.lower()


TopicOpt = Annotated[str | None, typer.Option("--topic", "-t", help="Only this topic.")]
TagOpt = Annotated[str | None, typer.Option("--tag", help="Only items with this tag.")]
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


# The commands register themselves on ``app`` when imported.
from dlquiz.cli import library, progress, study  # noqa: E402, F401
