"""Every number quoted in questions/attention.yaml, recomputed from the reference code."""

import math

import numpy as np
import pytest

from dlquiz.reference.attention import (
    causal_mask,
    multi_head_attention,
    positional_encoding,
    scaled_dot_product_attention,
)


def test_one_query_two_keys(text):
    q = np.array([[[1.0, 0.0]]])
    k = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    v = np.array([[[2.0, -1.0], [5.0, 3.0]]])
    out, weights = scaled_dot_product_attention(q, k, v)
    w1, w2 = weights[0, 0]
    assert w1 + w2 == pytest.approx(1.0)
    assert np.allclose(out[0, 0], w1 * v[0, 0] + w2 * v[0, 1])
    score = (q[0, 0] @ k[0, 0]) / math.sqrt(2)
    assert f"the scores are {score:.3f} and 0, the weights {w1:.3f} and {w2:.3f}" in text("attention-qkv")
    assert f"output is {w1:.3f}·v₁ + {w2:.3f}·v₂" in text("attention-qkv")


def test_score_std_grows_as_sqrt_dk(text):
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=(20000, 64)), rng.normal(size=(20000, 64))
    raw = np.sum(q * k, axis=1)
    assert raw.std() == pytest.approx(8.0, rel=0.03)
    assert (raw / math.sqrt(64)).std() == pytest.approx(1.0, rel=0.03)
    assert "At dₖ = 64 raw scores have std 8" in text("scaled-dot-product-sqrt-dk")


def test_saturation_example(text):
    # Four keys; one query whose raw dot products are (8, 0, 0, 0): build them with d_k = 64.
    k = np.zeros((1, 4, 64))
    k[0, 0, 0] = 1.0
    q = np.zeros((1, 1, 64))
    q[0, 0, 0] = 8.0
    _, scaled = scaled_dot_product_attention(q, k, np.eye(4)[None])
    _, unscaled = scaled_dot_product_attention(q * math.sqrt(64), k, np.eye(4)[None])  # undo the 1/√d_k
    shown = text("scaled-dot-product-sqrt-dk")
    assert f"put weight {unscaled[0, 0, 0]:.3f} on the top key" in shown
    assert f"(1, 0, 0, 0) and the top weight is {scaled[0, 0, 0]:.3f}" in shown


def test_multi_head_parameter_count_and_head_split(text):
    d_model, h = 512, 8
    assert f"head size {d_model // h} and {4 * d_model**2:,} weights" in text("multi-head-attention")

    rng = np.random.default_rng(1)
    L, E, heads = 5, 8, 2
    x = rng.normal(size=(L, E))
    Wq, Wk, Wv, Wo = (rng.normal(size=(E, E)) for _ in range(4))
    hd = E // heads
    per_head = [
        scaled_dot_product_attention(
            (x @ Wq)[None, :, i * hd : (i + 1) * hd],
            (x @ Wk)[None, :, i * hd : (i + 1) * hd],
            (x @ Wv)[None, :, i * hd : (i + 1) * hd],
        )[0][0]
        for i in range(heads)
    ]
    expected = np.concatenate(per_head, axis=1) @ Wo
    assert np.allclose(multi_head_attention(x, Wq, Wk, Wv, Wo, heads), expected)


def test_positional_encoding_values_and_rotation(text):
    pe = positional_encoding(40, 16)
    shown = f"PE(1, 0) = sin 1 ≈ {pe[1, 0]:.3f} and PE(1, 1) = cos 1 ≈ {pe[1, 1]:.3f}"
    assert shown in text("positional-encoding")
    assert pe[1, 0] == pytest.approx(math.sin(1)) and pe[1, 1] == pytest.approx(math.cos(1))
    assert np.all(np.abs(pe) <= 1)

    k = 7
    omegas = 10000.0 ** (-np.arange(8) * 2 / 16)
    rotation = np.zeros((16, 16))
    for i, w in enumerate(omegas):
        c, s = math.cos(w * k), math.sin(w * k)
        rotation[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c, -s], [s, c]]
    assert np.allclose(pe[:-k] @ rotation, pe[k:])  # the same matrix works for every pos


def test_self_attention_without_positions_is_permutation_equivariant():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(6, 8))
    Ws = [rng.normal(size=(8, 8)) for _ in range(4)]
    perm = rng.permutation(6)
    assert np.allclose(multi_head_attention(x[perm], *Ws, 2), multi_head_attention(x, *Ws, 2)[perm])


def test_block_shapes_and_ffn_width(text):
    from dlquiz.reference.normalization import layernorm_forward

    assert f"d_model = 512 with a hidden size of {4 * 512}" in text("transformer-block")
    rng = np.random.default_rng(3)
    L, d = 6, 8
    x = rng.normal(size=(L, d))
    gamma, beta = np.ones(d), np.zeros(d)
    projections = [rng.normal(size=(d, d)) for _ in range(4)]
    x, _ = layernorm_forward(x + multi_head_attention(x, *projections, 2), gamma, beta)
    assert x.shape == (L, d)
    hidden = np.maximum(x @ rng.normal(size=(d, 4 * d)), 0)
    x, _ = layernorm_forward(x + hidden @ rng.normal(size=(4 * d, d)), gamma, beta)
    assert x.shape == (L, d)


def test_causal_mask_zeroes_weights_above_diagonal():
    rng = np.random.default_rng(4)
    q, k, v = (rng.normal(size=(1, 4, 3)) for _ in range(3))
    mask = causal_mask(4)
    assert np.array_equal(mask, np.tril(np.ones((4, 4), dtype=bool)))
    _, weights = scaled_dot_product_attention(q, k, v, mask=mask)
    assert np.all(weights[0][~mask] == 0) and np.allclose(weights.sum(-1), 1)
