"""The catalogue described as RDF: SIB-style SHACL executables, complete and deterministic."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from sinorus_kg.catalogue import Catalogue
from sinorus_kg.catalogue_rdf import catalogue_graph, paragraph_iri, query_form, query_iri, runnable_text

SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
DCTERMS = Namespace("http://purl.org/dc/terms/")

ASK = "#+ summary: Is there an event?\n#+ tags: [a, b]\n#+ paragraphs: [3]\nASK { ?e a sr:Event }\n"
SELECT = ("#+ summary: Events\n#+ description: All of them.\n#+ paragraphs: [1, 3]\n"
          "# a SELECT comment: ASK\nSELECT ?e WHERE { ?e a sr:Event }\n")
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n"


def _sample() -> list[tuple[str, str, dict]]:
    return [
        ("is-event", ASK, {"summary": "Is there an event?", "tags": ["a", "b"], "paragraphs": [3]}),
        ("events", SELECT, {"summary": "Events", "description": "All of them.", "paragraphs": [1, 3]}),
        ("everything", CONSTRUCT, {}),
    ]


def test_each_query_is_a_typed_executable_with_its_text() -> None:
    graph = catalogue_graph(_sample())
    kinds = {"is-event": (SH.SPARQLAskExecutable, SH.ask), "events": (SH.SPARQLSelectExecutable, SH.select),
             "everything": (SH.SPARQLConstructExecutable, SH.construct)}
    for name, (cls, prop) in kinds.items():
        node = query_iri(name)
        assert node == URIRef(f"https://w3id.org/sinorus/queries/{name}")
        assert (node, RDF.type, SH.SPARQLExecutable) in graph
        assert (node, RDF.type, cls) in graph
        text = str(graph.value(node, prop))
        assert text.startswith("PREFIX sr: ") and "#+" not in text


def test_labels_keywords_and_paragraphs() -> None:
    graph = catalogue_graph(_sample())
    node = query_iri("is-event")
    assert graph.value(node, RDFS.label) == Literal("Is there an event?", lang="en")
    assert set(graph.objects(node, SCHEMA.keywords)) == {Literal("a"), Literal("b")}
    assert set(graph.objects(query_iri("events"), DCTERMS.source)) == {paragraph_iri(1), paragraph_iri(3)}
    assert graph.value(query_iri("events"), RDFS.comment) == Literal("All of them.", lang="en")
    source = URIRef("https://w3id.org/sinorus/id/document/srcr")
    assert (paragraph_iri(3), DCTERMS.isPartOf, source) in graph
    assert not list(graph.objects(query_iri("everything"), DCTERMS.source))


def test_query_form_ignores_comments() -> None:
    assert query_form(SELECT) == "SELECT"
    assert query_form(ASK) == "ASK"
    assert query_form("# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert runnable_text(ASK).endswith("ASK { ?e a sr:Event }\n")


def test_output_is_deterministic_and_order_independent() -> None:
    one = catalogue_graph(_sample()).serialize(format="nt")
    two = catalogue_graph(list(reversed(_sample()))).serialize(format="nt")
    assert sorted(one.splitlines()) == sorted(two.splitlines())


def test_the_project_catalogue_describes_every_stored_query() -> None:
    catalogue = Catalogue.load()
    graph = catalogue_graph([(q.name, q.text, q.metadata) for q in catalogue])
    described = set(graph.subjects(RDF.type, SH.SPARQLExecutable))
    assert described == {query_iri(q.name) for q in catalogue}
    for q in catalogue:
        assert graph.value(query_iri(q.name), RDFS.label) is not None, q.name
        assert list(graph.objects(query_iri(q.name), DCTERMS.source)), f"{q.name} covers no paragraph"
    reparsed = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert len(reparsed) == len(graph)
