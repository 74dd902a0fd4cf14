"""A remote SPARQL 1.1 endpoint as a query engine, and pushing the release to a Graph Store.

A team that outgrows one machine loads the release into a server (Oxigraph, Fuseki,
GraphDB, Virtuoso, QLever…) with the SPARQL 1.1 Graph Store Protocol (``push_release``)
and runs the same catalogue through the SPARQL 1.1 Protocol (``EndpointEngine``). Only
the standard library talks HTTP, and nothing is contacted unless the user names a URL.

Binding parameters. The protocol has no substitution API, so ``bind_values`` adds
``VALUES (?a ?b) { (term term) }`` as the first element of the query's top-level WHERE
group. This is still binding as RDF terms, not pasting user text into the query:
each value is a typed ``Term`` (checked by ``Param.bind``), written in its escaped
N-Triples form by ``Term.n3()``; IRIs, datatypes and language tags are validated first
(no ``<>"{}|^`\\``, control character or whitespace in an IRI), blank nodes are refused,
and a ``u`` after an escaped backslash is written ``\\u0075`` so that servers decoding
``\\u`` escapes before parsing read the same text. No value can end its term early, so
none can add syntax (``"} UNION { ?s ?p ?o"`` stays one literal).
Placed first in the top-level group, the VALUES row is joined with everything in that
group and seen by its FILTERs, which for the stored queries gives the same answers as
SEP-0007 substitution (rdflib ``initBindings``, Oxigraph ``substitutions``); a test
runs every stored query on a real Oxigraph server and compares. The two would differ only
where a parameter is used in a FILTER of a nested group (a UNION branch, a ``{ }`` block),
inside a sub-SELECT that does not project it, or as the only variable shared with a MINUS:
write stored queries so parameters appear in the top-level group, as they do now
(``tests/test_parameter_scope.py`` checks every stored query's parse). Embedded Oxigraph binds
the same way (``engines.OxigraphEngine``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from sinorus_kg.binding import _check_iri, _is_iri, bind_values, values_block
from sinorus_kg.engines import RDFS_LABEL, QueryResult, _truncate
from sinorus_kg.errors import InputError
from sinorus_kg.safety import query_form
from sinorus_kg.terms import Term

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
TURTLE = "text/turtle"
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_LABEL_BATCH = 200


class EndpointEngine:
    """Runs queries on a SPARQL 1.1 Protocol endpoint (POST ``application/sparql-query``)."""

    name = "endpoint"

    def __init__(self, query_url: str, timeout: float = 30.0):
        self.query_url = _http_url(query_url)
        self.timeout = timeout

    def run(self, sparql: str, bindings: dict[str, Term] | None = None,
            max_rows: int | None = None) -> QueryResult:
        text = bind_values(sparql, bindings)
        graph = query_form(text) in ("CONSTRUCT", "DESCRIBE")
        accept = f"{N_TRIPLES}, {TURTLE};q=0.5" if graph else RESULTS_JSON
        content_type, body = _request(self.query_url, "POST", text.encode("utf-8"),
                                      {"Content-Type": "application/sparql-query", "Accept": accept},
                                      self.timeout)
        if content_type in (N_TRIPLES, TURTLE) or (graph and content_type != RESULTS_JSON):
            triples, truncated = _truncate(_parse_triples(body, content_type, self.query_url), max_rows)
            return QueryResult("graph", triples=triples, truncated=truncated)
        return _parse_results(body, self.query_url, max_rows)

    def labels(self, iris: Iterable[str], lang: str = "en") -> dict[str, str]:
        if not _LANG.fullmatch(lang):
            raise InputError(f"not a valid language tag: {lang!r}")
        wanted = sorted({iri for iri in iris if _is_iri(iri)})
        out: dict[str, str] = {}
        for start in range(0, len(wanted), _LABEL_BATCH):
            values = " ".join(f"<{iri}>" for iri in wanted[start:start + _LABEL_BATCH])
            result = self.run(
                f"SELECT ?s ?label WHERE {{ VALUES ?s {{ {values} }} ?s <{RDFS_LABEL}> ?label "
                f'FILTER(isLiteral(?label) && LCASE(LANG(?label)) IN ("", "{lang.lower()}")) }} '
                "ORDER BY ?s DESC(LANG(?label)) ?label")
            for subject, label in result.rows:
                if subject is not None and label is not None and subject.value not in out:
                    out[subject.value] = label.value
        return out


def default_query_url(store_url: str) -> str | None:
    """The query service beside a Graph Store: Oxigraph ``…/store`` and Fuseki ``…/data`` → ``…/query``."""
    parts = urlsplit(store_url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in ("store", "data"):
        return None
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/query", "", ""))


@dataclass(frozen=True)
class PushResult:
    store_url: str
    files: list[Path]
    bytes: int
    triples: int | None  # in the default graph (the data), counted on the query service afterwards
    named: dict[str, int] = field(default_factory=dict)  # triples per named graph pushed (the catalogue)


def push_release(store_url: str, files: Sequence[Path | tuple[Path, str | None]] | None = None,
                 query_url: str | None = None, timeout: float = 120.0) -> PushResult:
    """Replace the store's graphs with the release: the data into the default graph (``?default``),
    the catalogue into its named graph (``?graph=``). The first file of a graph is PUT (replacing
    the graph), the others POSTed.

    Separate requests keep each file a document of its own, so blank-node labels never
    merge across files. The triples are counted afterwards on ``query_url`` (by default
    the ``…/query`` service beside an Oxigraph or Fuseki store).
    """
    from sinorus_kg.engines import release_graphs

    chosen = [item if isinstance(item, tuple) else (item, None) for item in files] if files is not None \
        else release_graphs()
    target = _http_url(store_url)
    joiner = "&" if urlsplit(target).query else "?"
    sent = 0
    started: set[str | None] = set()
    for path, graph in chosen:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        url = target + joiner + ("default" if graph is None else urlencode({"graph": graph}))
        _request(url, "POST" if graph in started else "PUT", data, {"Content-Type": TURTLE}, timeout)
        started.add(graph)
        sent += len(data)
    counter = query_url or default_query_url(target)
    triples = None
    named: dict[str, int] = {}
    if counter:
        engine = EndpointEngine(counter, timeout)
        triples = _count(engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        for graph in sorted(g for g in started if g is not None):
            count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_checked_graph(graph)}> {{ ?s ?p ?o }} }}"
            found = _count(engine.run(count))
            if found is not None:
                named[graph] = found
    return PushResult(target, [path for path, _ in chosen], sent, triples, named)


def _count(result: QueryResult) -> int | None:
    count = result.rows[0][0] if result.rows else None
    return int(count.value) if count is not None else None


def _checked_graph(iri: str) -> str:
    _check_iri(iri)
    return iri


def _http_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"not an http(s) URL: {url!r} (e.g. http://127.0.0.1:7878/query)")
    return url.strip()


def _request(url: str, method: str, data: bytes, headers: dict[str, str], timeout: float) -> tuple[str, bytes]:
    """Send one request; the answer's media type and body, or an InputError that says why not."""
    import urllib.error  # here: urllib.request costs a cold query on the store ~30 ms
    import urllib.request

    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
            content_type = response.headers.get_content_type()
            return content_type, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            message = exc.read().decode("utf-8", "replace").strip()
        raise InputError(f"the SPARQL endpoint at {url} answered {exc.code} {exc.reason}: "
                         f"{message[:2000] or '(no message)'}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        raise InputError(f"cannot reach the SPARQL endpoint at {url}: {reason}") from None


def _parse_results(body: bytes, url: str, max_rows: int | None) -> QueryResult:
    try:
        document = json.loads(body)
        if "boolean" in document:
            return QueryResult("ask", boolean=bool(document["boolean"]))
        columns = [str(v) for v in document["head"].get("vars", [])]
        solutions = document["results"]["bindings"]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"the SPARQL endpoint at {url} sent results that are not SPARQL JSON: {exc}") from None
    rows, truncated = _truncate(
        (tuple(_json_term(s.get(c)) for c in columns) for s in solutions), max_rows)
    return QueryResult("select", columns=columns, rows=rows, truncated=truncated)


def _json_term(node: dict[str, Any] | None) -> Term | None:
    if node is None:
        return None
    kind, value = node.get("type"), str(node.get("value", ""))
    if kind == "uri":
        return Term.iri(value)
    if kind == "bnode":
        return Term("bnode", value)
    if kind in ("literal", "typed-literal"):  # typed-literal: the SPARQL 1.0 form some servers still send
        return Term.literal(value, node.get("datatype"), node.get("xml:lang"))
    raise InputError(f"unsupported term type in SPARQL results: {kind!r}")


def _parse_triples(body: bytes, content_type: str, url: str) -> Iterable[tuple[Term, Term, Term]]:
    import pyoxigraph as ox

    from sinorus_kg.engines import _from_ox

    fmt = ox.RdfFormat.TURTLE if content_type == TURTLE else ox.RdfFormat.N_TRIPLES
    try:
        quads = list(ox.parse(body, format=fmt))
    except SyntaxError as exc:
        raise InputError(f"the SPARQL endpoint at {url} sent RDF that does not parse: {exc}") from None
    return [(_node(_from_ox(q.subject)), _node(_from_ox(q.predicate)), _node(_from_ox(q.object))) for q in quads]


def _node(term: Term | None) -> Term:
    assert term is not None  # a triple's terms are always bound
    return term


__all__ = ["EndpointEngine", "PushResult", "bind_values", "default_query_url", "push_release", "query_form",
           "values_block"]
