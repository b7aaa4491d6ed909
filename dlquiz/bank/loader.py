"""The question bank: which files make it, each file parsed (from the cache when unchanged), the checks
that need every item in view (duplicate ids, links, see_also), and loading it.

Every problem is collected with its file, line, item and field before anything is raised, so
``dlquiz check`` lists them all at once. Loading is strict for the built-in bank and for ``check``; the
daily commands load a personal bank leniently (``load_bank_partial``): its broken items are left out
with a warning, because one typo in a file of one's own notes should not stop the day's review.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dlquiz.bank import links
from dlquiz.bank.fields import ItemRefs
from dlquiz.bank.parsing import display, parse_file
from dlquiz.bank.problems import BankError, Problem
from dlquiz.errors import UserError, visible
from dlquiz.model import Bank, Item
from dlquiz.wording import did_you_mean, plural

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the dlquiz package (this module is in dlquiz/bank/)
SUFFIXES = (".yaml", ".yml")

# The built-in topic files in the order the curriculum teaches them; unknown topics follow alphabetically.
TOPIC_ORDER = (
    "foundations",
    "activations",
    "training-and-backprop",
    "losses",
    "optimizers",
    "regularization",
    "normalization",
    "initialization",
    "gradients",
    "cnn",
    "sequence",
    "attention",
    "evaluation",
    "generative",
    "representation-learning",
    "transformers-and-llms",
    "training-at-scale",
    "efficiency",
)


# --------------------------------------------------------------------------- which files


def builtin_dir() -> Path:
    """The shipped questions: inside the package when installed, beside it in a checkout."""
    installed = PACKAGE_DIR / "questions"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "questions"


def user_dirs(bank_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """The user's extra bank directories: ``--bank DIR`` if given, else ``$DLQUIZ_BANK``."""
    chosen = bank_dir if bank_dir is not None else os.environ.get("DLQUIZ_BANK")
    if not chosen:
        return []
    path = Path(chosen).expanduser()
    try:
        is_dir = path.is_dir()
    except OSError as exc:  # a name too long for the file system, ...
        raise UserError(f"bank directory '{visible(str(path), 80)}' cannot be used: {exc.strerror or exc}") from None
    if not is_dir:
        raise UserError(f"bank directory {visible(str(path), 200)} does not exist or is not a directory")
    return [path]


def bank_files(extra: Iterable[Path] = ()) -> list[Path]:
    """The built-in topic files in curriculum order, then each user directory's ``*.yaml`` and ``*.yml``."""
    files = sorted(_yaml_files(builtin_dir()), key=_topic_order)
    for directory in extra:
        files.extend(sorted(_yaml_files(directory)))
    return files


def _yaml_files(directory: Path) -> list[Path]:
    try:
        with os.scandir(directory) as entries:
            names = [e.name for e in entries if e.name.endswith(SUFFIXES) and not e.name.startswith(".")]
    except OSError as exc:
        raise UserError(
            f"cannot read the bank directory {visible(str(directory), 200)}: {exc.strerror or exc}"
        ) from None
    return [directory / name for name in names]


def _topic_order(path: Path) -> tuple[int, str]:
    stem = path.stem
    return (TOPIC_ORDER.index(stem) if stem in TOPIC_ORDER else len(TOPIC_ORDER), stem)


# --------------------------------------------------------------------------- the whole bank


@dataclass(frozen=True)
class Scan:
    """Everything the files say: the valid items, every problem (in file and line order) and every id an
    item gives, whether or not that item has problems of its own."""

    files: tuple[Path, ...]
    items: tuple[Item, ...]
    problems: tuple[Problem, ...]
    ids: frozenset[str]
    refs: tuple[ItemRefs, ...]


def scan_files(files: Sequence[Path], use_cache: bool = False) -> Scan:
    """Parse and cross-check files.

    Links, duplicate ids and see_also are checked for every item, even one with other problems or
    without a usable id, so fixing one problem never uncovers another that was there all along. Links
    are checked here rather than in the (cached) parse of a file: the code they name can change while
    the YAML does not.
    """
    problems: list[Problem] = []
    items: list[Item] = []
    refs: list[ItemRefs] = []
    twins = _same_topic(files)
    for path in files:
        if path in twins:
            problems.append(twins[path])
            continue
        parsed = parse_file(path, use_cache)
        items.extend(parsed.items)
        refs.extend(parsed.refs)
        problems.extend(parsed.problems)
    rejected = _cross_check(refs, problems)
    order = {display(path): index for index, path in enumerate(files)}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line))
    kept = tuple(item for item in items if (item.source, item.line) not in rejected)
    return Scan(tuple(files), kept, tuple(problems), frozenset(r.id for r in refs if r.id), tuple(refs))


def _same_topic(files: Sequence[Path]) -> dict[Path, Problem]:
    """A problem for each file whose directory holds another file of the same topic (x.yaml and x.yml)."""
    seen: dict[tuple[Path, str], list[Path]] = {}
    for path in files:
        seen.setdefault((path.parent, path.stem), []).append(path)
    out = {}
    for group in (g for g in seen.values() if len(g) > 1):
        for path in group:
            others = " and ".join(display(p) for p in group if p != path)
            out[path] = Problem(
                display(path),
                0,
                f"{others} gives the same topic '{path.stem}'; keep one of the files (both are left out)",
            )
    return out


def _cross_check(refs: list[ItemRefs], problems: list[Problem]) -> set[tuple[str, int]]:
    """Add the problems that need every item in view; the (source, line) of each item they reject."""
    first: dict[str, ItemRefs] = {}
    rejected: set[tuple[str, int]] = set()
    for ref in refs:
        if ref.id is None:
            continue
        if ref.id in first:
            other = first[ref.id]
            where = f"{other.source}:{other.line}"
            problems.append(Problem(ref.source, ref.line, f"duplicate id; first defined at {where}", ref.id, "id"))
            rejected.add((ref.source, ref.line))
        else:
            first[ref.id] = ref
    known: dict[tuple[str, str], str | None] = {}  # many items link the same code: check each link once
    for ref in refs:
        label = ref.id or f"#{ref.line}"
        found = len(problems)
        for kind, link, line in ref.links:
            if (kind, link) not in known:
                known[kind, link] = links.problem(kind, link)
            why = known[kind, link]
            if why:
                problems.append(Problem(ref.source, line, why, label, kind))
        for wanted in ref.see_also:
            if wanted not in first:
                hint = did_you_mean(wanted, first, 1)
                problems.append(
                    Problem(
                        ref.source,
                        ref.see_also_line,
                        f"'{visible(wanted, 60)}' is not an item id{hint}",
                        label,
                        "see_also",
                    )
                )
        if len(problems) > found:
            rejected.add((ref.source, ref.line))
    return rejected


def validate_files(files: Iterable[Path], use_cache: bool = False) -> tuple[list[Item], list[Problem]]:
    """The valid items of ``files`` and every problem found, in file order (see ``scan_files``)."""
    found = scan_files(list(files), use_cache)
    return list(found.items), list(found.problems)


def _check_command(extra: list[Path]) -> str:
    """The check command for the user's bank, its folder named as the problems name their files (relative
    to the working directory when inside it)."""
    return f"dlquiz --bank {visible(display(extra[0]), 200)} check" if extra else "dlquiz check"


def load_bank(bank_dir: str | os.PathLike[str] | None = None) -> Bank:
    """The built-in bank plus the user's (``bank_dir`` or ``$DLQUIZ_BANK``); BankError on any problem."""
    extra = user_dirs(bank_dir)
    found = scan_files(bank_files(extra), use_cache=True)
    if found.problems:
        raise BankError(list(found.problems), _check_command(extra))
    return Bank(found.items)


# --------------------------------------------------------------------------- a personal bank with problems


@dataclass(frozen=True)
class LeftOut:
    """What of a personal bank was left out because of its problems."""

    directory: Path
    problems: tuple[Problem, ...]
    items: int  # items of the directory that are not in the bank
    files: int  # files of the directory that gave no item at all (unreadable, bad YAML, ...)

    def summary(self) -> str:
        """What was left out and how to see why (one line), then the first problem (a second line)."""
        parts = []
        if self.items:
            parts.append(plural(self.items, "item"))
        if self.files:
            parts.append(plural(self.files, "file"))
        count = len(self.problems)
        return (
            f"{' and '.join(parts) or 'nothing'} of {visible(display(self.directory), 200)} left out "
            f"({plural(count, 'problem')}); '{_check_command([self.directory])}' lists them all"
            f"\n  first: {self.problems[0]}"
        )


def load_bank_partial(bank_dir: str | os.PathLike[str] | None = None) -> tuple[Bank, LeftOut | None]:
    """The bank for the daily commands (review, quiz, list, ...).

    A problem in the built-in bank is a BankError, as in ``load_bank``: it is a bug in dlquiz. A
    problem in the user's own directory is not: the items with problems (and files that cannot be read
    at all) are left out, the rest of the bank loads, and ``LeftOut`` says what is missing so the
    command can warn and point to ``dlquiz --bank DIR check``, which stays strict. An item that names a
    left-out item in ``see_also`` keeps its other references.
    """
    extra = user_dirs(bank_dir)
    files = bank_files(extra)
    found = scan_files(files, use_cache=True)
    if not found.problems:
        return Bank(found.items), None
    builtin = {display(path) for path in files if path.parent == builtin_dir()}
    if any(p.file in builtin for p in found.problems) or not extra:
        raise BankError(list(found.problems), _check_command(extra))
    kept = {item.id for item in found.items}
    items = tuple(
        item if set(item.see_also) <= kept else replace(item, see_also=tuple(i for i in item.see_also if i in kept))
        for item in found.items
    )
    theirs = {display(path) for path in files} - builtin
    given = [ref for ref in found.refs if ref.source in theirs]
    silent = {p.file for p in found.problems} - {ref.source for ref in given}  # no item read at all
    left = LeftOut(extra[0], found.problems, len(given) - sum(item.source in theirs for item in items), len(silent))
    return Bank(items), left
