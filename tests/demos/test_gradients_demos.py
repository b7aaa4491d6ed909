"""Gradient-flow demos: the deep-MLP helper against finite differences, and the closed forms of clipping."""

import math

import numpy as np
import pytest

from dlquiz.demos import run_demo
from dlquiz.demos.gradients import deep_mlp_gradients
from dlquiz.reference.losses import mse


def _forward_loss(x, target, Ws, g, residual):
    a = x
    for W in Ws:
        a = a + g(a @ W) if residual else g(a @ W)
    return mse(a, target)


@pytest.mark.parametrize("activation, g", [("sigmoid", lambda z: 1 / (1 + np.exp(-z))), ("tanh", np.tanh)])
@pytest.mark.parametrize("residual", [False, True])
def test_deep_mlp_weight_gradients_match_finite_differences(activation, g, residual):
    r = np.random.default_rng(1)
    x, target = r.standard_normal((5, 4)), r.standard_normal((5, 4))
    Ws = [r.standard_normal((4, 4)) * 0.7 for _ in range(3)]
    norms = deep_mlp_gradients(x, target, Ws, activation, residual)["dW"]
    h = 1e-6
    for k in range(3):
        num = np.zeros((4, 4))
        for i in range(4):
            for j in range(4):
                Ws[k][i, j] += h
                up = _forward_loss(x, target, Ws, g, residual)
                Ws[k][i, j] -= 2 * h
                down = _forward_loss(x, target, Ws, g, residual)
                Ws[k][i, j] += h
                num[i, j] = (up - down) / (2 * h)
        assert norms[k] == pytest.approx(np.linalg.norm(num), rel=1e-6)


def test_sigmoid_gradients_vanish_relu_gradients_do_not():
    result = run_demo("gradients.gradient_norms_per_layer", seed=0)
    ratio = {r[0]: r[3] for r in result.tables[0].rows}
    assert ratio["sigmoid + Xavier"] < 1e-6
    assert 0.1 < ratio["ReLU + He"] < 10
    deltas = result.tables[1].rows
    shrink = [r[2] for r in deltas if r[2] is not None]
    assert all(f < 0.5 for f in shrink)  # each sigmoid layer shrinks δ (σ′ ≤ ¼)
    geometric_mean = math.prod(shrink) ** (1 / len(shrink))
    assert 0.2 < geometric_mean <= 0.25 and f"≈ {geometric_mean:.2f} here" in result.notes[0]


def test_exploding_gradients_clip_to_max_norm():
    rows = dict(run_demo("gradients.exploding_gradients", seed=0).tables[0].rows)
    assert rows["global norm before clipping (returned)"] > 1e3
    assert rows["global norm after clipping"] == pytest.approx(1.0, rel=1e-5)
    growth = rows["‖∂L/∂x‖ at the input ÷ at the last layer"]
    assert 1.5**19 / 30 < growth < 1.5**19 * 30
    # each linear layer multiplies the backward norm by about gain (E‖vW‖² = gain²‖v‖² for W ~ N(0, gain²/n))
    assert rows["growth per layer, (that ratio)^(1/19)"] == pytest.approx(1.5, rel=0.15)
    rows = dict(run_demo("gradients.exploding_gradients", ["gain=1"], seed=0).tables[0].rows)
    assert rows["‖∂L/∂x‖ at the input ÷ at the last layer"] < 30


def test_clipping_training_first_step_closed_form():
    result = run_demo("gradients.clipping_training")
    before, after, cosine = result.tables[0].rows[0]
    # w = 2 four times: product 16, error 15, ∂L/∂w_i = 2·15·16/2 = 240, norm √4·240
    assert before == pytest.approx(480.0) and after == pytest.approx(1.0, rel=1e-5) and cosine == pytest.approx(1.0)
    runs = {r[0]: r for r in result.tables[1].rows}
    assert runs["no clipping"][3] != "never"  # overflowed
    assert runs["clip_grad_norm(1)"][3] == "never" and runs["clip_grad_norm(1)"][2] < 1e-6


def test_clipping_training_rejects_a_non_positive_step():
    from dlquiz.errors import UserError

    for lr in ("0", "-0.1"):
        with pytest.raises(UserError, match="lr"):
            run_demo("gradients.clipping_training", [f"lr={lr}"])


def test_clip_by_value_turns_by_norm_keeps():
    rows = {r[0]: r for r in run_demo("gradients.clip_norm_vs_value").tables[0].rows}
    assert rows["clip by value"][1:3] == [1.0, 0.1]
    assert rows["clip by value"][5] == pytest.approx(math.degrees(math.atan(0.1)) - math.degrees(math.atan(0.01)))
    assert rows["clip by norm"][3] == pytest.approx(1.0, rel=1e-5) and rows["clip by norm"][5] == pytest.approx(
        0, abs=1e-9
    )


def test_residual_connections_keep_more_gradient():
    rows = {r[0]: r for r in run_demo("gradients.residual_gradients", seed=0).tables[0].rows}
    assert rows["with skips"][3] > 5 * rows["plain"][3]
    assert rows["with skips"][3] >= 1  # the identity path: the input gets at least what the top layer gets
