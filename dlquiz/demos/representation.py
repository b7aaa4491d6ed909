"""Demos of representation learning and soft targets: embedding gradients, InfoNCE's temperature,
diffusion noise schedules, distillation temperature, label smoothing."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import in_range, matrix_text, num, rng, series
from dlquiz.reference import contrastive, diffusion, embedding, soft_targets

__all__ = [
    "embedding_gradients",
    "infonce_temperature",
    "diffusion_schedules",
    "distillation_temperature",
    "label_smoothing_targets",
]

VOCAB = ["<pad>", "the", "cat", "sat", "on", "mat"]


def embedding_gradients(*, dim: int = 3, seed: int = 0) -> DemoResult:
    """Embed "the cat sat on the mat": a lookup equals one-hot × W, and "the" (used twice) gets two gradients summed."""
    in_range("dim", dim, 1, 16)
    r = rng(seed)
    W = np.round(r.standard_normal((len(VOCAB), dim)), 2)
    ids = np.array([1, 2, 3, 4, 1, 5])
    out = embedding.embedding_forward(ids, W)
    one_hot = np.eye(len(VOCAB))[ids]
    dout = np.round(r.standard_normal(out.shape), 2)
    dW = embedding.embedding_backward(dout, ids, len(VOCAB))
    rows: list[list[Cell]] = [[word, int((ids == v).sum()), matrix_text(dW[v], 2)] for v, word in enumerate(VOCAB)]
    the = dW[1]
    return DemoResult(
        title="Embedding layer: lookup forward, scatter-add backward",
        summary="out[t] = W[id_t] = onehot(id_t)·W; ∂L/∂W = onehotᵀ·dout: only used rows get gradient, repeats add up.",
        code=["embedding.embedding_forward", "embedding.embedding_backward"],
        inputs={"sentence": "the cat sat on the mat", "ids": "1 2 3 4 1 5", "W": f"({len(VOCAB)}, {dim}) random"},
        tables=[
            Table("Gradient per row of W", ["word", "uses", "∂L/∂W[row]"], rows),
            Table(
                "Checks",
                ["quantity", "value"],
                [
                    ["max |lookup − onehot·W|", num(np.max(np.abs(out - one_hot @ W)))],
                    ["max |dW − onehotᵀ·dout|", num(np.max(np.abs(dW - one_hot.T @ dout)))],
                    ["∂L/∂W[the] − (dout[0] + dout[4])", matrix_text(the - dout[0] - dout[4], 6)],
                ],
            ),
        ],
        notes=[
            f"{int((np.abs(dW).sum(axis=1) == 0).sum())} of {len(VOCAB)} rows (unused words) get exactly zero "
            "gradient.",
        ],
    )


def infonce_temperature(*, batch: int = 8, dim: int = 16, seed: int = 0) -> DemoResult:
    """InfoNCE on noisy positive pairs: the loss, and the weight the hardest negative gets, as τ varies."""
    in_range("batch", batch, 2, 256)
    in_range("dim", dim, 2, 512)
    r = rng(seed)
    z1 = r.standard_normal((batch, dim))
    z2 = z1 + 0.8 * r.standard_normal((batch, dim))
    u = z1 / np.linalg.norm(z1, axis=1, keepdims=True)
    v = z2 / np.linalg.norm(z2, axis=1, keepdims=True)
    rows = []
    for tau in (1.0, 0.5, 0.1, 0.05):
        loss = contrastive.info_nce(z1, z2, tau)
        s = u @ v.T / tau
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        negatives = np.where(np.eye(batch, dtype=bool), 0.0, p)
        hardest_share = num(np.mean(negatives.max(axis=1) / negatives.sum(axis=1)))
        rows.append([tau, loss, num(np.mean(np.diag(p))), hardest_share])
    grads = contrastive.info_nce_grad(z1, z2, 0.1)
    radial = num(np.max(np.abs(np.sum(grads[0] * z1, axis=1))))
    return DemoResult(
        title="InfoNCE: a softmax over similarities ÷ τ",
        summary="Each z must pick its partner z′ in the batch: cross-entropy over cos(zᵢ, z′ⱼ)/τ, label = diagonal.",
        code=["contrastive.info_nce", "contrastive.info_nce_grad"],
        inputs={"pairs": "z′ = z + 0.8·noise", "chance level": f"log {batch} = {math.log(batch):.3f}"},
        tables=[
            Table(
                "Temperature",
                ["τ", "loss", "mean p(positive)", "hardest negative's share"],
                rows,
            ),
            Table("Check", ["quantity", "value"], [["max |∂L/∂z · z| (no radial part)", radial]]),
        ],
        notes=[
            f"From τ = 1 to τ = 0.05 the hardest negative's share of the negatives' weight goes "
            f"from {rows[0][3]:.2f} to {rows[-1][3]:.2f}: low τ focuses on hard negatives.",
        ],
    )


def diffusion_schedules(*, steps: int = 1000) -> DemoResult:
    """ᾱₜ, the signal left in xₜ = √ᾱₜ·x₀ + √(1 − ᾱₜ)·ε, under DDPM's linear schedule and the cosine schedule."""
    in_range("steps", steps, 10, 10000)
    lin = diffusion.alpha_bar(diffusion.linear_beta_schedule(steps))
    cos = diffusion.alpha_bar(diffusion.cosine_beta_schedule(steps))
    fractions = (0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
    rows: list[list[Cell]] = []
    for f in fractions:
        t = max(1, int(round(f * steps)))
        rows.append([t, num(lin[t - 1]), num(cos[t - 1]), num(math.sqrt(lin[t - 1])), num(math.sqrt(1 - lin[t - 1]))])
    x0, eps = np.array([1.0]), np.array([0.5])
    mid = steps // 2
    noisy = num(diffusion.q_sample(x0, mid, eps, diffusion.linear_beta_schedule(steps))[0])
    ts = np.arange(1, steps + 1)
    return DemoResult(
        title="Diffusion: how fast the signal is destroyed",
        summary="Training noises x₀ to a random step t in one jump and regresses the added ε; the schedule sets ᾱₜ.",
        code=[
            "diffusion.alpha_bar",
            "diffusion.linear_beta_schedule",
            "diffusion.cosine_beta_schedule",
            "diffusion.q_sample",
        ],
        inputs={"linear": "β from 1e−4 to 0.02", "cosine": "s = 0.008"},
        tables=[
            Table("ᾱₜ at a few steps", ["t", "linear ᾱ", "cosine ᾱ", "√ᾱ (lin)", "√(1−ᾱ) (lin)"], rows),
            Table(
                "One jump",
                ["quantity", "value"],
                [[f"x_{mid} for x₀ = 1, ε = 0.5 (linear)", noisy]],
            ),
        ],
        plots=[Plot("ᾱₜ", {"linear": series(ts, lin), "cosine": series(ts, cos)}, xlabel="t")],
        notes=[
            f"Halfway the linear schedule keeps ᾱ = {rows[2][1]:.3g} of the signal, the cosine {rows[2][2]:.3g}: "
            "the cosine schedule spends fewer steps on near-pure noise.",
        ],
    )


def distillation_temperature(*, seed: int = 0) -> DemoResult:
    """A teacher's logits softened at T = 1, 2, 5, 20; the distillation gradient with and without the T² factor."""
    r = rng(seed)
    teacher = np.array([[6.0, 3.0, 2.0, -1.0, -2.0]])
    student = teacher + r.standard_normal(teacher.shape)
    rows: list[list[Cell]] = []
    top: list[float] = []
    for temp in (1.0, 2.0, 5.0, 20.0):
        p = np.exp(teacher / temp) / np.exp(teacher / temp).sum()
        g = soft_targets.distillation_loss_grad(student, teacher, temp)
        top.append(num(p[0, 0]))
        rows.append([temp, matrix_text(p[0], 3), num(np.abs(g).max()), num(np.abs(g).max() / temp**2)])
    loss = soft_targets.distillation_loss(student, teacher, 2.0)
    return DemoResult(
        title="Knowledge distillation: temperature and T²",
        summary="softmax(z/T) with T > 1 reveals the teacher's ranking of wrong classes; T² keeps the gradient's size.",
        code=["soft_targets.distillation_loss_grad", "soft_targets.distillation_loss"],
        inputs={"teacher logits": "6, 3, 2, −1, −2", "student": "teacher + N(0, 1) noise"},
        tables=[
            Table(
                "Softened teacher and gradient size",
                ["T", "teacher p", "max |grad|, ×T²", "max |grad|, no T²"],
                rows,
            ),
            Table("Loss", ["quantity", "value"], [["T²·KL(p‖q) at T = 2", loss]]),
        ],
        notes=[
            f"At T = 1 the top class takes {top[0]:.3f} of the mass; at T = 20 only {top[-1]:.3f}.",
            f"With T² the largest gradient is {rows[-1][2]:.2g} at T = 20 ({rows[0][2]:.2g} at T = 1); "
            f"without T² it would shrink to {rows[-1][3]:.2g}.",
        ],
    )


def label_smoothing_targets(*, classes: int = 5, smoothing: float = 0.1) -> DemoResult:
    """PyTorch's label smoothing: target (1 − ε)·onehot + ε/C; the loss of ever more confident predictions."""
    in_range("classes", classes, 2, 1000)
    in_range("smoothing", smoothing, 0.0, 1.0)
    q = soft_targets.smoothed_targets(np.array([0]), classes, smoothing)[0]
    rows = []
    for gap in (0.0, 2.0, 4.0, 8.0, 16.0):
        logits = np.zeros((1, classes))
        logits[0, 0] = gap
        rows.append(
            [
                gap,
                num(np.exp(gap) / (np.exp(gap) + classes - 1)),
                soft_targets.label_smoothing_cross_entropy(logits, np.array([0]), 0.0),
                soft_targets.label_smoothing_cross_entropy(logits, np.array([0]), smoothing),
            ]
        )
    if smoothing > 0:
        best = f"Smoothed loss is lowest at gap log(q_true/q_other) = {math.log(q[0] / q[1]):.3g}"
    else:
        best = "With ε = 0 there is no finite optimum"
    return DemoResult(
        title="Label smoothing: a finite optimum",
        summary="With ε > 0 the target is never one-hot, so the loss stops rewarding an ever larger logit gap.",
        code=["soft_targets.smoothed_targets", "soft_targets.label_smoothing_cross_entropy"],
        inputs={"true class": 0, "logits": "gap on the true class, 0 elsewhere"},
        tables=[
            Table("Targets", ["true class", "each other class"], [[num(q[0]), num(q[1])]]),
            Table(
                "Loss as the model grows confident",
                ["logit gap", "p(true)", "plain CE", f"smoothed (ε={smoothing:g})"],
                rows,
            ),
        ],
        notes=[
            f"{best}; plain cross-entropy keeps falling (to {rows[-1][2]:.2g} at gap 16).",
        ],
    )
