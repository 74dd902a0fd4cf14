"""Deterministic serialisation on pyoxigraph: the release files whose size grows with the data.

rdflib writes 1M triples of Turtle in ~32 s and sorts them through Python objects; here
pyoxigraph writes and the ordering is done on N-Triples lines (bytes sort in C):

- blank nodes get RDFC-1.0 canonical labels (``Dataset.canonicalize``), computed on the
  triples that mention a blank node only — RDFC-1.0 hashes nothing else, so the labels
  are those of the whole graph, at a fraction of the cost;
- N-Triples: the canonical N-Triples lines of pyoxigraph, sorted and de-duplicated;
- Turtle: the sorted triples re-read and written by pyoxigraph with the project's prefixes
  (their declarations sorted: pyoxigraph's order is its hash map's), one blank line
  between subjects, four-space indents — readable and byte-stable;
- RDF/XML: pyoxigraph, from the sorted triples;
- JSON-LD: pyoxigraph's expanded JSON-LD, compacted here with the project's prefixes as
  the ``@context`` (IRIs in keys, ``@id`` and ``@type`` only; literal values untouched),
  every array sorted, indented.

``export.serialize`` (rdflib, RDFC-like hashing in ``rdflib.compare``) stays the
reference: the tests check both give the same graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES

__all__ = ["FAST_FORMATS", "canonical_ntriples", "serialize_triples"]

FAST_FORMATS = ("ttl", "nt", "jsonld", "xml")
_SUBJECT_START = re.compile(rb"\n(?=[^\t\n@])")


def _canonical(triples: list[Any]) -> list[Any]:
    import pyoxigraph as ox

    def blank(t: Any) -> bool:
        return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)

    with_blanks = [t for t in triples if blank(t)]
    if not with_blanks:
        return triples
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in with_blanks)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [t for t in triples if not blank(t)] + [ox.Triple(q.subject, q.predicate, q.object) for q in dataset]


def canonical_ntriples(triples: Iterable[Any]) -> bytes:
    """Sorted, de-duplicated canonical N-Triples with canonical blank-node labels."""
    import pyoxigraph as ox

    data = ox.serialize(_canonical(list(triples)), format=ox.RdfFormat.N_TRIPLES) or b""
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""


def serialize_triples(triples: Iterable[Any], fmt: str) -> bytes:
    """The bytes of ``triples`` (pyoxigraph Triples or Quads of the default graph) in ``fmt``."""
    if fmt not in FAST_FORMATS:
        raise InputError(f"unknown export format {fmt!r} (choose one of: {', '.join(FAST_FORMATS)})")
    return from_ntriples(canonical_ntriples(triples), fmt)


def from_ntriples(ntriples: bytes, fmt: str) -> bytes:
    """Another format from sorted canonical N-Triples (so that each file is sorted once)."""
    import pyoxigraph as ox

    if fmt == "nt":
        return ntriples
    ordered = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "ttl":
        return _turtle(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=_prefixes()) or b"")
    if fmt == "xml":
        used = {p: iri for p, iri in _prefixes().items() if iri.endswith(("#", "/"))}
        data = ox.serialize(ordered, format=ox.RdfFormat.RDF_XML, prefixes=used) or b""
        return data if data.endswith(b"\n") else data + b"\n"
    expanded = json.loads(ox.serialize(ordered, format=ox.RdfFormat.JSON_LD) or b"[]")
    return (json.dumps(_compact(expanded), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def _prefixes() -> dict[str, str]:
    # srid: is a prefix of every per-kind prefix; the longest match is what a reader expects.
    return dict(PREFIXES)


def _turtle(data: bytes) -> bytes:
    header, _, body = data.partition(b"\n\n") if data.startswith(b"@prefix") else (b"", b"", data)
    if not body and header and not header.rstrip().endswith(b"."):  # no blank line after the prefixes
        header, body = b"", data
    lines = header.splitlines()
    prefix_lines = [line for line in lines if line.startswith(b"@prefix")]
    rest = b"\n".join(line for line in lines if not line.startswith(b"@prefix"))
    body = (rest + b"\n" + body) if rest else body
    if b'"""' not in body and b"'''" not in body:  # single-line literals only: lines are statements
        body = _SUBJECT_START.sub(b"\n\n", body.strip(b"\n")).replace(b"\n\t", b"\n    ")
    out = b"\n".join(sorted(prefix_lines)) + b"\n\n" + body.strip(b"\n") + b"\n"
    return out


_KEYWORD_KEYS = {"@id", "@type"}


def _compact_iri(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for prefix, ns in namespaces:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local and not local.startswith("//") and ":" not in local[:1]:
                return f"{prefix}:{local}"
    return iri


def _compact(expanded: Any) -> dict[str, Any]:
    """Expanded JSON-LD (a list of node objects) as ``{"@context", "@graph"}`` with prefixed names."""
    namespaces = sorted(((p, ns) for p, ns in PREFIXES.items() if ns.endswith(("#", "/"))),
                        key=lambda item: -len(item[1]))

    def walk(node: Any, key: str | None = None) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for k, v in node.items():
                name = k if k.startswith("@") else _compact_iri(k, namespaces)
                if k in _KEYWORD_KEYS and isinstance(v, str):
                    out[name] = v if v.startswith("_:") else _compact_iri(v, namespaces)
                elif k == "@type" and isinstance(v, list):
                    out[name] = [_compact_iri(t, namespaces) for t in v]
                elif k == "@value":
                    out[name] = v
                else:
                    out[name] = walk(v, k)
            return out
        if isinstance(node, list):
            items = [walk(v, key) for v in node]
            if key == "@list":  # an RDF list: its order is its meaning
                return items
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return node

    graph = walk(expanded if isinstance(expanded, list) else expanded.get("@graph", [expanded]))
    return {"@context": {p: ns for p, ns in sorted(PREFIXES.items())}, "@graph": graph}
