"""Sentence coverage: every sentence is cited by a fact or carries a reason for having none."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from sinorus_kg.namespaces import SR, SRID
from sinorus_kg.provenance import coverage, sentence_iri

ATTESTED_BY = URIRef(SR + "attestedBy")

FACT_CLASSES = ["Event", "Agreement", "OfficeHolding", "DialogueMechanism", "Participation"]


def test_every_sentence_is_covered_or_explained(asserted_graph: Graph) -> None:
    report = coverage(asserted_graph)
    assert report.total == 31
    assert report.ok, [s.index for s in report.unaccounted]
    assert report.covered + report.explained == 31


def test_full_coverage(asserted_graph: Graph) -> None:
    report = coverage(asserted_graph)
    assert report.covered == 31 and report.share == 1.0


EXTERNAL_SOURCE = URIRef(SR + "ExternalSource")
DCTERMS_SOURCE = URIRef("http://purl.org/dc/terms/source")


def _external(graph: Graph, node: object) -> bool:
    """Known only from an external source (the office-terms records, the gazetteer), not from the document."""
    return any((s, RDF.type, EXTERNAL_SOURCE) in graph for s in graph.objects(node, DCTERMS_SOURCE))


def test_every_fact_node_has_a_source_sentence(full: Graph) -> None:
    sentence = URIRef(SR + "Sentence")
    missing = []
    external = []
    for name in FACT_CLASSES:
        for node in set(full.subjects(RDF.type, URIRef(SR + name))):
            sources = list(full.objects(node, ATTESTED_BY))
            if not sources and _external(full, node):
                external.append(str(node))
            elif not sources or any((s, RDF.type, sentence) not in full for s in sources):
                missing.append(str(node))
    assert not missing
    # the one holding the document does not attest: Gorbachev's chairmanship of the Presidium (office terms)
    assert external == [SRID + "holding/gorbachev-chairman-presidium-supreme-soviet-ussr"]


def test_every_named_entity_has_a_source_sentence_or_is_external(full: Graph) -> None:
    missing = [
        str(node)
        for name in ["Agent", "Place", "Office"]
        for node in set(full.subjects(RDF.type, URIRef(SR + name)))
        if str(node).startswith(SRID) and (node, ATTESTED_BY, None) not in full and not _external(full, node)
    ]
    assert not missing


def _tiny(with_reason: bool) -> Graph:
    g = Graph()
    for i in (1, 2):
        s = URIRef(sentence_iri(i))
        g.add((s, RDF.type, URIRef(SR + "Sentence")))
        g.add((s, URIRef(SR + "sentenceIndex"), Literal(i)))
        g.add((s, URIRef(SR + "text"), Literal(f"Sentence {i}.")))
    g.add((URIRef(SRID + "event/x"), ATTESTED_BY, URIRef(sentence_iri(1))))
    if with_reason:
        g.add((URIRef(sentence_iri(2)), URIRef(SR + "noFactReason"), Literal("a heading", lang="en")))
    return g


def test_report_flags_an_unexplained_sentence() -> None:
    report = coverage(_tiny(with_reason=False))
    assert not report.ok
    assert [s.index for s in report.unaccounted] == [2]
    assert report.share == 0.5


def test_report_accepts_a_reason() -> None:
    report = coverage(_tiny(with_reason=True))
    assert report.ok and report.covered == 1 and report.explained == 1
    assert report.sentences[0].facts == [SRID + "event/x"]
    assert report.sentences[1].no_fact_reason == "a heading"
