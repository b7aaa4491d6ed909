"""Loading and validating bank files: every kind of bad input is reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlquiz.bank import BankError, get_item, link_problem, load_bank, validate_files
from dlquiz.cli import app
from dlquiz.errors import UserError

ANSWER = " ".join(["A gradient points uphill, so we step against it."] * 5)


def item_yaml(item_id: str = "my-item", topic: str = "mine", **overrides: str) -> str:
    """One valid item as YAML text; keyword arguments replace or add fields (raw YAML values)."""
    fields = {
        "id": item_id,
        "topic": topic,
        "difficulty": "easy",
        "question": "What does gradient descent do?",
        "answer": f"|\n    {ANSWER}",
        "key_points": "\n    - steps against the gradient\n    - the learning rate sets the step",
    }
    fields.update(overrides)
    lines = [f"- {k}: {v}" if i == 0 else f"  {k}: {v}" for i, (k, v) in enumerate(fields.items())]
    return "\n".join(lines) + "\n"


def write(directory: Path, name: str, text: str | bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_of(*paths: Path) -> list[str]:
    return [str(p) for p in validate_files(list(paths))[1]]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


# ---------------------------------------------------------------- a valid file loads


def test_valid_user_item_loads_with_all_optional_fields(tmp_path):
    text = item_yaml(
        tags="[gd, basics]",
        pitfalls='\n    - "Wrong: it always finds the global minimum. Right: only on convex problems."',
        derivation='\n    - step: "θ ← θ − η·∂L/∂θ"\n      why: "move against the slope"',
        choices='\n    correct: "moves against the gradient"\n    wrong: ["moves along it", "ignores it"]',
        see_also="[my-item]",
    )
    items, problems = validate_files([write(tmp_path, "mine.yaml", text)])
    assert problems == []
    (item,) = items
    assert item.tags == ("gd", "basics")
    assert item.derivation[0].step == "θ ← θ − η·∂L/∂θ"
    assert item.choices.wrong == ("moves along it", "ignores it")
    assert item.features() == ["derivation", "choices"]
    assert item.line == 1


def test_user_bank_adds_to_builtin_bank(tmp_path):
    builtin = len(load_bank())
    write(tmp_path / "bank", "mine.yaml", item_yaml())
    bank = load_bank(tmp_path / "bank")
    assert len(bank) == builtin + 1
    assert bank.get("my-item").source.endswith("mine.yaml")


def test_env_var_names_the_user_bank(tmp_path, monkeypatch):
    write(tmp_path / "bank", "mine.yaml", item_yaml())
    monkeypatch.setenv("DLQUIZ_BANK", str(tmp_path / "bank"))
    assert "my-item" in load_bank()


def test_missing_bank_dir_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        load_bank(tmp_path / "nope")


# ---------------------------------------------------------------- each kind of bad input

BAD_FILES = {
    # name: (file text, expected line, words the message must contain)
    "yaml syntax": (item_yaml() + "  tags: [unclosed\n", 11, ["YAML syntax error", "began at line 10"]),
    "unknown field": (
        item_yaml(difficulti="easy"),
        10,
        ["item 'my-item'", "field 'difficulti'", "unknown field", "difficulty"],
    ),
    "missing field": (
        item_yaml().replace("  question: What does gradient descent do?\n", ""),
        1,
        ["item 'my-item'", "field 'question'", "required"],
    ),
    "bad difficulty": (item_yaml(difficulty="trivial"), 3, ["field 'difficulty'", "easy, medium or hard", "trivial"]),
    "topic not stem": (item_yaml(topic="other"), 2, ["field 'topic'", "'other'", "'mine'"]),
    "unresolved code link": (item_yaml(code="optimizers.NoSuchThing"), 10, ["field 'code'", "NoSuchThing"]),
    "code link outside reference": (item_yaml(code="os.system"), 10, ["field 'code'", "dlquiz.reference"]),
    "demo link outside demos": (item_yaml(demo="subprocess.run"), 10, ["field 'demo'", "dlquiz.demos"]),
    "dotted link outside": (item_yaml(exercise="dlquiz.store.open"), 10, ["field 'exercise'", "dlquiz.exercises"]),
    "see_also missing": (item_yaml(see_also="[no-such-item]"), 10, ["field 'see_also'", "no-such-item"]),
    "python tag": (
        item_yaml(question="!!python/object/apply:os.system ['echo pwned']"),
        4,
        ["field 'question'", "tag", "not allowed"],
    ),
    "empty file": ("", 1, ["empty"]),
    "mapping not list": ("id: my-item\ntopic: mine\n", 1, ["mapping", "list of items"]),
    "duplicate key": (item_yaml() + "  id: my-item\n", 10, ["given twice"]),
    "too few key points": (item_yaml(key_points="\n    - only one"), 8, ["field 'key_points'", "2 to 6"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_names_file_line_and_field(tmp_path, case):
    text, line, words = BAD_FILES[case]
    path = write(tmp_path, "mine.yaml", text)
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:{line}:") or problems[0].startswith(f"mine.yaml:{line}:"), problems[0]
    for word in words:
        assert word in problems[0], (word, problems[0])


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_user_bank_fails_every_command_with_exit_2_and_no_traceback(tmp_path, case):
    text, line, words = BAD_FILES[case]
    write(tmp_path / "bank", "mine.yaml", text)
    result = run("--bank", str(tmp_path / "bank"), "list")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"mine.yaml:{line}:" in result.stderr
    assert words[0] in result.stderr
    assert result.stdout == ""


def test_python_tag_never_runs_code(tmp_path):
    marker = tmp_path / "pwned"
    text = item_yaml(question=f"!!python/object/apply:os.system ['touch {marker}']")
    problems_of(write(tmp_path, "mine.yaml", text))
    assert not marker.exists()


def test_non_utf8_file_names_the_line(tmp_path):
    raw = item_yaml().encode("utf-8").replace(b"What does", b"What \xff does")
    problems = problems_of(write(tmp_path, "mine.yaml", raw))
    assert len(problems) == 1
    assert ":4:" in problems[0] and "UTF-8" in problems[0]


def test_duplicate_id_within_a_file(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml() + item_yaml())
    (problem,) = problems_of(path)
    assert ":10:" in problem and "duplicate id" in problem and "mine.yaml:1" in problem


def test_duplicate_id_across_files(tmp_path):
    first = write(tmp_path, "mine.yaml", item_yaml())
    second = write(tmp_path, "other.yaml", item_yaml(topic="other"))
    (problem,) = problems_of(first, second)
    assert problem.startswith(f"{second}:1:") and "item 'my-item'" in problem and "duplicate id" in problem


def test_user_item_may_not_reuse_a_builtin_id(tmp_path):
    taken = load_bank().ids()[0]
    write(tmp_path / "bank", "mine.yaml", item_yaml(taken))
    with pytest.raises(BankError, match="duplicate id"):
        load_bank(tmp_path / "bank")


def test_check_lists_every_problem_at_once(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml(difficulty="trivial") + item_yaml("second", see_also="[nowhere]"))
    write(bank, "broken.yaml", "- id: [unclosed\n")
    write(bank, "empty.yaml", "")
    result = run("--bank", str(bank), "check")
    assert result.exit_code == 2
    for expected in ("mine.yaml:3:", "mine.yaml:19:", "broken.yaml:2:", "empty.yaml:1:"):
        assert expected in result.stdout, result.stdout
    assert "4 problems found" in result.stdout


def test_check_is_clean_on_the_builtin_bank():
    result = run("check")
    assert result.exit_code == 0, result.stdout
    assert "bank is valid" in result.stdout


# ---------------------------------------------------------------- links


def test_link_problem_accepts_existing_reference_and_rejects_other_forms():
    assert link_problem("code", "bank_not_a_module.x") is not None
    assert "dlquiz.reference" in link_problem("code", "../../etc.passwd")
    assert "has no module" in link_problem("demo", "nosuchmodule.f")


# ---------------------------------------------------------------- looking items up


def test_get_item_suggests_close_ids(tmp_path):
    write(tmp_path / "bank", "mine.yaml", item_yaml("gradient-descent-basics"))
    bank = load_bank(tmp_path / "bank")
    with pytest.raises(UserError) as info:
        get_item(bank, "gradient-descnt-basics")
    assert "gradient-descent-basics" in str(info.value)


def test_show_unknown_id_suggests_and_exits_2(tmp_path):
    write(tmp_path / "bank", "mine.yaml", item_yaml("my-special-item"))
    result = run("--bank", str(tmp_path / "bank"), "show", "my-specal-item")
    assert result.exit_code == 2
    assert "did you mean my-special-item" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- the parse cache


def test_parse_cache_sees_every_edit(tmp_path):
    bank = tmp_path / "bank"
    path = write(bank, "mine.yaml", item_yaml(question="First version?"))
    assert load_bank(bank).get("my-item").question == "First version?"
    path.write_text(item_yaml(question="Second version?"), encoding="utf-8")  # one byte longer
    assert load_bank(bank).get("my-item").question == "Second version?"
    path.write_text(item_yaml(question="Third versionn?"), encoding="utf-8")  # same size as before
    stat = path.stat()
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_bank(bank).get("my-item").question == "Third versionn?"


def test_corrupt_parse_cache_is_ignored(tmp_path, _isolated_home):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml())
    load_bank(bank)
    caches = list((_isolated_home / "cache" / "bank").glob("*.pickle"))
    assert caches
    for cache in caches:
        cache.write_bytes(b"not a pickle")
    assert "my-item" in load_bank(bank)


def test_a_cached_file_still_reports_its_problems(tmp_path):
    write(tmp_path / "bank", "mine.yaml", item_yaml(difficulty="trivial"))
    for _ in range(2):  # the second load comes from the cache
        with pytest.raises(BankError, match="easy, medium or hard"):
            load_bank(tmp_path / "bank")


# ---------------------------------------------------------------- nothing hides behind another problem


def test_an_item_with_one_problem_still_has_its_links_and_see_also_checked(tmp_path):
    text = item_yaml(difficulty="trivial", code="os.system", see_also="[nowhere]")
    problems = problems_of(write(tmp_path, "mine.yaml", text))
    assert len(problems) == 3, problems
    assert any("field 'difficulty'" in p for p in problems)
    assert any("field 'code'" in p for p in problems)
    assert any("'nowhere' is not an item id" in p for p in problems)


def test_a_broken_item_still_counts_for_duplicate_ids(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml(difficulty="trivial") + item_yaml())
    problems = problems_of(path)
    assert any("duplicate id" in p and ":10:" in p for p in problems), problems


def test_problems_come_in_file_and_line_order(tmp_path):
    text = item_yaml("first", see_also="[nowhere]") + item_yaml("second", difficulty="trivial")
    a = write(tmp_path, "a.yaml", text.replace("topic: mine", "topic: a"))
    b = write(tmp_path, "b.yaml", item_yaml("third", topic="wrong"))
    problems = validate_files([a, b])[1]
    assert [(p.file.endswith("a.yaml"), p.line) for p in problems] == [(True, 10), (True, 13), (False, 2)]


def test_the_hint_to_see_every_problem_names_the_user_bank(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", "".join(item_yaml(f"item-{i}", difficulty="trivial") for i in range(7)))
    with pytest.raises(BankError) as info:
        load_bank(bank)
    assert f"'dlquiz --bank {bank} check' lists them all" in str(info.value)
    assert "and 2 more" in str(info.value)


def test_ids_are_found_whatever_their_case(tmp_path):
    write(tmp_path / "bank", "mine.yaml", item_yaml("my-item"))
    assert get_item(load_bank(tmp_path / "bank"), "My-Item").id == "my-item"


def test_loading_never_creates_a_missing_dlquiz_home(tmp_path, monkeypatch):
    home = tmp_path / "not-yet"
    monkeypatch.setenv("DLQUIZ_HOME", str(home))
    assert len(load_bank()) > 0
    assert not home.exists()
