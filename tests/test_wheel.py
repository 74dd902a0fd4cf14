"""Resources are found the same way from an installed wheel as from a checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "-w", str(out), str(ROOT)], check=True)
    return next(out.glob("sinorus_kg-*.whl"))


def test_wheel_carries_the_resources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("sinorus_kg/_resources/ontology/sinorus.ttl",
                   "sinorus_kg/_resources/queries/relations-established.rq",
                   "sinorus_kg/_resources/data/source/soviet-russian-chinese-relations.txt",
                   "sinorus_kg/_resources/release/sinorus-full.ttl"):
        assert needed in names


@pytest.mark.slow
def test_installed_wheel_answers_a_query(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                   check=True)
    # The fresh venv borrows the dependencies (not sinorus_kg) from the test environment: no network.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(venv / "bin" / "sinorus-kg"), "query", "relations-established", "--format", "csv"],
                            cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1949-10-02" in result.stdout
    ad_hoc = subprocess.run([str(venv / "bin" / "sinorus-kg"), "sparql", "ASK { ?t a sr:Treaty }"],
                            cwd=elsewhere, capture_output=True, text=True)
    assert ad_hoc.returncode == 0 and ad_hoc.stdout == "true\n", ad_hoc.stderr  # the worker runs from a wheel
    where = subprocess.run([str(python), "-c", "import sinorus_kg.resources as r; print(r.resource_root())"],
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where
