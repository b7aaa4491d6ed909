"""Every number quoted in questions/regularization.yaml, recomputed from the reference code."""

import numpy as np
import pytest

from dlquiz.reference.gradcheck import numerical_gradient
from dlquiz.reference.optimizers import SGD
from dlquiz.reference.regularization import (
    dropout,
    dropout_backward,
    early_stopping,
    l1_grad,
    l1_penalty,
    l2_grad,
    l2_penalty,
    l2_shrink,
    soft_threshold,
)


def test_weight_decay_step_equals_l2_penalty_step(text):
    w, dJ, lr, lam = 2.0, 0.5, 0.1, 0.01
    params = {"w": np.array([w])}
    SGD(lr=lr, weight_decay=lam).step(params, {"w": np.array([dJ])})
    explicit = w - lr * (dJ + l2_grad(np.array([w]), lam)[0])
    assert params["w"][0] == pytest.approx(explicit, rel=1e-15)
    assert f"w ← {1 - lr * lam:g}·2 − {lr * dJ:g} = {params['w'][0]:g}" in text("l2-weight-decay")


def test_l2_gradient_is_lambda_w_and_the_half_matters(text):
    rng = np.random.default_rng(0)
    w, lam = rng.normal(size=5), 0.3
    assert np.allclose(numerical_gradient(lambda v: l2_penalty(v, lam), w), lam * w, atol=1e-9)
    # without the ½ the gradient is 2λw, so the matching weight_decay is 2λ
    assert np.allclose(numerical_gradient(lambda v: lam * np.sum(v * v), w), l2_grad(w, 2 * lam), atol=1e-9)
    assert "the matching weight_decay is 2λ" in text("l2-weight-decay")


def test_l1_vs_l2_one_weight_examples(text):
    t = text("l1-vs-l2")
    lam = 0.5
    small, large = 0.3, 3.0
    assert (
        f"With λ = {lam:g}: a = {small:g} gives {soft_threshold(small, lam):g} under L1 but "
        f"{l2_shrink(small, lam):g} under L2" in t
    )
    assert f"a = {large:g} gives {soft_threshold(large, lam):g} under L1 but {l2_shrink(large, lam):g} under L2" in t


def test_soft_threshold_minimises_the_l1_objective():
    # brute force: the closed forms quoted in the derivation are the minimisers
    grid = np.linspace(-5, 5, 200001)
    for a, lam in [(0.3, 0.5), (3.0, 0.5), (-1.2, 0.4)]:
        l1_obj = 0.5 * (grid - a) ** 2 + l1_penalty(1.0, lam) * np.abs(grid)
        l2_obj = 0.5 * (grid - a) ** 2 + 0.5 * lam * grid**2
        assert grid[np.argmin(l1_obj)] == pytest.approx(soft_threshold(a, lam), abs=1e-4)
        assert grid[np.argmin(l2_obj)] == pytest.approx(l2_shrink(a, lam), abs=1e-4)
    assert np.array_equal(l1_grad(np.array([-0.01, 5.0]), 0.5), [-0.5, 0.5])  # the same pull on both


def test_dropout_survivor_scale(text):
    rng = np.random.default_rng(1)
    out, mask = dropout(np.ones((200, 200)), 0.3, rng)
    kept = out[mask != 0]
    assert np.allclose(kept, kept[0])
    assert f"with p = 0.3 a surviving 1 becomes {kept[0]:.2f}, so the mean stays 1" in text("dropout-mechanism")
    assert np.mean(mask == 0) == pytest.approx(0.3, abs=0.01)
    assert out.mean() == pytest.approx(1.0, abs=0.02)


def test_inverted_dropout_doubles_at_half(text):
    out, mask = dropout(np.full(1000, 1.5), 0.5, np.random.default_rng(2))
    assert np.unique(out[mask != 0]) == pytest.approx([2 * 1.5])
    assert "With p = 0.5 a kept unit is doubled." in text("dropout-train-vs-test")
    eval_out, _ = dropout(np.full(10, 1.5), 0.5, np.random.default_rng(2), training=False)
    assert np.array_equal(eval_out, np.full(10, 1.5))


def test_early_stopping_example(text):
    losses = [1.00, 0.80, 0.70, 0.72, 0.75, 0.71, 0.69]
    best, stop = early_stopping(losses, patience=3)
    t = text("early-stopping")
    assert ", ".join(f"{v:.2f}" for v in losses) in t
    assert f"the best is epoch {best}, training stops at epoch {stop} and restores epoch {best}'s weights" in t
    assert f"never sees the {losses[stop + 1]:.2f} of epoch {stop + 1}" in t


def test_unscaled_dropout_shrinks_training_activations(text):
    t = text("bug-dropout-no-rescale")
    rng = np.random.default_rng(3)
    x = np.full((400, 400), 2.0)
    for p in (0.5, 0.2):
        buggy = x * (rng.random(x.shape) > p)  # the snippet's training branch
        assert buggy.mean() == pytest.approx((1 - p) * 2.0, rel=0.01)
        fixed, _ = dropout(x, p, rng)
        assert fixed.mean() == pytest.approx(2.0, rel=0.01)
    assert f"1/(1 − p) times larger ({1 / (1 - 0.5):g}× for p = 0.5)" in t
    assert f"With p = 0.2 the right test factor is {1 - 0.2:g}, whereas p would give 0.2" in t


def test_plain_subgradient_l1_never_lands_on_zero_but_the_proximal_step_does(text):
    eta, lam, a = 0.1, 0.5, 0.3  # ½(w − a)² + λ|w| has its minimum exactly at 0 since |a| ≤ λ
    w, tail = np.array([1.0]), []
    for step in range(400):
        w = w - eta * ((w - a) + l1_grad(w, lam))
        if step >= 200:
            tail.append(w[0])
    tail = np.array(tail)
    assert np.count_nonzero(tail == 0.0) == 0  # it jitters around 0 ...
    assert np.abs(tail).max() < 2 * eta * lam  # ... on the scale of ηλ
    # a proximal step: gradient step on the smooth part, then soft-threshold by ηλ
    w = np.array([1.0])
    for _ in range(200):
        v = w - eta * (w - a)
        w = np.sign(v) * np.maximum(np.abs(v) - eta * lam, 0.0)
    assert w[0] == 0.0
    assert "jitter around 0 on the scale of ηλ" in text("l1-vs-l2")


def test_dropout_backward_reuses_the_forward_mask(text):
    rng = np.random.default_rng(0)
    x, dout = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    out, mask = dropout(x, 0.3, np.random.default_rng(1))
    numeric = numerical_gradient(lambda v: float(np.sum(v * mask * dout)), x.copy())
    assert np.allclose(dropout_backward(dout, mask), numeric, atol=1e-8)
    assert len({tuple(row) for row in (mask == 0)}) > 1  # each example (row) has its own mask
    assert "∂L/∂x = ∂L/∂out ⊙ m, with m = r/(1 − p)" in text("dropout-train-vs-test")
