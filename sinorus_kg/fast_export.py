"""Deterministic serialisation on pyoxigraph: the release files whose size grows with the data.

rdflib writes 1M triples of Turtle in ~32 s and sorts them through Python objects; here
pyoxigraph writes and the ordering is done on N-Triples lines (bytes sort in C):

- blank nodes get RDFC-1.0 canonical labels (``Dataset.canonicalize``), computed on the
  triples that mention a blank node only — RDFC-1.0 hashes nothing else, so the labels
  are those of the whole graph, at a fraction of the cost;
- N-Triples: the canonical N-Triples lines of pyoxigraph, sorted and de-duplicated;
- Turtle: the sorted triples as pyoxigraph writes them with the project's prefixes (their
  declarations sorted), one blank line between subjects, four-space indents — readable and
  byte-stable; written here straight from the N-Triples lines (``turtle_from_ntriples``);
- RDF/XML: pyoxigraph, from the sorted triples;
- JSON-LD: pyoxigraph's expanded JSON-LD, compacted with the project's prefixes as the
  ``@context`` (IRIs in keys, ``@id`` and ``@type`` only; literal values untouched), every array
  sorted, indented — written here straight from the N-Triples lines (``jsonld_from_ntriples``).

The two direct writers exist for speed (no Python object per triple); ``turtle_reference`` and
``jsonld_reference`` make the same files through pyoxigraph, and the tests hold them byte-equal.

``export.serialize`` (rdflib, RDFC-like hashing in ``rdflib.compare``) stays the
reference: the tests check both give the same graph.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from typing import Any

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES

__all__ = ["FAST_FORMATS", "canonical_lines", "canonical_ntriples", "from_ntriples", "jsonld_from_ntriples",
           "jsonld_reference", "serialize_triples", "turtle_from_ntriples", "turtle_reference"]

FAST_FORMATS = ("ttl", "nt", "jsonld", "xml")
_SUBJECT_START = re.compile(rb"\n(?=[^\t\n@])")


def canonical_lines(lines: list[bytes], blank: list[bytes] | None = None) -> list[bytes]:
    """Sorted, unique N-Triples lines (``lines`` must be so already) with RDFC-1.0 blank-node labels.
    Only the lines that mention a blank node (``blank``, found here when not given) are relabelled:
    RDFC-1.0 hashes nothing else, so the labels are those of the whole graph."""
    import pyoxigraph as ox

    if blank is None:
        blank = blank_lines(lines)
    if not blank:
        return lines
    dataset = ox.Dataset(ox.parse(b"\n".join(blank) + b"\n", format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    relabelled = sorted((ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) or b"").splitlines())
    out = list(lines)
    for line in sorted(set(blank), reverse=True):  # few: delete them where they sort
        at = bisect.bisect_left(out, line)
        if at < len(out) and out[at] == line:
            del out[at]
    out += relabelled
    out.sort()  # two sorted runs: a merge
    return out


def blank_lines(lines: list[bytes]) -> list[bytes]:
    """The lines with a blank node (or "_:" in a literal: harmless), found by one search of the
    joined bytes rather than a test per line (three times faster on a million lines)."""
    data = b"\n".join(lines)
    found, at = [], data.find(b"_:")
    while at >= 0:
        start, end = data.rfind(b"\n", 0, at) + 1, data.find(b"\n", at)
        end = len(data) if end < 0 else end
        found.append(data[start:end])
        at = data.find(b"_:", end)
    return found


def canonical_ntriples(triples: Iterable[Any]) -> bytes:
    """Sorted, de-duplicated canonical N-Triples with canonical blank-node labels."""
    import pyoxigraph as ox

    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
    lines = canonical_lines(sorted({line for line in data.split(b"\n") if line}))
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
        return turtle_from_ntriples(ntriples)
    if fmt == "xml":
        used = {p: iri for p, iri in _prefixes().items() if iri.endswith(("#", "/"))}
        data = ox.serialize(ordered, format=ox.RdfFormat.RDF_XML, prefixes=used) or b""
        return data if data.endswith(b"\n") else data + b"\n"
    return jsonld_from_ntriples(ntriples)


def jsonld_from_ntriples(ntriples: bytes) -> bytes:
    """The JSON-LD file, written straight from sorted N-Triples: the bytes that pyoxigraph's expanded
    JSON-LD gives after ``_compact`` and ``json.dumps(indent=1, sort_keys=True)`` (a test holds the two
    equal), without a Python object per triple — that round trip took 28 s and 2.5 GB at a million."""
    compact = _IriCompactor()
    names: dict[bytes, bytes] = {}     # predicate -> compact name
    nodes_seen: dict[bytes, tuple[bytes, bytes]] = {}  # IRI or blank-node object -> (key, text): they recur
    nodes: list[tuple[bytes, bytes]] = []
    subject: bytes | None = None
    properties: dict[bytes, list[tuple[bytes, bytes]]] = {}

    def close() -> None:
        key = compact.node(subject)  # type: ignore[arg-type]
        body = [b'  {\n   "@id": ', key]
        for name in sorted(properties):
            values = properties[name]
            if len(values) > 1:
                values.sort()
            body.append(b',\n   "' + name + b'": [\n' + b",\n".join([text for _, text in values]) + b"\n   ]")
        nodes.append((key, b"".join(body) + b"\n  }"))

    for line in ntriples.split(b"\n"):
        if not line:
            continue
        s, predicate, obj = line.split(b" ", 2)
        if s != subject:
            if subject is not None:
                close()
            subject, properties = s, {}
        name = names.get(predicate)
        if name is None:
            name = names[predicate] = compact.iri(predicate[1:-1])
        if obj[0] == 34:  # '"': a literal
            value = _value(obj[:-2], compact)
        else:
            value = nodes_seen.get(obj)  # type: ignore[assignment]
            if value is None:
                value = nodes_seen[obj] = _value(obj[:-2], compact)
        found = properties.get(name)
        if found is None:
            properties[name] = [value]
        else:
            found.append(value)
    if subject is not None:
        close()
    nodes.sort()
    context = b",\n".join(b'  "' + p.encode() + b'": "' + ns.encode() + b'"' for p, ns in sorted(PREFIXES.items()))
    graph = b"[\n" + b",\n".join([text for _, text in nodes]) + b"\n ]" if nodes else b"[]"
    return b'{\n "@context": {\n' + context + b'\n },\n "@graph": ' + graph + b"\n}\n"


_NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_NT_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _json_string(lexical: bytes) -> bytes:
    """An N-Triples string body as a JSON string (as ``json.dumps(…, ensure_ascii=False)`` writes it)."""
    if b"\\" not in lexical:  # N-Triples escapes every character JSON would: nothing to do
        return b'"' + lexical + b'"'
    text = _NT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                          else _NT_CHARS[m.group(3)], lexical.decode("utf-8"))
    return json.dumps(text, ensure_ascii=False).encode("utf-8")


def _value(obj: bytes, compact: _IriCompactor) -> tuple[bytes, bytes]:
    """(sort key, indented text) of one object as a JSON-LD value."""
    if not obj.startswith(b'"'):
        inner = b'"@id": ' + compact.node(obj)
        return b"{" + inner + b"}", b"    {\n     " + inner + b"\n    }"
    close = obj.rindex(b'"')
    value = b'"@value": ' + _json_string(obj[1:close])
    suffix = obj[close + 1:]
    if suffix.startswith(b"@"):
        first = b'"@language": "' + suffix[1:] + b'"'
    elif suffix.startswith(b"^^"):
        first = b'"@type": ' + compact.node(suffix[2:])
    else:
        return b"{" + value + b"}", b"    {\n     " + value + b"\n    }"
    return b"{" + first + b", " + value + b"}", b"    {\n     " + first + b",\n     " + value + b"\n    }"


class _IriCompactor:
    """IRIs as the JSON-LD file names them (``_compact_iri``, cached: the same IRIs recur)."""

    def __init__(self) -> None:
        self.namespaces = sorted(((p, ns) for p, ns in PREFIXES.items() if ns.endswith(("#", "/"))),
                                 key=lambda item: -len(item[1]))
        self.names: dict[bytes, bytes] = {}

    def iri(self, iri: bytes) -> bytes:
        found = self.names.get(iri)
        if found is None:
            found = self.names[iri] = _compact_iri(iri.decode("utf-8"), self.namespaces).encode("utf-8")
        return found

    def node(self, term: bytes) -> bytes:
        """A JSON string for an N-Triples IRI (``<…>``) or blank node (``_:…``)."""
        return b'"' + (term if term.startswith(b"_:") else self.iri(term[1:-1])) + b'"'


def turtle_from_ntriples(ntriples: bytes) -> bytes:
    """The Turtle file, written straight from sorted N-Triples: the bytes pyoxigraph's Turtle
    serialiser gives after ``_turtle`` (a test holds the two equal), without a Python object per
    triple. pyoxigraph's rules: the longest matching namespace names an IRI when the local name can
    be written (escaped) as a prefixed name; ``a`` for rdf:type; booleans, integers, decimals and
    doubles bare when their lexical form is Turtle's; other literals as in N-Triples."""
    names = _TurtleNames()
    terms, predicates = names.terms, names.predicates  # N-Triples -> Turtle, one look-up per term
    out: list[bytes] = []
    subject = predicate = b""
    for line in ntriples.split(b"\n"):
        if not line:
            continue
        s, p, o = line.split(b" ", 2)
        o = o[:-2]
        obj = terms.get(o) or names.object(o)
        if s == subject:
            if p == predicate:
                out.append(b" , " + obj)
            else:
                out.append(b" ;\n    " + (predicates.get(p) or names.predicate(p)) + b" " + obj)
                predicate = p
        else:
            if subject:
                out.append(b" .\n\n")
            out.append((terms.get(s) or names.node(s)) + b" " + (predicates.get(p) or names.predicate(p)) + b" " + obj)
            subject, predicate = s, p
    body = b"".join(out)
    if not body or b'"""' in body or b"'''" in body:  # as ``_turtle`` leaves such files: ask pyoxigraph
        return turtle_reference(ntriples)
    header = sorted(f"@prefix {p}: <{ns}> .".encode() for p, ns in _prefixes().items())
    return b"\n".join(header) + b"\n\n" + body + b" .\n"


_RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_BARE = {b"http://www.w3.org/2001/XMLSchema#boolean": re.compile(rb"true|false"),
         b"http://www.w3.org/2001/XMLSchema#integer": re.compile(rb"[+-]?[0-9]+"),
         b"http://www.w3.org/2001/XMLSchema#decimal": re.compile(rb"[+-]?[0-9]*\.[0-9]+"),
         b"http://www.w3.org/2001/XMLSchema#double": re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")}
# Turtle's PN_CHARS_BASE, PN_CHARS_U and PN_CHARS (Turtle 1.1, [163s]-[166s]).
_PN_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
            "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_FIRST = re.compile(f"[{_PN_BASE}_:0-9]")
_PN_CHAR = re.compile(f"[{_PN_BASE}_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040:]")
_PN_PLAIN = re.compile(f"[{_PN_BASE}_:0-9](?:[{_PN_BASE}_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040:.]*"
                       f"[{_PN_BASE}_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040:])?")
_ESCAPABLE = set("_~.-!$&'()*+,;=/?#@%")


def _local_name(local: str) -> str | None:
    """A local name as pyoxigraph writes it in a prefixed name (``\\``-escaped), or None if it cannot."""
    if _PN_PLAIN.fullmatch(local):
        return local
    out = []
    for i, char in enumerate(local):
        if (_PN_FIRST if i == 0 else _PN_CHAR).fullmatch(char) or (char == "." and 0 < i < len(local) - 1):
            out.append(char)
        elif char in _ESCAPABLE:
            out.append("\\" + char)
        else:
            return None
    return "".join(out)


class _TurtleNames:
    """Terms as pyoxigraph's Turtle serialiser writes them (cached: the same IRIs recur)."""

    def __init__(self) -> None:
        self.namespaces = sorted(_prefixes().items(), key=lambda item: -len(item[1]))
        self.names: dict[bytes, bytes] = {}
        self.terms: dict[bytes, bytes] = {}  # N-Triples subjects and objects, filled by node()
        self.predicates: dict[bytes, bytes] = {}  # filled by predicate() (rdf:type is "a" only there)

    def iri(self, iri: bytes) -> bytes:
        found = self.names.get(iri)
        if found is None:
            text = iri.decode("utf-8")
            found = b"<" + iri + b">"
            for prefix, namespace in self.namespaces:
                if text.startswith(namespace):
                    local = _local_name(text[len(namespace):]) if len(text) > len(namespace) else ""
                    if local is not None:
                        found = f"{prefix}:{local}".encode()
                        break
            self.names[iri] = found
        return found

    def node(self, term: bytes) -> bytes:
        found = self.terms[term] = term if term.startswith(b"_:") else self.iri(term[1:-1])
        return found

    def predicate(self, term: bytes) -> bytes:
        found = self.predicates[term] = b"a" if term == _RDF_TYPE else self.iri(term[1:-1])
        return found

    def object(self, term: bytes) -> bytes:
        if not term.startswith(b'"'):
            return self.node(term)
        close = term.rindex(b'"')
        if term[close + 1:close + 3] != b"^^":
            return term
        datatype = term[close + 4:-1]
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(term, 1, close):
            return term[1:close]
        return term[:close + 3] + self.iri(datatype)


def turtle_reference(ntriples: bytes) -> bytes:
    """The Turtle file as pyoxigraph's serialiser writes it (``turtle_from_ntriples``'s reference)."""
    import pyoxigraph as ox

    triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return _turtle(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes()) or b"")


def jsonld_reference(ntriples: bytes) -> bytes:
    """The JSON-LD file through pyoxigraph's expanded JSON-LD and ``json`` (``jsonld_from_ntriples``'s
    reference)."""
    import pyoxigraph as ox

    expanded = json.loads(ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES),
                                       format=ox.RdfFormat.JSON_LD) or b"[]")
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
