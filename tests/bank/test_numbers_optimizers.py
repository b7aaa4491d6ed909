"""Every number quoted in questions/optimizers.yaml, recomputed from the reference optimizers."""

import math

import numpy as np
import pytest

from dlquiz.reference.optimizers import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    RMSProp,
    adam_uncorrected_step_ratio,
    newton_step,
)


def minus(s: str) -> str:
    """Write a negative number with the typographic minus the bank uses."""
    return s.replace("-", "−")


def sci(x: float) -> str:
    """1e-05 -> '1e-5', the way the bank writes powers of ten."""
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def run(opt, theta, grad_of, steps):
    """θ after ``steps`` updates of ``opt``, with gradient ``grad_of(θ)``; also every θ on the way."""
    params = {"p": np.array(theta, dtype=np.float64)}
    path = [params["p"].copy()]
    for _ in range(steps):
        opt.step(params, {"p": grad_of(params["p"])})
        path.append(params["p"].copy())
    return np.array(path)


def constant(g):
    return lambda p: np.full_like(p, g)


def test_gradient_descent_example(text):
    # J(θ) = θ², θ = 3, η = 0.1
    path = run(SGD(lr=0.1), [3.0], lambda p: 2 * p, 1)
    t = text("gradient-descent")
    assert f"g = 2θ = {2 * 3:g}" in t
    assert f"3 − {0.1 * 6:g} = {path[1][0]:g}" in t
    assert f"from {path[0][0] ** 2:g} to {path[1][0] ** 2:g}" in t


def test_learning_rate_quadratic(text):
    L = 10.0
    path = run(SGD(lr=0.25), [1.0], lambda p: L * p, 3)
    factor = path[1][0] / path[0][0]
    t = text("learning-rate")
    assert minus(f"the factor is {factor:g}") in t
    assert f"|x| grows {abs(factor):g}× per step" in t
    assert np.allclose(np.abs(path[1:] / path[:-1]), 1.5)  # it keeps growing
    # η = 1/L lands on the minimum in one step; just below 2/L shrinks, just above grows
    assert run(SGD(lr=1 / L), [1.0], lambda p: L * p, 1)[1][0] == 0.0
    assert abs(run(SGD(lr=1.9 / L), [1.0], lambda p: L * p, 50)[-1][0]) < 1e-2
    assert abs(run(SGD(lr=2.1 / L), [1.0], lambda p: L * p, 50)[-1][0]) > 1e2


def test_schedules_named_in_the_answer_have_their_formulas():
    from dlquiz.reference.training import lr_schedule

    assert lr_schedule("exponential", 10, 1.0, decay_rate=0.1) == pytest.approx(math.exp(-1))
    assert lr_schedule("inverse_time", 10, 1.0, decay_rate=0.1) == pytest.approx(0.5)


def test_minibatch_noise_falls_as_root_b(text):
    assert f"B = 64 cuts it {math.isqrt(64)}×" in text("gd-sgd-minibatch")
    assert f"B = 64 gives {math.isqrt(64)}× less noise for 64× the compute" in text("gd-sgd-minibatch")
    # and empirically: the std of the mean of 64 per-example gradients is σ/8
    rng = np.random.default_rng(0)
    per_example = rng.normal(0.3, 2.0, size=(20000, 64))
    ratio = per_example[:, 0].std() / per_example.mean(axis=1).std()
    assert ratio == pytest.approx(8, rel=0.03)


def test_momentum_numbers(text):
    t = text("momentum")
    path = run(SGD(lr=0.1, momentum=0.9), [0.0], constant(1.0), 300)
    steps = -np.diff(path[:, 0])
    assert f"the steps are {steps[0]:g} and then {steps[1]:.2f}" in t
    assert f"ηg/(1 − μ): {steps[-1] / 0.1:.0f}× the plain SGD step for μ = 0.9" in t
    assert "≈10× the plain step at μ = 0.9" in t
    assert f"= {1 / (1 - 0.9):.0f}ηg for μ = 0.9" in t
    # the EMA form v ← βv + (1 − β)g equals PyTorch's with learning rate η(1 − β): 10× smaller steps
    beta, eta, v, theta = 0.9, 0.1, 0.0, 0.0
    for _ in range(5):
        v = beta * v + (1 - beta) * 1.0
        theta -= eta * v
    torch_like = run(SGD(lr=eta * (1 - beta), momentum=beta), [0.0], constant(1.0), 5)[-1][0]
    assert theta == pytest.approx(torch_like, rel=1e-12)
    assert f"its steps are {1 / (1 - beta):.0f}× smaller at the same η" in t


def test_nesterov_form(text):
    path = run(SGD(lr=0.1, momentum=0.9, nesterov=True), [0.0], constant(1.0), 2)
    steps = -np.diff(path[:, 0])
    # θ ← θ − η(g + μv) with the freshly updated v: v₁ = 1, v₂ = 1.9
    assert steps == pytest.approx([0.1 * (1 + 0.9 * 1), 0.1 * (1 + 0.9 * 1.9)])
    assert "θ ← θ − η(g + μv) with the freshly updated v" in text("momentum")


def test_newton_vs_gradient_descent_on_ill_conditioned_quadratic(text):
    t = text("hessian-newton")
    A = np.diag([1.0, 1000.0])
    theta0 = np.array([1.0, 1.0])
    assert np.allclose(newton_step(theta0, A @ theta0, A), 0.0, atol=1e-15)
    opt, params, steps = SGD(lr=1 / 1000), {"p": theta0.copy()}, 0
    while abs(params["p"][0]) > 1e-6:
        opt.step(params, {"p": A @ params["p"]})
        steps += 1
    assert params["p"][1] == 0.0  # the steep direction is solved at once
    assert f"multiplies x by {1 - 1 / 1000:g} per step" in t
    assert f"needs {steps:,} steps to cut it 10⁶×" in t
    n = 10**6
    assert n * n == 10**12 and "10¹² entries" in t
    assert f"{n * n * 4 / 1e12:g} TB in float32" in t


def test_adagrad_decay(text):
    t = text("adagrad")
    path = run(Adagrad(lr=1.0), [0.0], constant(1.0), 100)
    last_step = path[-2][0] - path[-1][0]
    assert f"η/{1 / last_step:.0f} at t = 100" in t
    assert f"(Σ 1/√i = {abs(path[-1][0]):.2f} at t = 100)" in t  # with η = 1 the distance is Σ 1/√i
    assert 2 * math.sqrt(100) - 2 < abs(path[-1][0]) < 2 * math.sqrt(100)  # "grows like 2√t"
    moved = abs(run(Adagrad(lr=0.1), [0.0], constant(1.0), 100)[-1][0])
    assert f"100 steps move θ by {moved:.3f}, where plain SGD would move it by {0.1 * 100:g}" in t


def test_rmsprop_first_step(text):
    t = text("rmsprop")
    path = run(RMSProp(lr=0.01), [0.0], constant(0.5), 1)
    assert f"first step is about **{abs(path[1][0]) / 0.01:.0f}η**" in t
    assert f"1/(1 − α) = {1 / (1 - 0.99):.0f} steps" in t
    assert f"the first v is {1 - 0.99:g}·g² and √v = {math.sqrt(1 - 0.99):g}·|g|" in t


def test_adam_first_step_is_lr_times_sign(text):
    for g in (1e-3, 0.5, 40.0):
        path = run(Adam(), [0.0], constant(g), 1)
        assert abs(path[1][0]) == pytest.approx(1e-3, rel=1e-5)
    assert "η·sign(g): 0.001 with the defaults" in text("adam")


def test_adam_bias_correction_numbers(text):
    t = text("adam-bias-correction")
    assert f"1 − β₂ᵗ is still only {1 - 0.999**1000:.3f}" in t
    assert f"m₁ = {1 - 0.9:g}g and v₁ = {1 - 0.999:g}g²" in t
    assert f"scaled up {1 / (1 - 0.9):.0f}× and {1 / (1 - 0.999):.0f}×" in t
    # with the correction, t = 1 gives m̂ = g and v̂ = g², so the step is exactly η·g/(|g| + ε)
    g = 0.37
    assert abs(run(Adam(lr=1.0), [0.0], constant(g), 1)[1][0]) == pytest.approx(g / (g + 1e-8), rel=1e-12)


def test_adamw_vs_adam_l2_on_a_zero_gradient(text):
    t = text("adamw")
    adam_l2 = run(Adam(lr=1e-3, weight_decay=0.01), [1.0], constant(0.0), 1)[1][0]
    adamw = run(AdamW(lr=1e-3, weight_decay=0.01), [1.0], constant(0.0), 1)[1][0]
    assert f"Adam with L2 moves θ to {adam_l2:.3f}" in t
    assert f"AdamW to {adamw:.5f}" in t
    assert f"the same fraction ηλ per step: {sci(1 - adamw)} with η = 1e-3" in t


def test_missing_bias_correction_ratios(text):
    t = text("bug-adam-no-bias-correction")
    # recompute the ratio from a literal run: the buggy snippet vs the reference Adam
    g, b1, b2, lr, eps = 0.3, 0.9, 0.999, 1e-3, 1e-8
    m = v = 0.0
    correct = -np.diff(run(Adam(lr=lr), [0.0], constant(g), 1000)[:, 0])
    ratios = []
    for step in range(1000):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        ratios.append(lr * m / (np.sqrt(v) + eps) / correct[step])
    ratios = np.array(ratios)
    assert ratios == pytest.approx(adam_uncorrected_step_ratio(np.arange(1, 1001)), rel=1e-5)  # ε ignored
    peak = int(np.argmax(ratios)) + 1
    assert f"t = 1: 0.1/√0.001 = {ratios[0]:.2f}×" in t
    assert f"it peaks at {ratios.max():.2f}× around t = {peak}" in t
    assert f"peak ≈ {ratios.max():.1f}× near t = {peak}" in t
    assert f"t = 100: {ratios[99]:.2f}×" in t
    assert f"t = 1000: {ratios[999]:.2f}×" in t
    assert f"t = 1: 0.1/{math.sqrt(0.001):.4f} = {ratios[0]:.2f}" in t
    assert f"1/√(1 − β₂ᵗ), {1 / math.sqrt(1 - b2):.1f}× at t = 1" in t
    assert adam_uncorrected_step_ratio(5000) == pytest.approx(1, abs=0.005)  # "several thousand steps"


def test_rmsprop_eps_inside_vs_outside(text):
    t = text("bug-rmsprop-eps")
    lr, alpha, eps = 0.01, 0.99, 1e-8

    def buggy_first_step(g):
        v = (1 - alpha) * g**2
        return lr * g / np.sqrt(v + eps)

    def torch_first_step(g):
        return -run(RMSProp(lr=lr), [0.0], constant(g), 1)[1][0]

    assert f"√ε = {sci(math.sqrt(eps))}" in t
    assert f"{torch_first_step(0.1) / lr:.1f}η" in t and f"{buggy_first_step(0.1) / lr:.1f}η" in t
    tiny = 1e-5
    assert f"PyTorch: η·1e-5/(1e-6 + 1e-8) ≈ {torch_first_step(tiny) / lr:.1f}η" in t
    assert f"buggy: η·1e-5/√(1e-12 + 1e-8) ≈ {buggy_first_step(tiny) / lr:.1f}η" in t
    assert f"The buggy step is {torch_first_step(tiny) / buggy_first_step(tiny):.0f}× smaller" in t
    assert (1 - alpha) * tiny**2 == pytest.approx(1e-12) and "v = 0.01·g² = 1e-12 and √v = 1e-6" in t


def test_adamw_decay_must_use_current_weights(text):
    t = text("bug-adamw-initial-weights")
    lr, wd, steps = 0.01, 0.1, 2000
    correct = run(AdamW(lr=lr, weight_decay=wd), [1.0], constant(0.0), steps)[-1][0]
    w, w0 = 1.0, 1.0
    for _ in range(steps):
        w -= lr * wd * w0
    assert f"θ/θ₀ = 0.999²⁰⁰⁰ ≈ {correct:.3f} (≈ e⁻²)" in t
    assert f"{math.exp(-2):.3f}" == f"{correct:.3f}"
    assert minus(f"leaves {w:.1f}") in t
    assert f"{correct:.3f} correct vs {minus(f'{w:.1f}')} buggy" in t


def test_default_hyper_parameters_quoted(text):
    assert (Adagrad().lr, Adagrad().eps) == (0.01, 1e-10)
    assert "ε = 1e-10 and default η = 0.01" in text("adagrad")
    assert (RMSProp().lr, RMSProp().alpha, RMSProp().eps) == (0.01, 0.99, 1e-8)
    assert "Defaults: η = 0.01, α = 0.99, ε = 1e-8 **outside**" in text("rmsprop")
    assert (Adam().lr, tuple(Adam().betas), Adam().eps) == (1e-3, (0.9, 0.999), 1e-8)
    assert "Defaults: η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8." in text("adam")
    assert AdamW().weight_decay == 0.01 and "the default λ = 0.01" in text("adamw")


def test_rmsprop_steady_step_is_lr_whatever_the_gradient_scale(text):
    assert "close to η for a steady gradient, whether g is 1000 or 0.001" in text("rmsprop")
    for g in (1000.0, 0.001):
        path = run(RMSProp(lr=0.01), [0.0], constant(g), 2000)
        assert abs(path[-2][0] - path[-1][0]) == pytest.approx(0.01, rel=1e-3)


def test_momentum_widens_the_stable_learning_rate_to_2_1_plus_mu_over_L(text):
    L, mu = 10.0, 0.9
    limit = 2 * (1 + mu) / L
    assert abs(run(SGD(lr=0.99 * limit, momentum=mu), [1.0], lambda p: L * p, 3000)[-1][0]) < 1e-3
    assert abs(run(SGD(lr=1.01 * limit, momentum=mu), [1.0], lambda p: L * p, 3000)[-1][0]) > 1e3
    assert abs(run(SGD(lr=1.01 * 2 / L), [1.0], lambda p: L * p, 3000)[-1][0]) > 1e3  # without momentum: 2/L
    assert "η < 2(1 + μ)/L" in text("learning-rate")


def test_sgd_noise_ball_spread_grows_like_root_eta(text):
    """SGD on ½λθ² with gradient noise σ/√B: stationary variance ησ²/(λ(2 − ηλ)B) ≈ ησ²/(2λB)."""
    lam, sigma, batch = 1.0, 1.0, 1
    rng = np.random.default_rng(0)

    def spread(eta, steps=60_000):
        noise = rng.normal(0.0, sigma / math.sqrt(batch), size=steps)
        opt, params, values = SGD(lr=eta), {"p": np.array([0.0])}, np.empty(steps)
        for t in range(steps):
            opt.step(params, {"p": lam * params["p"] + noise[t]})
            values[t] = params["p"][0]
        return values[steps // 10 :].std()

    for eta in (0.01, 0.04):
        closed = math.sqrt(eta * sigma**2 / (lam * (2 - eta * lam) * batch))
        assert spread(eta) == pytest.approx(closed, rel=0.08)
    ratio = math.sqrt(0.04 / (2 - 0.04)) / math.sqrt(0.01 / (2 - 0.01))
    assert ratio == pytest.approx(2, rel=0.02)
    t = text("gd-sgd-minibatch")
    assert "variance ≈ ησ²/(2λB), so 4× η only doubles the amplitude" in t


def test_momentum_gain_near_one(text):
    assert round(1 / (1 - 0.9999)) == 10**4
    assert "the gain 1/(1 − μ) explodes (10⁴ at μ = 0.9999)" in text("momentum")


def test_rmsprop_moves_a_1000x_smaller_gradient_as_far(text):
    big, small = (run(RMSProp(lr=0.01), [0.0], constant(g), 50) for g in (1.0, 0.001))
    assert big[-2][0] - big[-1][0] == pytest.approx(small[-2][0] - small[-1][0], rel=1e-4)
    assert "RMSProp moves a weight whose gradient is 1000× smaller just as far" in text("adagrad")


def test_frozen_decay_of_the_bias_usually_fails_and_silently_runs_where_shapes_fit(text):
    """`b -= lr * wd * w0` with a 2-D w0 and a 1-D bias (PyTorch's layout) never broadcasts in place, not
    even for one input or one output feature; a bias kept as a (1, out) row with one input does, silently
    (content review S7): the item says 'usually … fails', and names the silent case."""
    for n_in, n_out in [(4, 3), (1, 3), (3, 1), (1, 1)]:
        b, w0 = np.zeros(n_out), np.ones((n_in, n_out))
        with pytest.raises(ValueError):
            b -= 0.1 * 0.01 * w0
    row, w0 = np.zeros((1, 3)), np.ones((1, 3))
    row -= 0.1 * 0.01 * w0  # no error: the bias is decayed by W's numbers
    assert np.allclose(row, -0.001)
    t = text("bug-adamw-initial-weights")
    assert "usually has a different shape from W" in t and "silently decays the bias" in t


def test_adam_variants_state_sizes_and_the_factored_second_moment(text):
    from dlquiz.reference.optimizers import Lion

    t = text("adam-variants")
    n = m = 4096
    assert (n * m, n + m, n * m // (n + m)) == (16_777_216, 8_192, 2_048)
    assert "n + m numbers instead of nm" in t
    assert "n = m = 4096: nm = 16,777,216, n + m = 8,192" in t and "2,048 times less state" in t
    # a rank-1 matrix of squared gradients is recovered exactly from its row and column means
    rng = np.random.default_rng(0)
    v = np.outer(rng.uniform(0.1, 2, 6), rng.uniform(0.1, 2, 4))
    rows, cols = v.mean(axis=1), v.mean(axis=0)
    assert np.allclose(np.outer(rows, cols) / rows.mean(), v)
    # state bytes: Adam two fp32 moments, Lion one (its state holds one array per parameter), 8-bit Adam two bytes
    lion = Lion()
    lion.step({"w": np.zeros(3)}, {"w": np.ones(3)})
    assert np.shape(lion.state["w"]) == (3,)
    gb = [7e9 * b / 1e9 for b in (8, 4, 2)]
    assert gb == [56, 28, 14]
    assert "56, 28 and 14 GB for 7 B parameters, before weights and gradients" in t
    assert "7 × 10⁹ parameters × 8, 4 and 2 bytes = 56, 28 and 14 GB" in t
