"""`dlquiz search` as a terminal user expects: hyphenated words and ids, spelling variants, a snippet of
where it matched, --json, and exit 1 when nothing matches (as grep)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dlquiz.bank import load_bank
from dlquiz.cli import app
from dlquiz.search import find, fold, highlights, query_problem, snippet, suggestions, term_pattern, window


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def ids(query) -> list[str]:
    return [hit.item.id for hit in find(load_bank().items, query)]


def test_a_hyphenated_tag_finds_every_item_tagged_so():
    tagged = {item.id for item in load_bank() if "weight-decay" in item.tags}
    assert len(tagged) >= 3
    assert tagged <= set(ids(["weight-decay"]))  # B4: only 1 of the 3 before
    assert set(ids(["weight-decay"])) == set(ids(["weight decay"]))  # a hyphen is a space


def test_an_id_finds_its_item_first():
    assert ids(["adam-bias-correction"])[0] == "adam-bias-correction"
    assert "adam-bias-correction" in ids(["bias-correction"])


@pytest.mark.parametrize(
    "british, american",
    [
        ("normalisation", "normalization"),
        ("normalise", "normalize"),
        ("regularisation", "regularization"),
        ("initialisation", "initialization"),
        ("optimiser", "optimizer"),
        ("modelling", "modeling"),
        ("labelled", "labeled"),
    ],
)
def test_british_and_american_spellings_find_the_same_items(british, american):
    found = ids([british])
    assert found, british
    assert found == ids([american])


def test_folding_meets_spellings_without_merging_different_words():
    assert fold("Normalisation") == fold("normalization")
    assert fold("colour") == fold("color") and fold("centre") == fold("center")
    assert fold("analyse") == fold("analyze") and fold("catalogue") == fold("catalog")
    assert fold("four") != fold("for") and fold("your") != fold("yor") and fold("hour") == "hour"
    assert fold("weight-decay") == fold("weight_decay") == fold("Weight  Decay") == "weight decay"


def test_a_term_pattern_matches_every_spelling_in_the_original_text():
    pattern = term_pattern(fold("batch normalization"))
    for text in ("Batch normalisation", "batch-normalization", "BATCH  NORMALIZATION"):
        assert pattern.search(text), text
    assert not pattern.search("batchnormalization x")


def test_every_term_must_match_and_a_quoted_phrase_must_be_adjacent():
    words = set(ids(["batch", "size"]))
    phrase = set(ids(["batch size"]))
    assert phrase and phrase <= words
    assert len(phrase) < len(words)
    assert ids("zebra quantum") == []


def test_a_snippet_shows_and_marks_the_match():
    hit = find(load_bank().items, ["weight-decay"])[0]
    found = snippet(hit, ["weight-decay"], width=60)
    assert found is not None and len(found.text) <= 60
    for start, end in found.spans:
        assert fold(found.text[start:end]) == "weight decay"


def test_a_cut_window_keeps_the_match_and_whole_words():
    text = " ".join(f"word{i}" for i in range(40)) + " the needle here " + " ".join(f"tail{i}" for i in range(40))
    spans = highlights(text, ["needle"])
    shown = window("answer", text, spans, 50)
    assert len(shown.text) <= 50 and shown.text.startswith("…") and shown.text.endswith("…")
    ((start, end),) = shown.spans
    assert shown.text[start:end] == "needle"
    assert all(part.startswith(("word", "tail", "the", "needle", "here")) for part in shown.text.strip("…").split())


def test_search_command_prints_id_topic_and_where_it_matched():
    result = run("search", "weight-decay")
    assert result.exit_code == 0
    assert "adamw  optimizers" in result.stdout
    assert "matches · dlquiz show ID" in result.stdout
    assert all(not line.endswith(" ") for line in result.stdout.splitlines())


def test_nothing_found_exits_1_with_a_suggestion_on_stderr():
    result = run("search", "atention")
    assert result.exit_code == 1 and result.stdout == ""
    assert "Did you mean: attention?" in result.stderr
    assert suggestions(load_bank().items, "qwertyuiop") == []


def test_search_json_is_for_scripts():
    result = run("search", "--json", "normalisation", "-n", "3")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and len(data) == 3
    assert {"id", "topic", "score", "question", "snippet", "matched_in"} <= set(data[0])
    assert data[0]["topic"] == "normalization"
    empty = run("search", "--json", "qwertyuiop")
    assert empty.exit_code == 1 and json.loads(empty.stdout) == []


# --------------------------------------------------------------------------- punctuation, forms, compounds


@pytest.mark.parametrize("query", ["(", "=", "--", "...", "( )"])
def test_a_term_of_punctuation_alone_is_refused_not_matched_everywhere(query):
    result = run("search", "--", query)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"'{query}' has no letters or digits" in result.stderr


def test_an_empty_query_is_a_usage_error():
    for args in (("",), ("  ",), ("", "")):
        result = run("search", *args)
        assert result.exit_code == 2 and "give a word to search for" in result.stderr
        assert "Nothing matches" not in result.output


def test_a_mathematical_sign_is_a_word_to_search():
    assert run("search", "∂").exit_code == 0  # the derivations write ∂L/∂x


def batch_norm_items() -> set[str]:
    return {item.id for item in load_bank() if item.id.startswith("batchnorm-")}


@pytest.mark.parametrize("word", ["normalize", "normalise", "normalization", "normalizing", "normalized"])
def test_a_word_finds_its_other_forms(word):
    assert len(batch_norm_items()) >= 3
    assert batch_norm_items() <= set(ids([word]))  # 'normalize' found none of them before


def test_forms_are_whole_words_and_do_not_merge_different_words():
    from dlquiz.wordforms import family

    assert {"normalization", "normalizing", "normalized"} <= set(family("normalize"))
    assert {"train", "trained"} <= set(family("training")) and "embed" in family("embeddings")
    assert "batch" in family("batches") and "compute" in family("computing")
    for word, other in (("stats", "state"), ("stats", "stated"), ("size", "sization"), ("number", "numb")):
        assert other not in family(word), (word, other)
    assert "state" not in family("station") and "us" not in family("using")
    pattern = term_pattern("training")
    assert pattern.search("it was trained") and not pattern.search("constrained")  # a form is a whole word
    assert term_pattern("normalize").search("batch normalisation")


def test_a_compound_and_its_spaced_form_find_the_same_items():
    assert set(ids(["layer norm"])) == set(ids(["layernorm"]))  # 2 and 6 before
    assert len(ids(["layer norm"])) >= 6
    assert set(ids(["batch norm"])) == set(ids(["batchnorm"]))
    assert "batchnorm-backward" in ids(["batch norm"])


def test_words_that_meet_by_chance_are_not_a_compound():
    from dlquiz.search import _corpus, compounds_in

    corpus, _ = _corpus(load_bank().items)
    assert compounds_in("batchnorm", corpus).splits == ((0, "batch", "norm"),)
    assert compounds_in("onehot", corpus).splits == ((0, "one", "hot"),)  # written one-hot
    assert compounds_in("infonce", corpus).splits == ()  # "… becomes inf once z …" is no InfoNCE
    assert compounds_in("another", corpus).splits == ()


def test_search_json_gives_every_match_unless_n_limits_it_and_then_says_so():
    total = len(ids(["normalization"]))
    assert total > 20
    every = run("search", "--json", "normalization")
    assert every.exit_code == 0 and len(json.loads(every.stdout)) == total and every.stderr == ""
    some = run("search", "--json", "normalization", "-n", "3")
    assert len(json.loads(some.stdout)) == 3 and f"showing 3 of {total} matches (-n 3)" in some.stderr
    shown = run("search", "normalization")  # the terminal still shows 20 at first
    assert f"20 of {total} matches" in shown.stdout


def test_a_shell_style_star_is_not_searched_as_an_asterisk():
    """A glob habit: 'norm*' found the 2 items with a literal '*' next to 'norm' (44 for 'norm')."""
    assert len(ids(["norm"])) > 10
    assert ids(["norm*"]) == ids(["*norm"]) == ids(["norm"])
    assert query_problem(["*"]) is not None  # a star alone is still no word
