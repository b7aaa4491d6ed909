"""The learner's code in its own process: limits, errors told from their side, output captured, inputs guarded."""

from __future__ import annotations

from textwrap import dedent

from dlquiz.implement.grading import grade
from dlquiz.implement.registry import get

GOOD_SOFTMAX = """
import numpy as np

def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
"""


def learner_file(tmp_path, text: str, name: str = "softmax.py"):
    path = tmp_path / name
    path.write_text(dedent(text))
    return path


def test_a_correct_file_passes_in_a_child_process(tmp_path):
    report = grade(get("softmax"), learner_file(tmp_path, GOOD_SOFTMAX))
    assert report.passed and report.passed_checks == report.total


def test_a_file_that_never_returns_is_stopped_at_the_limit(tmp_path):
    path = learner_file(tmp_path, "def softmax(x, axis=-1):\n    while True:\n        pass\n")
    report = grade(get("softmax"), path, time_limit=1.0)
    assert not report.passed
    assert report.failures[0].problem.startswith("stopped after 1 s (the time limit) while running softmax(x)")
    assert report.not_run == report.total - 1


def test_a_sleeping_file_is_stopped_too(tmp_path):
    path = learner_file(tmp_path, "import time\n\ndef softmax(x, axis=-1):\n    time.sleep(1000)\n")
    report = grade(get("softmax"), path, time_limit=0.6)
    assert "stopped after 0.6 s" in report.failures[0].problem


def test_a_loop_at_import_is_stopped_while_loading(tmp_path):
    report = grade(get("softmax"), learner_file(tmp_path, "while True:\n    pass\n"), time_limit=0.6)
    assert report.fatal is not None and "while loading your file" in report.fatal.problem


def test_memory_is_limited_and_the_error_is_the_learner_s(tmp_path):
    path = learner_file(
        tmp_path, "import numpy as np\n\ndef softmax(x, axis=-1):\n    return np.ones((1 << 31,)) * 2\n"
    )
    report = grade(get("softmax"), path, memory_mb=512)
    failure = report.failures[0]
    assert failure.problem.startswith("softmax raised MemoryError")
    assert failure.error is not None and failure.error.line == 4
    assert "memory limit" in failure.hint


def test_a_syntax_error_names_the_file_line_and_column(tmp_path):
    path = learner_file(tmp_path, "import numpy as np\n\ndef softmax(x, axis=-1):\n    return (x\n")
    report = grade(get("softmax"), path)
    assert report.fatal is not None and report.fatal.problem.startswith("SyntaxError")
    assert report.fatal.error.syntax_line == 4
    assert "dlquiz" not in repr(report.fatal)  # the learner's file only, never dlquiz's traceback


def test_an_exception_shows_the_learner_s_frames_only(tmp_path):
    path = learner_file(
        tmp_path,
        """
        import numpy as np

        def helper(x):
            return x.max(axis=3)

        def softmax(x, axis=-1):
            return helper(x)
        """,
    )
    failure = grade(get("softmax"), path).failures[0]
    assert failure.problem.startswith("softmax raised AxisError") or "axis 3 is out of bounds" in failure.problem
    assert [(f.function, f.line) for f in failure.error.frames] == [("softmax", 8), ("helper", 5)]
    assert failure.error.frames[-1].text == "return x.max(axis=3)"


def test_code_run_at_import_is_reported_with_a_hint(tmp_path):
    path = learner_file(tmp_path, GOOD_SOFTMAX + "\nprint(softmax(None))\n")
    report = grade(get("softmax"), path)
    assert report.fatal is not None and "while loading" in report.fatal.problem
    assert "__main__" in report.fatal.hint


def test_a_main_block_does_not_run(tmp_path):
    path = learner_file(tmp_path, GOOD_SOFTMAX + "\nif __name__ == '__main__':\n    raise SystemExit('tests')\n")
    assert grade(get("softmax"), path).passed


def test_printed_output_is_captured_with_the_failing_check(tmp_path):
    path = learner_file(
        tmp_path, "import numpy as np\n\ndef softmax(x, axis=-1):\n    print('shape', x.shape)\n    return x\n"
    )
    failure = grade(get("softmax"), path).failures[0]
    assert failure.output.strip() == "shape (2, 3)"


def test_exit_and_hard_exit_are_reported(tmp_path):
    exits = learner_file(tmp_path, "import sys\n\ndef softmax(x, axis=-1):\n    sys.exit(2)\n")
    assert grade(get("softmax"), exits).failures[0].problem.startswith("softmax raised SystemExit")
    ends = learner_file(tmp_path, "import os\n\ndef softmax(x, axis=-1):\n    os._exit(3)\n", "hard.py")
    failure = grade(get("softmax"), ends).failures[0]
    assert "the process ended (exit status 3)" in failure.problem
    assert "os._exit" in failure.hint


def test_a_missing_function_lists_what_the_file_defines(tmp_path):
    failure = grade(get("softmax"), learner_file(tmp_path, "def soft_max(x, axis=-1):\n    return x\n")).failures[0]
    assert failure.problem == "your file has no function softmax"
    assert "soft_max" in failure.detail


def test_a_signature_that_does_not_fit_says_how_it_is_called(tmp_path):
    failure = grade(get("softmax"), learner_file(tmp_path, "def softmax(x):\n    return x\n")).failures
    signature = [f for f in failure if f.problem == "the call does not fit your function's signature"]
    assert signature and "softmax(x, axis=0)" in signature[0].hint


def test_changing_an_input_in_place_fails_even_when_the_result_is_right(tmp_path):
    path = learner_file(
        tmp_path,
        """
        import numpy as np

        def softmax(x, axis=-1):
            x -= x.max(axis=axis, keepdims=True)
            np.exp(x, out=x)
            x /= x.sum(axis=axis, keepdims=True)
            return x.copy()
        """,
    )
    failure = grade(get("softmax"), path).failures[0]
    assert failure.problem == "changed its input in place" and "x no longer held" in failure.detail


def test_a_slow_correct_solution_passes_with_a_vectorisation_note(tmp_path):
    path = learner_file(
        tmp_path,
        """
        import math
        import numpy as np

        def sigmoid(x):
            out = np.empty_like(x)
            for i in np.ndindex(x.shape):
                v = x[i]
                out[i] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
            return out
        """,
        "sigmoid.py",
    )
    report = grade(get("stable-sigmoid"), path)
    assert report.passed
    assert any(note.startswith("Speed: your sigmoid took") for note in report.notes)


def test_a_fully_masked_query_may_come_out_nan_or_zero_but_not_uniform(tmp_path):
    base = """
        import numpy as np

        def attention(q, k, v, mask=None):
            s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
            if mask is not None:
                s = np.where(mask, s, FILL)
            m = s.max(-1, keepdims=True)
            e = np.exp(s - np.where(np.isfinite(m), m, MAXFILL))
            a = e / e.sum(-1, keepdims=True)
            return a @ v, a
        """
    nan_rows = learner_file(tmp_path, base.replace("MAXFILL", "np.nan").replace("FILL", "-np.inf"), "nan.py")
    assert grade(get("attention"), nan_rows).passed
    uniform = learner_file(tmp_path, base.replace("MAXFILL", "0").replace("FILL", "-1e9"), "uniform.py")
    failures = grade(get("attention"), uniform).failures
    assert [f.case for f in failures] == ["a query whose keys are all masked"]
    assert "−1e9" in failures[0].hint


def test_the_same_checks_in_process_and_in_a_child(tmp_path):
    path = learner_file(
        tmp_path, "import numpy as np\n\ndef softmax(x, axis=-1):\n    return np.exp(x) / np.exp(x).sum()\n"
    )
    child = grade(get("softmax"), path)
    inline = grade(get("softmax"), path, inline=True)
    assert [(f.case, f.problem, f.detail) for f in child.failures] == [
        (f.case, f.problem, f.detail) for f in inline.failures
    ]
