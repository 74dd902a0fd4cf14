"""The README's command-line examples work as written, in a new shell, from the repository's folder.

Every example calls `.venv/bin/sinorus-kg` (the README's one convention: nothing to activate);
the ones that read the release (queries, query, sparql, search) are run here — with the
interpreter running the tests standing in for `.venv/bin` — and must exit 0 without a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RUN = ("queries", "query", "sparql", "search")


def _shell_lines() -> list[str]:
    blocks = re.findall(r"```([a-z]*)\n(.*?)```", README, flags=re.S)
    return [line.strip() for lang, block in blocks if lang in ("", "sh", "bash") for line in block.splitlines()
            if "sinorus-kg" in line]


def test_every_example_calls_the_virtualenv_s_command() -> None:
    lines = _shell_lines()
    assert len(lines) >= 8
    bare = [line for line in lines if re.search(r"(^|[|;&]\s*)sinorus-kg\b", line)]
    assert not bare, f"examples that fail in a new shell (not on PATH): {bare}"


@pytest.mark.parametrize("line", [x for x in _shell_lines() if re.search(rf"sinorus-kg ({'|'.join(RUN)})\b", x)])
def test_example_runs_as_written(line: str) -> None:
    command = line.split("  #", 1)[0].replace(".venv/bin/", str(Path(sys.executable).parent) + "/")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | {"COLUMNS": "100"}
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, f"{line}\n{done.stderr}"
    assert "Traceback" not in done.stderr and done.stdout.strip()
