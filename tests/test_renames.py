"""The rename map (old IRI → new IRI) is complete, consistent with the release, and in the CHANGELOG."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from sinorus_kg import resources
from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import shorten
from sinorus_kg.renames import renames, renames_graph

ROOT = Path(__file__).resolve().parents[1]
RELEASE = resources.release_dir()


@pytest.fixture(scope="module")
def release_iris() -> set[str]:
    graph = Graph()
    for name in ("sinorus.ttl", "catalogue.ttl"):
        graph.parse(RELEASE / name, format="turtle")
    return {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}


def test_every_new_iri_is_in_the_release_and_no_old_one_is(release_iris: set[str]) -> None:
    rows = renames()
    assert len(rows) >= 100 and len({r.old for r in rows}) == len(rows)
    assert not [r.old for r in rows if r.old in release_iris], "an old IRI is still used"
    assert not [r.new for r in rows if r.new not in release_iris], "a new IRI is not in the release"


def test_map_as_turtle_says_is_replaced_by() -> None:
    graph = renames_graph()
    for row in renames():
        assert (URIRef(row.old), DCTERMS.isReplacedBy, URIRef(row.new)) in graph


def test_release_ships_the_map() -> None:
    assert (RELEASE / "iri-renames.tsv").read_bytes() == (resources.data_dir() / "iri-renames.tsv").read_bytes()
    shipped = Graph().parse(RELEASE / "iri-renames.ttl", format="turtle")
    assert len(shipped) == len(renames_graph())


def test_changelog_lists_every_rename() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    missing = [f"{r.old} → {r.new}" for r in renames()
               if f"`{r.old.removeprefix('https://w3id.org/sinorus/id/')}` → `{shorten(r.new)}`" not in changelog]
    assert not missing, f"CHANGELOG.md does not list {len(missing)} renames, e.g. {missing[:3]}"


def test_a_malformed_map_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "renames.tsv"
    bad.write_text("old_iri\tnew_iri\tversion\treason\nhttps://a\t\t0.2.0\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        renames(bad)
