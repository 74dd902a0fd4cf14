"""The scale benchmark runs end to end on a small synthetic graph, so that it cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_scale.py"


def _run(*args: str) -> str:
    result = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_bench_scale_smoke_run() -> None:
    out = _run("--sizes", "3000", "--quick", "--hermit-max", "0")
    assert "| new reason rules |" in out or "| new reason |" in out, out
    assert "| old reason owlrl |" in out and "| old SHACL pyshacl |" in out
    assert "build peak memory" in out and "Cold `sinorus-kg query" in out
    assert "ROWS DIFFER" not in out  # the engines measured agree on every stored query
    assert out.count("| relations-established |") == 1
    assert "| oxigraph-disk / best |" in out and "**median oxigraph-disk**" in out


def test_bench_scale_release_by_copy_quick(tmp_path: Path) -> None:
    """The 10M mode at one copy (the document's own release): in memory and on the CLI's on-disk
    store, no Jena (``--quick``); the store is built under the run's folder, not the user's cache."""
    out = _run("--sizes", "3000", "--release-by-copy", "--quick", "--rdflib-max", "0", "--keep", str(tmp_path))
    assert "on the document's full release copied" in out
    assert "| query | oxigraph | oxigraph-disk | oxigraph / best | oxigraph-disk / best |" in out, out
    assert "ROWS DIFFER" not in out and out.count("| relations-established |") == 1
    assert list((tmp_path / "n3000" / "cache" / "sinorus-kg").glob("store-*"))


@pytest.mark.slow
def test_bench_scale_release_by_copy_with_jena_tdb2(tmp_path: Path) -> None:
    """Two copies, Jena on a TDB2 database (as at 10M), every engine's rows compared."""
    out = _run("--sizes", "8000", "--release-by-copy", "--runs", "1", "--rdflib-max", "0", "--tdb2-above", "0",
               "--keep", str(tmp_path))
    assert "| query | jena-tdb2 | oxigraph | oxigraph-disk |" in out, out
    assert "ROWS DIFFER" not in out and "timeout" not in out
    assert "jena-tdb2 (tdb2.tdbloader)" in out
