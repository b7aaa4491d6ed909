"""Every number quoted in questions/training-at-scale.yaml, recomputed from the reference code."""

import numpy as np
import pytest

from dlquiz.reference import distributed, optimizers, quantization


def sci(x: float, digits: int = 1) -> str:
    """6.103e-05 -> '6.1e-5', the way the bank writes small numbers."""
    mantissa, exponent = f"{x:.{digits}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def mse_grad(X, y):
    """Gradient of the mean squared error of a linear model with w = 1 (a fixed test point)."""
    w = np.ones(X.shape[1])
    return {"w": 2 * X.T @ (X @ w - y) / len(X)}


def test_ring_all_reduce_sends_two_w_minus_one_over_w(text):
    workers, size = 8, 800
    r = np.random.default_rng(0)
    arrays = [r.standard_normal(size) for _ in range(workers)]
    results, sent = distributed.ring_all_reduce(arrays)
    assert all(np.allclose(res, np.sum(arrays, axis=0)) for res in results)
    assert sent / size == 2 * (workers - 1) / workers
    assert f"2(W − 1)/W times the gradient's size ({sent / size:g}× for W = 8)" in text("distributed-training-basics")


def test_data_parallel_average_is_the_full_batch_gradient():
    r = np.random.default_rng(1)
    X, y = r.standard_normal((32, 3)), r.standard_normal(32)
    assert np.allclose(distributed.data_parallel_gradient(mse_grad, X, y, 4)["w"], mse_grad(X, y)["w"])


def test_zero_memory_per_gpu(text):
    t = text("distributed-training-basics")
    gb = [distributed.zero_memory_per_gpu(7.5e9, 64, stage) / 1e9 for stage in range(4)]
    shown = f"{gb[0]:g}, {gb[1]:.1f}, {gb[2]:.1f} and {gb[3]:g} GB per GPU"
    assert shown in t
    assert f"Ψ = 7.5e9, N = 64: {gb[0]:g}, {gb[1]:.1f}, {gb[2]:.1f}, {gb[3]:g} GB" in t
    assert distributed.bytes_per_parameter("adam", mixed_precision=True)["total"] == 16
    assert "replicates 16 bytes per parameter for mixed-precision Adam" in t
    assert f"cuts per-GPU model state {gb[0] / gb[3]:.0f}×" in t
    psi, n = 3e9, 16  # the stage formulas of the derivation
    assert distributed.zero_memory_per_gpu(psi, n, 1) == pytest.approx(4 * psi + 12 * psi / n)
    assert distributed.zero_memory_per_gpu(psi, n, 2) == pytest.approx(2 * psi + 14 * psi / n)
    assert distributed.zero_memory_per_gpu(psi, n, 3) == pytest.approx(16 * psi / n)


def gpipe_idle_fraction(stages: int, micro_batches: int) -> float:
    """Idle share of a GPipe forward sweep, counted slot by slot: stage s runs micro-batch t − s at time t."""
    slots = micro_batches + stages - 1  # the last micro-batch leaves the last stage at this time
    busy = sum(1 for t in range(slots) for s in range(stages) if 0 <= t - s < micro_batches)
    return 1 - busy / (stages * slots)


def test_pipeline_bubble(text):
    for p, m in ((4, 8), (8, 32), (2, 1)):
        assert gpipe_idle_fraction(p, m) == pytest.approx((p - 1) / (m + p - 1))
    assert gpipe_idle_fraction(1, 5) == 0  # one stage: no bubble
    assert '"bubble", (p − 1)/(m + p − 1) of the time' in text("distributed-training-basics")


def test_float_formats(text):
    t = text("mixed-precision-training")
    fp16, bf16 = quantization.float_format(5, 10), quantization.float_format(8, 7)
    assert fp16["max"] == 65504 and f"largest {fp16['max']:,.0f}, smallest normal {sci(fp16['min_normal'])}" in t
    assert f"(subnormals down to {sci(fp16['min_subnormal'])})" in t
    assert fp16["eps"] == 2**-10 and f"spacing above 1 of 2⁻¹⁰ ≈ {fp16['eps']:.2g}" in t
    assert f"(largest ≈ {sci(bf16['max'], 2)})" in t and f"spacing 2⁻⁷ ≈ {bf16['eps']:.2g}" in t
    assert f"largest (2 − 2⁻¹⁰)·2¹⁵ = {fp16['max']:,.0f}, smallest normal 2⁻¹⁴ ≈ {sci(fp16['min_normal'])}" in t
    assert f"largest (2 − 2⁻⁷)·2¹²⁷ ≈ {sci(bf16['max'], 2)}" in t
    assert f"bf16 is {bf16['eps'] / fp16['eps']:.0f}× coarser than fp16" in t
    assert f"spacing above 1: fp16 2⁻¹⁰ ≈ {fp16['eps']:.2g}, bf16 2⁻⁷ ≈ {bf16['eps']:.2g}" in t
    assert f"fp16: 5 exponent bits, max {fp16['max']:,.0f}, ε = 2⁻¹⁰; bf16: 8 exponent bits, fp32's range, ε = 2⁻⁷" in t
    assert "bf16 has fewer mantissa bits (7 vs 10)" in t
    assert distributed.bytes_per_parameter("adam", mixed_precision=True)["total"] == 16
    assert "mixed-precision Adam still needs 16 bytes per parameter" in t
    assert "Adam still costs 16 bytes per parameter" in t
    assert quantization.float_format(8, 23)["max"] == pytest.approx(bf16["max"], rel=0.01)  # fp32's range
    # the formats really are what the rounding functions do
    assert quantization.round_to_fp16(70000.0) == np.inf and quantization.round_to_bf16(70000.0) < np.inf
    assert quantization.round_to_fp16(1 + 2**-10) == 1 + 2**-10 and quantization.round_to_bf16(1 + 2**-7) == 1 + 2**-7


def test_small_updates_vanish_in_bf16(text):
    assert quantization.round_to_bf16(1 + 0.001) == 1.0
    half_gap = quantization.float_format(8, 7)["eps"] / 2  # spacing 2⁻⁷ above 1
    assert quantization.round_to_bf16(1 + 0.99 * half_gap) == 1.0  # below half the gap: lost
    assert quantization.round_to_bf16(1 + 1.01 * half_gap) == 1 + 2 * half_gap  # above: rounds up a whole step
    t = text("mixed-precision-training")
    assert "an update η·g below half the gap between neighbouring 16-bit numbers near w is lost" in t
    assert "in bf16, 1 + 0.001 rounds back to 1" in t
    digits = np.log10(2.0 ** (7 + 1))  # 7 stored mantissa bits plus the implicit leading 1
    assert 2 < digits < 3 and "two to three significant digits" in t


def test_loss_scaling_rescues_underflowing_gradients(text):
    # the demo efficiency.fp16_vs_bf16: 10,000 magnitudes log-uniform in [1e-10, 1e-2], seed 0
    grads = 10.0 ** np.random.default_rng(0).uniform(-10, -2, size=10000)
    lost = np.mean(quantization.round_to_fp16(grads) == 0)
    assert np.mean(quantization.round_to_fp16(grads * 65536) == 0) == 0
    assert np.mean(quantization.round_to_bf16(grads) == 0) == 0
    t = text("mixed-precision-training")
    assert f"{lost:.1%} of gradients".replace("%", " %") in t
    assert "none do once the loss is multiplied by 65,536" in t and 2**16 == 65536


def test_grad_scaler_rule(text):
    assert quantization.update_loss_scale(65536.0, True, 123) == (32768.0, 0)
    scale, count = 65536.0, 0
    for _ in range(2000):
        scale, count = quantization.update_loss_scale(scale, False, count)
    assert (scale, count) == (131072.0, 0)
    assert "GradScaler: halve and skip on inf/NaN, double after 2,000 clean steps" in text("mixed-precision-training")
    assert (
        "it starts at 2¹⁶, halves it and skips the step when a gradient is inf or NaN, and doubles it after 2,000"
        in text("mixed-precision-training")
    )


def test_accumulated_gradient_weights(text):
    r = np.random.default_rng(2)
    X, y = r.standard_normal((10, 3)), r.standard_normal(10)
    assert np.allclose(distributed.accumulated_gradient(mse_grad, X, y, 4)["w"], mse_grad(X, y)["w"])
    weights = [len(range(start, min(start + 4, 10))) / 10 for start in range(0, 10, 4)]
    assert weights == [0.4, 0.4, 0.2]
    assert "with 10 examples in micro-batches of 4, 4 and 2 the weights are 0.4, 0.4 and 0.2, not 1/3 each" in text(
        "gradient-accumulation-checkpointing"
    )
    # forgetting the 1/K: the summed gradient of K equal micro-batches is K times the full one
    total = sum(mse_grad(X[i : i + 5], y[i : i + 5])["w"] for i in (0, 5))
    assert np.allclose(total, 2 * mse_grad(X, y)["w"])
    unequal = np.mean([mse_grad(X[s : s + 4], y[s : s + 4])["w"] for s in (0, 4, 8)], axis=0)
    assert not np.allclose(unequal, mse_grad(X, y)["w"])  # 1/K is wrong when the last batch is smaller


def test_per_token_mean_weights_micro_batches_by_tokens(text):
    # two micro-batches of two sequences each, with 3 + 5 and 1 + 1 tokens: a per-token mean loss
    r = np.random.default_rng(3)
    lengths = [[3, 5], [1, 1]]
    token_losses = [[r.standard_normal(n) for n in batch] for batch in lengths]
    full = np.mean(np.concatenate([t for batch in token_losses for t in batch]))
    micro = [np.mean(np.concatenate(batch)) for batch in token_losses]  # each micro-batch's per-token mean
    tokens = [sum(batch) for batch in lengths]
    by_tokens = sum(n / sum(tokens) * m for n, m in zip(tokens, micro, strict=True))
    by_sequences = sum(len(batch) / 4 * m for batch, m in zip(lengths, micro, strict=True))
    assert by_tokens == pytest.approx(full) and by_sequences != pytest.approx(full)
    assert "(for a per-token mean, nₖ counts tokens, not sequences)" in text("gradient-accumulation-checkpointing")


def test_forgetting_one_over_k_scales_sgd_steps_but_hardly_adams(text):
    K, r = 4, np.random.default_rng(4)
    grads = [r.standard_normal(6) * 1e-2 for _ in range(5)]
    end = {}
    for name, make in (("sgd", lambda: optimizers.SGD(lr=0.1)), ("adam", lambda: optimizers.Adam(lr=1e-3))):
        for scale in (1, K):
            params, opt = {"w": np.zeros(6)}, make()
            for g in grads:
                opt.step(params, {"w": scale * g})
            end[name, scale] = params["w"]
    assert np.allclose(end["sgd", K], K * end["sgd", 1])
    assert np.allclose(end["adam", K], end["adam", 1], rtol=1e-3)  # only ε tells them apart
    assert "a K× larger step with SGD; Adam divides by the gradient's scale, so its step hardly changes" in text(
        "gradient-accumulation-checkpointing"
    )


def test_checkpointing_memory_and_compute(text):
    n = 100
    held = {segment: n // segment + segment for segment in range(1, n + 1) if n % segment == 0}
    best = min(held, key=held.__getitem__)
    assert best == 10 == int(np.sqrt(n)) and held[best] == 20
    t = text("gradient-accumulation-checkpointing")
    assert f"{held[best]} instead of {n} for n = {n}" in t
    forward, backward = 1, 2
    assert (2 * forward + backward) / (forward + backward) == pytest.approx(4 / 3)
    assert "about a third more compute when backward costs twice the forward" in t
