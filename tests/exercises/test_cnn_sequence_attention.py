"""CNN, recurrent, attention, evaluation and generative exercises against hand-written formulas."""

import math
from functools import partial

from pytest import approx

from dlquiz.exercises import attention, cnn, evaluation, generative, sequence

from .helpers import runs, sigmoid


def test_conv_output_size_formula():
    for ex, inp in runs(cnn.conv_output_size, seeds=range(20)):
        w, k, s, p = inp["W"], inp["K"], inp["S"], inp["P"]
        assert ex.answer == ((w + 2 * p - k) // s + 1,)


def test_conv_patch_value_is_a_plain_dot_product_no_flip():
    for ex, inp in runs(cnn.conv_patch_value):
        total = sum(inp["patch"][r][c] * inp["kernel"][r][c] for r in range(3) for c in range(3))
        assert ex.answer == (total + inp["b"],)


def test_max_pool_blocks():
    for ex, inp in runs(cnn.max_pool_output):
        x = inp["x"]
        blocks = [max(x[r][c], x[r][c + 1], x[r + 1][c], x[r + 1][c + 1]) for r in (0, 2) for c in (0, 2)]
        assert ex.answer == tuple(blocks)


def test_conv_param_count():
    for ex, inp in runs(cnn.conv_param_count):
        assert ex.answer == (inp["C_out"] * (inp["C_in"] * inp["K"] ** 2 + 1),)


def test_rnn_step():
    for ex, inp in runs(sequence.rnn_step):
        a = sum(w * x for w, x in zip(inp["wx"], inp["x"], strict=True)) + inp["wh"] * inp["h"] + inp["b"]
        assert ex.answer == approx((math.tanh(a),), rel=1e-12)


def test_lstm_step_gate_order_i_f_g_o():
    for ex, inp in runs(sequence.lstm_step):
        c = sigmoid(inp["a_f"]) * inp["c"] + sigmoid(inp["a_i"]) * math.tanh(inp["a_g"])
        h = sigmoid(inp["a_o"]) * math.tanh(c)
        assert ex.answer == approx((c, h), rel=1e-12, abs=1e-15)


def test_gru_step_pytorch_form():
    for ex, inp in runs(sequence.gru_step):
        r, z = sigmoid(inp["a_r"]), sigmoid(inp["a_z"])
        n = math.tanh(inp["x_n"] + r * inp["h_n"])
        assert ex.answer == approx(((1 - z) * n + z * inp["h"],), rel=1e-12, abs=1e-15)


def test_lstm_param_count_two_biases():
    for ex, inp in runs(sequence.lstm_param_count):
        d, h = inp["D"], inp["H"]
        assert ex.answer == (4 * (d * h + h * h + 2 * h),)


def test_attention_weights_two_keys():
    for ex, inp in runs(attention.attention_weights_two_keys):
        q = inp["q"]
        s = [sum(a * b for a, b in zip(q, k, strict=True)) / math.sqrt(2) for k in (inp["k1"], inp["k2"])]
        a1 = 1 / (1 + math.exp(s[1] - s[0]))
        assert ex.answer == approx((a1, 1 - a1), rel=1e-9, abs=1e-12)


def test_scaled_score():
    for ex, inp in runs(attention.scaled_score):
        assert ex.answer == approx(
            (sum(a * b for a, b in zip(inp["q"], inp["k"], strict=True)) / 2,), rel=1e-12, abs=1e-15
        )


def test_multi_head_sizes():
    for ex, inp in runs(attention.multi_head_sizes):
        e = inp["d_model"]
        assert ex.answer == (e / inp["h"], 4 * e * e + 4 * e)


def test_positional_encoding_entry():
    for ex, inp in runs(attention.positional_encoding_value, seeds=range(12)):
        pos, j, d = inp["pos"], inp["j"], inp["d_model"]
        angle = pos / 10000 ** (2 * (j // 2) / d)
        assert ex.answer == approx((math.sin(angle) if j % 2 == 0 else math.cos(angle),), rel=1e-9, abs=1e-12)


def test_precision_recall_f1():
    for ex, inp in runs(evaluation.precision_recall_f1):
        tp, fp, fn = inp["TP"], inp["FP"], inp["FN"]
        p, r = tp / (tp + fp), tp / (tp + fn)
        assert ex.answer == approx((p, r, 2 * p * r / (p + r)), rel=1e-12)


def test_f1_vs_accuracy():
    for ex, inp in runs(evaluation.f1_vs_accuracy):
        tp, fp, fn, tn = inp["TP"], inp["FP"], inp["FN"], inp["TN"]
        assert tp + fn == inp["positives"] and fp + tn == inp["negatives"]
        assert ex.answer == approx(((tp + tn) / (tp + fp + fn + tn), 2 * tp / (2 * tp + fp + fn)), rel=1e-12)


def test_regression_metrics():
    for ex, inp in runs(evaluation.regression_metrics):
        y, p = inp["y"], inp["y_hat"]
        e = [b - a for a, b in zip(y, p, strict=True)]
        mean = sum(y) / 4
        r2 = 1 - sum(v * v for v in e) / sum((v - mean) ** 2 for v in y)
        assert ex.answer == approx(
            (sum(map(abs, e)) / 4, math.sqrt(sum(v * v for v in e) / 4), r2), rel=1e-12, abs=1e-15
        )


def test_split_fractions():
    for ex, inp in runs(evaluation.split_fractions):
        t, v = inp["test_percent"] / 100, inp["val_percent"] / 100
        assert ex.answer == approx(((1 - t) * (1 - v), (1 - t) * v, t), rel=1e-12)
        assert sum(ex.answer) == approx(1.0)


def test_gaussian_kl_closed_form():
    for ex, inp in runs(generative.gaussian_kl):
        kl = 0.5 * sum(s * s + m * m - 1 - math.log(s * s) for m, s in zip(inp["mu"], inp["sigma"], strict=True))
        assert ex.answer == approx((kl,), rel=1e-12)


def test_gan_optimal_discriminator():
    for ex, inp in runs(generative.gan_optimal_discriminator):
        assert ex.answer == approx(
            tuple(a / (a + b) for a, b in zip(inp["p_data"], inp["p_g"], strict=True)), rel=1e-12
        )


def test_cell_gradient_decay_lstm_versus_rnn():
    for ex, inp in runs(sequence.cell_gradient_decay):
        assert ex.answer == approx((inp["f"] ** inp["T"], inp["s"] ** inp["T"]), rel=1e-12)


def _two_step_output(w, inp):
    """h₂ of the two-step tanh RNN as a function of the recurrent weight w."""
    h1 = math.tanh(inp["wx"] * inp["x1"] + w * inp["h0"])
    return math.tanh(inp["wx"] * inp["x2"] + w * h1)


def test_bptt_two_steps_sums_both_uses_of_w_h():
    for ex, inp in runs(sequence.bptt_two_steps):
        wx, wh, h0 = inp["wx"], inp["wh"], inp["h0"]
        loss = partial(_two_step_output, inp=inp)
        h1 = math.tanh(wx * inp["x1"] + wh * h0)
        h2 = loss(wh)
        da2 = 1 - h2 * h2
        da1 = da2 * wh * (1 - h1 * h1)
        assert ex.answer == approx((h1 * da2 + h0 * da1,), rel=1e-9)
        numeric = (loss(wh + 1e-6) - loss(wh - 1e-6)) / 2e-6
        assert ex.answer == approx((numeric,), rel=1e-6, abs=1e-10)
