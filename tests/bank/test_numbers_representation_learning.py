"""Every number quoted in questions/representation-learning.yaml, recomputed from the reference code."""

import math

import numpy as np
import pytest

from dlquiz.reference import contrastive, distributed, embedding, lora
from dlquiz.reference.activations import softmax


def test_cosine_similarity_example(text):
    cos = float(embedding.cosine_similarity([3.0, 4.0], [4.0, 3.0]))
    assert cos == pytest.approx(24 / 25)
    t = text("embedding-layer")
    assert f"cos((3, 4), (4, 3)) = 24/25 = {cos:.2f}" in t
    assert f"cos((3, 4), (4, 3)) = {cos:.2f}" in t
    assert float(embedding.cosine_similarity([3.0, 4.0], [30.0, 40.0])) == pytest.approx(1.0)  # length ignored
    assert float(embedding.cosine_similarity([3.0, 4.0], [-3.0, -4.0])) == pytest.approx(-1.0)


def test_lookup_is_one_hot_times_w_and_only_used_rows_get_gradient():
    vocab = ["<pad>", "the", "cat", "sat", "on", "mat"]
    ids = np.array([1, 2, 3, 4, 1, 5])  # "the cat sat on the mat"
    r = np.random.default_rng(0)
    W = r.standard_normal((len(vocab), 3))
    one_hot = np.eye(len(vocab))[ids]
    assert np.array_equal(embedding.embedding_forward(ids, W), one_hot @ W)
    dout = r.standard_normal((len(ids), 3))
    dW = embedding.embedding_backward(dout, ids, len(vocab))
    assert np.allclose(dW, one_hot.T @ dout)
    assert np.allclose(dW[1], dout[0] + dout[4])  # "the", used twice, gets both gradients summed
    assert np.all(dW[0] == 0)  # never looked up: exactly zero
    assert np.all(embedding.embedding_backward(dout, ids, len(vocab), padding_idx=1)[1] == 0)


def test_full_fine_tuning_vs_adapter_memory(text):
    adam = distributed.bytes_per_parameter("adam", mixed_precision=True)["total"]
    assert adam == 16 == distributed.bytes_per_parameter("adam")["total"]  # mixed precision or fp32 alike
    full = 7e9 * adam
    # adapters: the frozen bf16 weights, plus gradients and Adam state for the 4 M trainable numbers,
    # counted either as the reference does (no fp32 copy of the adapter) or with a 16-byte adapter
    small = lora.finetune_memory_bytes(7e9, 4e6)["total"]
    small_fp32_adapter = lora.finetune_memory_bytes(7e9, 0)["total"] + 4e6 * adam
    assert 14e9 < small < small_fp32_adapter < 14.1e9  # "just over 14 GB"
    t = text("transfer-learning-fine-tuning")
    assert f"(16 bytes per parameter, activations excluded) takes {full / 1e9:g} GB" in t
    assert "training 4 M adapter parameters, just over 14 GB" in t


def pairs(seed, n=8, d=16):
    """The demo representation.infonce_temperature's noisy positive pairs."""
    r = np.random.default_rng(seed)
    z1 = r.standard_normal((n, d))
    return z1, z1 + 0.8 * r.standard_normal((n, d))


def hardest_negative_share(z1, z2, tau):
    u = z1 / np.linalg.norm(z1, axis=1, keepdims=True)
    v = z2 / np.linalg.norm(z2, axis=1, keepdims=True)
    p = softmax(u @ v.T / tau, axis=1)
    negatives = np.where(np.eye(len(p), dtype=bool), 0.0, p)
    return float(np.mean(negatives.max(axis=1) / negatives.sum(axis=1)))


def test_temperature_concentrates_the_push_on_the_hardest_negative(text):
    z1, z2 = pairs(0)
    high, low = hardest_negative_share(z1, z2, 1.0), hardest_negative_share(z1, z2, 0.05)
    assert f"rises, on average, from {high:.2f} at τ = 1 to {low:.2f} at τ = 0.05" in text(
        "contrastive-learning-infonce"
    )


def test_simclr_negatives_per_anchor(text):
    batch = 8192
    views = 2 * batch  # NT-Xent: every image contributes two views
    negatives = views - 2  # all views but the anchor itself and its positive
    assert negatives == 2 * (batch - 1)
    assert f"SimCLR used up to {batch:,} ({negatives:,} negatives per anchor: both views of every other image)" in text(
        "contrastive-learning-infonce"
    )


def test_equal_similarities_give_log_n():
    z = np.ones((8, 4))
    assert contrastive.info_nce(z, z, temperature=0.1) == pytest.approx(math.log(8))
    assert contrastive.info_nce(z, z, temperature=0.1, symmetric=True) == pytest.approx(math.log(8))


def test_gradient_formula_of_the_answer_matches_the_reference():
    z1, z2 = pairs(1, n=5, d=6)
    tau = 0.2
    n1 = np.linalg.norm(z1, axis=1, keepdims=True)
    u, v = z1 / n1, z2 / np.linalg.norm(z2, axis=1, keepdims=True)
    p = softmax(u @ v.T / tau, axis=1)
    du = (p @ v - v) / tau / len(u)  # (1/τ)(Σⱼ pᵢⱼvⱼ − vᵢ) for each anchor, averaged over the N anchors
    expected = (du - u * np.sum(u * du, axis=1, keepdims=True)) / n1  # back through the normalisation
    assert np.allclose(contrastive.info_nce_grad(z1, z2, tau)[0], expected)
    # and the reference gradient is the loss's: central differences on one coordinate
    h, (i, j) = 1e-6, (2, 3)
    plus, minus = z1.copy(), z1.copy()
    plus[i, j] += h
    minus[i, j] -= h
    numeric = (contrastive.info_nce(plus, z2, tau) - contrastive.info_nce(minus, z2, tau)) / (2 * h)
    assert numeric == pytest.approx(expected[i, j], rel=1e-5)
