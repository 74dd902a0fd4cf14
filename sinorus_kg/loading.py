"""Loading the sources (ontology + data), with errors a person can act on.

``load_sources`` gives an rdflib graph (the reference data model, for pySHACL, HermiT and the
tests); ``load_triples`` parses the same files with pyoxigraph, ~20× faster, for the build
pipeline at scale. Both refuse a relative IRI (no base IRI is given) and dereference nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import Graph

from sinorus_kg import resources
from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES


def new_graph() -> Graph:
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; a syntax error becomes an InputError naming the file and line.
    The file is checked first (``source_check``): relative or malformed IRIs, ``owl:imports``
    and ``file:`` IRIs are refused, so no loader ever dereferences anything."""
    from sinorus_kg.source_check import check_turtle

    check_turtle(path)
    graph = into if into is not None else new_graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several types (BadSyntax, ParserError, ValueError…)
        raise InputError(f"{path}: {_describe_syntax_error(exc)}") from exc
    return graph


def _describe_syntax_error(exc: Exception) -> str:
    lines = getattr(exc, "lines", None)
    message = getattr(exc, "message", None) or str(exc)
    if lines is not None:  # rdflib.plugins.parsers.notation3.BadSyntax counts lines from 0
        return f"line {lines + 1}: Turtle syntax error: {_bad_syntax(exc) or message}"
    return f"Turtle syntax error: {message}"


def _bad_syntax(exc: Exception) -> str | None:
    """rdflib's BadSyntax as text, its context decoded (its own ``str`` shows UTF-8 as ``b'\\xe4…'``)."""
    why, data, at = getattr(exc, "_why", None), getattr(exc, "_str", None), getattr(exc, "_i", None)
    if not isinstance(why, str) or not isinstance(data, bytes) or not isinstance(at, int):
        return None
    text = data.decode("utf-8", "replace")  # rdflib's position counts characters, not bytes
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    line = text[start: end if end >= 0 else len(text)]
    return f"{why}\n  {line}\n  {' ' * (at - start)}^"


def load_sources(
    ontology: Iterable[Path] | None = None, data: Iterable[Path] | None = None
) -> Graph:
    """The asserted graph: ontology files then data files (defaults: the project's own)."""
    graph = new_graph()
    for path in list(ontology if ontology is not None else resources.ontology_files()) + list(
        data if data is not None else resources.data_files()
    ):
        parse_turtle(path, graph)
    return graph


def load_triples(paths: Iterable[Path]) -> list[Any]:
    """pyoxigraph Triples of the files (``.nt`` as N-Triples, anything else as Turtle), in file order;
    a syntax error is an InputError naming the file and line. Turtle sources pass the same
    check as ``parse_turtle`` (``source_check``: no ``owl:imports``, ``file:`` or relative IRIs)."""
    from sinorus_kg.source_check import check_turtle

    out: list[Any] = []
    for path in paths:
        if path.suffix != ".nt":
            check_turtle(path)
        out.extend(_parsed(path))
    return out


def load_ntriples(paths: Iterable[Path]) -> bytes:
    """The files' triples as N-Triples bytes, every term exactly as written (no value is normalised),
    one line per triple, in file order; errors and refusals as ``load_triples``.

    For graphs too large for a Python object per triple: pyoxigraph's parser feeds its serialiser,
    and nothing is kept but the bytes (a million triples in about 2 s). ``source_check`` runs on a
    file only when its bytes show something to refuse (a search of the bytes instead of a second
    parse), so the messages are the same and a clean million triples pays nothing for them."""
    import pyoxigraph as ox

    parts = []
    for path in paths:
        data = ox.serialize(_parsed(path), format=ox.RdfFormat.N_TRIPLES) or b""
        _refuse(path, data)
        parts.append(data)
    return b"".join(parts)


def _parsed(path: Path) -> Iterator[Any]:
    """The quads of one file, its syntax errors raised as InputError with file and line."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
    try:
        yield from ox.parse(path=str(path), format=fmt)
    except SyntaxError as exc:
        if fmt == ox.RdfFormat.TURTLE:  # source_check's message (e.g. for a relative IRI), if it has one
            from sinorus_kg.source_check import check_turtle

            check_turtle(path)
        where = f"line {exc.lineno}: " if exc.lineno else ""
        kind = "N-Triples" if fmt == ox.RdfFormat.N_TRIPLES else "Turtle"
        raise InputError(f"{path}: {where}{kind} syntax error: {exc.msg}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None


_REFUSED = re.compile(rb"<(?:http://www\.w3\.org/2002/07/owl#imports>|[fF][iI][lL][eE]:)")


def _refuse(path: Path, ntriples: bytes) -> None:
    """``source_check``'s refusals (``owl:imports``, ``file:`` IRIs), for the N-Triples of ``path``."""
    import pyoxigraph as ox

    from sinorus_kg.source_check import OWL_IMPORTS, check_turtle

    for match in _REFUSED.finditer(ntriples):
        if path.suffix != ".nt":
            check_turtle(path)  # raises, naming the line, unless the match was inside a literal
            return
        start = ntriples.rfind(b"\n", 0, match.start()) + 1
        line = ntriples[start:ntriples.find(b"\n", match.start())]
        quad = next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)))
        iris = [t.value for t in (quad.subject, quad.predicate, quad.object) if isinstance(t, ox.NamedNode)]
        if quad.predicate.value == OWL_IMPORTS or any(iri[:5].lower() == "file:" for iri in iris):
            raise InputError(f"{path}: refused: {line.decode('utf-8', 'replace')[:200]} — sources are loaded "
                             "offline and never dereferenced (no owl:imports, no file: IRIs)")


def source_files(ontology: Iterable[Path] | None = None, data: Iterable[Path] | None = None) -> list[Path]:
    """The ontology files then the data files (defaults: the project's own), as ``load_sources`` reads them."""
    return list(ontology if ontology is not None else resources.ontology_files()) + list(
        data if data is not None else resources.data_files())
