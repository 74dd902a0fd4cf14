"""release/void.ttl describes the release truthfully: counts, links, files, checksums, rights."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from sinorus_kg import resources
from sinorus_kg.dataset_description import DATASET, SERVED, describe, with_endpoint

RELEASE = resources.release_dir()
PREFIX = """PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> """


@pytest.fixture(scope="module")
def void() -> ox.Store:
    store = ox.Store()
    store.load(path=str(RELEASE / "void.ttl"), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def served() -> ox.Store:
    store = ox.Store()
    for name in SERVED:
        store.load(path=str(RELEASE / name), format=ox.RdfFormat.TURTLE)
    return store


def _value(store: ox.Store, query: str) -> str:
    rows = list(store.query(PREFIX + query))
    assert len(rows) == 1, query
    return str(rows[0][0].value)


def test_counts_match_what_the_endpoint_serves(void: ox.Store, served: ox.Store) -> None:
    assert int(_value(void, f"SELECT ?n WHERE {{ <{DATASET}> void:triples ?n }}")) == len(served)
    persons = int(_value(served, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a "
                                 "<https://w3id.org/sinorus/ontology#Person> }"))
    assert persons == 8  # the document names eight persons
    assert int(_value(void, f"SELECT ?n WHERE {{ <{DATASET}> void:classPartition ?c . ?c void:class "
                            "<https://w3id.org/sinorus/ontology#Person> ; void:entities ?n }")) == persons


def test_wikidata_links_are_a_linkset(void: ox.Store, served: ox.Store) -> None:
    links = int(_value(served, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o '
                               'FILTER(STRSTARTS(STR(?o), "http://www.wikidata.org/entity/") '
                               '&& STRSTARTS(STR(?s), "https://w3id.org/sinorus/id/")) }'))
    assert links > 0
    assert int(_value(void, "SELECT (SUM(?t) AS ?n) WHERE { ?l a void:Linkset ; void:linkPredicate ?p ; "
                            "void:triples ?t }")) == links


def test_every_release_file_has_a_distribution_with_its_checksum(void: ox.Store) -> None:
    rows = {row[0].value: (row[1].value, row[2].value) for row in void.query(
        PREFIX + "SELECT ?title ?sum ?media WHERE { ?d a dcat:Distribution ; dcterms:title ?title ; "
                 "dcterms:license <https://creativecommons.org/licenses/by/4.0/> ; "
                 "spdx:checksum/spdx:checksumValue ?sum ; dcat:mediaType ?media }")}
    files = sorted(p.name for p in RELEASE.iterdir() if p.name not in ("SHA256SUMS", "void.ttl")
                   and not p.name.startswith("."))
    assert sorted(rows) == files
    for name, (digest, media) in rows.items():
        assert digest == hashlib.sha256((RELEASE / name).read_bytes()).hexdigest(), name
        assert media.startswith("https://www.iana.org/assignments/media-types/")


def test_source_rights_are_stated_apart_from_the_licence(void: ox.Store) -> None:
    text = _value(void, f"SELECT ?t WHERE {{ <{DATASET}> dcterms:source ?doc . ?doc dcterms:rights ?r . "
                        "?r <http://www.w3.org/2000/01/rdf-schema#label> ?t }")
    assert "not grant" in text and "CC BY 4.0" in text
    assert _value(void, f"SELECT ?l WHERE {{ <{DATASET}> dcterms:license ?l }}") == \
        "https://creativecommons.org/licenses/by/4.0/"


def test_description_is_deterministic_and_takes_the_endpoint() -> None:
    contents = {p.name: p.read_bytes() for p in RELEASE.iterdir() if p.is_file() and not p.name.startswith(".")}
    first = describe(contents, version="1")
    assert describe(dict(reversed(list(contents.items()))), version="1") == first
    served = with_endpoint(first, "http://127.0.0.1:8000/sparql")
    store = ox.Store()
    store.load(served, format=ox.RdfFormat.TURTLE)
    assert _value(store, f"SELECT ?e WHERE {{ <{DATASET}> void:sparqlEndpoint ?e }}") == \
        "http://127.0.0.1:8000/sparql"
