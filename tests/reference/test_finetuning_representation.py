"""LoRA, label smoothing, distillation, embeddings and InfoNCE: closed forms, finite differences,
PyTorch's conventions and the classic mistakes."""

import math

import numpy as np
import pytest

from dlquiz.reference.contrastive import info_nce, info_nce_grad
from dlquiz.reference.distributed import bytes_per_parameter
from dlquiz.reference.embedding import cosine_similarity, embedding_backward, embedding_forward, nearest_neighbours
from dlquiz.reference.gradcheck import numerical_gradient, relative_error
from dlquiz.reference.lora import (
    finetune_memory_bytes,
    lora_backward,
    lora_forward,
    lora_init,
    lora_merge,
    lora_param_count,
)
from dlquiz.reference.soft_targets import (
    distillation_loss,
    distillation_loss_grad,
    label_smoothing_cross_entropy,
    label_smoothing_cross_entropy_grad,
    smoothed_targets,
)

# --- LoRA --------------------------------------------------------------------------------------


def lora_setup(seed, n=3, d_in=5, d_out=4, r=2):
    rng = np.random.default_rng(seed)
    x, W, b = rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)
    A, B = rng.normal(size=(d_in, r)), rng.normal(size=(r, d_out))
    return x, W, b, A, B


def test_lora_starts_equal_to_the_pretrained_layer():
    x, W, b, _, _ = lora_setup(0)
    A, B = lora_init(5, 4, 2, np.random.default_rng(1))
    assert A.shape == (5, 2) and B.shape == (2, 4) and np.all(B == 0)
    assert np.all(np.abs(A) <= 1 / math.sqrt(5)) and A.std() > 0
    assert np.array_equal(lora_forward(x, W, b, A, B, alpha=16), x @ W + b)


def test_lora_forward_by_hand_scale_alpha_over_r():
    x, W, b = np.array([[1.0, 2.0]]), np.zeros((2, 1)), None
    A, B = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[3.0], [1.0]])  # r = 2, (x·A)·B = 1·3 + 2·1 = 5
    assert np.allclose(lora_forward(x, W, b, A, B, alpha=4.0), [[10.0]], rtol=1e-15)


def test_lora_merged_weights_give_the_same_output():
    x, W, b, A, B = lora_setup(2)
    assert np.allclose(x @ lora_merge(W, A, B, 8.0) + b, lora_forward(x, W, b, A, B, 8.0), atol=1e-13)


def lora_grads_ok(backward, seed=3):
    x, W, b, A, B = lora_setup(seed)
    dout = np.random.default_rng(seed + 10).normal(size=(3, 4))
    dx, dA, dB = backward(dout, x, W, A, B, 6.0)

    def loss(_):
        return float(np.sum(lora_forward(x, W, b, A, B, 6.0) * dout))

    return all(relative_error(g, numerical_gradient(loss, wrt)) < 1e-6 for g, wrt in ((dx, x), (dA, A), (dB, B)))


def test_lora_backward_matches_finite_differences():
    assert lora_grads_ok(lora_backward)


def test_lora_check_catches_alpha_without_the_division_by_r():
    def alpha_only(dout, x, W, A, B, alpha):
        d_low = dout @ B.T
        return dout @ W.T + alpha * d_low @ A.T, alpha * x.T @ d_low, alpha * (x @ A).T @ dout

    assert not lora_grads_ok(alpha_only)


def test_lora_at_init_only_b_gets_gradient():
    x, W, _, _, _ = lora_setup(4)
    A, B = lora_init(5, 4, 2, np.random.default_rng(5))
    _, dA, dB = lora_backward(np.ones((3, 4)), x, W, A, B, 16)
    assert np.all(dA == 0) and np.any(dB != 0)


def test_lora_counts_and_memory():
    assert lora_param_count(4096, 4096, 8) == (65_536, 16_777_216)
    full = finetune_memory_bytes(7e9, 7e9)
    assert full["total"] == pytest.approx(112e9)  # 16 bytes per trained parameter
    assert full["total"] == 7e9 * bytes_per_parameter("adam", mixed_precision=True)["total"]
    assert finetune_memory_bytes(7e9, 4e6)["total"] == pytest.approx(14e9 + 56e6)
    assert finetune_memory_bytes(7e9, 4e6, weight_bytes=0.5)["weights"] == pytest.approx(3.5e9)


# --- label smoothing ---------------------------------------------------------------------------


def test_smoothed_targets_spread_over_all_classes():
    q = smoothed_targets(np.array([1]), 4, 0.1)
    assert np.allclose(q, [[0.025, 0.925, 0.025, 0.025]])


def test_label_smoothing_by_hand_pytorch_convention():
    logits = np.array([[2.0, 0.0, -1.0]])
    logp = logits[0] - math.log(sum(math.exp(v) for v in logits[0]))
    eps = 0.3
    by_hand = -((1 - eps) * logp[0] + eps * logp.mean())
    assert label_smoothing_cross_entropy(logits, np.array([0]), eps) == pytest.approx(by_hand, rel=1e-14)
    # spreading ε over the C − 1 wrong classes only (the classic variant) gives a different number
    other = -((1 - eps) * logp[0] + eps * (logp[1] + logp[2]) / 2)
    assert abs(by_hand - other) > 0.05


def test_label_smoothing_zero_is_cross_entropy_and_optimum_is_q():
    from dlquiz.reference.losses import cross_entropy

    rng = np.random.default_rng(6)
    z, y = rng.normal(size=(4, 5)), np.array([0, 4, 2, 2])
    assert label_smoothing_cross_entropy(z, y) == pytest.approx(cross_entropy(z, y), rel=1e-14)
    q = smoothed_targets(y, 5, 0.2)
    at_q = np.log(q)  # logits whose softmax is q: the loss is the entropy of q and the gradient 0
    assert label_smoothing_cross_entropy(at_q, y, 0.2) == pytest.approx(-(q * np.log(q)).sum(axis=1).mean())
    assert np.allclose(label_smoothing_cross_entropy_grad(at_q, y, 0.2), 0, atol=1e-15)


def test_label_smoothing_grad_matches_finite_differences():
    rng = np.random.default_rng(7)
    z, y = rng.normal(size=(3, 4)), np.array([1, 0, 3])
    num = numerical_gradient(lambda v: label_smoothing_cross_entropy(v, y, 0.1), z)
    assert relative_error(label_smoothing_cross_entropy_grad(z, y, 0.1), num) < 1e-6


# --- distillation ------------------------------------------------------------------------------


def test_distillation_by_hand():
    s, t = np.array([[0.0, 0.0]]), np.array([[2.0, 0.0]])
    p = np.array([math.exp(1), 1.0]) / (math.exp(1) + 1)  # teacher at T = 2
    kl = float(np.sum(p * np.log(p / 0.5)))
    assert distillation_loss(s, t, 2.0) == pytest.approx(4 * kl, rel=1e-14)
    assert distillation_loss(t, t, 3.0) == pytest.approx(0.0, abs=1e-15)


def test_distillation_grad_matches_finite_differences():
    rng = np.random.default_rng(8)
    s, t = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    for temp in (1.0, 4.0):
        num = numerical_gradient(lambda v, temp=temp: distillation_loss(v, t, temp), s)
        assert relative_error(distillation_loss_grad(s, t, temp), num) < 1e-6


def test_high_temperature_gradient_matches_logits_only_with_the_t_squared_factor():
    rng = np.random.default_rng(9)
    s, t = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    s, t = s - s.mean(axis=1, keepdims=True), t - t.mean(axis=1, keepdims=True)
    limit = (s - t) / (2 * 4)
    errors = [np.max(np.abs(distillation_loss_grad(s, t, temp) - limit)) for temp in (1e3, 1e4)]
    assert errors[1] < 2e-5 and errors[1] < errors[0] / 5  # the error shrinks like 1/T
    # without the T² factor the gradient would vanish as 1/T²
    assert np.max(np.abs(distillation_loss_grad(s, t, 1000.0) / 1000.0**2)) < 1e-6


# --- embeddings --------------------------------------------------------------------------------


def test_lookup_equals_one_hot_times_w():
    rng = np.random.default_rng(10)
    W, ids = rng.normal(size=(6, 3)), np.array([[1, 4], [4, 0]])
    assert np.array_equal(embedding_forward(ids, W), np.eye(6)[ids] @ W)


def scatter_ok(backward):
    rng = np.random.default_rng(11)
    W, ids = rng.normal(size=(5, 3)), np.array([2, 0, 2, 2, 4])
    dout = rng.normal(size=(5, 3))
    dW = backward(dout, ids, 5)
    num = numerical_gradient(lambda w: float(np.sum(embedding_forward(ids, w) * dout)), W)
    return relative_error(dW, num) < 1e-6 and np.allclose(dW, np.eye(5)[ids].T @ dout)


def test_embedding_backward_is_a_scatter_add():
    assert scatter_ok(embedding_backward)
    dW = embedding_backward(np.ones((3, 2)), np.array([1, 1, 3]), 4)
    assert dW.tolist() == [[0, 0], [2, 2], [0, 0], [1, 1]]


def test_scatter_check_catches_fancy_index_assignment():
    def overwrite(dout, ids, v):
        dW = np.zeros((v, dout.shape[-1]))
        dW[ids] += dout  # repeated ids keep only one contribution
        return dW

    assert not scatter_ok(overwrite)


def test_padding_row_gets_no_gradient():
    assert np.all(embedding_backward(np.ones((3, 2)), np.array([0, 1, 0]), 3, padding_idx=0)[0] == 0)


def test_cosine_similarity_values():
    assert cosine_similarity([1.0, 0.0], [0.0, 2.0]) == 0.0
    assert cosine_similarity([1.0, 1.0], [3.0, 3.0]) == pytest.approx(1.0)
    assert cosine_similarity([1.0, 2.0], [-2.0, -4.0]) == pytest.approx(-1.0)
    assert cosine_similarity([3.0, 4.0], [4.0, 3.0]) == pytest.approx(24 / 25)
    assert cosine_similarity([0.0, 0.0], [1.0, 0.0]) == 0.0  # the ε clamp avoids 0/0
    ids, sims = nearest_neighbours(np.array([1.0, 0.1]), np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.3]]), k=2)
    assert ids.tolist() == [2, 0] and sims[0] > sims[1]
    assert nearest_neighbours(np.array([1.0, 0.1]), np.eye(2), k=1, exclude=[0])[0].tolist() == [1]


# --- InfoNCE -----------------------------------------------------------------------------------


def test_info_nce_by_hand_two_pairs():
    z1 = np.array([[1.0, 0.0], [0.0, 3.0]])
    z2 = np.array([[2.0, 0.0], [1.0, 1.0]])
    tau = 0.5
    s = np.array([[1.0, 1 / math.sqrt(2)], [0.0, 1 / math.sqrt(2)]]) / tau
    rows = [s[i, i] - math.log(math.exp(s[i, 0]) + math.exp(s[i, 1])) for i in range(2)]
    assert info_nce(z1, z2, tau) == pytest.approx(-sum(rows) / 2, rel=1e-14)
    cols = [s[j, j] - math.log(math.exp(s[0, j]) + math.exp(s[1, j])) for j in range(2)]
    assert info_nce(z1, z2, tau, symmetric=True) == pytest.approx(-(sum(rows) + sum(cols)) / 4, rel=1e-14)


def test_info_nce_is_log_n_for_equal_similarities_and_scale_invariant():
    z = np.ones((4, 3))
    assert info_nce(z, z) == pytest.approx(math.log(4))
    rng = np.random.default_rng(12)
    a, b = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    assert info_nce(a * 7.0, b) == pytest.approx(info_nce(a, b))


@pytest.mark.parametrize("symmetric", [False, True])
def test_info_nce_grad_matches_finite_differences(symmetric):
    rng = np.random.default_rng(13)
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    da, db = info_nce_grad(a, b, 0.2, symmetric)
    assert relative_error(da, numerical_gradient(lambda v: info_nce(v, b, 0.2, symmetric), a)) < 1e-6
    assert relative_error(db, numerical_gradient(lambda v: info_nce(a, v, 0.2, symmetric), b)) < 1e-6
    assert np.allclose(np.sum(da * a, axis=1), 0, atol=1e-12)  # no radial component
