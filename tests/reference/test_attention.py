"""Attention: hand examples, masks, the backward pass against finite differences, multi-head
slicing, positional encodings."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlquiz.reference.attention import (
    attention_backward,
    causal_mask,
    multi_head_attention,
    positional_encoding,
    scaled_dot_product_attention,
)
from dlquiz.reference.gradcheck import numerical_gradient, relative_error


def qkv(seed, B=2, Lq=4, Lk=5, d=3, dv=2):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(B, Lq, d)), rng.normal(size=(B, Lk, d)), rng.normal(size=(B, Lk, dv))


# --- scaled dot-product attention --------------------------------------------------------------


def test_attention_by_hand_one_query_two_keys():
    q = np.array([[[1.0, 1.0, 1.0, 1.0]]])  # d = 4, √d = 2
    k = np.array([[[1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]]])  # scores 1/2 and 4/2
    v = np.array([[[10.0], [20.0]]])
    out, weights = scaled_dot_product_attention(q, k, v)
    w2 = math.exp(2.0) / (math.exp(0.5) + math.exp(2.0))
    assert weights.shape == (1, 1, 2) and out.shape == (1, 1, 1)
    assert np.allclose(weights[0, 0], [1 - w2, w2], rtol=1e-14)
    assert out[0, 0, 0] == pytest.approx(10.0 * (1 - w2) + 20.0 * w2, rel=1e-14)


def test_equal_scores_average_the_values():
    _, k, v = qkv(0)
    out, weights = scaled_dot_product_attention(np.zeros((2, 4, 3)), k, v)
    assert np.allclose(weights, 1 / 5)
    assert np.allclose(out, v.mean(axis=1, keepdims=True).repeat(4, axis=1))


def test_rows_sum_to_one_and_output_is_weighted_values():
    q, k, v = qkv(1)
    out, weights = scaled_dot_product_attention(q, k, v)
    assert np.allclose(weights.sum(axis=-1), 1.0, atol=1e-14)
    assert np.all(weights > 0)
    assert np.allclose(out, np.einsum("bij,bjd->bid", weights, v))


def test_masked_keys_get_exactly_zero_weight():
    q, k, v = qkv(2)
    mask = np.array([True, False, True, True, False])  # broadcast over batch and queries
    out, weights = scaled_dot_product_attention(q, k, v, mask=mask)
    assert np.all(weights[..., ~mask] == 0.0)
    assert np.allclose(weights.sum(axis=-1), 1.0)
    # same as attending over the allowed keys only
    ref_out, ref_w = scaled_dot_product_attention(q, k[:, mask], v[:, mask])
    assert np.allclose(out, ref_out) and np.allclose(weights[..., mask], ref_w)


def test_causal_mask_zeroes_upper_triangle():
    q, k, v = qkv(3, Lq=5, Lk=5)
    _, weights = scaled_dot_product_attention(q, k, v, mask=causal_mask(5))
    upper = np.triu(np.ones((5, 5), dtype=bool), k=1)
    assert np.all(weights[:, upper] == 0.0)
    assert np.all(weights[:, ~upper] > 0.0)
    assert np.allclose(weights[:, 0, 0], 1.0)


def test_causal_mask_by_hand():
    assert np.array_equal(causal_mask(3), [[True, False, False], [True, True, False], [True, True, True]])


def test_fully_masked_row_gives_zero_weights_not_nan():
    q, k, v = qkv(4)
    mask = np.ones((4, 5), dtype=bool)
    mask[1] = False
    out, weights = scaled_dot_product_attention(q, k, v, mask=mask)
    assert np.all(np.isfinite(weights)) and np.all(np.isfinite(out))
    assert np.all(weights[:, 1] == 0.0) and np.all(out[:, 1] == 0.0)


def test_large_scores_stay_finite():
    q, k, v = qkv(5)
    out, weights = scaled_dot_product_attention(1000.0 * q, 1000.0 * k, v)
    assert np.all(np.isfinite(out)) and np.allclose(weights.sum(axis=-1), 1.0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_permutation_equivariance(seed):
    q, k, v = qkv(seed)
    rng = np.random.default_rng(seed)
    pq, pk = rng.permutation(4), rng.permutation(5)
    out, _ = scaled_dot_product_attention(q, k, v)
    assert np.allclose(scaled_dot_product_attention(q[:, pq], k, v)[0], out[:, pq])
    assert np.allclose(scaled_dot_product_attention(q, k[:, pk], v[:, pk])[0], out)


# --- backward ----------------------------------------------------------------------------------


@pytest.mark.parametrize("masked", [False, True], ids=["unmasked", "causal"])
def test_attention_backward_matches_finite_differences(masked):
    q, k, v = qkv(6, Lq=4, Lk=4, d=3, dv=5)
    mask = causal_mask(4) if masked else None
    dout = np.random.default_rng(7).normal(size=(2, 4, 5))
    grads = attention_backward(dout, q, k, v, mask=mask)

    def loss(_):
        return float(np.sum(scaled_dot_product_attention(q, k, v, mask=mask)[0] * dout))

    for analytic, wrt in zip(grads, (q, k, v), strict=True):
        assert analytic.shape == wrt.shape
        assert relative_error(analytic, numerical_gradient(loss, wrt)) < 1e-6


# --- multi-head attention ----------------------------------------------------------------------


def softmax_rows(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def mha_loop(x, Wq, Wk, Wv, Wo, h):
    """Multi-head attention written head by head, straight from the definition."""
    hd = x.shape[1] // h
    q, k, v = x @ Wq, x @ Wk, x @ Wv
    heads = []
    for i in range(h):
        cols = slice(i * hd, (i + 1) * hd)
        heads.append(softmax_rows(q[:, cols] @ k[:, cols].T / math.sqrt(hd)) @ v[:, cols])
    return np.concatenate(heads, axis=1) @ Wo


def mha_weights(seed, L, E):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(L, E)), [rng.normal(0, E**-0.5, size=(E, E)) for _ in range(4)]


def test_multi_head_with_one_head_is_attention_with_projections():
    x, (Wq, Wk, Wv, Wo) = mha_weights(8, 5, 6)
    single, _ = scaled_dot_product_attention(x @ Wq, x @ Wk, x @ Wv)
    assert np.allclose(multi_head_attention(x, Wq, Wk, Wv, Wo, 1), single @ Wo, atol=1e-14)


@pytest.mark.parametrize("heads", [2, 3, 6])
def test_multi_head_slices_columns_per_head(heads):
    x, W = mha_weights(9, 5, 6)
    out = multi_head_attention(x, *W, heads)
    assert out.shape == (5, 6)
    assert np.allclose(out, mha_loop(x, *W, heads), atol=1e-13)


def test_multi_head_causal_mask_hides_future_tokens():
    x, W = mha_weights(10, 6, 8)
    out = multi_head_attention(x, *W, 2, mask=causal_mask(6))
    x2 = x.copy()
    x2[3:] += 5.0
    out2 = multi_head_attention(x2, *W, 2, mask=causal_mask(6))
    assert np.allclose(out[:3], out2[:3]) and not np.allclose(out[3:], out2[3:])


def test_multi_head_rejects_indivisible_heads():
    x, W = mha_weights(11, 4, 6)
    with pytest.raises(ValueError):
        multi_head_attention(x, *W, 4)


# --- positional encoding -----------------------------------------------------------------------


def test_positional_encoding_position_zero_and_bounds():
    pe = positional_encoding(50, 16)
    assert pe.shape == (50, 16)
    assert np.array_equal(pe[0], [0.0, 1.0] * 8)
    assert np.all(np.abs(pe) <= 1.0)


def test_positional_encoding_by_hand():
    pe = positional_encoding(4, 6)
    for pos in range(4):
        for i in range(3):
            angle = pos / 10000 ** (2 * i / 6)
            assert pe[pos, 2 * i] == pytest.approx(math.sin(angle), abs=1e-15)
            assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(angle), abs=1e-15)


def test_positional_encoding_odd_width():
    pe = positional_encoding(3, 5)
    assert pe.shape == (3, 5)
    assert pe[2, 4] == pytest.approx(math.sin(2 / 10000 ** (4 / 5)), abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(pos=st.integers(0, 200), offset=st.integers(0, 50), half=st.integers(1, 16))
def test_positional_encoding_offset_is_a_rotation(pos, offset, half):
    d = 2 * half
    pe = positional_encoding(pos + offset + 1, d)
    omega = 1.0 / 10000 ** (np.arange(0, d, 2) / d)
    cos, sin = np.cos(omega * offset), np.sin(omega * offset)
    s, c = pe[pos, 0::2], pe[pos, 1::2]
    # sin(a + b) = sin a cos b + cos a sin b;  cos(a + b) = cos a cos b − sin a sin b
    assert np.allclose(pe[pos + offset, 0::2], s * cos + c * sin, atol=1e-9)
    assert np.allclose(pe[pos + offset, 1::2], c * cos - s * sin, atol=1e-9)
