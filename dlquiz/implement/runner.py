"""Run a learner's file in a child process with time and memory limits, and read back what it returned.

The child (:mod:`dlquiz.implement.child`, run as a script so it imports nothing from dlquiz) loads the
file and makes the calls of a plan. It runs in its own session, so a file that never returns is stopped
with its whole process group when the time limit passes; ``setrlimit`` caps its memory (MEMORY_LIMIT_MB
beyond what Python and NumPy hold) and its CPU time; what
it prints is captured, per call, and shown with the check it belongs to. BLAS is kept to one thread: the
checks use small arrays, and the machine is shared.

:func:`run_inline` makes the same calls in this process, for tests that grade trusted code quickly.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHILD = Path(__file__).with_name("child.py")
TIME_LIMIT_S = 10.0  # the default limit for one grading run, every check included
MEMORY_LIMIT_MB = 1024
STRAY_LIMIT = 4000  # characters kept of what the process wrote to its own stdout/stderr
WATCHDOG_STATUS = 211  # the child's exit status when its own wall-clock watchdog ends it (child.WATCHDOG_STATUS)


@dataclass(frozen=True)
class Frame:
    """One line of the learner's traceback: a frame in their file."""

    line: int
    function: str
    text: str


@dataclass(frozen=True)
class ErrorInfo:
    """An exception raised by the learner's code (or a syntax error in their file)."""

    type: str
    message: str
    frames: tuple[Frame, ...] = ()
    syntax_line: int | None = None
    syntax_offset: int | None = None
    syntax_text: str = ""

    @property
    def line(self) -> int | None:
        """The line of the learner's file where it happened (the innermost of their frames)."""
        if self.syntax_line is not None:
            return self.syntax_line
        return self.frames[-1].line if self.frames else None

    @property
    def at_call(self) -> bool:
        """Raised before any line of theirs ran: the call itself did not fit their signature."""
        return not self.frames and self.syntax_line is None

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "message": self.message,
            "line": self.line,
            "traceback": [{"line": f.line, "function": f.function, "text": f.text} for f in self.frames],
        }


@dataclass(frozen=True)
class CallOutcome:
    """What one call of the learner's function did."""

    index: int
    ok: bool
    value: Any = None
    error: ErrorInfo | None = None
    missing: bool = False  # the file defines no such function
    skipped: bool = False  # not made: it needs a value an earlier call of the case failed to return
    defined: tuple[str, ...] = ()  # what it does define (when missing)
    mutated: tuple[str, ...] = ()  # arguments it changed in place
    warnings: tuple[str, ...] = ()
    output: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Run:
    """A whole run: the file's loading, each call that finished, and how the run ended."""

    loaded: bool
    load_error: ErrorInfo | None
    load_output: str
    calls: tuple[CallOutcome, ...]
    finished: bool
    stopped: str | None = None  # "time" (the limit), "memory", "exit" (the process ended early)
    exit_status: int | None = None
    stray_output: str = ""
    seconds: float = 0.0


def _error(data: dict | None) -> ErrorInfo | None:
    if not data:
        return None
    syntax = data.get("syntax") or {}
    return ErrorInfo(
        type=data["type"],
        message=data["message"],
        frames=tuple(Frame(f["line"], f["function"], f["text"]) for f in data.get("frames", ())),
        syntax_line=syntax.get("line"),
        syntax_offset=syntax.get("offset"),
        syntax_text=syntax.get("text", ""),
    )


def _outcome(frame: dict) -> CallOutcome:
    return CallOutcome(
        index=frame["index"],
        ok=frame["ok"],
        value=frame.get("value"),
        error=_error(frame.get("error")),
        missing=frame.get("missing", False),
        skipped=frame.get("skipped", False),
        defined=tuple(frame.get("defined", ())),
        mutated=tuple(frame.get("mutated", ())),
        warnings=tuple(frame.get("warnings", ())),
        output=frame.get("output", ""),
        seconds=frame.get("seconds", 0.0),
    )


def _assemble(frames: list[dict], seconds: float, **ending: Any) -> Run:
    load = next((f for f in frames if f.get("stage") == "load"), None)
    calls = tuple(_outcome(f) for f in frames if f.get("stage") == "call")
    finished = any(f.get("stage") == "done" for f in frames)
    if any(f.get("stage") == "memory" for f in frames):
        ending.setdefault("stopped", "memory")
    return Run(
        loaded=bool(load and load["ok"]),
        load_error=_error(load.get("error")) if load else None,
        load_output=load.get("output", "") if load else "",
        calls=calls,
        finished=finished or (load is not None and not load["ok"]),
        seconds=seconds,
        **ending,
    )


def _read_frames(path: Path) -> list[dict]:
    """The complete frames in the results file (a frame cut off by the stop is left out)."""
    frames: list[dict] = []
    try:
        data = path.read_bytes()
    except OSError:
        return frames
    at = 0
    while at + 8 <= len(data):
        (size,) = struct.unpack("<Q", data[at : at + 8])
        if at + 8 + size > len(data):
            break
        try:
            frames.append(pickle.loads(data[at + 8 : at + 8 + size]))
        except Exception:  # noqa: BLE001 (a frame the parent cannot read ends the run's record)
            break
        at += 8 + size
    return frames


def _stop(process: subprocess.Popen) -> None:
    """Kill the child and everything it started."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover (Windows)
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _head(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(STRAY_LIMIT + 1)
    except OSError:
        return ""
    return text if len(text) <= STRAY_LIMIT else text[:STRAY_LIMIT] + "\n…"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        env[name] = "1"
    env.pop("PYTHONSTARTUP", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _ending(status: int | None, frames: list[dict]) -> str | None:
    """How a run that was not stopped by the parent ended: None (normally), "memory", "time" or "exit"."""
    if any(f.get("stage") == "memory" for f in frames):
        return "memory"
    if status == WATCHDOG_STATUS or (status is not None and status < 0 and -status == getattr(signal, "SIGXCPU", 0)):
        return "time"  # the child's own CPU or wall-clock limit
    if any(f.get("stage") == "done" for f in frames) or any(f.get("stage") == "load" and not f["ok"] for f in frames):
        return None
    return "exit"


def run_file(path: Path, calls: list[dict], time_limit: float = TIME_LIMIT_S, memory_mb: int = MEMORY_LIMIT_MB) -> Run:
    """Load ``path`` in a child process and make ``calls``; stopped after ``time_limit`` seconds."""
    path = Path(path).resolve()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dlquiz-implement-") as tmp:
        plan_path, results_path = Path(tmp, "plan.pickle"), Path(tmp, "results")
        out_path, err_path = Path(tmp, "stdout"), Path(tmp, "stderr")
        plan = {
            "file": str(path),
            "calls": calls,
            "memory_mb": memory_mb,
            "cpu_seconds": int(time_limit) + 2,
            "wall_seconds": time_limit + 5,
        }
        plan_path.write_bytes(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            process = subprocess.Popen(
                [sys.executable, str(CHILD), str(plan_path), str(results_path)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=str(path.parent),
                env=child_env(),
                start_new_session=True,
            )
            stopped = None
            try:
                status = process.wait(timeout=time_limit)
            except subprocess.TimeoutExpired:
                _stop(process)
                status, stopped = None, "time"
            except BaseException:  # Ctrl-C: stop the child before going
                _stop(process)
                raise
        frames = _read_frames(results_path)
        stray = (_head(out_path) + _head(err_path)).strip()
    seconds = time.monotonic() - start
    if stopped is None:
        stopped = _ending(status, frames)
    return _assemble(frames, seconds, stopped=stopped, exit_status=status, stray_output=stray)


def run_inline(path: Path, calls: list[dict], source: str | None = None) -> Run:
    """The same calls in this process, without limits: only for code known to end (tests, mutants)."""
    from dlquiz.implement import child

    frames: list[dict] = []
    start = time.monotonic()
    # through pickle, as to a child: the code under test gets copies, never the checks' own arrays
    plan = pickle.loads(pickle.dumps({"file": str(Path(path).resolve()), "calls": calls}))
    child.execute(plan, lambda frame: frames.append(pickle.loads(pickle.dumps(frame))), source=source)
    return _assemble(frames, time.monotonic() - start)
