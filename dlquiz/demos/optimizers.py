"""Demos about gradient descent: learning rates, conditioning, momentum, Newton's method, and a race of
optimizers (the adaptive methods' own demos are in :mod:`dlquiz.demos.adaptive`)."""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import in_range, need, num, rng, run_optimizer, series, steps_axis
from dlquiz.notation import sub
from dlquiz.reference import optimizers as optim

__all__ = [
    "optimizer_race",
    "learning_rates",
    "gd_quadratic",
    "nonconvex_starts",
    "momentum_conditioning",
    "newton_vs_gd",
]


def _noisy_rosenbrock_grad(p: np.ndarray, gen: np.random.Generator, noise: float) -> np.ndarray:
    """The gradient as a minibatch sees it: the true one plus Gaussian noise of standard deviation ``noise``."""
    return rosenbrock_grad(p) + noise * gen.standard_normal(2)


# --------------------------------------------------------------------------- test problems


def rosenbrock(p):
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def quadratic(curvatures):
    """f(θ) = ½ Σ hᵢθᵢ² and its gradient, for a diagonal Hessian with entries ``curvatures``."""
    h = np.asarray(curvatures, dtype=float)
    return (lambda p: 0.5 * np.sum(h * np.asarray(p) ** 2, axis=-1)), (lambda p: h * p)


def race_optimizers(lr_scale: float, seed: int) -> dict:
    """The contestants of the race, each with a learning rate that works on the Rosenbrock valley."""
    noise = rng(seed)
    return {
        "GD": (optim.SGD(lr=1e-3 * lr_scale), None),
        "SGD (noisy g)": (optim.SGD(lr=1e-3 * lr_scale), noise),
        "momentum 0.9": (optim.SGD(lr=1e-3 * lr_scale, momentum=0.9), None),
        "RMSProp": (optim.RMSProp(lr=1e-2 * lr_scale), None),
        "Adam": (optim.Adam(lr=5e-2 * lr_scale), None),
    }


def optimizer_race(*, steps: int = 1000, lr_scale: float = 1.0, noise: float = 1.0, seed: int = 0) -> DemoResult:
    """GD, SGD, momentum, RMSProp and Adam racing down the Rosenbrock valley from (−1.5, 2)."""
    in_range("steps", steps, 1, 5000)
    in_range("lr_scale", lr_scale, 0.01, 10.0)
    in_range("noise", noise, 0.0, 100.0)
    start = np.array([-1.5, 2.0])
    losses, paths = {}, {}
    rows: list[list[Cell]] = []
    for name, (opt, gen) in race_optimizers(lr_scale, seed).items():
        grad = rosenbrock_grad if gen is None else partial(_noisy_rosenbrock_grad, gen=gen, noise=noise)
        with np.errstate(over="ignore", invalid="ignore"):
            path = run_optimizer(opt, grad, start, steps)
            f = rosenbrock(path)
        losses[name] = series(steps_axis(steps + 1), f)
        paths[name] = series(path[:, 0], path[:, 1])
        rows.append([name, opt.lr, num(path[-1, 0]), num(path[-1, 1]), num(f[-1])])
    # A later curve is drawn over an earlier one, so the order puts the ones that would vanish last. Noisy SGD is
    # plotted only when it leaves GD's curve: with small noise it follows GD exactly and would hide it.
    sgd_apart = _apart(losses["SGD (noisy g)"][1], losses["GD"][1])
    loss_order = ["Adam", "RMSProp", "momentum 0.9"] + (["SGD (noisy g)"] if sgd_apart else []) + ["GD"]
    return DemoResult(
        title="Optimizer race on the Rosenbrock function",
        summary=(
            "On a curved, badly scaled valley, momentum and the adaptive methods (RMSProp, Adam) get much further "
            "than plain GD in the same steps."
        ),
        code=["optimizers.SGD", "optimizers.RMSProp", "optimizers.Adam"],
        inputs={
            "f(x, y)": "(1 − x)² + 100(y − x²)², minimum 0 at (1, 1)",
            "start": "(−1.5, 2)",
            "SGD noise": f"N(0, {noise:g}²) added to each gradient component",
        },
        plots=[
            Plot("Loss per step", {n: losses[n] for n in loss_order}, xlabel="step", ylabel="f(x, y)", log_y=True),
            Plot("Paths of Adam and GD in the (x, y) plane (y against x)", {n: paths[n] for n in ("Adam", "GD")}),
        ],
        tables=[Table(f"After {steps} steps", ["optimizer", "lr", "x", "y", "f(x, y)"], rows)],
        notes=[
            "GD's learning rate must stay below 2/λ_max ≈ 0.002, set by the steep valley walls (λ_max ≈ 1000 near the "
            "minimum), so it crawls along the flat valley floor.",
            "RMSProp and Adam divide by a running RMS of the gradient: the step size is about lr whatever the slope.",
            "Every optimizer follows the same curved valley, so the path plot shows two of them; the table gives where "
            "each ends.",
        ]
        + (
            []
            if sgd_apart
            else ["SGD's noise is small next to the valley's gradients here: its curve is GD's (table)."]
        ),
    )


def _apart(a: list[float], b: list[float]) -> bool:
    """Whether two loss curves differ by more than 20 % somewhere (on a log axis, two distinct lines)."""
    pairs = zip(a, b, strict=True)
    return any(abs(x - y) > 0.2 * max(abs(x), abs(y)) for x, y in pairs if math.isfinite(x) and math.isfinite(y))


# |x₀| and the step count are bounded so that the divergent rate's |xₜ| = |x₀|·1.1ᵗ and its gradient L·xₜ
# stay far inside float64 (1.1¹⁰⁰⁰ ≈ 2.5e41), and the slow rate's 0.9ᵗ·|x₀| does not underflow to 0.
X0_LIMITS = (1e-6, 1e6)
MAX_STEPS = 1000


def learning_rates(*, curvature: float = 1.0, steps: int = 30, x0: float = 1.0) -> DemoResult:
    """GD on f(x) = ½Lx² with η = 0.1/L, 0.5/L, 1/L, 1.9/L and 2.1/L.

    Slow, fast, one step, oscillating, divergent.
    """
    in_range("curvature", curvature, 1e-3, 1e3)
    in_range("steps", steps, 1, MAX_STEPS)
    low, high = X0_LIMITS
    need(low <= abs(x0) <= high, f"'x0' must be between 1e-6 and 1e6 in size, either sign (got {x0:g})")
    _, grad = quadratic([curvature])
    paths = {}
    rows: list[list[Cell]] = []
    for factor in (0.1, 0.5, 1.0, 1.9, 2.1):
        lr = factor / curvature
        paths[factor] = path = run_optimizer(optim.SGD(lr=lr), grad, [x0], steps)[:, 0]
        rows.append([f"{factor:g}/L", lr, 1 - factor, num(path[1]), num(abs(path[-1]))])
    t = steps_axis(steps + 1)
    # Signed xₜ shows the overshoot (1.9/L flips sign every step); 1/L is drawn last, on top, as the line at 0.
    signed = {f"η = {f:g}/L": series(t, paths[f]) for f in (0.1, 0.5, 1.9, 1.0)}
    # |xₜ| on a log axis shows the rates; 0.1/L and 1.9/L have the same |1 − ηL| = 0.9, so one curve for both,
    # and 1/L is at 0 after one step, which a log axis cannot show.
    sizes = {
        "η = 0.1/L or 1.9/L (× 0.9)": series(t, np.abs(paths[0.1])),
        "η = 0.5/L (× 0.5)": series(t, np.abs(paths[0.5])),
        "η = 2.1/L (× 1.1)": series(t, np.abs(paths[2.1])),
    }
    return DemoResult(
        title="Learning rate too small, right, too large",
        summary=(
            "On ½Lx² each GD step multiplies x by (1 − ηL): it converges iff 0 < η < 2/L, fastest at η = 1/L, "
            "and diverges beyond 2/L."
        ),
        code=["optimizers.SGD"],
        inputs={"f(x)": f"½·{curvature:g}·x²"},  # x0, the start, is a setting: listed with them
        plots=[
            Plot("xₜ per step (sign kept)", signed, xlabel="step t", ylabel="xₜ"),
            Plot("|xₜ| per step", sizes, xlabel="step t", ylabel="|xₜ|", log_y=True),
        ],
        tables=[Table(f"After {steps} steps", ["η", "value", "factor 1 − ηL", "x₁", f"|x{sub(steps)}|"], rows)],
        notes=[
            "η = 1/L jumps to the minimum in one step (x₁ = 0, which a log axis cannot show). 1.9/L overshoots: xₜ "
            "flips sign every step while |xₜ| shrinks by 0.9, exactly as fast as 0.1/L's. 2.1/L grows by 1.1 per step.",
            "Too small is not unstable, only slow: 0.1/L still needs ~130 steps for a factor 1e−6.",
        ],
    )


def gd_quadratic(*, lr: float = 0.15, steps: int = 40, kappa: float = 10.0) -> DemoResult:
    """Gradient descent on a 2-D quadratic bowl: the path zig-zags across the steep direction."""
    need(0 < lr <= 10, "'lr' must be in (0, 10]: beyond 2/κ it already diverges")
    in_range("kappa", kappa, 1.0, 1e4)
    in_range("steps", steps, 1, 5000)
    f, grad = quadratic([1.0, kappa])
    path = run_optimizer(optim.SGD(lr=lr), grad, [10.0, 1.0], steps)
    with np.errstate(over="ignore", invalid="ignore"):
        loss = f(path)
    rows = [
        [t, num(path[t, 0]), num(path[t, 1]), num(loss[t])] for t in sorted({0, 1, 2, 3, 5, 10, steps}) if t <= steps
    ]
    return DemoResult(
        title="Gradient descent on a quadratic bowl",
        summary=(
            "θ ← θ − η∇f: each step goes straight downhill, not toward the minimum; on an elongated bowl it "
            "zig-zags across the steep axis "
            "(whenever η > 1/κ) while creeping along the flat one."
        ),
        code=["optimizers.SGD"],
        inputs={"f(θ)": f"½(θ₁² + {kappa:g}·θ₂²)", "θ₀": "(10, 1)", "stable if": f"η < 2/{kappa:g} = {2 / kappa:.3g}"},
        plots=[
            Plot("Path (θ₁, θ₂)", {"GD": series(path[:, 0], path[:, 1])}, xlabel="θ₁", ylabel="θ₂"),
            Plot(
                "Loss per step", {"f(θₜ)": series(steps_axis(steps + 1), loss)}, xlabel="step", ylabel="f", log_y=True
            ),
        ],
        tables=[Table("Steps", ["t", "θ₁", "θ₂", "f(θ)"], rows)],
        notes=[
            "The gradient (θ₁, κθ₂) points mostly along the steep axis, not at the minimum.",
            "Along each axis the error shrinks by |1 − ηhᵢ| per step; the flat axis (h = 1) sets the pace.",
        ],
    )


def nonconvex_starts(*, lr: float = 0.02, steps: int = 200) -> DemoResult:
    """GD from five starts on f(x) = x⁴ − 3x² + x: where it ends depends on where it starts."""
    in_range("steps", steps, 1, 5000)
    in_range("lr", lr, 1e-4, 0.1)  # f″ reaches 42 at the outer starts: larger steps overshoot

    def f(x):
        return x**4 - 3 * x**2 + x

    def grad(x):
        return 4 * x**3 - 6 * x + 1

    starts = [-2.0, -0.5, 0.1, 0.5, 2.0]
    xs = np.linspace(-2.2, 2.2, 201)
    rows = []
    ends = {}
    for s in starts:
        with np.errstate(over="ignore", invalid="ignore"):
            x_end = num(run_optimizer(optim.SGD(lr=lr), grad, [s], steps)[-1, 0])
        ends[s] = x_end
    best = min(f(x) for x in ends.values() if math.isfinite(x))
    for s, x_end in ends.items():
        rows.append([s, x_end, f(x_end), "global" if math.isfinite(x_end) and abs(f(x_end) - best) < 1e-6 else "local"])
    return DemoResult(
        title="Gradient descent on a non-convex function",
        summary=(
            "Gradient descent only finds the minimum of the basin it starts in: f has a global minimum near −1.30 "
            "and a local one near 1.13."
        ),
        code=["optimizers.SGD"],
        inputs={"f(x)": "x⁴ − 3x² + x", "starts": ", ".join(f"{s:g}" for s in starts)},
        plots=[
            Plot(
                "f(x) and where each start ends",
                {"f(x)": series(xs, f(xs)), "end points": series(list(ends.values()), [f(x) for x in ends.values()])},
                xlabel="x",
                scatter=("end points",),
            )
        ],
        tables=[Table(f"After {steps} steps (η = {lr:g})", ["start x₀", "end x", "f(end)", "minimum"], rows)],
        notes=[
            "Exact gradients guarantee the global optimum only for convex losses.",
            (
                "In high dimensions most critical points are saddles, and the minima of big nets tend to have "
                "similar loss."
            ),
        ],
    )


def momentum_conditioning(*, kappa: float = 100.0, momentum: float = 0.9, tol: float = 1e-6) -> DemoResult:
    """Steps to reach tol on a κ-conditioned quadratic: GD vs heavy-ball momentum vs Nesterov."""
    in_range("kappa", kappa, 1.0, 1e4)
    in_range("momentum", momentum, 0.0, 0.999)
    in_range("tol", tol, 1e-12, 1.0)
    f, grad = quadratic([1.0, kappa])
    lr = 1.0 / kappa
    cap = 20000
    contenders = {
        "GD": optim.SGD(lr=lr),
        f"momentum {momentum:g}": optim.SGD(lr=lr, momentum=momentum) if momentum > 0 else optim.SGD(lr=lr),
        f"Nesterov {momentum:g}": optim.SGD(lr=lr, momentum=momentum, nesterov=True)
        if momentum > 0
        else optim.SGD(lr=lr),
    }
    curves, rows = {}, []
    for name, opt in contenders.items():
        path = run_optimizer(opt, grad, [1.0, 1.0], cap, stop=lambda p: f(p) < tol)
        loss = f(path)
        below = np.nonzero(loss < tol)[0]
        curves[name] = series(steps_axis(len(loss)), loss)
        rows.append([name, int(below[0]) if below.size else f"> {cap}"])
    return DemoResult(
        title="Momentum on an ill-conditioned quadratic",
        summary=(
            "With curvatures 1 and κ, GD needs ~κ steps per e-fold; momentum (v ← μv + g, θ ← θ − ηv) builds speed "
            "along the flat axis."
        ),
        code=["optimizers.SGD"],
        inputs={"f(θ)": f"½(θ₁² + {kappa:g}·θ₂²)", "θ₀": "(1, 1)", "η": f"1/κ = {lr:.3g}"},
        plots=[Plot("Loss per step", curves, xlabel="step", ylabel="f(θ)", log_y=True)],
        tables=[Table(f"Steps until f < {tol:g}", ["method", "steps"], rows)],
        notes=[
            (
                "Momentum damps the zig-zag across the steep axis (opposite gradients cancel in v) and accumulates "
                "the consistent one."
            ),
            "For a constant gradient the step tends to ηg/(1 − μ): ten times larger for μ = 0.9.",
        ],
    )


def newton_vs_gd(*, kappa: float = 1000.0, tol: float = 1e-8) -> DemoResult:
    """On a quadratic, one Newton step −H⁻¹g lands on the minimum; GD needs thousands of steps."""
    in_range("kappa", kappa, 1.0, 1e5)
    in_range("tol", tol, 1e-12, 1.0)
    H = np.diag([1.0, kappa])
    f, grad = quadratic([1.0, kappa])
    theta0 = np.array([1.0, 1.0])
    newton = optim.newton_step(theta0, grad(theta0), H)
    cap = 50000
    path = run_optimizer(optim.SGD(lr=1.0 / kappa), grad, theta0, cap, stop=lambda p: f(p) < tol)
    below = np.nonzero(f(path) < tol)[0]
    gd_steps = int(below[0]) if below.size else len(path) - 1
    return DemoResult(
        title="Newton's method vs gradient descent",
        summary=(
            "Newton's step Δ = −H⁻¹g rescales each direction by its curvature, so conditioning does not matter; GD "
            "at η = 1/λ_max pays κ."
        ),
        code=["optimizers.newton_step", "optimizers.SGD"],
        inputs={"f(θ)": f"½(θ₁² + {kappa:g}·θ₂²)", "H": f"diag(1, {kappa:g})", "θ₀": "(1, 1)"},
        tables=[
            Table(
                f"Reaching f < {tol:g}",
                ["method", "steps", "θ after", "f after"],
                [
                    ["Newton", 1, f"({num(newton[0]):.3g}, {num(newton[1]):.3g})", num(f(newton))],
                    [
                        f"GD, η = 1/{kappa:g}",
                        gd_steps if below.size else f"> {cap} (stopped)",
                        f"({num(path[gd_steps, 0]):.3g}, {num(path[gd_steps, 1]):.3g})",
                        num(f(path[gd_steps])),
                    ],
                ],
            )
        ],
        notes=[
            "The cost: H has n² entries and solving with it O(n³), impossible for millions of weights.",
            "Practical substitutes: L-BFGS, K-FAC, Hessian-vector products, and diagonal scalings like Adam's.",
        ],
    )
