"""Numbers quoted by the training-practice items appended in 2026 (Adam vs SGD, warmup, augmentation,
label smoothing, validation below training loss, debugging, universal approximation), recomputed from
the reference code."""

import math

import numpy as np
import pytest

from dlquiz.reference import augmentation, distributed, schedules, soft_targets
from dlquiz.reference.activations import log_softmax, relu
from dlquiz.reference.losses import cross_entropy
from dlquiz.reference.optimizers import SGD, Adam
from dlquiz.reference.regularization import dropout
from dlquiz.reference.training import train_two_layer_net


def test_optimizer_memory(text):
    t = text("adam-vs-sgd")
    per_param = [distributed.bytes_per_parameter(opt)["total"] for opt in ("adam", "momentum", "sgd")]
    assert per_param == [16, 12, 8]
    assert "that is 16, 12 and 8 bytes per parameter" in t
    assert f"{per_param[0] * 7:g} GB against {per_param[2] * 7:g} GB for 7 B parameters" in t
    assert "Bytes per parameter (fp32): Adam 16, momentum 12, SGD 8" in t


def test_adam_defaults_quoted(text):
    adam = Adam()
    assert (adam.lr, tuple(adam.betas)) == (1e-3, (0.9, 0.999))
    assert "PyTorch's defaults, η = 1e-3 and β = (0.9, 0.999)" in text("adam-vs-sgd")


def test_momentum_steady_step(text):
    params, opt = {"p": np.zeros(1)}, SGD(lr=0.1, momentum=0.9)
    path = []
    for _ in range(300):
        opt.step(params, {"p": np.ones(1)})
        path.append(params["p"][0])
    step = path[-2] - path[-1]
    assert step / 0.1 == pytest.approx(1 / (1 - 0.9))
    t = text("adam-vs-sgd")
    assert f"{1 / (1 - 0.9):.0f}× the plain step at μ = 0.9, 10⁴× at μ = 0.9999" in t
    assert round(1 / (1 - 0.9999)) == 10**4


def test_warmup_cosine_example(text):
    t = text("lr-warmup-and-restarts")
    assert schedules.warmup_cosine_lr(60, 1.0, 10, 110, 0.1) == pytest.approx(0.55)
    assert f"step 60 is halfway through the decay and gets {schedules.warmup_cosine_lr(60, 1.0, 10, 110, 0.1):g}" in t
    assert (60 - 10) / (110 - 10) == 0.5 and "(60 − 10)/100 = 0.5" in t
    halfway = 0.1 + 0.5 * 0.9 * 1
    assert halfway == pytest.approx(0.55) and "η(60) = 0.1 + ½·0.9·1 = 0.55" in t
    assert schedules.warmup_cosine_lr(5, 1.0, 10, 110, 0.1) == pytest.approx(0.5)  # linear warmup
    assert schedules.warmup_cosine_lr(110, 1.0, 10, 110, 0.1) == pytest.approx(0.1)  # the floor


def test_warm_restarts_jump_back_to_the_peak(text):
    lr = schedules.cosine_warm_restarts_lr(np.arange(0, 31), 1.0, 10, period_mult=2)
    assert lr[0] == 1.0 and lr[9] < 0.05 and lr[10] == 1.0  # restart after 10 steps
    assert lr[29] < 0.05 and lr[30] == 1.0  # the next period is twice as long
    equal = schedules.cosine_warm_restarts_lr(np.arange(0, 31), 1.0, 10)  # T_mult = 1, the default
    assert equal[10] == equal[20] == equal[30] == 1.0 and equal[19] < 0.05
    assert "(periods equal, or growing: T_mult = 2 doubles them)" in text("lr-warmup-and-restarts")


def soft_cross_entropy(logits, targets):
    return float(-(targets * log_softmax(logits, axis=-1)).sum(axis=1).mean())


def test_mixup_loss_is_the_mix_of_the_two_losses(text):
    r = np.random.default_rng(0)
    x, labels = r.standard_normal((6, 4)), r.integers(0, 3, 6)
    y = np.eye(3)[labels]
    _, y_mixed, lam, perm = augmentation.mixup(x, y, 0.4, r)
    logits = r.standard_normal((6, 3))
    expected = lam * cross_entropy(logits, labels) + (1 - lam) * cross_entropy(logits, labels[perm])
    assert soft_cross_entropy(logits, y_mixed) == pytest.approx(expected)
    assert "so the loss equals λ·CE(y₁) + (1 − λ)·CE(y₂)" in text("data-augmentation")


def test_cutmix_label_weight_is_the_area_kept(text):
    r = np.random.default_rng(1)
    x = np.stack([np.full((1, 8, 8), float(i)) for i in range(4)])
    y = np.eye(4)
    mixed, y_mixed, lam, perm, _ = augmentation.cutmix(x, y, 1.0, r)
    assert np.any(perm != np.arange(4)) and 0 < lam < 1
    for i in range(4):
        if perm[i] != i:
            assert np.mean(mixed[i] == i) == pytest.approx(lam)
            assert y_mixed[i, i] == pytest.approx(lam) and y_mixed[i, perm[i]] == pytest.approx(1 - lam)
    assert "weights the labels by the fraction of pixels left from x₁" in text("data-augmentation")


def test_label_smoothing_targets_and_optimum(text):
    t = text("label-smoothing")
    q = soft_targets.smoothed_targets(np.array([0]), 5, 0.1)[0]
    assert q[0] == pytest.approx(0.92) and np.allclose(q[1:], 0.02)
    assert "With C = 5 and ε = 0.1 the true class gets 0.92 and each other class 0.02" in t
    assert "C = 5, ε = 0.1: 0.92 for the true class, 0.02 for the others" in t
    gap = math.log(q[0] / q[1])
    assert gap == pytest.approx(math.log(46))
    assert f"log(0.92/0.02) = {gap:.2f} in the example" in t
    assert f"g = log(0.92/0.02) = log 46 = {gap:.2f}" in t

    def loss(g, eps):
        logits = np.zeros((1, 5))
        logits[0, 0] = g
        return soft_targets.label_smoothing_cross_entropy(logits, np.array([0]), eps)

    grid = np.linspace(0, 10, 10001)
    smoothed = [loss(g, 0.1) for g in grid]
    assert grid[int(np.argmin(smoothed))] == pytest.approx(gap, abs=1e-3)  # rises again beyond the gap
    assert min(smoothed) == pytest.approx(-(q * np.log(q)).sum())  # the entropy of q
    plain = [loss(g, 0.0) for g in grid]
    assert np.all(np.diff(plain) < 0)  # one-hot targets keep rewarding a larger gap
    logits = np.array([[1.0, -0.5, 2.0, 0.0, 0.3]])
    grad = soft_targets.label_smoothing_cross_entropy_grad(logits, np.array([0]), 0.1)
    assert np.allclose(grad, np.exp(log_softmax(logits)) - q)  # softmax(z) − q


def test_epoch_average_lags_the_end_of_epoch_loss(text):
    during = np.linspace(1.0, 0.6, 1001)  # the loss falls steadily through one epoch
    assert during.mean() == pytest.approx(0.8) and during[-1] == pytest.approx(0.6)
    assert "the reported training loss is 0.8, while the end-of-epoch weights score about 0.6" in text(
        "val-loss-below-train-loss"
    )


def test_dropout_makes_the_same_weights_score_worse():
    r = np.random.default_rng(2)
    h, w = r.standard_normal((200, 16)), r.standard_normal(16)
    y = h @ w + 0.1 * r.standard_normal(200)
    eval_loss = np.mean((h @ w - y) ** 2)
    train_losses = [np.mean((dropout(h, 0.5, r)[0] @ w - y) ** 2) for _ in range(200)]
    assert np.mean(train_losses) > 5 * eval_loss


def test_initial_loss_and_overfitting_one_batch(text):
    assert cross_entropy(np.zeros((4, 10)), np.arange(4)) == pytest.approx(math.log(10))
    assert f"should start near ln C, {math.log(10):.2f} for 10 classes" in text("debug-overfit-one-batch")
    assert f"({math.log(10):.2f} for 10 classes)" in text("debug-overfit-one-batch")
    r = np.random.default_rng(3)
    X, y = r.standard_normal((4, 3)), r.standard_normal(4)
    _, losses = train_two_layer_net(X, y, hidden=32, lr=0.05, epochs=300, rng=np.random.default_rng(1))
    assert losses[-1] < 1e-4 * losses[0]  # a correct setup memorises one tiny batch within a few hundred steps


def test_abs_with_two_relus_and_the_interpolation_construction(text):
    x = np.linspace(-3, 3, 61)
    assert np.allclose(relu(x) + relu(-x), np.abs(x))
    assert "|x| = ReLU(x) + ReLU(−x) takes just two units" in text("universal-approximation-theorem")
    errors = []
    for n in (4, 16, 64):
        knots = np.linspace(0, np.pi, n + 1)
        values = np.sin(knots)
        slopes = np.diff(values) / np.diff(knots)
        c = np.concatenate([[slopes[0]], np.diff(slopes)])  # c₀ = first slope, then the slope changes
        grid = np.linspace(0, np.pi, 2001)
        g = values[0] + relu(grid[:, None] - knots[None, :-1]) @ c  # one hidden layer of n ReLUs
        assert np.allclose(g, np.interp(grid, knots, values))
        errors.append(np.abs(g - np.sin(grid)).max())
    assert errors[0] > errors[1] > errors[2]


def test_a_polynomial_activation_is_not_universal(text):
    """Any width of degree-2 units spans only the quadratics; ReLU units keep improving the fit."""
    x = np.linspace(-1, 1, 401)
    target = np.abs(x)
    r = np.random.default_rng(5)

    def best_fit_error(activation, width):
        w, b = r.standard_normal(width), r.standard_normal(width)
        features = np.column_stack([activation(np.outer(x, w) + b), np.ones_like(x)])  # hidden layer, output bias
        coef, *_ = np.linalg.lstsq(features, target, rcond=None)
        return np.abs(features @ coef - target).max()

    quadratic = np.abs(np.polyval(np.polyfit(x, target, 2), x) - target).max()
    for width in (3, 30, 300):
        assert best_fit_error(np.square, width) == pytest.approx(quadratic, rel=1e-6)
    assert best_fit_error(relu, 300) < 0.02 < quadratic
    assert "A polynomial activation of degree d fails: the network is a polynomial of degree ≤ d at any width" in text(
        "universal-approximation-theorem"
    )


def linear_pieces(f, grid):
    slopes = np.round(np.diff(f(grid)) / np.diff(grid), 6)
    return 1 + int(np.sum(slopes[1:] != slopes[:-1]))


def test_depth_makes_pieces_exponentially(text):
    def tent(x):
        return 2 * relu(x) - 4 * relu(x - 0.5)

    grid = np.linspace(0, 1, 2**12 + 1)  # knots of the composed tents fall on this grid
    for k in range(1, 6):

        def composed(x, k=k):
            for _ in range(k):
                x = tent(x)
            return x

        assert linear_pieces(composed, grid) == 2**k
    r = np.random.default_rng(4)
    w, b, v = r.standard_normal(7), r.standard_normal(7), r.standard_normal(7)
    kinks = -b / w  # each unit bends the function once, where its input crosses 0
    grid = np.sort(np.concatenate([np.linspace(-50, 50, 1001), kinks]))  # no interval straddles a kink
    assert linear_pieces(lambda x: relu(np.outer(x, w) + b) @ v, grid) <= 7 + 1
    assert "gives 2ᵏ linear pieces on [0, 1]; one hidden layer of n ReLUs on one input has at most n + 1" in text(
        "universal-approximation-theorem"
    )
