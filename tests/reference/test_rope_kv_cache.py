"""RoPE, ALiBi, grouped-query attention, the KV cache and long-context attention: closed forms,
equalities with full attention, and the classic mistakes each check catches."""

import math

import numpy as np
import pytest

from dlquiz.reference.attention import causal_mask, multi_head_attention, scaled_dot_product_attention
from dlquiz.reference.kv_cache import (
    attention_param_count,
    decode_step,
    empty_kv_cache,
    grouped_query_attention,
    kv_cache_bytes,
)
from dlquiz.reference.long_context import attention_cost, blockwise_attention, sliding_window_mask
from dlquiz.reference.rope import alibi_bias, alibi_slopes, apply_rope, rope_angles, rope_pair_permutation

# --- RoPE --------------------------------------------------------------------------------------


def test_rope_by_hand_d2_turns_one_radian_per_position():
    # d = 2: θ₀ = 1, so position m rotates (1, 0) to (cos m, sin m)
    x = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    out = apply_rope(x, positions=[0, 1, 3])
    assert np.allclose(out, [[1, 0], [math.cos(1), math.sin(1)], [-2 * math.sin(3), 2 * math.cos(3)]], atol=1e-15)


def test_rope_frequencies_are_base_to_the_minus_2i_over_d():
    angles = rope_angles([2], 8)
    assert np.allclose(angles[0], [2.0, 2 / 10.0, 2 / 100.0, 2 / 1000.0], rtol=1e-14)


def scores_depend_only_on_offset(rotate_q, rotate_k, d=8, seed=0):
    """Whether (rotated q at m)·(rotated k at n) is the same for every pair with the same m − n."""
    rng = np.random.default_rng(seed)
    q, k = rng.normal(size=d), rng.normal(size=d)
    pairs = [(3, 1), (10, 8), (52, 50)]  # offset 2 each time
    scores = [rotate_q(q, m) @ rotate_k(k, n) for m, n in pairs]
    return np.allclose(scores, scores[0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("interleaved", [True, False])
def test_rope_score_depends_only_on_the_offset(interleaved):
    def rot(v, m):
        return apply_rope(v[None], positions=[m], interleaved=interleaved)[0]

    assert scores_depend_only_on_offset(rot, rot)


def test_offset_check_catches_absolute_encodings_and_mixed_pairings():
    from dlquiz.reference.attention import positional_encoding

    def added(v, m):  # sinusoidal PE added to q and k: absolute, not relative
        return v + positional_encoding(m + 1, len(v))[m]

    def inter(v, m):
        return apply_rope(v[None], positions=[m])[0]

    def half(v, m):
        return apply_rope(v[None], positions=[m], interleaved=False)[0]

    assert not scores_depend_only_on_offset(added, added)
    # q rotated in one layout and k in the other: the classic checkpoint-conversion bug
    assert not scores_depend_only_on_offset(inter, half)


def test_rope_keeps_norms_and_position_zero_is_identity():
    x = np.random.default_rng(1).normal(size=(2, 5, 6))
    out = apply_rope(x)
    assert np.allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(x, axis=-1))
    assert np.array_equal(out[:, 0], x[:, 0])


def test_the_two_pairings_differ_by_a_feature_permutation():
    x = np.random.default_rng(2).normal(size=(4, 8))
    perm = rope_pair_permutation(8)
    assert perm.tolist() == [0, 2, 4, 6, 1, 3, 5, 7]
    assert np.allclose(apply_rope(x[:, perm], interleaved=False), apply_rope(x)[:, perm], atol=1e-14)
    assert not np.allclose(apply_rope(x, interleaved=False), apply_rope(x))


def test_rope_rejects_odd_widths():
    with pytest.raises(ValueError, match="even"):
        rope_angles([0], 5)


def test_alibi_slopes_and_bias():
    assert np.allclose(alibi_slopes(8), [2.0**-k for k in range(1, 9)])
    bias = alibi_bias(4, 2)  # slopes 2^(−4) = 1/16 and 2^(−8) = 1/256
    assert bias.shape == (2, 4, 4)
    assert bias[0, 3, 0] == -3 / 16 and bias[1, 2, 1] == -1 / 256 and np.all(np.diagonal(bias, axis1=1, axis2=2) == 0)
    with pytest.raises(ValueError):
        alibi_slopes(6)


# --- grouped-query attention and the KV cache --------------------------------------------------


def gqa_weights(seed, E=8, H=4, Hkv=2, L=6):
    rng = np.random.default_rng(seed)
    hd = E // H
    x = rng.normal(size=(L, E))
    Wq, Wo = rng.normal(0, E**-0.5, (E, E)), rng.normal(0, E**-0.5, (E, E))
    Wk, Wv = rng.normal(0, E**-0.5, (E, Hkv * hd)), rng.normal(0, E**-0.5, (E, Hkv * hd))
    return x, Wq, Wk, Wv, Wo


def gqa_loop(x, Wq, Wk, Wv, Wo, H, Hkv, mask=None):
    """GQA head by head from the definition: query head h reads key/value head h // (H/Hkv)."""
    hd = x.shape[1] // H
    q, k, v = x @ Wq, x @ Wk, x @ Wv
    heads = []
    for h in range(H):
        g = h // (H // Hkv)
        s = q[:, h * hd : (h + 1) * hd] @ k[:, g * hd : (g + 1) * hd].T / math.sqrt(hd)
        if mask is not None:
            s = np.where(mask, s, -np.inf)
        w = np.exp(s - s.max(axis=1, keepdims=True))
        heads.append(w / w.sum(axis=1, keepdims=True) @ v[:, g * hd : (g + 1) * hd])
    return np.concatenate(heads, axis=1) @ Wo


@pytest.mark.parametrize("H, Hkv", [(4, 4), (4, 2), (4, 1)], ids=["MHA", "GQA", "MQA"])
def test_gqa_matches_the_head_by_head_definition(H, Hkv):
    x, Wq, Wk, Wv, Wo = gqa_weights(3, H=H, Hkv=Hkv)
    out = grouped_query_attention(x, Wq, Wk, Wv, Wo, H, Hkv, mask=causal_mask(6))
    assert out.shape == (6, 8)
    assert np.allclose(out, gqa_loop(x, Wq, Wk, Wv, Wo, H, Hkv, causal_mask(6)), atol=1e-13)


def test_gqa_with_as_many_groups_as_heads_is_multi_head_attention():
    x, Wq, Wk, Wv, Wo = gqa_weights(4, H=4, Hkv=4)
    assert np.allclose(grouped_query_attention(x, Wq, Wk, Wv, Wo, 4, 4), multi_head_attention(x, Wq, Wk, Wv, Wo, 4))


def test_gqa_groups_consecutive_heads_not_round_robin():
    # tiling the kv heads (head h reads h % Hkv) is the classic mismatch with repeat_interleave
    x, Wq, Wk, Wv, Wo = gqa_weights(5, H=4, Hkv=2)
    hd = 2
    kr, vr = np.tile(Wk, (1, 2)), np.tile(Wv, (1, 2))  # kv heads [0, 1, 0, 1]: round robin
    wrong = multi_head_attention(x, Wq, kr, vr, Wo, 4)
    ki = np.repeat(Wk.reshape(8, 2, hd), 2, axis=1).reshape(8, 8)  # kv heads [0, 0, 1, 1]
    vi = np.repeat(Wv.reshape(8, 2, hd), 2, axis=1).reshape(8, 8)
    right = grouped_query_attention(x, Wq, Wk, Wv, Wo, 4, 2)
    assert np.allclose(right, multi_head_attention(x, Wq, ki, vi, Wo, 4))
    assert not np.allclose(right, wrong)


@pytest.mark.parametrize("rope", [False, True])
@pytest.mark.parametrize("H, Hkv", [(4, 4), (4, 1)])
def test_decoding_with_a_cache_equals_full_causal_attention(rope, H, Hkv):
    x, Wq, Wk, Wv, Wo = gqa_weights(6, H=H, Hkv=Hkv)
    full = grouped_query_attention(x, Wq, Wk, Wv, Wo, H, Hkv, mask=causal_mask(6), rope=rope)
    cache = empty_kv_cache(Hkv, 8 // H)
    for t in range(6):
        out_t, cache = decode_step(x[t], cache, Wq, Wk, Wv, Wo, H, Hkv, rope=rope)
        assert np.allclose(out_t, full[t], atol=1e-13)
        assert cache[0].shape == (Hkv, t + 1, 8 // H)


def test_cache_check_catches_a_missing_causal_mask():
    # the cache is valid only because of the causal mask: without it, early rows see later tokens
    x, Wq, Wk, Wv, Wo = gqa_weights(7)
    unmasked = grouped_query_attention(x, Wq, Wk, Wv, Wo, 4, 2)
    out_0, _ = decode_step(x[0], empty_kv_cache(2, 2), Wq, Wk, Wv, Wo, 4, 2)
    assert not np.allclose(out_0, unmasked[0])


def test_kv_cache_bytes_llama2_7b():
    assert kv_cache_bytes(32, 32, 128, 4096) == 2 * 1024**3
    assert kv_cache_bytes(32, 8, 128, 4096) == 2 * 1024**3 // 4
    assert kv_cache_bytes(1, 1, 1, 1, bytes_per_value=1) == 2


def test_attention_param_counts():
    assert attention_param_count(4096, 32, 32) == 4 * 4096**2
    assert attention_param_count(8, 4, 1) == 2 * 64 + 2 * 8 * 2
    with pytest.raises(ValueError):
        attention_param_count(8, 4, 3)


# --- long context ------------------------------------------------------------------------------


def test_sliding_window_mask_by_hand():
    expected = [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]]
    assert np.array_equal(sliding_window_mask(4, 2), np.array(expected, dtype=bool))
    assert np.array_equal(sliding_window_mask(5, 9), causal_mask(5))
    assert sliding_window_mask(10, 3).sum(axis=1).max() == 3


def test_stacked_windows_reach_layers_times_window_minus_one():
    mask = sliding_window_mask(20, 4).astype(int)
    reach = mask.copy()
    for _ in range(2):  # three layers in all
        reach = (reach @ mask > 0).astype(int)
    last = reach[19]
    assert last.sum() == 3 * (4 - 1) + 1 and last[19 - 9] == 1 and last[19 - 10] == 0


@pytest.mark.parametrize("block", [1, 3, 7, 16])
@pytest.mark.parametrize("causal", [False, True])
def test_blockwise_attention_is_exact(block, causal):
    rng = np.random.default_rng(8)
    q, k, v = rng.normal(size=(2, 7, 4)) * 3, rng.normal(size=(2, 7, 4)) * 3, rng.normal(size=(2, 7, 5))
    expected, _ = scaled_dot_product_attention(q, k, v, causal_mask(7) if causal else None)
    assert np.allclose(blockwise_attention(q, k, v, block, causal=causal), expected, atol=1e-12)


def test_blockwise_check_catches_a_missing_rescale():
    rng = np.random.default_rng(9)
    q, k, v = rng.normal(size=(5, 4)) * 3, rng.normal(size=(6, 4)) * 3, rng.normal(size=(6, 2))

    def no_rescale(q, k, v, block):  # the running sums are never corrected when the maximum grows
        m, ell, o = np.full((5, 1), -np.inf), np.zeros((5, 1)), np.zeros((5, 2))
        for s0 in range(0, 6, block):
            s = q @ k[s0 : s0 + block].T / 2
            m = np.maximum(m, s.max(axis=1, keepdims=True))
            p = np.exp(s - m)
            ell, o = ell + p.sum(axis=1, keepdims=True), o + p @ v[s0 : s0 + block]
        return o / ell

    expected, _ = scaled_dot_product_attention(q, k, v)
    assert not np.allclose(no_rescale(q, k, v, 2), expected)
    assert np.allclose(blockwise_attention(q, k, v, 2), expected)


def test_attention_cost_quadruples_with_length_but_not_with_a_window():
    assert attention_cost(1024, 64) == (2 * 1024 * 1024 * 64, 1024 * 1024)
    full = [attention_cost(n, 64)[0] for n in (1000, 2000)]
    window = [attention_cost(n, 64, window=100)[0] for n in (1000, 2000)]
    assert full[1] == 4 * full[0] and window[1] == 2 * window[0]
    assert attention_cost(10, 8, num_heads=4)[1] == 400
