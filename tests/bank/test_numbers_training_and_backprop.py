"""Every number (and the one code listing) in questions/training-and-backprop.yaml, recomputed."""

import math
import re

import numpy as np
import pytest
from banktext import item_text, says

from dlquiz.bank import load_bank
from dlquiz.reference.activations import sigmoid_grad
from dlquiz.reference.gradcheck import numerical_gradient, relative_error
from dlquiz.reference.layers import dense_backward, dense_forward, two_layer_net_backward, two_layer_net_forward
from dlquiz.reference.losses import mse_grad
from dlquiz.reference.training import minibatches


def test_iterations_per_epoch():
    text = item_text("training-loop")
    batches = list(minibatches(10_000, 200, shuffle=False))
    assert says(text, f"N = 10,000 and B = 200 give {len(batches)} iterations per epoch")
    assert says(text, f"20 epochs are {20 * len(batches):,} updates")
    small = list(minibatches(1_000, 64, rng=np.random.default_rng(0)))
    assert len(small) == math.ceil(1_000 / 64)
    assert says(text, f"B = 64 give {len(small)} iterations, the last holding {len(small[-1])} examples")


def test_scalar_graph_example():
    w, x, b, y = 2.0, 3.0, 1.0, 5.0
    loss = (w * x + b - y) ** 2
    dw = numerical_gradient(lambda v: (v[0] * x + b - y) ** 2, np.array([w]))[0]
    db = numerical_gradient(lambda v: (w * x + v[0] - y) ** 2, np.array([b]))[0]
    text = item_text("computational-graph")
    shown = f"L = {loss:g}, ∂L/∂w = {round(dw, 6):g}, ∂L/∂b = {round(db, 6):g}"
    assert says(text, f"w = 2, x = 3, b = 1, y = 5 gives {shown}")
    assert says(text, f"z = 7, u = 2, {shown}")


def test_fan_out_gradients_add():
    x = np.array([3.0])
    assert np.isclose(numerical_gradient(lambda v: v[0] * v[0], x)[0], x[0] + x[0])
    assert says(item_text("computational-graph"), "the two uses give x + x = 2x")


def test_finite_differences_cost_two_passes_per_parameter():
    calls = []
    params = np.zeros(7)
    numerical_gradient(lambda v: calls.append(1) or float(v.sum()), params)
    per_parameter = len(calls) // params.size
    text = item_text("backprop-chain-rule")
    assert says(text, f"{per_parameter} forward passes **per parameter**")
    assert says(text, f"for a million parameters, {per_parameter * 1_000_000:,} forward passes")


def test_dense_backward_rules_and_mse_scaling():
    rng = np.random.default_rng(1)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    target = rng.normal(size=(4, 2))
    dY = mse_grad(dense_forward(X, W, b), target)
    assert np.allclose(dY, 2 * (dense_forward(X, W, b) - target) / (4 * 2))
    dX, dW, db = dense_backward(dY, X, W)
    assert np.allclose(dW, X.T @ dY) and np.allclose(dX, dY @ W.T) and np.allclose(db, dY.sum(axis=0))
    text = item_text("dense-layer-backward")
    assert says(text, "dY = 2(Ŷ − Y)/(N·M)") and says(text, "dW = Xᵀ·dY")


def test_hidden_sigmoid_unit_delta():
    weights, deltas = np.array([0.4, 0.3]), np.array([0.5, -0.2])
    collected = weights @ deltas
    slope = sigmoid_grad(0.0)
    text = item_text("hidden-layer-deltas")
    assert says(text, f"0.4·0.5 + 0.3·(−0.2) = {collected:.2f}")
    assert says(text, f"σ′(0) = {slope:g}, so its δ = {collected * slope:.3f}")


def test_two_layer_listing_matches_reference_and_finite_differences():
    answer = load_bank().get("two-layer-net-from-scratch").answer
    listing = re.search(r"```python\n(.*?)```", answer, re.S).group(1)
    scope = {"np": np}
    exec(listing, scope)  # the code shown to the learner must run and be right
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 1))
    params = {
        "W1": rng.normal(size=(3, 4)),
        "b1": rng.normal(size=4),
        "W2": rng.normal(size=(4, 1)),
        "b2": rng.normal(size=1),
    }
    loss, grads = scope["loss_and_grads"](X, y, *params.values())
    ref_loss, cache = two_layer_net_forward(X, y, params)
    ref_grads, _ = two_layer_net_backward(cache)
    assert np.isclose(loss, ref_loss)
    for name, grad in zip(params, grads, strict=True):
        assert np.allclose(grad, ref_grads[name])
        numeric = numerical_gradient(lambda _: two_layer_net_forward(X, y, params)[0], params[name])
        assert relative_error(grad, numeric) < 1e-7


def test_centred_versus_one_sided_difference():
    h = 1e-3
    centred = numerical_gradient(lambda v: v[0] ** 3, np.array([1.0]), h=h)[0]
    one_sided = ((1 + h) ** 3 - 1) / h
    assert np.isclose(centred - 3, h**2 * 6 / 6)  # the h²f‴/6 error term, f‴ = 6
    text = item_text("gradient-checking")
    assert says(
        text,
        f"the centred estimate is {centred:.6f} (error 10⁻⁶) and the one-sided one is {one_sided:.6f} "
        f"(error {one_sided - 3:.6f})",
    )
    assert says(text, f"centred {centred:.6f}, one-sided {one_sided:.6f}")


def test_relative_error_thresholds_separate_right_from_buggy_backward():
    rng = np.random.default_rng(3)
    X, W, dY = rng.normal(size=(5, 3)), rng.normal(size=(3, 3)), rng.normal(size=(5, 3))
    numeric = numerical_gradient(lambda x: float(np.sum(dense_forward(x, W, np.zeros(3)) * dY)), X.copy())
    assert relative_error(dense_backward(dY, X, W)[0], numeric) < 1e-7
    assert relative_error(dY @ W, numeric) > 1e-3  # the missing transpose
    text = item_text("gradient-checking")
    assert says(text, "around 10⁻⁷ or below means correct, above 10⁻³ means a bug")


def test_condition_number_and_standardised_one_step():
    X = np.array([[1, 1], [-1, 1], [1, -1], [-1, -1]], dtype=float) * [1.0, 1000.0]
    eig = np.linalg.eigvalsh(X.T @ X / len(X))
    kappa = eig.max() / eig.min()
    assert kappa == 10**6
    steps_per_digit = math.log(10) / -math.log((kappa - 1) / (kappa + 1))
    text = item_text("feature-scaling")
    assert says(text, "standard deviations 1 and 1000 give a condition number κ = 10⁶")
    assert says(text, f"about {steps_per_digit / 1e6:.1f} million steps per decimal digit")
    Xs = X / X.std(axis=0)
    y = Xs @ np.array([2.0, -3.0])
    w = np.zeros(2) - 1.0 * Xs.T @ (Xs @ np.zeros(2) - y) / len(Xs)  # one step, η = 1
    assert np.allclose(w, [2.0, -3.0])
    assert says(text, "κ = 1 and one step with η = 1 lands on the minimum")


def test_correlated_standardised_features_stay_ill_conditioned():
    rho = 0.99
    eig = np.linalg.eigvalsh(np.array([[1.0, rho], [rho, 1.0]]))
    assert np.allclose(sorted(eig), [1 - rho, 1 + rho])
    kappa = eig.max() / eig.min()
    assert says(item_text("feature-scaling"), f"κ = {kappa:.0f} at ρ = {rho}")
    # the same from data: two standardised columns with that correlation
    rng = np.random.default_rng(0)
    a = rng.normal(size=200_000)
    b = rho * a + math.sqrt(1 - rho**2) * rng.normal(size=a.size)
    X = np.stack([a, b], axis=1)
    X = (X - X.mean(0)) / X.std(0)
    H = X.T @ X / len(X)
    assert np.linalg.cond(H) == pytest.approx(kappa, rel=0.05)


def test_saturated_unit_passes_a_tiny_delta():
    """δ = σ′(z)·∂L/∂a: a unit saturated at z = 8 sends back about 3000× less than arrives."""
    slope = sigmoid_grad(np.array(8.0)).item()
    assert slope == pytest.approx(3.35e-4, rel=0.01) and 1 / slope > 2900
    text = item_text("debugging-large-error-neuron")
    assert says(text, "δⱼ = g′(zⱼ)·Σₖ wₖⱼδₖ")
    assert says(text, "g′ ≈ 0 makes δ ≈ 0 even when ∂L/∂a is large")
