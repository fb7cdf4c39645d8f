"""The README documents what the code does: every rule, command and option."""

from __future__ import annotations

import re

import click
import pytest
from conftest import ROOT

from planpack.cli import cli
from planpack.rules import RULES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_screen_shows_the_two_setup_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:15])
    assert "make demo" in first_screen
    assert "make test" in first_screen


def test_every_rule_is_in_the_rules_table_with_its_severity() -> None:
    table = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info|score) \|", README, re.M))
    expected = {
        rule.id: rule.severity.value if rule.severity else "score" for rule in RULES.values()
    }
    assert table == expected


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_is_documented(name: str) -> None:
    command = cli.commands[name]
    assert f"### `planpack {name}" in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in README for opt in param.opts), f"{name} {param.opts}"


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
