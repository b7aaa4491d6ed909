"""Every exercise: its model solution passes, its starter fails clearly, its item is in the bank."""

from __future__ import annotations

import ast

import pytest
from rich.cells import cell_len

from dlquiz.bank import load_bank
from dlquiz.implement.registry import EXERCISES, find
from dlquiz.implement.starter import solution_source, solution_text, starter_text
from dlquiz.model import Difficulty

from .helpers import grade_source, run

IDS = [exercise.id for exercise in EXERCISES]


def test_at_least_thirty_exercises_with_unique_ids_and_files():
    assert len(EXERCISES) >= 30
    assert len(set(IDS)) == len(IDS)
    assert len({e.stem for e in EXERCISES}) == len(IDS)
    for exercise in EXERCISES:
        assert exercise.solution_path.is_file(), exercise.id
        assert isinstance(exercise.difficulty, Difficulty)
        assert exercise.card_id == "implement:" + exercise.id


def test_every_exercise_belongs_to_a_bank_item():
    bank = load_bank(None)
    assert {e.item for e in EXERCISES if e.item not in bank} == set()


def test_the_brief_s_topics_are_all_there():
    functions = {name for e in EXERCISES for name in e.functions}
    wanted = {
        "sigmoid", "softmax", "log_softmax", "cross_entropy", "dense_forward", "dense_backward", "mlp_forward",
        "mlp_backward", "dropout_forward", "dropout_backward", "batchnorm_forward", "batchnorm_backward", "layernorm",
        "conv2d", "im2col", "max_pool_forward", "max_pool_backward", "attention", "multi_head_attention",
        "positional_encoding", "rnn_forward", "lstm_cell", "gru_cell", "sgd_momentum_step", "rmsprop_step",
        "adam_step", "adamw_step", "clip_grad_norm", "xavier_uniform", "he_normal", "numerical_gradient",
        "embedding_backward", "top_k_top_p",
    }  # fmt: skip
    assert wanted <= functions


@pytest.mark.parametrize("exercise_id", IDS)
def test_model_solution_passes(exercise_id):
    report = grade_source(exercise_id, solution_source(find(exercise_id)))
    assert report.passed, [(f.case, f.problem, f.detail) for f in report.failures] or report.fatal


@pytest.mark.parametrize("exercise_id", IDS)
def test_starter_fails_saying_what_is_not_written(exercise_id):
    exercise = find(exercise_id)
    report = grade_source(exercise_id, starter_text(exercise))
    assert not report.passed and report.not_written
    assert all("NotImplementedError" in f.detail for f in report.failures)
    named = {f.call.split("(")[0] for f in report.failures}
    assert exercise.functions[0] in named and named <= set(exercise.functions)


@pytest.mark.parametrize("exercise_id", IDS)
def test_starter_holds_each_signature_and_task_over_not_implemented(exercise_id):
    exercise = find(exercise_id)
    tree = ast.parse(starter_text(exercise))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert set(functions) == set(exercise.functions)
    for node in functions.values():
        docstring = ast.get_docstring(node)
        assert docstring and "Returns" in docstring and "Parameters" in docstring
        assert isinstance(node.body[-1], ast.Raise)
    assert f"dlquiz implement {exercise.id} --check" in starter_text(exercise)


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_files_learners_open_fit_an_80_column_editor(exercise_id):
    exercise = find(exercise_id)
    for text in (starter_text(exercise), solution_text(exercise)):
        assert max(cell_len(line) for line in text.splitlines()) <= 79


def test_solution_text_is_the_model_file_under_a_comment_header():
    exercise = find("adam")
    text = solution_text(exercise)
    assert text.startswith("# dlquiz implement adam")
    assert text.endswith(solution_source(exercise))


def test_an_item_with_one_exercise_finds_it_and_close_misses_are_suggested():
    assert find("bug-softmax-overflow").id == "softmax"
    assert find("Batchnorm_Forward").id == "batchnorm-forward"
    with pytest.raises(Exception, match=r"did you mean 'softmax'\?"):
        find("sofmax")


@pytest.mark.parametrize("exercise_id", ["softmax", "batchnorm-backward"])
def test_printed_solution_passes_check_and_printed_starter_fails_it(exercise_id, tmp_path):
    solution = tmp_path / "solution.py"
    solution.write_text(run(exercise_id, "--solution").stdout)
    starter = tmp_path / "starter.py"
    starter.write_text(run(exercise_id, "--starter").stdout)
    passed = run(exercise_id, "--check", str(solution))
    assert passed.exit_code == 0, passed.output
    assert "checks passed" in passed.stdout
    failed = run(exercise_id, "--check", str(starter))
    assert failed.exit_code == 1
    assert "Not written yet" in failed.stdout and "NotImplementedError" in failed.stdout
