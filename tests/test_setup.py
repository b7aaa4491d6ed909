"""The README's set-up commands: CI runs the test command exactly as a reader would type it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    setup = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Set-up", 1)[1]
    block = re.search(r"```sh\n(.*?)```", setup, re.DOTALL).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command_exactly():
    install_and_run, install_and_test = readme_commands()
    ci = [line for line in ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert ci[-1] == install_and_test
    assert "'.[test]'" in install_and_test and install_and_test.endswith("python -m pytest")


def test_both_commands_install_into_a_virtual_environment_not_the_system_python():
    for command in readme_commands():  # PEP 668: Debian's and Ubuntu's python3 refuse a global pip install
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install ")
    assert readme_commands()[0].endswith(".venv/bin/dlquiz review")
