"""Full-text search over the bank: every term must match somewhere; best matches first.

Text and query are folded alike before they are compared, so a search finds what a reader would call
the same words:

- case is ignored, and hyphens and underscores are spaces: ``weight-decay`` finds the tag
  ``weight-decay`` and the words "weight decay", ``adam-bias-correction`` finds that item by its id;
- British and American spellings meet: normalise/normalize, -isation/-ization, -yse/-yze,
  colour/color, centre/center, modelling/modeling, catalogue/catalog.

A term is a word, or a phrase when it holds a space or a hyphen (``"batch norm"``); a term matches a whole
word (or words) or part of one (``norm`` in ``batchnorm``), a whole-word hit counting double. Beyond that:

- a word also finds the other forms of the same word, as whole words (:mod:`dlquiz.wordforms`):
  ``normalize`` finds normalization and normalizing, ``embeddings`` finds embedding;
- a compound and its spaced form meet where the bank writes both: ``batchnorm`` finds "batch norm" (the
  bank has the word and the two words), ``"layer norm"`` finds LayerNorm (the bank has the word, and
  "layer norm..." in "layer normalisation"). Words the bank never writes apart are never split.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from dlquiz.model import Item
from dlquiz.wordforms import family

# How much a hit counts, by where it is: the id, question and tags say what an item is about, the answer
# and the rest mention many things in passing.
WEIGHTS = {
    "id": 4.0,
    "question": 3.0,
    "tags": 3.0,
    "topic": 2.0,
    "key_points": 1.5,
    "answer": 1.0,
    "pitfalls": 1.0,
    "derivation": 1.0,
}
EXACT_ID_BONUS = 100.0  # the query is an item's id: that item first

# British → American, applied to casefolded words; each rule keeps to one word. Over-folding is harmless as
# long as both sides fold alike ("noise" becomes "noize" in text and query), so the rules ask only for
# enough letters before the ending. A rule: (letters before, British, American, ending after, a pattern
# matching both spellings).
_RULES = (
    (r"\w\w", "is", "iz", r"(?:e|es|ed|ing|er|ers|ation|ations|able)\b", "i[sz]"),  # normalise, -isation
    (r"\w\w", "ys", "yz", r"(?:e|es|ed|ing|er|ers)\b", "y[sz]"),  # analyse
    (r"\w\w\w", "our", "or", r"(?:s|ed|ing|ite|ites|able)?\b", "ou?r"),  # colour (not four, hour, your)
    (r"\w\w", "tre", "ter", r"s?\b", "(?:ter|tre)"),  # centre, metre
    (r"\w\w[aeiou]", "ll", "l", r"(?:ed|ing|er|ers)\b", "ll?"),  # modelling, labelled
    (r"\w\w", "ogue", "og", r"s?\b", "og(?:ue)?"),  # catalogue, analogue
)
_SPELLING = tuple((re.compile(f"(?<={b}){british}(?={a})"), american) for b, british, american, a, _ in _RULES)
_VARIANTS = tuple((re.compile(f"(?<={b}){american}(?={a})"), variant) for b, _, american, a, variant in _RULES)
_SEPARATORS = re.compile(r"[-_\s]+")
_WORD = re.compile(r"[^\W_]+")  # a word: letters and digits (an underscore separates, like a hyphen)


def fold(text: str) -> str:
    """``text`` as search compares it: casefolded, hyphens and runs of blanks as one space, one spelling."""
    text = _SEPARATORS.sub(" ", text.casefold()).strip()
    for pattern, american in _SPELLING:
        text = pattern.sub(american, text)
    return text


def word_pattern(word: str) -> str:
    """A regular expression matching a folded word in any of the spellings that fold to it."""
    for pattern, variant in _VARIANTS:
        m = pattern.search(word)
        if m:
            return word_pattern(word[: m.start()]) + variant + word_pattern(word[m.end() :])
    return re.escape(word)


_BEFORE, _AFTER = r"(?<![^\W_])", r"(?![^\W_])"  # a whole word starts / ends here
_APART, _JOINED = r"[-_\s]+", r"[-_\s]*"  # between the words of a phrase; of a compound, written either way
MIN_PART = 3  # the shortest half of a compound that is split (so "another" is never "an other")


def forms_pattern(word: str) -> str:
    """A folded word in any spelling as (part of) a word, or another form of it as a whole word.

    The letters every form starts with come first, outside any group, so the regular expression engine can
    look for them quickly (a pattern that starts with a group or a look-behind is tried at every position).
    """
    own = word_pattern(word)
    others = sorted((word_pattern(f) for f in family(word)[1:] if word not in f), key=len, reverse=True)
    if not others:  # every other form holds the word itself, which already matches inside it
        return own
    head = 0
    while head < len(own) and own[head].isalpha() and all(f[head : head + 1] == own[head] for f in others):
        head += 1
    lead = own[:head]
    rest = "|".join(f[head:] for f in others)
    return (
        rf"{lead}(?:{own[head:]}|(?<![^\W_]{lead})(?:{rest}){_AFTER})"
        if head
        else f"(?:{own}|{_BEFORE}(?:{rest}){_AFTER})"
    )


@dataclass(frozen=True)
class Compounds:
    """Where a term's words meet the bank's compounds: ``joins`` holds i when words i and i+1 may be written
    as one word; ``splits`` maps a word to the two words the bank also writes it as."""

    joins: frozenset[int] = frozenset()
    splits: tuple[tuple[int, str, str], ...] = ()


def term_pattern(term: str, compounds: Compounds = Compounds()) -> re.Pattern:
    """The pattern of a folded term (a word or a phrase) in the original text, case ignored."""
    split = {i: (a, b) for i, a, b in compounds.splits}
    out = []
    for i, word in enumerate(term.split()):
        piece = forms_pattern(word)
        if i in split:
            a, b = split[i]
            piece = f"(?:{piece}|{word_pattern(a)}{_JOINED}{word_pattern(b)})"
        if i:
            out.append(_JOINED if i - 1 in compounds.joins else _APART)
        out.append(piece)
    return re.compile("".join(out), re.IGNORECASE)


def _written(pattern: str, lower: str, whole: bool = True, at_least: int = 1) -> list[re.Match]:
    """Up to ``at_least`` places where the bank's text (``lower``: in lower case) holds ``pattern`` from a
    word's start (to its end, when ``whole``); fewer when there are not so many.

    The start of the word is checked here rather than in the pattern: a pattern that begins with its
    letters is found quickly, one that begins with a look-behind is tried at every position.
    """
    found = []
    for m in re.finditer(pattern + (_AFTER if whole else ""), lower):
        if not (m.start() and lower[m.start() - 1].isalnum()):
            found.append(m)
            if len(found) == at_least:
                break
    return found


def compounds_in(term: str, corpus: str) -> Compounds:
    """The compounds of a folded term that the bank writes both ways.

    Two words join when the bank has them as one word and as two (the second may go on: "layer norm"
    joins LayerNorm because the bank also says "layer normalisation"); a word splits when the bank has it
    and, exactly, its two halves written as a compound: hyphenated once (one-hot) or apart twice (batch
    norm), so that two words that meet by chance ("… becomes inf once z …") do not make InfoNCE "inf once".
    """
    words = term.split()
    if not any(word.isalpha() for word in words):
        return Compounds()
    lower = corpus.lower()  # only read, never indexed by the original text's offsets
    joins = frozenset(
        i
        for i in range(len(words) - 1)
        if (words[i] + words[i + 1]).isalpha()
        and _written(word_pattern(words[i] + words[i + 1]), lower)
        and _written(word_pattern(words[i]) + _APART + word_pattern(words[i + 1]), lower, whole=False)
    )
    splits = []
    for i, word in enumerate(words):
        if not (word.isalpha() and len(word) >= 2 * MIN_PART and _written(word_pattern(word), lower)):
            continue
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            a, b = word[:cut], word[cut:]
            seen = _written(word_pattern(a) + f"({_APART})" + word_pattern(b), lower, at_least=2)
            if len(seen) == 2 or any(m.group(1).strip() for m in seen):  # twice, or with a hyphen
                splits.append((i, a, b))
                break
    return Compounds(joins, tuple(splits))


def query_problem(query: Sequence[str]) -> str | None:
    """Why a query cannot be searched for (nothing in it, or a term of punctuation alone), or None.

    Search looks for words, so ``(`` or ``=`` would match nearly every item; a mathematical sign such as ∂
    or ∇ is a word here (the bank's formulas use them).
    """
    if not any(term.strip() for term in query):
        return "give a word to search for, e.g. dlquiz search softmax"
    for term in query:
        if term.strip() and not any(ch.isalnum() or (ord(ch) > 127 and not _is_punctuation(ch)) for ch in term):
            return f"'{term}' has no letters or digits: search looks for words"
    return None


def _is_punctuation(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch).startswith(("P", "Z", "C"))


def fields(item: Item) -> dict[str, str]:
    """The searchable text of an item, by field."""
    return {
        "id": item.id,
        "question": item.question,
        "tags": " · ".join(item.tags),
        "topic": item.topic,
        "key_points": "\n".join(item.key_points),
        "answer": item.answer,
        "pitfalls": "\n".join(item.pitfalls),
        "derivation": "\n".join(f"{step.step} — {step.why}" for step in item.derivation),
    }


def terms_of(query: str | Sequence[str]) -> list[str]:
    """The folded terms of a query: a string splits into words; each element of a list is one term.

    A shell-style ``*`` at either end of a term is dropped: a word already matches inside longer words, so
    ``norm*`` finds what ``norm`` finds rather than a literal asterisk.
    """
    raw = query.split() if isinstance(query, str) else list(query)
    return [term for term in (fold(t.strip("*") or t) for t in raw) if term]


@dataclass(frozen=True)
class Hit:
    """An item that matched, its score, and the fields its terms matched in."""

    score: float
    item: Item
    matched: tuple[str, ...]  # field names, in WEIGHTS order
    patterns: tuple[re.Pattern, ...] = ()  # the query's terms as searched (with the bank's compounds)


_FIELD_NAMES = tuple(WEIGHTS)
_SEGMENT = "\x00"  # between fields in the searched text; no pattern matches across it


def _corpus(items: Sequence[Item]) -> tuple[str, list[int]]:
    """Every field of every item in one string, and where each (item, field) segment starts."""
    segments = [value for item in items for value in fields(item).values()]
    starts, at = [], 0
    for segment in segments:
        starts.append(at)
        at += len(segment) + 1
    return _SEGMENT.join(segments), starts


def _segments_matching(pattern: re.Pattern, corpus: str, starts: list[int]) -> dict[int, float]:
    """segment → 2.0 where ``pattern`` matches a whole word (or words), 1.0 where only part of one.

    Once a segment has a whole-word match the search jumps to the next segment, so a common word costs one
    step per segment rather than one per occurrence.
    """
    best: dict[int, float] = {}
    pos, end = 0, len(corpus)
    search = pattern.search
    while (m := search(corpus, pos)) is not None:
        start, stop = m.start(), m.end()
        segment = bisect_right(starts, start) - 1
        whole = not (start and corpus[start - 1].isalnum()) and not (stop < end and corpus[stop].isalnum())
        if whole:
            best[segment] = 2.0
            pos = starts[segment + 1] if segment + 1 < len(starts) else end
        else:
            best.setdefault(segment, 1.0)
            pos = stop if stop > start else start + 1
    return best


def find(items: Sequence[Item], query: str | Sequence[str]) -> list[Hit]:
    """Items in which every term occurs, best first; ties keep bank order.

    One pass of each term's pattern over the whole bank's text: fast enough for a bank of ten thousand
    items (``bench/list_large_bank.py``) without an index to keep up to date.
    """
    terms = terms_of(query)
    if not terms:
        return []
    corpus, starts = _corpus(items)
    n_fields = len(_FIELD_NAMES)
    patterns = tuple(term_pattern(term, compounds_in(term, corpus)) for term in terms)
    per_term = [_segments_matching(pattern, corpus, starts) for pattern in patterns]
    candidates = set.intersection(*({segment // n_fields for segment in best} for best in per_term))
    weights = [WEIGHTS[name] for name in _FIELD_NAMES]
    totals = dict.fromkeys(candidates, 0.0)
    fields_hit = dict.fromkeys(candidates, 0)  # a bit per field
    for best in per_term:
        for segment, strength in best.items():
            index, f = divmod(segment, n_fields)
            if index in totals:
                totals[index] += weights[f] * strength
                fields_hit[index] |= 1 << f
    whole_query = " ".join(terms)
    for index in candidates:  # the query is this item's id
        if all(best.get(index * n_fields) == 2.0 for best in per_term) and fold(items[index].id) == whole_query:
            totals[index] += EXACT_ID_BONUS
    ranked = sorted(candidates, key=lambda index: (-totals[index], index))
    return [
        Hit(
            totals[index],
            items[index],
            tuple(name for f, name in enumerate(_FIELD_NAMES) if fields_hit[index] >> f & 1),
            patterns,
        )
        for index in ranked
    ]


def search(items: Sequence[Item], query: str | Sequence[str]) -> list[tuple[float, Item]]:
    """(score, item) for every item matching ``query``, best first (see :func:`find`)."""
    return [(hit.score, hit.item) for hit in find(items, query)]


# --------------------------------------------------------------------------- snippets


def one_line(text: str) -> str:
    """Prose on one line: a code block becomes '[code]', backticks and line breaks go."""
    text = re.sub(r"```.*?(```|$)", " [code] ", text, flags=re.DOTALL)
    text = re.sub(r"\*\*|__|`", "", text)  # Markdown's bold and code marks
    return " ".join(text.split())


def highlights(text: str, terms: Sequence[str | re.Pattern]) -> list[tuple[int, int]]:
    """Character ranges of ``text`` where a term (folded text, or its pattern as searched) matches, widened
    to whole words (merged, in order)."""
    spans = []
    for term in terms:
        pattern = term if isinstance(term, re.Pattern) else term_pattern(term)
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            while start and text[start - 1].isalnum():
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Snippet:
    """A window of one field around its first match, and the matches inside the window."""

    field: str
    text: str
    spans: tuple[tuple[int, int], ...]


SNIPPET_FIELDS = ("question", "answer", "key_points", "pitfalls", "derivation", "tags", "id", "topic")


def snippet(hit: Hit, query: str | Sequence[str], width: int = 72) -> Snippet | None:
    """The first field (question first) whose text shows a match, cut to ``width`` characters around it."""
    terms: Sequence[str | re.Pattern] = hit.patterns or terms_of(query)
    texts = fields(hit.item)
    for name in SNIPPET_FIELDS:
        if name not in hit.matched:
            continue
        text = one_line(texts[name])
        spans = highlights(text, terms)
        if not spans:
            continue
        return window(name, text, spans, width)
    return None


def _word_start_after(text: str, at: int, limit: int) -> int:
    """The start of the first word at or after ``at`` (but not past ``limit``), else of the word at ``limit``."""
    if at == 0 or text[at - 1] == " ":
        return at
    space = text.find(" ", at, limit)
    return space + 1 if space != -1 else text.rfind(" ", 0, limit) + 1


def window(name: str, text: str, spans: list[tuple[int, int]], width: int) -> Snippet:
    """``text`` cut at word boundaries to at most ``width`` characters (ellipses included), the first match
    a quarter of the way in."""
    if len(text) <= width:
        return Snippet(name, text, tuple(spans))
    first = spans[0][0]
    start = _word_start_after(text, max(0, first - width // 4), first)
    room = width - (1 if start else 0) - 1  # an ellipsis at each cut end
    end = start + room
    if end >= len(text):  # the match is near the end: show the end in full
        end = len(text)
        start = _word_start_after(text, max(0, len(text) - (width - 1)), first)
    else:
        space = text.rfind(" ", start, end + 1)
        end = space if space > start + room // 2 else end
    head, tail = ("…" if start else ""), ("…" if end < len(text) else "")
    cut = head + text[start:end].rstrip() + tail
    shift = len(head) - start
    body_end = len(cut) - len(tail)
    inside = tuple((max(s + shift, len(head)), min(e + shift, body_end)) for s, e in spans if e > start and s < end)
    return Snippet(name, cut, inside)


# --------------------------------------------------------------------------- nothing found


def vocabulary(items: Sequence[Item]) -> set[str]:
    """Every folded word of the bank (for suggestions when nothing matches)."""
    corpus, _ = _corpus(items)
    return {fold(word) for word in set(_WORD.findall(corpus.casefold()))}


def suggestions(items: Sequence[Item], query: str | Sequence[str], n: int = 3) -> list[str]:
    """For each query word the bank does not hold, the closest words it does (did you mean …?).

    difflib is enough here: it runs only when nothing matched, over the bank's few thousand distinct
    words, in about 10 ms.
    """
    import difflib

    words = vocabulary(items)
    out: list[str] = []
    for term in terms_of(query):
        for word in term.split():
            if word in words:
                continue
            out += [w for w in difflib.get_close_matches(word, words, n=n, cutoff=0.75) if w not in out]
    return out[:n]
