"""Every number quoted in questions/cnn.yaml, recomputed from the reference code."""

import numpy as np
import pytest

from dlquiz.bank.lookup import get_item
from dlquiz.reference.convolution import (
    avg_pool2d,
    conv2d,
    conv2d_backward,
    conv_output_size,
    conv_param_count,
    max_pool2d,
    max_pool2d_backward,
)


def shape_text(shape) -> str:
    return "×".join(str(n) for n in shape)


def test_small_cnn_shapes(text):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 3, 32, 32))
    shown = text("cnn-building-blocks")
    a = conv2d(x, rng.normal(size=(16, 3, 3, 3)), np.zeros(16), padding=1)
    assert f"16 filters → {shape_text(a.shape)}" in shown
    a = max_pool2d(a, 2)
    assert f"max-pool 2 → {shape_text(a.shape)}" in shown
    a = conv2d(a, rng.normal(size=(32, 16, 3, 3)), np.zeros(32), padding=1)
    assert f"32 filters → {shape_text(a.shape)}" in shown
    a = max_pool2d(a, 2)
    assert f"max-pool 2 → {shape_text(a.shape)} → flatten" in shown
    assert f"flatten to {a.size}" in shown


def test_cross_correlation_edge_example(text):
    patch = np.array([[1.0, 1.0, 0.0]] * 3).reshape(1, 1, 3, 3)
    kernel = np.array([[1.0, 0.0, -1.0]] * 3).reshape(1, 1, 3, 3)
    ours = conv2d(patch, kernel, np.zeros(1)).item()
    flipped = conv2d(patch, kernel[:, :, ::-1, ::-1], np.zeros(1)).item()
    assert (ours, flipped) == (3.0, -3.0)
    assert "right column 0s, gives 3; the flipped kernel of a true convolution would give −3" in text(
        "convolution-operation"
    )


@pytest.mark.parametrize(
    ("size", "kernel", "padding", "stride", "shown"),
    [
        (32, 5, 0, 1, "32 − 5 + 1 = {out}"),
        (224, 7, 3, 2, "⌊(224 + 6 − 7)/2⌋ + 1 = ⌊111.5⌋ + 1 = {out}"),
    ],
)
def test_output_size_examples(text, size, kernel, padding, stride, shown):
    out = conv_output_size(size, kernel, stride=stride, padding=padding)
    x = np.zeros((1, 1, size, size))
    w = np.zeros((1, 1, kernel, kernel))
    assert conv2d(x, w, np.zeros(1), stride=stride, padding=padding).shape[-1] == out
    assert shown.format(out=out) in text("conv-output-size")


def test_output_size_choices(bank):
    choices = get_item(bank, "conv-output-size").choices
    right = conv_output_size(224, 7, stride=2, padding=3)
    no_padding = conv_output_size(224, 7, stride=2)
    without_plus_one = (224 + 2 * 3 - 7) // 2
    assert (right, no_padding, without_plus_one) == (112, 109, 111)
    assert choices.correct.startswith(f"⌊(W + 2P − K)/S⌋ + 1, so {right} for")
    assert choices.wrong[0].startswith(f"⌊(W − K)/S⌋ + 1, so {no_padding} for")
    assert choices.wrong[1].startswith(f"⌊(W + 2P − K)/S⌋, so {without_plus_one} for")


def test_same_padding_and_pooling(text):
    assert conv_output_size(57, 3, stride=1, padding=1) == 57
    assert max_pool2d(np.zeros((1, 1, 112, 112)), 2).shape[-1] == conv_output_size(112, 2, stride=2) == 56
    assert "2×2 max pooling takes 112 to 56" in text("conv-output-size")


def test_pooling_example(text):
    x = np.array([[1, 3, 2, 0], [4, 2, 1, 1], [0, 1, 5, 6], [2, 2, 7, 3]], dtype=float).reshape(1, 1, 4, 4)
    mx, av = max_pool2d(x, 2)[0, 0], avg_pool2d(x, 2)[0, 0]
    assert mx.tolist() == [[4, 2], [2, 7]]
    assert av.tolist() == [[2.5, 1.0], [1.25, 5.25]]
    shown = text("pooling")
    assert "max pooling gives rows (4, 2), (2, 7); average pooling gives (2.5, 1), (1.25, 5.25)" in shown

    dout = np.zeros((1, 1, 2, 2))
    dout[0, 0, 0, 0] = 1.0
    dx = max_pool2d_backward(dout, x, 2)[0, 0]
    assert dx[1, 0] == 1.0 and dx.sum() == 1.0 and x[0, 0, 1, 0] == 4  # only the 4 receives it


def test_parameter_counts(text):
    shown = text("cnn-parameter-count")
    conv = conv_param_count(3, 64, 3)
    assert conv == 64 * 3 * 3 * 3 + 64 == 1792
    assert f"64·(3·9 + 1) = {conv:,}" in shown and f"64·(27 + 1) = {conv:,}" in shown
    inputs = 224 * 224 * 3
    dense = inputs * 64 + 64
    assert f"({inputs:,} inputs)" in shown
    assert f"{inputs:,}·64 + 64 = {dense:,} ≈ {dense / 1e6:.1f} million" in shown
    c = 64
    assert f"{2 * 9 * c * c:,} versus {25 * c * c:,}" in shown
    assert conv_param_count(c, c, 3, bias=False) * 2 == 18 * c * c


def test_two_3x3_convs_see_5x5():
    x = np.zeros((1, 1, 9, 9))
    x[0, 0, 4, 4] = 1.0
    ones = np.ones((1, 1, 3, 3))
    y = conv2d(conv2d(x, ones, np.zeros(1), padding=1), ones, np.zeros(1), padding=1)
    rows, cols = np.nonzero(y[0, 0])
    assert (rows.max() - rows.min() + 1, cols.max() - cols.min() + 1) == (5, 5)


def test_backward_is_full_convolution_with_rotated_kernel():
    rng = np.random.default_rng(1)
    x, w, dy = rng.normal(size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 3, 3)), rng.normal(size=(1, 1, 3, 3))
    dx, dw, db = conv2d_backward(dy, x, w)
    padded = np.pad(dy, ((0, 0), (0, 0), (2, 2), (2, 2)))  # K − 1 zeros on each side
    assert np.allclose(dx, conv2d(padded, w[:, :, ::-1, ::-1], np.zeros(1)))
    assert np.allclose(dw, conv2d(x, dy, np.zeros(1)))  # input cross-correlated with dy
    assert np.allclose(db, dy.sum())


@pytest.mark.parametrize(
    "size, kernel, stride, padding, dilation", [(32, 3, 1, 0, 2), (224, 7, 2, 3, 1), (17, 3, 2, 1, 3)]
)
def test_dilated_output_size_counts_the_windows_that_fit(size, kernel, stride, padding, dilation, text):
    span = dilation * (kernel - 1) + 1  # the input pixels one dilated window covers
    starts = [s for s in range(0, size + 2 * padding, stride) if s + span <= size + 2 * padding]
    assert len(starts) == (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    if dilation == 1:
        assert len(starts) == conv_output_size(size, kernel, stride, padding)
    assert "⌊(W + 2P − D·(K − 1) − 1)/S⌋ + 1" in text("conv-output-size")
