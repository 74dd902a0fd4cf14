"""The on-disk query store holds the release as every engine loads it, and is named by the release.

``engines.open_release`` (the CLI's query paths, the API, the sandboxed worker) opens it; the data
goes into the default graph and the catalogue into its own named graph, as on rdflib, in-memory
Oxigraph and a pushed endpoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from sinorus_kg import resources
from sinorus_kg.engines import CATALOGUE_GRAPH, open_release, release_graphs
from sinorus_kg.store import open_release_store, store_path

RELEASE = resources.release_dir()
SUMS = RELEASE / "SHA256SUMS"
IN_DEFAULT = "ASK { ?q a <http://www.w3.org/ns/shacl#SPARQLExecutable> }"
IN_CATALOGUE = f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?q a <http://www.w3.org/ns/shacl#SPARQLExecutable> }} }}"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "sinorus-kg"


def _count(store: Any, where: str) -> int:
    return int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))["n"].value)


def _triples(name: str) -> int:
    return len(set(ox.parse(path=str(RELEASE / name), format=ox.RdfFormat.TURTLE)))


def test_the_store_keeps_the_catalogue_in_its_named_graph(cache: Path) -> None:
    store = open_release_store(release_graphs(), SUMS)
    folder = store_path(release_graphs(), SUMS)
    assert folder.parent == cache and folder.is_dir()  # on disk, not the in-memory fallback
    assert _count(store, "?s ?p ?o") == _triples("sinorus-full.ttl")
    assert _count(store, f"GRAPH <{CATALOGUE_GRAPH}> {{ ?s ?p ?o }}") == _triples("catalogue.ttl")
    assert not bool(store.query(IN_DEFAULT)) and bool(store.query(IN_CATALOGUE))


def test_open_release_reads_the_store_and_reuses_it(cache: Path) -> None:
    engine = open_release("oxigraph")
    assert engine.run(IN_CATALOGUE).boolean is True and engine.run(IN_DEFAULT).boolean is False
    folder = store_path(release_graphs(), SUMS)
    built = folder.stat().st_ino
    again = open_release("oxigraph")  # a second process would open the same folder read-only
    assert again.run(IN_CATALOGUE).boolean is True
    assert folder.stat().st_ino == built and [p.name for p in cache.iterdir()] == [folder.name]


def test_its_name_changes_with_the_release_and_with_the_graphs(tmp_path: Path) -> None:
    """Named by the checksums SHA256SUMS lists for the files it holds (read, not recomputed) and by
    the graph each went into."""
    sums = tmp_path / "SHA256SUMS"
    sums.write_bytes(SUMS.read_bytes())
    name = store_path(release_graphs(), sums)
    assert store_path(release_graphs(), sums) == name
    listed = SUMS.read_text(encoding="utf-8")
    full_sum = next(line.split()[0] for line in listed.splitlines() if line.endswith("  sinorus-full.ttl"))
    sums.write_text(listed.replace(full_sum, "0" * 64), encoding="utf-8")
    assert store_path(release_graphs(), sums) != name  # another release: a loaded file changed
    sums.write_text(listed.replace("catalogue.ttl\n", "catalogue.ttl\n" + "0" * 64 + "  another.ttl\n"),
                    encoding="utf-8")
    assert store_path(release_graphs(), sums) == name  # a file the store does not hold: the same store
    sums.write_bytes(SUMS.read_bytes())
    everything_in_default = [path for path, _ in release_graphs()]
    assert store_path(everything_in_default, sums) != name  # the same files laid out otherwise
