"""Optimizer exercises against the update rules written out here by hand."""

import math

from pytest import approx

from dlquiz.exercises import check_answer, fmt
from dlquiz.exercises import optimizers as gen

from .helpers import runs


def sign(x):
    return 1.0 if x > 0 else -1.0


def test_gd_step_on_a_theta_squared():
    for ex, inp in runs(gen.gd_step_quadratic):
        theta = inp["theta"]
        assert ex.answer == approx((theta - inp["lr"] * 2 * inp["a"] * theta,), rel=1e-12)


def test_stable_learning_rates_are_one_and_two_over_curvature():
    for ex, inp in runs(gen.stable_learning_rate):
        assert ex.answer == approx((1 / inp["L"], 2 / inp["L"]), rel=1e-12)


def test_minibatch_noise_is_sigma_over_root_b():
    for ex, inp in runs(gen.minibatch_noise):
        assert ex.answer == approx((inp["sigma"] / math.sqrt(inp["B"]),), rel=1e-12)


def test_momentum_two_steps_pytorch_form():
    for ex, inp in runs(gen.momentum_two_steps):
        lr, mu = inp["lr"], inp["mu"]
        theta1 = inp["theta"] - lr * inp["g1"]
        theta2 = theta1 - lr * (mu * inp["g1"] + inp["g2"])
        assert ex.answer == approx((theta1, theta2), rel=1e-12)


def test_newton_step_lands_on_the_minimum_h_inverse_b():
    for ex, inp in runs(gen.newton_step_2d):
        a, c, d = inp["H"]
        b1, b2 = inp["b"]
        det = a * d - c * c
        assert ex.answer == approx(((d * b1 - c * b2) / det, (a * b2 - c * b1) / det), rel=1e-9, abs=1e-12)


def test_adagrad_with_constant_gradient_moves_eta_over_root_t():
    for ex, inp in runs(gen.adagrad_constant_gradient):
        moved = inp["lr"] * sign(inp["g"]) * sum(1 / math.sqrt(t) for t in range(1, inp["k"] + 1))
        assert ex.answer == approx((inp["theta"] - moved,), rel=1e-8)


def test_rmsprop_step_eps_outside_the_root():
    for ex, inp in runs(gen.rmsprop_step):
        a = inp["alpha"]
        v = a * inp["v"] + (1 - a) * inp["g"] ** 2
        assert ex.answer == approx((v, inp["theta"] - inp["lr"] * inp["g"] / (math.sqrt(v) + 1e-8)), rel=1e-9)


def test_adam_first_step_is_lr_times_sign():
    for ex, inp in runs(gen.adam_first_step):
        g, lr = inp["g"], inp["lr"]
        theta1 = inp["theta"] - lr * sign(g) * abs(g) / (abs(g) + 1e-8)
        assert ex.answer == approx((0.1 * g, 0.001 * g * g, theta1), rel=1e-9)


def test_adam_bias_correction_recovers_g_and_g_squared():
    for ex, inp in runs(gen.adam_bias_correction):
        g, t = inp["g"], inp["t"]
        assert ex.answer == approx(((1 - 0.9**t) * g, (1 - 0.999**t) * g * g, g, g * g), rel=1e-9)


def test_adamw_decays_then_steps():
    for ex, inp in runs(gen.adamw_step):
        lr, g = inp["lr"], inp["g"]
        expected = inp["theta"] * (1 - lr * inp["lambda"]) - lr * g / (abs(g) + 1e-8)
        assert ex.answer == approx((expected,), rel=1e-9)


def test_adam_uncorrected_ratio_closed_form():
    for ex, inp in runs(gen.adam_uncorrected_ratio):
        t = inp["t"]
        assert ex.answer == approx(((1 - 0.9**t) / math.sqrt(1 - 0.999**t),), rel=1e-12)


def test_forgetting_the_step_is_graded_wrong():
    # answering θ unchanged must fail, however small the step is relative to θ
    many = range(60)
    for ex, inp in runs(gen.adam_first_step, many) + runs(gen.adamw_step, many) + runs(gen.rmsprop_step, many):
        text = ", ".join([*(fmt(a) for a in ex.answer[:-1]), fmt(inp["theta"])])
        assert not check_answer(ex, text).correct
    # AdamW without its decoupled decay is wrong too
    for ex, inp in runs(gen.adamw_step, many):
        assert not check_answer(ex, repr(inp["theta"] - inp["lr"] * sign(inp["g"]))).correct
    # momentum forgotten at step 2 is wrong
    for ex, inp in runs(gen.momentum_two_steps, many):
        theta1 = inp["theta"] - inp["lr"] * inp["g1"]
        assert not check_answer(ex, f"{theta1!r}, {theta1 - inp['lr'] * inp['g2']!r}").correct


def test_rmsprop_eps_inside_versus_outside():
    for ex, inp in runs(gen.rmsprop_eps_placement):
        g = inp["g"]
        v = (1 - 0.99) * g * g
        assert ex.answer == approx((g / (math.sqrt(v) + 1e-8), g / math.sqrt(v + 1e-8)), rel=1e-9)
    # the curriculum's example: g = 1e-5 gives ≈ 9.9 outside and ≈ 0.1 inside
    for ex, inp in runs(gen.rmsprop_eps_placement, seeds=range(60)):
        if inp["g"] == 1e-5:
            assert ex.answer == approx((9.9, 0.1), rel=0.01)
            break
    else:
        raise AssertionError("no seed drew g = 1e-5")
