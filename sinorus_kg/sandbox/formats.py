"""Result formats: content negotiation by result kind, serialising to bytes (in the worker),
and reading the worker's bytes back into a QueryResult (for the Python API).

The kind of a result (SELECT/ASK vs a graph) is only known once the query is parsed, and only
the worker parses: so the caller sends the format it asked for (``fmt``) or its HTTP Accept
header, and the worker chooses.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sinorus_kg.engines import QueryResult
from sinorus_kg.errors import InputError
from sinorus_kg.terms import Term

MEDIA_TYPES = {
    "srj": "application/sparql-results+json",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "table": "text/plain",
    "markdown": "text/markdown",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
    "html": "text/html",
}
BY_MEDIA = {media: short for short, media in MEDIA_TYPES.items() if short not in ("table", "markdown")}
# What an HTTP client can be sent for each kind of result, the default first (an ASK answer in
# CSV/TSV is the bare ``true`` / ``false``, as the service's protocol section documents).
OFFERED = {
    "select": ("srj", "srx", "csv", "tsv", "json", "html"),
    "ask": ("srj", "srx", "csv", "tsv", "json", "html"),
    "graph": ("ttl", "nt", "jsonld", "xml", "html"),
}
# What may be asked for by name (the CLI's --format, the protocol's format=).
NAMED = {
    "select": ("srj", "srx", "csv", "tsv", "json", "table", "markdown", "html"),
    "ask": ("srj", "srx", "csv", "tsv", "json", "table", "markdown", "html"),
    "graph": ("ttl", "nt", "jsonld", "xml", "html", "table"),
}
# The Python API's Accept: the forms it reads back exactly (blank nodes and datatypes included).
NATIVE = "application/sparql-results+json, application/n-triples"
Labeller = Callable[[list[str]], dict[str, str]]


class FormatError(InputError):
    """The requested format does not fit the result: 400 for a named format, 406 for Accept."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def short_name(fmt: str) -> str:
    """``text/csv`` or ``csv`` → ``csv``; an unknown name is returned unchanged."""
    return BY_MEDIA.get(fmt.strip().lower(), fmt.strip().lower())


def weighted(header: str, limit: int = 50) -> list[str]:
    """The values of an Accept-style header (``Accept``, ``Accept-Language``), lower-cased, best first:
    by ``q`` (default 1; a malformed ``q`` counts as 0, and ``q=0`` means "not this"), then by position.
    At most ``limit`` items are read, so a hostile header costs little."""
    ranges: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")[:limit]):
        value, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, number = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if value and quality > 0:
            ranges.append((-quality, index, value.lower()))
    return [value for _, _, value in sorted(ranges)]


def negotiate(kind: str, fmt: str | None, accept: str | None) -> str:
    """The short format name for a result ``kind``: ``fmt`` wins, then the Accept header."""
    if fmt:
        short = short_name(fmt)
        if short not in NAMED[kind]:
            raise FormatError(f"format {fmt!r} does not fit a {'graph' if kind == 'graph' else kind.upper()} "
                              f"result (choose one of: {', '.join(NAMED[kind])})", 400)
        return "ttl" if short == "table" and kind == "graph" else short
    offered = OFFERED[kind]
    if not accept or not accept.strip():
        return offered[0]
    for media in weighted(accept):
        if BY_MEDIA.get(media) in offered:
            return BY_MEDIA[media]
        if media in ("*/*", "application/*"):
            return offered[0]
        if media.endswith("/*"):
            family = [s for s in offered if s != "html" and MEDIA_TYPES[s].startswith(media[:-1])]
            if family:
                return family[0]
    raise FormatError("none of the Accept types fits a "
                      f"{kind.upper()} result (offered: {', '.join(MEDIA_TYPES[s] for s in offered)})", 406)


def serialise(result: QueryResult, fmt: str, labeller: Labeller | None = None) -> bytes:
    """``result`` as bytes in the short format ``fmt`` (``html`` is a table fragment)."""
    from sinorus_kg.formatting import html_table, render

    if fmt == "html":
        return html_table(result, labeller).encode("utf-8")
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        fmt = "table"
    return render(result, fmt, labeller).encode("utf-8")


def decode(kind: str, fmt: str, body: bytes, truncated: bool = False) -> QueryResult:
    """A QueryResult from the worker's SPARQL JSON (SELECT, ASK) or N-Triples (graphs)."""
    if kind == "graph":
        if fmt != "nt":
            raise ValueError(f"cannot read a graph sent as {fmt}")
        import pyoxigraph as ox

        triples = [(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                   for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        return QueryResult("graph", triples=triples, truncated=truncated)
    if fmt != "srj":
        raise ValueError(f"cannot read a {kind} result sent as {fmt}")
    document = json.loads(body)
    if kind == "ask":
        return QueryResult("ask", boolean=bool(document["boolean"]))
    columns = list(document["head"]["vars"])
    rows = [tuple(_from_srj(binding.get(c)) for c in columns) for binding in document["results"]["bindings"]]
    return QueryResult("select", columns=columns, rows=rows, truncated=truncated)


def _from_srj(cell: dict[str, str] | None) -> Term | None:
    if cell is None:
        return None
    if cell["type"] == "uri":
        return Term.iri(cell["value"])
    if cell["type"] == "bnode":
        return Term("bnode", cell["value"])
    return Term.literal(cell["value"], cell.get("datatype"), cell.get("xml:lang"))


def _from_ox(node: object) -> Term:
    import pyoxigraph as ox

    if isinstance(node, ox.NamedNode):
        return Term.iri(node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    assert isinstance(node, ox.Literal)
    return Term.literal(node.value, node.datatype.value if node.datatype else None, node.language)


__all__ = ["MEDIA_TYPES", "NAMED", "NATIVE", "OFFERED", "FormatError", "decode", "negotiate", "serialise",
           "short_name"]
