"""Loaders never dereference: a source file is checked before any library reads it.

rdflib resolves a relative IRI against the file's own path (``<relative-thing>`` became
``file:///…/data/relative-thing``, putting the builder's path in the release), accepts IRIs
such as ``<http://exa mple/x>`` that break every serialiser, and owlready2 (hence HermiT)
follows ``owl:imports`` over HTTP and into ``file:`` IRIs. So every Turtle source is first
read by pyoxigraph's strict parser *without a base IRI* — a relative or malformed IRI is then
a syntax error with its line — and refused when it declares ``owl:imports`` or names a
``file:`` IRI. Nothing here opens a URL: the check only reads the file's bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

from sinorus_kg.errors import InputError

OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"


def check_turtle(path: Path, data: bytes | None = None) -> None:
    """InputError naming ``path`` and the line, if the file is not strict, absolute-IRI Turtle,
    or if it declares ``owl:imports`` or names a ``file:`` IRI."""
    import pyoxigraph as ox

    raw = path.read_bytes() if data is None else data
    parser = ox.parse(raw, format=ox.RdfFormat.TURTLE)
    try:
        for quad in parser:
            if quad.predicate.value == OWL_IMPORTS:
                line = _line_of(raw, OWL_IMPORTS, parser.prefixes)
                raise InputError(f"{path}: line {line}: owl:imports <{_value(quad.object)}> is refused: sources are "
                                 "loaded offline and never dereferenced (declare the terms you use instead)")
            for term in (quad.subject, quad.predicate, quad.object):
                value = _value(term)
                if isinstance(term, ox.NamedNode) and value[:5].lower() == "file:":
                    line = _line_of(raw, value, parser.prefixes)
                    raise InputError(f"{path}: line {line}: the IRI <{value}> is refused: a file: IRI names a file "
                                     "on the machine that builds the release, not a resource")
    except SyntaxError as exc:
        message = str(exc)
        if "No scheme found" in message:
            message += " — relative IRIs are refused: a loader would resolve them against the file's own path"
        where = getattr(exc, "lineno", None) or "?"
        raise InputError(f"{path}: line {where}: Turtle syntax error: {message}") from None


def _value(term: object) -> str:
    return str(getattr(term, "value", term))


def _line_of(raw: bytes, iri: str, prefixes: dict[str, str]) -> int:
    """The first line that writes ``iri``, in full or as a prefixed name (1 if none is found)."""
    text = raw.decode("utf-8", "replace")
    forms = [re.escape(f"<{iri}>")]
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            forms.append(r"(?<![\w:-])" + re.escape(f"{prefix}:{iri[len(namespace):]}") + r"(?![\w-])")
    match = re.search("|".join(forms), text)
    if match is None and "file:" in iri.lower():
        match = re.search(r"file:", text, re.IGNORECASE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


__all__ = ["OWL_IMPORTS", "check_turtle"]
