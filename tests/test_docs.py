"""The docs stay honest: every CLI command appears in the README with its help text."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from sinorus_kg.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_documented(name: str) -> None:
    command = COMMANDS[name]
    assert f"`sinorus-kg {name}" in README, f"README does not show `sinorus-kg {name}`"
    first_line = (command.help or "").strip().splitlines()[0]
    assert first_line in README, f"README does not carry the help text of {name}: {first_line!r}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_options_are_documented(name: str) -> None:
    for param in COMMANDS[name].params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                row = next(line for line in README.splitlines() if f"`sinorus-kg {name}" in line)
                assert opt in row, f"README's row for {name} does not mention {opt}"


def test_quick_start_is_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]


def test_committed_ontology_docs_are_current(tmp_path: Path) -> None:
    from sinorus_kg.docs import build_docs

    fresh = build_docs(tmp_path).read_text(encoding="utf-8")
    committed = (Path(__file__).resolve().parents[1] / "docs" / "index.html").read_text(encoding="utf-8")
    assert fresh == committed, "docs/index.html is stale: run `make docs` and commit it"


def test_docs_are_readable_by_others(tmp_path: Path) -> None:
    import os

    from sinorus_kg.docs import build_docs

    old = os.umask(0o022)
    try:
        page = build_docs(tmp_path)
    finally:
        os.umask(old)
    assert page.stat().st_mode & 0o777 == 0o644
