"""Numbers quoted by the CNN-design items appended in 2026 (1×1 and separable convolutions, receptive
fields, upsampling, 1-D convolutions), recomputed from the reference code."""

import math

import numpy as np
import pytest

from dlquiz.reference import conv_design, conv_transpose, convolution, sequence_conv


def test_separable_conv_savings(text):
    t = text("1x1-and-depthwise-separable-conv")
    standard = conv_design.conv_cost(256, 256, 3, 56, 56)
    separable = conv_design.depthwise_separable_cost(256, 256, 3, 56, 56)
    depthwise = conv_design.conv_cost(256, 256, 3, 56, 56, groups=256)[0]
    pointwise = conv_design.conv_cost(256, 256, 1, 56, 56)[0]
    assert depthwise + pointwise == separable[0]
    assert f"the standard layer has {standard[0]:,} weights and needs {standard[1] / 1e9:.2f} G multiply-adds" in t
    assert f"{depthwise:,} + {pointwise:,} = {separable[0]:,} weights and needs {separable[1] / 1e6:.1f} M" in t
    ratio = standard[0] / separable[0]
    assert ratio == pytest.approx(standard[1] / separable[1])
    assert f"{ratio:.2f}× fewer" in t
    assert f"needs {separable[1] / 1e6:.1f} M, {ratio:.2f}× fewer" in t
    assert f"Cost fraction 1/C_out + 1/k²: {ratio:.2f}× fewer for 3×3, 256 → 256" in t
    assert f"1/256 + 1/9 = {1 / 256 + 1 / 9:.3f}, a factor of {ratio:.2f}" in t
    assert f"{standard[0]:,} → {separable[0]:,} weights, {standard[1] / 1e9:.2f} G → {separable[1] / 1e6:.1f} M" in t


def test_separable_conv_is_depthwise_then_pointwise_and_1x1_is_a_dense_layer_per_pixel():
    r = np.random.default_rng(0)
    x = r.standard_normal((2, 4, 6, 6))
    w_dw, w_pw = r.standard_normal((4, 1, 3, 3)), r.standard_normal((5, 4, 1, 1))
    depthwise = np.stack([convolution.conv2d(x[:, c : c + 1], w_dw[c : c + 1], None)[:, 0] for c in range(4)], axis=1)
    expected = np.einsum("fc,nchw->nfhw", w_pw[:, :, 0, 0], depthwise)
    assert np.allclose(conv_design.depthwise_separable_conv2d(x, w_dw, w_pw), expected)
    assert np.allclose(conv_design.grouped_conv2d(x, w_pw), np.einsum("fc,nchw->nfhw", w_pw[:, :, 0, 0], x))


def test_a_separable_layer_is_a_full_convolution_with_a_restricted_kernel(text):
    r = np.random.default_rng(4)
    x = r.standard_normal((2, 3, 7, 7))
    w_dw, w_pw = r.standard_normal((3, 1, 3, 3)), r.standard_normal((5, 3, 1, 1))
    kernel = w_pw[:, :, 0, 0][:, :, None, None] * w_dw[None, :, 0]  # kernel[f, c] = pointwise[f, c] · depthwise[c]
    separable = conv_design.depthwise_separable_conv2d(x, w_dw, w_pw, padding=1)
    assert np.allclose(separable, conv_design.grouped_conv2d(x, kernel, padding=1))
    # every output channel sees channel c through the same spatial filter, up to a scale: rank 1 per channel
    assert all(np.linalg.matrix_rank(kernel[:, c].reshape(5, 9)) == 1 for c in range(3))
    assert np.linalg.matrix_rank(r.standard_normal((5, 3, 3, 3))[:, 0].reshape(5, 9)) == 5  # a full conv is not
    assert "is the pointwise weight for (f, c) times channel c's one depthwise filter" in text(
        "1x1-and-depthwise-separable-conv"
    )


def test_receptive_fields(text):
    t = text("receptive-field-and-dilation")
    assert conv_design.receptive_field([(3, 1)] * 3) == [3, 5, 7]
    assert "Three 3×3 stride-1 layers: 3, 5, 7" in t
    assert 3 * 3 * 3 == 27 and 7 * 7 == 49 and "27C² weights instead of 49C²" in t
    assert conv_design.receptive_field([(3, 2)] * 4) == [3, 7, 15, 31]
    assert "four 3×3 stride-2 layers reach 3, 7, 15, 31" in t
    assert "four 3×3 stride-2 layers see 31" in t
    assert "j = 1, 2, 4, 8, so r = 3, 7, 15, 31" in t
    assert conv_design.receptive_field([(3, 1, 2)]) == [5] and "covers 5×5 with 9 weights" in t
    assert conv_design.receptive_field([(3, 1, 2**i) for i in range(4)]) == [3, 7, 15, 31]
    assert "Dilations 1, 2, 4, 8 give 3, 7, 15, 31 at full resolution" in t
    assert conv_design.receptive_field([(2, 1, 2**i) for i in range(4)]) == [2, 4, 8, 16]  # WaveNet's kernel 2
    assert conv_design.receptive_field([(3, 1)] * 4)[-1] == 9
    assert "four 3×3 layers see 9 pixels at stride 1 and 31 at stride 2" in t


def taps(dilations, kernel=3):
    """Input offsets that reach one output of a stack of stride-1 dilated convolutions."""
    offsets = {0}
    for d in dilations:
        offsets = {o + d * u for o in offsets for u in range(kernel)}
    return offsets


def test_gridding_with_a_common_dilation_factor():
    used = taps([2, 2, 2])
    assert max(used) + 1 == conv_design.receptive_field([(3, 1, 2)] * 3)[-1] == 13
    assert all(o % 2 == 0 for o in used)  # every other input pixel is never used
    assert taps([1, 2, 4]) == set(range(15))  # doubling dilations leave no holes


def test_transposed_conv_output_size_and_overlap(text):
    t = text("upsampling-encoder-decoder-segmentation")
    assert conv_transpose.conv_transpose_output_size(16, 4, 2, 1) == 32 == 15 * 2 - 2 + 4
    assert convolution.conv_output_size(32, 4, 2, 1) == 16
    assert "k = 4, S = 2, P = 1 takes 16 to 32" in t and "15·2 − 2 + 4 = 32" in t
    assert all(conv_transpose.conv_transpose_output_size(n, 4, 2, 1) == 2 * n for n in (3, 7, 16, 50))
    assert "k = 4, S = 2, P = 1 doubles" in t
    coverage = {}
    for k in (3, 4):
        out = conv_transpose.conv_transpose2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, k, k)), stride=2)[0, 0]
        inner = out[k - 1 : -(k - 1), k - 1 : -(k - 1)]
        coverage[k] = (inner.min(), inner.max())
    assert coverage[3] == (1, 4) and coverage[4][0] == coverage[4][1]
    assert "with k = 3, S = 2 interior pixels are covered 1 to 4 times" in t
    # even coverage is not enough: a kernel whose four stride-phases sum differently still prints a
    # period-2 pattern on a flat input
    w = np.random.default_rng(5).standard_normal((1, 1, 4, 4))
    inner = conv_transpose.conv_transpose2d(np.ones((1, 1, 6, 6)), w, stride=2)[0, 0, 3:-3, 3:-3]
    assert np.allclose(inner, np.tile(inner[:2, :2], (inner.shape[0] // 2, inner.shape[1] // 2)))
    assert np.ptp(inner) > 0.1
    assert "k = 4 covers them evenly, yet learned weights can still print a checkerboard" in t


def test_transposed_conv_is_the_adjoint_not_the_inverse():
    r = np.random.default_rng(1)
    x, w = r.standard_normal((1, 2, 8, 8)), r.standard_normal((3, 2, 4, 4))
    y = convolution.conv2d(x, w, None, stride=2, padding=1)
    g = r.standard_normal(y.shape)
    back = conv_transpose.conv_transpose2d(g, w, stride=2, padding=1)
    assert np.sum(y * g) == pytest.approx(np.sum(x * back))
    restored = conv_transpose.conv_transpose2d(y, w, stride=2, padding=1)
    assert restored.shape == x.shape and not np.allclose(restored, x)


def test_a_dense_layer_is_a_convolution_over_the_whole_map():
    r = np.random.default_rng(2)
    x = r.standard_normal((1, 4, 7, 7))
    dense = r.standard_normal((6, 4 * 7 * 7))
    as_conv = convolution.conv2d(x, dense.reshape(6, 4, 7, 7), None)
    assert as_conv.shape == (1, 6, 1, 1) and np.allclose(as_conv[0, :, 0, 0], dense @ x.ravel())


def test_wavenet_receptive_field_and_causality(text):
    field = conv_design.receptive_field([(2, 1, 2**i) for i in range(10)])
    assert field[-1] == 1024 and field == [2 ** (i + 1) for i in range(10)]
    assert "dilations 1, 2, 4, …, 512: ten layers see 1,024 samples" in text("conv1d-for-sequences")
    assert "Dilations 1, 2, …, 512 with kernel 2: 1,024 samples" in text("conv1d-for-sequences")
    r = np.random.default_rng(3)
    x, w = r.standard_normal((1, 2, 12)), r.standard_normal((3, 2, 3))
    changed = x.copy()
    changed[..., 8:] += 1.0  # change the future only
    assert np.allclose(sequence_conv.causal_conv1d(x, w)[..., :8], sequence_conv.causal_conv1d(changed, w)[..., :8])
    symmetric = sequence_conv.conv1d(x, w, padding=1)
    assert not np.allclose(symmetric[..., :8], sequence_conv.conv1d(changed, w, padding=1)[..., :8])


def test_vgg16_parameters_and_what_global_average_pooling_saves(text):
    from dlquiz.reference.convolution import conv_param_count

    layers = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    channels, convs = 3, 0
    for width in layers:
        if width != "M":
            convs, channels = convs + conv_param_count(channels, width, 3), width
    flat = 7 * 7 * 512
    first = conv_param_count(512, 4096, 7)  # a dense layer on a 7 × 7 × 512 map is a 7 × 7 convolution
    assert first == flat * 4096 + 4096
    dense = [first, conv_param_count(4096, 4096, 1), conv_param_count(4096, 1000, 1)]
    total = convs + sum(dense)
    assert total == 138_357_544  # torchvision's vgg16
    head = conv_param_count(512, 1000, 1)
    t = text("pooling-design-choices")
    n = "{:,}".format
    # every phrase is built from the computed values: a wrong number anywhere in them fails
    assert f"holds {n(first)} of the network's {n(total)} ({round(100 * first / total)} %)" in t
    assert f"a 512 → 1000 classifier has {n(head)}" in t
    assert f"7 × 7 × 512 = {n(flat)} inputs → 4096: {n(flat)} × 4096 + 4096 = {n(first)}" in t
    assert f"{n(convs)} + {n(dense[0])} + {n(dense[1])} + {n(dense[2])} = {n(total)}" in t
    assert f"512 × 1000 + 1000 = {n(head)}" in t
    assert f"almost {10 * math.ceil(10 * sum(dense) / total)} % of the parameters" in t  # 89.4 %
    assert f"the first alone {round(100 * first / total)} %" in t
    assert f"{first / 1e6:.1f} M of {total / 1e6:.1f} M parameters ({round(100 * first / total)} %)" in t


def test_a_stride_2_step_halves_the_map_and_aliases_and_blurring_first_helps():
    from dlquiz.reference.convolution import avg_pool2d, conv_output_size, max_pool2d, max_pool2d_backward

    assert conv_output_size(56, 3, stride=2, padding=1) == 28 and conv_output_size(56, 2, stride=2) == 28
    # Zhang's example: the periodic row 0, 0, 1, 1, …; max-pooled with stride 2, a one-pixel shift doubles its mean
    row = np.tile([0.0, 0.0, 1.0, 1.0], 4)
    pooled = max_pool2d(row[None, None, None, :].repeat(2, axis=2), 2)
    shifted = max_pool2d(np.roll(row, 1)[None, None, None, :].repeat(2, axis=2), 2)
    assert pooled.mean() == pytest.approx(0.5) and shifted.mean() == pytest.approx(1.0)

    # blur (a [1, 1]/2 filter) before subsampling: both shifts give the same mean
    def blur_pool(r):
        blurred = (r + np.roll(r, -1)) / 2
        return max_pool2d(blurred[None, None, None, :].repeat(2, axis=2), 2)

    assert blur_pool(row).mean() == pytest.approx(blur_pool(np.roll(row, 1)).mean()) == pytest.approx(0.75)
    # gradients: max pooling sends each output's gradient to its window's maximum only; average to all four
    x = np.array([[[[1.0, 3.0], [4.0, 2.0]]]])
    assert np.array_equal(max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2), [[[[0.0, 0.0], [1.0, 0.0]]]])
    assert avg_pool2d(x, 2).item() == pytest.approx(2.5)
