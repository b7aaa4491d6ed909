"""Checks for the normalisation exercises: batch norm forward (training and inference) and backward, layer norm."""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import compare_case, fd_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.normalization import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    layernorm_forward,
    update_running_stats,
)

BN_NAMES = ("out", "running_mean", "running_var")
BN_GRAD_NAMES = ("dx", "dgamma", "dbeta")
EPS = 1e-5

# --------------------------------------------------------------------------- batch norm forward


def _bn_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=EPS):
    if not training:
        return batchnorm_inference(x, gamma, beta, running_mean, running_var, eps), running_mean, running_var
    out, _ = batchnorm_forward(x, gamma, beta, eps)
    return (out, *update_running_stats(running_mean, running_var, x, momentum))


def _bn_inputs(rng, n, d, decimals=1):
    return {
        "x": rounded(rng.normal(1, 2, (n, d)), decimals),
        "gamma": rounded(rng.uniform(0.5, 2, d), decimals),
        "beta": rounded(rng.normal(0, 1, d), decimals),
        "running_mean": rounded(rng.normal(0, 1, d), decimals),
        "running_var": rounded(rng.uniform(0.5, 2, d), decimals),
    }


def _bn_case(name, inputs, training, hint="", **kwargs):
    return compare_case(
        name,
        "batchnorm_forward",
        inputs | {"training": training},
        _bn_forward(**inputs, training=training, **kwargs),
        kwargs=kwargs,
        names=BN_NAMES,
        hint=hint,
    )


def _bn_forward_cases(rng):
    flat = _bn_inputs(rng, 5, 3)
    flat["x"][:, 1] = [1.0, 1.001, 0.999, 1.0, 1.002]
    return [
        _bn_case("training, 4 × 3", _bn_inputs(rng, 4, 3), True),
        _bn_case(
            "training, a batch of two",
            _bn_inputs(rng, 2, 3),
            True,
            hint="Normalise with the biased variance (÷ N); the running variance takes the unbiased one (÷ (N − 1)). "
            "With N = 2 they differ by a factor of 2.",
        ),
        _bn_case(
            "inference uses the running statistics",
            _bn_inputs(rng, 4, 3),
            False,
            hint="In inference the batch's statistics are not used, and the running ones are returned unchanged.",
        ),
        _bn_case("inference, a batch of one", _bn_inputs(rng, 1, 4), False),
        _bn_case(
            "a feature with a tiny variance",
            flat,
            True,
            hint="ε goes inside the square root, √(σ² + ε), as in PyTorch; it matters when σ² is small.",
        ),
        _bn_case("training, momentum 0.3", _bn_inputs(rng, 6, 2), True, momentum=0.3),
        _bn_case("training, 32 × 8", _bn_inputs(rng, 32, 8, 6), True),
    ]


def _bn_wrong(
    *, ddof_norm=0, ddof_run=1, swap_momentum=False, eps_outside=False, infer_batch=False, infer_update=False
):
    """What batch norm returns with one of its classic mistakes."""

    def wrong(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=EPS):
        mean, var = x.mean(axis=0), x.var(axis=0, ddof=ddof_norm) if x.shape[0] > ddof_norm else x.var(axis=0)
        m = 1 - momentum if swap_momentum else momentum
        run_var = x.var(axis=0, ddof=ddof_run) if x.shape[0] > ddof_run else running_var
        updated = (1 - m) * running_mean + m * mean, (1 - m) * running_var + m * run_var
        if training or infer_batch:
            std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
            out = gamma * (x - mean) / std + beta
        else:
            out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        if training or infer_update:
            return (out, *updated)
        return out, running_mean, running_var

    return wrong


# --------------------------------------------------------------------------- batch norm backward


def _bn_backward(dout, x, gamma, eps=EPS):
    _, cache = batchnorm_forward(x, gamma, np.zeros_like(gamma), eps)
    return batchnorm_backward(dout, cache)


def _bn_backward_cases(rng):
    def inputs(n, d, decimals=1):
        return {
            "dout": rounded(rng.normal(0, 1, (n, d)), decimals),
            "x": rounded(rng.normal(1, 2, (n, d)), decimals),
            "gamma": rounded(rng.uniform(0.5, 2, d), decimals),
        }

    small, two, big = inputs(4, 3), inputs(2, 3), inputs(16, 5, 6)
    fd = inputs(5, 3, 6)
    beta = rng.normal(0, 1, 3)

    def forward(x, gamma, beta):
        return batchnorm_forward(x, gamma, beta)[0]

    return [
        compare_case("4 × 3", "batchnorm_backward", small, _bn_backward(**small), names=BN_GRAD_NAMES),
        compare_case("a batch of two", "batchnorm_backward", two, _bn_backward(**two), names=BN_GRAD_NAMES),
        compare_case("16 × 5", "batchnorm_backward", big, _bn_backward(**big), names=BN_GRAD_NAMES),
        fd_case(
            "finite differences",
            "batchnorm_backward",
            fd,
            forward,
            {"x": fd["x"], "gamma": fd["gamma"], "beta": beta},
            ["x", "gamma", "beta"],
            fd["dout"],
            names=BN_GRAD_NAMES,
        ),
    ]


def _bn_backward_constant_stats(dout, x, gamma, eps=EPS):
    _, dgamma, dbeta = _bn_backward(dout, x, gamma, eps)
    return dout * gamma / np.sqrt(x.var(axis=0) + eps), dgamma, dbeta


def _bn_backward_no_mean_term(dout, x, gamma, eps=EPS):
    n = x.shape[0]
    inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dgamma = np.sum(dout * x_hat, axis=0)
    return gamma * inv_std / n * (n * dout - x_hat * dgamma), dgamma, dout.sum(axis=0)


def _bn_backward_no_var_term(dout, x, gamma, eps=EPS):
    n = x.shape[0]
    inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    return gamma * inv_std / n * (n * dout - dout.sum(axis=0)), np.sum(dout * x_hat, axis=0), dout.sum(axis=0)


# --------------------------------------------------------------------------- layer norm


def _ln(x, gamma, beta, eps=EPS):
    return layernorm_forward(x, gamma, beta, eps)[0]


def _ln_inputs(rng, shape, decimals=1):
    d = shape[-1]
    return {
        "x": rounded(rng.normal(1, 2, shape), decimals),
        "gamma": rounded(rng.uniform(0.5, 2, d), decimals),
        "beta": rounded(rng.normal(0, 1, d), decimals),
    }


def _ln_cases(rng):
    flat = _ln_inputs(rng, (2, 5))
    flat["x"][1] = [1.0, 1.001, 0.999, 1.0, 1.002]
    cases = [
        ("2 × 4", _ln_inputs(rng, (2, 4)), ""),
        (
            "3 examples, 5 features",
            _ln_inputs(rng, (3, 5)),
            "Layer norm averages over the features of each example (the last axis), not over the batch.",
        ),
        ("a batch of one", _ln_inputs(rng, (1, 6)), ""),
        (
            "a row with a tiny variance",
            flat,
            "ε goes inside the square root, √(σ² + ε), as in PyTorch; it matters when σ² is small.",
        ),
        (
            "shape (2, 3, 4)",
            _ln_inputs(rng, (2, 3, 4)),
            "Normalise over the last axis only, keeping it (keepdims=True) to broadcast.",
        ),
        ("shape (8, 16)", _ln_inputs(rng, (8, 16), 6), ""),
    ]
    return [compare_case(name, "layernorm", inputs, _ln(**inputs), hint=hint) for name, inputs, hint in cases]


def _ln_wrong(*, axis=-1, ddof=0, eps_outside=False, affine=True):
    def wrong(x, gamma, beta, eps=EPS):
        mean = x.mean(axis=axis, keepdims=True)
        var = x.var(axis=axis, ddof=ddof, keepdims=True)
        std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        x_hat = (x - mean) / std
        return gamma * x_hat + beta if affine else x_hat

    return wrong


SPECS = {
    "batchnorm-forward": Spec(
        _bn_forward_cases,
        (
            Mistake(
                "batchnorm_forward",
                "The normalisation uses the unbiased variance (÷ (N − 1)); training-mode batch norm divides by N.",
                _bn_wrong(ddof_norm=1),
            ),
            Mistake(
                "batchnorm_forward",
                "The running variance takes the unbiased batch variance (÷ (N − 1)) in PyTorch, though the "
                "normalisation itself uses the biased one.",
                _bn_wrong(ddof_run=0),
            ),
            Mistake(
                "batchnorm_forward",
                "The momentum is the weight of the new batch in PyTorch: running ← (1 − "
                "momentum)·running + momentum·batch.",
                _bn_wrong(swap_momentum=True),
            ),
            Mistake("batchnorm_forward", "ε belongs inside the square root: √(σ² + ε).", _bn_wrong(eps_outside=True)),
            Mistake(
                "batchnorm_forward",
                "In inference the output uses the running statistics, not the batch's.",
                _bn_wrong(infer_batch=True),
            ),
            Mistake(
                "batchnorm_forward",
                "In inference the running statistics must come back unchanged: only training updates them.",
                _bn_wrong(infer_update=True),
            ),
        ),
    ),
    "batchnorm-backward": Spec(
        _bn_backward_cases,
        (
            Mistake(
                "batchnorm_backward",
                "This treats the batch mean and variance as constants (dx = dout·γ/σ). They depend on every x of the "
                "column: dx = (γ/(Nσ))·(N·dout − Σdout − x̂·Σ(dout·x̂)).",
                _bn_backward_constant_stats,
            ),
            Mistake(
                "batchnorm_backward",
                "The path through the mean is missing: the −Σ dout term.",
                _bn_backward_no_mean_term,
            ),
            Mistake(
                "batchnorm_backward",
                "The path through the variance is missing: the −x̂·Σ(dout·x̂) term.",
                _bn_backward_no_var_term,
            ),
        ),
    ),
    "layernorm": Spec(
        _ln_cases,
        (
            Mistake(
                "layernorm",
                "This normalises over the batch (axis 0), which is batch norm; layer norm uses the last axis.",
                _ln_wrong(axis=0),
            ),
            Mistake("layernorm", "Layer norm uses the biased variance (÷ D), not ÷ (D − 1).", _ln_wrong(ddof=1)),
            Mistake("layernorm", "ε belongs inside the square root: √(σ² + ε).", _ln_wrong(eps_outside=True)),
            Mistake("layernorm", "γ and β are missing: out = γ ⊙ x̂ + β.", _ln_wrong(affine=False)),
        ),
    ),
}
