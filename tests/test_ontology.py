"""The ontology is what analysts read first and other systems map to: keep it complete and DL.

Covers: parsing, the header, labels and definitions, the model contract (docs/model.md),
OWL 2 DL structure, loading in owlready2, HermiT consistency (ontology alone and with the
data), the QC queries (clean on the project, and each catching a small bad graph), the
generated docs and the competency questions.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from sinorus_kg import resources
from sinorus_kg.docs import build_docs
from sinorus_kg.loading import new_graph, parse_turtle
from sinorus_kg.namespaces import SR, sparql_prologue
from sinorus_kg.qc import qc_queries, run_qc, run_query
from sinorus_kg.reasoning import check_consistency, java_available

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = resources.ontology_dir() / "sinorus.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/sinorus/ontology")
VANN = "http://purl.org/vocab/vann/"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
TTL_PROLOGUE = "".join(f"@prefix {line.removeprefix('PREFIX ')} .\n" for line in sparql_prologue().splitlines())
needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs Java and `java` is not on PATH")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return parse_turtle(ONTOLOGY_FILE)


def own_terms(graph: Graph, kinds: tuple[URIRef, ...]) -> list[URIRef]:
    return sorted(
        {t for k in kinds for t in graph.subjects(RDF.type, k) if isinstance(t, URIRef) and str(t).startswith(SR)}
    )


def test_ontology_parses(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert len(own_terms(onto, (OWL.Class,))) >= 60


def test_header_is_complete(onto: Graph) -> None:
    def one(pred: URIRef) -> object:
        values = list(onto.objects(ONTOLOGY_IRI, pred))
        assert len(values) == 1, f"header needs exactly one {pred}, has {values}"
        return values[0]

    assert one(OWL.versionIRI) == URIRef("https://w3id.org/sinorus/ontology/0.2.0")
    assert str(one(OWL.versionInfo)) == "0.2.0"
    assert one(OWL.priorVersion) == URIRef("https://w3id.org/sinorus/ontology/0.1.0")
    assert one(DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    for pred in (DCTERMS.title, DCTERMS.description, DCTERMS.creator):
        assert str(one(pred)).strip()
    assert one(DCTERMS.created) == Literal("2026-11-27", datatype=XSD_DATE)
    assert one(DCTERMS.modified) == Literal("2026-12-01", datatype=XSD_DATE)
    assert str(one(URIRef(VANN + "preferredNamespacePrefix"))) == "sr"
    assert str(one(URIRef(VANN + "preferredNamespaceUri"))) == SR
    assert not list(onto.objects(ONTOLOGY_IRI, OWL.imports)), "the ontology must load offline: no owl:imports"


def _langs(graph: Graph, term: object, pred: URIRef) -> list[str]:
    return [v.language or "" for v in graph.objects(term, pred) if isinstance(v, Literal)]  # type: ignore[arg-type]


def test_every_term_has_one_english_label_and_definition(onto: Graph) -> None:
    for term in own_terms(onto, (OWL.Class, *PROPERTY_KINDS, OWL.NamedIndividual)):
        labels = _langs(onto, term, RDFS.label)
        assert labels.count("en") == 1, f"{term}: needs exactly one English label, has {labels}"
        assert len(labels) == len(set(labels)), f"{term}: more than one label in a language"
        assert _langs(onto, term, SKOS.definition).count("en") == 1, f"{term}: needs one English definition"


def test_classes_are_labelled_in_russian_and_chinese(onto: Graph) -> None:
    for cls in own_terms(onto, (OWL.Class,)):
        labels = _langs(onto, cls, RDFS.label)
        assert "ru" in labels and "zh" in labels, f"{cls}: needs ru and zh labels, has {labels}"


def test_model_terms_are_declared(onto: Graph) -> None:
    """docs/model.md is the contract the data, shapes and queries are written against."""
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bsr:([A-Za-z][A-Za-z0-9]*)", model))
    declared = {str(t)[len(SR):] for t in onto.subjects(RDF.type, None) if str(t).startswith(SR)}
    assert sorted(named - declared) == []


def test_concept_schemes_exist(onto: Graph) -> None:
    for slug in ("dialogue-levels", "frequencies", "exchange-kinds", "cooperation-areas"):
        scheme = URIRef(f"https://w3id.org/sinorus/id/scheme/{slug}")
        assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
        concepts = list(onto.subjects(SKOS.inScheme, scheme))
        assert concepts, f"{slug} has no concepts"
        for concept in concepts:
            assert (concept, RDF.type, SKOS.Concept) in onto
            assert "en" in _langs(onto, concept, RDFS.label) and "en" in _langs(onto, concept, SKOS.definition)
    assert (URIRef(SR + "unitDecade"), RDF.type, URIRef("http://www.w3.org/2006/time#TemporalUnit")) in onto


def test_no_owl_same_as_anywhere(asserted_graph: Graph) -> None:
    """owl:sameAs to Wikidata would double every answer after reasoning: schema:sameAs instead."""
    assert not [t for t in asserted_graph if OWL.sameAs in t]


def _non_simple(graph: Graph) -> set[Node]:
    """Transitive properties, chain superproperties, and everything above them."""
    seeds = set(graph.subjects(RDF.type, OWL.TransitiveProperty)) | set(graph.subjects(OWL.propertyChainAxiom, None))
    result: set[Node] = set(seeds)
    frontier = list(seeds)
    while frontier:
        prop = frontier.pop()
        ups = set(graph.objects(prop, RDFS.subPropertyOf)) | set(graph.objects(prop, OWL.inverseOf))
        ups |= set(graph.subjects(OWL.inverseOf, prop))
        for up in ups - result:
            result.add(up)
            frontier.append(up)
    return result


def test_owl2_dl_restrictions_on_non_simple_properties(onto: Graph) -> None:
    non_simple = _non_simple(onto)
    assert URIRef(SR + "locatedIn") in non_simple
    assert URIRef("http://www.w3.org/ns/org#holds") in non_simple
    for prop in non_simple:
        for trait in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.AsymmetricProperty,
                      OWL.IrreflexiveProperty):
            assert trait not in set(onto.objects(prop, RDF.type)), f"{prop} is non-simple: cannot be {trait}"
    for card in (OWL.cardinality, OWL.minCardinality, OWL.maxCardinality, OWL.qualifiedCardinality,
                 OWL.minQualifiedCardinality, OWL.maxQualifiedCardinality):
        for restriction in onto.subjects(card, None):
            assert onto.value(restriction, OWL.onProperty) not in non_simple


def test_property_chains_are_regular(onto: Graph) -> None:
    for sup, chain in onto.subject_objects(OWL.propertyChainAxiom):
        steps = list(Collection(onto, chain))
        assert len(steps) == 2 and sup not in steps, f"chain for {sup} must not mention it: {steps}"


def test_every_referenced_term_is_declared(onto: Graph) -> None:
    """OWL 2 DL needs a declaration for every class and property used (no owl:imports here)."""
    declared_classes = set(onto.subjects(RDF.type, OWL.Class))
    for axiom in (RDFS.subClassOf, RDFS.domain):
        for obj in onto.objects(None, axiom):
            if isinstance(obj, URIRef):
                assert obj in declared_classes, f"{obj} used as a class but not declared"
    declared_props = {p for k in PROPERTY_KINDS for p in onto.subjects(RDF.type, k)}
    builtin = (str(RDF), str(RDFS), str(OWL))
    for pred in set(onto.predicates()):
        assert str(pred).startswith(builtin) or pred in declared_props, f"{pred} not declared"


@pytest.mark.parametrize("fmt", ["nt", "xml"])
def test_loads_in_owlready2(onto: Graph, fmt: str) -> None:
    owlready2 = pytest.importorskip("owlready2")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sinorus.{'owl' if fmt == 'xml' else 'nt'}"
        onto.serialize(destination=str(path), format=fmt, encoding="utf-8")
        world = owlready2.World()
        loaded = world.get_ontology(path.as_uri()).load()
        iris = {c.iri for c in loaded.classes()}
    assert {str(c) for c in own_terms(onto, (OWL.Class,))} <= iris


@needs_java
def test_hermit_ontology_alone_is_consistent(onto: Graph) -> None:
    report = check_consistency(onto)
    assert report.consistent, report.message
    assert report.unsatisfiable == []


@needs_java
def test_hermit_ontology_plus_data_is_consistent(asserted_graph: Graph) -> None:
    report = check_consistency(asserted_graph)
    assert report.consistent, report.message
    assert report.unsatisfiable == []


@needs_java
def test_hermit_sees_the_disjointness(onto: Graph) -> None:
    """A person typed as a state must make the graph inconsistent, or the axioms do nothing."""
    bad = new_graph()
    for triple in onto:
        bad.add(triple)
    bad.parse(data=TTL_PROLOGUE + "person:x a sr:Person , sr:State .", format="turtle")
    assert not check_consistency(bad).consistent


# --- QC queries -------------------------------------------------------------------------------

QUERY_NAMES = [p.name.removesuffix(".rq") for p in qc_queries()]

BAD_GRAPHS: dict[str, tuple[str, str]] = {
    # query name: (Turtle that violates it, the IRI that must be reported in the first column)
    "missing-label-violation": (
        'sr:Orphan a owl:Class ; skos:definition "A class with no label."@en .', SR + "Orphan"),
    "missing-definition-violation": (
        'sr:Vague a owl:Class ; rdfs:label "Vague"@en .', SR + "Vague"),
    "multiple-labels-violation": (
        'person:x a sr:Person ; rdfs:label "X"@en , "Mr X"@en .', "https://w3id.org/sinorus/id/person/x"),
    "duplicate-label-violation": (
        'sr:Pact a owl:Class ; rdfs:label "treaty"@en ; skos:definition "Same label as sr:Treaty."@en .',
        SR + "Pact"),
    "undeclared-property-violation": (
        'person:x a sr:Person ; rdfs:label "X"@en ; sr:nickname "x" .', SR + "nickname"),
    "undeclared-class-violation": (
        'person:x a sr:Human ; rdfs:label "X"@en .', SR + "Human"),
    "untyped-individual-violation": (
        'person:x a owl:NamedIndividual ; rdfs:label "X"@en .', "https://w3id.org/sinorus/id/person/x"),
    "fact-without-source-violation": (
        'event:x a sr:Talks ; sr:earliestDate "2013-03-22"^^xsd:date .', "https://w3id.org/sinorus/id/event/x"),
    "event-without-time-violation": (
        'event:x a sr:Talks ; sr:attestedBy sentence:srcr-s99 .\nsentence:srcr-s99 a sr:Sentence .',
        "https://w3id.org/sinorus/id/event/x"),
    "subproperty-without-superproperty-violation": (
        'event:x a sr:Visit ; sr:visitor person:y .', "https://w3id.org/sinorus/id/event/x"),
    "place-without-state-violation": (
        'event:x a sr:Meeting ; sr:place place:nowhere .\nplace:nowhere a sr:City ; rdfs:label "Nowhere"@en .',
        "https://w3id.org/sinorus/id/place/nowhere"),
    "dangling-reference-violation": (
        'event:x a sr:Talks ; sr:hasParticipant person:nobody .',
        "https://w3id.org/sinorus/id/person/nobody"),
}


def test_qc_queries_are_all_present() -> None:
    assert sorted(QUERY_NAMES) == sorted(BAD_GRAPHS), "every QC query needs a failing fixture, and vice versa"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_qc_query_header(name: str) -> None:
    lines = (resources.queries_dir() / "qc" / f"{name}.rq").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#+ summary: ") and lines[1].startswith("#+ description: ")


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_qc_query_passes_on_the_project(asserted_graph: Graph, name: str) -> None:
    violation = run_query(resources.queries_dir() / "qc" / f"{name}.rq", asserted_graph)
    assert violation.rows == [], f"{name} ({violation.summary}) {violation.columns}:\n" + "\n".join(
        "  " + " ".join(row) for row in violation.rows
    )


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_qc_query_catches_a_bad_graph(onto: Graph, name: str) -> None:
    turtle, offender = BAD_GRAPHS[name]
    graph = new_graph()
    for triple in onto:
        graph.add(triple)
    graph.parse(data=TTL_PROLOGUE + turtle, format="turtle")
    violation = run_query(resources.queries_dir() / "qc" / f"{name}.rq", graph)
    reported = {row[0] for row in violation.rows}
    assert URIRef(offender).n3(graph.namespace_manager) in reported, violation.rows


def test_run_qc_returns_only_failures(onto: Graph) -> None:
    assert run_qc(onto) == []
    bad = new_graph()
    for triple in onto:
        bad.add(triple)
    bad.add((URIRef(SR + "Orphan"), RDF.type, OWL.Class))
    failing = {v.query for v in run_qc(bad)}
    assert failing == {"missing-label-violation", "missing-definition-violation"}


def test_ontology_individuals_have_no_blank_subjects_with_labels(onto: Graph) -> None:
    assert not [s for s in onto.subjects(RDFS.label, None) if isinstance(s, BNode)]


# --- docs and competency questions --------------------------------------------------------------

def test_competency_questions_are_listed() -> None:
    text = (ROOT / "docs" / "competency-questions.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^\d+\. ", text, flags=re.M)) >= 20


def test_docs_build_is_deterministic_and_complete(onto: Graph, tmp_path: Path) -> None:
    first = build_docs(tmp_path / "a").read_bytes()
    second = build_docs(tmp_path / "b").read_bytes()
    assert first == second
    page = first.decode("utf-8")
    for term in own_terms(onto, (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)):
        assert f'id="{str(term)[len(SR):]}"' in page, f"{term} missing from the docs"
    for cls in own_terms(onto, (OWL.Class,)):
        for label in onto.objects(cls, RDFS.label):
            assert str(label) in page or "&" in str(label)
    assert page.count("<li>") >= 20 and "Competency questions" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert not list((tmp_path / "a").glob(".index.*")), "temporary file left behind"
