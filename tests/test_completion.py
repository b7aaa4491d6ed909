"""Shell completion through the protocol the shells use: typer's ``_DLQUIZ_COMPLETE`` instructions with
bash's ``COMP_WORDS``/``COMP_CWORD`` and zsh's and fish's ``_TYPER_COMPLETE_ARGS``, and once through a
real bash running the script ``--show-completion`` prints."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_bank import item_yaml, write

from dlquiz.bank import load_bank
from dlquiz.completion import item_choices, tag_choices, topic_choices

ROOT = Path(__file__).resolve().parent.parent


def complete(shell: str, words: str, **env: str) -> list[str]:
    """What dlquiz answers to a completion request for the command line ``words`` (the last word partial)."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), "_DLQUIZ_COMPLETE": f"complete_{shell}", **env}
    if shell == "bash":
        parts = words.split(" ")
        full.update(COMP_WORDS=words, COMP_CWORD=str(len(parts) - 1))
    else:
        full.update(_TYPER_COMPLETE_ARGS=words, _TYPER_COMPLETE_FISH_ACTION="get-args")
    out = subprocess.run([sys.executable, "-m", "dlquiz"], capture_output=True, text=True, env=full, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return [line for line in out.stdout.splitlines() if line]


def adam_ids() -> list[str]:
    return [item.id for item in load_bank() if item.id.startswith("adam")]


def test_bash_completes_item_ids_after_show_and_demo():
    assert len(adam_ids()) >= 2
    assert complete("bash", "dlquiz show adam") == adam_ids()
    demo_ids = [item.id for item in load_bank() if item.id.startswith("adam") and item.demo]
    assert complete("bash", "dlquiz demo adam") == demo_ids and demo_ids


def first_letters_where(has) -> str:
    """A prefix under which some items have ``has`` and some do not (so a filter shows)."""
    bank = load_bank()
    for item in bank:
        prefix = item.id.split("-")[0]
        group = [i for i in bank if i.id.startswith(prefix)]
        if any(has(i) for i in group) and not all(has(i) for i in group):
            return prefix
    raise AssertionError("no prefix mixes items with and without it")


@pytest.mark.parametrize(
    ("command", "has"),
    [("demo", lambda item: item.demo), ("exercise", lambda item: item.exercise)],
)
def test_demo_and_exercise_complete_only_the_items_that_have_one(command, has):
    prefix = first_letters_where(has)
    wanted = [item.id for item in load_bank() if item.id.startswith(prefix) and has(item)]
    assert complete("bash", f"dlquiz {command} {prefix}") == wanted


def test_suspend_unsuspend_and_forget_complete_ids():
    assert complete("bash", "dlquiz suspend adam") == adam_ids()
    assert complete("bash", "dlquiz unsuspend adam") == adam_ids()
    assert complete("bash", "dlquiz forget adam") == adam_ids()
    assert complete("bash", "dlquiz suspend adam-bias-correction adam") == adam_ids()  # each of several


def test_implement_completes_exercise_ids_with_their_titles():
    from dlquiz.implement.registry import EXERCISES

    soft = [e.id for e in EXERCISES if e.id.startswith("soft")]
    assert len(soft) >= 2 and complete("bash", "dlquiz implement soft") == soft
    fish = complete("fish", "dlquiz implement softmax-b")
    assert fish == [f"softmax-backward\t{next(e.title for e in EXERCISES if e.id == 'softmax-backward')}"]


def test_closed_values_complete_settings_formats_and_modes():
    from dlquiz.export import FORMATS
    from dlquiz.model import QuizMode
    from dlquiz.settings import SPECS

    assert complete("bash", "dlquiz config ") == list(SPECS)
    assert complete("bash", "dlquiz config inter") == ["interview_date"]
    assert sorted(complete("bash", "dlquiz export -f ")) == sorted(FORMATS)
    assert complete("bash", "dlquiz export --format a") == ["apkg", "anki"]
    assert sorted(complete("bash", "dlquiz quiz --mode ")) == sorted(m.value for m in QuizMode)
    assert complete("bash", "dlquiz quiz -m fl") == ["flashcard"]


def test_bash_completes_commands_options_topics_and_tags():
    assert complete("bash", "dlquiz sh") == ["show"]
    assert set(complete("bash", "dlquiz se")) == {"search"}
    assert {"--json", "--no-pager", "--steps", "--color", "--bank"} <= set(complete("bash", "dlquiz show --"))
    assert complete("bash", "dlquiz list --topic opt") == ["optimizers"]
    tagged = sorted({tag for item in load_bank() for tag in item.tags if tag.startswith("weight")})
    assert complete("bash", "dlquiz list --tag weight") == tagged
    assert complete("bash", "dlquiz --color al") == ["always"]


def test_ids_come_from_the_bank_named_on_the_command_line(tmp_path):
    bank = tmp_path / "bank"
    write(bank, "mine.yaml", item_yaml("my-first") + item_yaml("my-second"))
    assert complete("bash", f"dlquiz show --bank {bank} my-") == ["my-first", "my-second"]
    assert complete("bash", "dlquiz show my-", DLQUIZ_BANK=str(bank)) == ["my-first", "my-second"]
    assert complete("bash", "dlquiz show my-") == []  # not in the built-in bank


def test_zsh_and_fish_get_each_id_with_its_question():
    zsh = "\n".join(complete("zsh", "dlquiz show adam"))
    assert zsh.startswith("_arguments") and all(f'"{item_id}":' in zsh for item_id in adam_ids())
    fish = complete("fish", "dlquiz show adam")
    assert [line.split("\t")[0] for line in fish] == adam_ids()
    assert "Adam" in fish[0].split("\t")[1]


def test_choices_start_with_what_was_typed():
    bank = load_bank()
    assert [value for value, _ in item_choices(bank, "adam")] == adam_ids()
    assert item_choices(bank, "zzz") == []
    topics = topic_choices(bank, "")
    assert [value for value, _ in topics] == bank.topics() and topics[0][1].endswith("items")
    assert all(value.startswith("weight") for value, _ in tag_choices(bank, "weight"))


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_real_bash_completes_through_the_installed_script(tmp_path):
    """bash sources what --show-completion prints and calls its function, as on <TAB>."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "dlquiz"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dlquiz "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    env["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    script = subprocess.run(
        ["dlquiz", "--show-completion", "bash"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "complete -o default -F _dlquiz_completion dlquiz" in script
    env.pop("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION")
    driver = (
        script
        + '\nCOMP_WORDS=(dlquiz show adam); COMP_CWORD=2\n_dlquiz_completion dlquiz\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    out = subprocess.run(["bash", "--norc", "-c", driver], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == adam_ids()


def test_install_completion_writes_the_script_for_bash(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
    }
    out = subprocess.run(
        [sys.executable, "-m", "dlquiz", "--install-completion", "bash"], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert "_dlquiz_completion" in (tmp_path / ".bash_completions" / "dlquiz.sh").read_text()
    assert "dlquiz.sh" in (tmp_path / ".bashrc").read_text()
