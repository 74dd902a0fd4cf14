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


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.stem}" for p in FIXTURES])
def test_jena_and_pyshacl_agree(path: Path, jena_reports: dict) -> None:
    reference = validate(Graph().parse(path, format="turtle"), shapes=load_shapes(), ontology=load_ontology())
    fast = jena_reports[path.name]
    expected = {(r.focus, r.source_shape, r.severity) for r in reference.results}
    assert {(r.focus, r.source_shape, r.severity) for r in fast.results} == expected
    assert fast.conforms == reference.conforms
    # What a curator reads besides the message: the same path and source sentences.
    assert {(r.focus, r.path, tuple(r.sentences)) for r in fast.results} == \
        {(r.focus, r.path, tuple(r.sentences)) for r in reference.results}


def test_the_project_data_conforms_on_jena() -> None:
    triples = [t for p in resources.ontology_files() + resources.data_files()
               for t in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)]
    (report,) = validate_jena_many([ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)])
    assert report.conforms, [r for r in report.results if r.severity == "Violation"]


def test_auto_chooses_by_size() -> None:
    assert choose_validator("auto", 3_000) == "pyshacl"
    assert choose_validator("auto", 1_000_000) == "jena"
    assert choose_validator("pyshacl", 1_000_000) == "pyshacl"
