"""Dropout statistics, L1/L2 penalties and their gradients, proximal solutions, early stopping."""

import numpy as np
import pytest

from dlquiz.reference import regularization as reg
from dlquiz.reference.gradcheck import numerical_gradient, relative_error

# ---- dropout ----------------------------------------------------------------------------------


def test_dropout_statistics():
    x = np.ones((400, 500))
    out, mask = reg.dropout(x, 0.3, np.random.default_rng(0))
    dropped = out == 0
    assert dropped.mean() == pytest.approx(0.3, abs=0.01)
    assert out.mean() == pytest.approx(1.0, abs=0.01)  # E[out] = x
    np.testing.assert_allclose(out[~dropped], 1 / 0.7)  # survivors scaled by 1/(1 − p)
    np.testing.assert_array_equal(out, x * mask)


def test_dropout_keeps_the_mean_of_any_input():
    x = np.random.default_rng(1).normal(size=(200, 300))
    outs = np.stack([reg.dropout(x, 0.5, np.random.default_rng(s))[0] for s in range(40)])
    # averaged over 40 masks each element's mean is x; check it globally and per element
    assert np.mean(outs - x) == pytest.approx(0.0, abs=0.01)
    assert np.mean(np.abs(outs.mean(axis=0) - x)) < 0.2


def test_dropout_kept_values_are_x_over_keep_probability():
    x = np.random.default_rng(2).normal(size=1000)
    out, mask = reg.dropout(x, 0.25, np.random.default_rng(3))
    kept = mask != 0
    np.testing.assert_allclose(out[kept], x[kept] / 0.75)
    np.testing.assert_array_equal(out[~kept], 0.0)


def test_dropout_eval_mode_is_identity():
    x = np.random.default_rng(4).normal(size=(3, 4))
    out, mask = reg.dropout(x, 0.5, np.random.default_rng(5), training=False)
    assert out is x
    np.testing.assert_array_equal(mask, np.ones_like(x))


def test_dropout_edge_probabilities():
    x = np.arange(1.0, 7.0)
    out, _ = reg.dropout(x, 0.0, np.random.default_rng(6))
    np.testing.assert_array_equal(out, x)
    out, mask = reg.dropout(x, 1.0, np.random.default_rng(6))
    np.testing.assert_array_equal(out, 0.0)
    assert np.all(np.isfinite(mask))
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError):
            reg.dropout(x, bad, np.random.default_rng(6))


def test_dropout_draws_a_fresh_mask_each_call():
    rng = np.random.default_rng(7)
    x = np.ones(1000)
    _, m1 = reg.dropout(x, 0.5, rng)
    _, m2 = reg.dropout(x, 0.5, rng)
    assert not np.array_equal(m1, m2)


def test_dropout_backward_matches_finite_differences():
    x = np.random.default_rng(8).normal(size=(5, 6))
    G = np.random.default_rng(9).normal(size=(5, 6))
    # the same seed each evaluation: the same mask, so the function is deterministic in x
    f = lambda v: float(np.sum(reg.dropout(v, 0.4, np.random.default_rng(10))[0] * G))  # noqa: E731
    _, mask = reg.dropout(x, 0.4, np.random.default_rng(10))
    assert relative_error(reg.dropout_backward(G, mask), numerical_gradient(f, x)) < 1e-6


# ---- L1 / L2 ----------------------------------------------------------------------------------


def test_penalty_hand_values():
    w = np.array([1.0, -2.0, 0.0, 3.0])
    assert reg.l1_penalty(w, 0.1) == pytest.approx(0.6)
    assert reg.l2_penalty(w, 0.1) == pytest.approx(0.5 * 0.1 * 14)
    np.testing.assert_allclose(reg.l1_grad(w, 0.1), [0.1, -0.1, 0.0, 0.1])
    np.testing.assert_allclose(reg.l2_grad(w, 0.1), [0.1, -0.2, 0.0, 0.3])


@pytest.mark.parametrize("penalty, grad", [(reg.l1_penalty, reg.l1_grad), (reg.l2_penalty, reg.l2_grad)])
def test_penalty_gradients(penalty, grad):
    rng = np.random.default_rng(11)
    w = rng.uniform(0.2, 2.0, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4))  # away from 0
    num = numerical_gradient(lambda v: penalty(v, 0.3), w)
    assert relative_error(grad(w, 0.3), num) < 1e-6


def test_l2_gradient_step_is_weight_decay():
    w = np.array([0.5, -1.5, 2.0])
    lr, lam = 0.1, 0.01
    np.testing.assert_allclose(w - lr * reg.l2_grad(w, lam), (1 - lr * lam) * w)


def test_soft_threshold_and_l2_shrink_minimise_their_objectives():
    grid = np.linspace(-4, 4, 80001)
    lam = 0.7
    for a in (-2.0, -0.5, 0.3, 0.7, 1.6):
        l1_obj = 0.5 * (grid - a) ** 2 + lam * np.abs(grid)
        l2_obj = 0.5 * (grid - a) ** 2 + 0.5 * lam * grid**2
        assert reg.soft_threshold(a, lam) == pytest.approx(grid[np.argmin(l1_obj)], abs=2e-4)
        assert reg.l2_shrink(a, lam) == pytest.approx(grid[np.argmin(l2_obj)], abs=2e-4)
    np.testing.assert_array_equal(reg.soft_threshold(np.array([-0.5, 0.2, 0.7]), lam), 0.0)
    assert reg.l2_shrink(0.3, lam) != 0.0


# ---- early stopping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "losses, patience, min_delta, expected",
    [
        ([1.0, 0.5, 0.6, 0.7, 0.4], 2, 0.0, (1, 3)),  # two bad epochs after epoch 1: stop at 3
        ([1.0, 0.5, 0.6, 0.7, 0.4], 3, 0.0, (4, 4)),  # patience 3 survives to the new best
        ([1.0, 0.9, 0.8, 0.7], 1, 0.0, (3, 3)),  # always improving: run to the end
        ([0.5, 0.6, 0.7, 0.8, 0.9], 1, 0.0, (0, 1)),  # never improves: stop after one bad epoch
        ([1.0, 0.995, 0.99, 0.5], 2, 0.02, (0, 2)),  # tiny gains do not count with min_delta
        ([1.0, 0.995, 0.99, 0.5], 2, 0.0, (3, 3)),
        ([1.0, 1.0, 1.0], 5, 0.0, (0, 2)),  # ties are not improvements
    ],
)
def test_early_stopping_cases(losses, patience, min_delta, expected):
    assert reg.early_stopping(losses, patience, min_delta=min_delta) == expected


def test_early_stopping_rejects_bad_arguments():
    with pytest.raises(ValueError):
        reg.early_stopping([], 2)
    with pytest.raises(ValueError):
        reg.early_stopping([1.0, 0.5], 0)
