"""Demos about weight initialisation: symmetry, and keeping activations at a steady scale with depth."""

from __future__ import annotations

import numpy as np

from dlquiz.demos._result import DemoResult, Plot, Table
from dlquiz.demos._util import floats, in_range, matrix_text, num, rng, steps_axis
from dlquiz.reference import activations as act
from dlquiz.reference import initializers as init
from dlquiz.reference import layers

__all__ = ["zero_init_symmetry", "tanh_init_scales", "relu_init_scales", "init_histograms"]


def zero_init_symmetry(*, value: float = 0.5, steps: int = 100, seed: int = 0) -> DemoResult:
    """Start every weight at the same constant: after 100 GD steps all hidden units are still identical."""
    in_range("steps", steps, 1, 2000)
    r = rng(seed)
    X, y = r.standard_normal((32, 3)), r.standard_normal(32)
    rows = []
    for name, w0 in ((f"all weights = {value:g}", value), ("all weights = 0", 0.0)):
        params = {"W1": np.full((3, 4), w0), "b1": np.zeros(4), "W2": np.full((4, 1), w0), "b2": np.zeros(1)}
        first_grad = None
        for _ in range(steps):
            _, cache = layers.two_layer_net_forward(X, y, params, activation="tanh")
            grads, _ = layers.two_layer_net_backward(cache)
            first_grad = first_grad if first_grad is not None else num(np.abs(grads["W1"]).max())
            params = {k: params[k] - 0.1 * grads[k] for k in params}
        spread = num(np.max(params["W1"].max(axis=1) - params["W1"].min(axis=1)))
        rows.append([name, first_grad, spread, matrix_text(params["W1"][0], 4)])
    r2 = rng(seed + 1)
    params = layers.two_layer_net_init(3, 4, r2, activation="tanh")
    for _ in range(steps):
        _, cache = layers.two_layer_net_forward(X, y, params, activation="tanh")
        grads, _ = layers.two_layer_net_backward(cache)
        params = {k: params[k] - 0.1 * grads[k] for k in params}
    rows.append(
        [
            "random (Xavier)",
            None,
            num(np.max(params["W1"].max(axis=1) - params["W1"].min(axis=1))),
            matrix_text(params["W1"][0], 4),
        ]
    )
    return DemoResult(
        title="Symmetric initialisation never breaks",
        summary=(
            "If all hidden units start equal they compute the same output, get the same gradient, and stay equal: "
            "the layer acts like a single unit."
        ),
        code=["layers.two_layer_net_backward", "layers.two_layer_net_init"],
        inputs={"network": "3 → 4 (tanh) → 1, MSE, GD η = 0.1", "data": "32 random examples"},
        tables=[
            Table(
                f"Hidden weights after {steps} steps",
                ["init", "max |∂L/∂W₁| at step 1", "largest spread within a row of W₁", "first row of W₁"],
                rows,
            )
        ],
        notes=[
            "With all weights 0 and tanh, h = 0 and ∂L/∂W₁ = 0 exactly: the hidden layer never moves.",
            "Zero biases are fine; it is the weights that need random values to break the symmetry.",
        ],
    )


def activation_std_per_layer(x, weights, g) -> list[float]:
    """Standard deviation of the activations after each layer of a deep MLP (no biases)."""
    stds = []
    a = x
    for W in weights:
        a = g(a @ W)
        stds.append(num(a.std()))
    return stds


def _depth_run(schemes: dict, g, layers_: int, width: int, seed: int):
    r = rng(seed)
    x = r.standard_normal((64, width))
    return {
        name: activation_std_per_layer(x, [make(width, r) for _ in range(layers_)], g) for name, make in schemes.items()
    }


def tanh_init_scales(*, layers: int = 50, width: int = 64, seed: int = 0) -> DemoResult:
    """Activation std per layer of a deep tanh MLP for weights N(0, 0.01²), Xavier, and N(0, 1)."""
    in_range("layers", layers, 2, 200)
    in_range("width", width, 4, 1024)
    schemes = {
        "std 0.01": lambda n, r: r.standard_normal((n, n)) * 0.01,
        "Xavier": lambda n, r: init.xavier_normal(n, n, r),
        "std 1": lambda n, r: r.standard_normal((n, n)),
    }
    stds = _depth_run(schemes, act.tanh, layers, width, seed)
    r = rng(seed + 1)
    x = r.standard_normal((64, width))
    saturated = {}
    for name, make in schemes.items():
        a = x
        for _ in range(10):
            a = act.tanh(a @ make(width, r))
        saturated[name] = num(np.mean(np.abs(a) > 0.99))
    axis = steps_axis(layers, 1)
    return DemoResult(
        title="Initial scale vs depth (tanh)",
        summary=(
            "Too small: activations shrink geometrically to 0; too large: tanh saturates at ±1; Xavier (Var = "
            "2/(n_in + n_out)) stays in between, fading only slowly with depth."
        ),
        code=["initializers.xavier_normal", "initializers.xavier_std"],
        inputs={"network": f"{layers} tanh layers {width} → {width}, no biases", "input": f"64 × {width}, N(0, 1)"},
        # Two plots: std 0.01 falls to ~1e-55, so on a shared log axis Xavier and std 1 would share the top row.
        plots=[
            Plot(
                "Activation std per layer: Xavier vs std 1",
                {k: (axis, stds[k]) for k in ("Xavier", "std 1")},
                xlabel="layer",
            ),
            Plot(
                "Activation std per layer: std 0.01", {"std 0.01": (axis, stds["std 0.01"])}, xlabel="layer", log_y=True
            ),
        ],
        tables=[
            Table(
                "Activations",
                ["init", "std at layer 1", f"std at layer {layers}", "fraction |a| > 0.99 at layer 10"],
                [[k, v[0], v[-1], saturated[k]] for k, v in stds.items()],
            )
        ],
        notes=[
            (
                f"Xavier std here: √(2/({width} + {width})) = {init.xavier_std(width, width):.4f} = 1/√n for a "
                f"square layer."
            ),
            f"Even Xavier fades: std ×{(stds['Xavier'][-1] / stds['Xavier'][0]) ** (1 / (layers - 1)):.3f} per "
            f"layer here, because tanh′ < 1 away from 0; "
            "PyTorch's recommended gain 5/3 for tanh is meant to make up for that.",
            "Saturated units have tanh′ ≈ 0, so the gradients vanish even though the forward signal is large.",
        ],
    )


def relu_init_scales(*, layers: int = 50, width: int = 64, seed: int = 0) -> DemoResult:
    """Activation std per layer of a deep ReLU MLP with Xavier vs He initialisation."""
    in_range("layers", layers, 2, 200)
    in_range("width", width, 4, 1024)
    schemes = {"Xavier": lambda n, r: init.xavier_normal(n, n, r), "He": lambda n, r: init.he_normal(n, n, r)}
    stds = _depth_run(schemes, act.relu, layers, width, seed)
    axis = steps_axis(layers, 1)
    return DemoResult(
        title="He vs Xavier for ReLU",
        summary=(
            "ReLU zeroes half its inputs, so E[relu(z)²] = ½Var(z): Xavier loses a factor 2 of variance per layer, "
            "He (Var = 2/n_in) makes up for it."
        ),
        code=["initializers.he_normal", "initializers.he_std"],
        inputs={"network": f"{layers} ReLU layers {width} → {width}, no biases", "input": f"64 × {width}, N(0, 1)"},
        plots=[Plot("Activation std per layer", {k: (axis, v) for k, v in stds.items()}, xlabel="layer", log_y=True)],
        tables=[
            Table(
                "Activation std",
                ["init", "layer 1", "layer 10", f"layer {layers}", "per-layer factor (geometric mean)"],
                [
                    [k, v[0], v[min(9, layers - 1)], v[-1], (v[-1] / v[0]) ** (1 / (layers - 1))]
                    for k, v in stds.items()
                ],
            )
        ],
        notes=[
            (
                f"Xavier's std shrinks by about 1/√2 ≈ 0.707 per layer; over {layers} layers that is "
                f"2^(−{layers - 1}/2) ≈ {2 ** (-(layers - 1) / 2):.1e}."
            ),
            (
                f"He std for fan_in {width}: √(2/{width}) = {init.he_std(width):.4f}. PyTorch's nn.Linear default is "
                f"U(±1/√n_in), which is not He."
            ),
        ],
    )


def init_histograms(*, layer: int = 10, width: int = 64, seed: int = 0) -> DemoResult:
    """Histograms of tanh activations at layer 10 for weight std 0.01, Xavier and 1."""
    in_range("layer", layer, 1, 100)
    in_range("width", width, 4, 1024)
    r = rng(seed)
    x = r.standard_normal((64, width))
    bins = np.linspace(-1, 1, 21)
    centres = (bins[:-1] + bins[1:]) / 2
    series_, rows = {}, []
    for name, std in (("std 0.01", 0.01), ("Xavier", init.xavier_std(width, width)), ("std 1", 1.0)):
        a = x
        for _ in range(layer):
            a = act.tanh(a @ (r.standard_normal((width, width)) * std))
        counts, _ = np.histogram(np.clip(a, -1, 1), bins=bins)
        frac = counts / counts.sum()
        series_[name] = (floats(centres), floats(frac))
        rows.append([name, std, num(a.std()), num(np.mean(np.abs(a) < 0.05)), num(np.mean(np.abs(a) > 0.95))])
    return DemoResult(
        title=f"Activation histograms at layer {layer} (tanh)",
        summary=(
            "Small weights pile activations at 0 (no signal); large weights push them to ±1 (saturated, no "
            "gradient); Xavier keeps them spread out in between."
        ),
        code=["initializers.xavier_normal"],
        inputs={"network": f"{layer} tanh layers {width} → {width}", "input": f"64 × {width}, N(0, 1)"},
        plots=[Plot("Fraction of activations per bin", series_, xlabel="activation value")],
        tables=[
            Table(
                "Summary", ["init", "weight std", "activation std", "fraction |a| < 0.05", "fraction |a| > 0.95"], rows
            )
        ],
        notes=["For LSTMs the forget-gate bias is often started near 1 so the cell remembers by default."],
    )
