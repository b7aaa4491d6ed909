"""Demos about gradient flow: vanishing and exploding gradients, clipping, residual connections."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import in_range, need, num, rng, series, steps_axis
from dlquiz.notation import sub
from dlquiz.reference import activations as act
from dlquiz.reference import optimizers as optim
from dlquiz.reference.initializers import he_normal, xavier_normal
from dlquiz.reference.layers import dense_backward, dense_forward
from dlquiz.reference.losses import mse, mse_grad

__all__ = [
    "gradient_norms_per_layer",
    "exploding_gradients",
    "clipping_training",
    "clip_norm_vs_value",
    "residual_gradients",
]

ACTIVATIONS = {
    "sigmoid": (act.sigmoid, act.sigmoid_grad),
    "tanh": (act.tanh, act.tanh_grad),
    "relu": (act.relu, act.relu_grad),
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
}


def deep_mlp_gradients(x, target, Ws, activation: str, residual: bool = False) -> dict:
    """Forward and backward through a deep MLP x → g(xW₁) → … → g(·W_L) (→ + input if residual) with MSE.

    Returns per-layer lists (index 0 = first layer): "dW" = ‖∂L/∂Wₗ‖, "delta" = ‖∂L/∂zₗ‖, "dx" = ‖∂L/∂aₗ₋₁‖
    (the gradient reaching the layer's input), and the loss.
    """
    g, g_prime = ACTIVATIONS[activation]
    zero_b = np.zeros(Ws[0].shape[1])
    inputs, pre = [], []
    a = x
    for W in Ws:
        inputs.append(a)
        z = dense_forward(a, W, zero_b)
        pre.append(z)
        a = a + g(z) if residual else g(z)
    loss = mse(a, target)
    d_a = mse_grad(a, target)
    dW, delta, dx = [], [], []
    for W, a_in, z in zip(reversed(Ws), reversed(inputs), reversed(pre), strict=True):
        d_z = d_a * g_prime(z)
        d_in, d_W, _ = dense_backward(d_z, a_in, W)
        if residual:
            d_in = d_in + d_a  # the skip path carries ∂L/∂y straight through
        dW.append(num(np.linalg.norm(d_W)))
        delta.append(num(np.linalg.norm(d_z)))
        dx.append(num(np.linalg.norm(d_in)))
        d_a = d_in
    return {"dW": dW[::-1], "delta": delta[::-1], "dx": dx[::-1], "loss": num(loss)}


def _problem(width: int, seed: int):
    r = rng(seed)
    return r, r.standard_normal((32, width)), r.standard_normal((32, width))


def gradient_norms_per_layer(*, layers: int = 20, width: int = 64, seed: int = 0) -> DemoResult:
    """‖∂L/∂Wₗ‖ per layer in a deep MLP: sigmoid + Xavier vanishes; ReLU + He, with or without skips, keeps layer 1
    within a small factor of layer L.
    """
    in_range("layers", layers, 2, 100)
    in_range("width", width, 16, 256)  # narrower ReLU nets can die completely (all gradients 0)
    r, x, target = _problem(width, seed)
    nets = {
        "sigmoid + Xavier": ("sigmoid", [xavier_normal(width, width, r) for _ in range(layers)], False),
        "ReLU + He": ("relu", [he_normal(width, width, r) for _ in range(layers)], False),
        "ReLU + He + residual": ("relu", [he_normal(width, width, r) / math.sqrt(layers) for _ in range(layers)], True),
    }
    results = {name: deep_mlp_gradients(x, target, Ws, a, res) for name, (a, Ws, res) in nets.items()}
    axis = steps_axis(layers, 1)
    sig = results["sigmoid + Xavier"]
    mean_sig_ratio = (sig["delta"][0] / sig["delta"][-1]) ** (1 / (layers - 1))  # geometric mean of ‖δₗ‖ / ‖δₗ₊₁‖
    return DemoResult(
        title="Gradient norm per layer: vanishing gradients",
        summary=(
            "Backprop multiplies by Wᵀ and g′(z) once per layer; with sigmoid (g′ ≤ 0.25) early layers get "
            "gradients orders of magnitude smaller."
        ),
        code=["layers.dense_backward", "activations.sigmoid_grad", "activations.relu_grad"],
        inputs={
            "network": f"{layers} dense layers {width} → {width}, no biases",
            "batch": f"32 × {width}, N(0, 1); MSE to random targets",
            "residual net": "aₗ = aₗ₋₁ + ReLU(aₗ₋₁Wₗ), Wₗ He-scaled ÷ √layers",
        },
        # Two plots: the sigmoid net spans ~12 decades, the ReLU nets less than one; on one log axis the ReLU
        # curves sat above the top labelled tick, where their values could not be read.
        plots=[
            Plot(
                "Sigmoid + Xavier: ‖∂L/∂Wₗ‖ by layer",
                {"sigmoid + Xavier": (axis, sig["dW"])},
                xlabel="layer l (1 = next to the input)",
                log_y=True,
            ),
            Plot(
                "ReLU + He, plain and residual: ‖∂L/∂Wₗ‖ ÷ ‖∂L/∂W_L‖ by layer",
                {
                    name: (axis, [v / results[name]["dW"][-1] for v in results[name]["dW"]])
                    for name in ("ReLU + He", "ReLU + He + residual")
                },
                xlabel="layer l (1 = next to the input)",
            ),
        ],
        tables=[
            Table(
                "First vs last layer",
                ["network", "‖∂L/∂W₁‖", f"‖∂L/∂W{sub(layers)}‖", "first ÷ last"],
                [
                    [name, res["dW"][0], res["dW"][-1], res["dW"][0] / res["dW"][-1] if res["dW"][-1] else math.inf]
                    for name, res in results.items()
                ],
            ),
            Table(
                "Sigmoid net: ‖δₗ‖ = ‖∂L/∂zₗ‖, δₗ = (δₗ₊₁Wₗ₊₁ᵀ) ⊙ σ′(zₗ)",
                ["layer l", "‖δₗ‖", "‖δₗ‖ / ‖δₗ₊₁‖"],
                [
                    [k + 1, sig["delta"][k], sig["delta"][k] / sig["delta"][k + 1] if k + 1 < layers else None]
                    for k in range(layers)
                ],
            ),
        ],
        notes=[
            f"Xavier weights roughly keep ‖δ‖, and σ′(z) ≤ ¼ (≈ {mean_sig_ratio:.2f} here, z being near 0): each "
            f"sigmoid layer shrinks δ about "
            f"{1 / mean_sig_ratio:.1f}×, so layer 1 learns far slower than layer L.",
            (
                "ReLU's derivative is 1 on active units and He init keeps the scale; the skip path adds an identity "
                "term to every Jacobian."
            ),
        ],
    )


def exploding_gradients(
    *, layers: int = 20, width: int = 64, gain: float = 1.5, max_norm: float = 1.0, seed: int = 0
) -> DemoResult:
    """A deep linear net with weights gain/√n: gradients grow ~gain per layer backwards; clipping caps the total."""
    in_range("layers", layers, 2, 100)
    in_range("width", width, 2, 256)
    need(gain > 0 and max_norm > 0, "'gain' and 'max_norm' must be > 0")
    in_range("gain", gain, 0.01, 10.0)
    r, x, target = _problem(width, seed)
    x = x / 10
    Ws = [r.standard_normal((width, width)) * gain / math.sqrt(width) for _ in range(layers)]
    res = deep_mlp_gradients(x, target, Ws, "linear")
    # recompute the full gradients to clip them as one dict, as a training step would
    grads = _linear_grads(x, target, Ws)
    before = optim.clip_grad_norm(grads, max_norm)
    after = [num(np.linalg.norm(grads[f"W{k}"])) for k in range(layers)]
    total_after = math.sqrt(sum(a * a for a in after))
    axis = steps_axis(layers, 1)
    return DemoResult(
        title="Exploding gradients and clipping",
        summary=(
            "With per-layer gain > 1 the backward signal grows geometrically toward the input; clip_grad_norm "
            "rescales all gradients so the total norm is at most max_norm."
        ),
        code=["optimizers.clip_grad_norm", "layers.dense_backward"],
        inputs={
            "network": f"{layers} linear layers {width} → {width}",
            "weights": f"N(0, ({gain:g}/√{width})²)",
            "batch": f"32 × {width}, N(0, 0.01)",
        },
        plots=[
            Plot(
                "Backward signal ‖∂L/∂aₗ₋₁‖ reaching layer l",
                {"‖∂L/∂a‖": (axis, res["dx"])},
                xlabel="layer l",
                log_y=True,
            ),
            Plot(
                "‖∂L/∂Wₗ‖ by layer",
                {"without clipping": (axis, res["dW"]), f"after clip_grad_norm({max_norm:g})": (axis, after)},
                xlabel="layer l",
                log_y=True,
            ),
        ],
        tables=[
            Table(
                "Gradient norms",
                ["", "value"],
                [
                    ["global norm before clipping (returned)", before],
                    ["global norm after clipping", total_after],
                    ["‖∂L/∂x‖ at the input ÷ at the last layer", res["dx"][0] / res["dx"][-1]],
                    [
                        f"growth per layer, (that ratio)^(1/{layers - 1})",
                        (res["dx"][0] / res["dx"][-1]) ** (1 / (layers - 1)),
                    ],
                    ["gain", gain],
                ],
            )
        ],
        notes=[
            "Clipping keeps every layer's share (the direction) and only shortens the whole vector.",
            (
                "It treats the symptom; the cause here is the init scale: gain 1 (Xavier/He for the activation) "
                "keeps norms level."
            ),
        ],
    )


def _linear_grads(x, target, Ws) -> dict:
    acts = [x]
    zero_b = np.zeros(Ws[0].shape[1])
    for W in Ws:
        acts.append(dense_forward(acts[-1], W, zero_b))
    d = mse_grad(acts[-1], target)
    grads = {}
    for k in range(len(Ws) - 1, -1, -1):
        d, grads[f"W{k}"], _ = dense_backward(d, acts[k], Ws[k])
    return grads


def _chain_grads(ws, x: float, y: float) -> tuple[float, dict]:
    """Loss (Πw·x − y)² of a chain of scalar weights and its gradient for each weight."""
    prod = float(np.prod(ws))
    err = prod * x - y
    return err * err, {f"w{i}": np.array([2 * err * x * prod / w]) for i, w in enumerate(ws)}


def clipping_training(
    *, depth: int = 4, init: float = 2.0, lr: float = 0.02, max_norm: float = 1.0, steps: int = 200
) -> DemoResult:
    """Training a chain ŷ = w₁w₂⋯w_d·x with and without gradient-norm clipping, from a steep start."""
    in_range("depth", depth, 2, 10)
    in_range("steps", steps, 1, 5000)
    need(max_norm > 0 and init != 0, "'max_norm' must be > 0 and 'init' non-zero")
    need(lr > 0, "'lr' must be > 0")
    curves, first = {}, None
    rows: list[list[Cell]] = []
    for clip in (False, True):
        params = {f"w{i}": np.array([init]) for i in range(depth)}
        opt = optim.SGD(lr=lr)
        losses = []
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(steps):
                loss, grads = _chain_grads([float(params[k][0]) for k in sorted(params)], 1.0, 1.0)
                losses.append(loss)
                if not math.isfinite(loss):
                    break
                if clip:
                    raw = {k: v.copy() for k, v in grads.items()}
                    norm = optim.clip_grad_norm(grads, max_norm)
                    if first is None:
                        flat_raw = np.concatenate([raw[k] for k in sorted(raw)])
                        flat = np.concatenate([grads[k] for k in sorted(grads)])
                        cosine = (
                            num(flat @ flat_raw / (np.linalg.norm(flat) * np.linalg.norm(flat_raw)))
                            if norm > 0
                            else None
                        )  # 0/0 at the optimum
                        first = (norm, num(np.linalg.norm(flat)), cosine)
                opt.step(params, grads)
        name = f"clip_grad_norm({max_norm:g})" if clip else "no clipping"
        curves[name] = series(steps_axis(len(losses)), losses)
        finite = [v for v in losses if math.isfinite(v)]
        rows.append(
            [
                name,
                losses[0],
                finite[-1] if finite else math.nan,
                len(losses) if not math.isfinite(losses[-1]) else "never",
            ]
        )
    return DemoResult(
        title="Gradient clipping in training",
        summary=(
            "Far from the optimum the gradient is huge and one plain step overshoots into divergence; clipping the "
            "global norm bounds each step and training converges."
        ),
        code=["optimizers.clip_grad_norm", "optimizers.SGD"],
        inputs={"model": f"ŷ = w₁⋯w{sub(depth)}·x, x = 1, target y = 1, loss (ŷ − y)²", "start": f"every w = {init:g}"},
        plots=[Plot("Loss per step", curves, xlabel="step", ylabel="loss", log_y=True)],
        tables=[
            Table(
                "First clipped step",
                ["norm before", "norm after", "cosine(before, after)"],
                [list(first)] if first else [],
            ),
            Table(f"Training, {steps} steps", ["run", "first loss", "last finite loss", "step it overflowed"], rows),
        ],
        notes=[
            (
                "Clipping goes between backward() and step(); clip_grad_norm returns the norm before clipping, "
                "worth logging."
            ),
            "The clipped gradient points the same way (cosine 1): only its length changes.",
        ],
    )


def clip_norm_vs_value(*, g1: float = 10.0, g2: float = 0.1, clip: float = 1.0) -> DemoResult:
    """Clipping g = (10, 0.1) at c = 1: by value turns the vector, by norm keeps its direction."""
    need(clip > 0, "'clip' must be > 0")
    by_value = {"g": np.array([g1, g2])}
    by_norm = {"g": np.array([g1, g2])}
    optim.clip_grad_value(by_value, clip)
    optim.clip_grad_norm(by_norm, clip)

    def angle(v):
        return math.degrees(math.atan2(v[1], v[0]))

    rows = []
    for name, v in (("original", np.array([g1, g2])), ("clip by value", by_value["g"]), ("clip by norm", by_norm["g"])):
        rows.append(
            [name, num(v[0]), num(v[1]), num(np.linalg.norm(v)), angle(v), angle(v) - angle(np.array([g1, g2]))]
        )
    return DemoResult(
        title="Clip by value vs clip by norm",
        summary="Clipping each component to [−c, c] changes the gradient's direction; rescaling by c/‖g‖ keeps it.",
        code=["optimizers.clip_grad_value", "optimizers.clip_grad_norm"],
        inputs={"g": f"({g1:g}, {g2:g})"},
        tables=[
            Table("The clipped gradient", ["", "g₁", "g₂", "‖g‖", "angle from the g₁ axis (°)", "turned by (°)"], rows)
        ],
        notes=[
            "By value, the small component keeps its size while the big one is cut: the update now leans toward g₂.",
            "By norm is the usual choice for RNNs and Transformers.",
        ],
    )


def residual_gradients(*, layers: int = 50, width: int = 32, seed: int = 0) -> DemoResult:
    """‖∂L/∂x‖ reaching each layer of a 50-layer tanh MLP, with and without skip connections."""
    in_range("layers", layers, 2, 200)
    in_range("width", width, 2, 256)
    r, x, target = _problem(width, seed)
    Ws = [xavier_normal(width, width, r) for _ in range(layers)]
    plain = deep_mlp_gradients(x, target, Ws, "tanh")
    skip = deep_mlp_gradients(x, target, [W / math.sqrt(layers) for W in Ws], "tanh", residual=True)
    axis = steps_axis(layers, 1)
    return DemoResult(
        title="Residual connections keep gradients alive",
        summary=(
            "With y = x + F(x), ∂L/∂x = ∂L/∂y·(I + ∂F/∂x): the identity term gives the gradient a path that skips "
            "every layer."
        ),
        code=["layers.dense_backward", "activations.tanh_grad"],
        inputs={
            "network": f"{layers} tanh layers {width} → {width}, Xavier",
            "residual version": "aₗ = aₗ₋₁ + tanh(aₗ₋₁Wₗ), Wₗ ÷ √layers",
        },
        plots=[
            Plot(
                "‖∂L/∂aₗ₋₁‖ (gradient reaching layer l's input)",
                {"plain": (axis, plain["dx"]), "with skips": (axis, skip["dx"])},
                xlabel="layer l",
                log_y=True,
            )
        ],
        tables=[
            Table(
                "Gradient at the input",
                ["network", "‖∂L/∂x‖ at layer 1", f"at layer {layers}", "ratio"],
                [
                    [name, res["dx"][0], res["dx"][-1], res["dx"][0] / res["dx"][-1]]
                    for name, res in (("plain", plain), ("with skips", skip))
                ],
            )
        ],
        notes=[
            (
                "Without skips, each tanh layer multiplies by W·tanh′ < 1 in norm on average, so the signal decays "
                "with depth."
            ),
            "ResNets and Transformers (Add & Norm) rely on this identity path.",
        ],
    )
