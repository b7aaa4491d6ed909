"""Helpers for tests that reason about the local clock."""

import time


def local_ms(y, mo, d, h, mi=0):
    """Epoch milliseconds of a local wall-clock time (as the current TZ reads it)."""
    return int(time.mktime((y, mo, d, h, mi, 0, 0, 0, -1)) * 1000)
