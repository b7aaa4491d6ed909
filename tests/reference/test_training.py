"""Training loops: mini-batch partitioning, convergence to least squares, schedules, the 2-layer net."""

import math

import numpy as np
import pytest

from dlquiz.reference import training


def lstsq_with_bias(X, y):
    A = np.hstack([X, np.ones((len(X), 1))])
    sol = np.linalg.lstsq(A, y, rcond=None)[0]
    return sol[:-1], sol[-1]


# ---- data and batches -------------------------------------------------------------------------


def test_make_regression_shapes_and_noise_free_data():
    X, y, w, b = training.make_regression(50, 3, np.random.default_rng(0), noise=0.0)
    assert X.shape == (50, 3) and y.shape == (50,) and w.shape == (3,)
    np.testing.assert_allclose(y, X @ w + b)


@pytest.mark.parametrize("n, batch_size", [(10, 3), (12, 4), (7, 1), (5, 10)])
def test_minibatches_partition_each_epoch(n, batch_size):
    batches = list(training.minibatches(n, batch_size, np.random.default_rng(1)))
    assert len(batches) == math.ceil(n / batch_size)
    assert all(len(b) == batch_size for b in batches[:-1])
    assert len(batches[-1]) == n - batch_size * (len(batches) - 1)
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))


def test_minibatches_shuffle_and_order():
    rng = np.random.default_rng(2)
    epoch1 = np.concatenate(list(training.minibatches(100, 10, rng)))
    epoch2 = np.concatenate(list(training.minibatches(100, 10, rng)))
    assert not np.array_equal(epoch1, np.arange(100))
    assert not np.array_equal(epoch1, epoch2)  # a fresh permutation every epoch
    ordered = np.concatenate(list(training.minibatches(10, 4, shuffle=False)))
    np.testing.assert_array_equal(ordered, np.arange(10))
    with pytest.raises(ValueError):
        list(training.minibatches(10, 4))  # shuffling without an rng
    with pytest.raises(ValueError):
        list(training.minibatches(10, 0, shuffle=False))


# ---- gradient descent -------------------------------------------------------------------------


def test_batch_gradient_descent_reaches_least_squares():
    X, y, _, _ = training.make_regression(200, 4, np.random.default_rng(3), noise=0.5)
    result = training.gradient_descent(X, y, lr=0.1, epochs=1000)
    w_ls, b_ls = lstsq_with_bias(X, y)
    np.testing.assert_allclose(result.w, w_ls, atol=1e-8)
    assert result.b == pytest.approx(b_ls, abs=1e-8)
    assert len(result.loss_per_update) == 1000 and len(result.loss_per_epoch) == 1000
    # one update per epoch: the loss logged before update t+1 is the full-data loss after epoch t
    np.testing.assert_allclose(result.loss_per_update[1:], result.loss_per_epoch[:-1])
    assert np.all(np.diff(result.loss_per_epoch) <= 1e-15)  # a small step never increases the loss


def test_sgd_on_noise_free_data_finds_the_true_weights():
    X, y, w, b = training.make_regression(60, 3, np.random.default_rng(4), noise=0.0)
    result = training.gradient_descent(X, y, lr=0.02, epochs=300, batch_size=1, rng=np.random.default_rng(5))
    assert len(result.loss_per_update) == 300 * 60
    np.testing.assert_allclose(result.w, w, atol=1e-6)
    assert result.b == pytest.approx(b, abs=1e-6)


def test_minibatch_with_decaying_lr_gets_close_to_least_squares():
    X, y, _, _ = training.make_regression(300, 3, np.random.default_rng(6), noise=1.0)
    w_ls, b_ls = lstsq_with_bias(X, y)
    result = training.gradient_descent(
        X,
        y,
        lr=lambda t: training.lr_schedule("inverse_time", t, 0.05, decay_rate=0.01),
        epochs=60,
        batch_size=16,
        rng=np.random.default_rng(7),
    )
    assert len(result.loss_per_update) == 60 * math.ceil(300 / 16)
    np.testing.assert_allclose(result.w, w_ls, atol=0.03)
    assert result.b == pytest.approx(b_ls, abs=0.03)
    assert result.loss_per_epoch[-1] < 1.01 * np.mean((X @ w_ls + b_ls - y) ** 2)


def test_batch_size_n_is_batch_descent():
    X, y, _, _ = training.make_regression(40, 2, np.random.default_rng(8))
    a = training.gradient_descent(X, y, lr=0.05, epochs=5)
    b = training.gradient_descent(X, y, lr=0.05, epochs=5, batch_size=40)
    np.testing.assert_array_equal(a.w, b.w)


def test_lr_callable_receives_the_update_index():
    X, y, _, _ = training.make_regression(10, 2, np.random.default_rng(9))
    seen = []
    training.gradient_descent(
        X, y, lr=lambda t: seen.append(t) or 0.01, epochs=2, batch_size=5, rng=np.random.default_rng(0)
    )
    assert seen == [0, 1, 2, 3]


def test_minibatch_needs_an_rng():
    X, y, _, _ = training.make_regression(10, 2, np.random.default_rng(10))
    with pytest.raises(ValueError):
        training.gradient_descent(X, y, lr=0.1, epochs=1, batch_size=2)


# ---- learning-rate schedules ------------------------------------------------------------------


def test_lr_schedule_values():
    assert training.lr_schedule("constant", 123, 0.1) == 0.1
    assert training.lr_schedule("step", 9, 1.0, step_size=10, gamma=0.5) == 1.0
    assert training.lr_schedule("step", 25, 1.0, step_size=10, gamma=0.5) == 0.25
    assert training.lr_schedule("exponential", 100, 2.0, decay_rate=0.01) == pytest.approx(2 * math.exp(-1))
    assert training.lr_schedule("inverse_time", 50, 1.0, decay_rate=0.02) == pytest.approx(0.5)
    assert training.lr_schedule("cosine", 0, 1.0, total_steps=10) == pytest.approx(1.0)
    assert training.lr_schedule("cosine", 5, 1.0, total_steps=10, min_lr=0.2) == pytest.approx(0.6)
    assert training.lr_schedule("cosine", 10, 1.0, total_steps=10, min_lr=0.2) == pytest.approx(0.2)
    assert training.lr_schedule("cosine", 15, 1.0, total_steps=10) == pytest.approx(0.0)
    np.testing.assert_allclose(
        training.lr_schedule("warmup", np.arange(6), 1.0, warmup_steps=4), [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    )


def test_lr_schedule_curve_and_errors():
    curve = training.lr_schedule("cosine", np.arange(101), 0.1, total_steps=100)
    assert curve.shape == (101,) and np.all(np.diff(curve) <= 0)
    assert isinstance(training.lr_schedule("step", 3, 0.1), float)
    with pytest.raises(ValueError, match="cosine"):
        training.lr_schedule("cosine", 3, 0.1)
    with pytest.raises(ValueError, match="constant"):
        training.lr_schedule("linear", 3, 0.1)


# ---- two-layer network ------------------------------------------------------------------------


def test_train_two_layer_net_fits_a_nonlinear_target():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(200, 3))
    y = np.abs(X[:, 0]) + 0.5 * X[:, 1] ** 2 - X[:, 2]  # no linear model fits this well
    params, losses = training.train_two_layer_net(X, y, hidden=32, lr=0.05, epochs=2000, rng=rng)
    assert losses.shape == (2000,)
    w_ls, b_ls = lstsq_with_bias(X, y)
    linear_mse = np.mean((X @ w_ls + b_ls - y) ** 2)
    assert losses[-1] < 0.2 * linear_mse
    assert losses[-1] < 0.05 * losses[0]
    assert set(params) == {"W1", "b1", "W2", "b2"} and params["W1"].shape == (3, 32)


def test_train_two_layer_net_minibatch_and_tanh():
    rng = np.random.default_rng(12)
    X = rng.normal(size=(120, 2))
    y = np.sin(X[:, 0]) + X[:, 1]
    _, losses = training.train_two_layer_net(
        X, y, hidden=16, lr=0.05, epochs=100, rng=rng, activation="tanh", batch_size=20
    )
    assert losses[-1] < 0.1 * losses[0]
