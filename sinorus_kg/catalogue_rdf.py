"""The stored-query catalogue as RDF, in the style of the SIB ``sparql-examples``.

Each query becomes a ``sh:SPARQLExecutable`` with its label, description, keywords and the
runnable query text (``sh:select`` / ``sh:ask`` / ``sh:construct``), so that endpoints and
tools that already read SIB-style example catalogues can list and run ours. The paragraphs
of the document a query covers are linked with ``dcterms:source``. Output depends only on
the input, never on dict or set order, so the release stays byte-stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from sinorus_kg.namespaces import PREFIXES, SRID, sparql_prologue
from sinorus_kg.safety import query_form

QUERIES = Namespace("https://w3id.org/sinorus/queries/")
SOURCE = URIRef(SRID + "document/srcr")  # the project's source document
SH = Namespace(PREFIXES["sh"])
SCHEMA = Namespace(PREFIXES["schema"])
DCTERMS = Namespace(PREFIXES["dcterms"])
NIF = Namespace(PREFIXES["nif"])

_KINDS = {
    "SELECT": (SH.SPARQLSelectExecutable, SH.select),
    "ASK": (SH.SPARQLAskExecutable, SH.ask),
    "CONSTRUCT": (SH.SPARQLConstructExecutable, SH.construct),
    "DESCRIBE": (SH.SPARQLDescribeExecutable, SH.describe),
}


def query_iri(name: str) -> URIRef:
    """The persistent IRI of a stored query."""
    return QUERIES[name]


def paragraph_iri(number: int) -> URIRef:
    """A paragraph (one line) of the source document: the unit stored queries say they cover."""
    return URIRef(f"{SRID}paragraph/srcr-p{number:02d}")


def runnable_text(text: str) -> str:
    """The query as a client would send it: the project prologue, no ``#+`` header lines."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#+")).strip("\n")
    return sparql_prologue() + body + "\n"


def catalogue_graph(queries: Iterable[tuple[str, str, dict[str, Any]]]) -> Graph:
    """Describe each ``(name, text, header metadata)`` as a SHACL SPARQL executable."""
    graph = Graph()
    for prefix in ("sh", "schema", "dcterms", "rdfs", "xsd", "nif", "srid"):
        graph.bind(prefix, PREFIXES[prefix], override=True, replace=True)
    graph.bind("query", str(QUERIES), override=True, replace=True)
    graph.bind("paragraph", f"{SRID}paragraph/", override=True, replace=True)
    paragraphs: set[int] = set()
    for name, text, meta in sorted(queries, key=lambda item: item[0]):
        node = query_iri(name)
        cls, text_property = _KINDS[query_form(text)]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, cls))
        graph.add((node, DCTERMS.identifier, Literal(name)))
        if meta.get("summary"):
            graph.add((node, RDFS.label, Literal(str(meta["summary"]), lang="en")))
        if meta.get("description"):
            graph.add((node, RDFS.comment, Literal(str(meta["description"]), lang="en")))
        for tag in meta.get("tags") or ():
            graph.add((node, SCHEMA.keywords, Literal(str(tag))))
        graph.add((node, text_property, Literal(runnable_text(text))))
        for number in meta.get("paragraphs") or ():
            graph.add((node, DCTERMS.source, paragraph_iri(int(number))))
            paragraphs.add(int(number))
    for number in sorted(paragraphs):
        paragraph = paragraph_iri(number)
        graph.add((paragraph, RDF.type, NIF.Paragraph))
        graph.add((paragraph, RDFS.label, Literal(f"Paragraph {number} of the source document", lang="en")))
        graph.add((paragraph, DCTERMS.isPartOf, SOURCE))
        graph.add((paragraph, SCHEMA.position, Literal(number, datatype=XSD.integer)))
    return graph


__all__ = ["QUERIES", "catalogue_graph", "paragraph_iri", "query_form", "query_iri", "runnable_text"]
