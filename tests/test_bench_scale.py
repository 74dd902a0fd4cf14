"""The scale benchmark runs end to end on a small synthetic graph, so that it cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_scale.py"


@pytest.mark.slow
def test_bench_scale_smoke_run() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--sizes", "3000", "--quick", "--hermit-max", "0"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "| new reason rules |" in out or "| new reason |" in out, out
    assert "| old reason owlrl |" in out and "| old SHACL pyshacl |" in out
    assert "build peak memory" in out and "Cold `sinorus-kg query" in out
    assert "ROWS DIFFER" not in out  # the engines measured agree on every stored query
    assert out.count("| relations-established |") == 1
