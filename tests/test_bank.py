"""Loading and validating bank files: every kind of bad input is reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from bankfiles import item_yaml, write
from typer.testing import CliRunner

from dlquiz.bank import BankError, load_bank, validate_files
from dlquiz.cli import app
from dlquiz.errors import UserError


def problems_of(*paths: Path) -> list[str]:
    return [str(p) for p in validate_files(list(paths))[1]]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


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
def test_a_bad_personal_bank_is_left_out_of_daily_commands_with_a_warning(tmp_path, case):
    text, line, words = BAD_FILES[case]
    write(tmp_path / "bank", "mine.yaml", text)
    listed = run("--bank", str(tmp_path / "bank"), "list")
    assert listed.exit_code == 0, listed.output
    assert "Traceback" not in listed.output
    assert listed.stderr.startswith("warning: ")  # list prints nothing else on stderr
    assert f"mine.yaml:{line}:" in listed.stderr and words[0] in listed.stderr
    assert f"'dlquiz --bank {tmp_path / 'bank'} check' lists them all" in listed.stderr
    assert f"{len(load_bank())} items" in listed.stdout  # the built-in bank is all there


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
    assert "note:" not in result.stdout  # no state file yet, so no card without an item


# ---------------------------------------------------------------- looking items up


def test_show_unknown_id_suggests_and_exits_2(tmp_path):
    write(tmp_path / "bank", "mine.yaml", item_yaml("my-special-item"))
    result = run("--bank", str(tmp_path / "bank"), "show", "my-specal-item")
    assert result.exit_code == 2
    assert "did you mean 'my-special-item'?" in result.stderr
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


def test_the_built_in_bank_read_back_from_the_cache_equals_a_fresh_parse(_isolated_home):
    from dlquiz.bank import bank_files

    fresh = validate_files(bank_files())[0]
    load_bank()  # fills the cache
    assert list((_isolated_home / "cache" / "bank").glob("parse-*.json"))
    assert list(load_bank().items) == fresh  # every field, derivations and choices included


def test_corrupt_parse_cache_is_ignored(tmp_path, _isolated_home):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml())
    load_bank(bank)
    caches = list((_isolated_home / "cache" / "bank").glob("*.json"))
    assert len(caches) > 14  # one per bank file, and the link registries
    for cache in caches:
        cache.write_bytes(b'{"key": ')
    assert "my-item" in load_bank(bank)


def test_no_cache_is_written_when_the_disk_is_nearly_full(tmp_path, monkeypatch, _isolated_home):
    import os

    from dlquiz.bank import cache

    real = os.statvfs

    def nearly_full(path):
        found = real(path)
        return os.statvfs_result((*found[:4], cache.RESERVE_BYTES // found.f_frsize, *found[5:]))  # the reserve left

    monkeypatch.setattr(os, "statvfs", nearly_full)
    write(tmp_path / "bank", "mine.yaml", item_yaml())
    assert "my-item" in load_bank(tmp_path / "bank")
    assert list((_isolated_home / "cache" / "bank").glob("*.json")) == []


def test_a_cache_that_cannot_be_written_is_skipped_silently(tmp_path, _isolated_home):
    (_isolated_home / "cache").write_text("not a directory")
    write(tmp_path / "bank", "mine.yaml", item_yaml())
    assert "my-item" in load_bank(tmp_path / "bank")
    assert (_isolated_home / "cache").read_text() == "not a directory"


def test_the_old_pickle_cache_is_removed_and_stale_entries_pruned(tmp_path, _isolated_home):
    import os

    old = _isolated_home / "cache" / "bank"
    old.mkdir(parents=True)
    (old / "names-reference-attention.pickle").write_bytes(b"old")
    stale = old / "parse-gone.json"
    stale.write_text("{}")
    os.utime(stale, (0, 0))
    write(tmp_path / "bank", "mine.yaml", item_yaml())
    load_bank(tmp_path / "bank")
    assert not list(old.glob("*.pickle")) and not stale.exists()
    assert list(old.glob("parse-*.json"))


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


def test_loading_never_creates_a_missing_dlquiz_home(tmp_path, monkeypatch):
    home = tmp_path / "not-yet"
    monkeypatch.setenv("DLQUIZ_HOME", str(home))
    assert len(load_bank()) > 0
    assert not home.exists()


# ---------------------------------------------------------------- every problem at once (B15)


def test_every_problem_of_an_item_with_a_bad_id_is_reported_at_once(tmp_path):
    """The item of B15: a bad id, a wrong topic, a wrong difficulty and one key point hid its links."""
    text = item_yaml(
        "Bad_Id",
        topic="other",
        difficulty="trivial",
        key_points="\n    - only one",
        code="os.system",
        see_also="[nonexistent-id]",
    )
    problems = problems_of(write(tmp_path, "mine.yaml", text))
    fields = [p.split("field '")[1].split("'")[0] for p in problems]
    assert sorted(fields) == ["code", "difficulty", "id", "key_points", "see_also", "topic"], problems
    assert any("os.system" in p and "dlquiz.reference" in p for p in problems)
    assert any("'nonexistent-id' is not an item id" in p for p in problems)


# ---------------------------------------------------------------- .yml files (B14)


def test_yml_files_load_like_yaml_files(tmp_path):
    write(tmp_path / "bank", "extra.yml", item_yaml("from-yml", topic="extra"))
    assert load_bank(tmp_path / "bank").get("from-yml").source.endswith("extra.yml")


def test_two_files_of_one_topic_are_a_problem_naming_both(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml("one"))
    write(bank, "mine.yml", item_yaml("two"))
    with pytest.raises(BankError) as info:
        load_bank(bank)
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 2
    assert any(p.startswith(f"{bank / 'mine.yaml'}: {bank / 'mine.yml'} gives the same topic 'mine'") for p in problems)
    assert any(p.startswith(f"{bank / 'mine.yml'}: {bank / 'mine.yaml'} gives the same topic 'mine'") for p in problems)


def test_hidden_and_other_files_are_not_bank_files(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml())
    write(bank, ".mine.yaml", "not: [valid")  # an editor's backup
    write(bank, "notes.txt", "not: [valid")
    assert "my-item" in load_bank(bank)


# ---------------------------------------------------------------- a personal bank with a typo (friction 15)


def test_one_typo_in_a_personal_bank_leaves_only_that_item_out_of_review(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml("good-one") + item_yaml("bad-one", difficulty="trivial"))
    write(bank, "more.yaml", item_yaml("another", topic="more"))
    result = run("--bank", str(bank), "quiz", "--topic", "mine", "--mode", "flashcard", "-n", "5")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    warning, first = lines[-2:]  # when the command ends, so a review cannot clear it off the screen
    assert warning == f"warning: 1 item of {bank} left out (1 problem); 'dlquiz --bank {bank} check' lists them all"
    assert first.startswith("  first: ") and "mine.yaml:12: item 'bad-one' field 'difficulty'" in first
    assert "Only 1 question match" in result.stderr


def test_the_left_out_warning_names_the_folder_as_check_names_its_files_and_wraps_between_words(tmp_path, monkeypatch):
    """Bug 13: the warning gave an absolute path where check gave a relative one, and broke mid-word."""
    import io

    from rich.console import Console

    from dlquiz.cli.app import WARNINGS_KEY, _print_warnings
    from dlquiz.ui import console as ui_console

    bank = tmp_path / "my-questions-folder"
    write(bank, "mine.yaml", item_yaml("good-one") + item_yaml("bad-one", difficulty="trivial"))
    monkeypatch.chdir(tmp_path)
    checked = run("--bank", str(bank), "check")
    assert "✗ my-questions-folder/mine.yaml:" in checked.stdout  # check names files relative to here
    listed = run("--bank", str(bank), "list", "--topic", "mine")
    expected = "1 item of my-questions-folder left out (1 problem); 'dlquiz --bank my-questions-folder check'"
    assert expected in listed.stderr and str(tmp_path) not in listed.stderr
    screen = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(ui_console, "err_console", lambda: screen)
    message = "x" * 40 + " of my-questions-folder left out (1 problem); 'dlquiz --bank my-questions-folder check'"
    _print_warnings({WARNINGS_KEY: [message]})
    lines = screen.file.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines)
    assert all(word in lines[0].split() or word in lines[1].split() for word in message.split())  # none cut


def test_a_personal_file_that_cannot_be_parsed_is_counted_as_a_file(tmp_path):
    from dlquiz.bank import load_bank_partial

    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml())
    write(bank, "broken.yaml", "- id: [unclosed\n")
    loaded, left_out = load_bank_partial(bank)
    assert "my-item" in loaded
    assert left_out is not None and (left_out.items, left_out.files) == (0, 1)
    assert left_out.summary().startswith(f"1 file of {bank} left out (1 problem); ")


def test_an_item_pointing_at_a_left_out_item_keeps_its_other_references(tmp_path):
    from dlquiz.bank import load_bank_partial

    bank = tmp_path / "bank"
    first = load_bank().ids()[0]
    write(bank, "mine.yaml", item_yaml("kept", see_also=f"[broken, {first}]") + item_yaml("broken", difficulty="x"))
    loaded, left_out = load_bank_partial(bank)
    assert loaded.get("kept").see_also == (first,)
    assert "broken" not in loaded and left_out.items == 1


def test_a_problem_in_the_builtin_bank_stays_an_error(tmp_path, monkeypatch):
    import dlquiz.bank.loader
    from dlquiz.bank import load_bank_partial

    builtin = tmp_path / "builtin"
    write(builtin, "mine.yaml", item_yaml(difficulty="trivial"))
    write(tmp_path / "bank", "other.yaml", item_yaml("fine", topic="other"))
    monkeypatch.setattr(dlquiz.bank.loader, "builtin_dir", lambda: builtin)
    with pytest.raises(BankError, match="easy, medium or hard"):
        load_bank_partial(tmp_path / "bank")


# ---------------------------------------------------------------- check and the state file (scheduling F7)


def test_check_names_cards_whose_item_is_gone_without_writing_the_state_file(tmp_path, _isolated_home):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml("soon-gone") + item_yaml("staying"))
    answered = run(
        "--bank", str(bank), "review", "--topic", "mine", input="\n3\n\n3\n"
    )  # quizzes on new cards are practice
    assert answered.exit_code == 0, answered.output
    write(bank, "mine.yaml", item_yaml("staying"))
    state = _isolated_home / "state.db"
    before = state.read_bytes()
    wal = state.with_name("state.db-wal")
    wal_before = wal.read_bytes() if wal.exists() else None
    result = run("--bank", str(bank), "check")
    assert result.exit_code == 0, result.output
    assert "the state file has cards for 1 id that no item has (soon-gone)" in result.stdout
    assert state.read_bytes() == before
    assert (wal.read_bytes() if wal.exists() else None) in (wal_before, b"")  # SQLite's reader may add an empty log


def test_check_does_not_call_coding_exercise_cards_orphans():
    """Found while driving bug 13: check listed implement:softmax as a card 'that no item has'."""
    from dlquiz.implement.registry import get
    from dlquiz.implement.schedule import Result, record
    from dlquiz.model import CardState
    from dlquiz.store import open_store

    with open_store() as store:
        record(store, get("softmax"), Result.PASSED)
        after = CardState(new=False, state=2, step=None, stability=3.0, difficulty=5.0, due_ms=2, last_review_ms=1)
        store.commit_answer("implement:no-such-exercise", 0, CardState(), after, 3, "implement", 1)
    result = run("check")
    assert "implement:softmax" not in result.stdout
    assert "cards for 1 id that no item has (implement:no-such-exercise)" in result.stdout
