"""Bank files written to hurt: special files, huge files and fields, YAML aliases, escape sequences, links
to code that is not a demo or generator, a planted cache. Each must end in a clear problem (file, line,
field) or be ignored, never in a hang, a crash, code run or a raw escape sequence on the terminal.

Only public behaviour is used (``validate_files``, ``load_bank``, the CLI), so each test also runs against
older code. A case that would hang or exhaust memory there runs in a child process with a time limit
and a memory limit.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from bankfiles import item_yaml, write
from typer.testing import CliRunner

import dlquiz
from dlquiz.bank import load_bank, validate_files
from dlquiz.cli import app

RAW_CONTROL = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def problems_of(*paths: Path) -> list[str]:
    return [str(p) for p in validate_files(list(paths))[1]]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB: enough for dlquiz, not for a runaway


def problems_in_child(*paths: Path, timeout: float = 60) -> list[str]:
    """The problems ``validate_files`` finds, computed in a child process that may not hang or balloon."""
    code = (
        "import json, sys; from pathlib import Path; from dlquiz.bank import validate_files; "
        "print(json.dumps([str(p) for p in validate_files([Path(a) for a in sys.argv[1:]])[1]]))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(dlquiz.__file__).resolve().parent.parent)}  # the code under test
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {[p.name for p in paths]} did not finish within {timeout} s")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


# ---------------------------------------------------------------- files that are not files


def test_a_fifo_named_like_a_bank_file_is_a_problem_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (problem,) = problems_in_child(fifo, timeout=20)
    assert problem.startswith(f"{fifo}: ") and "FIFO" in problem and "not a regular file" in problem


def test_a_bank_file_linked_to_dev_zero_is_a_problem_not_out_of_memory(tmp_path):
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    (problem,) = problems_in_child(zero)
    assert problem.startswith(f"{zero}: ") and "character device" in problem


def test_a_directory_named_like_a_bank_file_is_a_problem(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    (problem,) = problems_of(tmp_path / "dir.yaml")
    assert "is a directory, not a regular file" in problem


def test_a_dangling_link_is_a_problem(tmp_path):
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (problem,) = problems_of(tmp_path / "gone.yaml")
    assert "cannot be read" in problem and "No such file" in problem


# ---------------------------------------------------------------- sizes


def test_a_50_mb_answer_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(item_yaml(answer="a" * 50_000_000), encoding="utf-8")
    (problem,) = problems_in_child(path, timeout=20)
    assert problem.startswith(f"{path}: ") and "larger than the 4 MiB allowed" in problem


def test_a_field_over_the_limit_is_a_problem_with_its_line(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml(answer="b" * 20_001))
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:5:") and "field 'answer'" in problem and "20,001 characters" in problem


def test_a_long_list_counts_all_its_entries_against_the_field_limit(tmp_path):
    tags = "[" + ", ".join(f"tag-number-{i:05d}" for i in range(1_300)) + "]"  # 1,300 × 16 characters
    (problem,) = problems_of(write(tmp_path, "mine.yaml", item_yaml(tags=tags)))
    assert "field 'tags'" in problem and "a field may hold at most 20,000" in problem


def test_the_limits_leave_room_for_long_real_answers(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml(answer="c" * 20_000) * 1)
    assert problems_of(path) == []


# ---------------------------------------------------------------- anchors and aliases


def test_an_alias_is_refused_with_the_line_of_its_anchor(tmp_path):
    text = item_yaml(tags="[&t basics, *t]")
    (problem,) = problems_of(write(tmp_path, "mine.yaml", text))
    assert ":10:" in problem and "anchors and aliases" in problem and "&t" in problem


def test_a_merge_key_built_from_an_anchor_is_refused(tmp_path):
    text = "- &base\n  id: a\n  topic: mine\n- <<: *base\n  id: b\n"
    (problem,) = problems_of(write(tmp_path, "mine.yaml", text))
    assert ":1:" in problem and "anchors and aliases" in problem


def test_alias_amplification_is_refused_quickly(tmp_path):
    """A 1 MiB tag repeated 20,000 times by alias: 20 GB of text from a 1 MB file."""
    tags = "[&t " + "a" * (1 << 20) + ", " + ", ".join(["*t"] * 20_000) + "]"
    path = write(tmp_path, "mine.yaml", item_yaml(tags=tags))
    (problem,) = problems_in_child(path, timeout=20)
    assert "anchors and aliases" in problem and len(problem) < 400


def test_an_invalid_amplified_value_gives_one_short_problem(tmp_path):
    tags = "[&t " + "A" * (1 << 20) + ", " + ", ".join(["*t"] * 20_000) + "]"
    path = write(tmp_path, "mine.yaml", item_yaml(tags=tags))
    problems = problems_in_child(path, timeout=20)
    assert len(problems) == 1 and len(problems[0]) < 400


# ---------------------------------------------------------------- control characters


def _double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, each control character written as a \\xNN escape, the way
    an attacker gets one past the YAML reader (which refuses raw control characters)."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\x{ord(c):02x}" if c in RAW_CONTROL else c for c in body) + '"'


OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07 and \x1b[2J"
# field -> (the item's YAML overrides, with {bad} where the control characters go; the line they are on)
TEXT_FIELDS = {
    "topic": ({"topic": "{bad}"}, 2),
    "difficulty": ({"difficulty": "{bad}"}, 3),
    "question": ({"question": "{bad}"}, 4),
    "answer": ({"answer": "{bad}"}, 5),
    "key_points": ({"key_points": "[first point, {bad}]"}, 7),
    "tags": ({"tags": "[{bad}]"}, 10),
    "pitfalls": ({"pitfalls": "[{bad}]"}, 10),
    "derivation[1].step": ({"derivation": "\n    - step: {bad}\n      why: because"}, 11),
    "derivation[1].why": ({"derivation": "\n    - step: x = 1\n      why: {bad}"}, 12),
    "choices.correct": ({"choices": "\n    correct: {bad}\n    wrong: [no]"}, 11),
    "choices.wrong": ({"choices": "\n    correct: yes\n    wrong: [{bad}]"}, 12),
    "code": ({"code": "{bad}"}, 10),
    "demo": ({"demo": "{bad}"}, 10),
    "exercise": ({"exercise": "{bad}"}, 10),
    "see_also": ({"see_also": "[{bad}]"}, 10),
}


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
def test_an_escape_sequence_in_any_text_field_is_a_problem_shown_escaped(tmp_path, field):
    overrides, line = TEXT_FIELDS[field]
    values = {k: v.replace("{bad}", _double_quoted("x " + OSC52)) for k, v in overrides.items()}
    path = write(tmp_path, "mine.yaml", item_yaml(**values))
    problems = problems_of(path)
    assert problems, "the escape sequence was accepted"
    assert f"{path}:{line}: item 'my-item' field '{field}':" in problems[0], problems
    assert "\\x1b" in problems[0]
    for problem in problems:
        assert not any(c in problem for c in RAW_CONTROL), repr(problem)


def test_an_escape_sequence_in_an_id_is_refused_and_never_printed_raw(tmp_path):
    bank = tmp_path / "bank"
    path = write(bank, "mine.yaml", item_yaml(_double_quoted("evil" + OSC52)))
    (problem,) = problems_of(path)
    assert f"{path}:1:" in problem and "field 'id'" in problem and "\\x1b]52" in problem
    for args in (["list"], ["check"], ["show", "evil"], ["export"]):
        result = run("--bank", str(bank), *args)
        assert not any(c in result.output for c in RAW_CONTROL), (args, result.output)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\r", "\x7f", "\x9b", "\x85"])
def test_every_kind_of_control_character_is_refused(tmp_path, char):
    path = write(tmp_path, "mine.yaml", item_yaml(question=_double_quoted(f"a{char}b")))
    (problem,) = problems_of(path)
    assert "field 'question'" in problem and f"\\x{ord(char):02x}" in problem


def test_a_raw_control_character_in_the_file_is_a_problem_with_its_line(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml(question="before \x1b[2J after"))
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:4:") and "\\x1b" in problem and "\x1b" not in problem
    assert "\n" not in problem


def test_an_escape_sequence_or_a_megabyte_in_a_key_is_shown_escaped_and_short(tmp_path):
    long_key = "  ? " + "k" * 1_000_000 + "\n  : 2\n"  # an explicit key: YAML limits simple ones to 1,024
    path = write(tmp_path, "mine.yaml", item_yaml(**{_double_quoted("x" + OSC52): "1"}) + long_key)
    problems = problems_of(path)
    assert len(problems) == 2 and all("unknown field" in p for p in problems)
    assert "\\x1b]52" in problems[0] and not any(c in problems[0] for c in RAW_CONTROL)
    assert len(problems[1]) < 400


def test_tabs_and_newlines_stay_allowed(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml(question='"a\\tb\\nc"'))
    items, problems = validate_files([path])
    assert problems == [] and items[0].question == "a\tb\nc"


def test_a_crlf_file_loads(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml().replace("\n", "\r\n").encode("utf-8"))
    items, problems = validate_files([path])
    assert problems == [] and "\r" not in items[0].answer


def test_a_file_name_with_an_escape_is_shown_escaped(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine\x1b[2J.yaml", "- [broken\n")
    result = run("--bank", str(bank), "check")
    assert result.exit_code == 2
    assert "mine\\x1b[2J.yaml" in result.output and "\x1b" not in result.output


# ---------------------------------------------------------------- links only to registered code (F8)

F8_LINKS = [
    ("demo", "__init__.all_demos"),
    ("demo", "__init__.dataclass"),
    ("demo", "__init__.field"),
    ("demo", "__init__.UserError"),
    ("demo", "_util.rng"),
    ("demo", "__init__.run_demo"),
    ("exercise", "__init__.import_link"),
    ("exercise", "__init__.all_links"),
    ("exercise", "__init__.dataclass"),
    ("exercise", "_draw.vec"),
    ("exercise", "__init__.Exercise"),
    ("exercise", "__init__.MODULES"),
]


@pytest.mark.parametrize(("kind", "link"), F8_LINKS)
def test_a_link_to_code_that_is_not_a_demo_or_generator_is_a_problem(tmp_path, kind, link):
    path = write(tmp_path, "mine.yaml", item_yaml(**{kind: link}))
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:10: item 'my-item' field '{kind}':"), problem


@pytest.mark.parametrize(("kind", "link"), F8_LINKS)
def test_a_link_to_code_that_is_not_a_demo_or_generator_never_runs(tmp_path, kind, link):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml(**{kind: link}))
    command = ["demo", "my-item"] if kind == "demo" else ["exercise", "my-item"]
    result = run("--bank", str(bank), *command)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize(
    ("kind", "link"),
    [
        ("demo", "optimizers.np"),  # numpy, imported by the module
        ("demo", "optimizers.rosenbrock"),  # a public helper, not a demo
        ("code", "layers.mse"),  # defined in losses, imported into layers
        ("code", "activations._stable"),
        ("exercise", "activations.SUB"),  # a constant
    ],
)
def test_names_a_module_only_uses_or_imports_are_not_linkable(tmp_path, kind, link):
    (problem,) = problems_of(write(tmp_path, "mine.yaml", item_yaml(**{kind: link})))
    assert f"field '{kind}'" in problem


# ---------------------------------------------------------------- the command line


def test_a_bank_path_of_100000_characters_gives_one_clear_line():
    result = run("--bank", "x" * 100_000, "list")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: bank directory 'xxx") and "File name too long" in line and len(line) < 200


# ---------------------------------------------------------------- the cache is data, never code


class _Plant:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_planted_in_the_cache_never_runs(tmp_path, _isolated_home):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml())
    load_bank(bank)
    marker = tmp_path / "pwned"
    planted = pickle.dumps(_Plant(marker))
    entries = [p for p in (_isolated_home / "cache").rglob("*") if p.is_file()]
    assert entries, "loading the bank keeps a cache"
    for entry in entries:
        entry.write_bytes(planted)
    for name in ("names-reference-activations", "names-demos-optimizers", "names-exercises-activations"):
        (_isolated_home / "cache" / "bank" / f"{name}.pickle").write_bytes(planted)
    assert "my-item" in load_bank(bank)
    assert not marker.exists()


def test_a_cache_entry_edited_to_hold_an_escape_sequence_is_not_used(tmp_path, _isolated_home):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml(question="Plain question?"))
    load_bank(bank)
    edited = 0
    for entry in (_isolated_home / "cache" / "bank").glob("parse-*.json"):
        text = entry.read_text(encoding="utf-8")
        if "Plain question?" in text:
            entry.write_text(text.replace("Plain question?", "Plain\\u001b[2J question?"), encoding="utf-8")
            edited += 1
    assert edited == 1
    assert load_bank(bank).get("my-item").question == "Plain question?"
