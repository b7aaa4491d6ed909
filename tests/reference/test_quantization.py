"""int8/int4 quantisation, magnitude pruning, fp16 and bf16 rounding, loss scaling."""

import struct

import numpy as np
import pytest

from dlquiz.reference.quantization import (
    dequantize,
    float_format,
    magnitude_prune,
    quantize_symmetric,
    round_to_bf16,
    round_to_fp16,
    update_loss_scale,
)


def test_int8_by_hand():
    w = np.array([0.5, -1.27, 0.004, 1.0])
    q, scale = quantize_symmetric(w)
    assert scale == pytest.approx(0.01)
    assert q.dtype == np.int8 and q.tolist() == [50, -127, 0, 100]
    assert np.allclose(dequantize(q, scale), [0.5, -1.27, 0.0, 1.0])


def test_range_is_symmetric_and_half_to_even():
    q, _ = quantize_symmetric(np.array([-2.0, 2.0, 0.5 / 127 * 2]))  # the last is exactly 0.5 steps
    assert q.tolist() == [-127, 127, 0]
    q4, s4 = quantize_symmetric(np.array([-7.0, 3.5, 2.5]), bits=4)
    assert s4 == 1.0 and q4.tolist() == [-7, 4, 2]  # 3.5 → 4 and 2.5 → 2: ties to even


@pytest.mark.parametrize("bits", [4, 8])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_round_trip_error_is_at_most_half_a_step(bits, axis):
    w = np.random.default_rng(bits).normal(size=(6, 5)) * np.array([0.1, 1, 10, 0.01, 3])
    q, scale = quantize_symmetric(w, bits=bits, axis=axis)
    err = np.abs(dequantize(q, scale) - w)
    assert np.all(err <= np.broadcast_to(scale, w.shape) / 2 + 1e-15)
    assert np.max(np.abs(q)) == 2 ** (bits - 1) - 1


def test_per_channel_scales_beat_one_scale_with_an_outlier_column():
    w = np.random.default_rng(1).normal(size=(8, 4))
    w[:, 0] *= 100
    q_t, s_t = quantize_symmetric(w)
    q_c, s_c = quantize_symmetric(w, axis=1)
    assert s_c.shape == (1, 4)
    assert np.allclose(s_c[0], np.abs(w).max(axis=0) / 127)
    small = slice(1, 4)
    assert np.abs(dequantize(q_c, s_c) - w)[:, small].max() < np.abs(dequantize(q_t, s_t) - w)[:, small].max() / 10


def test_zero_tensor_quantises_to_zero():
    q, scale = quantize_symmetric(np.zeros(3))
    assert q.tolist() == [0, 0, 0] and scale == 1.0


def test_magnitude_pruning_by_hand():
    pruned, mask = magnitude_prune(np.array([[0.3, -0.1], [2.0, -0.05]]), 0.5)
    assert mask.tolist() == [[1, 0], [1, 0]] and pruned.tolist() == [[0.3, 0.0], [2.0, -0.0]]
    _, mask = magnitude_prune(np.arange(1.0, 11.0), 0.34)  # round(3.4) = 3 weights
    assert mask.sum() == 7 and mask[:3].sum() == 0


def test_fp16_range_and_precision():
    assert round_to_fp16(65504.0) == 65504.0 and np.isinf(round_to_fp16(65520.0))
    assert round_to_fp16(1e-8) == 0.0 and round_to_fp16(6e-8) == 2.0**-24
    assert round_to_fp16(1 + 2**-11) == 1.0 and round_to_fp16(1 + 2**-10) == 1 + 2**-10


def bf16_reference(x):
    """bfloat16 by hand: the float32 bit pattern, rounded to nearest even on its low 16 bits."""
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    low, high = bits & 0xFFFF, bits >> 16
    if low > 0x8000 or (low == 0x8000 and high & 1):
        high += 1
    return struct.unpack("<f", struct.pack("<I", (high << 16) & 0xFFFFFFFF))[0]


def test_bf16_matches_bitwise_round_to_nearest_even():
    rng = np.random.default_rng(2)
    xs = np.concatenate([rng.normal(size=500) * 10.0 ** rng.integers(-30, 30, 500), [1 + 2**-8, 1 + 3 * 2**-8]])
    xs = xs.astype(np.float32).astype(np.float64)
    assert np.array_equal(round_to_bf16(xs), [bf16_reference(v) for v in xs])
    # ties: 1 + 2^-8 is halfway between 1 and 1 + 2^-7 and rounds to the even 1; 1 + 3·2^-8 rounds up
    assert round_to_bf16(1 + 2**-8) == 1.0 and round_to_bf16(1 + 3 * 2**-8) == 1 + 2**-6


def test_bf16_check_catches_truncation():
    x = np.float32(1 + 0.9 * 2**-7)
    truncated = np.frombuffer(np.array([x]).view(np.uint32) & np.uint32(0xFFFF0000), dtype=np.float32)[0]
    assert truncated == 1.0 and round_to_bf16(x) == 1 + 2**-7


def test_bf16_keeps_range_fp16_keeps_precision():
    assert round_to_bf16(1e-10) == pytest.approx(1e-10, rel=2**-8) and round_to_fp16(1e-10) == 0.0
    assert round_to_bf16(1e5) == pytest.approx(1e5, rel=2**-8) and np.isinf(round_to_fp16(1e5))
    assert abs(round_to_fp16(1 / 3) - 1 / 3) < abs(round_to_bf16(1 / 3) - 1 / 3)
    assert np.isnan(round_to_bf16(np.nan))


def test_float_format_matches_numpy_and_bf16_constants():
    for dtype, e, m in ((np.float16, 5, 10), (np.float32, 8, 23), (np.float64, 11, 52)):
        info, mine = np.finfo(dtype), float_format(e, m)
        assert mine["max"] == float(info.max) and mine["eps"] == float(info.eps)
        assert mine["min_normal"] == float(info.smallest_normal)
        assert mine["min_subnormal"] == float(info.smallest_subnormal)
    bf16 = float_format(8, 7)
    assert bf16["max"] == pytest.approx(3.3895313892515355e38) and bf16["eps"] == 0.0078125


def test_loss_scaling_rescues_underflowing_gradients():
    g = np.array([1e-8, 3e-7, 2e-5])
    assert np.all(round_to_fp16(g)[:1] == 0)
    scaled = round_to_fp16(g * 2.0**16) / 2.0**16
    assert np.allclose(scaled, g, rtol=1e-3)


def test_grad_scaler_rule():
    assert update_loss_scale(65536.0, True, 57) == (32768.0, 0)
    assert update_loss_scale(1024.0, False, 1998) == (1024.0, 1999)
    assert update_loss_scale(1024.0, False, 1999) == (2048.0, 0)
