"""Deterministic, atomic serialisation: same graph, same bytes, whatever PYTHONHASHSEED.

Blank nodes are relabelled canonically (RDFC-like hashing in ``rdflib.compare``) and
triples are fed to the serialisers in sorted order; files are written to a temporary
name in the target folder and renamed (``atomic_write``), so a crash never leaves a torn file.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
EXTENSIONS = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "xml": ".rdf"}


def canonical(graph: Graph) -> Graph:
    """A copy with canonical blank-node labels and the project prefixes, filled in sorted order."""
    from rdflib.compare import to_canonical_graph

    canon = to_canonical_graph(graph)
    out = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True, replace=True)
    for triple in sorted(canon, key=lambda t: tuple(term.n3() for term in t)):
        out.add(triple)
    return out


def serialize(graph: Graph, fmt: str) -> bytes:
    """The bytes of ``graph`` in ``fmt`` (ttl, nt, jsonld, xml), identical across runs."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (choose one of: {', '.join(FORMATS)})")
    canon = canonical(graph)
    if fmt == "nt":
        lines = sorted(set(canon.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()))
        return ("\n".join(line for line in lines if line.strip()) + "\n").encode("utf-8")
    if fmt == "jsonld":
        context = {p: iri for p, iri in PREFIXES.items()}
        doc = json.loads(canon.serialize(format="json-ld", context=context, encoding="utf-8"))
        return (json.dumps(_sorted_jsonld(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    if fmt == "xml":  # rdflib's RDF/XML order follows hashing; Oxigraph writes in input order
        return _rdfxml(serialize(graph, "nt"))
    data = canon.serialize(format=FORMATS[fmt], encoding="utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


def _rdfxml(ntriples: bytes) -> bytes:
    import pyoxigraph as ox

    triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    used = {p: iri for p, iri in PREFIXES.items() if iri.endswith(("#", "/"))}
    data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=used)
    assert data is not None
    return data if data.endswith(b"\n") else data + b"\n"


def _sorted_jsonld(node: object) -> object:
    """JSON-LD with every unordered array in a stable order (the serialiser's order follows
    hashing); an ``@list`` is an RDF list, whose order is meaning, and is left as it is."""
    if isinstance(node, dict):
        return {k: [_sorted_jsonld(item) for item in value] if k == "@list" and isinstance(value, list)
                else _sorted_jsonld(value) for k, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (``atomic_write.write_file``: temp file named by PID, rename)."""
    from sinorus_kg.atomic_write import write_file

    write_file(path, data)
