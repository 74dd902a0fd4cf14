"""The fast validator (Jena SHACL) reports what pySHACL, the reference, reports on every fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from sinorus_kg import jena, resources
from sinorus_kg.shacl_fast import choose_validator, validate_jena_many
from sinorus_kg.validation import load_ontology, load_shapes, validate

DATA = Path(__file__).parent / "data"
FIXTURES = sorted((DATA / "valid").glob("*.ttl")) + sorted((DATA / "invalid").glob("*.ttl"))

if not jena.available():
    if os.environ.get("CI"):
        raise RuntimeError(jena.INSTALL_HINT)  # CI installs it (.ci/run): a missing Jena there is a failure
    pytest.skip(jena.INSTALL_HINT, allow_module_level=True)


def _dataset(path: Path) -> ox.Dataset:
    triples = [t for p in resources.ontology_files() for t in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)]
    triples += ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    return ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)


@pytest.fixture(scope="module")
def jena_reports() -> dict[str, object]:
    reports = validate_jena_many([_dataset(p) for p in FIXTURES])
    return {p.name: r for p, r in zip(FIXTURES, reports, strict=True)}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()  # one graph for every fixture: pySHACL reuses what it compiled (this module: 103 s → 53 s)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.stem}" for p in FIXTURES])
def test_jena_and_pyshacl_agree(path: Path, jena_reports: dict, shapes: Graph, ontology: Graph) -> None:
    reference = validate(Graph().parse(path, format="turtle"), shapes=shapes, ontology=ontology)
    fast = jena_reports[path.name]
    expected = {(r.focus, r.source_shape, r.severity) for r in reference.results}
    assert {(r.focus, r.source_shape, r.severity) for r in fast.results} == expected
    assert fast.conforms == reference.conforms
    # What a curator reads besides the message: the same path and source sentences.
    assert {(r.focus, r.path, tuple(r.sentences)) for r in fast.results} == \
        {(r.focus, r.path, tuple(r.sentences)) for r in reference.results}


@pytest.mark.parametrize("case", ["as-is", "outside-its-period", "text-changed"])
def test_a_second_document_is_judged_alike(case: str, shapes: Graph, ontology: Graph) -> None:
    """The shapes read each document's own sentence count and period, and the slice check runs on
    every document, on Jena as on pySHACL (tests/test_second_document.py)."""
    from test_second_document import DATA as SECOND
    from test_second_document import NOTE, second_graph

    facts = (SECOND / "facts.ttl").read_text(encoding="utf-8")
    graph = second_graph(facts.replace("2013-10-0", "2014-10-0") if case == "outside-its-period" else None)
    texts = {NOTE.iri: NOTE.text().replace("Xi Jinping", "Xi-Jinping") if case == "text-changed" else NOTE.text()}
    reference = validate(graph, shapes=shapes, ontology=ontology, documents=texts)
    triples = [t for p in resources.ontology_files() for t in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)]
    triples += ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    (fast,) = validate_jena_many([ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)],
                                 documents=texts)
    assert {(r.focus, r.source_shape, r.severity) for r in fast.results} == \
        {(r.focus, r.source_shape, r.severity) for r in reference.results}
    assert fast.conforms == reference.conforms == (case == "as-is")
    if case == "text-changed":
        assert {r.source_shape for r in fast.results} == {"srsh:SentenceSliceCheck"}


def test_the_project_data_conforms_on_jena() -> None:
    triples = [t for p in resources.ontology_files() + resources.data_files()
               for t in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)]
    (report,) = validate_jena_many([ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)])
    assert report.conforms, [r for r in report.results if r.severity == "Violation"]


def test_auto_chooses_by_size() -> None:
    assert choose_validator("auto", 3_000) == "pyshacl"
    assert choose_validator("auto", 1_000_000) == "jena"
    assert choose_validator("pyshacl", 1_000_000) == "pyshacl"
