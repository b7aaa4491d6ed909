"""Grouped, dilated, depthwise-separable, transposed, causal and patch convolutions; costs and
receptive fields; against loops written from PyTorch's definitions and the adjoint identity."""

import numpy as np
import pytest

from dlquiz.reference.conv_design import (
    conv_cost,
    depthwise_separable_conv2d,
    depthwise_separable_cost,
    grouped_conv2d,
    receptive_field,
)
from dlquiz.reference.conv_transpose import conv_transpose2d, conv_transpose_output_size, upsample_nearest
from dlquiz.reference.convolution import conv2d, conv2d_backward
from dlquiz.reference.sequence_conv import causal_conv1d, conv1d, patch_embed, patchify, vit_num_tokens


def conv_loop(x, w, b, stride, padding, dilation, groups):
    """F.conv2d's definition, one output value at a time."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho = (h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    wo = (wd + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    out = np.zeros((n, f, ho, wo))
    per_group = f // groups
    for o in range(f):
        g = o // per_group
        for i in range(ho):
            for j in range(wo):
                for ci in range(cg):
                    for u in range(kh):
                        for v in range(kw):
                            out[:, o, i, j] += (
                                xp[:, g * cg + ci, i * stride + u * dilation, j * stride + v * dilation]
                                * w[o, ci, u, v]
                            )
    return out + (0 if b is None else b[:, None, None])


@pytest.mark.parametrize(
    "stride, padding, dilation, groups",
    [(1, 0, 1, 1), (2, 1, 1, 1), (1, 2, 2, 1), (1, 1, 1, 2), (2, 1, 2, 4), (1, 0, 3, 4)],
)
def test_grouped_conv_matches_the_definition(stride, padding, dilation, groups):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 9, 8))
    w, b = rng.normal(size=(4, 4 // groups, 3, 2)), rng.normal(size=4)
    out = grouped_conv2d(x, w, b, stride, padding, dilation, groups)
    assert np.allclose(out, conv_loop(x, w, b, stride, padding, dilation, groups), atol=1e-12)


def test_plain_case_equals_the_existing_conv2d():
    rng = np.random.default_rng(1)
    x, w, b = rng.normal(size=(2, 3, 7, 7)), rng.normal(size=(5, 3, 3, 3)), rng.normal(size=5)
    assert np.allclose(grouped_conv2d(x, w, b, 2, 1), conv2d(x, w, b, stride=2, padding=1))


def test_depthwise_conv_filters_each_channel_alone():
    rng = np.random.default_rng(2)
    x, w = rng.normal(size=(1, 3, 6, 6)), rng.normal(size=(3, 1, 3, 3))
    out = grouped_conv2d(x, w, groups=3)
    for c in range(3):
        assert np.allclose(out[:, c : c + 1], conv2d(x[:, c : c + 1], w[c : c + 1], None))
    with pytest.raises(ValueError):
        grouped_conv2d(x, rng.normal(size=(3, 3, 3, 3)), groups=3)


def test_one_by_one_conv_is_a_dense_layer_per_pixel():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(2, 4, 5, 5)), rng.normal(size=(6, 4, 1, 1))
    dense = np.einsum("nchw,fc->nfhw", x, w[:, :, 0, 0])
    assert np.allclose(grouped_conv2d(x, w), dense)


def test_separable_is_depthwise_then_pointwise():
    rng = np.random.default_rng(4)
    x, wd, wp = rng.normal(size=(1, 3, 7, 7)), rng.normal(size=(3, 1, 3, 3)), rng.normal(size=(5, 3, 1, 1))
    out = depthwise_separable_conv2d(x, wd, wp, padding=1)
    z = conv_loop(x, wd, None, 1, 1, 1, 3)
    assert out.shape == (1, 5, 7, 7)
    assert np.allclose(out, np.einsum("nchw,fc->nfhw", z, wp[:, :, 0, 0]))


def test_costs_by_hand():
    assert conv_cost(256, 256, 3, 56, 56) == (589_824, 1_849_688_064)
    assert conv_cost(3, 64, 3, 1, 1, bias=True) == (1792, 1728)
    assert conv_cost(32, 32, 3, 10, 10, groups=32) == (288, 28_800)
    params, macs = depthwise_separable_cost(256, 256, 3, 56, 56)
    assert (params, macs) == (67_840, 212_746_240)
    assert params / 589_824 == pytest.approx(1 / 256 + 1 / 9)


def span_by_propagation(layers):
    """Receptive field by tracing which input positions reach output 0, layer by layer downwards."""
    positions = {0}
    for kernel, stride, dilation in reversed(layers):
        positions = {p * stride + u * dilation for p in positions for u in range(kernel)}
    return max(positions) - min(positions) + 1


@pytest.mark.parametrize(
    "layers",
    [
        [(3, 1, 1)] * 3,
        [(7, 2, 1), (3, 2, 1), (3, 1, 1), (3, 1, 1)],
        [(2, 1, 2**i) for i in range(10)],
        [(3, 1, 1), (2, 2, 1), (3, 1, 2), (5, 3, 1)],
    ],
)
def test_receptive_field_matches_propagation(layers):
    sizes = receptive_field(layers)
    assert [span_by_propagation(layers[: i + 1]) for i in range(len(layers))] == sizes


def test_receptive_field_closed_forms_and_the_forgotten_stride():
    assert receptive_field([(3, 1)] * 3) == [3, 5, 7]
    assert receptive_field([(2, 1, 2**i) for i in range(10)])[-1] == 1024
    layers = [(3, 2), (3, 2), (3, 1)]
    no_jump = 1 + sum(k - 1 for k, _ in layers)  # the classic slip: ignoring earlier strides
    assert receptive_field(layers)[-1] == span_by_propagation([(k, s, 1) for k, s in layers]) == 15 != no_jump


# --- transposed convolution --------------------------------------------------------------------


@pytest.mark.parametrize("h, k, s, p", [(7, 3, 2, 1), (8, 3, 2, 1), (6, 4, 2, 1), (5, 3, 1, 0), (9, 5, 3, 2)])
def test_transpose_is_the_adjoint_of_conv2d(h, k, s, p):
    rng = np.random.default_rng(h + k)
    x, w = rng.normal(size=(2, 3, h, h)), rng.normal(size=(4, 3, k, k))
    y = rng.normal(size=conv2d(x, w, None, stride=s, padding=p).shape)
    op = (h + 2 * p - k) % s
    xt = conv_transpose2d(y, w, stride=s, padding=p, output_padding=op)
    assert xt.shape == x.shape
    assert np.sum(conv2d(x, w, None, stride=s, padding=p) * y) == pytest.approx(np.sum(x * xt), rel=1e-12)
    assert np.allclose(xt, conv2d_backward(y, x, w, stride=s, padding=p)[0])


def test_transpose_by_hand_stamps_the_kernel():
    x = np.array([[[[1.0, 2.0]]]])  # one row, two pixels
    w = np.array([[[[1.0, 1.0, 1.0]]]])  # 1×3 kernel of ones
    out = conv_transpose2d(x, w, b=np.array([0.5]), stride=2)
    assert out[0, 0].tolist() == [[1.5, 1.5, 3.5, 2.5, 2.5]]  # overlap at the middle: 1 + 2


def test_transpose_with_dilation_matches_the_adjoint():
    rng = np.random.default_rng(7)
    x, w = rng.normal(size=(1, 2, 9, 9)), rng.normal(size=(3, 2, 3, 3))
    y = rng.normal(size=grouped_conv2d(x, w, stride=1, padding=1, dilation=2).shape)
    xt = conv_transpose2d(y, w, padding=1, dilation=2)
    assert np.sum(grouped_conv2d(x, w, padding=1, dilation=2) * y) == pytest.approx(np.sum(x * xt), rel=1e-12)


def test_transpose_output_size_formula_and_checks():
    assert conv_transpose_output_size(4, 3, 2, 1) == 7
    assert conv_transpose_output_size(4, 3, 2, 1, output_padding=1) == 8
    assert conv_transpose_output_size(16, 4, 2, 1) == 32  # the DCGAN doubling
    with pytest.raises(ValueError):
        conv_transpose2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), stride=2, output_padding=2)


def test_nearest_upsampling():
    x = np.arange(4.0).reshape(1, 1, 2, 2)
    assert upsample_nearest(x, 2)[0, 0].tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]


# --- 1-D and causal convolution, patches -------------------------------------------------------


def test_conv1d_matches_the_definition():
    rng = np.random.default_rng(8)
    x, w, b = rng.normal(size=(2, 3, 11)), rng.normal(size=(4, 3, 3)), rng.normal(size=4)
    for stride, padding, dilation in [(1, 0, 1), (2, 1, 1), (1, 2, 3)]:
        xp = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
        length = (11 + 2 * padding - dilation * 2 - 1) // stride + 1
        loop = np.array(
            [
                [
                    [
                        b[f] + sum(xp[n, :, t * stride + u * dilation] @ w[f, :, u] for u in range(3))
                        for t in range(length)
                    ]
                    for f in range(4)
                ]
                for n in range(2)
            ]
        )
        assert np.allclose(conv1d(x, w, b, stride, padding, dilation), loop)


def test_causal_conv_never_sees_the_future():
    rng = np.random.default_rng(9)
    x, w = rng.normal(size=(1, 2, 12)), rng.normal(size=(3, 2, 3))
    y = causal_conv1d(x, w, dilation=2)
    assert y.shape == (1, 3, 12)
    x2 = x.copy()
    x2[..., 7:] += 5.0
    assert np.allclose(causal_conv1d(x2, w, dilation=2)[..., :7], y[..., :7])
    # y[t] = Σ_u w[u]·x[t − (2 − u)·2]
    t = 6
    by_hand = sum(w[:, :, u] @ x[0, :, t - (2 - u) * 2] for u in range(3))
    assert np.allclose(y[0, :, t], by_hand)
    symmetric = conv1d(x, w, padding=2, dilation=2)  # "same" padding: looks ahead
    assert not np.allclose(conv1d(x2, w, padding=2, dilation=2)[..., :7], symmetric[..., :7])


def test_patch_embedding_is_a_strided_conv():
    rng = np.random.default_rng(10)
    x, w, b = rng.normal(size=(2, 3, 8, 12)), rng.normal(size=(5, 3, 4, 4)), rng.normal(size=5)
    tokens = patch_embed(x, w, b)
    conv = conv2d(x, w, b, stride=4)  # (2, 5, 2, 3)
    assert tokens.shape == (2, 6, 5)
    assert np.allclose(tokens, conv.reshape(2, 5, 6).transpose(0, 2, 1))
    assert np.array_equal(patchify(x, 4)[0, 1], x[0, :, 0:4, 4:8].ravel())


def test_vit_token_counts():
    assert vit_num_tokens(224, 224, 16) == 197 and vit_num_tokens(224, 224, 16, cls_token=False) == 196
    assert vit_num_tokens(224, 224, 8) == 785
    with pytest.raises(ValueError):
        patchify(np.zeros((1, 1, 10, 10)), 3)
