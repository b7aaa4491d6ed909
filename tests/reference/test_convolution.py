"""conv2d and pooling against hand examples and a plain loop oracle; backward passes against finite
differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlquiz.reference.convolution import (
    avg_pool2d,
    conv2d,
    conv2d_backward,
    conv_output_size,
    conv_param_count,
    max_pool2d,
    max_pool2d_backward,
)
from dlquiz.reference.gradcheck import numerical_gradient, relative_error


def conv2d_loop(x, w, b, stride, padding):
    """The definition, one output value at a time: slow and obviously correct."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    xp[:, :, padding : padding + h, padding : padding + wd] = x
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(n):
        for j in range(f):
            for r in range(ho):
                for s in range(wo):
                    patch = xp[i, :, r * stride : r * stride + kh, s * stride : s * stride + kw]
                    out[i, j, r, s] = np.sum(patch * w[j]) + b[j]
    return out


# --- forward -----------------------------------------------------------------------------------


def test_conv2d_by_hand_ones_kernel():
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out = conv2d(x, np.ones((1, 1, 2, 2)), np.zeros(1))
    assert out.shape == (1, 1, 2, 2)
    assert np.array_equal(out[0, 0], [[12.0, 16.0], [24.0, 28.0]])


def test_conv2d_is_cross_correlation_not_flipped():
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, 0.0]]]])  # picks the top-left of each window
    assert np.array_equal(conv2d(x, w, np.array([0.5]))[0, 0], [[1.5, 2.5], [4.5, 5.5]])


def test_conv2d_padding_and_stride_by_hand():
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out = conv2d(x, np.ones((1, 1, 3, 3)), None, stride=2, padding=1)
    # windows centred on the corners of x: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
    assert np.array_equal(out[0, 0], [[12.0, 16.0], [24.0, 28.0]])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.tuples(st.integers(3, 9), st.integers(3, 9)),
    channels=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.integers(1, 3),
    padding=st.integers(0, 2),
)
def test_conv2d_equals_loop_definition(seed, size, channels, kernel, stride, padding):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, channels[0]) + size)
    w = rng.normal(size=(channels[1], channels[0]) + kernel)
    b = rng.normal(size=channels[1])
    out = conv2d(x, w, b, stride=stride, padding=padding)
    assert out.shape == (
        2,
        channels[1],
        (size[0] - kernel[0] + 2 * padding) // stride + 1,
        (size[1] - kernel[1] + 2 * padding) // stride + 1,
    )
    assert np.allclose(out, conv2d_loop(x, w, b, stride, padding), rtol=1e-12, atol=1e-12)


def test_conv_output_size_examples():
    assert conv_output_size(32, 5) == 28
    assert conv_output_size(224, 7, stride=2, padding=3) == 112
    assert conv_output_size(7, 3, stride=2) == 3
    assert conv_output_size(8, 3, stride=2) == 3  # ⌊5/2⌋ + 1, floored
    assert conv_output_size(28, 3, padding=1) == 28  # "same" padding
    with pytest.raises(ValueError):
        conv_output_size(2, 5)


def test_conv_param_count():
    assert conv_param_count(3, 64, 3) == 1_792
    assert conv_param_count(64, 64, 3, bias=False) == 36_864


# --- backward ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hw, kernel, stride, padding",
    [((5, 5), 3, 1, 0), ((6, 7), 3, 2, 1), ((6, 6), 3, 2, 0), ((5, 4), 2, 3, 2)],
    ids=["s1p0", "s2p1", "s2-floor-drops-a-row", "s3p2"],
)
def test_conv2d_backward_matches_finite_differences(hw, kernel, stride, padding):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3) + hw)
    w = rng.normal(size=(4, 3, kernel, kernel))
    b = rng.normal(size=4)
    dout = rng.normal(size=conv2d(x, w, b, stride, padding).shape)
    dx, dw, db = conv2d_backward(dout, x, w, stride=stride, padding=padding)

    def loss(_):
        return float(np.sum(conv2d(x, w, b, stride=stride, padding=padding) * dout))

    for analytic, wrt in [(dx, x), (dw, w), (db, b)]:
        assert analytic.shape == wrt.shape
        assert relative_error(analytic, numerical_gradient(loss, wrt)) < 1e-6


def test_conv2d_backward_bias_and_unreached_input():
    x = np.ones((1, 1, 6, 6))
    dout = np.ones((1, 1, 2, 2))  # k = 3, s = 2: windows start at rows 0 and 2; row 5 is never read
    dx, _, db = conv2d_backward(dout, x, np.ones((1, 1, 3, 3)), stride=2)
    assert db[0] == 4.0
    assert np.all(dx[0, 0, 5, :] == 0.0) and np.all(dx[0, 0, :, 5] == 0.0)
    assert dx[0, 0, 2, 2] == 4.0  # shared by all four windows


# --- pooling -----------------------------------------------------------------------------------

X44 = np.array([[1.0, 2.0, 5.0, 6.0], [3.0, 4.0, 7.0, 8.0], [9.0, 10.0, 13.0, 14.0], [11.0, 12.0, 15.0, 16.0]]).reshape(
    1, 1, 4, 4
)


def test_max_pool_by_hand():
    assert np.array_equal(max_pool2d(X44, 2)[0, 0], [[4.0, 8.0], [12.0, 16.0]])
    assert np.array_equal(max_pool2d(X44, 2, stride=1)[0, 0, 0], [4.0, 7.0, 8.0])
    assert np.array_equal(max_pool2d(X44, 3)[0, 0], [[13.0]])  # floor: one 3×3 window fits


def test_avg_pool_by_hand():
    assert np.array_equal(avg_pool2d(X44, 2)[0, 0], [[2.5, 6.5], [10.5, 14.5]])
    assert avg_pool2d(X44, 4)[0, 0, 0, 0] == pytest.approx(8.5)


def test_pooling_shapes_floor():
    x = np.zeros((2, 3, 5, 7))
    assert max_pool2d(x, 2).shape == (2, 3, 2, 3)
    assert avg_pool2d(x, 3, stride=2).shape == (2, 3, 2, 3)


def test_max_pool_backward_routes_to_argmax_by_hand():
    dx = max_pool2d_backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), X44, 2)
    expected = np.zeros((4, 4))
    expected[1, 1], expected[1, 3], expected[3, 1], expected[3, 3] = 1.0, 2.0, 3.0, 4.0
    assert np.array_equal(dx[0, 0], expected)


@pytest.mark.parametrize("kernel, stride", [(2, None), (3, 1), (2, 3)])
def test_max_pool_backward_matches_finite_differences(kernel, stride):
    rng = np.random.default_rng(1)
    x = rng.permutation(2 * 3 * 7 * 7).reshape(2, 3, 7, 7) * 0.1  # distinct values: no ties
    dout = rng.normal(size=max_pool2d(x, kernel, stride).shape)
    dx = max_pool2d_backward(dout, x, kernel, stride)
    numeric = numerical_gradient(lambda _: float(np.sum(max_pool2d(x, kernel, stride) * dout)), x)
    assert relative_error(dx, numeric) < 1e-6
