"""Stores for bench_scale.py's stored-query table: the CLI's on-disk store, a full release made
by copying the document's (``--release-by-copy``), and a Jena TDB2 database for sizes whose
in-memory Jena dataset would not fit the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CATALOGUE = "catalogue.ttl"


@contextmanager
def _cache_in(folder: Path) -> Any:
    """``XDG_CACHE_HOME`` pointed at ``folder`` for a moment: the benchmark's stores (GBs at 10M)
    live and die with its folder, not in the user's cache."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = before


def disk_engine(files: list[tuple[Path, str | None]], release: Path, folder: Path) -> tuple[float, Any]:
    """The engine the CLI uses: ``store.open_release_store`` (bulk-loaded into a temporary folder,
    renamed into place, opened ``read_only``), named by the release's SHA256SUMS. Returns the
    seconds it took to build (or open) the store and the engine."""
    from sinorus_kg.engines import OxigraphEngine
    from sinorus_kg.store import open_release_store

    with _cache_in(folder / "cache"):
        start = time.perf_counter()
        store = open_release_store(files, release / "SHA256SUMS")
        return time.perf_counter() - start, OxigraphEngine(store)


def copied_release(size: int, folder: Path) -> dict[str, Any]:
    """The row of a full release of about ``size`` asserted triples made by
    ``synthetic.write_release_copies`` from the document's release (reused when ``folder`` already
    holds it, from a ``--keep`` run): the full graph as N-Triples, the catalogue, a SHA256SUMS
    naming both (so the on-disk store gets its own folder)."""
    from sinorus_kg import resources
    from sinorus_kg.synthetic import write_release_copies

    release = folder / "release-copy"
    full = release / "sinorus-full.nt"
    stamp = release / "copies.json"
    if stamp.exists():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        took = 0.0
    else:
        start = time.perf_counter()
        source = resources.release_dir()
        info = write_release_copies(source, size, full)
        shutil.copyfile(source / CATALOGUE, release / CATALOGUE)
        import hashlib

        catalogue_sum = hashlib.sha256((release / CATALOGUE).read_bytes()).hexdigest()
        (release / "SHA256SUMS").write_text(f"{info['sha256']}  {full.name}\n{catalogue_sum}  {CATALOGUE}\n",
                                            encoding="utf-8")
        took = time.perf_counter() - start
        stamp.write_text(json.dumps(info), encoding="utf-8")
    return {"triples": info["triples"], "full": info["full"], "copies": info["copies"], "release": release,
            "data file": full, "write copies": took}


def tdb2_location(data: Path, folder: Path, heap: str) -> tuple[float, Path]:
    """A Jena TDB2 database of ``data`` (``tdb2.tdbloader``, the phased loader), made once in
    ``folder/tdb2``; returns the load's seconds (0 when reused) and its location."""
    from sinorus_kg import jena

    location = folder / "tdb2"
    done = location / ".loaded"
    if done.exists():
        return 0.0, location
    shutil.rmtree(location, ignore_errors=True)
    start = time.perf_counter()
    jena.run("tdb2.tdbloader", "--loader=phased", f"--loc={location}", str(data), heap=heap)
    done.write_text(str(data), encoding="utf-8")
    return time.perf_counter() - start, location
