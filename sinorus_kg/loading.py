"""Loading the sources (ontology + data), with errors a person can act on.

``load_sources`` gives an rdflib graph (the reference data model, for pySHACL, HermiT and the
tests); ``load_triples`` parses the same files with pyoxigraph, ~20× faster, for the build
pipeline at scale. Both refuse a relative IRI (no base IRI is given) and dereference nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    import pyoxigraph as ox

    from sinorus_kg.source_check import check_turtle

    out: list[Any] = []
    for path in paths:
        fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
        try:
            if fmt == ox.RdfFormat.TURTLE:
                check_turtle(path)
            out.extend(ox.parse(path=str(path), format=fmt))
        except SyntaxError as exc:
            where = f"line {exc.lineno}: " if exc.lineno else ""
            kind = "N-Triples" if fmt == ox.RdfFormat.N_TRIPLES else "Turtle"
            raise InputError(f"{path}: {where}{kind} syntax error: {exc.msg}") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    return out


def source_files(ontology: Iterable[Path] | None = None, data: Iterable[Path] | None = None) -> list[Path]:
    """The ontology files then the data files (defaults: the project's own), as ``load_sources`` reads them."""
    return list(ontology if ontology is not None else resources.ontology_files()) + list(
        data if data is not None else resources.data_files())
