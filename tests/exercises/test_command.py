"""`dlquiz exercise` driven through typer's CliRunner with piped answers."""

import re

import numpy as np
import pytest
from typer.testing import CliRunner

import dlquiz.bank.loader
from dlquiz.cli import app
from dlquiz.exercises import fmt, generate

ITEM = """\
- id: {id}
  topic: {topic}
  difficulty: easy
  question: A question about {id}.
  answer: A short model answer for {id}.
  key_points:
    - first point
    - second point
"""


@pytest.fixture
def bank(tmp_path, monkeypatch):
    """A user bank of four items (three with an exercise) and no built-in items."""
    empty = tmp_path / "builtin"
    empty.mkdir()
    monkeypatch.setattr(dlquiz.bank.loader, "builtin_dir", lambda: empty)
    user = tmp_path / "user"
    user.mkdir()
    files = {
        "mine": [
            ("my-sigmoid", "activations.sigmoid_derivative"),
            ("my-softmax", "activations.softmax_probs"),
            ("my-plain", None),
        ],
        "opt": [("my-adam", "optimizers.adam_first_step")],
    }
    for topic, items in files.items():
        text = ""
        for item_id, link in items:
            text += ITEM.format(id=item_id, topic=topic)
            if link:
                text += f"  exercise: {link}\n"
        (user / f"{topic}.yaml").write_text(text, encoding="utf-8")
    return str(user)


def run(bank, *args, input=""):
    return CliRunner().invoke(app, ["--bank", bank, "exercise", *args], input=input)


def exact(link, seed):
    return ", ".join(repr(v) for v in generate(link, np.random.default_rng(seed)).answer)


def test_right_answer_is_confirmed_and_scored(bank):
    result = run(bank, "my-sigmoid", "--seed", "5", input=exact("activations.sigmoid_derivative", 5) + "\n")
    assert result.exit_code == 0, result.output
    assert "Exercise 1/1 · my-sigmoid (mine)" in result.output
    assert "✓ Right, all of them" in result.output
    assert "Worked solution" in result.output and "σ(z)(1 − σ(z))" in result.output
    assert "Score: 1/1 right (100%)" in result.output


def test_wrong_answer_says_how_far_off_then_shows_the_steps(bank):
    ex = generate("activations.sigmoid_derivative", np.random.default_rng(5))
    given = ex.answer[0] + 0.1
    result = run(bank, "my-sigmoid", "--seed", "5", input=f"{given!r}, {ex.answer[1]!r}\n")
    assert result.exit_code == 0
    assert "✗ Not quite: 1 of 2 is wrong" in result.output
    assert "σ(z) = " + fmt(given) + ": off by +0.1 (" in result.output
    assert result.output.index("off by") < result.output.index("Worked solution")
    assert "Score: 0/1 right (0%)" in result.output


def test_malformed_answer_is_asked_again(bank):
    answer = exact("activations.sigmoid_derivative", 2)
    result = run(bank, "my-sigmoid", "--seed", "2", input="0.5\n" + answer + "\n")
    assert "Could not read that: expected 2 numbers, found 1" in result.output
    assert "Score: 1/1 right" in result.output


def test_hint_and_solution_on_request(bank):
    result = run(bank, "my-sigmoid", "--seed", "2", input="?\n\n")
    assert "Hint: σ′(z) = σ(z)·(1 − σ(z))" in result.output
    assert "Solution: σ(z) = " in result.output
    assert "Score: 0/1 right (0%) · 1 without an answer" in result.output


def test_end_of_input_stops_with_a_summary(bank):
    answer = exact("activations.sigmoid_derivative", 3)
    result = run(bank, "my-sigmoid", "-n", "3", "--seed", "3", input=answer + "\n")
    assert result.exit_code == 0
    assert "Exercise 2/3" in result.output and "Exercise 3/3" not in result.output
    assert "Score: 1/1 right (100%) · stopped after 1 of 3" in result.output


def test_q_quits_before_answering(bank):
    result = run(bank, "my-sigmoid", input="q\n")
    assert result.exit_code == 0
    assert "No exercise answered." in result.output


def test_without_id_only_items_with_an_exercise_each_once(bank):
    result = run(bank, "-n", "10", "--seed", "0", input="\n" * 10)
    asked = re.findall(r"Exercise \d/(\d) · ([a-z-]+)", result.output)
    assert sorted(item for _, item in asked) == ["my-adam", "my-sigmoid", "my-softmax"]
    assert {total for total, _ in asked} == {"3"}
    assert "Score: 0/3 right" in result.output


def test_topic_filter(bank):
    result = run(bank, "--topic", "opt", input="\n")
    assert "my-adam (opt)" in result.output and "my-sigmoid" not in result.output


def test_user_mistakes_exit_2_with_a_message(bank):
    result = run(bank, "my-plain")
    assert result.exit_code == 2 and "has no numeric exercise" in result.output
    result = run(bank, "--topic", "nosuch")
    assert result.exit_code == 2 and "no topic 'nosuch'" in result.output
    result = run(bank, "my-sigmoid", "--topic", "mine")
    assert result.exit_code == 2
    result = run(bank, "my-sigmod")
    assert result.exit_code == 2 and "my-sigmoid" in result.output


def test_help_has_an_example():
    result = CliRunner().invoke(app, ["exercise", "--help"])
    assert result.exit_code == 0 and "Example: dlquiz exercise" in result.output


def test_tag_and_difficulty_filter_exercises_like_review_quiz_and_mock():
    """Friction 11: exercise had --topic only."""
    from collections import Counter

    from dlquiz.activities.quiz import exercise_entries

    builtin = dlquiz.bank.load_bank()
    with_exercise = [item for item in builtin if item.exercise]
    tags = Counter(tag for item in with_exercise for tag in item.tags)
    tag = next(t for t, n in tags.most_common() if len({i.difficulty for i in with_exercise if t in i.tags}) > 1)
    level = next(i.difficulty for i in with_exercise if tag in i.tags)
    wanted = {i.id for i in with_exercise if tag in i.tags and i.difficulty == level}
    entries = exercise_entries(builtin, None, None, 1000, 7, tag=tag.upper(), difficulty=level)
    assert {e.item.id for e in entries} == wanted
    assert len(wanted) < len([i for i in with_exercise if tag in i.tags])  # the difficulty narrowed it


def test_filters_whose_items_have_no_exercise_say_so():
    builtin = dlquiz.bank.load_bank()
    selections = {(tag, item.difficulty) for item in builtin for tag in item.tags}
    tag, level = next(
        (tag, level)
        for tag, level in sorted(selections)
        if not any(i.exercise for i in builtin if tag in i.tags and i.difficulty == level)
    )
    result = CliRunner().invoke(app, ["exercise", "--tag", tag, "-d", level])
    assert result.exit_code == 1  # valid filters, nothing to practise: as when filters match nothing
    assert f"no item that --tag {tag} --difficulty {level} selects has a numeric exercise" in result.stderr
    both = CliRunner().invoke(app, ["exercise", "sigmoid-derivative", "--tag", "cnn"])
    assert both.exit_code == 2 and "give an item ID or filters" in both.stderr
