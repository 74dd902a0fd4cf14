"""Triples (engine-neutral Terms) as Turtle, N-Triples, JSON-LD or RDF/XML bytes, deterministic."""

from __future__ import annotations

from sinorus_kg.engines import to_ox
from sinorus_kg.namespaces import PREFIXES
from sinorus_kg.terms import Term

_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "xml": "RDF_XML"}


def serialize(triples: list[tuple[Term, Term, Term]], fmt: str) -> bytes:
    """``triples`` in ``fmt`` (ttl, nt, jsonld, xml), sorted so the same triples give the same bytes."""
    import pyoxigraph as ox

    ordered = sorted(set(triples), key=lambda t: tuple(x.n3() for x in t))
    graph = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in ordered]
    rdf_format = getattr(ox.RdfFormat, _FORMATS[fmt])
    prefixes = dict(PREFIXES) if fmt in ("ttl", "xml") else None
    return ox.serialize(graph, format=rdf_format, prefixes=prefixes) or b""
