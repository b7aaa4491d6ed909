"""Optimizer demos checked against closed forms: (1 − ηL)ᵗ, η/√t, Adam's first step ≈ η, (1 − ηλ)ᵗ..."""

import itertools
import math

import pytest

from dlquiz.demos import run_demo


def _rows(link, settings=(), i=0):
    return run_demo(link, settings, seed=0).tables[i].rows


def test_race_adaptive_and_momentum_beat_plain_gd():
    final = {r[0]: r[4] for r in _rows("optimizers.optimizer_race")}
    assert final["Adam"] < final["GD"] / 100 and final["momentum 0.9"] < final["GD"] / 100
    assert final["RMSProp"] < final["GD"]
    result = run_demo("optimizers.optimizer_race", ["steps=10"], seed=0)
    xs, ys = result.plots[0].series["GD"]
    assert len(xs) == 11 and ys[0] == pytest.approx((1 + 1.5) ** 2 + 100 * (2 - 2.25) ** 2)


def test_learning_rate_factors_follow_one_minus_eta_L():
    result = run_demo("optimizers.learning_rates", ["curvature=4", "steps=20"])
    for label, lr, _factor, x1, last in result.tables[0].rows:
        k = float(label.split("/")[0])
        assert lr == pytest.approx(k / 4) and x1 == pytest.approx(1 - k)
        assert last == pytest.approx(abs(1 - k) ** 20, rel=1e-9, abs=1e-15)
    sizes = next(plot for plot in result.plots if plot.log_y).series
    diverging = sizes["η = 2.1/L (× 1.1)"][1]
    assert all(b > a for a, b in itertools.pairwise(diverging))  # η > 2/L grows every step
    signed = next(plot for plot in result.plots if not plot.log_y).series
    assert abs(signed["η = 1.9/L"][1][-1]) < 1


def test_gd_quadratic_steps_shrink_each_axis_by_one_minus_eta_h():
    rows = {r[0]: r for r in _rows("optimizers.gd_quadratic", ["lr=0.05", "kappa=10"])}
    assert rows[1][1] == pytest.approx(10 * 0.95) and rows[1][2] == pytest.approx(1 * 0.5)
    assert rows[10][1] == pytest.approx(10 * 0.95**10)


def test_nonconvex_ends_at_stationary_points_of_f():
    for _start, end, _f_end, kind in _rows("optimizers.nonconvex_starts"):
        assert 4 * end**3 - 6 * end + 1 == pytest.approx(0, abs=1e-6)
        assert kind == ("global" if end < 0 else "local")


def test_momentum_and_nesterov_need_fewer_steps():
    steps = {r[0]: r[1] for r in _rows("optimizers.momentum_conditioning")}
    assert steps["momentum 0.9"] < steps["GD"] / 3 and steps["Nesterov 0.9"] < steps["GD"] / 3
    # GD on ½(x² + κy²) with η = 1/κ: x shrinks by (1 − 1/κ) per step, f ≈ ½(1 − 1/κ)^{2t}
    expected = math.ceil(math.log(2e-6) / (2 * math.log(1 - 1 / 100)))
    assert abs(steps["GD"] - expected) <= 1


def test_newton_one_step_to_the_minimum():
    rows = _rows("optimizers.newton_vs_gd")
    assert rows[0][1] == 1 and rows[0][3] == pytest.approx(0, abs=1e-20)
    assert rows[1][1] > 1000


def test_adagrad_effective_rate_is_eta_over_sqrt_t():
    for t, step, closed, rmsprop in _rows("adaptive.adagrad_decay"):
        assert step == pytest.approx(0.1 / math.sqrt(t), rel=1e-6) and closed == pytest.approx(0.1 / math.sqrt(t))
        assert rmsprop == pytest.approx(0.1 / math.sqrt(1 - 0.99**t), rel=1e-6)  # RMSProp's v = (1 − αᵗ)g²


def test_rmsprop_first_step_is_ten_eta_and_scales_equalise():
    rows = {r[0]: r for r in _rows("adaptive.rmsprop_scales")}
    assert rows["SGD"][5] == pytest.approx(1000)
    assert rows["RMSProp"][1] == pytest.approx(10 * 0.01, rel=1e-6)  # η·g/√(0.01 g²)
    assert rows["RMSProp"][5] == pytest.approx(1, rel=1e-3)


def test_adam_bias_corrected_first_step_is_lr():
    result = run_demo("adaptive.bias_correction")
    for t, m, v, m_hat, v_hat, step, raw in result.tables[0].rows:
        assert m == pytest.approx(1 - 0.9**t) and v == pytest.approx(1 - 0.999**t)
        assert m_hat == pytest.approx(1) and v_hat == pytest.approx(1)
        assert step == pytest.approx(1e-3, rel=1e-6)
        assert raw == pytest.approx(1e-3 * (1 - 0.9**t) / math.sqrt(1 - 0.999**t), rel=1e-6)
    first = result.tables[0].rows[0]
    assert first[6] / first[5] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)


def test_uncorrected_ratio_matches_formula():
    for t, _good, _bad, ratio, _formula in _rows("adaptive.uncorrected_step_ratio"):
        assert ratio == pytest.approx((1 - 0.9**t) / math.sqrt(1 - 0.999**t), rel=1e-5)
    assert {r[0]: r[3] for r in _rows("adaptive.uncorrected_step_ratio")}[1] == pytest.approx(3.162, abs=1e-3)


def test_adamw_decays_all_weights_alike_adam_l2_does_not():
    rows = {r[0]: r[1:] for r in _rows("adaptive.adam_vs_adamw_decay")}
    adamw = rows["AdamW (decoupled)"]
    assert adamw == pytest.approx([adamw[0]] * 3, rel=1e-3)
    assert adamw[0] == pytest.approx(1 - (1 - 0.01 * 0.1) ** 500, rel=3e-2)  # θ wobbles by ~η around 1
    adam = rows["Adam (L2 in g)"]
    assert adam[0] < adam[1] < adam[2]  # larger gradients, less decay


def test_frozen_initial_weights_bug():
    rows = _rows("adaptive.adamw_frozen_decay")
    assert rows[0][1] == pytest.approx((1 - 0.001) ** 2000) and rows[1][1] == pytest.approx(-1.0)


def test_rmsprop_eps_inside_sqrt_shrinks_small_gradient_steps():
    for g, ref, inside, _, _ in _rows("adaptive.rmsprop_eps_placement"):
        assert ref == pytest.approx(0.01 * g / (math.sqrt(0.01) * g + 1e-8))
        assert inside == pytest.approx(0.01 * g / math.sqrt(0.01 * g * g + 1e-8))
    small = _rows("adaptive.rmsprop_eps_placement")[-1]
    assert small[1] / small[2] > 100


def test_gd_quadratic_default_zigzags_across_the_steep_axis():
    # η = 0.15, κ = 10: θ₂ is multiplied by 1 − 1.5 = −0.5 each step (a zig-zag), θ₁ by 0.85
    rows = {r[0]: r for r in _rows("optimizers.gd_quadratic")}
    for t in (1, 2, 3, 5, 10):
        assert rows[t][2] == pytest.approx((-0.5) ** t) and rows[t][1] == pytest.approx(10 * 0.85**t)


def test_newton_vs_gd_says_when_gd_never_reached_the_tolerance():
    # κ = 1e5, η = 1/κ: θ₁ shrinks by (1 − 1e-5) per step, so f = ½θ₁² < 1e-8 needs ≈ 9.6e5 steps, past the 50000 cap
    gd = _rows("optimizers.newton_vs_gd", ["kappa=100000"])[1]
    assert gd[1] == "> 50000 (stopped)"
    assert gd[3] == pytest.approx(0.5 * (1 - 1e-5) ** (2 * 50000), rel=1e-6)


def test_uncorrected_adam_note_follows_the_betas():
    result = run_demo("adaptive.uncorrected_step_ratio", ["beta1=0.8", "beta2=0.99", "steps=200"])
    first = 0.2 / math.sqrt(0.01)  # (1 − β₁)/√(1 − β₂) at t = 1
    assert f"{first:.3g}× the correct one" in result.notes[0]


@pytest.mark.parametrize(
    "link, setting",
    [
        ("optimizers.gd_quadratic", "lr=0"),
        ("optimizers.gd_quadratic", "lr=-0.1"),
        ("adaptive.adagrad_decay", "lr=0"),
        ("adaptive.bias_correction", "lr=-1"),
        ("adaptive.rmsprop_eps_placement", "lr=0"),
        ("adaptive.adamw_frozen_decay", "lr=-0.01"),
        ("adaptive.adam_vs_adamw_decay", "lr=0"),
        ("optimizers.nonconvex_starts", "lr=1"),
        ("optimizers.nonconvex_starts", "lr=-0.02"),
        ("optimizers.momentum_conditioning", "tol=0"),
        ("optimizers.newton_vs_gd", "tol=-1"),
        ("optimizers.optimizer_race", "noise=-1"),
        ("optimizers.learning_rates", "x0=0"),
    ],
)
def test_optimizer_demos_reject_meaningless_settings(link, setting):
    from dlquiz.errors import UserError

    with pytest.raises(UserError):
        run_demo(link, [setting])
