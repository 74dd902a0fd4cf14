"""The SHACL contract: every shape is exercised by fixtures, and the project's data conforms.

Fixtures in tests/data/{valid,invalid}/ are self-contained ABox snippets (real sentences of
the document with their real offsets) validated together with the ontology, exactly as
`validate` treats the project's data. Each invalid fixture names the one shape it breaks in
a `# expect: srsh:…` line; it must fail on that shape and on no other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from sinorus_kg import resources
from sinorus_kg.validation import (
    SH,
    SRSH,
    ValidationReport,
    has_violations,
    load_ontology,
    load_shapes,
    render,
    validate,
)

DATA = Path(__file__).parent / "data"
VALID = sorted((DATA / "valid").glob("*.ttl"))
INVALID = sorted((DATA / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def expected_shapes(path: Path) -> set[str]:
    found = set(re.findall(r"^# expect: (\S+)", path.read_text(encoding="utf-8"), flags=re.M))
    assert found, f"{path.name} has no '# expect: srsh:…' line"
    return found


def fixture_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def shape_names(shapes: Graph) -> set[URIRef]:
    return {s for s in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
            if isinstance(s, URIRef) and str(s).startswith(str(SRSH))}


def reporting_shapes(shapes: Graph) -> set[URIRef]:
    """Shapes that can appear as sh:sourceShape: all but node shapes that only group property shapes."""
    return {s for s in shape_names(shapes)
            if not ((s, SH.property, None) in shapes and (s, SH.sparql, None) not in shapes)}


def name(shape: URIRef) -> str:
    return "srsh:" + str(shape)[len(str(SRSH)):]


def test_fixtures_exist() -> None:
    assert VALID and INVALID


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fails_on_exactly_its_shape(path: Path, shapes: Graph, ontology: Graph) -> None:
    report = validate(fixture_graph(path), shapes=shapes, ontology=ontology)
    failed = {r.source_shape for r in report.results}
    assert failed == expected_shapes(path), render(report)


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_conforms(path: Path, shapes: Graph, ontology: Graph) -> None:
    report = validate(fixture_graph(path), shapes=shapes, ontology=ontology)
    assert report.conforms and not report.results, render(report)


def test_every_shape_is_documented(shapes: Graph) -> None:
    for shape in shape_names(shapes):
        assert shapes.value(shape, RDFS.label) is not None, shape
        assert shapes.value(shape, SH.message) is not None, shape
        assert shapes.value(shape, SH.severity) in {SH.Violation, SH.Warning, SH.Info}, shape


def test_every_reporting_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    expected = set().union(*(expected_shapes(p) for p in INVALID))
    missing = {name(s) for s in reporting_shapes(shapes)} - expected
    assert not missing, f"shapes without an invalid fixture: {sorted(missing)}"
    unknown = expected - {name(s) for s in shape_names(shapes)}
    assert not unknown, f"fixtures expect shapes that do not exist: {sorted(unknown)}"


def _focus_nodes(shape: URIRef, shapes: Graph, data: Graph) -> set:
    nodes: set = set()
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    nodes.update(shapes.objects(shape, SH.targetNode))
    for parent in shapes.subjects(SH.property, shape):
        nodes.update(_focus_nodes(parent, shapes, data))  # type: ignore[arg-type]
    return nodes


def test_every_shape_is_reached_by_a_valid_fixture(shapes: Graph, ontology: Graph) -> None:
    graphs = [fixture_graph(p) + ontology for p in VALID]
    unreached = {name(s) for s in shape_names(shapes)
                 if not any(_focus_nodes(s, shapes, g) for g in graphs)}
    assert not unreached, f"shapes no valid fixture reaches: {sorted(unreached)}"


def test_project_data_conforms(asserted_graph: Graph, shapes: Graph) -> None:
    report = validate(asserted_graph, shapes=shapes)
    assert not has_violations(report), render(report)


def test_warnings_alone_do_not_fail(shapes: Graph, ontology: Graph) -> None:
    report = validate(fixture_graph(DATA / "invalid" / "fact-without-label.ttl"), shapes=shapes, ontology=ontology)
    assert report.results and {r.severity for r in report.results} == {"Warning"}
    assert report.conforms and not has_violations(report)


@pytest.fixture(scope="module")
def failing_report(shapes: Graph, ontology: Graph) -> ValidationReport:
    return validate(fixture_graph(DATA / "invalid" / "visit-without-destination.ttl"), shapes=shapes,
                    ontology=ontology)


def test_report_renders_as_text(failing_report: ValidationReport) -> None:
    text = render(failing_report, "text")
    assert "DOES NOT CONFORM" in text
    assert "Xi Jinping's visit to Russia" in text  # the focus node by its label
    assert "sr:destination" in text and "[Violation]" in text
    assert "A visit needs an sr:destination" in text
    assert "s18: On March 22-23, 2013, the first visit" in text  # the source sentence


def test_report_renders_as_json(failing_report: ValidationReport) -> None:
    data = json.loads(render(failing_report, "json"))
    assert data["conforms"] is False and data["counts"]["Violation"] == 1
    (result,) = data["results"]
    assert result["focus_label"] == "Xi Jinping's visit to Russia"
    assert result["source_shape"] == "srsh:VisitDestinationShape"
    assert result["severity"] == "Violation" and result["path"] == "sr:destination"
    assert result["sentences"][0][0] == 18


def test_report_renders_as_turtle(failing_report: ValidationReport) -> None:
    graph = Graph().parse(data=render(failing_report, "ttl"), format="turtle")
    assert (None, SH.sourceShape, SRSH.VisitDestinationShape) in graph
    assert (None, SH.conforms, None) in graph


def test_slice_check_reads_the_real_document(shapes: Graph, ontology: Graph) -> None:
    path = DATA / "invalid" / "sentence-offsets-do-not-slice-document.ttl"
    ok = validate(fixture_graph(path), shapes=shapes, ontology=ontology,
                  document_text=" " + resources.source_document().read_text(encoding="utf-8"))
    assert not ok.results, render(ok)  # shifted by one character, the same offsets slice correctly
