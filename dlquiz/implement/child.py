"""The process that runs a learner's file: load it, call its functions, report what came back.

This file runs as a script in a child process (``python child.py PLAN RESULTS``), so it imports nothing
from dlquiz: only the standard library and, once the limits are set, NumPy. The parent (dlquiz) writes
the plan, a pickled dict, and reads the results back as length-prefixed pickled frames, written one by
one as they happen, so the parent knows how far a run got when it had to be stopped:

- plan: ``{"file": path, "calls": [call, ...], "memory_mb": int, "cpu_seconds": int}``, each call
  ``{"function": name, "args": [...], "kwargs": {...}, "restore_rtol": float}``. An argument may be a
  marker dict: ``{"__ref__": [call, part]}`` (a value an earlier call returned, e.g. the mask of a
  dropout forward for its backward), ``{"__target__": name}`` (a test function for a gradient checker,
  from TARGETS); a call may also carry ``"closure": [position, name, over]``: argument ``position``
  becomes the test function ``name`` reading argument ``over`` itself (as a loss that closes over a
  weight matrix does), not the array it is given;
- frames: ``{"stage": "load", ...}`` once, then ``{"stage": "call", "index": i, ...}`` per call, then
  ``{"stage": "done"}``.

Values sent back are plain: NumPy arrays and scalars, Python numbers, strings, None, and tuples, lists
and dicts of these; anything else is described, not pickled. :func:`execute` is the same run without a
process, for tests of trusted code.
"""

from __future__ import annotations

import copy
import io
import os
import pickle
import struct
import sys
import time
import traceback
import warnings

OUTPUT_LIMIT = 4000  # characters of printed output kept per stage
UNSUPPORTED = "\0unsupported"  # key of the dict that describes a value that cannot be sent back
MAX_DEPTH = 6
WATCHDOG_STATUS = 211  # exit status when the wall-clock watchdog ends the process (runner.WATCHDOG_STATUS)


class _Capped(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_LIMIT characters and counts the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = OUTPUT_LIMIT - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def text(self) -> str:
        out = "".join(self.parts)
        return out + (f"\n… ({self.dropped} more characters)" if self.dropped else "")


class _Capture:
    """Send sys.stdout and sys.stderr to one capped buffer while the learner's code runs."""

    def __enter__(self) -> _Capped:
        self.saved = sys.stdout, sys.stderr
        self.buffer = _Capped()
        sys.stdout = sys.stderr = self.buffer
        return self.buffer

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self.saved


# --------------------------------------------------------------------------- test functions for gradient checkers


def _wavy(x):  # f(x) = Σ sin(x)·x² + 0.05·Σx³: smooth, with non-zero second and third derivatives
    import numpy as np

    return float(np.sum(np.sin(x) * x**2) + 0.05 * np.sum(x**3))


def _softplus_sum(x):  # f(x) = Σ log(1 + eˣ), returned as a 0-d array (not a float)
    import numpy as np

    return np.sum(np.logaddexp(0.0, x))


def _square_sum(x):  # f(x) = Σ x²
    return float((x * x).sum())


TARGETS = {"wavy": _wavy, "softplus_sum": _softplus_sum, "square_sum": _square_sum}


def _closure(name, array):
    """A loss that ignores its argument and reads ``array`` itself (perturbed in place by the checker)."""
    target = TARGETS[name]

    def loss(_ignored):
        return target(array)

    return loss


# --------------------------------------------------------------------------- values in and out


def _resolve(value, results):
    if isinstance(value, dict):
        if "__ref__" in value:
            index, part = value["__ref__"]
            found = results[index]
            return found if part is None else found[part]
        if "__target__" in value:
            return TARGETS[value["__target__"]]
        return {key: _resolve(item, results) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_resolve(item, results) for item in value)
    return value


def _describe(value) -> dict:
    return {UNSUPPORTED: f"a {type(value).__module__}.{type(value).__qualname__} object"}


def clean(value, depth: int = 0):
    """The value as plain data the parent can unpickle without the learner's code."""
    import numpy as np

    if depth > MAX_DEPTH:
        return {UNSUPPORTED: "a structure nested too deeply"}
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biufc":
            return np.array(value)  # a plain copy (drops subclasses and views)
        return {UNSUPPORTED: f"an array of dtype {value.dtype}"}
    if isinstance(value, np.generic):
        return value if value.dtype.kind in "biufc" else {UNSUPPORTED: f"a NumPy {value.dtype} scalar"}
    if value is None or isinstance(value, (bool, int, float, complex, str)):
        return value
    if isinstance(value, (tuple, list)):
        return type(value)(clean(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return {str(key): clean(item, depth + 1) for key, item in value.items()}
    return _describe(value)


def _same(before, after, rtol: float) -> bool:
    """True when ``after`` still holds what ``before`` held (arrays compared exactly, or within rtol)."""
    import numpy as np

    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or before.shape != after.shape:
            return False
        if rtol > 0 and before.dtype.kind == "f":
            return bool(np.allclose(after, before, rtol=rtol, atol=0.0, equal_nan=True))
        return bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"))
    if isinstance(before, (list, tuple)):
        return (
            isinstance(after, (list, tuple))
            and len(before) == len(after)
            and all(_same(b, a, rtol) for b, a in zip(before, after, strict=True))
        )
    if isinstance(before, dict):
        return (
            isinstance(after, dict)
            and before.keys() == after.keys()
            and all(_same(before[k], after[k], rtol) for k in before)
        )
    return True  # numbers, strings, generators: passed by value or meant to change


# --------------------------------------------------------------------------- errors


def error_info(exc: BaseException, filename: str) -> dict:
    """What went wrong, told from the learner's side: the frames in their file only."""
    frames = [
        {"line": f.lineno, "function": f.name, "text": (f.line or "").strip()}
        for f in traceback.extract_tb(exc.__traceback__)
        if os.path.abspath(f.filename) == filename
    ]
    info: dict = {"type": type(exc).__name__, "message": str(exc), "frames": frames}
    if isinstance(exc, SyntaxError) and os.path.abspath(exc.filename or "") == filename:
        info["syntax"] = {"line": exc.lineno, "offset": exc.offset, "text": (exc.text or "").rstrip("\n")}
        info["message"] = exc.msg
    return info


# --------------------------------------------------------------------------- the run


def _load(filename: str, source: str | None):
    """Compile and run the learner's file as a module; returns (namespace, frame)."""
    import types

    module = types.ModuleType("learner_solution")
    module.__file__ = filename
    with _Capture() as out:
        try:
            if source is None:
                with open(filename, encoding="utf-8") as handle:
                    source = handle.read()
            code = compile(source, filename, "exec")
            sys.modules[module.__name__] = module
            exec(code, module.__dict__)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 (anything the learner's file raises is reported)
            return None, {"stage": "load", "ok": False, "error": error_info(exc, filename), "output": out.text()}
    return module.__dict__, {"stage": "load", "ok": True, "output": out.text()}


def _call(namespace: dict, filename: str, index: int, call: dict, results: list) -> dict:
    name = call["function"]
    frame: dict = {"stage": "call", "index": index, "ok": False, "output": "", "warnings": [], "mutated": []}
    function = namespace.get(name)
    if not callable(function):
        frame["missing"] = True
        frame["defined"] = sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("_"))
        results.append(None)
        return frame
    try:
        args = [_resolve(a, results) for a in call["args"]]
        kwargs = {k: _resolve(v, results) for k, v in call["kwargs"].items()}
    except (TypeError, IndexError, KeyError):  # it needs what an earlier call failed to return
        frame["skipped"] = True
        results.append(None)
        return frame
    if call.get("closure"):
        position, target, over = call["closure"]
        args[position] = _closure(target, args[over])
    saved_args, saved_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    value = None
    with _Capture() as out, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        try:
            value = function(*args, **kwargs)
            frame["ok"] = True
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            frame["error"] = error_info(exc, filename)
        frame["seconds"] = time.perf_counter() - start
    frame["output"] = out.text()
    frame["warnings"] = sorted(
        {
            f"{w.category.__name__}: {w.message}" + (f" (line {w.lineno})" if w.filename == filename else "")
            for w in caught
        }
    )
    rtol = call.get("restore_rtol", 0.0)
    names = call.get("names") or [f"argument {i + 1}" for i in range(len(args))]
    frame["mutated"] = [
        n for n, before, after in zip(names, saved_args, args, strict=False) if not _same(before, after, rtol)
    ]
    frame["mutated"] += [k for k in kwargs if not _same(saved_kwargs[k], kwargs[k], rtol)]
    results.append(value)
    if frame["ok"]:
        frame["value"] = clean(value)
    return frame


def execute(plan: dict, emit, source: str | None = None) -> None:
    """Run the plan, handing every frame to ``emit`` as soon as it exists."""
    filename = os.path.abspath(plan["file"])
    namespace, frame = _load(filename, source)
    emit(frame)
    if namespace is None:
        return
    results: list = []
    for index, call in enumerate(plan["calls"]):
        emit(_call(namespace, filename, index, call, results))
    emit({"stage": "done"})


def _virtual_size() -> int:
    """This process's address space in bytes now (0 where /proc does not tell)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    """Memory and CPU limits for this process (where the platform has them).

    The memory limit is ``memory_mb`` on top of what the process already holds with NumPy loaded, so a
    BLAS that reserves a large address space at import does not leave the learner's code without any.
    """
    try:
        import resource
    except ImportError:
        return
    memory = _virtual_size() + (memory_mb << 20)
    for what, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _soft, hard = resource.getrlimit(what)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(what, (cap, hard))
        except (ValueError, OSError):
            pass


def _watchdog(seconds: float) -> None:
    """End this process after ``seconds`` of wall time even if the parent is gone (a sleeping loop uses no CPU)."""
    import threading

    timer = threading.Timer(seconds, os._exit, args=(WATCHDOG_STATUS,))
    timer.daemon = True
    timer.start()


def main(argv: list[str]) -> int:
    plan_path, results_path = argv[1], argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # dlquiz's modules are not the learner's
    import numpy  # noqa: F401 (loaded before the limits: the plan's arrays and the learner's file need it)

    with open(plan_path, "rb") as handle:
        plan = pickle.load(handle)
    _limit(plan.get("memory_mb", 1024), plan.get("cpu_seconds", 60))
    _watchdog(plan.get("wall_seconds", 120))
    sys.path.insert(0, os.path.dirname(os.path.abspath(plan["file"])))  # the learner's own modules, if any
    with open(results_path, "wb", buffering=0) as out:

        def emit(frame: dict) -> None:
            try:
                data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 (a value that would not pickle after all)
                data = pickle.dumps({**frame, "value": {UNSUPPORTED: f"a value that cannot be sent ({exc})"}})
            out.write(struct.pack("<Q", len(data)) + data)

        try:
            execute(plan, emit)
        except MemoryError:
            emit({"stage": "memory"})
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
