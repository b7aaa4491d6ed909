"""The checks an exercise runs: calls to make, and how to judge what came back.

A :class:`Case` makes one or more :class:`Call`\\ s of the learner's functions and judges the values they
returned. Most cases compare with the reference (:class:`Expect`): the same structure (a tuple of the
named parts), the same shape, a float64 dtype, and every entry within

    |got − expected| ≤ atol + rtol·|expected|       (rtol = 1e-6, atol = 1e-8 unless a case says)

with NaN expected only where the reference has NaN. Other cases judge properties (dropout's mask,
an initialiser's spread), written as functions of the returned values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from dlquiz.implement.values import index_text, is_unsupported, kind_of, shape_text, show

RTOL = 1e-6
ATOL = 1e-8
FD_RTOL = 1e-5  # against finite differences, whose own error is about 1e-9 in float64 with h = 1e-6
FD_ATOL = 1e-7


@dataclass(frozen=True)
class Ref:
    """A value an earlier call of the same case returned (``part``: which element of a returned tuple)."""

    call: int
    part: int | None = None


@dataclass(frozen=True)
class Target:
    """A test function for a gradient checker, defined in the child (``child.TARGETS``)."""

    name: str


@dataclass(frozen=True)
class Call:
    """One call of the learner's function: positional arguments by name (for messages), keywords."""

    function: str
    args: dict[str, Any]
    kwargs: dict[str, Any] = field(default_factory=dict)
    restore_rtol: float = 0.0  # an argument may change in place by this much and count as restored
    closure: tuple[str, str, str] | None = None  # (argument, target name, argument it reads)

    def text(self) -> str:
        """'softmax(x, axis=0)'."""
        parts = list(self.args) + [f"{k}={show(v)}" for k, v in self.kwargs.items()]
        return f"{self.function}({', '.join(parts)})"

    def plan(self, offset: int) -> dict:
        """The call as the child reads it; references to calls of the same case become absolute."""
        names = list(self.args)
        plan = {
            "function": self.function,
            "args": [_plain(v, offset) for v in self.args.values()],
            "kwargs": {k: _plain(v, offset) for k, v in self.kwargs.items()},
            "restore_rtol": self.restore_rtol,
            "names": names,
        }
        if self.closure:
            argument, target, over = self.closure
            plan["closure"] = [names.index(argument), target, names.index(over)]
        return plan


def _plain(value: Any, offset: int) -> Any:
    if isinstance(value, Ref):
        return {"__ref__": [value.call + offset, value.part]}
    if isinstance(value, Target):
        return {"__target__": value.name}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v, offset) for v in value)
    return value


@dataclass(frozen=True)
class Mismatch:
    """Why returned values were judged wrong."""

    problem: str  # one line: 'wrong values in dW', 'wrong shape'
    detail: str = ""  # the numbers: where they differ, by how much
    expected: str | None = None  # the expected value, formatted
    got: str | None = None  # what came back, formatted
    hint: str | None = None  # what mistake this looks like, when the judge can tell
    part: int | None = None  # which returned part is wrong (for matching known mistakes)
    call: int | None = None  # which call of the case returned it (default: the last)


Judge = Callable[[list[Any]], Mismatch | None]


@dataclass(frozen=True)
class Case:
    """A named check: its calls, its judge, and what to say when it fails."""

    name: str
    calls: tuple[Call, ...]
    judge: Judge
    hint: str = ""  # the usual reason this case fails, shown when no known mistake matches
    no_warnings: bool = False  # a NumPy warning (overflow, division by zero) fails this case
    timed: bool = False  # its time is compared with the reference's for a vectorisation note
    reference: Callable[[], Any] | None = None  # the reference computation, for that comparison
    expect: Expect | None = None  # when the judge is a plain comparison: for matching known mistakes


# --------------------------------------------------------------------------- comparing with the reference


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


@dataclass(frozen=True)
class Expect:
    """A judge that compares with expected values: one array or number, or a tuple of named parts.

    ``accept(part, expected, got)`` may excuse entries the convention leaves open (it returns a bool
    mask of the entries to skip), e.g. the rows of a fully masked query in attention.
    """

    value: Any
    names: tuple[str, ...] = ()
    rtol: float = RTOL
    atol: float = ATOL
    dtype: str = "f"  # the kind every part must have: "f" float64, "i" integer
    accept: Callable[[int, np.ndarray, np.ndarray], np.ndarray] | None = None

    def __call__(self, values: list[Any]) -> Mismatch | None:
        return self.compare(values[0])

    def compare(self, got: Any) -> Mismatch | None:
        expected = self.value
        if isinstance(expected, tuple):
            what = f"a tuple of {len(expected)} ({', '.join(self.names)})" if self.names else f"{len(expected)} values"
            if not isinstance(got, (tuple, list)) or len(got) != len(expected):
                return Mismatch(
                    "wrong return value",
                    f"returned {kind_of(got)}; expected {what}",
                    hint="Return every part, in this order: " + ", ".join(self.names) if self.names else None,
                )
            for part, (e, g) in enumerate(zip(expected, got, strict=True)):
                found = self._compare_one(e, g, part)
                if found is not None:
                    return found
            return None
        return self._compare_one(expected, got, None)

    def _label(self, part: int | None) -> str:
        if part is None or not self.names:
            return ""
        return f" in {self.names[part]}" if part < len(self.names) else f" in part {part + 1}"

    def _compare_one(self, expected: Any, got: Any, part: int | None) -> Mismatch | None:
        label = self._label(part)
        if got is None:
            return Mismatch(f"nothing returned{label}", "returned None", hint="Is a `return` missing?", part=part)
        if is_unsupported(got):
            return Mismatch(f"wrong type{label}", f"returned {kind_of(got)}", hint="Return NumPy arrays.", part=part)
        if isinstance(expected, list):
            if not isinstance(got, (list, tuple)) or len(got) != len(expected):
                return Mismatch(
                    f"wrong type{label}",
                    f"returned {kind_of(got)}; expected a list of {len(expected)} arrays",
                    part=part,
                )
            for i, (e, g) in enumerate(zip(expected, got, strict=True)):
                found = self._compare_one(e, g, part)
                if found is not None:
                    return replace(found, problem=f"{found.problem} (array {i + 1} of the list)")
            return None
        if not isinstance(expected, np.ndarray):  # a scalar is expected
            if isinstance(got, np.ndarray) and got.ndim == 0:
                got = got[()]
            if not _is_number(got):
                extra = (
                    " (use .item() or sum without keepdims)" if isinstance(got, np.ndarray) and got.size == 1 else ""
                )
                return Mismatch(f"wrong type{label}", f"returned {kind_of(got)}; expected a number{extra}", part=part)
            expected_arr, got_arr = np.asarray(float(expected)), np.asarray(float(got))
        else:
            if not isinstance(got, np.ndarray):
                kind = kind_of(got)
                return Mismatch(
                    f"wrong type{label}",
                    f"returned {kind}; expected an array of shape {shape_text(expected.shape)}",
                    hint="Return a NumPy array (np.asarray turns a list into one)." if "list" in kind else None,
                    part=part,
                )
            if got.shape != expected.shape:
                return Mismatch(
                    f"wrong shape{label}",
                    f"returned shape {shape_text(got.shape)}; expected {shape_text(expected.shape)}",
                    hint=_shape_hint(expected.shape, got.shape),
                    part=part,
                )
            if self.dtype == "f" and got.dtype != np.float64:
                return Mismatch(
                    f"wrong dtype{label}",
                    f"returned dtype {got.dtype}; expected float64",
                    hint="Keep float64 throughout (an integer array or np.float32 somewhere?)"
                    if got.dtype.kind in "iub" or got.dtype == np.float32
                    else None,
                    part=part,
                )
            if self.dtype == "i" and got.dtype.kind not in "iu":
                return Mismatch(f"wrong dtype{label}", f"returned dtype {got.dtype}; expected integers", part=part)
            expected_arr, got_arr = expected, got
        return self._compare_values(expected_arr, got_arr, part, label)

    def _compare_values(self, expected: np.ndarray, got: np.ndarray, part: int | None, label: str) -> Mismatch | None:
        bad = ~close(got, expected, self.rtol, self.atol)
        if self.accept is not None and bad.any():
            bad &= ~self.accept(part if part is not None else 0, expected, got)
        if not bad.any():
            return None
        return Mismatch(
            f"wrong values{label}",
            where_wrong(expected, got, bad, self.rtol, self.atol),
            expected=show(expected[()] if expected.ndim == 0 else expected),
            got=show(got[()] if got.ndim == 0 else got),
            part=part,
        )


def close(got: np.ndarray, expected: np.ndarray, rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:
    """Entry-wise agreement; NaN agrees only with NaN, inf only with the same inf."""
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    both_finite = np.isfinite(got) & np.isfinite(expected)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = both_finite & (np.abs(got - expected) <= atol + rtol * np.abs(expected))
    ok |= (np.isnan(got) & np.isnan(expected)) | (np.isinf(expected) & (got == expected))
    return ok


def where_wrong(expected: np.ndarray, got: np.ndarray, bad: np.ndarray, rtol: float, atol: float) -> str:
    """'2 of 6 entries differ; the worst at [1, 2]: expected 0.09003, got 0.3333'."""
    n_bad, n = int(bad.sum()), bad.size
    with np.errstate(invalid="ignore", over="ignore"):
        score = np.where(bad, np.abs(got.astype(float) - expected) / (atol + rtol * np.abs(expected)), -1.0)
    score = np.where(bad & ~np.isfinite(score), np.inf, score)
    worst = np.unravel_index(int(np.argmax(score)), bad.shape) if bad.ndim else ()
    at = f" at {index_text(tuple(int(i) for i in worst))}" if bad.ndim else ""
    head = "the value differs" if n == 1 else f"{n_bad} of {n} entries differ; the worst{at}"
    return f"{head}: expected {show(expected[worst])}, got {show(got[worst])}"


def _shape_hint(expected: tuple[int, ...], got: tuple[int, ...]) -> str | None:
    if len(got) == len(expected) and got == expected[::-1]:
        return "The axes are reversed: a transpose missing, or one too many?"
    if len(got) == len(expected) + 1 and 1 in got:
        return "An extra axis of length 1: keepdims=True where the result should drop the axis?"
    if len(got) + 1 == len(expected) and 1 in expected:
        return "An axis of length 1 is missing: keepdims=True forgotten?"
    if int(np.prod(got)) == int(np.prod(expected)):
        return "Same number of entries, other layout: check the order of a reshape or transpose."
    if len(got) < len(expected):
        return "Fewer axes than expected: a sum or mean over an axis that should stay?"
    return None


# --------------------------------------------------------------------------- building cases


def compare_case(
    name: str,
    function: str,
    args: dict[str, Any],
    expected: Any,
    *,
    kwargs: dict[str, Any] | None = None,
    names: Sequence[str] = (),
    rtol: float = RTOL,
    atol: float = ATOL,
    hint: str = "",
    no_warnings: bool = False,
    timed: bool = False,
    reference: Callable[[], Any] | None = None,
    accept: Callable[[int, np.ndarray, np.ndarray], np.ndarray] | None = None,
    restore_rtol: float = 0.0,
) -> Case:
    """The usual case: one call, its value compared with ``expected``."""
    expect = Expect(expected, tuple(names), rtol, atol, accept=accept)
    call = Call(function, dict(args), dict(kwargs or {}), restore_rtol)
    return Case(name, (call,), expect, hint, no_warnings, timed, reference, expect)


def numerical_gradients(loss: Callable[..., float], arrays: Sequence[np.ndarray], h: float = 1e-6) -> list[np.ndarray]:
    """Central differences of a scalar ``loss(*arrays)`` with respect to each array (copies are perturbed)."""
    arrays = [np.array(a, dtype=float) for a in arrays]
    grads = []
    for array in arrays:
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + h
            plus = loss(*arrays)
            array[index] = saved - h
            minus = loss(*arrays)
            array[index] = saved
            grad[index] = (plus - minus) / (2 * h)
        grads.append(grad)
    return grads


def fd_case(
    name: str,
    function: str,
    args: dict[str, Any],
    forward: Callable[..., Any],
    inputs: dict[str, Any],
    wrt: Sequence[str],
    upstream: Any,
    *,
    kwargs: dict[str, Any] | None = None,
    names: Sequence[str] = (),
    hint: str = "",
) -> Case:
    """A backward pass (called with ``args``) compared with finite differences of a forward pass.

    The loss is Σ forward(*inputs) ⊙ upstream (a tuple of upstreams for a forward with several
    outputs), so its exact gradient with respect to the inputs named in ``wrt`` (in the backward's
    return order) is what the backward must return when it is given the same upstream gradient.
    """
    ups = upstream if isinstance(upstream, tuple) else (upstream,)

    def loss(*arrays: np.ndarray) -> float:
        values = dict(inputs)
        values.update(zip(wrt, arrays, strict=True))
        out = forward(*values.values())
        outs = out if isinstance(out, tuple) else (out,)
        return float(sum(np.sum(o * u) for o, u in zip(outs, ups, strict=True)))

    grads = numerical_gradients(loss, [inputs[k] for k in wrt])
    expected = tuple(grads) if len(grads) > 1 else grads[0]
    return compare_case(
        name, function, args, expected, kwargs=kwargs, names=names, rtol=FD_RTOL, atol=FD_ATOL, hint=hint
    )


def sequence_case(
    name: str, calls: Sequence[Call], expected: Sequence[Any], names: Sequence[str] = (), hint: str = ""
) -> Case:
    """Several calls in a row (the steps of an optimizer), each compared with its own expected value."""
    expects = [Expect(e, tuple(names)) for e in expected]

    def judge(values: list[Any]) -> Mismatch | None:
        for step, (expect, value) in enumerate(zip(expects, values, strict=True)):
            found = expect.compare(value)
            if found is not None:
                return replace(found, problem=f"step {step + 1} of {len(expects)}: {found.problem}", call=step)
        return None

    return Case(name, tuple(calls), judge, hint)


def judge_all(*judges: Callable[[list[Any]], Mismatch | None]) -> Judge:
    """A judge that runs several judges and reports the first complaint."""

    def judge(values: list[Any]) -> Mismatch | None:
        for one in judges:
            found = one(values)
            if found is not None:
                return found
        return None

    return judge
