"""Every number quoted in questions/losses.yaml, recomputed from the reference code."""

import math

import numpy as np
from banktext import item_text, says

from dlquiz.reference import losses
from dlquiz.reference.activations import sigmoid, sigmoid_grad, softmax, softmax_vjp
from dlquiz.reference.gradcheck import numerical_gradient


def num(value: float, spec: str = "g") -> str:
    """A number formatted as the bank prints it, with a Unicode minus sign."""
    return format(float(value), spec).replace("-", "−")


def best_constant(loss, targets: np.ndarray) -> float:
    """The constant prediction c minimising loss(c, targets), searched on a 0.01 grid."""
    grid = np.arange(0.0, 101.0, 0.01)
    values = [loss(np.full_like(targets, c), targets) for c in grid]
    return float(grid[int(np.argmin(values))])


def test_mse_example():
    y_hat, y = np.array([3.0, 5.0]), np.array([2.0, 2.0])
    grad = losses.mse_grad(y_hat, y)
    text = item_text("mse-and-cost")
    assert says(text, f"MSE = (1 + 9)/2 = {losses.mse(y_hat, y):g} and gradient [{', '.join(num(g) for g in grad)}]")
    assert np.allclose(numerical_gradient(lambda v: losses.mse(v, y), y_hat.copy()), grad)


def test_best_constants_with_an_outlier():
    targets = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    mean = best_constant(losses.mse, targets)
    median = best_constant(losses.mae, targets)
    huber = best_constant(lambda p, t: losses.huber(p, t, delta=1.0), targets)
    assert np.isclose(mean, targets.mean()) and np.isclose(median, np.median(targets))
    text = item_text("mae-huber")
    assert says(text, f"MSE picks c = {mean:g}")
    assert says(text, f"MAE picks {median:g}, the median; Huber (δ = 1) also picks {huber:g}. ")


def test_huber_gradient_is_capped_at_delta():
    residual = np.array([-50.0, -0.3, 0.4, 50.0])
    grad = numerical_gradient(lambda v: losses.huber(v, np.zeros(4), delta=1.0) * v.size, residual.copy())
    assert np.allclose(grad, [-1.0, -0.3, 0.4, 1.0])


def test_bce_values():
    one = np.array([1.0])
    text = item_text("bce-log-likelihood")
    assert says(text, f"costs −log 0.01 ≈ {losses.binary_cross_entropy(np.array([0.01]), one):.2f}")
    assert says(text, f"at p = 0.9 only {losses.binary_cross_entropy(np.array([0.9]), one):.3f}")
    uniform = losses.binary_cross_entropy(np.full(4, 0.5), np.array([0.0, 1.0, 1.0, 0.0]))
    assert says(text, f"p = 0.5 everywhere costs ln 2 ≈ {uniform:.3f}")


def test_bce_clamp_and_stable_logit_form():
    p = sigmoid(50.0)
    assert p == 1.0  # σ(50) rounds to exactly 1 in float64
    zero = np.array([0.0])
    clamped = losses.binary_cross_entropy(np.array([p]), zero)
    stable = losses.binary_cross_entropy_with_logits(np.array([50.0]), zero)
    text = item_text("sigmoid-bce-gradient")
    assert says(text, f"(PyTorch's `BCELoss` clamps it to {clamped:g}), while the true loss is {stable:g}")
    z, y = np.linspace(-30, 30, 13), np.array([0.0, 1.0] * 6 + [1.0])
    by_hand = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    assert np.isclose(losses.binary_cross_entropy_with_logits(z, y), by_hand.mean())


def test_sigmoid_bce_gradient_is_p_minus_y():
    z, y = np.array([-3.0, -0.5, 0.7, 4.0]), np.array([1.0, 0.0, 1.0, 0.0])
    numeric = numerical_gradient(lambda v: losses.binary_cross_entropy_with_logits(v, y), z.copy())
    assert np.allclose(numeric, (sigmoid(z) - y) / z.size, atol=1e-9)


def test_cross_entropy_example_and_uniform_guess():
    logits, target = np.array([[2.0, 1.0, 0.1]]), np.array([0])
    p = softmax(logits)[0]
    loss = losses.cross_entropy(logits, target)
    grad = losses.cross_entropy_grad(logits, target)[0]
    text = item_text("softmax-cross-entropy")
    assert says(text, f"p ≈ [{', '.join(f'{v:.3f}' for v in p)}]")
    assert says(text, f"−log {p[0]:.3f} ≈ {loss:.3f}")
    assert says(text, f"gradient [{', '.join(num(g, '.3f') for g in grad)}]")
    uniform = losses.cross_entropy(np.zeros((5, 10)), np.arange(5))
    assert np.isclose(uniform, math.log(10))
    assert says(text, f"for 10 classes ln 10 ≈ {uniform:.3f}")


def test_confidently_wrong_gradients():
    z, y = np.array([-10.0]), np.array([1.0])
    p = sigmoid(z)[0]
    mse_dz = losses.mse_grad(sigmoid(z), y)[0] * sigmoid_grad(z)[0]
    bce_dz = numerical_gradient(lambda v: losses.binary_cross_entropy_with_logits(v, y), z.copy())[0]
    text = item_text("cross-entropy-vs-mse")
    p_shown = f"{p:.1e}".replace("e-05", " × 10⁻⁵")
    mse_shown = num(mse_dz, ".1e").replace("e−05", " × 10⁻⁵")
    assert says(text, f"p = σ(−10) ≈ {p_shown}")
    assert says(text, f"The MSE gradient is about {mse_shown}; the BCE gradient is about {num(bce_dz, '.1f')}")
    assert says(text, f"some {round(bce_dz / mse_dz, -3):,.0f} times larger")
    assert says(text, f"MSE gradient ≈ {mse_shown}, BCE gradient ≈ {num(bce_dz, '.1f')}")


def test_softmax_backward_bug_example():
    z = np.array([0.0, np.log(2), np.log(2)])
    p, dp = softmax(z), np.array([1.0, 0.0, 0.0])
    correct = softmax_vjp(z, dp)
    numeric = numerical_gradient(lambda v: float(softmax(v) @ dp), z.copy())
    assert np.allclose(correct, numeric, atol=1e-9)
    buggy = dp * p * (1 - p)
    assert np.isclose(correct.sum(), 0.0) and not np.isclose(buggy.sum(), 0.0)
    text = item_text("bug-softmax-grad-diagonal")
    assert says(text, f"p = [{', '.join(num(v) for v in p.round(6))}] and dp = [1, 0, 0]")
    assert says(text, f"The correct dz is [{', '.join(num(v) for v in correct.round(6))}]")
    assert says(text, f"the buggy one is [{', '.join(num(v) for v in buggy.round(6))}]")
