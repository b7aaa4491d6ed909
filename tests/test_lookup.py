"""What a user typed and the bank does not have: one "did you mean" for ids, topics, tags and fields, and
filter errors that name the bad value (B13)."""

from __future__ import annotations

import pytest
from bankfiles import item_yaml, write
from typer.testing import CliRunner

from dlquiz.bank import load_bank
from dlquiz.bank.lookup import get_item
from dlquiz.cli import app
from dlquiz.errors import UserError
from dlquiz.listing import filtered_items
from dlquiz.wording import closest, did_you_mean


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_closest_prefers_spelling_then_containing_and_ignores_case():
    assert closest("atention", ["attention", "activations", "losses"]) == ["attention"]
    assert closest("norm", ["normalization", "batch-norm", "losses"]) == ["normalization", "batch-norm"]
    assert closest("Attention", ["attention"]) == ["attention"]
    assert closest("zzz", ["attention", "losses"]) == []


def test_did_you_mean_quotes_each_candidate_and_is_empty_without_one():
    assert did_you_mean("atention", ["attention"]) == "; did you mean 'attention'?"
    assert did_you_mean("adm", ["adam", "adamw", "sgd"]) == "; did you mean 'adam' or 'adamw'?"
    assert did_you_mean("qqqq", ["adam"]) == ""


@pytest.mark.parametrize(
    ("option", "typo", "expected"),
    [
        ("--topic", "atention", "error: no topic 'atention'; did you mean 'attention'?"),
        ("--tag", "atention", "error: no tag 'atention'; did you mean 'attention'"),
        ("--topic", "Optimizers", None),  # any case is the same topic
    ],
)
@pytest.mark.parametrize("command", [["list"], ["export"], ["mock", "-n", "1"]])
def test_filter_errors_name_the_value_and_suggest(command, option, typo, expected):
    result = run(*command, option, typo, *(["--minutes", "1"] if command[0] == "mock" else []))
    if expected is None:
        assert "no topic" not in result.stderr
        return
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(expected), line
    assert "; (" not in line


def test_a_tag_with_nothing_close_says_how_many_there_are_without_stray_punctuation():
    with pytest.raises(UserError) as info:
        filtered_items(load_bank(), tag="qxzzy")  # ('nope' is now close to the tag 'rope')
    message = str(info.value)
    assert message.startswith("no tag 'qxzzy'; none of the bank's ") and "; (" not in message


def test_a_topic_with_nothing_close_lists_the_topics():
    with pytest.raises(UserError, match=r"no topic 'qqq'; the topics are foundations, activations, "):
        filtered_items(load_bank(), topic="qqq")


def test_a_bad_difficulty_outside_the_command_line_is_a_user_error_too():
    with pytest.raises(UserError, match="no difficulty 'hrad'; did you mean 'hard'?"):
        filtered_items(load_bank(), difficulty="hrad")


def test_known_filters_that_match_nothing_together_give_no_items():
    assert filtered_items(load_bank(), topic="cnn", tag="bias-correction") == []


def test_exercise_topic_typo_is_suggested_too():
    result = run("exercise", "--topic", "optimisers")
    assert result.exit_code == 2
    assert "no topic 'optimisers'; did you mean 'optimizers'?" in result.stderr


def test_a_typed_value_with_control_characters_is_quoted_escaped(tmp_path):
    result = run("list", "--topic", "evil\x1b]0;title\x07")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "evil\\x1b]0;title\\x07" in result.stderr


def test_an_unknown_field_suggests_the_closest(tmp_path):
    from dlquiz.bank import validate_files

    path = write(tmp_path, "mine.yaml", item_yaml(see_aslo="[x]"))
    (problem,) = validate_files([path])[1]
    assert "unknown field; did you mean 'see_also'?" in str(problem)


def test_get_item_suggests_close_ids(tmp_path):
    write(tmp_path / "bank", "mine.yaml", item_yaml("gradient-descent-basics"))
    bank = load_bank(tmp_path / "bank")
    with pytest.raises(UserError) as info:
        get_item(bank, "gradient-descnt-basics")
    assert "gradient-descent-basics" in str(info.value)


def test_ids_are_found_whatever_their_case(tmp_path):
    write(tmp_path / "bank", "mine.yaml", item_yaml("my-item"))
    assert get_item(load_bank(tmp_path / "bank"), "My-Item").id == "my-item"
