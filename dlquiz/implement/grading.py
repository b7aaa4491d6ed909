"""Grade a learner's file: run every check of an exercise in a child process and judge the results.

The result is a :class:`Report`: how many checks passed, and for each failed one a :class:`Failure`
that says what was given, what was expected, what came back and, where it can tell, which classic
mistake it looks like. A file that cannot be loaded, or a run stopped by the time or memory limit, is a
``fatal`` failure, told from the learner's side (their file and line, never a dlquiz traceback).
"""

from __future__ import annotations

import functools
import time
import warnings
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dlquiz.implement.checks import Case, Expect, Ref
from dlquiz.implement.mistakes import Mistake, diagnose, error_hint
from dlquiz.implement.registry import Exercise
from dlquiz.implement.runner import MEMORY_LIMIT_MB, TIME_LIMIT_S, CallOutcome, ErrorInfo, Run, run_file, run_inline
from dlquiz.implement.values import show

SLOW_FACTOR = 10  # a note when a passing solution is this many times slower than the reference …
SLOW_SECONDS = 0.05  # … and takes at least this long on the timed check


@dataclass(frozen=True)
class Failure:
    """One failed check, or the reason no check could run (``case`` is then '')."""

    case: str
    problem: str
    call: str = ""
    detail: str = ""
    given: tuple[tuple[str, str], ...] = ()
    expected: str | None = None
    got: str | None = None
    hint: str | None = None
    error: ErrorInfo | None = None
    output: str = ""
    not_written: bool = False  # the function still raises the starter's NotImplementedError

    def to_dict(self) -> dict:
        out = asdict(self)
        out["given"] = dict(self.given)
        out["error"] = self.error.to_dict() if self.error else None
        return out


@dataclass(frozen=True)
class Report:
    exercise: str
    file: str
    total: int  # checks in the exercise
    failures: tuple[Failure, ...] = ()
    fatal: Failure | None = None
    not_run: int = 0  # checks after the one the run was stopped at
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.fatal is None and not self.failures and not self.not_run

    @property
    def passed_checks(self) -> int:
        return 0 if self.fatal else self.total - len(self.failures) - self.not_run

    @property
    def not_written(self) -> bool:
        """Nothing was attempted yet: every failure is the starter's NotImplementedError."""
        return self.fatal is None and bool(self.failures) and all(f.not_written for f in self.failures)

    def to_dict(self) -> dict:
        return {
            "exercise": self.exercise,
            "file": self.file,
            "passed": self.passed,
            "checks": self.total,
            "checks_passed": self.passed_checks,
            "fatal": self.fatal.to_dict() if self.fatal else None,
            "failures": [f.to_dict() for f in self.failures],
            "not_run": self.not_run,
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }


# --------------------------------------------------------------------------- building the checks


def load_spec(exercise: Exercise):
    """The exercise's Spec (its cases and mistakes), from the case modules of dlquiz.implement.cases."""
    from dlquiz.implement.specs import SPECS

    return SPECS[exercise.id]


@functools.lru_cache(maxsize=8)
def build_cases(exercise: Exercise) -> tuple[tuple[Case, ...], tuple[Mistake, ...]]:
    """The exercise's checks, from a seed fixed per exercise: the same inputs (and messages) every time.

    Kept for the next grading of the sitting; the code under test only ever gets copies of them.
    """
    spec = load_spec(exercise)
    rng = np.random.default_rng(zlib.crc32(exercise.id.encode()))
    return tuple(spec.cases(rng)), tuple(spec.mistakes)


def _plans(cases: tuple[Case, ...]) -> tuple[list[dict], list[int]]:
    plans: list[dict] = []
    offsets = []
    for case in cases:
        offsets.append(len(plans))
        start = len(plans)
        plans.extend(call.plan(start) for call in case.calls)
    return plans, offsets


# --------------------------------------------------------------------------- judging


def _given(case: Case, index: int) -> tuple[tuple[str, str], ...]:
    call = case.calls[index]
    out = []
    for name, value in list(call.args.items()) + list(call.kwargs.items()):
        if isinstance(value, Ref):
            source = case.calls[value.call].function
            text = f"what your {source} returned" + ("" if value.part is None else f" (part {value.part + 1})")
        elif call.closure and name == call.closure[0]:
            text = f"a loss that reads {call.closure[2]} itself (it ignores its argument)"
        else:
            text = show(value)
        out.append((name, text))
    return tuple(out)


def _error_failure(case: Case, index: int, outcome: CallOutcome) -> Failure:
    call = case.calls[index]
    error = outcome.error
    assert error is not None
    base: dict[str, Any] = {
        "case": case.name,
        "call": call.text(),
        "given": _given(case, index),
        "output": outcome.output,
    }
    if error.type == "NotImplementedError" and error.frames:
        return Failure(
            problem=f"{call.function} is not written yet",
            detail=f"it still raises NotImplementedError (line {error.line})",
            not_written=True,
            error=error,
            **base,
        )
    if error.at_call and error.type == "TypeError":
        return Failure(
            problem="the call does not fit your function's signature",
            detail=error.message,
            hint=f"The checks call {call.text()}: keep the parameters of the starter.",
            error=error,
            **base,
        )
    message = f": {error.message.strip()}" if error.message.strip() else ""
    hint = error_hint(error.type, error.message)
    return Failure(problem=f"{call.function} raised {error.type}{message}", error=error, hint=hint, **base)


def _call_failure(case: Case, index: int, outcome: CallOutcome) -> Failure | None:
    """A failure of the call itself: missing function, exception, changed inputs, a NumPy warning."""
    call = case.calls[index]
    base: dict[str, Any] = {
        "case": case.name,
        "call": call.text(),
        "given": _given(case, index),
        "output": outcome.output,
    }
    if outcome.missing:
        defined = ", ".join(outcome.defined) if outcome.defined else "no functions"
        return Failure(problem=f"your file has no function {call.function}", detail=f"it defines {defined}", **base)
    if outcome.error is not None:
        return _error_failure(case, index, outcome)
    if outcome.skipped:
        return Failure(problem=f"{call.function} could not be called: it needs what an earlier call returned", **base)
    if outcome.mutated:
        names = ", ".join(outcome.mutated)
        return Failure(
            problem="changed its input in place",
            detail=f"after the call, {names} no longer held what was passed in",
            hint="Work on new arrays (out = x - m, not x -= m; or x = x.copy() first): the caller's "
            "arrays must not change.",
            **base,
        )
    return None


def _warning_failure(case: Case, outcomes: list[CallOutcome]) -> Failure | None:
    """On a case that must run without NumPy warnings: the first call that warned (its values were right)."""
    for index, outcome in enumerate(outcomes):
        if case.no_warnings and outcome.warnings:
            return Failure(
                case=case.name,
                problem="NumPy warned while computing it",
                call=case.calls[index].text(),
                detail="; ".join(outcome.warnings),
                given=_given(case, index),
                hint=case.hint or "A warning here means an intermediate overflowed or divided by zero.",
                output=outcome.output,
            )
    return None


def _known_mistake(case: Case, index: int, got: Any, mistakes: tuple[Mistake, ...]) -> str | None:
    """The hint of a listed mistake that returns what the learner's code returned, if any does."""
    expect = case.expect
    if expect is None:
        return None
    call = case.calls[index]
    for mistake in mistakes:
        if mistake.function != call.function:
            continue
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wrong = mistake.wrong(*call.args.values(), **call.kwargs)
        except Exception:  # noqa: BLE001,S112 (a mistake that cannot run on these inputs does not match)
            continue
        as_expected = Expect(wrong, expect.names, expect.rtol, expect.atol, expect.dtype)
        if as_expected.compare(got) is None and as_expected.compare(expect.value) is not None:
            return mistake.hint
    return None


def _value_failure(case: Case, outcomes: list[CallOutcome], mistakes: tuple[Mistake, ...]) -> Failure | None:
    mismatch = case.judge([o.value for o in outcomes])
    if mismatch is None:
        return None
    index = mismatch.call if mismatch.call is not None else (len(outcomes) - 1 if case.expect is None else 0)
    known = _known_mistake(case, index, outcomes[index].value, mistakes)
    hint = known or mismatch.hint or case.hint or None
    detail = mismatch.detail
    if case.no_warnings and outcomes[index].warnings:
        detail += f" (NumPy warned: {'; '.join(outcomes[index].warnings)})"
    if hint is None and case.expect is not None:
        expected, got = case.expect.value, outcomes[index].value
        if mismatch.part is not None and isinstance(expected, tuple) and isinstance(got, (tuple, list)):
            expected, got = expected[mismatch.part], got[mismatch.part]
        hint = diagnose(expected, got)
    return Failure(
        case=case.name,
        problem=mismatch.problem,
        call=case.calls[index].text(),
        detail=detail,
        given=_given(case, index),
        expected=mismatch.expected,
        got=mismatch.got,
        hint=hint,
        output=outcomes[index].output,
    )


def judge_case(case: Case, outcomes: list[CallOutcome], mistakes: tuple[Mistake, ...]) -> Failure | None:
    """The case's failure, or None. Wrong values are reported before a NumPy warning, as they say more."""
    for index, outcome in enumerate(outcomes):
        failure = _call_failure(case, index, outcome)
        if failure is not None:
            return failure
    return _value_failure(case, outcomes, mistakes) or _warning_failure(case, outcomes)


# --------------------------------------------------------------------------- the run as a whole


def _fatal_load(run: Run) -> Failure:
    error = run.load_error
    if error is None:
        return _stopped(run, "", "loading your file")
    if error.syntax_line is not None:
        return Failure(case="", problem=f"{error.type}: {error.message}", error=error, output=run.load_output)
    return Failure(
        case="",
        problem=f"your file raised {error.type} while loading" + (f": {error.message}" if error.message else ""),
        error=error,
        output=run.load_output,
        hint="Loading your file runs its top-level code: keep your own tests under if __name__ == '__main__':."
        if error.frames
        else error_hint(error.type, error.message),
    )


def _stopped(
    run: Run, case: str, doing: str, time_limit: float = TIME_LIMIT_S, memory_mb: int = MEMORY_LIMIT_MB
) -> Failure:
    if run.stopped == "time":
        return Failure(
            case=case,
            problem=f"stopped after {time_limit:g} s (the time limit) while {doing}",
            hint="An endless loop, or a loop over every element of a large array? The checks take well under a second.",
            output=run.stray_output,
        )
    if run.stopped == "memory":
        return Failure(
            case=case, problem=f"ran out of memory ({memory_mb} MB limit) while {doing}", output=run.stray_output
        )
    status = f" (exit status {run.exit_status})" if run.exit_status is not None else ""
    return Failure(
        case=case,
        problem=f"the process ended{status} while {doing}",
        hint="Does your code call sys.exit, os._exit or quit()?" if run.exit_status and run.exit_status > 0 else None,
        output=run.stray_output,
    )


def _speed_note(case: Case, outcome: CallOutcome) -> str | None:
    if not case.timed or case.reference is None or outcome.seconds < SLOW_SECONDS:
        return None
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        case.reference()
        best = min(best, time.perf_counter() - start)
    if outcome.seconds < SLOW_FACTOR * best:
        return None
    return (
        f"Speed: your {case.calls[0].function} took {outcome.seconds * 1000:.0f} ms on the '{case.name}' check, "
        f"the reference {best * 1000:.1f} ms ({outcome.seconds / best:.0f}× faster). Python loops over elements are "
        "slow: whole-array NumPy operations (broadcasting, matrix products, sums over an axis) do the same work in C."
    )


def grade(
    exercise: Exercise,
    path: str | Path,
    *,
    time_limit: float = TIME_LIMIT_S,
    memory_mb: int = MEMORY_LIMIT_MB,
    inline: bool = False,
    source: str | None = None,
) -> Report:
    """Run every check of ``exercise`` on the file at ``path``.

    ``inline`` runs the file in this process without limits (tests of trusted code only); ``source``
    then replaces the file's text.
    """
    cases, mistakes = build_cases(exercise)
    plans, offsets = _plans(cases)
    run = run_inline(Path(path), plans, source) if inline else run_file(Path(path), plans, time_limit, memory_mb)
    report: dict[str, Any] = {"exercise": exercise.id, "file": str(path), "total": len(cases), "seconds": run.seconds}
    if not run.loaded:
        return Report(fatal=_fatal_load(run), **report)
    failures: list[Failure] = []
    notes: list[str] = []
    not_run = 0
    for number, (case, offset) in enumerate(zip(cases, offsets, strict=True)):
        outcomes = list(run.calls[offset : offset + len(case.calls)])
        if len(outcomes) < len(case.calls):
            doing = f"running {case.calls[len(outcomes)].text()}"
            failures.append(_stopped(run, case.name, doing, time_limit, memory_mb))
            not_run = len(cases) - number - 1
            break
        failure = judge_case(case, outcomes, mistakes)
        if failure is not None:
            failures.append(failure)
        elif (note := _speed_note(case, outcomes[0])) is not None:
            notes.append(note)
    return Report(failures=tuple(failures), not_run=not_run, notes=tuple(notes), **report)
