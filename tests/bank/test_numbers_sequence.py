"""Every number and equation quoted in questions/sequence.yaml, recomputed from the reference code."""

import numpy as np
import pytest

from dlquiz.bank.lookup import get_item
from dlquiz.reference import recurrent
from dlquiz.reference.gradcheck import numerical_gradient


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def rnn_weights(rng, D=3, H=4):
    return rng.normal(size=(D, H)), 0.5 * rng.normal(size=(H, H)), rng.normal(size=H)


def test_rnn_state_carried_and_order_matters():
    rng = np.random.default_rng(0)
    Wx, Wh, b = rnn_weights(rng)
    xs, h0 = rng.normal(size=(5, 2, 3)), np.zeros((2, 4))
    hs = recurrent.rnn_forward(xs, h0, Wx, Wh, b)
    h = h0  # initialised once, before the loop, as the answer says
    for t in range(5):
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
        assert np.allclose(hs[t], h)
    assert not np.allclose(recurrent.rnn_forward(xs[::-1], h0, Wx, Wh, b)[-1], hs[-1])


def test_bptt_recursion_of_the_derivation_matches_finite_differences():
    rng = np.random.default_rng(1)
    Wx, Wh, b = rnn_weights(rng)
    xs, h0 = rng.normal(size=(6, 2, 3)), rng.normal(size=(2, 4))
    targets = rng.normal(size=(6, 2, 4))

    def loss(Wh_):
        return 0.5 * np.sum((recurrent.rnn_forward(xs, h0, Wx, Wh_, b) - targets) ** 2)

    # The answer's recursion: dh_t = ∂L_t/∂h_t + da_{t+1}·W_hᵀ, da_t = dh_t ⊙ (1 − h_t²),
    # dW_h += h_{t−1}ᵀ·da_t.
    hs = recurrent.rnn_forward(xs, h0, Wx, Wh, b)
    dWh, carried = np.zeros_like(Wh), np.zeros_like(h0)
    for t in reversed(range(6)):
        dh = (hs[t] - targets[t]) + carried
        da = dh * (1 - hs[t] ** 2)
        dWh += (hs[t - 1] if t else h0).T @ da
        carried = da @ Wh.T
    assert np.allclose(dWh, numerical_gradient(loss, Wh.copy()), atol=1e-7)
    assert np.allclose(recurrent.rnn_backward(hs - targets, xs, h0, Wx, Wh, b)[3], dWh)


def test_jacobian_products_over_50_steps(text):
    rng = np.random.default_rng(2)
    q = np.linalg.qr(rng.normal(size=(8, 8)))[0]
    for s, shown in ((0.9, "0.9⁵⁰ ≈ {:.4f}"), (1.1, "1.1⁵⁰ ≈ {:.0f}")):
        jac = np.linalg.matrix_power((s * q).T, 50)  # linear recurrence: each step's Jacobian is W_hᵀ
        norm = np.linalg.norm(jac, 2)
        assert norm == pytest.approx(s**50, rel=1e-9)
        assert text("rnn-long-term-dependencies").count(shown.format(norm)) == 2  # answer and derivation


def test_lstm_equations_and_parameter_count(text):
    rng = np.random.default_rng(3)
    D, H = 3, 2
    x, h, c = rng.normal(size=(2, D)), rng.normal(size=(2, H)), rng.normal(size=(2, H))
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    a = x @ Wx + h @ Wh + b
    i, f, g, o = (a[:, k * H : (k + 1) * H] for k in range(4))  # order i, f, g, o
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h_new = sigmoid(o) * np.tanh(c_new)
    got_h, got_c = recurrent.lstm_cell_forward(x, h, c, Wx, Wh, b)
    assert np.allclose(got_c, c_new) and np.allclose(got_h, h_new)

    count = recurrent.lstm_param_count(128, 128)
    assert count == 4 * 128 * (128 + 128) + 8 * 128
    assert f"for D = H = 128 that is {count:,}" in text("lstm-equations")
    assert f"against the LSTM's {count:,}" in text("gru")


def test_forget_gate_path_versus_rnn(text):
    from dlquiz.reference.activations import sigmoid as ref_sigmoid

    # An LSTM unit with forget gate σ(b_f) = 0.99 and input gate ≈ 0 keeps 0.99^100 of its cell.
    b = np.array([-50.0, np.log(0.99 / 0.01), 0.0, 0.0])
    h, c = np.zeros((1, 1)), np.ones((1, 1))
    for _ in range(100):
        h, c = recurrent.lstm_cell_forward(np.ones((1, 1)), h, c, np.zeros((1, 4)), np.zeros((1, 4)), b)
    keep = c.item()
    assert keep == pytest.approx(0.99**100, rel=1e-9)
    mant, exp = f"{0.9**100:.1e}".split("e")
    said = text("why-lstm-helps")
    for shown in (f"0.99¹⁰⁰ ≈ {keep:.2f}", f"0.9¹⁰⁰ ≈ {mant}e{int(exp)}"):
        quoted = shown.split("≈")[0] + "≈"
        assert said.count(shown) == said.count(quoted) >= 2  # every place that quotes it has it right
    assert f"σ(1) ≈ {float(ref_sigmoid(1.0)):.2f}" in text("why-lstm-helps")


def test_lstm_copies_cell_when_forget_open_input_closed():
    rng = np.random.default_rng(4)
    H = 3
    Wx, Wh = np.zeros((2, 4 * H)), np.zeros((H, 4 * H))
    b = np.concatenate([np.full(H, -50.0), np.full(H, 50.0), np.zeros(H), np.zeros(H)])  # i ≈ 0, f ≈ 1
    c0 = rng.normal(size=(1, H))
    h, c = np.zeros((1, H)), c0
    for _ in range(100):
        h, c = recurrent.lstm_cell_forward(rng.normal(size=(1, 2)), h, c, Wx, Wh, b)
    assert np.allclose(c, c0)


def test_gru_equations_and_parameter_count(bank, text):
    rng = np.random.default_rng(5)
    D, H = 3, 2
    x, h = rng.normal(size=(2, D)), rng.normal(size=(2, H))
    Wx, Wh = rng.normal(size=(D, 3 * H)), rng.normal(size=(H, 3 * H))
    bx, bh = rng.normal(size=3 * H), rng.normal(size=3 * H)
    gx, gh = x @ Wx + bx, h @ Wh + bh
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H : 2 * H] + gh[:, H : 2 * H])
    n = np.tanh(gx[:, 2 * H :] + r * gh[:, 2 * H :])  # r multiplies h·W_hn + b_hn
    assert np.allclose(recurrent.gru_cell_forward(x, h, Wx, Wh, bx, bh), (1 - z) * n + z * h)

    count = recurrent.gru_param_count(128, 128)
    assert count == 3 * 128 * 256 + 6 * 128
    assert f"3H(D + H) + 6H = {count:,} parameters" in text("gru")
    key_points = " ".join(get_item(bank, "gru").key_points)
    assert f"{count:,} versus {recurrent.lstm_param_count(128, 128):,}" in key_points


def test_bidirectional_output_shape(text):
    rng = np.random.default_rng(6)
    T, N, D, H = 7, 2, 3, 4
    xs = rng.normal(size=(T, N, D))
    fwd = recurrent.rnn_forward(xs, np.zeros((N, H)), *rnn_weights(rng, D, H))
    bwd = recurrent.rnn_forward(xs[::-1], np.zeros((N, H)), *rnn_weights(rng, D, H))[::-1]
    assert np.concatenate([fwd, bwd], axis=-1).shape == (T, N, 2 * H)
    assert "(T, N, 2H)" in text("seq2seq-variants")


def test_forget_bias_one_still_fades_within_a_few_steps(text):
    assert 1 / (1 + np.exp(-1.0)) == pytest.approx(0.731, abs=5e-4)
    assert f"0.73¹⁰ ≈ {0.73**10:.3f}" in text("why-lstm-helps")
    assert 0.73**10 < 0.05
