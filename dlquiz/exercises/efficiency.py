"""Exercises on efficiency and scale: int8 quantisation, training memory with ZeRO, LoRA parameter counts."""

from __future__ import annotations

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draws, short, vec
from dlquiz.reference import distributed as dist
from dlquiz.reference import lora
from dlquiz.reference import quantization as quant

__all__ = ["int8_quantize", "training_memory", "lora_params"]


def int8_quantize(rng) -> Exercise:
    """Symmetric absmax int8 quantisation of four weights: the scale, one code and its round-trip error."""
    while True:
        w = draws(rng, 4, -2, 2, 2)
        j = int(rng.integers(4))
        absmax = max(abs(v) for v in w)
        ratio = w[j] / (absmax / 127)
        frac = abs(ratio) % 1
        # not the absmax entry, and far from a rounding tie, so hand rounding is unambiguous
        if abs(w[j]) < absmax and 0.1 < frac < 0.9 and abs(frac - 0.5) > 0.1:
            break
    q, scale = quant.quantize_symmetric(np.array(w))
    code = int(q[j])
    restored = float(quant.dequantize(q, scale)[j])
    return Exercise(
        prompt=(
            f"Quantise the weights w = {vec(w)} to int8 with one symmetric absmax scale (codes in [−127, 127], "
            f"no zero point). Give the scale, the code of w_{j + 1} = {fmt(w[j])}, and the value it dequantises to."
        ),
        answer=(scale, code, restored),
        labels=("scale", f"q_{j + 1}", "dequantised"),
        hint="scale = max|w|/127, q = round(w/scale)",
        steps=steps(
            (f"scale = {fmt(absmax)}/127 = {short(scale)}", "the largest magnitude maps to ±127"),
            (
                f"q = round({fmt(w[j])}/{short(scale)}) = round({short(ratio)}) = {fmt(code)}",
                "round to the nearest integer",
            ),
            (
                f"{fmt(code)} × {short(scale)} = {short(restored)}, off by {short(abs(restored - w[j]))}",
                f"the error is never more than scale/2 = {short(scale / 2)}: the price of 8 bits",
            ),
        ),
        inputs={"w": w, "j": j + 1},
    )


def training_memory(rng) -> Exercise:
    """Model-state memory of mixed-precision Adam, in total and per GPU with a ZeRO stage."""
    billions = choice(rng, (1.3, 3.0, 7.0, 13.0, 30.0, 70.0))
    gpus = choice(rng, (8, 16, 32, 64))
    stage = choice(rng, (1, 2, 3))
    params = billions * 1e9
    total = dist.bytes_per_parameter("adam", mixed_precision=True)["total"] * params / 1e9
    per_gpu = dist.zero_memory_per_gpu(params, gpus, stage) / 1e9
    sharded = {1: "the optimizer states", 2: "the optimizer states and gradients", 3: "states, gradients and weights"}
    formula = {1: "4Ψ + 12Ψ/N", 2: "2Ψ + 14Ψ/N", 3: "16Ψ/N"}[stage]
    return Exercise(
        prompt=(
            f"A model with {fmt(billions)} B parameters is trained with Adam in mixed precision: fp16 weights and "
            "gradients (2 + 2 bytes), fp32 master weights, m and v (4 + 4 + 4 bytes). Ignoring activations, how "
            f"many GB (10⁹ bytes) do these take in all, and per GPU with ZeRO stage {stage} over {gpus} GPUs?"
        ),
        answer=(total, per_gpu),
        labels=("total GB", "GB per GPU"),
        hint=f"16 bytes per parameter; stage {stage} shards {sharded[stage]}",
        steps=steps(
            (f"16 × {fmt(billions)}e9 bytes = {short(total)} GB", "2 + 2 + 4 + 4 + 4 bytes per parameter"),
            (
                f"{formula} with Ψ = {fmt(billions)}e9, N = {gpus}: {short(per_gpu)} GB",
                f"stage {stage} splits {sharded[stage]} across the GPUs; the rest is replicated",
            ),
        ),
        inputs={"billions": billions, "gpus": gpus, "stage": stage},
    )


def lora_params(rng) -> Exercise:
    """Trainable parameters of a LoRA adapter and their share of the full matrix."""
    d_in = choice(rng, (768, 1024, 2048, 4096, 5120, 8192))
    d_out = choice(rng, (d_in, d_in, 4 * d_in, 11008 if d_in == 4096 else 3 * d_in))
    rank = choice(rng, (4, 8, 16, 32, 64))
    trainable, full = lora.lora_param_count(d_in, d_out, rank)
    percent = 100 * trainable / full
    return Exercise(
        prompt=(
            f"LoRA with rank r = {rank} adapts a frozen {d_in} × {d_out} weight matrix (in × out). How many "
            "parameters does the adapter train, and what percentage of the full matrix is that?"
        ),
        answer=(trainable, percent),
        labels=("trainable", "percent"),
        unit=None,
        hint="A is in × r, B is r × out",
        steps=steps(
            (
                f"r·(in + out) = {rank} × ({d_in} + {d_out}) = {trainable}",
                "two thin factors instead of the full matrix",
            ),
            (
                f"{trainable} / ({d_in} × {d_out}) = {trainable}/{full} = {short(percent)} %",
                "Adam's state for the adapter shrinks by the same factor",
            ),
        ),
        inputs={"r": rank, "d_in": d_in, "d_out": d_out},
    )
