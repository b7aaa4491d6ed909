"""Smaller numbers: integer quantisation, magnitude pruning, and the fp16/bf16 floating-point formats.

Symmetric absmax quantisation maps the largest |w| to the largest integer and rounds the rest,
so each weight costs 8 (or 4) bits plus one scale per tensor or per output channel. Half-precision
floats trade either range (fp16: 5 exponent bits) or precision (bf16: 8 exponent bits like fp32,
only 7 mantissa bits) for half the memory; fp16's narrow range is why mixed-precision training with
fp16 needs loss scaling, while bf16 rarely does.
"""

import numpy as np

__all__ = [
    "quantize_symmetric",
    "dequantize",
    "magnitude_prune",
    "round_to_fp16",
    "round_to_bf16",
    "float_format",
    "update_loss_scale",
]


def quantize_symmetric(w, bits=8, axis=None):
    """Symmetric absmax quantisation to signed integers (no zero point).

        q_max = 2^(bits−1) − 1                 (127 for int8, 7 for int4)
        scale = max|w| / q_max                 (over the whole tensor, or per slice along ``axis``)
        q = clip(round(w / scale), −q_max, q_max)

    Range convention: the symmetric [−127, 127], not int8's full [−128, 127], so that q and −q are
    both representable and zero is exact (LLM.int8() and most weight quantisers do this; PyTorch's
    ``qint8`` dtype itself spans [−128, 127]). Rounding is half-to-even, as ``torch.round``. The
    round-trip error is at most scale/2 per entry. A per-channel scale (one per output unit, e.g.
    ``axis=1`` for an (in, out) weight) keeps one large weight from coarsening a whole tensor.

    Parameters
    ----------
    w : ndarray
    bits : int, default 8
    axis : int, optional
        The axis along which each slice gets its own scale (scales are taken over all the other
        axes); None for one scale per tensor.

    Returns
    -------
    q : ndarray of int8 (bits ≤ 8) or int32
        The integer codes.
    scale : float or ndarray
        One scale, or one per slice along ``axis`` (shaped to broadcast against w).
    """
    w = np.asarray(w, dtype=float)
    q_max = 2 ** (bits - 1) - 1
    if axis is None:
        absmax = np.max(np.abs(w))
    else:
        others = tuple(a for a in range(w.ndim) if a != axis % w.ndim)
        absmax = np.max(np.abs(w), axis=others, keepdims=True)
    scale = np.where(absmax > 0, absmax / q_max, 1.0)
    q = np.clip(np.round(w / scale), -q_max, q_max).astype(np.int8 if bits <= 8 else np.int32)
    return q, (float(scale) if axis is None else scale)


def dequantize(q, scale):
    """Back to real numbers: ŵ = q · scale (|ŵ − w| ≤ scale/2 for values inside the range).

    Parameters
    ----------
    q : ndarray of int
    scale : float or ndarray, broadcastable against q

    Returns
    -------
    ndarray of float64
    """
    return np.asarray(q, dtype=float) * scale


def magnitude_prune(w, sparsity):
    """Unstructured magnitude pruning: zero the fraction ``sparsity`` of entries with the smallest |w|.

        k = round(sparsity · size);   mask = 0 on the k smallest |wᵢ|, 1 elsewhere;   w′ = w ⊙ mask

    Like ``torch.nn.utils.prune.l1_unstructured(module, "weight", amount=sparsity)`` (ties between
    equal magnitudes may be broken differently). The zeros only save memory or time with sparse
    storage or kernels; usually the network is fine-tuned afterwards with the mask fixed.

    Parameters
    ----------
    w : ndarray
    sparsity : float
        In [0, 1].

    Returns
    -------
    pruned : ndarray, shape of w
    mask : ndarray of float, shape of w
        1 where kept.
    """
    w = np.asarray(w, dtype=float)
    k = int(round(sparsity * w.size))
    mask = np.ones(w.size)
    mask[np.argsort(np.abs(w).ravel(), kind="stable")[:k]] = 0.0
    mask = mask.reshape(w.shape)
    return w * mask, mask


def round_to_fp16(x):
    """Round to IEEE half precision (fp16) and back to float64: ``x.astype(float16)``.

    fp16 has 5 exponent bits and 10 mantissa bits: the largest finite value is 65504, normal
    numbers reach down to 2^−14 ≈ 6.1e−5 and subnormals to 2^−24 ≈ 6.0e−8; smaller magnitudes
    become 0 (underflow), larger ones ±inf (overflow).

    Parameters
    ----------
    x : array_like

    Returns
    -------
    ndarray of float64
    """
    with np.errstate(over="ignore"):  # overflow to ±inf is the behaviour being shown
        return np.asarray(x, dtype=np.float64).astype(np.float16).astype(np.float64)


def round_to_bf16(x):
    """Round to bfloat16 and back to float64, emulated: keep the top 16 bits of the float32 pattern.

    bf16 is float32 with the mantissa cut from 23 to 7 bits: the same 8-bit exponent (range up to
    ≈ 3.4e38, down to ≈ 1.2e−38), but only about 3 significant decimal digits (spacing 2^−7 =
    0.0078 just above 1). Rounding is to nearest, ties to even, on the 16 discarded bits:

        bits = float32 bits of x;   bits += 0x7FFF + (bit 16 of bits);   keep bits & 0xFFFF0000

    The value is first rounded to float32 (so float64 inputs are rounded twice, which can differ
    from a direct rounding in rare ties). NaN stays NaN.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    ndarray of float64
    """
    with np.errstate(over="ignore"):
        f32 = np.asarray(x, dtype=np.float64).astype(np.float32)
    bits = f32.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32)
    out = rounded.view(np.float32).astype(np.float64)
    return np.where(np.isnan(f32), np.nan, out)


def float_format(exponent_bits, mantissa_bits):
    """Range and precision of an IEEE-style binary float format with the given field widths.

        bias = 2^(e−1) − 1
        largest finite = (2 − 2^−m) · 2^bias
        smallest normal = 2^(1 − bias),   smallest subnormal = 2^(1 − bias − m)
        machine epsilon (spacing above 1) = 2^−m

    fp32 is (8, 23), fp16 (5, 10), bf16 (8, 7). The exponent width sets the range, the mantissa
    width the precision.

    Parameters
    ----------
    exponent_bits, mantissa_bits : int

    Returns
    -------
    dict
        {"max", "min_normal", "min_subnormal", "eps"}.
    """
    bias = 2 ** (exponent_bits - 1) - 1
    return {
        "max": (2.0 - 2.0**-mantissa_bits) * 2.0**bias,
        "min_normal": 2.0 ** (1 - bias),
        "min_subnormal": 2.0 ** (1 - bias - mantissa_bits),
        "eps": 2.0**-mantissa_bits,
    }


def update_loss_scale(scale, found_inf, good_steps, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    """One update of dynamic loss scaling, PyTorch ``torch.amp.GradScaler``'s rule.

    The loss is multiplied by S before backward, so small fp16 gradients do not underflow; the
    gradients are divided by S before the optimizer step. After each step:

        inf or NaN in the gradients:  skip the step, S ← S·backoff, count ← 0
        otherwise:                    count ← count + 1; if count = growth_interval: S ← S·growth, count ← 0

    GradScaler starts at S = 65536 = 2^16.

    Parameters
    ----------
    scale : float
        S.
    found_inf : bool
        Whether any unscaled gradient was inf or NaN (the step is skipped).
    good_steps : int
        Steps since the last change.
    growth_factor, backoff_factor : float
    growth_interval : int

    Returns
    -------
    (float, int)
        The new scale and step count.
    """
    if found_inf:
        return scale * backoff_factor, 0
    good_steps += 1
    if good_steps == growth_interval:
        return scale * growth_factor, 0
    return scale, good_steps
