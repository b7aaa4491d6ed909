"""Helpers for the demo tests: every demo function of every topic module, found by its return type."""

import importlib
import inspect
import pkgutil

import dlquiz.demos
from dlquiz.demos import DemoResult


def all_demo_functions():
    """(link, function) for every public function in dlquiz.demos.<topic> annotated to return a DemoResult."""
    found = []
    for info in pkgutil.iter_modules(dlquiz.demos.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"dlquiz.demos.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_") and inspect.signature(fn).return_annotation in ("DemoResult", DemoResult):
                found.append((f"{info.name}.{name}", fn))
    return found
