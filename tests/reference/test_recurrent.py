"""RNN, LSTM and GRU cells by hand, BPTT against finite differences, PyTorch parameter counts."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlquiz.reference.gradcheck import numerical_gradient, relative_error
from dlquiz.reference.recurrent import (
    gru_cell_forward,
    gru_param_count,
    lstm_cell_forward,
    lstm_forward,
    lstm_param_count,
    rnn_backward,
    rnn_cell_forward,
    rnn_forward,
)


def sig(a):
    return 1.0 / (1.0 + math.exp(-a))


def col(*values):
    """A (1, k) array: one example, k features."""
    return np.array([values], dtype=np.float64)


# --- vanilla RNN -------------------------------------------------------------------------------


def test_rnn_cell_by_hand():
    h = rnn_cell_forward(col(1.0), col(0.5), col(0.5), col(2.0), np.array([0.1]))
    assert h.shape == (1, 1)
    assert h[0, 0] == pytest.approx(math.tanh(0.5 + 1.0 + 0.1), rel=1e-15)


def test_rnn_forward_returns_every_state_by_hand():
    xs = np.array([1.0, -2.0, 0.5]).reshape(3, 1, 1)
    hs = rnn_forward(xs, col(0.0), col(0.8), col(-1.5), np.array([0.2]))
    h1 = math.tanh(0.8 * 1.0 + 0.2)
    h2 = math.tanh(0.8 * -2.0 - 1.5 * h1 + 0.2)
    h3 = math.tanh(0.8 * 0.5 - 1.5 * h2 + 0.2)
    assert hs.shape == (3, 1, 1)
    assert np.allclose(hs[:, 0, 0], [h1, h2, h3], rtol=0, atol=1e-15)


def test_rnn_forward_shapes_and_order_matters():
    rng = np.random.default_rng(0)
    T, N, D, H = 5, 2, 3, 4
    xs, h0 = rng.normal(size=(T, N, D)), np.zeros((N, H))
    Wx, Wh, b = rng.normal(size=(D, H)), rng.normal(size=(H, H)), rng.normal(size=H)
    hs = rnn_forward(xs, h0, Wx, Wh, b)
    assert hs.shape == (T, N, H)
    assert not np.allclose(hs[-1], rnn_forward(xs[::-1], h0, Wx, Wh, b)[-1])


def test_rnn_backward_matches_finite_differences():
    rng = np.random.default_rng(1)
    T, N, D, H = 6, 3, 4, 5
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh = rng.normal(0, 0.5, size=(D, H)), rng.normal(0, 0.5, size=(H, H))
    b, dhs = rng.normal(size=H), rng.normal(size=(T, N, H))
    grads = rnn_backward(dhs, xs, h0, Wx, Wh, b)

    def loss(_):
        return float(np.sum(rnn_forward(xs, h0, Wx, Wh, b) * dhs))

    for analytic, wrt in zip(grads, (xs, h0, Wx, Wh, b), strict=True):
        assert analytic.shape == wrt.shape
        assert relative_error(analytic, numerical_gradient(loss, wrt)) < 1e-6


def test_rnn_backward_loss_on_last_state_only():
    # a single loss at t = T: dh0 is the product of the step Jacobians, nonzero but smaller
    rng = np.random.default_rng(2)
    T, N, D, H = 4, 2, 3, 3
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, H)), rng.normal(0, 0.3, size=(H, H)), np.zeros(H)
    dhs = np.zeros((T, N, H))
    dhs[-1] = 1.0
    dxs, dh0, *_ = rnn_backward(dhs, xs, h0, Wx, Wh, b)
    numeric = numerical_gradient(lambda _: float(rnn_forward(xs, h0, Wx, Wh, b)[-1].sum()), h0)
    assert relative_error(dh0, numeric) < 1e-6
    assert np.linalg.norm(dxs[0]) < np.linalg.norm(dxs[-1])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.1, 10.0))
def test_rnn_states_stay_in_tanh_range(seed, scale):
    rng = np.random.default_rng(seed)
    xs = rng.normal(0, scale, size=(7, 2, 3))
    Wx, Wh = rng.normal(size=(3, 4)), rng.normal(size=(4, 4))
    hs = rnn_forward(xs, np.zeros((2, 4)), Wx, Wh, np.zeros(4))
    assert np.all(np.abs(hs) <= 1.0)


# --- LSTM --------------------------------------------------------------------------------------


def test_lstm_cell_by_hand_gate_order_i_f_g_o():
    # D = H = 1, h = 0 so only Wx matters; distinct pre-activations reveal the gate order
    a_i, a_f, a_g, a_o = 0.3, -1.2, 0.7, 2.0
    Wx, Wh, b = col(a_i, a_f, a_g, a_o), col(5.0, 5.0, 5.0, 5.0), np.zeros(4)
    h_new, c_new = lstm_cell_forward(col(1.0), col(0.0), col(0.5), Wx, Wh, b)
    c_expected = sig(a_f) * 0.5 + sig(a_i) * math.tanh(a_g)
    assert c_new[0, 0] == pytest.approx(c_expected, rel=1e-14)
    assert h_new[0, 0] == pytest.approx(sig(a_o) * math.tanh(c_expected), rel=1e-14)


def lstm_copy_weights(D, H, rng):
    """Small random weights, forget bias +40 (f ≈ 1) and input bias −40 (i ≈ 0)."""
    Wx, Wh = rng.normal(0, 0.1, size=(D, 4 * H)), rng.normal(0, 0.1, size=(H, 4 * H))
    b = np.zeros(4 * H)
    b[:H], b[H : 2 * H] = -40.0, 40.0
    return Wx, Wh, b


def test_lstm_forget_open_input_closed_copies_cell():
    rng = np.random.default_rng(3)
    N, D, H = 2, 3, 4
    Wx, Wh, b = lstm_copy_weights(D, H, rng)
    c = rng.normal(size=(N, H))
    h_new, c_new = lstm_cell_forward(rng.normal(size=(N, D)), rng.normal(size=(N, H)), c, Wx, Wh, b)
    assert np.allclose(c_new, c, rtol=0, atol=1e-12)
    assert np.all(np.abs(h_new) < np.abs(np.tanh(c)) + 1e-12)


def test_lstm_forward_carries_cell_over_100_steps():
    rng = np.random.default_rng(4)
    N, D, H = 2, 3, 4
    Wx, Wh, b = lstm_copy_weights(D, H, rng)
    c0 = rng.normal(size=(N, H))
    hs, cs = lstm_forward(rng.normal(size=(100, N, D)), np.zeros((N, H)), c0, Wx, Wh, b)
    assert hs.shape == cs.shape == (100, N, H)
    assert np.allclose(cs[-1], c0, rtol=0, atol=1e-10)


def test_lstm_forward_first_step_equals_the_cell():
    rng = np.random.default_rng(5)
    N, D, H = 2, 3, 2
    xs = rng.normal(size=(3, N, D))
    h0, c0 = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    hs, cs = lstm_forward(xs, h0, c0, Wx, Wh, b)
    h1, c1 = lstm_cell_forward(xs[0], h0, c0, Wx, Wh, b)
    assert np.array_equal(hs[0], h1) and np.array_equal(cs[0], c1)


# --- GRU ---------------------------------------------------------------------------------------


def test_gru_cell_by_hand_reset_multiplies_projected_h_with_its_bias():
    x, h = 0.5, 0.8
    Wx, Wh = col(0.2, -0.4, 1.1), col(0.6, 0.3, -0.9)
    bx, bh = np.array([0.1, 0.05, -0.2]), np.array([-0.3, 0.2, 0.7])
    r = sig(0.2 * x + 0.1 + 0.6 * h - 0.3)
    z = sig(-0.4 * x + 0.05 + 0.3 * h + 0.2)
    n = math.tanh(1.1 * x - 0.2 + r * (-0.9 * h + 0.7))
    h_new = gru_cell_forward(col(x), col(h), Wx, Wh, bx, bh)
    assert h_new[0, 0] == pytest.approx((1 - z) * n + z * h, rel=1e-14)


def test_gru_update_gate_one_keeps_h():
    rng = np.random.default_rng(6)
    N, D, H = 3, 2, 4
    Wx, Wh = rng.normal(size=(D, 3 * H)), rng.normal(size=(H, 3 * H))
    bx = np.zeros(3 * H)
    bx[H : 2 * H] = 50.0  # z = σ(50 + …) = 1
    h = rng.normal(size=(N, H))
    h_new = gru_cell_forward(rng.normal(size=(N, D)), h, Wx, Wh, bx, np.zeros(3 * H))
    assert np.allclose(h_new, h, rtol=0, atol=1e-12)


def test_gru_update_gate_zero_takes_candidate():
    # z = 0 and Wh = 0: h' = n = tanh(x·Wx_n + bx_n + r·bh_n), r = σ(0) = ½
    D, H = 2, 3
    Wx = np.arange(D * 3 * H, dtype=np.float64).reshape(D, 3 * H) / 10.0
    Wx[:, :H] = 0.0  # r = σ(0) = ½
    bx, bh = np.zeros(3 * H), np.zeros(3 * H)
    bx[H : 2 * H] = -50.0
    bh[2 * H :] = 0.4
    x = np.array([[1.0, -1.0]])
    h_new = gru_cell_forward(x, np.ones((1, H)), Wx, np.zeros((H, 3 * H)), bx, bh)
    assert np.allclose(h_new, np.tanh(x @ Wx[:, 2 * H :] + 0.5 * 0.4), rtol=0, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_gru_state_stays_in_unit_box(seed):
    # h' is a convex combination of n ∈ (−1, 1) and h, so |h| ≤ 1 is preserved
    rng = np.random.default_rng(seed)
    N, D, H = 2, 3, 4
    h = rng.uniform(-1, 1, size=(N, H))
    Wx, Wh = rng.normal(0, 3, size=(D, 3 * H)), rng.normal(0, 3, size=(H, 3 * H))
    bx, bh = rng.normal(size=3 * H), rng.normal(size=3 * H)
    for _ in range(5):
        h = gru_cell_forward(rng.normal(size=(N, D)), h, Wx, Wh, bx, bh)
        assert np.all(np.abs(h) <= 1.0)


# --- parameter counts --------------------------------------------------------------------------


def test_param_counts_pytorch_two_biases():
    assert lstm_param_count(128, 128) == 132_096
    assert gru_param_count(128, 128) == 99_072
    # D = 10, H = 20: weights 4·20·(10 + 20) = 2400, biases 2·4·20 = 160
    assert lstm_param_count(10, 20) == 2_560
    assert gru_param_count(10, 20) == 1_920
