"""Exercises on representations and soft targets: cosine similarity, label-smoothed cross-entropy,
the diffusion forward jump."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, dot_terms, draws, integer, short, vec
from dlquiz.reference import diffusion, embedding, soft_targets

__all__ = ["cosine_similarity", "label_smoothing_loss", "diffusion_noising"]


def cosine_similarity(rng) -> Exercise:
    """Cosine similarity of two 3-dimensional embeddings."""
    while True:
        a = draws(rng, 3, -3, 3, 1)
        b = draws(rng, 3, -3, 3, 1)
        dot = float(np.dot(a, b))
        if abs(dot) > 0.5 and abs(float(np.linalg.norm(a)) * float(np.linalg.norm(b)) - 1) > 0.2:
            break
    cos = float(embedding.cosine_similarity(np.array(a), np.array(b)))
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return Exercise(
        prompt=f"Two word embeddings: u = {vec(a)} and v = {vec(b)}. What is their cosine similarity?",
        answer=(cos,),
        hint="u·v / (‖u‖·‖v‖)",
        steps=steps(
            (f"u·v = {dot_terms(a, b)} = {short(dot)}", "the dot product alone also grows with the lengths"),
            (f"‖u‖ = {short(na)}, ‖v‖ = {short(nb)}", "Euclidean lengths"),
            (
                f"cos = {short(dot)}/({short(na)} × {short(nb)}) = {short(cos)}",
                "1 same direction, 0 orthogonal, −1 opposite",
            ),
        ),
        inputs={"u": a, "v": b},
    )


def label_smoothing_loss(rng) -> Exercise:
    """Label-smoothed cross-entropy for one example, PyTorch's convention."""
    while True:
        logits = draws(rng, 3, -2, 3, 1)
        target = integer(rng, 0, 2)
        eps = choice(rng, (0.1, 0.2, 0.3))
        z = np.array([logits])
        loss = soft_targets.label_smoothing_cross_entropy(z, np.array([target]), eps)
        logp = z[0] - math.log(sum(math.exp(v) for v in logits))
        other = -((1 - eps) * logp[target] + eps * (sum(logp) - logp[target]) / 2)
        if len(set(logits)) == 3 and abs(other - loss) > 0.03 * loss:
            break
    q_true, q_other = 1 - eps + eps / 3, eps / 3
    lse = math.log(sum(math.exp(v) for v in logits))
    return Exercise(
        prompt=(
            f"Three classes, logits z = {vec(logits)}, true class {target} (counting from 0). Compute PyTorch's "
            f"F.cross_entropy(z, y, label_smoothing={fmt(eps)}): the ε mass is spread over all three classes."
        ),
        answer=(loss,),
        hint="target q = (1 − ε)·onehot + ε/C; loss = −Σ q_c·log softmax(z)_c",
        steps=steps(
            (
                f"q: true class {short(q_true)}, others {short(q_other)}",
                "(1 − ε) + ε/3 for the true class, ε/3 for each of the others",
            ),
            (
                f"log Σ e^z = {short(lse)};  log p = {vec(round(float(v), 4) for v in logp)}",
                "log-softmax, z − logsumexp(z)",
            ),
            (f"loss = −Σ q·log p = {short(loss)}", "cross-entropy against the smoothed target"),
        ),
        inputs={"z": logits, "y": target, "eps": eps},
    )


def diffusion_noising(rng) -> Exercise:
    """Noise a value three steps forward in one jump: ᾱ and x₃."""
    while True:
        betas = draws(rng, 3, 0.05, 0.3, 2)
        x0 = draws(rng, 1, -2, 2, 1)[0]
        eps = draws(rng, 1, -2, 2, 1)[0]
        ab = float(diffusion.alpha_bar(betas)[-1])
        x3 = float(diffusion.q_sample(np.array([x0]), 3, np.array([eps]), np.array(betas))[0])
        wrong = math.sqrt(1 - sum(betas)) * x0 + math.sqrt(sum(betas)) * eps  # 1 − Σβ instead of Π(1 − β)
        if abs(x3) > 0.1 and abs(wrong - x3) > 0.03 * abs(x3):
            break
    return Exercise(
        prompt=(
            f"A diffusion model's forward process has β₁, β₂, β₃ = {', '.join(fmt(b) for b in betas)}. A pixel with "
            f"x₀ = {fmt(x0)} is noised with ε = {fmt(eps)}. Give ᾱ₃ and x₃ = √ᾱ₃·x₀ + √(1 − ᾱ₃)·ε."
        ),
        answer=(ab, x3),
        labels=("ᾱ₃", "x₃"),
        hint="ᾱ₃ = (1 − β₁)(1 − β₂)(1 − β₃)",
        steps=steps(
            (
                f"ᾱ₃ = {' × '.join(fmt(round(1 - b, 2)) for b in betas)} = {short(ab)}",
                "the signal fraction multiplies step by step",
            ),
            (
                f"x₃ = √{short(ab)}·{fmt(x0)} + √{short(1 - ab)}·{fmt(eps)} = {short(x3)}",
                "one jump instead of three single steps: the noise variances add up to 1 − ᾱ",
            ),
        ),
        inputs={"betas": betas, "x0": x0, "eps": eps},
    )
