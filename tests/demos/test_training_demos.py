"""Training/backprop demos: the worked example recomputed by hand, gradient checks, loop counts."""

import ast
import math

import numpy as np
import pytest

from dlquiz.demos import run_demo
from dlquiz.demos.backprop import HOUSE_PARAMS, HOUSE_X, HOUSE_Y


def _arr(text):
    return np.array(ast.literal_eval(text), dtype=float)


def test_house_price_worked_example_matches_hand_computation():
    result = run_demo("backprop.house_price_worked_example")
    fwd = {r[0].split(" ")[0]: r for r in result.tables[0].rows}
    bwd = {r[0].split(" ")[0]: r for r in result.tables[1].rows}
    X, y = np.array(HOUSE_X), np.array(HOUSE_Y)
    W1, b1, W2, b2 = (np.array(HOUSE_PARAMS[k]) for k in ("W1", "b1", "W2", "b2"))
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    y_hat = h @ W2 + b2
    loss = np.mean((y_hat - y) ** 2)
    assert _arr(fwd["z₁"][3]) == pytest.approx(z1, abs=1e-4)
    assert _arr(fwd["ŷ"][3]) == pytest.approx(y_hat, abs=1e-4)
    assert float(fwd["L"][3]) == pytest.approx(loss, rel=1e-5)
    d = 2 * (y_hat - y) / 2
    dz1 = (d @ W2.T) * (z1 > 0)
    assert _arr(bwd["∂L/∂W₂"][2]) == pytest.approx(h.T @ d, abs=1e-4)
    assert _arr(bwd["∂L/∂W₁"][2]) == pytest.approx(X.T @ dz1, abs=1e-4)
    assert _arr(bwd["∂L/∂b₁"][2]) == pytest.approx(dz1.sum(0), abs=1e-4)
    assert bwd["∂L/∂W₁"][1] == "(3, 4)" and fwd["z₁"][1] == "(2, 4)"
    assert result.inputs["parameters"].endswith("= 21")


def test_computational_graph_values():
    rows = run_demo("backprop.computational_graph").tables
    assert [r[2] for r in rows[0].rows] == [6.0, 7.0, 2.0, 4.0]  # the item's example: y = 5, L = 4
    grads = {r[0]: (r[2], r[3]) for r in rows[1].rows}
    assert grads["w"][0] == 12.0 and grads["x"][0] == 8.0 and grads["b"][0] == 4.0 and grads["y"][0] == -4.0
    for name in "wxby":
        assert grads[name][1] == pytest.approx(grads[name][0], rel=1e-7)


def test_backprop_vs_numerical_agree_and_count_forwards():
    result = run_demo("backprop.backprop_vs_numerical", seed=0)
    P = result.inputs["parameters P"]
    assert P == 8 * 16 + 16 + 16 + 1
    assert result.tables[0].rows[1][1] == 2 * P
    assert result.tables[1].rows[0][1] < 1e-6


def test_dense_backward_and_planted_bug():
    for _, _, err in run_demo("backprop.dense_backward_check", seed=0).tables[0].rows:
        assert err < 1e-7
    good, bad = run_demo("backprop.gradcheck_missing_transpose", seed=0).tables[0].rows
    assert good[1] < 1e-7 and bad[1] > 0.1
    assert good[2].startswith("ok") and bad[2].startswith("bug")


def test_house_example_describes_the_activation_it_ran():
    result = run_demo("backprop.house_price_worked_example", ["activation=tanh"])
    assert "tanh hidden layer" in result.summary and "ReLU" not in result.summary
    assert not any("ReLU′ = 0" in note for note in result.notes)  # tanh′ is never 0


def test_fit_house_prices_checks_then_learns():
    result = run_demo("training.fit_house_prices", seed=0)
    assert result.tables[0].rows[0][1] < 1e-6
    losses = result.tables[1].rows
    assert losses[-1][1] < 0.1 * losses[0][1]
    assert "(ReLU)" in result.inputs["network"]  # the item asks for a ReLU hidden layer


def test_training_loop_counts():
    result = run_demo("training.training_loop", ["batch_size=16", "epochs=5"], seed=0)
    counts = dict(result.tables[0].rows)
    assert counts["iterations per epoch ⌈N/B⌉"] == 13 and counts["total iterations"] == 65
    assert len(result.plots[0].series["per iteration (mini-batch)"][0]) == 65


def test_lr_too_large_blows_up():
    sane, big = run_demo("training.lr_debugging", seed=0).tables[0].rows
    assert sane[3] < sane[2]
    assert not math.isfinite(big[3]) or big[3] > big[2]


def test_standardised_features_converge_fast():
    raw, std = run_demo("training.feature_scaling", seed=0).tables[0].rows
    assert raw[1] > 1e3 and std[1] < 10
    assert isinstance(std[3], int) and std[3] < 50 and raw[3] == "> 2000"


def test_batch_sizes_updates_and_noise():
    rows = run_demo("training.batch_sizes", seed=0).tables[0].rows
    assert [r[1] for r in rows] == [400, 13, 1]
    assert rows[2][2] < 1e-9  # the full batch is the exact gradient
    # sampling without replacement: Var ∝ (1/B)·(N − B)/(N − 1)
    expected = math.sqrt(32 * 399 / 368)
    assert rows[0][2] / rows[1][2] == pytest.approx(expected, rel=0.15)


@pytest.mark.parametrize(
    "link, setting",
    [
        ("training.training_loop", "lr=0"),
        ("training.training_loop", "lr=1000000"),
        ("training.fit_house_prices", "lr=-1"),
        ("training.lr_debugging", "factor=0"),
        ("training.lr_debugging", "lr=-0.05"),
        ("training.feature_scaling", "tol=0"),
        ("training.batch_sizes", "lr=-1"),
    ],
)
def test_training_demos_reject_meaningless_settings(link, setting):
    from dlquiz.errors import UserError

    with pytest.raises(UserError):
        run_demo(link, [setting])


def test_lr_debugging_title_names_the_factor():
    assert "10× too large" in run_demo("training.lr_debugging", ["factor=10"], seed=0).title
