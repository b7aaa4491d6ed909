"""CNN, sequence and attention demos against hand computations, formulas and finite differences."""

import ast
import math

import numpy as np
import pytest

from dlquiz.demos import run_demo


def _table(result, title_part):
    return next(t for t in result.tables if title_part in t.title)


def test_conv_worked_example_by_hand():
    result = run_demo("cnn.conv_worked_example")
    image = np.array(result.heatmaps[0].matrix)
    kernel = np.array(result.heatmaps[1].matrix)
    out = np.array(result.heatmaps[2].matrix)
    expected = np.array([[np.sum(image[i : i + 3, j : j + 3] * kernel) for j in range(3)] for i in range(3)])
    assert out == pytest.approx(expected)
    assert out[:, 2] == pytest.approx([0, 0, 0])  # uniform region: no edge
    by_hand = {r[0]: r[1] for r in _table(result, "by hand").rows}
    assert by_hand["= "] == by_hand["conv2d output[0, 0]"] == 27.0
    padded = run_demo("cnn.conv_worked_example", ["padding=1", "stride=2"])
    assert len(padded.heatmaps[2].matrix) == (5 + 2 - 3) // 2 + 1


def test_conv_output_sizes_formula_and_shape_agree():
    rows = run_demo("cnn.conv_output_sizes", seed=0).tables[0].rows
    for W, K, P, S, _, formula, width in rows:
        assert formula == width == (W + 2 * P - K) // S + 1
    assert rows[0][5] == 28 and rows[1][5] == 112


def test_pooling_values_and_gradient_mask():
    result = run_demo("cnn.pooling_example", seed=0)
    x, mx, av, grad = (np.array(h.matrix) for h in result.heatmaps)
    blocks = x.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)
    assert mx == pytest.approx(blocks.max(axis=-1)) and av == pytest.approx(blocks.mean(axis=-1))
    assert grad.sum() == 4 and set(np.unique(grad)) <= {0.0, 1.0}
    assert np.all(x[grad == 1] == np.repeat(np.repeat(mx, 2, 0), 2, 1)[grad == 1])


def test_cnn_shapes_and_params():
    result = run_demo("cnn.cnn_shapes", seed=0)
    rows = result.tables[0].rows
    assert rows[1][1] == "(1, 16, 32, 32)" and rows[1][2] == 16 * (3 * 9 + 1)
    assert rows[-2][1] == "(1, 2048)" and rows[-1][2] == 2048 * 10 + 10  # the shapes the item's answer walks through


def test_conv_vs_dense_params():
    rows = {r[0]: r[2] for r in run_demo("cnn.cnn_vs_mlp_params").tables[0].rows}
    assert rows["conv 3×3, 3→64"] == 1792 and rows["dense 224²·3 → 64"] == 224 * 224 * 3 * 64 + 64


@pytest.mark.parametrize("settings", [[], ["stride=2", "padding=1"]])
def test_conv_backward_matches_numerical(settings):
    for _, _, err in run_demo("cnn.conv_backward_check", settings, seed=0).tables[0].rows:
        assert err < 1e-7


def test_rnn_order_matters_but_mean_does_not():
    result = run_demo("sequence.rnn_order", seed=0)
    assert float(result.tables[0].rows[2][1]) > 1e-3
    means = result.tables[1].rows
    assert means[0][1] == means[1][1]


def test_bptt_gradcheck():
    result = run_demo("sequence.bptt_check", seed=0)
    assert all(r[1] < 1e-7 for r in result.tables[0].rows)
    assert len(result.tables[1].rows) == 6


def test_rnn_gradient_decay_follows_s_to_the_T():
    rows = run_demo("sequence.rnn_gradient_decay", seed=0).tables[0].rows
    for s, _norm, closed in rows:
        assert closed == pytest.approx(s**50)
    assert rows[0][1] == pytest.approx(0.9**50, rel=0.05) and rows[1][1] == pytest.approx(1.0, rel=0.05)
    assert rows[2][1] > 10


def _sig(z):
    return 1 / (1 + math.exp(-z))


def test_lstm_step_gates_by_hand():
    rows = {r[0].split(" ")[0]: r for r in run_demo("sequence.lstm_step").tables[0].rows}
    a = ast.literal_eval(rows["a"][2])
    # x = [1, −1], h = [0.5, −0.5]: first pre-activation = 1·0.5 − 1·0.1 + 0.5·0.2 − 0.5·(−0.1) = 0.55
    assert a[0] == pytest.approx(0.55)
    i = [_sig(v) for v in a[0:2]]
    f = [_sig(v) for v in a[2:4]]
    g = [math.tanh(v) for v in a[4:6]]
    o = [_sig(v) for v in a[6:8]]
    c = [f[j] * [1.0, 2.0][j] + i[j] * g[j] for j in range(2)]
    h = [o[j] * math.tanh(c[j]) for j in range(2)]
    assert ast.literal_eval(rows["c′"][2]) == pytest.approx(c, abs=1e-4)
    assert ast.literal_eval(rows["h′"][2]) == pytest.approx(h, abs=1e-4)


def test_lstm_memory_closed_forms():
    rows = {r[0]: r[1] for r in run_demo("sequence.lstm_memory", seed=0).tables[0].rows}
    assert rows["LSTM f = 1, i = 0"] == pytest.approx(1.0, abs=1e-9)
    assert rows["LSTM f = 0.99"] == pytest.approx(0.99**100, rel=1e-6)
    assert rows["RNN ‖Wₕ‖ = 0.9"] == pytest.approx(0.9**100, rel=0.01)


def test_gru_lstm_param_counts():
    result = run_demo("sequence.gru_vs_lstm_params")
    counts = {r[0]: r[2] for r in result.tables[0].rows}
    assert counts["LSTM"] == 132096 and counts["GRU"] == 99072
    keep, replace = result.tables[1].rows
    assert keep[1] == keep[2] and replace[1] != replace[2]


def test_bidirectional_shapes():
    rows = dict(run_demo("sequence.bidirectional_rnn", seed=0).tables[0].rows)
    assert rows["concatenated output"] == "(5, 2, 6)"


def test_attention_weights_rows_sum_to_one_and_output_is_weighted_values():
    result = run_demo("attention.attention_weights", seed=0)
    w = np.array(result.heatmaps[0].matrix)
    assert w.sum(axis=1) == pytest.approx(np.ones(4)) and np.all(w > 0)
    for row in result.tables[0].rows:
        assert row[2] < 1e-12


def test_sqrt_dk_std_grows_like_sqrt_d():
    for d, std, _sqrt_d, raw_max, scaled_max in run_demo("attention.sqrt_dk_scaling", seed=0).tables[0].rows:
        assert std == pytest.approx(math.sqrt(d), rel=0.15)
        assert scaled_max <= raw_max
    rows = run_demo("attention.sqrt_dk_scaling", seed=0).tables[0].rows
    assert rows[-1][3] > 0.9 and rows[-1][4] < 0.6


def test_multi_head_matches_concatenated_heads():
    result = run_demo("attention.multi_head_maps", seed=0)
    checks = dict(result.tables[1].rows)
    assert checks["max |output − concat(heads)·W_O|"] < 1e-12 and checks["weights W_Q, W_K, W_V, W_O"] == 256
    assert len(result.heatmaps) == 2
    for h in result.heatmaps:
        assert np.array(h.matrix).sum(axis=1) == pytest.approx(np.ones(5))


def test_permutation_equivariance_without_pe_only():
    result = run_demo("attention.permutation_equivariance", seed=0)
    rows = dict(result.tables[0].rows)
    assert rows["token embeddings only"] < 1e-12 and rows["embeddings + positional encoding"] > 1e-3
    pe = result.tables[1].rows
    assert pe[0][1:] == [0.0, 1.0, 0.0, 1.0]
    assert pe[1][1] == pytest.approx(math.sin(1)) and pe[1][3] == pytest.approx(math.sin(1 / 10000 ** (2 / 8)))


def test_transformer_block_shapes_and_params():
    result = run_demo("attention.transformer_block", seed=0)
    rows = result.tables[0].rows
    assert all(r[1] in ("(6, 8)", "(6, 32)") for r in rows)
    d = 8
    assert (
        dict(result.tables[1].rows)["parameters in the block"]
        == 4 * d * d + 2 * d + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * d
    )


def test_causal_mask_zero_above_diagonal():
    result = run_demo("attention.causal_mask_weights", seed=0)
    w = np.array(result.heatmaps[0].matrix)
    assert np.all(np.triu(w, 1) == 0) and w.sum(axis=1) == pytest.approx(np.ones(6))
    assert w[0, 0] == 1.0


@pytest.mark.parametrize("link", ["attention.multi_head_maps", "attention.transformer_block"])
def test_attention_rejects_an_empty_model_width(link):
    from dlquiz.errors import UserError

    with pytest.raises(UserError, match="d_model"):
        run_demo(link, ["d_model=0"])


@pytest.mark.parametrize("setting", ["c_in=0", "c_out=-1", "image=0", "kernel=0"])
def test_parameter_count_rejects_empty_layers(setting):
    from dlquiz.errors import UserError

    with pytest.raises(UserError):
        run_demo("cnn.cnn_vs_mlp_params", [setting])


@pytest.mark.parametrize("setting", ["forget=0", "rnn_scale=-1", "rnn_scale=1000000"])
def test_lstm_memory_rejects_meaningless_settings(setting):
    from dlquiz.errors import UserError

    with pytest.raises(UserError):
        run_demo("sequence.lstm_memory", [setting])


def test_lstm_step_note_follows_the_forget_bias():
    note = run_demo("sequence.lstm_step", ["forget_bias=-2"]).notes[1]
    assert f"≈ {1 / (1 + math.exp(2)):.2f}" in note and "σ(-2)" in note
