"""Checks for the gradient exercises: a numerical gradient check, embedding backward (scatter-add)."""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import Call, Case, Expect, Target, compare_case
from dlquiz.implement.child import TARGETS
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.embedding import embedding_backward
from dlquiz.reference.gradcheck import numerical_gradient

# The learner's central differences are compared with the reference's, which compute the same
# quotient: they agree to rounding, while a one-sided difference is off by about h·f″/2 (1e-5 here).
GRAD_RTOL, GRAD_ATOL = 1e-7, 1e-9

# --------------------------------------------------------------------------- numerical gradient


def _grad_case(name, target, x, h=None, closure=False, hint=""):
    kwargs = {} if h is None else {"h": h}
    expected = numerical_gradient(TARGETS[target], np.array(x), h=1e-5 if h is None else h)
    call = Call(
        "numerical_gradient",
        {"f": Target(target), "x": x},
        kwargs,
        restore_rtol=1e-12,
        closure=("f", target, "x") if closure else None,
    )
    expect = Expect(expected, rtol=GRAD_RTOL, atol=GRAD_ATOL)
    return Case(name, (call,), expect, hint, expect=expect)


def _grad_cases(rng):
    return [
        _grad_case(
            "f(x) = Σx² at [1, −2, 3]",
            "square_sum",
            np.array([1.0, -2.0, 3.0]),
            hint="The one-sided (f(x + h) − f(x))/h is off by h here (2x + h instead of 2x); the central "
            "difference (f(x + h) − f(x − h))/2h is exact for a quadratic.",
        ),
        _grad_case(
            "a 3 × 4 array",
            "wavy",
            rounded(rng.normal(0, 1.5, (3, 4)), 2),
            hint="Visit every index of a multi-dimensional x: np.ndindex(x.shape) (x[i] with one integer picks a row).",
        ),
        _grad_case("f returns a 0-d array", "softplus_sum", rounded(rng.normal(0, 2, 5), 2)),
        _grad_case(
            "f reads x itself",
            "wavy",
            rounded(rng.normal(0, 1.5, (2, 3)), 2),
            closure=True,
            hint="Perturb x in place (x[i] = old + h, then old − h, then restore it): a loss may read the weight array "
            "itself rather than its argument, so changing a copy changes nothing.",
        ),
        _grad_case(
            "the h it is given, h = 1e-2", "wavy", rounded(rng.normal(0, 1.5, 4), 2), h=1e-2, hint="Use the h argument."
        ),
    ]


# --------------------------------------------------------------------------- embedding backward


def _emb_cases(rng):
    ids = np.array([1, 3, 1, 0])
    dout = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0], [-2.0, 1.0]])
    unique = np.array([4, 2, 0])
    d_unique = rounded(rng.normal(0, 1, (3, 2)))
    batch = rng.integers(0, 6, (3, 5))
    d_batch = rounded(rng.normal(0, 1, (3, 5, 4)))
    timed = rng.integers(0, 500, (32, 64))
    d_timed = rng.normal(0, 1, (32, 64, 32))

    def case(name, dout, ids, vocab, hint="", **options):
        args = {"dout": dout, "ids": ids, "vocab_size": vocab}
        return compare_case(
            name, "embedding_backward", args, embedding_backward(dout, ids, vocab), hint=hint, **options
        )

    return [
        case(
            "token 1 appears twice",
            dout,
            ids,
            5,
            hint="dW[ids] += dout does not add repeated ids up: NumPy applies each index once (buffered). Use "
            "np.add.at(dW, ids, dout), or a loop, or onehotᵀ·dout.",
        ),
        case("no repeats, unused rows stay 0", d_unique, unique, 6),
        case(
            "a (3, 5) batch of ids",
            d_batch,
            batch,
            6,
            hint="ids may have any shape: flatten ids and dout to (−1,) and (−1, D).",
        ),
        case("a batch of one token", rounded(rng.normal(0, 1, (1, 3))), np.array([2]), 4),
        case(
            "32 × 64 ids, V = 500, D = 32",
            d_timed,
            timed,
            500,
            timed=True,
            reference=lambda: embedding_backward(d_timed, timed, 500),
        ),
    ]


def _emb_buffered(dout, ids, vocab_size):
    dW = np.zeros((vocab_size, dout.shape[-1]))
    dW[ids.reshape(-1)] += dout.reshape(-1, dout.shape[-1])
    return dW


def _emb_mean(dout, ids, vocab_size):
    dW = embedding_backward(dout, ids, vocab_size)
    counts = np.bincount(ids.reshape(-1), minlength=vocab_size)[:, None]
    return dW / np.maximum(counts, 1)


SPECS = {
    "numerical-gradient": Spec(_grad_cases),
    "embedding-backward": Spec(
        _emb_cases,
        (
            Mistake(
                "embedding_backward",
                "dW[ids] += dout keeps only one of the gradients of a repeated id (NumPy buffers fancy-index updates); "
                "np.add.at(dW, ids, dout) adds every one.",
                _emb_buffered,
            ),
            Mistake("embedding_backward", "A repeated id gets the sum of its gradients, not their mean.", _emb_mean),
        ),
    ),
}
