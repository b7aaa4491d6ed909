"""The command line: ``app`` (the typer application) and ``main`` (the entry point).

:mod:`dlquiz.cli.app` holds the application, the options every command shares and the helpers commands
use; each other module registers its commands on ``app`` when imported here:

- :mod:`dlquiz.cli.study`: review, quiz, mock, exercise, suspend (the sessions);
- :mod:`dlquiz.cli.implement`: implement (coding practice);
- :mod:`dlquiz.cli.library`: list, show, search, demo, check, export (the bank);
- :mod:`dlquiz.cli.progress`: stats, config, reset, repair (the learner's state).
"""

from dlquiz.cli import implement, library, progress, study  # noqa: F401  (each registers its commands)
from dlquiz.cli.app import app, main

__all__ = ["app", "main"]
