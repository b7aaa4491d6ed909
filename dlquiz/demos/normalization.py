"""Demos about normalisation layers: batch norm forward, backward, inference, and layer norm."""

from __future__ import annotations

import numpy as np

from dlquiz.demos._result import DemoResult, Table
from dlquiz.demos._util import floats, gradient_errors, in_range, matrix_text, num, rng
from dlquiz.reference import normalization as norm
from dlquiz.reference.layers import dense_backward, dense_forward

__all__ = [
    "batchnorm_worked_example",
    "batchnorm_backward_check",
    "batchnorm_train_vs_eval",
    "batchnorm_weight_scale",
    "batchnorm_vs_layernorm",
]

# A 4 × 3 batch whose statistics are easy to check by hand: columns with means 5, 0 and 10.
BN_BATCH = [[2.0, -1.0, 10.0], [4.0, 1.0, 12.0], [6.0, 3.0, 8.0], [8.0, -3.0, 10.0]]


def batchnorm_worked_example(*, gamma: float = 1.0, beta: float = 0.0) -> DemoResult:
    """Batch norm forward on a 4 × 3 batch: per-column mean, biased variance, x̂, then γx̂ + β."""
    x = np.array(BN_BATCH)
    D = x.shape[1]
    out, _ = norm.batchnorm_forward(x, np.full(D, gamma), np.full(D, beta))
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    x_hat = (x - mu) / np.sqrt(var + 1e-5)
    stats = [
        ["μ_B = mean over the batch", *floats(mu)],
        ["σ²_B = mean (x − μ)² (biased)", *floats(var)],
        ["√(σ²_B + ε)", *floats(np.sqrt(var + 1e-5))],
    ]
    after = [["mean of output", *floats(out.mean(axis=0))], ["std of output (biased)", *floats(out.std(axis=0))]]
    cols = ["", "feature 1", "feature 2", "feature 3"]
    return DemoResult(
        title="Batch norm forward on a 4 × 3 batch",
        summary=(
            "Each feature (column) is normalised with its own batch mean and biased variance, then scaled by γ and "
            "shifted by β."
        ),
        code=["normalization.batchnorm_forward"],
        inputs={"x (4 examples × 3 features)": str(x.tolist()), "ε": 1e-5},
        tables=[
            Table("Batch statistics, per column", cols, stats),
            Table(
                "x̂ = (x − μ_B)/√(σ²_B + ε)", cols, [[f"example {i + 1}", *floats(row)] for i, row in enumerate(x_hat)]
            ),
            Table(
                "y = γ·x̂ + β (from batchnorm_forward)",
                cols,
                [[f"example {i + 1}", *floats(row)] for i, row in enumerate(out)],
            ),
            Table("Output statistics", cols, after),
        ],
        notes=[
            "Feature 1 by hand: μ = (2 + 4 + 6 + 8)/4 = 5, σ² = (9 + 1 + 1 + 9)/4 = 5, so x̂ = (x − 5)/√5.00001.",
            "After normalisation every column has mean β and standard deviation ≈ |γ| (a hair under, because of ε).",
        ],
    )


def batchnorm_backward_check(*, batch: int = 5, features: int = 3, seed: int = 0) -> DemoResult:
    """batchnorm_backward against finite differences; each column of dx sums to 0."""
    in_range("batch", batch, 2, 64)
    in_range("features", features, 1, 16)
    r = rng(seed)
    x = r.standard_normal((batch, features)) * 3 + 5
    gamma, beta = r.uniform(0.5, 2, features), r.standard_normal(features)
    G = r.standard_normal((batch, features))  # ∂L/∂y for L = Σ y ⊙ G
    _, cache = norm.batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = norm.batchnorm_backward(G, cache)

    def loss(x, gamma, beta):
        return np.sum(norm.batchnorm_forward(x, gamma, beta)[0] * G)

    errors = gradient_errors(loss, {"x": x, "gamma": gamma, "beta": beta}, {"x": dx, "gamma": dgamma, "beta": dbeta})
    names = {"x": "dx", "gamma": "dγ = Σ dy·x̂", "beta": "dβ = Σ dy"}
    return DemoResult(
        title="Batch norm backward vs finite differences",
        summary=(
            "μ and σ² depend on every example, so dx has three terms; the analytic gradient matches central "
            "differences, and Σ over the batch of dx is 0."
        ),
        code=["normalization.batchnorm_backward", "gradcheck.numerical_gradient"],
        inputs={"x": f"({batch}, {features}), mean ≈ 5, std ≈ 3", "loss": "L = Σ y ⊙ G, G random"},
        tables=[
            Table("Analytic vs numerical", ["gradient", "relative error"], [[names[k], errors[k]] for k in names]),
            Table(
                "Column sums of dx (should be 0)",
                ["", *[f"feature {j + 1}" for j in range(features)]],
                [["Σₙ dx", *floats(dx.sum(axis=0))]],
            ),
        ],
        notes=[
            (
                "dx = (γ/(N·s))·(N·dy − Σdy − x̂·Σ(dy·x̂)), s = √(σ² + ε): shifting all examples by a constant "
                "changes nothing, hence Σdx = 0."
            )
        ],
    )


def batchnorm_train_vs_eval(*, steps: int = 200, seed: int = 0) -> DemoResult:
    """After training, eval mode uses running statistics: the output no longer depends on the batch (size 2 vs 256)."""
    in_range("steps", steps, 1, 5000)
    r = rng(seed)
    D = 3
    mean, std = np.array([5.0, -2.0, 0.5]), np.array([3.0, 0.5, 1.0])
    running_mean, running_var = np.zeros(D), np.ones(D)
    for _ in range(steps):
        running_mean, running_var = norm.update_running_stats(
            running_mean, running_var, r.standard_normal((64, D)) * std + mean, momentum=0.1
        )
    gamma, beta = np.ones(D), np.zeros(D)
    probe = np.array([[5.0, -2.0, 0.5]])  # one fixed example at the population mean
    rows = []
    for size in (2, 256):
        batch = np.vstack([probe, r.standard_normal((size - 1, D)) * std + mean])
        train_out, _ = norm.batchnorm_forward(batch, gamma, beta)
        eval_out = norm.batchnorm_inference(batch, gamma, beta, running_mean, running_var)
        rows.append([size, num(train_out[0, 0]), num(eval_out[0, 0])])
    return DemoResult(
        title="Batch norm: training vs evaluation mode",
        summary=(
            "Training normalises with the batch's own statistics (noisy for small batches); eval uses running "
            "averages, r ← 0.9r + 0.1·batch stat, so each example's output is fixed."
        ),
        code=["normalization.update_running_stats", "normalization.batchnorm_inference"],
        inputs={
            "population": "features with mean (5, −2, 0.5), std (3, 0.5, 1)",
            "running stats": f"{steps} training batches of 64, momentum 0.1",
        },
        tables=[
            Table(
                "Running statistics after training",
                ["", "feature 1", "feature 2", "feature 3"],
                [
                    ["running mean", *floats(running_mean)],
                    ["true mean", *floats(mean)],
                    ["running var (unbiased)", *floats(running_var)],
                    ["true var", *floats(std**2)],
                ],
            ),
            Table(
                "Output for the same example (feature 1 = 5, the mean)", ["batch size", "train mode", "eval mode"], rows
            ),
        ],
        notes=[
            (
                "In train mode the example's output depends on which others share its batch; with 2 examples x̂ is "
                "always ±1."
            ),
            "Forgetting model.eval() at test time gives batch-dependent predictions.",
        ],
    )


def batchnorm_weight_scale(*, scale: float = 10.0, seed: int = 0) -> DemoResult:
    """Scale the weights feeding batch norm by 10: the output is unchanged and ∂L/∂W shrinks by 10."""
    in_range("scale", scale, 0.01, 1000.0)
    r = rng(seed)
    x, W = r.standard_normal((32, 5)), r.standard_normal((5, 4))
    G = r.standard_normal((32, 4))  # ∂L/∂y for L = Σ y ⊙ G
    gamma, beta, zero = np.ones(4), np.zeros(4), np.zeros(4)
    results = []
    for s in (1.0, scale):
        z = dense_forward(x, W * s, zero)
        y, cache = norm.batchnorm_forward(z, gamma, beta)
        dz, _, _ = norm.batchnorm_backward(G, cache)
        _, dW, _ = dense_backward(dz, x, W * s)
        results.append((y, num(np.linalg.norm(dW))))
    (y1, g1), (y2, g2) = results
    return DemoResult(
        title="Batch norm makes a layer scale-invariant",
        summary=(
            "BN(x·aW) = BN(x·W) for any a > 0 (up to the small ε), and the gradient with respect to aW is 1/a times "
            "smaller: weight scale stops mattering."
        ),
        code=["normalization.batchnorm_forward", "normalization.batchnorm_backward"],
        inputs={"x": "(32, 5)", "W": "(5, 4)"},
        tables=[
            Table(
                "W vs a·W",
                ["quantity", "value"],
                [
                    ["max |BN(xW) − BN(x·aW)| (not 0 only because of ε)", num(np.max(np.abs(y1 - y2)))],
                    ["‖∂L/∂W‖ at W", g1],
                    ["‖∂L/∂W‖ at a·W", g2],
                    ["ratio", g1 / g2],
                ],
            )
        ],
        notes=[
            (
                "Large weights get small gradients, which damps runaway growth: one reason BN tolerates larger "
                "learning rates."
            ),
            (
                "Santurkar et al. (2018) argue BN's main benefit is a smoother loss landscape, not reducing "
                "internal covariate shift."
            ),
        ],
    )


def batchnorm_vs_layernorm(*, seed: int = 0) -> DemoResult:
    """One (N, D) array through batch norm and layer norm: BN normalises columns, LN normalises rows."""
    r = rng(seed)
    x = r.standard_normal((4, 5)) * np.array([1.0, 2.0, 3.0, 4.0, 5.0]) + np.array([[0.0], [10.0], [-5.0], [3.0]])
    ones, zeros = np.ones(5), np.zeros(5)
    bn, _ = norm.batchnorm_forward(x, ones, zeros)
    ln, _ = norm.layernorm_forward(x, ones, zeros)
    return DemoResult(
        title="Batch norm vs layer norm: which axis",
        summary=(
            "BN normalises each feature across the batch (axis 0); LN normalises each example across its features "
            "(axis −1), so it needs no batch and no running stats."
        ),
        code=["normalization.batchnorm_forward", "normalization.layernorm_forward"],
        inputs={"x": "(4, 5): examples offset by 0, 10, −5, 3; features scaled 1…5"},
        tables=[
            Table(
                "Statistics after each layer",
                ["", "BN", "LN"],
                [
                    ["column means (per feature)", matrix_text(bn.mean(0), 6), matrix_text(ln.mean(0), 3)],
                    ["row means (per example)", matrix_text(bn.mean(1), 3), matrix_text(ln.mean(1), 6)],
                    ["column stds", matrix_text(bn.std(0), 4), matrix_text(ln.std(0), 3)],
                    ["row stds", matrix_text(bn.std(1), 3), matrix_text(ln.std(1), 4)],
                ],
            )
        ],
        notes=[
            "LN behaves the same in training and evaluation and for batch size 1: the choice for RNNs and Transformers."
        ],
    )
