"""Checks for the loss exercises: cross-entropy from logits, binary cross-entropy from logits."""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import FD_ATOL, FD_RTOL, compare_case, numerical_gradients
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.activations import sigmoid, softmax
from dlquiz.reference.losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    cross_entropy_grad,
)

CE_NAMES = ("loss", "dlogits")
BCE_NAMES = ("loss", "dz")

# --------------------------------------------------------------------------- cross-entropy


def _ce(logits, targets):
    return cross_entropy(logits, targets), cross_entropy_grad(logits, targets)


def _ce_cases(rng):
    small = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    small_t = np.array([0, 1])
    large = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]])
    large_t = np.array([2, 1])
    one = rounded(rng.normal(0, 2, (1, 4)))
    one_t = np.array([3])
    z, t = rng.normal(0, 2, (8, 5)), rng.integers(0, 5, 8)
    fd_z, fd_t = rounded(rng.normal(0, 1, (3, 4))), np.array([1, 0, 3])
    (fd_grad,) = numerical_gradients(lambda a: cross_entropy(a, fd_t), [fd_z])
    timed, timed_t = rng.normal(0, 3, (256, 1000)), rng.integers(0, 1000, 256)
    return [
        compare_case(
            "two examples", "cross_entropy", {"logits": small, "targets": small_t}, _ce(small, small_t), names=CE_NAMES
        ),
        compare_case(
            "large logits",
            "cross_entropy",
            {"logits": large, "targets": large_t},
            _ce(large, large_t),
            names=CE_NAMES,
            no_warnings=True,
            hint="Work in log space: −log softmax(z)[y] = logsumexp(z) − z[y], with logsumexp(z) = m + log Σ e^(z − m) "
            "and m the row's maximum. A confidently wrong prediction has a loss of about 2000 here, not inf.",
        ),
        compare_case(
            "a batch of one", "cross_entropy", {"logits": one, "targets": one_t}, _ce(one, one_t), names=CE_NAMES
        ),
        compare_case("8 examples, 5 classes", "cross_entropy", {"logits": z, "targets": t}, _ce(z, t), names=CE_NAMES),
        compare_case(
            "finite differences of the loss",
            "cross_entropy",
            {"logits": fd_z, "targets": fd_t},
            (cross_entropy(fd_z, fd_t), fd_grad),
            names=CE_NAMES,
            rtol=FD_RTOL,
            atol=FD_ATOL,
        ),
        compare_case(
            "256 examples, 1000 classes",
            "cross_entropy",
            {"logits": timed, "targets": timed_t},
            _ce(timed, timed_t),
            names=CE_NAMES,
            timed=True,
            reference=lambda: _ce(timed, timed_t),
        ),
    ]


def _ce_sum(logits, targets):
    loss, grad = _ce(logits, targets)
    return loss * len(targets), grad * len(targets)


def _ce_grad_not_averaged(logits, targets):
    loss, grad = _ce(logits, targets)
    return loss, grad * len(targets)


def _ce_log_of_softmax(logits, targets):
    with np.errstate(all="ignore"):
        p = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(len(targets)), targets]))
    return loss, cross_entropy_grad(logits, targets)


def _ce_grad_no_onehot(logits, targets):
    return cross_entropy(logits, targets), softmax(logits) / len(targets)


def _ce_grad_sign(logits, targets):
    loss, grad = _ce(logits, targets)
    return loss, -grad


# --------------------------------------------------------------------------- binary cross-entropy


def _bce(z, y):
    return binary_cross_entropy_with_logits(z, y), (sigmoid(z) - y) / z.size


def _bce_cases(rng):
    z = np.array([2.0, -1.0, 0.5, 0.0])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    big = np.array([1000.0, -1000.0, 40.0, -40.0])
    big_y = np.array([0.0, 1.0, 1.0, 0.0])
    z2, y2 = rng.normal(0, 3, (4, 3)), rng.integers(0, 2, (4, 3)).astype(float)
    soft = rounded(rng.uniform(0, 1, 6), 2)
    zs = rounded(rng.normal(0, 2, 6))
    fd_z, fd_y = rounded(rng.normal(0, 2, (2, 3))), np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    (fd_grad,) = numerical_gradients(lambda a: binary_cross_entropy_with_logits(a, fd_y), [fd_z])
    timed, timed_y = rng.normal(0, 3, (500, 500)), rng.integers(0, 2, (500, 500)).astype(float)
    return [
        compare_case("four logits", "bce_with_logits", {"z": z, "y": y}, _bce(z, y), names=BCE_NAMES),
        compare_case(
            "confident predictions, |z| up to 1000",
            "bce_with_logits",
            {"z": big, "y": big_y},
            _bce(big, big_y),
            names=BCE_NAMES,
            no_warnings=True,
            hint="σ(z) rounds to exactly 0 or 1 for |z| > 37, and log 0 = −inf. Use the form on logits, "
            "max(z, 0) − z·y + log(1 + e^(−|z|)), which never exponentiates a positive number.",
        ),
        compare_case("a 4 × 3 batch", "bce_with_logits", {"z": z2, "y": y2}, _bce(z2, y2), names=BCE_NAMES),
        compare_case(
            "soft targets in (0, 1)", "bce_with_logits", {"z": zs, "y": soft}, _bce(zs, soft), names=BCE_NAMES
        ),
        compare_case(
            "finite differences of the loss",
            "bce_with_logits",
            {"z": fd_z, "y": fd_y},
            (binary_cross_entropy_with_logits(fd_z, fd_y), fd_grad),
            names=BCE_NAMES,
            rtol=FD_RTOL,
            atol=FD_ATOL,
        ),
        compare_case(
            "a 500 × 500 batch",
            "bce_with_logits",
            {"z": timed, "y": timed_y},
            _bce(timed, timed_y),
            names=BCE_NAMES,
            timed=True,
            reference=lambda: _bce(timed, timed_y),
        ),
    ]


def _bce_through_sigmoid(z, y):
    with np.errstate(all="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss, (sigmoid(z) - y) / z.size


def _bce_softplus_overflow(z, y):
    with np.errstate(all="ignore"):
        loss = np.mean(np.log(1 + np.exp(z)) - z * y)
    return loss, (sigmoid(z) - y) / z.size


def _bce_sum(z, y):
    loss, grad = _bce(z, y)
    return loss * z.size, grad * z.size


def _bce_grad_not_averaged(z, y):
    loss, grad = _bce(z, y)
    return loss, grad * z.size


def _bce_grad_sign(z, y):
    loss, grad = _bce(z, y)
    return loss, -grad


SPECS = {
    "cross-entropy": Spec(
        _ce_cases,
        (
            Mistake(
                "cross_entropy", "The loss and the gradient are sums over the batch; both are means (÷ N).", _ce_sum
            ),
            Mistake(
                "cross_entropy",
                "The loss is a mean over the batch, so its gradient carries 1/N too: (softmax − onehot) / N.",
                _ce_grad_not_averaged,
            ),
            Mistake(
                "cross_entropy",
                "log(softmax(z)) without the max subtraction overflows or takes log 0; use logsumexp: "
                "−log softmax(z)[y] = logsumexp(z) − z[y].",
                _ce_log_of_softmax,
            ),
            Mistake(
                "cross_entropy",
                "The gradient is softmax(z) − onehot(y): the one-hot target is not subtracted.",
                _ce_grad_no_onehot,
            ),
            Mistake(
                "cross_entropy",
                "The gradient's sign is flipped: it is softmax − onehot, not onehot − softmax.",
                _ce_grad_sign,
            ),
        ),
    ),
    "bce-with-logits": Spec(
        _bce_cases,
        (
            Mistake(
                "bce_with_logits",
                "Going through p = σ(z) loses confident predictions: σ(z) is exactly 1.0 for z > 37 "
                "and log(1 − 1) = −inf.",
                _bce_through_sigmoid,
            ),
            Mistake(
                "bce_with_logits",
                "log(1 + e^z) overflows for large z; write it as max(z, 0) + log(1 + e^(−|z|)).",
                _bce_softplus_overflow,
            ),
            Mistake("bce_with_logits", "Loss and gradient are sums; both are means over every entry.", _bce_sum),
            Mistake(
                "bce_with_logits",
                "The loss is a mean, so ∂L/∂z = (σ(z) − y)/n: the 1/n is missing.",
                _bce_grad_not_averaged,
            ),
            Mistake("bce_with_logits", "The gradient's sign is flipped: ∂L/∂z = σ(z) − y.", _bce_grad_sign),
        ),
    ),
}
