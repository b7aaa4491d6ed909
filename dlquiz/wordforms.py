"""Inflections of one English word, for search: normalize, normalizes, normalized, normalizing and
normalization are one word to a reader, and so are batch, batches, batched and batching.

A few regular rules, not a dictionary: :func:`bases` undoes an ending to find the forms a query word may
come from, :func:`forms` lists the regular forms of a base. Both work on folded words (casefolded,
American spelling: see :func:`dlquiz.search.fold`). The rules stay short so they do not merge different
words: a stem keeps at least four letters (``used`` is not ``us``), ``-ize`` and ``-ate`` need four letters
before them (``size`` and ``state`` have no ``-ation``), and nothing strips ``-er`` (``number`` is not
``numb``). Search asks for these forms as whole words only (``training`` does not find ``constrained``).
"""

from __future__ import annotations

MIN_STEM = 4
_NOUNS = (
    ("izations", "ize"),
    ("ization", "ize"),
    ("izers", "ize"),
    ("izer", "ize"),
    ("ations", "ate"),
    ("ation", "ate"),
)
_VOWELS = "aeiou"


def bases(word: str) -> tuple[list[str], bool]:
    """The base forms ``word`` may be an inflection of, and whether their other forms belong too.

    ``trained`` → ([train, traine], True): train's forms (training, trains) are the same word. A plural
    gives its singular alone: ``stats`` → ([stat], False), since stat's forms (stated) are not stats.
    """
    found: list[str] = []
    if not word.isalpha():
        return found, False
    for ending, base_ending in _NOUNS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= MIN_STEM:
            return [stem + base_ending], True  # normalization → normalize, activation → activate
    for ending in ("ings", "ing", "ed"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= MIN_STEM:
            found = [stem, stem + "e"]  # trained → train, scaled → scale, computing → compute
            if stem[-1] == stem[-2] and stem[-1] not in _VOWELS + "lsz":
                found.append(stem[:-1])  # embedded → embed, stopped → stop
            return found, True
    if word.endswith("es") and len(word) - 2 >= MIN_STEM:
        return [word[:-2], word[:-1]], False  # batches → batch, values → value
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) - 1 >= MIN_STEM:
        return [word[:-1]], False  # layers → layer (not loss, focus, axis)
    return found, False


def forms(base: str) -> list[str]:
    """The regular forms of a base word, itself first: compute → computes, computed, computing, ..."""
    if not base.isalpha():
        return [base]
    if base.endswith("e"):
        stem = base[:-1]
        out = [base, base + "s", base + "d", stem + "ing", stem + "ings"]
        if len(base) - 3 >= MIN_STEM and base.endswith("ize"):
            out += [stem + "ation", stem + "ations", base + "r", base + "rs"]  # normalization, optimizer
        if len(base) - 3 >= MIN_STEM and base.endswith("ate"):
            out += [stem + "ion", stem + "ions"]  # activation
        return out
    plural = base + ("es" if base.endswith(("s", "x", "z", "ch", "sh")) else "s")
    out = [base, plural, base + "ed", base + "ing", base + "ings"]
    if len(base) >= 3 and base[-1] not in _VOWELS + "wxy" and base[-2] in _VOWELS and base[-3] not in _VOWELS:
        last = base[-1]
        out += [base + last + "ed", base + last + "ing", base + last + "ings"]  # embedded, dropping
    return out


def family(word: str) -> list[str]:
    """``word`` and the other forms of the same word, each once: ``normalize`` → normalizes, normalized,
    normalizing, normalization, ...; an inflected word is not inflected again (``training`` gives train's
    forms, not ``trainings``)."""
    found, whole = bases(word)
    out = [word]
    for form in (f for base in found for f in (forms(base) if whole else [base])) if found else forms(word):
        if form not in out:
            out.append(form)
    return out
