"""Small helpers the demo modules share: turning arrays into plain lists, checking settings, running an
optimizer along a path, and a small regression problem."""

from __future__ import annotations

import numpy as np

from dlquiz.errors import UserError
from dlquiz.reference import layers, training


def floats(a) -> list:
    """An array (any shape) as nested lists of Python floats."""
    return np.asarray(a, dtype=float).tolist()


def num(x) -> float:
    """A 0-d array or NumPy scalar as a Python float."""
    return float(np.asarray(x, dtype=float))


def series(xs, ys) -> tuple[list[float], list[float]]:
    """One plot series as two plain lists."""
    return floats(np.ravel(xs)), floats(np.ravel(ys))


def steps_axis(n: int, start: int = 0) -> list[float]:
    return [float(i) for i in range(start, start + n)]


def need(ok: bool, message: str) -> None:
    """Reject a setting the demo cannot use (the caller adds the list of valid settings)."""
    if not ok:
        raise UserError(message)


def in_range(name: str, value, low, high) -> None:
    need(low <= value <= high, f"'{name}' must be between {low} and {high} (got {value})")


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def matrix_text(a, digits: int = 3) -> str:
    """A small array as text for a table cell, rounded to ``digits`` decimals: ``[0.55, -0.3]``; a matrix
    gets one row per line, ``[[1, 2],\n [3, 4]]``."""
    a = np.round(np.asarray(a, dtype=float), digits) + 0.0  # + 0.0 turns −0 into 0

    def row(v):
        return "[" + ", ".join(f"{x:g}" for x in v) + "]"

    if a.ndim == 0:
        return f"{float(a):g}"
    if a.ndim == 1:
        return row(a)
    return "[" + ",\n ".join(row(r) for r in a.reshape(a.shape[0], -1)) + "]"


def gradient_errors(loss, args: dict, analytic: dict) -> dict:
    """Relative error of each analytic gradient against central differences.

    ``loss(**args)`` returns a float; each argument in ``args`` is perturbed in turn (a copy of it),
    and ``analytic[name]`` is the gradient the code under test computed for that argument.
    """
    from dlquiz.reference import gradcheck

    errors = {}
    for name, value in args.items():
        numeric = gradcheck.numerical_gradient(
            lambda v, name=name: float(loss(**{**args, name: v})), np.array(value, dtype=float)
        )
        errors[name] = gradcheck.relative_error(analytic[name], numeric)
    return errors


def run_optimizer(opt, grad_fn, theta0, steps: int, stop=None) -> np.ndarray:
    """Positions θ₀ … θ_steps of ``opt`` minimising a function whose gradient is ``grad_fn``.

    ``stop(θ)``, if given, ends the run early once it returns True (the path is then shorter).
    """
    params = {"theta": np.array(theta0, dtype=float)}
    path = [params["theta"].copy()]
    for _ in range(steps):
        opt.step(params, {"theta": grad_fn(params["theta"])})
        path.append(np.array(params["theta"], dtype=float))
        if stop is not None and stop(path[-1]):
            break
    return np.array(path)


def net_problem(seed: int, n: int = 64, d: int = 8, hidden: int = 16):
    """A small regression problem (X, y) and a fresh two-layer tanh network for it, with the generator used."""
    r = rng(seed)
    X, y, _, _ = training.make_regression(n, d, r)
    return r, X, y, layers.two_layer_net_init(d, hidden, r, activation="tanh")
