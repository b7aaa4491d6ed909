"""Compile dlquiz to bytecode before timing it, as `pip install` does.

Where PYTHONDONTWRITEBYTECODE is set (as on this project's development machine), a checkout never gets
its .pyc files, and every timed run would compile about 200 modules from source first: some 60 ms that
no installed copy ever pays. Python still reads .pyc files under that setting; it only does not write
them, so writing them once here makes the runs measure what a user runs.
"""

from __future__ import annotations

import compileall
from pathlib import Path

import dlquiz


def compile_dlquiz() -> str:
    """Write the .pyc files of the dlquiz being timed; returns a line saying so, for the report."""
    package = Path(dlquiz.__file__).resolve().parent
    compileall.compile_dir(str(package), quiet=1)
    return f"(bytecode compiled for {package}, as an installed copy has it)"
