"""Mixup, CutMix, gradient accumulation, data parallelism, ring all-reduce, memory accounting and
learning-rate schedules."""

import math

import numpy as np
import pytest

from dlquiz.reference.augmentation import cutmix, mixup
from dlquiz.reference.distributed import (
    accumulated_gradient,
    bytes_per_parameter,
    data_parallel_gradient,
    ring_all_reduce,
    zero_memory_per_gpu,
)
from dlquiz.reference.losses import cross_entropy
from dlquiz.reference.schedules import cosine_warm_restarts_lr, warmup_cosine_lr

# --- mixup and CutMix --------------------------------------------------------------------------


def test_mixup_mixes_inputs_and_targets_with_the_same_lambda():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(6, 3)), np.eye(4)[[0, 1, 2, 3, 0, 1]]
    xm, ym, lam, perm = mixup(x, y, 0.4, np.random.default_rng(1))
    ref = np.random.default_rng(1)
    assert lam == ref.beta(0.4, 0.4) and np.array_equal(perm, ref.permutation(6))
    assert np.allclose(xm, lam * x + (1 - lam) * x[perm]) and np.allclose(ym.sum(axis=1), 1)
    assert np.allclose(ym, lam * y + (1 - lam) * y[perm])


def test_mixup_loss_is_the_mix_of_the_two_losses():
    rng = np.random.default_rng(2)
    z, y = rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    _, ym, lam, perm = mixup(np.zeros((5, 1)), np.eye(4)[y], 1.0, rng)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    soft = -(ym * logp).sum(axis=1).mean()
    assert soft == pytest.approx(lam * cross_entropy(z, y) + (1 - lam) * cross_entropy(z, y[perm]))


def test_cutmix_label_weight_is_the_pasted_area():
    for seed in range(20):
        x = np.stack([np.zeros((1, 8, 10)), np.ones((1, 8, 10))])
        y = np.eye(2)
        xm, ym, lam, perm, (t, b, left, r) = cutmix(x, y, 1.0, np.random.default_rng(seed))
        for n in range(2):
            from_other = np.mean(xm[n] != x[n]) if perm[n] != n else (b - t) * (r - left) / 80
            assert 1 - lam == pytest.approx(from_other)
            assert ym[n] == pytest.approx(lam * y[n] + (1 - lam) * y[perm[n]])
        assert 0 <= t <= b <= 8 and 0 <= left <= r <= 10


# --- gradient accumulation and data parallelism ------------------------------------------------


def mse_grad(X, y):
    """Gradient of the mean squared error of a fixed linear model, written out here."""
    w = np.array([0.5, -1.0, 2.0])
    err = X @ w - y
    return {"w": 2 * X.T @ err / len(X), "b": np.array(2 * err.mean())}


def data(n=10, seed=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), rng.normal(size=n)


@pytest.mark.parametrize("micro", [1, 2, 3, 4, 10])
def test_accumulation_equals_the_full_batch_gradient(micro):
    X, y = data()
    full, acc = mse_grad(X, y), accumulated_gradient(mse_grad, X, y, micro)
    assert all(np.allclose(acc[k], full[k], rtol=1e-13, atol=1e-15) for k in full)


def test_accumulation_check_catches_the_missing_division_and_equal_weights():
    X, y = data()
    full = mse_grad(X, y)["w"]
    summed = sum(mse_grad(X[s : s + 4], y[s : s + 4])["w"] for s in (0, 4, 8))  # no 1/K
    averaged = summed / 3  # 1/K, but the last micro-batch holds 2 examples, not 4
    assert not np.allclose(summed, full) and not np.allclose(averaged, full)
    assert np.allclose(accumulated_gradient(mse_grad, X, y, 4)["w"], full)


def test_data_parallel_mean_equals_full_batch():
    X, y = data(12)
    full = mse_grad(X, y)
    for workers in (1, 2, 3, 4, 6):
        dp = data_parallel_gradient(mse_grad, X, y, workers)
        assert all(np.allclose(dp[k], full[k], rtol=1e-13) for k in full)
    with pytest.raises(ValueError):
        data_parallel_gradient(mse_grad, X, y, 5)


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 7])
def test_ring_all_reduce_sums_and_sends_2_w_minus_1_over_w(workers):
    rng = np.random.default_rng(workers)
    arrays = [rng.normal(size=(4, 7)) for _ in range(workers)]
    results, sent = ring_all_reduce(arrays)
    for r in results:
        assert np.allclose(r, sum(arrays))
    if 28 % workers == 0:
        assert sent == 2 * (workers - 1) * 28 // workers


def test_bytes_per_parameter():
    assert bytes_per_parameter("adam")["total"] == 16
    assert bytes_per_parameter("adam", mixed_precision=True)["total"] == 16
    assert bytes_per_parameter("sgd")["total"] == 8
    assert bytes_per_parameter("momentum")["total"] == 12
    assert bytes_per_parameter("adam", mixed_precision=True)["master"] == 4


def test_zero_stages_match_the_paper():
    gb = [zero_memory_per_gpu(7.5e9, 64, s) / 1e9 for s in range(4)]
    assert gb == pytest.approx([120, 31.40625, 16.640625, 1.875])
    assert zero_memory_per_gpu(1e9, 1, 3) == zero_memory_per_gpu(1e9, 1, 0)


# --- schedules ---------------------------------------------------------------------------------


def test_warmup_cosine_by_hand():
    lr = [warmup_cosine_lr(t, 1.0, 10, 110, min_lr=0.1) for t in (0, 5, 10, 60, 110, 200)]
    assert lr == pytest.approx([0.0, 0.5, 1.0, 0.55, 0.1, 0.1])
    curve = warmup_cosine_lr(np.arange(120), 3e-4, 10, 110)
    assert np.argmax(curve) == 10 and np.all(np.diff(curve[10:110]) < 0)


def hf_cosine_with_warmup(step, warmup, total):
    """Hugging Face's lambda for get_cosine_schedule_with_warmup, num_cycles = 0.5."""
    if step < warmup:
        return step / max(1, warmup)
    progress = (step - warmup) / max(1, total - warmup)
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 2 * 0.5 * progress)))


def test_warmup_cosine_equals_hugging_face():
    for t in range(0, 101, 7):  # up to T: past it Hugging Face's cosine rises again, ours stays at η_min
        assert warmup_cosine_lr(t, 2.0, 12, 100) == pytest.approx(2.0 * hf_cosine_with_warmup(t, 12, 100), abs=1e-15)


def torch_warm_restarts(step, t0, mult, eta_max, eta_min):
    """PyTorch's CosineAnnealingWarmRestarts at integer epochs, by walking the periods."""
    period, t = t0, step
    while t >= period:
        t -= period
        period *= mult
    return eta_min + (eta_max - eta_min) * (1 + math.cos(math.pi * t / period)) / 2


@pytest.mark.parametrize("mult", [1, 2, 3])
def test_warm_restarts_match_pytorch(mult):
    for step in range(200):
        assert cosine_warm_restarts_lr(step, 0.1, 5, mult, 0.001) == pytest.approx(
            torch_warm_restarts(step, 5, mult, 0.1, 0.001), rel=1e-12
        )
    assert cosine_warm_restarts_lr(5, 0.1, 5) == pytest.approx(0.1)  # back at the peak
