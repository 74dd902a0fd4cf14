"""The release's own description: ``void.ttl``, a VoID dataset with DCAT distributions.

Other systems find the dataset by it (VoID's ``/.well-known/void``): what the endpoint
serves (triples, entities, classes and properties with their counts), its links to
Wikidata as ``void:Linkset``s, example resources, the vocabularies it uses, and one DCAT
distribution per release file with media type, size, checksum and licence. The release
is CC BY 4.0, but it quotes its source document sentence by sentence, and the document's
rights are not the project's to grant: they are stated on the document, apart from the
release's licence. The endpoint is added by the server that serves the description
(``void:sparqlEndpoint`` is known only at serve time).

Everything is computed from the release files themselves, nothing from the data model's
class or property names, so the description follows the model when it changes. Partitions
are named by IRIs rather than blank nodes, and triples are written sorted: same release,
same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sinorus_kg.namespaces import PREFIXES, SRID, shorten

BASE = "https://w3id.org/sinorus/"
DATASET = BASE + "dataset"
RELEASE = BASE + "release/"
FILE_NAME = "void.ttl"
SERVED = ("sinorus-full.ttl", "catalogue.ttl")  # what the endpoint loads (engines.release_files)
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
WIKIDATA = "http://www.wikidata.org/entity/"
WIKIDATA_DATASET = "http://www.wikidata.org/"
EXAMPLES_PER_CLASS = 1
EXAMPLE_CLASSES = 5

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
IANA = "https://www.iana.org/assignments/media-types/"
FORMATS_NS = "http://www.w3.org/ns/formats/"

MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
               ".rdf": "application/rdf+xml", ".tsv": "text/tab-separated-values"}
W3C_FORMATS = {".ttl": "Turtle", ".nt": "N-Triples", ".jsonld": "JSON-LD", ".rdf": "RDF_XML"}
SOURCE_RIGHTS = (
    "The source document is quoted in this release sentence by sentence (sr:text of each sentence) "
    "so that every fact can be checked against it. Its rights remain with its rights holders: "
    "the release's CC BY 4.0 licence covers the project's own work (the modelling, the facts as "
    "encoded, the queries) and does not grant any right to the document's text.")
DOCUMENT_QUERY = f"SELECT DISTINCT ?d WHERE {{ ?d a <{FOAF_DOCUMENT}> }} ORDER BY ?d"

Triple = tuple[str, str, object]  # subject IRI, predicate IRI, object (IRI str or Literal)
Add = Callable[[str, str, object], None]


class Literal:
    """A literal for the description: text with a datatype or language."""

    def __init__(self, value: object, datatype: str | None = None, lang: str | None = None):
        self.value = str(value)
        self.datatype = datatype
        self.lang = lang


def _int(value: int) -> Literal:
    return Literal(value, XSD + "integer")


def _slug(iri: str) -> str:
    """A readable, fragment-safe name for a partition: the prefixed name, else a short hash."""
    short = shorten(iri)
    if short != iri and re.fullmatch(r"[A-Za-z0-9_.:-]+", short):
        return short.replace(":", "-")
    return hashlib.sha256(iri.encode()).hexdigest()[:16]


def _store(contents: Mapping[str, bytes], served: Iterable[str]) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    for name in served:
        store.load(contents[name], format=ox.RdfFormat.TURTLE)
    return store


def _rows(store: Any, query: str) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in row) for row in store.query(query)]


def describe(contents: Mapping[str, bytes], served: Iterable[str] = SERVED, version: str | None = None) -> bytes:
    """The bytes of ``void.ttl`` for a release whose files are ``contents`` (name → bytes)."""
    store = _store(contents, served)
    triples: list[Triple] = []

    def add(s: str, p: str, o: object) -> None:
        triples.append((s, p, o))

    d = DATASET
    add(d, RDF + "type", VOID + "Dataset")
    add(d, RDF + "type", DCAT + "Dataset")
    add(d, DCT + "title", Literal("sinorus-kg: Soviet/Russian–Chinese relations", lang="en"))
    add(d, DCT + "description", Literal(
        "A source-grounded knowledge graph of Soviet/Russian–Chinese relations, 1949–2014: every fact "
        "points to the sentence of the source document it comes from.", lang="en"))
    add(d, DCT + "license", LICENCE)
    if version:
        add(d, DCAT + "version", Literal(version))
    add(d, VOID + "uriSpace", Literal(SRID))
    add(d, VOID + "feature", FORMATS_NS + "Turtle")

    count = int(_rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0][0])
    add(d, VOID + "triples", _int(count))
    for prop, query in (
        ("entities", f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{SRID}")) }}'),
        ("distinctSubjects", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        ("distinctObjects", "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        ("classes", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"),
        ("properties", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
    ):
        add(d, VOID + prop, _int(int(_rows(store, query)[0][0])))

    classes = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } "
                           "GROUP BY ?c ORDER BY ?c")
    for cls, n in classes:
        part = f"{d}#class-{_slug(cls)}"
        add(d, VOID + "classPartition", part)
        add(part, VOID + "class", cls)
        add(part, VOID + "entities", _int(int(n)))
    properties = _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")
    for prop, n in properties:
        part = f"{d}#property-{_slug(prop)}"
        add(d, VOID + "propertyPartition", part)
        add(part, VOID + "property", prop)
        add(part, VOID + "triples", _int(int(n)))

    used = {cls for cls, _ in classes} | {prop for prop, _ in properties}
    for ns in sorted({ns for ns in PREFIXES.values() if any(iri.startswith(ns) for iri in used)}):
        if not ns.startswith(SRID):
            add(d, VOID + "vocabulary", ns)

    _linksets(store, add)
    _examples(store, add, classes)
    _source_documents(store, add)
    _distributions(contents, add)
    return _turtle(triples)


def _linksets(store: Any, add: Add) -> None:
    """One void:Linkset per property that links a resource of ours to a Wikidata entity."""
    rows = _rows(store, f'SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && '
                        f'STRSTARTS(STR(?o), "{WIKIDATA}") && STRSTARTS(STR(?s), "{SRID}")) }} '
                        "GROUP BY ?p ORDER BY ?p")
    for prop, n in rows:
        links = f"{DATASET}#wikidata-{_slug(prop)}"
        add(DATASET, VOID + "subset", links)
        add(links, RDF + "type", VOID + "Linkset")
        add(links, VOID + "subjectsTarget", DATASET)
        add(links, VOID + "objectsTarget", WIKIDATA_DATASET)
        add(links, VOID + "linkPredicate", prop)
        add(links, VOID + "triples", _int(int(n)))
    if rows:
        add(WIKIDATA_DATASET, RDF + "type", VOID + "Dataset")
        add(WIKIDATA_DATASET, DCT + "title", Literal("Wikidata", lang="en"))
        add(WIKIDATA_DATASET, VOID + "uriSpace", Literal(WIKIDATA))


def _examples(store: Any, add: Add, classes: list[tuple[str, ...]]) -> None:
    """Example resources: the first (by IRI) of each of the most populated classes of ours."""
    ours = sorted(((-int(n), cls) for cls, n in classes if cls.startswith(PREFIXES["sr"])))[:EXAMPLE_CLASSES]
    for _, cls in ours:
        for (iri,) in _rows(store, f'SELECT ?s WHERE {{ ?s a <{cls}> FILTER(STRSTARTS(STR(?s), "{SRID}")) }} '
                                   f"ORDER BY ?s LIMIT {EXAMPLES_PER_CLASS}"):
            add(DATASET, VOID + "exampleResource", iri)


def _source_documents(store: Any, add: Add) -> None:
    """The documents the facts are drawn from, with their rights stated apart from our licence."""
    for (doc,) in _rows(store, DOCUMENT_QUERY):
        rights = f"{DATASET}#source-rights"
        add(DATASET, DCT + "source", doc)
        add(doc, DCT + "rights", rights)
        add(rights, RDF + "type", DCT + "RightsStatement")
        add(rights, RDFS + "label", Literal(SOURCE_RIGHTS, lang="en"))


def _distributions(contents: Mapping[str, bytes], add: Add) -> None:
    for name in sorted(contents):
        if name in ("SHA256SUMS", FILE_NAME):
            continue
        suffix = name[name.rfind("."):] if "." in name else ""
        dist = RELEASE + name
        add(DATASET, DCAT + "distribution", dist)
        if suffix in W3C_FORMATS:  # an RDF dump; the renames table is a distribution, not a dump
            add(DATASET, VOID + "dataDump", dist)
        add(dist, RDF + "type", DCAT + "Distribution")
        add(dist, DCT + "title", Literal(name))
        add(dist, DCAT + "downloadURL", dist)
        if suffix in MEDIA_TYPES:
            add(dist, DCAT + "mediaType", IANA + MEDIA_TYPES[suffix])
        if suffix in W3C_FORMATS:
            add(dist, DCT + "format", FORMATS_NS + W3C_FORMATS[suffix])
        add(dist, DCAT + "byteSize", Literal(len(contents[name]), XSD + "nonNegativeInteger"))
        add(dist, DCT + "license", LICENCE)
        checksum = f"{dist}#sha256"
        add(dist, SPDX + "checksum", checksum)
        add(checksum, RDF + "type", SPDX + "Checksum")
        add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        add(checksum, SPDX + "checksumValue", Literal(hashlib.sha256(contents[name]).hexdigest(), XSD + "hexBinary"))


OUTPUT_PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "spdx": SPDX, "rdfs": RDFS, "xsd": XSD,
                   "formats": FORMATS_NS, "wd": WIKIDATA, **{p: iri for p, iri in PREFIXES.items()
                                                            if p not in ("dcterms", "wd")}}


def _turtle(triples: list[Triple]) -> bytes:
    """Sorted triples as Turtle with readable prefixes: deterministic bytes."""
    import pyoxigraph as ox

    def node(value: object) -> Any:
        if isinstance(value, Literal):
            if value.lang:
                return ox.Literal(value.value, language=value.lang)
            return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype) if value.datatype else None)
        return ox.NamedNode(str(value))

    unique = {(s, p, str(o) if not isinstance(o, Literal) else ("L", o.value, o.datatype, o.lang)): (s, p, o)
              for s, p, o in triples}
    ordered = [unique[key] for key in sorted(unique, key=lambda k: (k[0], k[1], str(k[2])))]
    graph = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), node(o)) for s, p, o in ordered]
    iris = {s for s, _, _ in ordered} | {p for _, p, _ in ordered} | {
        str(o) for _, _, o in ordered if not isinstance(o, Literal)}
    used = {p: ns for p, ns in OUTPUT_PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}
    data = ox.serialize(graph, format=ox.RdfFormat.TURTLE, prefixes=used)
    assert data is not None
    lines = data.decode("utf-8").splitlines()
    prefixes = sorted(line for line in lines if line.startswith("@prefix "))  # the writer's order varies
    body = [line for line in lines if not line.startswith("@prefix ")]
    header = ["# GENERATED by sinorus_kg.dataset_description (sinorus-kg build) -- do not edit by hand.",
              "# VoID and DCAT description of this release; the endpoint adds void:sparqlEndpoint."]
    return ("\n".join(header + prefixes + [""] + body) + "\n").encode("utf-8")


def with_endpoint(void_ttl: bytes, endpoint: str) -> bytes:
    """The served copy of ``void.ttl``: the same description plus ``void:sparqlEndpoint``."""
    line = f"\n<{DATASET}> <{VOID}sparqlEndpoint> <{endpoint}> .\n".encode()
    return void_ttl + line
