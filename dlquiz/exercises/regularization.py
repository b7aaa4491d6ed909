"""Exercises on regularization: weight decay, L1 versus L2 shrinkage, dropout's scaling."""

from __future__ import annotations

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draw, par, short
from dlquiz.reference import optimizers as opt
from dlquiz.reference import regularization as reg

__all__ = ["weight_decay_step", "soft_threshold_vs_shrink", "dropout_kept_output", "dropout_expected_value"]


def weight_decay_step(rng) -> Exercise:
    """One SGD step with an L2 penalty (λ/2)‖w‖², i.e. weight_decay = λ."""
    w = draw(rng, -3, 3, 1)
    g = draw(rng, -2, 2, 1)
    lr = choice(rng, (0.1, 0.5))
    lam = choice(rng, (0.1, 0.5, 1))
    params = {"w": np.array([w])}
    opt.SGD(lr, weight_decay=lam).step(params, {"w": np.array([g])})
    new = float(params["w"][0])
    total = g + float(reg.l2_grad(np.array([w]), lam)[0])
    return Exercise(
        prompt=(
            f"The loss has an L2 penalty (λ/2)·w² with λ = {fmt(lam)} (PyTorch's weight_decay = λ). A weight "
            f"w = {fmt(w)} has data-loss gradient {fmt(g)}. What is w after one SGD step with η = {fmt(lr)}?"
        ),
        answer=(new,),
        tolerance=0.001,
        hint="the penalty adds λ·w to the gradient",
        steps=steps(
            (f"g + λw = {fmt(g)} + {fmt(lam)} × {par(w)} = {short(total)}", "the gradient of (λ/2)w² is λw"),
            (
                f"w ← {fmt(w)} − {fmt(lr)} × {par(round(total, 6))} = {short(new)}",
                "equivalently w(1 − ηλ) − η·g: the weight decays toward 0",
            ),
        ),
        inputs={"w": w, "g": g, "lr": lr, "lambda": lam},
    )


def soft_threshold_vs_shrink(rng) -> Exercise:
    """The minimizers of ½(w − a)² + λ|w| (soft threshold) and ½(w − a)² + (λ/2)w² (shrink)."""
    a = draw(rng, -3, 3, 1)
    lam = choice(rng, (0.2, 0.5, 1, 1.5, 2))
    l1 = float(reg.soft_threshold(np.array([a]), lam)[0])
    l2 = float(reg.l2_shrink(np.array([a]), lam)[0])
    case = "|a| ≤ λ, so w = 0" if abs(a) <= lam else f"w = sign(a)·(|a| − λ) = {short(l1)}"
    return Exercise(
        prompt=(
            f"Let a = {fmt(a)} and λ = {fmt(lam)}. Give the minimizer of ½(w − a)² + λ|w| (L1) and of "
            "½(w − a)² + (λ/2)w² (L2)."
        ),
        answer=(l1, l2),
        labels=("w with L1", "w with L2"),
        hint="L1 soft-thresholds: sign(a)·max(|a| − λ, 0); L2 shrinks: a/(1 + λ)",
        steps=steps(
            (f"L1: {case}", "the subgradient w − a + λ·sign(w) = 0 moves w by λ toward 0 and stops at exactly 0"),
            (
                f"L2: w − a + λw = 0 ⇒ w = a/(1 + λ) = {fmt(a)}/{fmt(1 + lam)} = {short(l2)}",
                "shrinks by a factor but never reaches 0",
            ),
        ),
        inputs={"a": a, "lambda": lam},
    )


def _kept_value(x: float, p: float) -> float:
    """What a surviving unit outputs under the reference's inverted dropout."""
    out, mask = reg.dropout(np.full(64, x), p, np.random.default_rng(0))
    return float(out[mask > 0][0])


def dropout_kept_output(rng) -> Exercise:
    """A kept unit's training output under inverted dropout, and its output at test time."""
    x = draw(rng, 0.5, 4, 1)
    p = choice(rng, (0.1, 0.2, 0.25, 0.5, 0.8))
    kept = _kept_value(x, p)
    test, _ = reg.dropout(np.array([x]), p, np.random.default_rng(0), training=False)
    return Exercise(
        prompt=(
            f"Inverted dropout (PyTorch's) with drop probability p = {fmt(p)}. A unit's activation is {fmt(x)}. "
            "What does it output in training when it is kept, and what at test time?"
        ),
        answer=(kept, float(test[0])),
        labels=("training, kept", "test"),
        hint="survivors are scaled by 1/(1 − p) so the expected value stays x",
        steps=steps(
            (f"kept: x/(1 − p) = {fmt(x)}/{fmt(1 - p)} = {short(kept)}", "scaled up during training"),
            (f"expectation in training: (1 − p)·{short(kept)} + p·0 = {fmt(x)}", "matches the test-time output"),
            (f"test: x = {fmt(x)}", "dropout is off at test time and nothing needs rescaling"),
        ),
        inputs={"x": x, "p": p},
    )


def dropout_expected_value(rng) -> Exercise:
    """The expected training activation when dropout forgets to rescale, and the mismatch at test time."""
    x = draw(rng, 0.5, 4, 1)
    p = choice(rng, (0.1, 0.2, 0.25, 0.5, 0.8))
    masks = np.array([0.0, 1.0])  # dropped, kept without the 1/(1 − p)
    expected = float(np.dot([p, 1 - p], masks * x))
    return Exercise(
        prompt=(
            f"A buggy dropout layer zeroes units with probability p = {fmt(p)} but does not rescale the survivors. "
            f"A unit's activation is {fmt(x)}. What is its expected output in training, and by what factor is the "
            "test-time output (dropout off) larger?"
        ),
        answer=(expected, x / expected),
        labels=("E[training output]", "test / training"),
        hint="E = p·0 + (1 − p)·x",
        steps=steps(
            (f"E = {fmt(p)} × 0 + {fmt(1 - p)} × {fmt(x)} = {short(expected)}", "expectation over the keep/drop coin"),
            (
                f"test / training = {fmt(x)}/{short(expected)} = 1/(1 − p) = {short(x / expected)}",
                (
                    "the next layer sees larger inputs at test time than it was trained on; inverted dropout (÷(1 − "
                    "p) when kept) fixes it"
                ),
            ),
        ),
        inputs={"x": x, "p": p},
    )
