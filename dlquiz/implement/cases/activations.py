"""Checks for the activation exercises: stable sigmoid, softmax, log-softmax, softmax backward."""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import compare_case, fd_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.activations import log_softmax, sigmoid, softmax, softmax_vjp

OVERFLOW_HINT = (
    "e^x overflows float64 for x > 709 (inf), and inf/inf is NaN; a row of very negative logits underflows "
    "to 0/0. Subtract each slice's maximum first: softmax(x − max) = softmax(x)."
)

# --------------------------------------------------------------------------- sigmoid


def _sigmoid_cases(rng):
    big = np.array([[-1000.0, -50.0, 0.0], [50.0, 710.0, 1000.0]])
    timed = rng.normal(0, 10, (500, 500))
    return [
        compare_case(
            "small values", "sigmoid", {"x": np.array([-2.0, -0.5, 0.0, 0.5, 2.0])}, sigmoid([-2, -0.5, 0, 0.5, 2])
        ),
        compare_case(
            "large positive and negative x",
            "sigmoid",
            {"x": big},
            sigmoid(big),
            no_warnings=True,
            hint="At x = −1000, 1/(1 + e^(−x)) computes e^1000 = inf (an overflow, even if 1/inf then gives 0), and "
            "e^x/(1 + e^x) gives inf/inf = NaN at x = +1000. Use 1/(1 + e^(−x)) where x ≥ 0 and e^x/(1 + e^x) "
            "where x < 0: both only exponentiate −|x|.",
        ),
        *(
            compare_case(
                f"random, shape {shape}", "sigmoid", {"x": (x := rounded(rng.normal(0, 5, shape), 2))}, sigmoid(x)
            )
            for shape in [(3, 4), (2, 3, 5)]
        ),
        compare_case(
            "a 500 × 500 array", "sigmoid", {"x": timed}, sigmoid(timed), timed=True, reference=lambda: sigmoid(timed)
        ),
    ]


def _sigmoid_exp_over(x):
    with np.errstate(all="ignore"):
        return np.exp(x) / (1.0 + np.exp(x))


def _sigmoid_textbook(x):
    with np.errstate(all="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------- softmax


def _softmax_cases(rng):
    small = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    large = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]])
    scales = np.array([[0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]])
    square = rounded(rng.normal(0, 2, (3, 3)))
    timed = rng.normal(0, 3, (256, 1000))
    return [
        compare_case("two rows", "softmax", {"x": small}, softmax(small)),
        compare_case("large logits", "softmax", {"x": large}, softmax(large), no_warnings=True, hint=OVERFLOW_HINT),
        compare_case(
            "logits from −1000 to 1000 in one row",
            "softmax",
            {"x": (wide := np.array([[-1000.0, 0.0, 1000.0], [5.0, -995.0, 0.0]]))},
            softmax(wide),
            no_warnings=True,
            hint="Subtract the row's maximum (not its minimum or mean): then the largest exponent is e⁰ = 1 and "
            "nothing overflows.",
        ),
        compare_case(
            "rows on very different scales",
            "softmax",
            {"x": scales},
            softmax(scales),
            no_warnings=True,
            hint="Subtract each row's own maximum (keepdims=True), not one maximum of the whole array: a row far "
            "below the global maximum underflows to 0/0.",
        ),
        compare_case(
            "a square input",
            "softmax",
            {"x": square},
            softmax(square),
            hint="With a square input, x − x.max(axis=-1) (no keepdims) broadcasts the row maxima along the wrong "
            "axis without an error.",
        ),
        compare_case(
            "axis=0",
            "softmax",
            {"x": (x0 := rounded(rng.normal(0, 2, (3, 4))))},
            softmax(x0, axis=0),
            kwargs={"axis": 0},
        ),
        compare_case("a 1-D vector", "softmax", {"x": (v := rounded(rng.normal(0, 2, 5)))}, softmax(v)),
        compare_case("a batch of one", "softmax", {"x": (one := rounded(rng.normal(0, 2, (1, 4))))}, softmax(one)),
        compare_case("one class", "softmax", {"x": (single := rounded(rng.normal(0, 2, (4, 1))))}, softmax(single)),
        compare_case("shape (2, 3, 4)", "softmax", {"x": (x3 := rng.normal(0, 3, (2, 3, 4)))}, softmax(x3)),
        compare_case(
            "shape (2, 3, 4), axis=1",
            "softmax",
            {"x": (x4 := rng.normal(0, 3, (2, 3, 4)))},
            softmax(x4, axis=1),
            kwargs={"axis": 1},
        ),
        compare_case(
            "256 × 1000 logits", "softmax", {"x": timed}, softmax(timed), timed=True, reference=lambda: softmax(timed)
        ),
    ]


def _softmax_no_shift(x, axis=-1):
    with np.errstate(all="ignore"):
        e = np.exp(x)
        return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_global_max(x, axis=-1):
    with np.errstate(all="ignore"):
        e = np.exp(x - np.max(x))
        return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_fixed_axis(x, axis=-1):  # noqa: ARG001 (the mistake ignores it)
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_wrong_axis(x, axis=-1):  # noqa: ARG001
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


# --------------------------------------------------------------------------- log-softmax


def _log_softmax_cases(rng):
    small = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    unlikely = np.array([[0.0, -1000.0], [1000.0, 0.0]])
    large = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]])
    timed = rng.normal(0, 3, (256, 1000))
    return [
        compare_case("two rows", "log_softmax", {"x": small}, log_softmax(small)),
        compare_case(
            "a very unlikely class",
            "log_softmax",
            {"x": unlikely},
            log_softmax(unlikely),
            no_warnings=True,
            hint="log(softmax(x)) takes log 0 = −inf when a probability underflows. Compute "
            "x − m − log Σ e^(x − m) with m the maximum: the log is then of a number ≥ 1.",
        ),
        compare_case(
            "large logits", "log_softmax", {"x": large}, log_softmax(large), no_warnings=True, hint=OVERFLOW_HINT
        ),
        compare_case(
            "a square input",
            "log_softmax",
            {"x": (square := rounded(rng.normal(0, 2, (3, 3))))},
            log_softmax(square),
            hint="Keep the reduced axis (keepdims=True) so that it broadcasts against its own rows.",
        ),
        compare_case(
            "axis=0",
            "log_softmax",
            {"x": (x0 := rounded(rng.normal(0, 2, (3, 4))))},
            log_softmax(x0, axis=0),
            kwargs={"axis": 0},
        ),
        compare_case("a 1-D vector", "log_softmax", {"x": (v := rounded(rng.normal(0, 2, 5)))}, log_softmax(v)),
        compare_case(
            "a batch of one", "log_softmax", {"x": (one := rounded(rng.normal(0, 2, (1, 4))))}, log_softmax(one)
        ),
        compare_case("shape (2, 3, 4)", "log_softmax", {"x": (x3 := rng.normal(0, 3, (2, 3, 4)))}, log_softmax(x3)),
        compare_case(
            "256 × 1000 logits",
            "log_softmax",
            {"x": timed},
            log_softmax(timed),
            timed=True,
            reference=lambda: log_softmax(timed),
        ),
    ]


def _log_of_softmax(x, axis=-1):
    with np.errstate(all="ignore"):
        return np.log(softmax(x, axis=axis))


def _log_softmax_no_shift(x, axis=-1):
    with np.errstate(all="ignore"):
        return x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))


def _log_softmax_forgot_max(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    return x - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


# --------------------------------------------------------------------------- softmax backward


def _softmax_backward_cases(rng):
    z = np.array([[1.0, 2.0, 3.0]])
    dp = np.array([[1.0, 0.0, 0.0]])
    z2 = rounded(rng.normal(0, 1, (2, 4)))
    dp2 = rounded(rng.normal(0, 1, (2, 4)))
    z3, dp3 = rng.normal(0, 2, (2, 3, 5)), rng.normal(0, 1, (2, 3, 5))
    return [
        compare_case("one row, dp = e₁", "softmax_backward", {"dp": dp, "p": softmax(z)}, softmax_vjp(z, dp)),
        compare_case("two rows", "softmax_backward", {"dp": dp2, "p": softmax(z2)}, softmax_vjp(z2, dp2)),
        fd_case(
            "finite differences of softmax",
            "softmax_backward",
            {"dp": dp2, "p": softmax(z2)},
            softmax,
            {"z": z2},
            ["z"],
            dp2,
        ),
        compare_case("shape (2, 3, 5)", "softmax_backward", {"dp": dp3, "p": softmax(z3)}, softmax_vjp(z3, dp3)),
        compare_case(
            "a batch of one, one class",
            "softmax_backward",
            {"dp": np.array([[2.5]]), "p": np.array([[1.0]])},
            np.array([[0.0]]),
        ),
    ]


def _softmax_backward_diagonal(dp, p):
    return dp * p * (1.0 - p)


def _softmax_backward_sign(dp, p):
    return p * (np.sum(dp * p, axis=-1, keepdims=True) - dp)


def _softmax_backward_no_keepdims(dp, p):
    return p * (dp - np.sum(dp * p))


SPECS = {
    "stable-sigmoid": Spec(
        _sigmoid_cases,
        (
            Mistake(
                "sigmoid",
                "e^x / (1 + e^x) overflows to inf/inf = NaN for large positive x; use it only where x < 0.",
                _sigmoid_exp_over,
            ),
            Mistake("sigmoid", "The textbook 1/(1 + e^(−x)) overflows for large negative x.", _sigmoid_textbook),
        ),
    ),
    "softmax": Spec(
        _softmax_cases,
        (
            Mistake("softmax", "This is softmax without the max subtraction: " + OVERFLOW_HINT, _softmax_no_shift),
            Mistake(
                "softmax",
                "You subtract the maximum of the whole array; subtract each slice's own maximum "
                "(np.max(x, axis=axis, keepdims=True)), or rows far below the global maximum underflow to 0/0.",
                _softmax_global_max,
            ),
            Mistake(
                "softmax", "The axis argument is ignored: use it for the max and for the sum.", _softmax_fixed_axis
            ),
            Mistake("softmax", "This normalises over axis 0 (the batch), not over the classes.", _softmax_wrong_axis),
        ),
    ),
    "log-softmax": Spec(
        _log_softmax_cases,
        (
            Mistake(
                "log_softmax",
                "This is log(softmax(x)): a probability that underflows to 0 gives log 0 = −inf.",
                _log_of_softmax,
            ),
            Mistake(
                "log_softmax", "Without subtracting the maximum, e^x overflows for large logits.", _log_softmax_no_shift
            ),
            Mistake(
                "log_softmax",
                "You subtracted the maximum inside the sum but did not add it back: logsumexp(x) = m "
                "+ log Σ e^(x − m).",
                _log_softmax_forgot_max,
            ),
        ),
    ),
    "softmax-backward": Spec(
        _softmax_backward_cases,
        (
            Mistake(
                "softmax_backward",
                "This keeps only the diagonal of the Jacobian, dp·p(1 − p) (the sigmoid rule). Softmax couples the "
                "outputs: ∂L/∂z_j = p_j(dp_j − Σ_i dp_i p_i).",
                _softmax_backward_diagonal,
            ),
            Mistake("softmax_backward", "The sign is flipped: ∂L/∂z = p ⊙ (dp − Σ dp⊙p).", _softmax_backward_sign),
            Mistake(
                "softmax_backward",
                "Σ dp⊙p must be taken per row (axis=-1, keepdims=True), not over the whole array.",
                _softmax_backward_no_keepdims,
            ),
        ),
    ),
}
