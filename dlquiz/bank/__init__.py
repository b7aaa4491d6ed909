"""The question bank: the YAML files of ``questions/`` (and a learner's own folder) read, checked and loaded
into the data model of :mod:`dlquiz.model`.

This package's face is the loader's API, re-exported here (``from dlquiz.bank import load_bank``). The parts,
from the bottom up:

- :mod:`~dlquiz.bank.reading`, :mod:`~dlquiz.bank.yamlfile`: a hostile file read safely (regular, bounded,
  UTF-8, plain YAML composed into nodes with their line numbers);
- :mod:`~dlquiz.bank.problems`: one Problem per finding, located by file, line, item and field;
- :mod:`~dlquiz.bank.lookup`: finding an item, topic, tag or difficulty the user named;
- :mod:`~dlquiz.bank.links`: links from items into dlquiz's own code (reference, demos, exercises), the one
  place that names the linked packages and imports a module by name;
- :mod:`~dlquiz.bank.cache`: rebuildable JSON caches (never pickle, never code);
- :mod:`~dlquiz.bank.fields`: each field of an item as a table row: how it is read, the rules it obeys;
- :mod:`~dlquiz.bank.parsing`: one file parsed into items and problems, from the cache when unchanged;
- :mod:`~dlquiz.bank.loader`: which files make the bank, the checks that need every item, loading it;
- :mod:`~dlquiz.bank.checking`: ``dlquiz check``: the bank strictly, then every link imported and run.
"""

from __future__ import annotations

from dlquiz.bank.loader import (
    TOPIC_ORDER,
    LeftOut,
    Scan,
    bank_files,
    builtin_dir,
    load_bank,
    load_bank_partial,
    scan_files,
    user_dirs,
    validate_files,
)
from dlquiz.bank.problems import BankError, Problem

__all__ = [
    "TOPIC_ORDER",
    "BankError",
    "LeftOut",
    "Problem",
    "Scan",
    "bank_files",
    "builtin_dir",
    "load_bank",
    "load_bank_partial",
    "scan_files",
    "user_dirs",
    "validate_files",
]
