"""Every number quoted in questions/efficiency.yaml, recomputed from the reference code."""

import numpy as np
import pytest

from dlquiz.reference import decoder, distributed, kv_cache, lora, quantization, soft_targets

MIXTRAL = {"vocab": 32000, "d_model": 4096, "num_layers": 32, "num_heads": 32, "num_kv_heads": 8}
EXPERT_HIDDEN, EXPERTS, ACTIVE = 14336, 8, 2


def minus(s: str) -> str:
    return s.replace("-", "−")


def test_int8_example(text):
    w = np.array([0.5, -1.27, 0.004, 1.0])
    q, scale = quantization.quantize_symmetric(w)
    assert scale == pytest.approx(0.01)
    t = text("model-compression")
    codes = minus(str([int(c) for c in q]))
    assert f"weights (0.5, −1.27, 0.004, 1.0) give scale {scale:g} and codes {codes}" in t
    assert np.all(np.abs(quantization.dequantize(q, scale) - w) <= scale / 2 + 1e-12)
    assert f"{32 // 8}× smaller than fp32" in t


def test_per_channel_scales_in_the_demo(text):
    # the demo efficiency.int8_quantization: a (64, 4) weight, one outlier in column 0, seed 0
    w = np.random.default_rng(0).standard_normal((64, 4)) * 0.05
    w[0, 0] = 50.0 * 0.05
    errors = []
    for axis in (None, 1):
        q, scale = quantization.quantize_symmetric(w, axis=axis)
        errors.append(np.abs(quantization.dequantize(q, scale) - w)[:, 1:].mean())
    ratio = errors[0] / errors[1]
    assert f"make the error of the outlier-free columns {ratio:.0f}× smaller" in text("model-compression")


def test_magnitude_pruning_removes_the_smallest_weights():
    w = np.array([[0.3, -0.01, 2.0], [-0.5, 0.02, -1.0]])
    pruned, mask = quantization.magnitude_prune(w, 0.5)
    assert np.array_equal(mask, [[0, 0, 1], [1, 0, 1]])  # 0.01, 0.02 and 0.3 go
    assert np.array_equal(pruned, w * mask)


def test_t_squared_restores_the_soft_target_gradient_scale():
    r = np.random.default_rng(1)
    teacher = r.standard_normal((4, 10))
    teacher -= teacher.mean(axis=1, keepdims=True)
    student = teacher + 0.3 * r.standard_normal((4, 10))
    student -= student.mean(axis=1, keepdims=True)
    size = {T: np.abs(soft_targets.distillation_loss_grad(student, teacher, T)).max() for T in (10.0, 20.0, 40.0)}
    assert size[10.0] == pytest.approx(size[40.0], rel=0.02)  # with T²: about independent of T
    assert (size[10.0] / 10**2) / (size[20.0] / 20**2) == pytest.approx(4, rel=0.02)  # without: ∝ 1/T²


def test_lora_counts_and_memory(text):
    t = text("lora-peft")
    trainable, full = lora.lora_param_count(4096, 4096, 8)
    assert (trainable, full) == (8 * (4096 + 4096), 4096 * 4096)
    assert f"r = 8, {trainable:,} instead of {full:,} ({trainable / full:.2%})".replace("%", " %") in t
    assert f"8·8192 = {trainable:,} of {full:,}, {trainable / full:.2%}".replace("%", " %") in t
    assert trainable / full == 2 * 8 / 4096
    assert f"{trainable / full:.2%} of a 4096 × 4096 matrix at r = 8".replace("%", " %") in t
    adam = distributed.bytes_per_parameter("adam", mixed_precision=True)["total"]
    full_ft = 7e9 * adam
    assert f"mixed-precision Adam (16 bytes per parameter, activations excluded) takes {full_ft / 1e9:g} GB" in t
    # frozen bf16 weights plus gradients and Adam state for 4 M trainable numbers (with or without an fp32
    # copy of the adapter itself): just over 14 GB, nearly all of it the frozen weights
    adapter = lora.finetune_memory_bytes(7e9, 4e6)
    with_fp32_adapter = lora.finetune_memory_bytes(7e9, 0)["total"] + 4e6 * adam
    assert 14e9 < adapter["total"] < with_fp32_adapter < 14.1e9
    assert adapter["weights"] / with_fp32_adapter > 0.99
    assert "with 4 M LoRA parameters, just over 14 GB, nearly all of it the frozen bf16 weights" in t
    qlora = lora.finetune_memory_bytes(7e9, 4e6, weight_bytes=0.5)["weights"]
    assert f"4-bit NF4 ({qlora / 1e9:g} GB for 7 B parameters, plus small scales)" in t
    base_65b = lora.finetune_memory_bytes(65e9, 0, weight_bytes=0.5)["weights"]
    assert base_65b / 1e9 == 32.5 < 48  # the 4-bit base leaves room on a 48 GB GPU; in bf16 it would take 130 GB
    assert lora.finetune_memory_bytes(65e9, 0)["weights"] / 1e9 == 130 > 48
    assert "it fine-tuned a 65 B model on one 48 GB GPU" in t


def test_lora_starts_at_the_pretrained_model_and_only_b_moves_first():
    r = np.random.default_rng(2)
    x, W, b = r.standard_normal((5, 12)), r.standard_normal((12, 7)), r.standard_normal(7)
    A, B = lora.lora_init(12, 7, 4, r)
    assert np.all(B == 0) and np.any(A != 0)
    assert np.array_equal(lora.lora_forward(x, W, b, A, B, 8.0), x @ W + b)
    _, dA, dB = lora.lora_backward(r.standard_normal((5, 7)), x, W, A, B, 8.0)
    assert np.all(dA == 0) and np.any(dB != 0)
    _, dA0, dB0 = lora.lora_backward(r.standard_normal((5, 7)), x, W, np.zeros_like(A), B, 8.0)
    assert np.all(dA0 == 0) and np.all(dB0 == 0)  # both zero: neither would ever learn
    B = r.standard_normal(B.shape)
    assert np.allclose(x @ lora.lora_merge(W, A, B, 8.0) + b, lora.lora_forward(x, W, b, A, B, 8.0))


def test_mixtral_parameter_counts(text):
    t = text("mixture-of-experts")
    d = MIXTRAL["d_model"]
    attention = kv_cache.attention_param_count(d, 32, 8)
    assert attention == 2 * d * d + 2 * d * 1024
    assert f"2·4096² + 2·4096·1024 = {attention:,}" in t
    expert = decoder.ffn_param_count(d, EXPERT_HIDDEN, gated=True)
    router = d * EXPERTS
    assert f"3·4096·14,336 = {expert:,}; router 4096·8 = {router:,}" in t
    norms = 2 * d
    per_layer_all = attention + EXPERTS * expert + router + norms
    per_layer_active = attention + ACTIVE * expert + router + norms
    assert f"all 8 experts {per_layer_all:,}; 2 active {per_layer_active:,}" in t
    total = decoder.decoder_param_count(**MIXTRAL, hidden=EXPERTS * EXPERT_HIDDEN) + MIXTRAL["num_layers"] * router
    active = decoder.decoder_param_count(**MIXTRAL, hidden=ACTIVE * EXPERT_HIDDEN) + MIXTRAL["num_layers"] * router
    assert total == MIXTRAL["num_layers"] * per_layer_all + d + 2 * MIXTRAL["vocab"] * d
    assert f"{total / 1e9:.1f} B total, {active / 1e9:.1f} B active" in t
    assert f"Mixtral 8x7B has {total / 1e9:.1f} B parameters, but each token uses about {active / 1e9:.1f} B" in t
    assert f"Mixtral 8x7B: {total / 1e9:.1f} B parameters, about {active / 1e9:.1f} B active per token" in t
    assert f"an MoE with {total / 1e9:.1f} B parameters needs only as much memory as its {active / 1e9:.1f} B" in t
    assert f"memory for {total / 1e9:.1f} B parameters, not {active / 1e9:.1f} B" in t
    naive = EXPERTS * 7  # what the name "8x7B" suggests
    one_expert = decoder.decoder_param_count(**MIXTRAL, hidden=EXPERT_HIDDEN) + MIXTRAL["num_layers"] * router
    assert round(one_expert / 1e9) == 7  # the "7B": one expert per layer plus everything shared
    # only the feed-forward blocks are replicated: 7 more experts per layer, nothing else
    assert total == one_expert + (EXPERTS - 1) * MIXTRAL["num_layers"] * expert
    assert f"Mixtral 8x7B has 8 × 7 = {naive} B parameters." in t
    assert f"attention, norms and embeddings are shared, so it has {total / 1e9:.1f} B." in t
