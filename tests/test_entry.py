"""The typer-free fast path of `sinorus-kg query` matches `cli.query` option for option and answer for answer."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from sinorus_kg.cli import app
from sinorus_kg.entry import OPTIONS, parse_query_args


def test_options_are_those_of_cli_query() -> None:
    command = typer.main.get_command(app).commands["query"]  # type: ignore[attr-defined]
    declared = {opt for param in command.params for opt in param.opts if opt.startswith("-")} - {"--help"}
    assert declared == set(OPTIONS)


@pytest.mark.parametrize("argv", [
    ["query", "relations-established", "--format", "csv"],
    ["query", "events-of-person", "-p", "person=person:sergey-lavrov", "-f", "json"],
    ["query", "events-in-year", "--param=year=2013", "--max-rows", "3", "--format", "tsv"],
    ["query", "no-such-query"],
    ["query", "events-of-person", "--param", "nobody"],
    ["query", "events-in-year", "--max-rows", "0"],
])
def test_fast_path_answers_as_typer_does(argv: list[str]) -> None:
    assert parse_query_args(argv) is not None
    fast = subprocess.run([sys.executable, "-m", "sinorus_kg", *argv], capture_output=True, text=True, check=False)
    slow = CliRunner().invoke(app, argv)
    assert fast.returncode == slow.exit_code
    assert fast.stdout == (slow.stdout if slow.exit_code == 0 else "")
    if slow.exit_code:
        assert fast.stderr.strip() == slow.output.strip()


def test_fast_path_imports_no_typer_rich_or_pydantic() -> None:
    code = ("import sys; sys.argv = ['sinorus-kg', 'query', 'relations-established', '--format', 'csv']\n"
            "from sinorus_kg.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('typer', 'rich', 'pydantic', 'rdflib') if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("argv", [["query", "--help"], ["query"], ["queries"], ["query", "a", "b"],
                                  ["query", "a", "--x"]])
def test_everything_else_goes_to_typer(argv: list[str]) -> None:
    assert parse_query_args(argv) is None
