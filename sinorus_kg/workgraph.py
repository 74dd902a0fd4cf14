"""The graph a build works on at scale: exact N-Triples lines beside an Oxigraph store.

Two views of the same asserted triples, each for what it does best:

- ``lines``: the sorted, de-duplicated N-Triples lines (bytes), every term exactly as the
  sources wrote it. The release is written from them, and derived triples join them as lines.
- ``store``: an in-memory Oxigraph Store, for SPARQL (SHACL, QC, the OWL 2 RL rules). A store
  keeps a literal's *value*: ``"05"^^xsd:integer`` reads back as ``"5"``, and
  ``xsd:positiveInteger`` or ``xsd:nonNegativeInteger`` as ``xsd:integer``. Queries that compare
  values do not mind; SHACL's ``sh:datatype``, ``sh:in``, ``sh:pattern`` and counts do, and the
  full release must repeat the asserted terms. So every triple whose object is an XSD-typed
  literal (except ``xsd:string``, which a store keeps as it is) is also in the named graph
  ``EXACT``, its datatype renamed into ``PROTECTED`` so that the store keeps it as an opaque
  typed literal; ``ILL_TYPED`` lists those whose lexical form is not valid for their datatype
  (rdflib's reading, as pySHACL's). The default graph holds the store's own reading of every
  triple, for queries written by people.

The files are parsed twice, in parallel: Python streams them through pyoxigraph's parser into
N-Triples bytes (the exact view), while the store parses the same files in Rust on another core.
The store names blank nodes afresh; the triples with blank nodes (RDF lists of the ontology,
typically) are replaced by the exact view's, so that both views name every blank node alike.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sinorus_kg.errors import InputError

__all__ = ["EXACT", "ILL_TYPED", "PROTECTED", "XSD", "WorkGraph", "unprotect"]

XSD = "http://www.w3.org/2001/XMLSchema#"
EXACT = "urn:x-sinorus:graph:exact-literals"
ILL_TYPED = "urn:x-sinorus:graph:ill-typed"
PROTECTED = "urn:x-sinorus:xsd:"
_TYPED_END = re.compile(rb'"\^\^<http://www\.w3\.org/2001/XMLSchema#([A-Za-z]+)> \.$', re.MULTILINE)
_PROTECTED_BYTES = b'"^^<' + PROTECTED.encode()
_XSD_BYTES = b'"^^<' + XSD.encode()


def unprotect(data: bytes) -> bytes:
    """N-Triples from the store with the protected datatypes of ``EXACT`` named as XSD again."""
    return data.replace(_PROTECTED_BYTES, _XSD_BYTES)


class WorkGraph:
    """The asserted graph as exact lines and as a store (see the module docstring)."""

    def __init__(self, lines: list[bytes], store: Any, data_lines: list[bytes] | None = None):
        self.lines = lines
        self.store = store
        self.data_lines = data_lines  # the data files' own lines (no ontology), when asked for

    def __len__(self) -> int:
        return len(self.lines)

    @classmethod
    def load(cls, paths: Sequence[Path], data_from: int | None = None) -> WorkGraph:
        """Parse ``paths`` (Turtle; ``.nt`` as N-Triples); syntax errors name the file and line.
        With ``data_from``, ``data_lines`` keeps the sorted lines of ``paths[data_from:]`` alone
        (the release's data-only file): two sorted runs merged, not a second parse."""
        import pyoxigraph as ox

        from sinorus_kg.loading import load_ntriples

        store = ox.Store()
        failures: list[BaseException] = []

        def fill() -> None:
            try:
                for path in paths:
                    fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
                    store.load(path=str(path), format=fmt)
            except BaseException as exc:  # the exact view reports the same error with its line
                failures.append(exc)

        loader = threading.Thread(target=fill, name="store-load", daemon=True)
        loader.start()
        data_lines: list[bytes] | None = None
        try:
            if data_from is None:
                data = load_ntriples(paths)
                lines = _sorted_lines(data)
                exact = _exact_lines(data)
                del data
            else:
                head, tail = load_ntriples(paths[:data_from]), load_ntriples(paths[data_from:])
                data_lines = _sorted_lines(tail)
                lines = _sorted_lines(head) + data_lines
                lines.sort()  # two sorted runs: a merge
                if any(map(bytes.__eq__, lines, lines[1:])):
                    lines = sorted(set(lines))
                exact = sorted(set(_exact_lines(head)) | set(_exact_lines(tail)))
                del head, tail
        finally:
            loader.join()
        if failures:
            raise InputError(f"the store could not read the sources: {failures[0]}")
        graph = cls(lines, store, data_lines)
        graph._replace_blank_nodes()
        graph._add_exact(exact)
        return graph

    @classmethod
    def from_ntriples(cls, data: bytes) -> WorkGraph:
        """A work graph of N-Triples bytes (tests, the API, small graphs)."""
        import pyoxigraph as ox

        store = ox.Store()
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
        graph = cls(_sorted_lines(data), store)
        graph._replace_blank_nodes()
        graph._add_exact(_exact_lines(data))
        return graph

    def ntriples(self) -> bytes:
        return b"\n".join(self.lines) + b"\n" if self.lines else b""

    def _replace_blank_nodes(self) -> None:
        """The store's triples with blank nodes replaced by the exact view's (same labels); each
        is found by its other terms, so that no query scans the whole store."""
        import pyoxigraph as ox

        blank = [line for line in self.lines if b"_:" in line]
        if not blank:
            return
        patterns = set()
        for quad in ox.parse(b"\n".join(blank) + b"\n", format=ox.RdfFormat.N_TRIPLES):
            s = "?s" if isinstance(quad.subject, ox.BlankNode) else str(quad.subject)
            o = "?o" if isinstance(quad.object, ox.BlankNode) else str(quad.object)
            if "?" in s + o:  # not a line that merely mentions "_:" in a literal
                where = " && ".join(f"isBlank({v})" for v in (s, o) if v.startswith("?"))
                patterns.add(f"DELETE {{ {s} {quad.predicate} {o} }} WHERE {{ {s} {quad.predicate} {o} "
                             f"FILTER({where}) }}")
        if patterns:
            self.store.update(" ;\n".join(sorted(patterns)))
        _add_lines(self.store, blank, None)

    def _add_exact(self, exact: list[bytes]) -> None:
        import pyoxigraph as ox

        _add_lines(self.store, exact, ox.NamedNode(EXACT))
        ill = _ill_typed(exact)
        if ill:
            marker = f"<{ILL_TYPED}> <{ILL_TYPED}> ".encode()
            _add_lines(self.store, [marker + literal + b" ." for literal in ill], ox.NamedNode(ILL_TYPED))


def _sorted_lines(data: bytes) -> list[bytes]:
    """The lines sorted, each once (the same triple may come from two files)."""
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    lines.sort()
    if any(map(bytes.__eq__, lines, lines[1:])):  # duplicates are rare: look before building a set
        lines = sorted(set(lines))
    return lines


def _exact_lines(data: bytes) -> list[bytes]:
    """The lines whose object is an XSD-typed literal other than xsd:string, datatype protected."""
    out: set[bytes] = set()
    for match in _TYPED_END.finditer(data):
        if match.group(1) == b"string":
            continue
        start = data.rfind(b"\n", 0, match.start()) + 1
        out.add(data[start:match.start()] + _PROTECTED_BYTES + match.group(1) + b"> .")
    return sorted(out)


def _add_lines(store: Any, lines: Iterable[bytes], graph: Any) -> None:
    """Add N-Triples lines to ``store`` (into ``graph``, or the default graph), blank-node labels kept:
    the store's parser would rename them, so lines with blank nodes go through Python quads."""
    import pyoxigraph as ox

    plain: list[bytes] = []
    blank: list[bytes] = []
    for line in lines:
        (blank if b"_:" in line else plain).append(line)
    target = graph if graph is not None else ox.DefaultGraph()
    if plain:
        store.load(b"\n".join(plain) + b"\n", format=ox.RdfFormat.N_TRIPLES, to_graph=target)
    if blank:
        parsed = ox.parse(b"\n".join(blank) + b"\n", format=ox.RdfFormat.N_TRIPLES)
        store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed)


def literal_of(line: bytes) -> bytes:
    """The object of an N-Triples line whose object is a literal (``"…"`` with any suffix)."""
    return line[line.index(b' "') + 1:-2]


def _ill_typed(exact: list[bytes]) -> list[bytes]:
    """The protected literals whose lexical form does not fit their datatype, as pySHACL reads
    them (rdflib's ``ill_typed``, and the value checks of its DatatypeConstraintComponent)."""
    import logging

    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    bad = []
    quiet = logging.getLogger("rdflib.term")  # it logs a traceback for each ill-typed literal it reads
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        for literal in sorted({literal_of(line) for line in exact}):
            term = next(iter(ox.parse(b"<urn:x> <urn:x> " + literal + b" .", format=ox.RdfFormat.N_TRIPLES))).object
            datatype = XSD + term.datatype.value[len(PROTECTED):]
            if not _fits(Literal(term.value, datatype=URIRef(datatype)), datatype):
                bad.append(literal)
    finally:
        quiet.level = level
    return bad


def _fits(value: Any, datatype: str) -> bool:
    from datetime import date, datetime, time
    from decimal import Decimal

    if getattr(value, "ill_typed", None) is True:
        return False
    expected = {"integer": int, "float": float, "decimal": Decimal, "boolean": bool, "date": date,
                "time": time, "dateTime": datetime}.get(datatype[len(XSD):])
    return expected is None or isinstance(value.value, expected)
