"""A second source document is a documented path (docs/model.md, "A second document"): its own
sentence IRIs, the same shapes reading its own sentence count and period, coverage per document,
and stored queries that take a document."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from sinorus_kg.catalogue import Catalogue
from sinorus_kg.documents import PROJECT_DOCUMENT, SourceDocument, sentences_turtle
from sinorus_kg.engines import open_engine
from sinorus_kg.loading import load_sources
from sinorus_kg.provenance import coverage
from sinorus_kg.reasoning import full_graph
from sinorus_kg.validation import render, validate

DATA = Path(__file__).parent / "data" / "second-document"
NOTE = SourceDocument(slug="note", file=str(DATA / "records-note.txt"), title="A note on two records")
EVENT = "https://w3id.org/sinorus/id/event/2013-10-apec-leaders-meeting"


def second_graph(facts: str | None = None) -> Graph:
    graph = Graph()
    graph.parse(data=sentences_turtle(NOTE), format="turtle")
    graph.parse(data=facts if facts is not None else (DATA / "facts.ttl").read_text(encoding="utf-8"),
                format="turtle", publicID=str(DATA / "facts.ttl"))
    return graph


def test_its_sentences_are_scoped_to_it() -> None:
    sentences = NOTE.sentences()
    assert [s.text[:10] for s in sentences] == ["Xi Jinping", "The APEC l"]
    assert NOTE.iri == "https://w3id.org/sinorus/id/document/note"
    assert NOTE.sentence_iri(2) == "https://w3id.org/sinorus/id/sentence/note-s02"
    assert NOTE.sentence_iri(2) != PROJECT_DOCUMENT.sentence_iri(2)
    assert 'sr:sentenceCount "2"^^xsd:integer' in sentences_turtle(NOTE)


def test_it_validates_with_the_project_shapes_beside_the_project_data(asserted_graph: Graph) -> None:
    alone = validate(second_graph(), documents={NOTE.iri: NOTE.text()})
    assert alone.conforms and not alone.results, render(alone)
    both = Graph()
    for triple in asserted_graph:
        both.add(triple)
    for triple in second_graph():
        both.add(triple)
    report = validate(both, documents={NOTE.iri: NOTE.text()})
    assert report.conforms and not [r for r in report.results if r.severity != "Info"], render(report)


def test_the_period_check_reads_each_document_s_own_period() -> None:
    """2014-10-07 lies in the project document's period (1949-2014) but not in the note's (2013)."""
    facts = (DATA / "facts.ttl").read_text(encoding="utf-8").replace("2013-10-0", "2014-10-0")
    report = validate(second_graph(facts), documents={NOTE.iri: NOTE.text()})
    assert {r.source_shape for r in report.results} == {"srsh:DocumentPeriodShape"}, render(report)
    assert all(r.focus == "event:2013-10-apec-leaders-meeting" for r in report.results)


def test_the_slice_check_reads_its_own_text() -> None:
    report = validate(second_graph(), documents={NOTE.iri: "x" + NOTE.text()})
    assert {r.source_shape for r in report.results} == {"srsh:SentenceSliceCheck"}
    assert {r.focus for r in report.results} == {"sentence:note-s01", "sentence:note-s02"}


def test_coverage_is_per_document(asserted_graph: Graph) -> None:
    both = asserted_graph + second_graph()
    report = coverage(both)
    assert report.documents == sorted([PROJECT_DOCUMENT.iri, NOTE.iri])
    note = report.of(NOTE.iri)
    assert (note.total, note.covered, note.explained, note.ok) == (2, 1, 1, True)
    assert note.sentences[1].facts == [EVENT]
    assert report.of(PROJECT_DOCUMENT.iri).total == 31 and report.ok


@pytest.fixture(scope="module")
def engine() -> object:
    return open_engine("oxigraph", graph=full_graph(load_sources(data=[]) + second_graph()))


def test_events_of_sentence_takes_a_document(engine: object) -> None:
    query = Catalogue.load().get("events-of-sentence")
    rows = engine.run(query.sparql(), query.bindings({"document": "document:note", "index": "2"})).records()  # type: ignore[attr-defined]
    assert [(str(r["event"]), r["citation"], str(r["earliest"])) for r in rows] == [(EVENT, "reports", "2013-10-07")]
    assert engine.run(query.sparql(), query.bindings({"document": "document:note", "index": "1"})).rows == []  # type: ignore[attr-defined]
    assert str(URIRef(EVENT)) not in str(engine.run(  # type: ignore[attr-defined]
        query.sparql(), query.bindings({"document": "document:srcr", "index": "2"})).rows)
