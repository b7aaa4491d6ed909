"""Demos of efficiency and scale: int8 quantisation, fp16 vs bf16, training memory with ZeRO, LoRA's savings."""

from __future__ import annotations

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Table
from dlquiz.demos._util import in_range, num, rng
from dlquiz.reference import distributed as dist
from dlquiz.reference import lora
from dlquiz.reference import quantization as quant

__all__ = ["int8_quantization", "fp16_vs_bf16", "training_memory", "lora_savings"]


def int8_quantization(*, bits: int = 8, outlier: float = 50.0, seed: int = 0) -> DemoResult:
    """Symmetric absmax quantisation of a (64, 4) weight whose first output column has one outlier."""
    in_range("bits", bits, 2, 16)
    in_range("outlier", outlier, 0.0, 1e6)
    r = rng(seed)
    w = r.standard_normal((64, 4)) * 0.05
    w[0, 0] = outlier * 0.05
    rows: list[list[Cell]] = []
    mean_errors: list[float] = []
    ratios: list[float] = []
    for name, axis in (("per tensor", None), ("per channel", 1)):
        q, scale = quant.quantize_symmetric(w, bits=bits, axis=axis)
        err = np.abs(quant.dequantize(q, scale) - w)
        worst_ratio = num(np.max(err / (np.broadcast_to(scale, w.shape) / 2)))
        mean_errors.append(num(err[:, 1:].mean()))
        ratios.append(worst_ratio)
        rows.append([name, num(np.max(scale)), mean_errors[-1], num(err.max()), worst_ratio])
    q_max = 2 ** (bits - 1) - 1
    return DemoResult(
        title="Integer quantisation: per tensor vs per channel",
        summary="scale = max|w|/q_max, q = round(w/scale): one outlier coarsens every weight sharing its scale.",
        code=["quantization.quantize_symmetric", "quantization.dequantize"],
        inputs={"w": "(64, 4), N(0, 0.05²)", "w[0, 0]": "outlier × 0.05", "range": f"[−{q_max}, {q_max}]"},
        tables=[
            Table(
                f"int{bits} round trip",
                ["scales", "largest scale", "mean err, cols 1–3", "max err", "max err ÷ (scale/2)"],
                rows,
            )
        ],
        notes=[
            f"Per-channel scales cut the error of the outlier-free columns {mean_errors[0] / mean_errors[1]:.3g}×; "
            f"no error exceeds scale/2 (ratio ≤ {max(ratios):.3g}).",
            f"int{bits} stores {32 / bits:g}× less than fp32, plus one scale per tensor or per column.",
        ],
    )


def fp16_vs_bf16(*, loss_scale: float = 65536.0, seed: int = 0) -> DemoResult:
    """Round a few telling numbers to fp16 and bf16, then count how many small gradients vanish in fp16."""
    in_range("loss_scale", loss_scale, 1.0, 2.0**40)
    values = [1 / 3, 1 + 2**-9, 1000.7, 70000.0, 1e-6, 1e-9, 1e-30]
    third_fp16, third_bf16 = num(quant.round_to_fp16(1 / 3)), num(quant.round_to_bf16(1 / 3))
    rows: list[list[Cell]] = [[f"{v:.6g}", num(quant.round_to_fp16(v)), num(quant.round_to_bf16(v))] for v in values]
    formats = [
        ["fp32", quant.float_format(8, 23)],
        ["fp16", quant.float_format(5, 10)],
        ["bf16", quant.float_format(8, 7)],
    ]
    fmt_rows = [[name, f["max"], f["min_subnormal"], f["eps"]] for name, f in formats]
    r = rng(seed)
    grads = 10.0 ** r.uniform(-10, -2, size=10000)  # magnitudes spread over eight decades
    lost = num(np.mean(quant.round_to_fp16(grads) == 0))
    lost_scaled = num(np.mean(quant.round_to_fp16(grads * loss_scale) == 0))
    overflow = num(np.mean(np.isinf(quant.round_to_fp16(grads * loss_scale))))
    lost_bf16 = num(np.mean(quant.round_to_bf16(grads) == 0))
    return DemoResult(
        title="fp16 vs bf16: range vs precision",
        summary="fp16 has 10 mantissa bits but a 5-bit exponent; bf16 keeps fp32's 8-bit exponent, 7 mantissa bits.",
        code=["quantization.round_to_fp16", "quantization.round_to_bf16", "quantization.float_format"],
        inputs={"gradients": "10,000 magnitudes, log-uniform in [1e−10, 1e−2]"},
        tables=[
            Table("Formats", ["format", "largest", "smallest > 0", "eps (above 1)"], fmt_rows),
            Table("Rounded", ["x", "fp16", "bf16"], rows),
            Table(
                "Gradients that become 0",
                ["format", "fraction lost"],
                [
                    ["fp16", lost],
                    [f"fp16 after ×{loss_scale:g}", lost_scaled],
                    ["bf16", lost_bf16],
                ],
            ),
        ],
        notes=[
            f"fp16 flushes {lost:.1%} of these gradients to 0; scaled by {loss_scale:g} it loses {lost_scaled:.1%} "
            f"and overflows {overflow:.1%}; bf16 loses {lost_bf16:.1%} without any scaling.",
            f"1/3 in fp16 is off by {abs(third_fp16 - 1 / 3):.2g}, in bf16 by {abs(third_bf16 - 1 / 3):.2g}.",
        ],
    )


def training_memory(*, billions: float = 7.0, gpus: int = 64) -> DemoResult:
    """Bytes for weights, gradients and optimizer state of a model (activations excluded), and ZeRO's sharding."""
    in_range("billions", billions, 0.001, 10000.0)
    in_range("gpus", gpus, 1, 100000)
    params = billions * 1e9
    rows = []
    for label, opt, mixed in (
        ("SGD, fp32", "sgd", False),
        ("momentum, fp32", "momentum", False),
        ("Adam, fp32", "adam", False),
        ("Adam, mixed", "adam", True),
    ):
        b = dist.bytes_per_parameter(opt, mixed)
        rows.append(
            [label, b["weights"] + b["master"], b["gradients"], b["optimizer"], b["total"], b["total"] * params / 1e9]
        )
    zero = [[f"stage {s}", dist.zero_memory_per_gpu(params, gpus, s) / 1e9] for s in range(4)]
    return DemoResult(
        title="Training memory: optimizer state dominates",
        summary="Bytes per parameter for weights, gradients and optimizer state; ZeRO shards them over GPUs.",
        code=["distributed.bytes_per_parameter", "distributed.zero_memory_per_gpu"],
        inputs={"activations": "not counted (they depend on batch and sequence length)"},
        tables=[
            Table(
                f"{billions:g} B parameters",
                ["optimizer", "weights", "grads", "state", "bytes/param", "total GB"],
                rows,
            ),
            Table(f"Mixed-precision Adam per GPU, {gpus} GPUs", ["ZeRO", "GB per GPU"], zero),
        ],
        notes=[
            f"Adam costs {rows[2][4]} bytes per parameter, twice plain SGD's {rows[0][4]}: {rows[2][5]:.4g} GB here.",
            f"Sharding everything (stage 3) leaves {zero[3][1]:.3g} GB per GPU instead of {zero[0][1]:.4g} GB.",
        ],
    )


def lora_savings(*, d: int = 4096, alpha: float = 16.0, seed: int = 0) -> DemoResult:
    """LoRA on a d × d projection: trainable parameters by rank, and the checks that make it safe to use."""
    in_range("d", d, 8, 65536)
    rows = []
    for rank in (1, 4, 8, 16, 64):
        trainable, full = lora.lora_param_count(d, d, rank)
        rows.append([rank, trainable, full, trainable / full])
    r = rng(seed)
    small = 16
    x, W, b = r.standard_normal((3, small)), r.standard_normal((small, small)), r.standard_normal(small)
    A, B = lora.lora_init(small, small, 4, r)
    at_init = num(np.max(np.abs(lora.lora_forward(x, W, b, A, B, alpha) - (x @ W + b))))
    B = r.standard_normal(B.shape)  # as if trained
    merged = num(np.max(np.abs(x @ lora.lora_merge(W, A, B, alpha) + b - lora.lora_forward(x, W, b, A, B, alpha))))
    mem_full = lora.finetune_memory_bytes(7e9, 7e9)["total"] / 1e9
    mem_lora = lora.finetune_memory_bytes(7e9, 4e6)["total"] / 1e9
    return DemoResult(
        title="LoRA: train a low-rank update, freeze the rest",
        summary="y = x·W + (α/r)·(x·A)·B with B = 0 at start: r·(in + out) trainable numbers instead of in·out.",
        code=[
            "lora.lora_param_count",
            "lora.lora_init",
            "lora.lora_forward",
            "lora.lora_merge",
            "lora.finetune_memory_bytes",
        ],
        inputs={"checks on": "a 16 × 16 layer, r = 4"},
        tables=[
            Table(f"A {d} × {d} projection", ["rank r", "LoRA", "full", "fraction"], rows),
            Table(
                "Checks",
                ["quantity", "value"],
                [
                    ["max |LoRA − base| at init (B = 0)", at_init],
                    ["max |merged W′ − LoRA| after training", merged],
                    ["7 B model, full fine-tune, GB", mem_full],
                    ["7 B model, 4 M LoRA params, GB", mem_lora],
                ],
            ),
        ],
        notes=[
            f"At r = 8, LoRA trains {rows[2][3]:.2%} of the matrix; Adam state shrinks by the same factor.",
            f"Weights, gradients and Adam state: {mem_full:.4g} GB full vs {mem_lora:.4g} GB with LoRA (bf16 weights).",
        ],
    )
