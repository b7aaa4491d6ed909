"""Where dlquiz keeps its files: $DLQUIZ_HOME, else the platform's user data directory."""

from __future__ import annotations

import os
from pathlib import Path


def data_home() -> Path:
    """The directory that holds state.db (not created here)."""
    env = os.environ.get("DLQUIZ_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dlquiz", appauthor=False))


def state_path() -> Path:
    return data_home() / "state.db"


def cache_dir() -> Path | None:
    """Where rebuildable caches go: $DLQUIZ_HOME/cache, else the platform's user cache directory.

    None when $DLQUIZ_HOME names a directory that does not exist: a cache never creates the user's
    home (that is for the commands that keep state, which say so clearly).
    """
    env = os.environ.get("DLQUIZ_HOME")
    if env:
        home = Path(env).expanduser()
        return home / "cache" if home.is_dir() else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dlquiz", appauthor=False))
