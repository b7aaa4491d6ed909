"""Demos about adaptive optimizers: AdaGrad's shrinking steps, RMSProp's per-weight scale, Adam's bias
correction, and AdamW's decoupled weight decay, each with the bug it guards against."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import floats, in_range, need, num, run_optimizer, series, steps_axis
from dlquiz.notation import sup
from dlquiz.reference import optimizers as optim

__all__ = [
    "adagrad_decay",
    "rmsprop_scales",
    "bias_correction",
    "uncorrected_step_ratio",
    "adam_vs_adamw_decay",
    "adamw_frozen_decay",
    "rmsprop_eps_placement",
]


def adagrad_decay(*, lr: float = 0.1, steps: int = 1000) -> DemoResult:
    """AdaGrad with a constant gradient: sₜ = t·g², so the effective rate η/√sₜ falls like 1/√t."""
    in_range("steps", steps, 1, 100000)
    need(lr > 0, "'lr' must be > 0")
    t_axis = steps_axis(steps, 1)

    def step_sizes(opt) -> list[float]:
        path = run_optimizer(opt, lambda _: np.ones(1), np.zeros(1), steps)[:, 0]
        return [num(v) for v in path[:-1] - path[1:]]

    eff = step_sizes(optim.Adagrad(lr=lr))
    rms = step_sizes(optim.RMSProp(lr=lr))
    marks = [t for t in (1, 10, 100, 1000, 10000, 100000) if t <= steps]
    curves = {
        "AdaGrad: exactly η/√t": (t_axis, eff),
        "RMSProp (α = 0.99)": (t_axis, rms),
        "SGD: η": (t_axis, [lr] * steps),
    }
    return DemoResult(
        title="AdaGrad's shrinking steps",
        summary=(
            "AdaGrad divides by √(Σ g²), which only grows: with a constant gradient the step is η/√t, so learning "
            "slows down for good."
        ),
        code=["optimizers.Adagrad", "optimizers.RMSProp"],
        inputs={"gradient": "g = 1 at every step", "η": f"{lr:g} for every optimizer"},
        plots=[Plot("Step size per step", curves, xlabel="step t", log_y=True)],
        tables=[
            Table(
                "Step sizes",
                ["t", "AdaGrad step", "η/√t", "RMSProp step"],
                [[t, eff[t - 1], lr / math.sqrt(t), rms[t - 1]] for t in marks],
            )
        ],
        notes=[
            "AdaGrad's step equals η/√t to rounding (table), so one curve shows both.",
            "RMSProp replaces the sum by an exponential moving average that forgets: after its first steps (10η, "
            "no bias correction) its step settles at η, the SGD line, instead of shrinking for good.",
        ],
    )


def rmsprop_scales(*, scale: float = 1000.0, steps: int = 50) -> DemoResult:
    """Two weights whose gradients differ 1000×: SGD's steps differ 1000×, RMSProp's are about equal."""
    in_range("scale", scale, 1.0, 1e6)
    in_range("steps", steps, 1, 10000)
    g = np.array([1.0, 1.0 / scale])
    sgd_lr, rms_lr = 0.01, 0.01
    rows: list[list[Cell]] = []
    for name, opt in (("SGD", optim.SGD(lr=sgd_lr)), ("RMSProp", optim.RMSProp(lr=rms_lr))):
        path = run_optimizer(opt, lambda _: g, np.zeros(2), steps)
        first, last = path[1] - path[0], path[-1] - path[-2]
        rows.append([name, num(-first[0]), num(-first[1]), num(-last[0]), num(-last[1]), num(last[0] / last[1])])
    return DemoResult(
        title="RMSProp equalises step sizes",
        summary=(
            "RMSProp divides each gradient by √v, v an EMA of g²: the step is about η·g/RMS(g), so big and small "
            "gradients move their weights alike."
        ),
        code=["optimizers.RMSProp"],
        inputs={"gradients": f"g = (1, {1 / scale:g}), constant", "η": rms_lr, "α": 0.99},
        tables=[
            Table(
                "Step sizes (−Δθ)",
                ["optimizer", "step 1, w₁", "step 1, w₂", f"step {steps}, w₁", f"step {steps}, w₂", "ratio w₁/w₂"],
                rows,
            )
        ],
        notes=[
            "RMSProp's first step is η·g/√(0.01·g²) = 10η: v starts at 0 and there is no bias correction.",
            "As v fills up (after ~1/(1 − α) = 100 steps) the step settles at η per weight.",
        ],
    )


def bias_correction(*, beta1: float = 0.9, beta2: float = 0.999, steps: int = 10, lr: float = 1e-3) -> DemoResult:
    """Adam's moments for a constant gradient g = 1: raw mₜ, vₜ start near 0; m̂ₜ, v̂ₜ are exactly 1."""
    in_range("beta1", beta1, 0.0, 0.9999)
    in_range("beta2", beta2, 0.0, 0.99999)
    in_range("steps", steps, 1, 1000)
    need(lr > 0, "'lr' must be > 0")
    opt = optim.Adam(lr=lr, betas=(beta1, beta2), eps=1e-8)
    params = {"w": np.zeros(1)}
    rows, m, v = [], 0.0, 0.0
    first_step = None
    for t in range(1, steps + 1):
        before = num(params["w"][0])
        opt.step(params, {"w": np.ones(1)})
        step = before - num(params["w"][0])
        first_step = step if first_step is None else first_step
        m = beta1 * m + (1 - beta1)
        v = beta2 * v + (1 - beta2)
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        raw_step = lr * m / (math.sqrt(v) + 1e-8)
        rows.append([t, m, v, m_hat, v_hat, step, raw_step])
    return DemoResult(
        title="Adam's bias correction",
        summary=(
            "m and v start at 0, so early on they underestimate the gradient's moments by (1 − βᵗ); dividing by it "
            "makes m̂ = v̂ = 1 from step 1."
        ),
        code=["optimizers.Adam"],
        inputs={"gradient": "g = 1 at every step", "ε": 1e-8},
        tables=[
            Table("Moments and steps", ["t", "mₜ", "vₜ", "m̂ₜ", "v̂ₜ", "Adam step", "step without correction"], rows)
        ],
        plots=[
            Plot(
                "Moments",
                {
                    "mₜ": series([r[0] for r in rows], [r[1] for r in rows]),
                    "√vₜ": series([r[0] for r in rows], [math.sqrt(r[2]) for r in rows]),
                    "m̂ₜ = √v̂ₜ": series([r[0] for r in rows], [r[3] for r in rows]),
                },
                xlabel="step t",
            )
        ]
        if steps > 1
        else [],
        notes=[
            (
                f"Step 1 worked by hand: m₁ = (1 − β₁)·1 = {1 - beta1:g}, v₁ = (1 − β₂)·1 = {1 - beta2:g}; m̂₁ = v̂₁ "
                f"= 1, so the step is η·1/(1 + ε) ≈ η = {first_step:.6g}."
            ),
            (
                f"Without correction step 1 is η·{1 - beta1:g}/√{1 - beta2:g} = "
                f"{lr * (1 - beta1) / math.sqrt(1 - beta2):.4g}: {(1 - beta1) / math.sqrt(1 - beta2):.3g}× too "
                f"large."
            ),
        ],
    )


def _adam_without_correction(grads, lr, beta1, beta2, eps=1e-8):
    """The buggy Adam of the spot-the-bug item: raw m and v, no division by 1 − βᵗ. Returns the steps."""
    m = v = 0.0
    steps = []
    for g in grads:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        steps.append(lr * m / (math.sqrt(v) + eps))
    return steps


def uncorrected_step_ratio(*, beta1: float = 0.9, beta2: float = 0.999, steps: int = 1000) -> DemoResult:
    """Adam without bias correction against the reference: the ratio of their steps over time."""
    in_range("steps", steps, 1, 20000)
    in_range("beta1", beta1, 0.0, 0.9999)
    in_range("beta2", beta2, 0.0, 0.99999)
    lr = 1e-3
    opt = optim.Adam(lr=lr, betas=(beta1, beta2))
    path = run_optimizer(opt, lambda _: np.ones(1), np.zeros(1), steps)[:, 0]
    good = -np.diff(path)
    bad = np.array(_adam_without_correction(np.ones(steps), lr, beta1, beta2))
    ratio = bad / good
    peak = int(np.argmax(ratio))
    peak_note = (
        f", and the error peaks at {ratio[peak]:.3g}× at t = {peak + 1}"
        if ratio[peak] > max(ratio[0], 1.0) + 1e-3
        else ""
    )
    slow = max(beta1, beta2)  # the slower of the two corrections to fade
    marks = [t for t in (1, 2, 5, 10, 12, 50, 100, 1000, 10000) if t <= steps]
    return DemoResult(
        title="Adam without bias correction",
        summary=(
            "Leaving out the 1/(1 − βᵗ) factors gives early steps the wrong size (too large for the usual betas, "
            "where 1 − β₂ < (1 − β₁)²): "
            "the buggy/correct ratio is (1 − β₁ᵗ)/√(1 − β₂ᵗ)."
        ),
        code=["optimizers.Adam", "optimizers.adam_uncorrected_step_ratio"],
        inputs={"gradient": "g = 1 at every step", "η": lr},
        plots=[Plot("Buggy step ÷ correct step", {"measured": series(steps_axis(steps, 1), ratio)}, xlabel="step t")],
        tables=[
            Table(
                "Step ratio",
                ["t", "correct step", "buggy step", "ratio", "(1 − β₁ᵗ)/√(1 − β₂ᵗ)"],
                [
                    [
                        t,
                        num(good[t - 1]),
                        bad[t - 1],
                        num(ratio[t - 1]),
                        optim.adam_uncorrected_step_ratio(t, betas=(beta1, beta2)),
                    ]
                    for t in marks
                ],
            )
        ],
        notes=[
            f"At t = 1 m is scaled by 1 − β₁ = {1 - beta1:.3g} and √v by √(1 − β₂) = {math.sqrt(1 - beta2):.3g}: "
            f"the step is {ratio[0]:.3g}× the correct one{peak_note}.",
            (
                f"The ratio → 1 as βᵗ → 0: with β = {slow:g} that takes "
                f"~{int(float(f'{3 / -math.log(slow):.2g}')) if slow > 0 else 1} steps (βᵗ < e⁻³)."
            ),
        ],
    )


def adam_vs_adamw_decay(*, weight_decay: float = 0.1, lr: float = 0.01, steps: int = 500) -> DemoResult:
    """Adam's L2 decay is divided by √v̂ like the gradient; AdamW shrinks every weight by the same factor."""
    in_range("steps", steps, 1, 20000)
    need(weight_decay >= 0, "'weight_decay' must be ≥ 0")
    need(lr > 0 and lr * weight_decay < 1, "'lr' must be > 0 and lr·weight_decay < 1")
    scales = np.array([10.0, 1.0, 0.01])  # gradient size of each weight
    signs = np.where(np.arange(steps) % 2 == 0, 1.0, -1.0)
    g_noise = signs[:, None] * scales  # ±s alternating: zero mean, RMS s, no drift of its own
    rows = []
    for name, make in (
        ("Adam (L2 in g)", lambda wd: optim.Adam(lr=lr, weight_decay=wd)),
        ("AdamW (decoupled)", lambda wd: optim.AdamW(lr=lr, weight_decay=wd)),
    ):
        finals = []
        for wd in (0.0, weight_decay):
            opt, params = make(wd), {"w": np.ones(3)}
            for t in range(steps):
                opt.step(params, {"w": g_noise[t].copy()})
            finals.append(params["w"].copy())
        rows.append([name, *floats(finals[0] - finals[1])])
    return DemoResult(
        title="Adam + L2 vs AdamW",
        summary=(
            "With Adam, λθ joins g and is divided by √v̂: weights with large gradients barely decay. AdamW applies "
            "θ ← θ(1 − ηλ) to all weights alike."
        ),
        code=["optimizers.AdamW", "optimizers.Adam"],
        inputs={
            "weights": "three, all starting at 1",
            "gradients": "+s, −s, +s, … with s = 10, 1 and 0.01: zero mean, RMS s",
        },
        tables=[
            Table(
                f"Decay caused by λ after {steps} steps: θ(λ = 0) − θ(λ)",
                ["optimizer", "s = 10", "s = 1", "s = 0.01"],
                rows,
            )
        ],
        notes=[
            f"AdamW's pure decay factor here is (1 − ηλ){sup(steps)} = {(1 - lr * weight_decay) ** steps:.4f} "
            f"for every weight: it removes 1 − (1 − ηλ){sup(steps)} = {1 - (1 - lr * weight_decay) ** steps:.3g} "
            f"of θ's starting value whatever s; "
            "the table's AdamW entries differ slightly because the decay also shrinks the small drift of the Adam "
            "steps.",
            "So L2 in Adam is not weight decay; in plain SGD the two are the same thing.",
        ],
    )


def adamw_frozen_decay(*, lr: float = 0.01, weight_decay: float = 0.1, steps: int = 2000) -> DemoResult:
    """Decaying with the initial weights θ₀ instead of the current θ drives weights through zero."""
    in_range("steps", steps, 1, 100000)
    need(weight_decay >= 0, "'weight_decay' must be ≥ 0")
    need(lr > 0 and lr * weight_decay < 1, "'lr' must be > 0 and lr·weight_decay < 1")
    opt = optim.AdamW(lr=lr, weight_decay=weight_decay)
    params = {"w": np.array([1.0, -2.0])}
    theta0 = params["w"].copy()
    buggy = theta0.copy()
    good_curve, bad_curve = [1.0], [1.0]
    for _ in range(steps):
        opt.step(params, {"w": np.zeros(2)})
        buggy = buggy - lr * weight_decay * theta0  # the bug: a frozen copy of θ₀
        good_curve.append(num(params["w"][0] / theta0[0]))
        bad_curve.append(num(buggy[0] / theta0[0]))
    return DemoResult(
        title="AdamW decay with frozen initial weights (bug)",
        summary=(
            "Correct decay multiplies by (1 − ηλ) each step, a geometric shrink toward 0; subtracting ηλθ₀ every "
            "step is a constant drift that crosses zero."
        ),
        code=["optimizers.AdamW"],
        inputs={"gradients": "all zero (only the decay acts)", "θ₀": "(1, −2)"},
        plots=[
            Plot(
                "θₜ / θ₀",
                {
                    "reference AdamW": series(steps_axis(steps + 1), good_curve),
                    "bug: θ −= ηλθ₀": series(steps_axis(steps + 1), bad_curve),
                },
                xlabel="step",
            )
        ],
        tables=[
            Table(
                f"After {steps} steps",
                ["version", "θ/θ₀", "closed form"],
                [
                    [
                        "reference AdamW",
                        good_curve[-1],
                        (
                            f"(1 − ηλ)^t = {(1 - lr * weight_decay) ** steps:.4f} ≈ e^(−ηλt) = "
                            f"{math.exp(-lr * weight_decay * steps):.4f}"
                        ),
                    ],
                    ["bug", bad_curve[-1], f"1 − ηλt = {1 - lr * weight_decay * steps:.4f}"],
                ],
            )
        ],
        notes=["With zero gradients Adam's own step is 0/(0 + ε) = 0, so only the decay moves the weights."],
    )


def rmsprop_eps_placement(*, lr: float = 0.01, eps: float = 1e-8) -> DemoResult:
    """ε inside the square root (√(v + ε)) vs outside (√v + ε, PyTorch): tiny gradients get far smaller steps."""
    need(eps > 0, "'eps' must be > 0")
    need(lr > 0, "'lr' must be > 0")
    rows = []
    for g in (1e-2, 1e-4, 1e-5, 1e-6):
        opt, params = optim.RMSProp(lr=lr, eps=eps), {"w": np.zeros(1)}
        opt.step(params, {"w": np.array([g])})
        ref = -num(params["w"][0])
        v = (1 - 0.99) * g * g
        inside = lr * g / math.sqrt(v + eps)
        rows.append([g, ref, inside, ref / lr, inside / lr])
    return DemoResult(
        title="RMSProp: where ε goes",
        summary=(
            f"PyTorch divides by √v + ε; putting ε under the root floors the denominator at √ε = "
            f"{math.sqrt(eps):.3g}, so small gradients take tiny steps."
        ),
        code=["optimizers.RMSProp"],
        inputs={"α": 0.99, "steps": "first step from v = 0"},
        tables=[
            Table(
                "First step size",
                [
                    "gradient g",
                    "step, ÷ (√v + ε) (reference)",
                    "step, ÷ √(v + ε) (bug)",
                    "reference step / η",
                    "bug step / η",
                ],
                rows,
            )
        ],
        notes=[
            "At step 1, v = 0.01·g², so the reference step is η·g/(0.1|g| + ε) ≈ 10η for any sizeable g.",
            "For g = 1e−2 both agree; they part once v = 0.01·g² is comparable to ε, i.e. g ≲ 10√ε.",
        ],
    )
