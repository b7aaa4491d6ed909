"""The browsing commands as a user runs them: list, show, search, --version, and start-up cost."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bankfiles import item_yaml, write
from typer.testing import CliRunner

from dlquiz import __version__
from dlquiz.bank import load_bank
from dlquiz.cli import app
from dlquiz.search import search

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def user_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    write(
        bank,
        "mine.yaml",
        item_yaml(
            "alpha-item", difficulty="hard", tags="[zebra]", derivation='\n    - step: "y = 2x"\n      why: "doubling"'
        )
        + item_yaml("beta-item", question="Why does the zebra have stripes?")
        + item_yaml(
            "gamma-item", tags="[zebra]", answer="|\n    " + " ".join(["Zebra zebra, stripes everywhere."] * 10)
        ),
    )
    return bank


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"dlquiz {__version__}"


def test_list_shows_every_item_with_its_parts(tmp_path):
    bank = user_bank(tmp_path)
    result = run("--bank", str(bank), "list", "--topic", "mine")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "-item" in line]
    assert [line.split()[0] for line in lines] == ["alpha-item", "beta-item", "gamma-item"]
    assert "∂" in lines[0] and "∂" not in lines[1]
    assert "3 items" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_bank_may_follow_the_command_name(tmp_path):
    bank = user_bank(tmp_path)
    before = run("--bank", str(bank), "list", "--topic", "mine")
    after = run("list", "--topic", "mine", "--bank", str(bank))
    assert after.exit_code == 0, after.output
    assert "alpha-item" in after.stdout
    assert after.stdout == before.stdout


def test_list_filters_combine(tmp_path):
    bank = user_bank(tmp_path)
    result = run("--bank", str(bank), "list", "--tag", "zebra", "--difficulty", "easy")
    assert result.exit_code == 0
    assert "gamma-item" in result.stdout
    assert "alpha-item" not in result.stdout and "beta-item" not in result.stdout


def test_list_unknown_topic_lists_valid_topics(tmp_path):
    result = run("--bank", str(user_bank(tmp_path)), "list", "--topic", "minee")
    assert result.exit_code == 2
    assert "no topic 'minee'" in result.stderr and "mine" in result.stderr


def test_list_bad_difficulty_is_a_usage_error(tmp_path):
    result = run("list", "--difficulty", "trivial")
    assert result.exit_code == 2
    assert "easy, medium or hard" in result.output


def test_list_json_is_for_scripts(tmp_path):
    result = run("--bank", str(user_bank(tmp_path)), "list", "--topic", "mine", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == ["alpha-item", "beta-item", "gamma-item"]
    assert data[0]["difficulty"] == "hard" and data[0]["tags"] == ["zebra"]
    assert data[0]["derivation"] == [{"step": "y = 2x", "why": "doubling"}]
    assert "derivation" not in data[1]
    assert {"id", "topic", "difficulty", "question", "answer", "key_points"} <= set(data[1])


def test_show_prints_question_answer_points_and_derivation(tmp_path):
    result = run("--bank", str(user_bank(tmp_path)), "show", "alpha-item")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "What does gradient descent do?",
        "Key points",
        "steps against the gradient",
        "Derivation",
        "y = 2x",
        "doubling",
    ):
        assert text in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_show_steps_reveals_one_at_a_time(tmp_path):
    bank = tmp_path / "bank"
    steps = '\n    - step: "first = 1"\n      why: "reason one"\n    - step: "second = 2"\n      why: "reason two"'
    write(bank, "mine.yaml", item_yaml("stepped", derivation=steps))
    stopped = run("--bank", str(bank), "show", "stepped", "--steps", input="\nq\n")
    assert stopped.exit_code == 0
    assert "first = 1" in stopped.stdout and "reason one" in stopped.stdout
    assert "second = 2" not in stopped.stdout
    full = run("--bank", str(bank), "show", "stepped", "--steps", input="\n\n\n")
    assert "reason two" in full.stdout


def test_show_steps_without_derivation_says_so(tmp_path):
    result = run("--bank", str(user_bank(tmp_path)), "show", "beta-item", "--steps")
    assert result.exit_code == 2
    assert "has no derivation" in result.stderr


def test_search_ranks_question_hits_above_answer_hits(tmp_path):
    bank = load_bank(user_bank(tmp_path))
    mine = [i for i in bank if i.topic == "mine"]
    assert [item.id for _, item in search(mine, "stripes")] == ["beta-item", "gamma-item"]  # question first
    assert {item.id for _, item in search(mine, "ZEBRA")} == {"alpha-item", "beta-item", "gamma-item"}
    assert [item.id for _, item in search(mine, "zebra stripes")] == ["beta-item", "gamma-item"]
    assert search(mine, "   ") == []


def test_search_command_shows_matches(tmp_path):
    result = run("--bank", str(user_bank(tmp_path)), "search", "stripes")
    assert result.exit_code == 0
    assert "beta-item" in result.stdout and "alpha-item" not in result.stdout
    nothing = run("--bank", str(user_bank(tmp_path)), "search", "qwertyuiop")
    assert nothing.exit_code == 1  # as grep: 1 when nothing matches
    assert nothing.stdout == "" and "Nothing matches 'qwertyuiop'" in nothing.stderr


def test_no_color_means_no_escape_codes(tmp_path):
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color", "FORCE_COLOR": ""}
    env.pop("FORCE_COLOR")
    out = subprocess.run(
        [sys.executable, "-m", "dlquiz", "--bank", str(user_bank(tmp_path)), "show", "alpha-item"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "\x1b[" not in out.stdout


def test_python_m_dlquiz_runs_from_any_directory(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "dlquiz", "list", "--json"], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == len(load_bank())


def test_help_imports_no_numpy(tmp_path):
    code = (
        "import sys; from dlquiz.cli import app; app(['--help'], standalone_mode=False); print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("False")


def test_list_imports_no_numpy(tmp_path):
    code = "import sys; from dlquiz.cli import app; app(['list'], standalone_mode=False); print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("False")


def test_list_due_column_without_state_creates_nothing(tmp_path, _isolated_home):
    result = run("--bank", str(user_bank(tmp_path)), "list", "--topic", "mine")
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines() if "-item" in line]
    assert [row[-1] for row in rows] == ["new", "new", "new"]
    assert not (_isolated_home / "state.db").exists()


def test_list_due_column_follows_reviews(tmp_path):
    bank = user_bank(tmp_path)
    from dlquiz.store import open_store

    with open_store():  # an empty state: everything is still new
        pass
    first = run("--bank", str(bank), "list")
    first_id = first.stdout.splitlines()[2].split()[0]
    answered = run("--bank", str(bank), "review", input="\n4\nq\n")  # Easy on the first card
    assert answered.exit_code == 0, answered.output
    after = {line.split()[0]: line.split()[-1] for line in run("--bank", str(bank), "list").stdout.splitlines()[2:-1]}
    assert after[first_id].endswith("d") and after[first_id] != "new"  # e.g. "in 9d"
    assert list(after.values()).count("new") == len(after) - 1


def test_list_with_an_unreadable_state_says_which_file(tmp_path, _isolated_home):
    (_isolated_home / "state.db").write_text("not a database")
    result = run("list")
    assert result.exit_code == 2
    assert str(_isolated_home / "state.db") in result.stderr


def test_show_reports_the_due_date_the_grade_button_promised(tmp_path):
    import re

    bank = user_bank(tmp_path)
    review = run("--bank", str(bank), "review", input="\n4\nq\n")
    assert review.exit_code == 0, review.output
    promised = re.search(r"4 Easy · (\S+)", review.stdout).group(1)
    first_id = re.search(r"saved ([a-z0-9-]+): Easy", review.stdout).group(1)
    shown = run("--bank", str(bank), "show", first_id, "--no-code")
    assert f"due in {promised} (" in shown.stdout
    assert "1 review, 0 lapses" in shown.stdout
    fresh = run("--bank", str(bank), "show", "gamma-item" if first_id != "gamma-item" else "beta-item", "--no-code")
    assert "new card: not reviewed yet" in fresh.stdout


def test_key_points_with_brackets_are_shown_as_written(tmp_path):
    bank = tmp_path / "bank"
    write(
        bank,
        "mine.yaml",
        item_yaml(
            "brackets",
            key_points='\n    - "v estimates E[g²], not Var[g]"\n    - "[bold]not markup[/bold]"',
            pitfalls='\n    - "Wrong: m is E[g]. Right: it is an average."',
        ),
    )
    out = run("--bank", str(bank), "show", "brackets").stdout
    assert "v estimates E[g²], not Var[g]" in out
    assert "[bold]not markup[/bold]" in out
    assert "Wrong: m is E[g]." in out


def test_filters_ignore_case(tmp_path):
    bank = user_bank(tmp_path)
    result = run("--bank", str(bank), "list", "--topic", "MINE", "--difficulty", "HARD", "--tag", "Zebra")
    assert result.exit_code == 0, result.output
    assert "alpha-item" in result.stdout and "gamma-item" not in result.stdout


def test_unknown_tag_suggests_close_tags(tmp_path):
    result = run("--bank", str(user_bank(tmp_path)), "list", "--tag", "zebr")
    assert result.exit_code == 2
    assert "did you mean 'zebra'?" in result.stderr


def test_search_shows_questions_as_one_line_and_counts_all_matches(tmp_path):
    bank = tmp_path / "bank"
    code_q = "|\n    Spot the zebra bug:\n\n    ```python\n    x = zebra()\n    ```"
    write(
        bank,
        "mine.yaml",
        "".join(item_yaml(f"z-{i}", question=code_q if i == 0 else "Zebra question?") for i in range(4)),
    )
    result = run("--bank", str(bank), "search", "zebra", "-n", "2")
    assert result.exit_code == 0
    assert "```" not in result.stdout and "Spot the zebra bug: [code]" in result.stdout
    assert "2 of 4 matches" in result.stdout
    assert run("search", "zebra", "-n", "0").exit_code == 2


def test_show_steps_on_an_item_without_derivation_prints_nothing_but_the_error(tmp_path):
    result = run("--bank", str(user_bank(tmp_path)), "show", "beta-item", "--steps")
    assert result.exit_code == 2 and result.stdout == ""


def test_show_names_extra_code_links_and_all_code_shows_them(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml("coded", code="[activations.sigmoid, activations.tanh]"))
    short = run("--bank", str(bank), "show", "coded").stdout
    assert "def sigmoid(" in short and "def tanh(" not in short
    assert "also linked: activations.tanh" in short
    full = run("--bank", str(bank), "show", "coded", "--all-code").stdout
    assert "def sigmoid(" in full and "def tanh(" in full


def test_config_confirms_a_change():
    result = run("config", "new_per_day", "7")
    assert result.exit_code == 0
    assert "Saved new_per_day = 7." in result.stdout


def test_quiz_says_when_fewer_questions_match_than_asked(tmp_path):
    result = run(
        "--bank", str(user_bank(tmp_path)), "quiz", "--topic", "mine", "--mode", "flashcard", "-n", "5", input="q\n"
    )
    assert "Only 3 questions match (asked for 5)." in result.stderr


def test_reset_interrupted_at_its_question_changes_nothing(_isolated_home, monkeypatch):
    import typer as _typer

    run("config", "new_per_day", "7")
    before = (_isolated_home / "state.db").read_bytes()

    def interrupted(*args, **kwargs):
        raise _typer.Abort()

    monkeypatch.setattr(_typer, "confirm", interrupted)
    result = run("reset")
    assert result.exit_code == 130 and "Nothing changed." in result.stdout
    assert (_isolated_home / "state.db").read_bytes() == before


def test_demo_inside_a_review_names_its_code_instead_of_reprinting_it(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml("with-demo", demo="activations.sigmoid_saturation", code="activations.sigmoid"))
    result = run("--bank", str(bank), "quiz", "--topic", "mine", "--mode", "flashcard", input="\nr\n3\nq\n")
    assert result.exit_code == 0, result.output
    assert "Reference code: " in result.stdout
    assert "def sigmoid(" not in result.stdout
    assert "--set" not in result.stdout
    standalone = run("--bank", str(bank), "demo", "with-demo")
    assert "def sigmoid(" not in standalone.stdout and "--code prints it" in standalone.stdout
    assert "--set" in standalone.stdout
    with_code = run("--bank", str(bank), "demo", "with-demo", "--code").stdout
    assert with_code.index("Inputs") < with_code.index("def sigmoid(")  # the code after the results


@pytest.mark.parametrize("command", ["review", "list", "quiz", "mock", "export"])
def test_filters_that_match_nothing_together_say_so_alike_in_every_command(command):
    """QA bug 10: review said "Nothing to review right now." (0), list "No items match." (0), quiz exit 2.

    Each filter exists, so it is not a usage error (2); nothing is selected, so not success (0) either:
    exit 1, as search and grep say "nothing found"."""
    result = run(command, "--topic", "attention", "--tag", "cnn")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: no item matches --topic attention --tag cnn together; alone,")
    assert "Nothing to review" not in result.output and "No items match" not in result.output
    assert run(command, "--topic", "attention", "--tag", "cnnn").exit_code == 2  # an unknown tag is a typo


def test_list_json_of_nothing_is_an_empty_list_with_the_reason_on_stderr():
    result = run("list", "--json", "--topic", "ATTENTION", "--tag", "cnn", "-d", "hard")
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    assert "--topic attention --tag cnn --difficulty hard together" in result.stderr


def test_list_json_has_each_card_s_state_and_due_like_the_table():
    """Friction 9: the table showed when each card is due; --json did not."""
    fresh = json.loads(run("list", "--json", "--topic", "optimizers").stdout)
    assert fresh and all(row["due"] == "new" and row["card"] is None for row in fresh)
    review = run("review", "-n", "1", input="\n4\n")  # the first new card, Easy: a review card now
    answered = re.search(r"saved ([a-z0-9-]+): Easy", review.stdout).group(1)
    run("suspend", fresh[1]["id"] if fresh[1]["id"] != answered else fresh[2]["id"])
    rows = {row["id"]: row for row in json.loads(run("list", "--json").stdout)}
    card = rows[answered]["card"]
    assert card["kind"] == "review" and card["reps"] == 1 and card["lapses"] == 0 and card["due"]
    assert rows[answered]["due"].startswith("in ") and rows[answered]["due"].endswith("d")
    assert "suspended" in {row["due"] for row in rows.values()}
    table = run("list").stdout
    line = next(line for line in table.splitlines() if line.startswith(answered + " "))
    assert rows[answered]["due"] in line  # the same label as the table's column


def test_list_tags_gives_each_tag_with_its_count():
    """Friction 11: tags could not be listed."""
    from collections import Counter

    counts = Counter(tag for item in load_bank() if item.topic == "optimizers" for tag in item.tags)
    result = run("list", "--tags", "--topic", "optimizers")  # piped: one 'tag count' a line
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:-1] == [f"{tag} {counts[tag]}" for tag in sorted(counts)]
    assert lines[-1].startswith(f"{len(counts)} tags · dlquiz list --tag TAG")
    data = json.loads(run("list", "--tags", "--json").stdout)
    assert {row["tag"]: row["items"] for row in data} == Counter(tag for item in load_bank() for tag in item.tags)
    assert "'dlquiz list --tags' lists them" in run("list", "--tag", "qqqqqqqq").stderr


def test_tags_in_a_terminal_fill_columns_down_the_page_within_the_width():
    from rich.console import Console

    from dlquiz.listing import tag_counts
    from dlquiz.ui.listing import render_tags

    counts = tag_counts(list(load_bank()))
    out = Console(width=80, force_terminal=True, color_system=None, file=io.StringIO())
    render_tags(out, counts)
    lines = out.file.getvalue().splitlines()[:-1]
    assert max(len(line) for line in lines) <= 80 and len(lines) < len(counts) / 2  # columns, not one a line
    first_column = [line.split()[0] for line in lines]
    assert first_column == [tag for tag, _ in counts[: len(lines)]]  # alphabetical down the first column


def test_counts_of_one_are_singular(tmp_path):
    """Bug 13: '1 items ·' in list, '6 notes in 1 decks' in export."""
    from dlquiz.wording import plural

    assert (plural(1, "item"), plural(2, "item"), plural(0, "deck")) == ("1 item", "2 items", "0 decks")
    assert plural(1, "match", "matches") == "1 match" and plural(3, "match", "matches") == "3 matches"
    bank = str(user_bank(tmp_path))
    one = ["--bank", bank, "--topic", "mine", "--tag", "zebra", "-d", "hard"]  # alpha-item alone
    assert "\n1 item · C code" in run("list", *one).stdout
    package = tmp_path / "one.apkg"
    result = run("export", *one, "-f", "apkg", "-o", str(package))
    assert result.exit_code == 0, result.output
    assert f"wrote {package}: 1 note in 1 deck under 'dlquiz'" in result.stderr


def test_an_error_in_a_terminal_wraps_between_words(monkeypatch):
    """Bug 13's mid-word break ('--ba|nk') held for every error line too, not only the bank warning."""
    from rich.console import Console

    from dlquiz.ui import console as ui_console

    screen = Console(file=io.StringIO(), width=50, force_terminal=True, color_system=None)
    monkeypatch.setattr(ui_console, "err_console", lambda: screen)
    assert run("review", "--topic", "attention", "--tag", "cnn").exit_code == 1
    lines = screen.file.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= 50 for line in lines)
    words = " ".join(lines).split()
    assert "--topic" in words and "attention" in words and "together;" in words  # no word cut in two
