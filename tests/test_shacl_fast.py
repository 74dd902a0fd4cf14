"""The fast validators (SHACL compiled to SPARQL on Oxigraph; Jena SHACL) report what pySHACL, the
reference, reports on every fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

from sinorus_kg import jena, resources
from sinorus_kg.shacl_fast import choose_validator, validate_graph, validate_jena_many
from sinorus_kg.sparql_shacl import UnsupportedShape, validate_workgraph
from sinorus_kg.sparql_shacl.report import StoreView
from sinorus_kg.validation import ValidationReport, load_ontology, load_shapes, validate
from sinorus_kg.workgraph import WorkGraph

DATA = Path(__file__).parent / "data"
FIXTURES = sorted((DATA / "valid").glob("*.ttl")) + sorted((DATA / "invalid").glob("*.ttl"))
IDS = [f"{p.parent.name}/{p.stem}" for p in FIXTURES]


def _graph(path: Path) -> WorkGraph:
    return WorkGraph.load(list(resources.ontology_files()) + [path])


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()  # one graph for every fixture: pySHACL reuses what it compiled (this module: 103 s → 53 s)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def _agree(fast: ValidationReport, path: Path, shapes: Graph, ontology: Graph) -> None:
    reference = validate(Graph().parse(path, format="turtle"), shapes=shapes, ontology=ontology)
    expected = {(r.focus, r.source_shape, r.severity) for r in reference.results}
    assert {(r.focus, r.source_shape, r.severity) for r in fast.results} == expected
    assert fast.conforms == reference.conforms
    # What a curator reads besides the message: the same path and source sentences.
    assert {(r.focus, r.path, tuple(r.sentences)) for r in fast.results} == \
        {(r.focus, r.path, tuple(r.sentences)) for r in reference.results}


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_sparql_and_pyshacl_agree(path: Path, shapes: Graph, ontology: Graph) -> None:
    _agree(validate_workgraph(_graph(path), workers=1), path, shapes, ontology)


needs_jena = pytest.mark.skipif(not jena.available() and not os.environ.get("CI"), reason=jena.INSTALL_HINT)


@pytest.fixture(scope="module")
def jena_reports() -> dict[str, object]:
    if not jena.available():  # CI installs it (.ci/run): a missing Jena there is a failure
        raise RuntimeError(jena.INSTALL_HINT)
    graphs = [_graph(p) for p in FIXTURES]
    with_files = []
    for i, graph in enumerate(graphs):
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"sinorus-jena-fixture-{os.getpid()}-{i}.nt"
        path.write_bytes(graph.ntriples())
        with_files.append(path)
    try:
        reports = validate_jena_many([StoreView(g.store) for g in graphs], ntriples=list(with_files))
    finally:
        for path in with_files:
            path.unlink(missing_ok=True)
    return {p.name: r for p, r in zip(FIXTURES, reports, strict=True)}


@needs_jena
@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_jena_and_pyshacl_agree(path: Path, jena_reports: dict, shapes: Graph, ontology: Graph) -> None:
    _agree(jena_reports[path.name], path, shapes, ontology)


@pytest.mark.parametrize("validator", ["sparql", pytest.param("jena", marks=needs_jena)])
@pytest.mark.parametrize("case", ["as-is", "outside-its-period", "text-changed"])
def test_a_second_document_is_judged_alike(case: str, validator: str, shapes: Graph, ontology: Graph,
                                           tmp_path: Path) -> None:
    """The shapes read each document's own sentence count and period, and the slice check runs on
    every document, on the fast validators as on pySHACL (tests/test_second_document.py)."""
    from test_second_document import DATA as SECOND
    from test_second_document import NOTE, second_graph

    facts = (SECOND / "facts.ttl").read_text(encoding="utf-8")
    graph = second_graph(facts.replace("2013-10-0", "2014-10-0") if case == "outside-its-period" else None)
    texts = {NOTE.iri: NOTE.text().replace("Xi Jinping", "Xi-Jinping") if case == "text-changed" else NOTE.text()}
    reference = validate(graph, shapes=shapes, ontology=ontology, documents=texts)
    data = tmp_path / "second.nt"
    data.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    work = WorkGraph.load(list(resources.ontology_files()) + [data])
    if validator == "sparql":
        fast = validate_workgraph(work, documents=texts)
    else:
        exact = tmp_path / "work.nt"
        exact.write_bytes(work.ntriples())
        (fast,) = validate_jena_many([StoreView(work.store)], ntriples=[exact], documents=texts)
    assert {(r.focus, r.source_shape, r.severity) for r in fast.results} == \
        {(r.focus, r.source_shape, r.severity) for r in reference.results}
    assert fast.conforms == reference.conforms == (case == "as-is")
    if case == "text-changed":
        assert {r.source_shape for r in fast.results} == {"srsh:SentenceSliceCheck"}


@pytest.mark.parametrize("validator", ["sparql", pytest.param("jena", marks=needs_jena)])
def test_the_project_data_conforms(validator: str) -> None:
    report = validate_graph(WorkGraph.load(resources.ontology_files() + resources.data_files()), validator)
    assert report.conforms, [r for r in report.results if r.severity == "Violation"]


def test_auto_chooses_by_size() -> None:
    assert choose_validator("auto", 3_000) == "pyshacl"
    assert choose_validator("auto", 1_000_000) == "sparql"
    assert choose_validator("pyshacl", 1_000_000) == "pyshacl"


def test_shacl_the_sparql_validator_lacks_is_refused(tmp_path: Path) -> None:
    """A constraint it does not implement stops it, naming the shape, instead of passing the data."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .""", encoding="utf-8")
    with pytest.raises(UnsupportedShape, match=r"ex.*S.*sh:closed"):
        validate_workgraph(_graph(FIXTURES[0]), shapes_file=shapes)


def test_exact_literals_reach_the_datatype_check(tmp_path: Path) -> None:
    """A store reads "5"^^xsd:integer and "5"^^xsd:positiveInteger alike; sh:datatype must not."""
    data = tmp_path / "data.ttl"
    data.write_text("""@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:a ex:n "5"^^xsd:integer . ex:b ex:n "5"^^xsd:positiveInteger . ex:c ex:n "0"^^xsd:positiveInteger .
        ex:e ex:n "2014-13-45"^^xsd:date . ex:f ex:n "x"^^xsd:positiveInteger .""", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:S a sh:PropertyShape ; sh:targetSubjectsOf ex:n ; sh:path ex:n ; sh:datatype xsd:positiveInteger ;
            sh:maxCount 1 .""", encoding="utf-8")
    fast = validate_workgraph(WorkGraph.load([data]), shapes_file=shapes)
    reference = validate(Graph().parse(data), shapes=load_shapes(shapes), ontology=Graph())
    found = {(r.focus, r.source_shape) for r in fast.results}
    assert found == {(r.focus, r.source_shape) for r in reference.results}
    assert {focus for focus, _ in found} == {f"http://example.org/{x}" for x in "acef"}


def test_distinct_lexical_forms_are_distinct_values(tmp_path: Path) -> None:
    """"05" and "5" (xsd:positiveInteger) are two RDF terms, and the release keeps both as written.
    pySHACL sees one: rdflib rewrites "05" as "5" when it parses (NORMALIZE_LITERALS). The SPARQL
    validator counts the terms the release holds, as Jena does."""
    data = tmp_path / "data.ttl"
    data.write_text("""@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:d ex:n "05"^^xsd:positiveInteger , "5"^^xsd:positiveInteger .""", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:PropertyShape ; sh:targetSubjectsOf ex:n ; sh:path ex:n ; sh:maxCount 1 .""", encoding="utf-8")
    fast = validate_workgraph(WorkGraph.load([data]), shapes_file=shapes)
    assert [(r.focus, r.source_shape) for r in fast.results] == [("http://example.org/d", "http://example.org/S")]
