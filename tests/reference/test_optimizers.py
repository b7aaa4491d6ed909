"""Optimizers against hand-computed PyTorch updates, convergence on a quadratic, and clipping."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlquiz.reference.optimizers import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    RMSProp,
    adam_uncorrected_step_ratio,
    clip_grad_norm,
    clip_grad_value,
    newton_step,
)


def run(opt, p0, grads):
    """Apply ``opt`` to a single parameter p (starting at p0) with the given gradient sequence."""
    params = {"p": np.array(p0, dtype=np.float64)}
    trajectory = []
    for g in grads:
        opt.step(params, {"p": np.array(g, dtype=np.float64)})
        trajectory.append(params["p"].copy())
    return trajectory


# --- SGD ---------------------------------------------------------------------------------------


def test_sgd_plain_step():
    assert run(SGD(lr=0.1), 1.0, [2.0])[0] == pytest.approx(0.8, abs=1e-15)


def test_sgd_momentum_first_buffer_is_the_gradient():
    # buf₁ = 1 → 0.9; buf₂ = 0.9·1 + 2 = 2.9 → 0.61; buf₃ = 0.9·2.9 − 1 = 1.61 → 0.449
    p = run(SGD(lr=0.1, momentum=0.9), 1.0, [1.0, 2.0, -1.0])
    assert np.allclose(p, [0.9, 0.61, 0.449], rtol=0, atol=1e-14)


def test_sgd_nesterov():
    # step 1: buf = 1, d = 1 + 0.9·1 = 1.9 → 0.81; step 2: buf = 2.9, d = 2 + 0.9·2.9 = 4.61 → 0.349
    p = run(SGD(lr=0.1, momentum=0.9, nesterov=True), 1.0, [1.0, 2.0])
    assert np.allclose(p, [0.81, 0.349], rtol=0, atol=1e-14)


def test_sgd_weight_decay_adds_l2_gradient():
    # g = 0 + 0.1·2 = 0.2 → 2 − 0.1·0.2
    assert run(SGD(lr=0.1, weight_decay=0.1), 2.0, [0.0])[0] == pytest.approx(1.98, abs=1e-15)


def test_sgd_momentum_steady_step_is_lr_over_one_minus_mu():
    p = run(SGD(lr=0.01, momentum=0.9), 0.0, [1.0] * 400)
    assert p[-2] - p[-1] == pytest.approx(0.01 / (1 - 0.9), rel=1e-9)


def test_sgd_nesterov_without_momentum_is_rejected():
    with pytest.raises(ValueError):
        SGD(lr=0.1, nesterov=True)


def test_sgd_does_not_modify_grads_and_updates_in_place():
    w = np.array([1.0, 2.0])
    g = np.array([0.5, 0.5])
    params = {"w": w}
    opt = SGD(lr=1.0, momentum=0.9)
    opt.step(params, {"w": g})
    opt.step(params, {"w": g})
    assert np.array_equal(g, [0.5, 0.5])
    assert params["w"] is w
    assert np.allclose(w, [1.0 - 0.5 - 0.95, 2.0 - 0.5 - 0.95])


# --- Adagrad, RMSProp --------------------------------------------------------------------------


def test_adagrad_constant_gradient_steps_shrink_like_one_over_sqrt_t():
    # s_t = t·g², step_t = η·g/√(t·g²) = η/√t
    p = run(Adagrad(lr=0.1), 0.0, [2.0, 2.0, 2.0])
    expected = -0.1 * np.cumsum([1.0, 1 / math.sqrt(2), 1 / math.sqrt(3)])
    assert np.allclose(p, expected, rtol=0, atol=1e-9)


def test_adagrad_eps_outside_sqrt():
    # s = 1e-8, √s = 1e-4: step = 0.01·1e-4 / (1e-4 + 1e-4) with ε = 1e-4 outside
    # (inside the root it would be 0.01·1e-4 / √2e-8)
    p = run(Adagrad(lr=0.01, eps=1e-4), 0.0, [1e-4])
    assert p[0] == pytest.approx(-0.005, rel=1e-12)


def test_rmsprop_two_steps_by_hand():
    # α = 0.9, ε = 0.1 so that ε matters: v₁ = 0.1·1 = 0.1; v₂ = 0.09 + 0.1·4 = 0.49
    p = run(RMSProp(lr=0.01, alpha=0.9, eps=0.1), 0.0, [1.0, -2.0])
    first = -0.01 * 1.0 / (math.sqrt(0.1) + 0.1)
    assert p[0] == pytest.approx(first, rel=1e-12)
    assert p[1] == pytest.approx(first + 0.01 * 2.0 / (0.7 + 0.1), rel=1e-12)


def test_rmsprop_eps_outside_sqrt_with_tiny_gradient():
    # g = 1e-5: v = 0.01·1e-10, √v = 1e-6 → step = η·1e-5/(1e-6 + 1e-8) ≈ 9.9η
    # (with ε inside the root it would be ≈ 0.1η)
    p = run(RMSProp(lr=0.01), 0.0, [1e-5])
    assert p[0] == pytest.approx(-0.01 * 1e-5 / (1e-6 + 1e-8), rel=1e-12)
    assert p[0] < -0.09


# --- Adam, AdamW -------------------------------------------------------------------------------


def test_adam_first_step_moves_every_param_by_lr_times_sign():
    g = np.array([1e-3, -5.0, 100.0, -0.2])
    params = {"w": np.zeros(4)}
    Adam(lr=1e-3).step(params, {"w": g})
    assert np.allclose(params["w"], -1e-3 * np.sign(g), rtol=1e-5, atol=0)


def test_adam_second_step_by_hand():
    # g₁ = 1, g₂ = 3: m₂ = 0.9·0.1 + 0.1·3 = 0.39, v₂ = 0.999·0.001 + 0.001·9 = 0.009999
    p = run(Adam(lr=0.01), 0.0, [1.0, 3.0])
    step1 = 0.01 * 1.0 / (1.0 + 1e-8)
    m_hat = 0.39 / (1 - 0.9**2)
    v_hat = 0.009999 / (1 - 0.999**2)
    assert p[0] == pytest.approx(-step1, rel=1e-12)
    assert p[1] == pytest.approx(-step1 - 0.01 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)


def test_adam_weight_decay_is_l2_through_the_moments():
    # zero gradient, g = λ·p: the first step is ≈ η·sign(p) whatever the size of p
    params = {"w": np.array([1.0, 100.0])}
    Adam(lr=1e-3, weight_decay=0.01).step(params, {"w": np.zeros(2)})
    assert np.allclose(params["w"], [1.0 - 1e-3, 100.0 - 1e-3], rtol=0, atol=1e-9)


def test_adamw_decay_is_scaled_by_lr_and_proportional_to_weights():
    params = {"w": np.array([1.0, 100.0])}
    AdamW(lr=1e-3, weight_decay=0.01).step(params, {"w": np.zeros(2)})
    assert np.allclose(params["w"], [1.0 * (1 - 1e-5), 100.0 * (1 - 1e-5)], rtol=1e-15, atol=0)


def test_adamw_zero_gradient_decays_geometrically():
    p = run(AdamW(lr=0.01, weight_decay=0.1), 3.0, [0.0] * 2000)
    assert p[-1] == pytest.approx(3.0 * (1 - 0.001) ** 2000, rel=1e-10)
    assert p[-1] == pytest.approx(3.0 * math.exp(-2), rel=2e-3)


def test_adamw_default_weight_decay_and_first_step():
    opt = AdamW()
    assert opt.weight_decay == 0.01 and opt.lr == 1e-3
    p = run(opt, 2.0, [0.5])
    assert p[0] == pytest.approx(2.0 * (1 - 1e-5) - 1e-3 * 0.5 / (0.5 + 1e-8), rel=1e-14)


def test_adam_weight_decay_differs_from_adamw():
    grads = [np.array([5.0, -0.01])] * 3
    adam = run(Adam(lr=0.1, weight_decay=0.5), [1.0, 1.0], grads)[-1]
    adamw = run(AdamW(lr=0.1, weight_decay=0.5), [1.0, 1.0], grads)[-1]
    assert np.max(np.abs(adam - adamw)) > 1e-3


def test_optimizer_state_is_per_key():
    opt = Adam(lr=0.1)
    params = {"a": np.array([0.0]), "b": np.array([0.0])}
    opt.step(params, {"a": np.array([1.0]), "b": np.array([-1.0])})
    opt.step(params, {"a": np.array([1.0]), "b": np.array([-1.0])})
    assert params["a"][0] == pytest.approx(-params["b"][0], rel=1e-15)
    # a constant gradient keeps m̂ = g and v̂ = g², so each Adam step is η·g/(|g| + ε)
    assert params["a"][0] == pytest.approx(-0.2 / (1 + 1e-8), rel=1e-12)


# --- convergence on a convex quadratic ---------------------------------------------------------

A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -1.0])
OPTIMUM = np.linalg.solve(A, B)  # minimiser of ½θᵀAθ − bᵀθ


@pytest.mark.parametrize(
    "make_opt, steps",
    [
        (lambda: SGD(lr=0.1), 500),
        (lambda: SGD(lr=0.05, momentum=0.9), 500),
        (lambda: SGD(lr=0.05, momentum=0.9, nesterov=True), 500),
        (lambda: Adagrad(lr=0.5), 2000),
        (lambda: RMSProp(lr=0.001), 5000),
        (lambda: Adam(lr=0.01), 5000),
        (lambda: AdamW(lr=0.01, weight_decay=0.0), 5000),
    ],
    ids=["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"],
)
def test_converges_on_convex_quadratic(make_opt, steps):
    opt = make_opt()
    params = {"theta": np.array([2.0, -3.0])}
    for _ in range(steps):
        opt.step(params, {"theta": A @ params["theta"] - B})
    assert np.allclose(params["theta"], OPTIMUM, atol=1e-3)


# --- clipping ----------------------------------------------------------------------------------


def test_clip_grad_norm_leaves_small_gradient_untouched():
    grads = {"a": np.array([0.3, 0.4]), "b": np.array([[0.0]])}
    norm = clip_grad_norm(grads, max_norm=1.0)
    assert norm == pytest.approx(0.5, rel=1e-15)
    assert np.array_equal(grads["a"], [0.3, 0.4])


def test_clip_grad_norm_scales_large_gradient_to_max_norm():
    grads = {"a": np.array([3.0, 4.0]), "b": np.array([[12.0]])}  # global norm √(9 + 16 + 144) = 13
    norm = clip_grad_norm(grads, max_norm=1.0)
    assert norm == pytest.approx(13.0, rel=1e-15)
    scale = 1.0 / (13.0 + 1e-6)
    assert np.allclose(grads["a"], [3.0 * scale, 4.0 * scale], rtol=1e-15)
    assert grads["b"][0, 0] == pytest.approx(12.0 * scale, rel=1e-15)
    total = math.sqrt(np.sum(grads["a"] ** 2) + np.sum(grads["b"] ** 2))
    assert total == pytest.approx(1.0, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.floats(-100, 100), min_size=1, max_size=8),
    max_norm=st.floats(0.1, 10.0),
)
def test_clip_grad_norm_keeps_direction_and_bounds_norm(values, max_norm):
    g = np.array(values)
    grads = {"g": g.copy()}
    before = clip_grad_norm(grads, max_norm=max_norm)
    assert before == pytest.approx(np.linalg.norm(g), rel=1e-12, abs=1e-300)
    assert np.linalg.norm(grads["g"]) <= max_norm + 1e-9 or np.allclose(grads["g"], g)
    # same direction: g_clipped = c·g with 0 < c ≤ 1
    assert np.allclose(grads["g"] * np.linalg.norm(g), g * np.linalg.norm(grads["g"]), atol=1e-9)


def test_clip_grad_value_clamps_each_component():
    grads = {"a": np.array([10.0, 0.1, -3.0]), "b": np.array([-0.5])}
    assert clip_grad_value(grads, clip_value=1.0) is None
    assert np.array_equal(grads["a"], [1.0, 0.1, -1.0])
    assert np.array_equal(grads["b"], [-0.5])


# --- Newton, Adam without bias correction ------------------------------------------------------


def test_newton_step_by_hand():
    theta = newton_step(np.zeros(2), np.array([2.0, 4.0]), np.array([[2.0, 0.0], [0.0, 4.0]]))
    assert np.allclose(theta, [-1.0, -1.0], rtol=0, atol=1e-15)


def test_newton_step_solves_ill_conditioned_quadratic_in_one_step():
    hessian = np.array([[1000.0, 0.0], [0.0, 1.0]])
    theta0 = np.array([1.0, 1.0])
    theta = newton_step(theta0, hessian @ theta0, hessian)  # L = ½θᵀHθ, minimum at 0
    assert np.allclose(theta, 0.0, atol=1e-12)


def test_adam_uncorrected_step_ratio_values():
    assert adam_uncorrected_step_ratio(1) == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-12)
    ratios = adam_uncorrected_step_ratio(np.arange(1, 101))
    assert np.argmax(ratios) + 1 in (11, 12, 13)
    assert ratios.max() == pytest.approx(6.6, abs=0.05)
    assert adam_uncorrected_step_ratio(1000) == pytest.approx((1 - 0.9**1000) / math.sqrt(1 - 0.999**1000), rel=1e-12)


def test_adam_uncorrected_step_ratio_matches_a_raw_adam_loop():
    # an Adam loop written here without the corrections, constant g, ε = 0
    g, m, v = 0.7, 0.0, 0.0
    for t in range(1, 31):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        raw_step = m / math.sqrt(v)
        corrected_step = (m / (1 - 0.9**t)) / math.sqrt(v / (1 - 0.999**t))
        assert raw_step / corrected_step == pytest.approx(adam_uncorrected_step_ratio(t), rel=1e-12)
