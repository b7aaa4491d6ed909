"""One write of the store: ``BEGIN IMMEDIATE`` … ``COMMIT``, checked before it starts, translated when it fails."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from typing import TYPE_CHECKING

from dlquiz import faults
from dlquiz.store.errors import ReadOnlyStateError, StateMovedError, translate

if TYPE_CHECKING:
    from dlquiz.store.database import Store


class WriteTransaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception (Ctrl-C included).

    Before it begins: the store's integrity check must have passed. Once it holds the write lock: the file
    at the store's path must still be the one opened (not moved aside by a reset elsewhere). Any SQLite
    error becomes a NotSavedError saying why (disk full, read-only, busy, ...), the transaction rolled back.
    """

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    def __enter__(self) -> None:
        store = self.store
        store.verify()
        if store.readonly:
            raise ReadOnlyStateError(f"{store.path} was opened only for reading; nothing was saved")
        try:
            faults.point("begin")
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, store.path, writing=True) from None
        try:
            self._check_in_place()
        except BaseException:
            self._rollback()
            raise

    def _check_in_place(self) -> None:
        store = self.store
        if store.identity is None:
            return
        try:
            info = os.stat(store.path)
            moved = (info.st_dev, info.st_ino) != store.identity
        except OSError:
            moved = True
        if moved:
            raise StateMovedError(
                f"the state file {store.path} was moved aside (by 'dlquiz reset' in another terminal?) after this "
                "session opened it; nothing more is saved here: start a new session to use the new state"
            )

    def _rollback(self) -> None:
        # SQLite may have rolled back by itself (a full disk can do that): nothing of it was kept either way
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            try:
                faults.point("commit")
                self.db.execute("COMMIT")
                return
            except sqlite3.Error as error:
                self._rollback()
                raise translate(error, self.store.path, writing=True) from None
            except BaseException:
                self._rollback()
                raise
        self._rollback()
        if isinstance(exc, sqlite3.Error):
            raise translate(exc, self.store.path, writing=True) from None
