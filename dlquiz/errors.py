"""Errors a user can cause and fix: the CLI prints them on one line and exits 2."""


class UserError(Exception):
    """Bad input from the user (an unknown id, a bad option, an invalid bank, unreadable state).

    The message is shown as it is, without a traceback; the process exits with status 2.
    """
