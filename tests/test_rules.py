"""The fast OWL 2 RL closure (rules on Oxigraph terms) equals owlrl's, filtered as the release keeps it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from sinorus_kg.reasoning import entailments
from sinorus_kg.rules import UnsupportedAxiom, materialise
from sinorus_kg.synthetic import synthetic


def _to_ox(term: object) -> object:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def _rdflib(triples: list[ox.Triple]) -> Graph:
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def _compare(triples: list[ox.Triple]) -> None:
    graph = _rdflib(triples)
    # Blank nodes keep their labels through N-Triples, so both sides name them alike.
    expected = {tuple(_to_ox(t) for t in triple) for triple in entailments(graph)}
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    got = {(q.subject, q.predicate, q.object) for q in materialise(dataset)}
    assert got - expected == set(), "derived by the fast closure, not by owlrl"
    assert expected - got == set(), "derived by owlrl, missed by the fast closure"
    assert got


def test_closure_equals_owlrl_on_the_project(asserted_graph: Graph) -> None:
    _compare(list(ox.parse(asserted_graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)))


def test_closure_equals_owlrl_on_a_synthetic_graph() -> None:
    graph = synthetic(10_000, seed=7)
    assert 8_000 < len(graph) < 12_000 and graph.copies > 1
    _compare(graph.ontology + graph.data)


def test_rules_follow_the_ontology_not_the_code() -> None:
    """A TBox the project does not have: new hierarchy, inverse, symmetric, transitive, chain."""
    ttl = """
    @prefix ex: <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ex:A rdfs:subClassOf ex:B . ex:B owl:equivalentClass ex:C . ex:p rdfs:domain ex:A ; rdfs:range ex:D .
    ex:p rdfs:subPropertyOf ex:q . ex:q owl:inverseOf ex:qi . ex:s a owl:SymmetricProperty .
    ex:t a owl:TransitiveProperty . ex:g owl:propertyChainAxiom ( ex:p ex:t ) .
    ex:x ex:p ex:y . ex:y ex:t ex:z . ex:z ex:t ex:w . ex:x ex:s ex:v . ex:x ex:p "lit" .
    """
    _compare(list(ox.parse(ttl, format=ox.RdfFormat.TURTLE)))


def test_unimplemented_constructs_are_refused() -> None:
    ttl = """@prefix ex: <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ex:A owl:equivalentClass [ owl:intersectionOf ( ex:B ex:C ) ] ."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(ttl, format=ox.RdfFormat.TURTLE))
    with pytest.raises(UnsupportedAxiom, match="intersectionOf"):
        materialise(dataset)
