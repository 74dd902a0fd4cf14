"""The source document's sentences: segmentation, offsets, checksum, and the generated file."""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from sinorus_kg import resources
from sinorus_kg.documents import PROJECT_DOCUMENT, segment, sentence_iri, sentences_turtle
from sinorus_kg.loading import parse_turtle
from sinorus_kg.namespaces import SR

SHA256 = "83799b87f1caaa25b6e8d58264183784f2d53c352245c02183ba62e166f147cb"
SENTENCES_FILE = resources.data_dir() / f"sentences-{PROJECT_DOCUMENT.slug}.ttl"


def _sentences_graph() -> Graph:
    return parse_turtle(SENTENCES_FILE)


def test_document_checksum() -> None:
    assert hashlib.sha256(resources.source_document().read_bytes()).hexdigest() == SHA256
    assert PROJECT_DOCUMENT.path == resources.source_document()


def test_segmentation_gives_31_sentences() -> None:
    sentences = PROJECT_DOCUMENT.sentences()
    assert len(sentences) == 31
    assert sentences[0].text.startswith("The USSR and the People's Republic of China")
    assert sentences[-1].text.endswith("Zhang Dejiang.")
    assert [s.index for s in sentences] == list(range(1, 32))


def test_segments_are_ordered_and_trimmed() -> None:
    sentences = PROJECT_DOCUMENT.sentences()
    for a, b in zip(sentences, sentences[1:], strict=False):
        assert a.end <= b.begin
    for s in sentences:
        assert s.text == s.text.strip() and s.text[-1] in ".!?"


def test_segmentation_is_deterministic_on_a_small_text() -> None:
    text = "One. Two!  Three?\nFour"
    assert [(s.begin, s.end, s.text) for s in segment(text)] == [
        (0, 4, "One."), (5, 9, "Two!"), (11, 17, "Three?"), (18, 22, "Four")]


def test_offsets_slice_the_document_exactly() -> None:
    text = PROJECT_DOCUMENT.text()
    g = _sentences_graph()
    nodes = list(g.subjects(RDF.type, URIRef(SR + "Sentence")))
    assert len(nodes) == 31
    for node in nodes:
        begin = int(g.value(node, URIRef(SR + "beginOffset")).toPython())  # type: ignore[union-attr]
        end = int(g.value(node, URIRef(SR + "endOffset")).toPython())  # type: ignore[union-attr]
        assert text[begin:end] == str(g.value(node, URIRef(SR + "text"))), node
        assert (node, DCTERMS.isPartOf, URIRef(PROJECT_DOCUMENT.iri)) in g
        assert (node, PROV.wasDerivedFrom, URIRef(PROJECT_DOCUMENT.iri)) in g  # entity → entity only


def test_sentence_iris_are_scoped_to_their_document() -> None:
    g = _sentences_graph()
    for i in range(1, 32):
        index = g.value(URIRef(sentence_iri(i)), URIRef(SR + "sentenceIndex"))
        assert isinstance(index, Literal) and index.toPython() == i
    assert sentence_iri(1).endswith("sentence/srcr-s01") and sentence_iri(31).endswith("sentence/srcr-s31")
    assert sentence_iri(3, "other").endswith("sentence/other-s03")


def test_document_node_has_title_checksum_and_count() -> None:
    g = _sentences_graph()
    doc = URIRef(PROJECT_DOCUMENT.iri)
    assert doc == URIRef("https://w3id.org/sinorus/id/document/srcr")
    assert (doc, RDF.type, URIRef(SR + "SourceDocument")) in g
    assert g.value(doc, DCTERMS.title) is not None
    assert str(g.value(doc, URIRef(SR + "sha256"))) == SHA256
    assert g.value(doc, URIRef(SR + "sentenceCount")).toPython() == 31  # type: ignore[union-attr]


def test_generated_file_equals_committed_file() -> None:
    committed = SENTENCES_FILE.read_text(encoding="utf-8")
    assert sentences_turtle() == committed, "regenerate data/sentences-srcr.ttl with sinorus_kg.documents"


def test_generation_is_stable() -> None:
    assert sentences_turtle() == sentences_turtle()
