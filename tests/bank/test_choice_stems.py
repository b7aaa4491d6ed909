"""A multiple-choice item may ask its own question (``choices.stem``): the open question "Explain Adam: its
moments, its update rule and its default hyper-parameters" is not what four update rules answer."""

from __future__ import annotations

from dlquiz.bank import validate_files

ITEM = """\
- id: stem-item
  topic: {topic}
  difficulty: easy
  question: Explain Adam, its moments and its defaults.
  answer: {answer}
  key_points: [one, two]
  choices:
{choices}
"""
ANSWER = " ".join(["word"] * 45)


def parse(tmp_path, choices: str):
    path = tmp_path / "stems.yaml"
    path.write_text(ITEM.format(topic="stems", answer=ANSWER, choices=choices), encoding="utf-8")
    return validate_files([path])


def test_a_stem_is_read_with_the_options(tmp_path):
    items, problems = parse(tmp_path, '    stem: "Which is Adam\'s update?"\n    correct: a\n    wrong: [b, c, d]')
    assert problems == []
    assert items[0].choices.stem == "Which is Adam's update?"
    assert items[0].to_dict()["choices"]["stem"] == "Which is Adam's update?"


def test_without_a_stem_the_question_asks(tmp_path):
    items, problems = parse(tmp_path, "    correct: a\n    wrong: [b, c, d]")
    assert problems == [] and items[0].choices.stem is None
    assert "stem" not in items[0].to_dict()["choices"]


def test_an_empty_stem_is_a_problem_of_its_own_field(tmp_path):
    items, problems = parse(tmp_path, '    stem: ""\n    correct: a\n    wrong: [b, c, d]')
    assert items == []
    assert [(p.field, p.message) for p in problems] == [("choices.stem", "is empty")]


def test_a_stem_that_is_a_list_is_rejected(tmp_path):
    items, problems = parse(tmp_path, "    stem: [a, b]\n    correct: a\n    wrong: [b, c, d]")
    assert items == [] and problems[0].field == "choices.stem"


def test_an_unknown_key_still_names_what_choices_may_hold(tmp_path):
    items, problems = parse(tmp_path, "    prompt: Which?\n    correct: a\n    wrong: [b, c, d]")
    assert items == [] and problems[0].field == "choices.prompt"
    assert problems[0].message == "unknown field; known fields: correct, wrong, stem"


def test_the_banks_stems_are_questions_of_their_own(bank):
    stems = [item for item in bank if item.choices and item.choices.stem]
    assert len(stems) >= 40  # every item whose open question asks for more than its options answer
    for item in stems:
        stem = item.choices.stem
        assert stem.endswith("?") and "\n" not in stem, item.id
        assert " ".join(stem.split()) != " ".join(item.question.split()), item.id
