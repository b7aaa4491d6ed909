"""A learner who works by hand from the prompt, carrying 4 significant digits, is graded right; a
learner who makes the exercise's classic conceptual mistake is graded wrong. Over many draws, so the
rare draws where terms nearly cancel (and 1 % of the answer is finer than any rounding) are caught."""

import math

import numpy as np
from pytest import approx as pytest_approx

from dlquiz.exercises import (
    TINY,
    activations,
    attention,
    backprop,
    check_answer,
    evaluation,
    gradients,
    initialization,
    losses,
    normalization,
    optimizers,
    sequence,
)

MANY = range(400)


def sig(x: float, digits: int = 4) -> float:
    """x rounded to ``digits`` significant digits, as written down in a hand calculation."""
    return float(f"{x:.{digits - 1}e}")


def sigm(z: float) -> float:
    return sig(1 / (1 + math.exp(-z)))


def draws(generator, seeds=MANY):
    return [generator(np.random.default_rng(s)) for s in seeds]


def answer_text(values) -> str:
    return ", ".join(repr(float(v)) for v in values)


def assert_accepted(ex, values):
    verdict = check_answer(ex, answer_text(values))
    assert verdict.correct, f"{ex.prompt}\n{verdict.message}"


def assert_rejected(ex, values):
    verdict = check_answer(ex, answer_text(values))
    assert verdict.readable and not verdict.correct, f"{ex.prompt}\ngraded right: {values}"


# --------------------------------------------------------------------------- rounded by hand, accepted


def test_adam_first_step_by_hand_ignores_eps():
    # θ − η·sign(g): when that is exactly 0 the learner types 0, which must not be 0.1 % away from 1e−10
    for ex in draws(optimizers.adam_first_step, range(1000)):
        i = ex.inputs
        hand_theta = i["theta"] - i["lr"] * math.copysign(1, i["g"])
        assert_accepted(ex, (0.1 * i["g"], 0.001 * i["g"] ** 2, round(hand_theta, 10)))


def test_adagrad_with_rounded_square_roots():
    for ex in draws(optimizers.adagrad_constant_gradient):
        i = ex.inputs
        total = sum(sig(1 / math.sqrt(t)) for t in range(1, i["k"] + 1))
        assert_accepted(ex, (i["theta"] - i["lr"] * math.copysign(1, i["g"]) * total,))


def test_rmsprop_with_a_rounded_root_and_the_stale_average_rejected():
    for ex in draws(optimizers.rmsprop_step):
        i = ex.inputs
        v = i["alpha"] * i["v"] + (1 - i["alpha"]) * i["g"] ** 2
        assert_accepted(ex, (v, i["theta"] - i["lr"] * i["g"] / sig(math.sqrt(v))))
        # dividing by the running average before this step's update is a real mistake
        assert_rejected(ex, (v, i["theta"] - i["lr"] * i["g"] / math.sqrt(i["v"])))


def test_softmax_backward_with_rounded_probabilities():
    for ex in draws(activations.softmax_backward):
        z, dp = ex.inputs["z"], ex.inputs["dp"]
        e = [math.exp(v - max(z)) for v in z]
        p = [sig(v / sum(e)) for v in e]
        inner = sig(sum(a * b for a, b in zip(dp, p, strict=True)))
        assert_accepted(ex, [pi * (di - inner) for pi, di in zip(p, dp, strict=True)])
        # the diagonal-only bug p(1 − p)·∂L/∂p
        assert_rejected(ex, [pi * (1 - pi) * di for pi, di in zip(p, dp, strict=True)])


def test_value_clip_angle_from_a_rounded_cosine():
    for ex in draws(gradients.value_clip_angle):
        g, c = ex.inputs["g"], ex.inputs["c"]
        clipped = [max(-c, min(c, v)) for v in g]
        cos = sum(a * b for a, b in zip(g, clipped, strict=True)) / (math.hypot(*g) * math.hypot(*clipped))
        assert_accepted(ex, (math.degrees(math.acos(sig(cos))),))


def test_residual_gradient_with_a_rounded_tanh_derivative():
    # 1 + w·tanh′ nearly cancels for about one draw in a few thousand (w = −2.7, x = 0.4)
    for ex in draws(gradients.residual_gradient, range(10000)):
        i = ex.inputs
        local = sig(1 - math.tanh(i["w"] * i["x"]) ** 2)
        assert_accepted(ex, (i["dL_dy"] * sig(1 + i["w"] * local),))


def test_normalised_output_with_a_rounded_standard_deviation():
    for generator in (normalization.batchnorm_output, normalization.layernorm_output):
        for ex in draws(generator):
            i = ex.inputs
            x = i["x"]
            k = i.get("k", i.get("j")) - 1
            mean = sum(x) / 4
            var = sum((v - mean) ** 2 for v in x) / 4
            assert_accepted(ex, (mean, var, i["gamma"] * sig((x[k] - mean) / sig(math.sqrt(var))) + i["beta"]))
            # the unbiased variance is the wrong convention for normalising
            assert_rejected(ex, (mean, var * 4 / 3, ex.answer[2]))


def test_lstm_and_gru_with_rounded_gates():
    for ex in draws(sequence.lstm_step):
        i = ex.inputs
        c = sigm(i["a_f"]) * i["c"] + sigm(i["a_i"]) * sig(math.tanh(i["a_g"]))
        assert_accepted(ex, (c, sigm(i["a_o"]) * sig(math.tanh(sig(c)))))
    for ex in draws(sequence.gru_step):
        i = ex.inputs
        z = sigm(i["a_z"])
        n = sig(math.tanh(i["x_n"] + sigm(i["a_r"]) * i["h_n"]))
        assert_accepted(ex, ((1 - z) * n + z * i["h"],))


def test_bptt_with_rounded_states():
    for ex in draws(sequence.bptt_two_steps):
        i = ex.inputs
        wx, wh, h0 = i["wx"], i["wh"], i["h0"]
        # states near ±1 are kept to 5 digits, as the worked steps show them: 1 − h² loses the rest
        h1 = sig(math.tanh(wx * i["x1"] + wh * h0), 5)
        h2 = sig(math.tanh(wx * i["x2"] + wh * h1), 5)
        da2 = sig(1 - h2 * h2)
        da1 = sig(da2 * wh * (1 - h1 * h1))
        assert_accepted(ex, (h1 * da2 + h0 * da1,))


# --------------------------------------------------------------------------- conceptual mistakes, rejected


def test_central_difference_and_exact_derivative_are_not_interchangeable():
    for ex in draws(backprop.central_difference):
        estimate, exact = ex.answer
        i = ex.inputs
        assert exact == 3 * i["a"] * i["x0"] ** 2 + 2 * i["b"] * i["x0"]
        assert abs(estimate - exact - i["a"] * i["h"] ** 2) < 1e-9
        assert_rejected(ex, (exact, exact))
        assert_rejected(ex, (estimate, estimate))


def test_averaging_precision_and_recall_is_not_f1():
    for ex in draws(evaluation.precision_recall_f1):
        p, r, _ = ex.answer
        assert_rejected(ex, (p, r, (p + r) / 2))
    for ex in draws(evaluation.f1_vs_accuracy):
        i = ex.inputs
        p, r = i["TP"] / (i["TP"] + i["FP"]), i["TP"] / (i["TP"] + i["FN"])
        assert_rejected(ex, (ex.answer[0], (p + r) / 2))


def test_last_batch_is_smaller_as_the_prompt_says():
    for ex in draws(backprop.iterations_per_epoch):
        n, b = ex.inputs["N"], ex.inputs["B"]
        assert ex.answer == (-(-n // b), n - (n // b) * b)
        assert 0 < ex.answer[1] < b


def test_newton_step_shows_the_answer_it_grades():
    for ex in draws(optimizers.newton_step_2d, range(60)):
        last = ex.steps[-1].step
        for value in ex.answer:
            shown = f"{value:.6g}".replace("-", "−")
            assert shown in last, (shown, last)


def test_the_wrong_fan_is_graded_wrong():
    for ex in draws(initialization.xavier_std_bound):
        fan_in = ex.inputs["fan_in"]
        assert_rejected(ex, (math.sqrt(1 / fan_in), math.sqrt(3 / fan_in)))  # LeCun's 1/fan_in
    for ex in draws(initialization.he_std_bound):
        fan_out = ex.inputs["fan_out"]
        assert_rejected(ex, (math.sqrt(2 / fan_out), math.sqrt(6 / fan_out)))


def test_attention_without_the_root_dk_is_graded_wrong():
    for ex in draws(attention.attention_weights_two_keys):
        q, k1, k2 = ex.inputs["q"], ex.inputs["k1"], ex.inputs["k2"]
        s1, s2 = (sum(a * b for a, b in zip(q, k, strict=True)) for k in (k1, k2))
        w1 = 1 / (1 + math.exp(s2 - s1))
        assert_rejected(ex, (w1, 1 - w1))


def test_positional_encoding_with_j_for_2i_is_graded_wrong():
    for ex in draws(attention.positional_encoding_value):
        i = ex.inputs
        angle = i["pos"] / 10000 ** (2 * (i["j"] // 2) / i["d_model"])
        assert ex.answer[0] == (math.sin if i["j"] % 2 == 0 else math.cos)(angle)
        if i["j"] % 2:
            assert_rejected(ex, (math.cos(i["pos"] / 10000 ** (i["j"] / i["d_model"])),))


def test_running_variance_from_the_biased_batch_variance_is_graded_wrong():
    for ex in draws(normalization.running_stats_update):
        i = ex.inputs
        x = i["x"]
        mean = sum(x) / 4
        biased = sum((v - mean) ** 2 for v in x) / 4
        assert ex.answer[1] == pytest_approx(0.9 * i["running_var"] + 0.1 * biased * 4 / 3)
        assert_rejected(ex, (ex.answer[0], 0.9 * i["running_var"] + 0.1 * biased))


def test_recurrent_slips_are_graded_wrong():
    for ex in draws(sequence.bptt_two_steps):
        i = ex.inputs
        h1 = math.tanh(i["wx"] * i["x1"] + i["wh"] * i["h0"])
        h2 = math.tanh(i["wx"] * i["x2"] + i["wh"] * h1)
        assert_rejected(ex, (h1 * (1 - h2 * h2),))  # only the last step's term: not through time
    for ex in draws(sequence.lstm_step):
        c_new = ex.answer[0]
        assert_rejected(ex, (c_new, sigm(ex.inputs["a_o"]) * c_new))  # h′ = o·c′, tanh forgotten
    for ex in draws(sequence.gru_step):
        i = ex.inputs
        z = 1 / (1 + math.exp(-i["a_z"]))
        n = math.tanh(i["x_n"] + i["h_n"] / (1 + math.exp(-i["a_r"])))
        assert_rejected(ex, (z * n + (1 - z) * i["h"],))  # z and 1 − z swapped


def test_relu_unit_never_sits_on_the_kink():
    for ex in draws(activations.relu_unit, range(1000)):  # z = 0 came up about once in 300 draws
        i = ex.inputs
        z = sum(a * b for a, b in zip(i["w"], i["x"], strict=True)) + i["b"]
        assert abs(z) > 1e-9
        assert ex.answer == pytest_approx((max(z, 0.0), 1.0 if z > 0 else 0.0))


def test_batchnorm_gradients_with_rounded_normalised_inputs():
    for ex in draws(normalization.batchnorm_param_grads):
        x, dy, k = ex.inputs["x"], ex.inputs["dy"], ex.inputs["k"] - 1
        mean = sum(x) / 4
        s = sig(math.sqrt(sum((v - mean) ** 2 for v in x) / 4))
        x_hat = [sig((v - mean) / s) for v in x]
        dgamma = sum(d * h for d, h in zip(dy, x_hat, strict=True))
        dx = (dy[k] - sum(dy) / 4 - x_hat[k] * sig(dgamma / 4)) / s
        assert_accepted(ex, (dgamma, sum(dy), dx))


def test_vanished_factors_are_graded_by_their_size():
    # an answer below 1e−12 is graded as a zero (|typed| ≤ 1e−4); a vanished gradient's size is the point
    for generator in (gradients.gradient_product, sequence.cell_gradient_decay, initialization.signal_scale):
        for ex in draws(generator):
            assert min(abs(a) for a in ex.answer) > TINY
            assert_rejected(ex, [0.0] * len(ex.answer))


def test_attention_weights_from_rounded_scores():
    for ex in draws(attention.attention_weights_two_keys, range(2000)):
        q, k1, k2 = ex.inputs["q"], ex.inputs["k1"], ex.inputs["k2"]
        s1, s2 = (sig(sum(a * b for a, b in zip(q, k, strict=True)) / math.sqrt(2)) for k in (k1, k2))
        w1 = sig(1 / (1 + math.exp(s2 - s1)))
        assert_accepted(ex, (w1, 1 - w1))


def test_cross_entropy_from_a_rounded_log_sum_exp():
    for ex in draws(losses.cross_entropy_loss, range(2000)):
        z, k = ex.inputs["z"], ex.inputs["label"] - 1
        lse = sig(math.log(sum(math.exp(v) for v in z)))
        assert_accepted(ex, (lse - z[k], ex.answer[1]))
