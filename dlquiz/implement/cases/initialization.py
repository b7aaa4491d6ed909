"""Checks for the initialisation exercises: Xavier and He, uniform and normal.

Random weights cannot be compared entry by entry (any correct use of the generator is right), so these
checks judge what a correct initialiser guarantees, on 150,000 draws: the shape (fan_in, fan_out), a
mean near 0, the standard deviation within 3 % (the sampling error is about 0.2 %), the bound of a
uniform, the tails of a normal, and that the randomness comes from ``rng``.
"""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec
from dlquiz.implement.checks import Call, Case, Mismatch
from dlquiz.implement.values import kind_of

STD_TOLERANCE = 0.03


def _named_spreads(fan_in: int, fan_out: int) -> dict[str, float]:
    """Standard deviations that classic mistakes produce, by what they are."""
    xavier, he = np.sqrt(2 / (fan_in + fan_out)), np.sqrt(2 / fan_in)
    return {
        "√(2/(fan_in + fan_out)), Xavier's": xavier,
        "√(2/fan_in), He's (for ReLU)": he,
        "√(1/fan_in), LeCun's": np.sqrt(1 / fan_in),
        "√(2/fan_out): fan_out where fan_in belongs": np.sqrt(2 / fan_out),
        "√(6/(fan_in + fan_out)): Xavier-uniform's bound a used as the standard deviation": np.sqrt(3) * xavier,
        "√(6/fan_in): He-uniform's bound a used as the standard deviation": np.sqrt(3) * he,
        "a/√3 with a = √(2/(fan_in + fan_out)): the standard deviation used as the uniform bound": xavier / np.sqrt(3),
        "a/√3 with a = √(2/fan_in): the standard deviation used as the uniform bound": he / np.sqrt(3),
        "2/(fan_in + fan_out): the variance, without the square root": 2 / (fan_in + fan_out),
        "2/fan_in: the variance, without the square root": 2 / fan_in,
    }


def _spread_judge(kind: str, fan_in: int, fan_out: int, std: float, formula: str):
    bound = np.sqrt(3) * std if kind == "uniform" else None

    def judge(values):
        w = values[0]
        if not isinstance(w, np.ndarray):
            return Mismatch("wrong type", f"returned {kind_of(w)}; expected an array of shape ({fan_in}, {fan_out})")
        if w.shape != (fan_in, fan_out):
            hint = (
                "The x @ W layout is (fan_in, fan_out); nn.Linear.weight is the transpose."
                if w.shape == (fan_out, fan_in)
                else None
            )
            return Mismatch("wrong shape", f"returned shape {w.shape}; expected ({fan_in}, {fan_out})", hint=hint)
        if w.dtype != np.float64:
            return Mismatch("wrong dtype", f"returned dtype {w.dtype}; expected float64")
        got_std, mean = float(w.std()), float(w.mean())
        if abs(mean) > 6 * std / np.sqrt(w.size):
            return Mismatch(
                "not centred",
                f"the mean of the weights is {mean:.4g}; it should be 0 (±{6 * std / np.sqrt(w.size):.2g})",
            )
        if abs(got_std / std - 1) > STD_TOLERANCE:
            named = next(
                (
                    name
                    for name, value in _named_spreads(fan_in, fan_out).items()
                    if abs(got_std / value - 1) < STD_TOLERANCE
                ),
                None,
            )
            return Mismatch(
                "wrong spread",
                f"the standard deviation of your weights is {got_std:.4g}; expected {formula} = {std:.4g}",
                hint=f"Yours matches {named}." if named else "For U(−a, a) the standard deviation is a/√3.",
            )
        if bound is not None:
            top = float(np.abs(w).max())
            if top > bound * (1 + 1e-9) or top < 0.98 * bound:
                return Mismatch(
                    "not uniform on (−a, a)",
                    f"the largest |w| is {top:.4g}; a uniform U(−a, a) with a = {bound:.4g} reaches "
                    "close to a, never past it",
                )
        else:
            tails = float(np.mean(np.abs(w) > 2 * std))
            if not 0.035 < tails < 0.056:
                return Mismatch(
                    "not normal",
                    f"{tails:.2%} of the weights lie beyond two standard deviations; a normal puts 4.55 % there",
                    hint="A uniform draw with the right variance has no tails: use rng.normal (or "
                    "rng.standard_normal).",
                )
        return None

    return judge


def _seeded(function: str, fan_in: int, fan_out: int) -> Case:
    def judge(values):
        first, again, other = values
        if not all(isinstance(v, np.ndarray) for v in values):
            return Mismatch("wrong type", f"returned {kind_of(first)}; expected an array")
        if not np.array_equal(first, again):
            return Mismatch(
                "the weights do not come from rng",
                "two calls with generators made from the same seed returned different weights",
                hint="Draw from the rng argument (rng.uniform, rng.normal), not from np.random's global functions.",
            )
        if np.array_equal(first, other):
            return Mismatch("the weights never change", "generators with different seeds gave the same weights")
        return None

    r = np.random.default_rng
    calls = tuple(Call(function, {"fan_in": fan_in, "fan_out": fan_out, "rng": r(seed)}) for seed in (11, 11, 12))
    return Case(f"{function}: the same seed gives the same weights", calls, judge)


def _init_cases(function: str, kind: str, std_of, formula: str):
    def cases(rng):  # noqa: ARG001 (the calls bring their own generators)
        out = []
        for fan_in, fan_out in [(300, 500), (500, 300), (600, 250)]:
            std = std_of(fan_in, fan_out)
            call = Call(
                function, {"fan_in": fan_in, "fan_out": fan_out, "rng": np.random.default_rng(fan_in + fan_out)}
            )
            out.append(
                Case(
                    f"{function}, fan_in = {fan_in}, fan_out = {fan_out}",
                    (call,),
                    _spread_judge(kind, fan_in, fan_out, std, formula),
                )
            )
        out.append(_seeded(function, 4, 3))
        return out

    return cases


def _xavier_std(fan_in, fan_out):
    return np.sqrt(2 / (fan_in + fan_out))


def _he_std(fan_in, fan_out):  # noqa: ARG001
    return np.sqrt(2 / fan_in)


def _both(first, second):
    def cases(rng):
        return first(rng) + second(rng)

    return cases


SPECS = {
    "xavier-init": Spec(
        _both(
            _init_cases("xavier_uniform", "uniform", _xavier_std, "√(2/(fan_in + fan_out))"),
            _init_cases("xavier_normal", "normal", _xavier_std, "√(2/(fan_in + fan_out))"),
        )
    ),
    "he-init": Spec(
        _both(
            _init_cases("he_normal", "normal", _he_std, "√(2/fan_in)"),
            _init_cases("he_uniform", "uniform", _he_std, "√(2/fan_in)"),
        )
    ),
}
