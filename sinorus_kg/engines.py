"""Query engines behind one interface: rdflib (the reference), embedded Oxigraph (fast),
and any SPARQL 1.1 endpoint (``sinorus_kg.remote``).

All return a QueryResult of engine-neutral Terms, so answers compare and print alike.
Parameters arrive as Terms and are bound as terms (rdflib ``initBindings``; on Oxigraph and
on an endpoint, a VALUES row of validated, escaped terms): a user's text is never pasted
into query text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence

from sinorus_kg import resources
from sinorus_kg.errors import InputError
from sinorus_kg.terms import Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from rdflib import Graph

    from sinorus_kg.engine_protocol import Engine as Engine

ENGINES = ("oxigraph", "rdflib", "endpoint")
DEFAULT_ENGINE = "oxigraph"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# The stored-query catalogue lives in this named graph, apart from the data in the default graph,
# so that a generic `?x rdfs:label ?l` over the data never meets a query description.
CATALOGUE_GRAPH = "https://w3id.org/sinorus/catalogue"
GraphFile = tuple["Path", "str | None"]  # a Turtle file and the named graph it is loaded into (None: default)


class QueryResult:
    """A query's answer: ``kind`` "select" (``columns``, ``rows``), "ask" (``boolean``) or "graph"
    (``triples``); ``truncated`` when the row cap cut it. Compared by value. A plain class, not a
    dataclass, for the same reason as ``Term``: a cold query does not import ``dataclasses``."""

    kind: str  # "select", "ask" or "graph"
    columns: list[str]
    rows: list[tuple[Term | None, ...]]
    boolean: bool | None
    triples: list[tuple[Term, Term, Term]]
    truncated: bool

    def __init__(self, kind: str, columns: list[str] | None = None, rows: list[tuple[Term | None, ...]] | None = None,
                 boolean: bool | None = None, triples: list[tuple[Term, Term, Term]] | None = None,
                 truncated: bool = False) -> None:
        self.kind = kind
        self.columns = [] if columns is None else columns
        self.rows = [] if rows is None else rows
        self.boolean = boolean
        self.triples = [] if triples is None else triples
        self.truncated = truncated

    def _fields(self) -> tuple[object, ...]:
        return (self.kind, self.columns, self.rows, self.boolean, self.triples, self.truncated)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable: compared by value, not hashable

    def __repr__(self) -> str:
        return (f"QueryResult(kind={self.kind!r}, columns={self.columns!r}, rows={self.rows!r}, "
                f"boolean={self.boolean!r}, triples={self.triples!r}, truncated={self.truncated!r})")

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of typed Python values (None for unbound); an ASK or CONSTRUCT result has no
        rows, and asking for them is an InputError saying where its answer is (not a silent ``[]``)."""
        if self.kind == "ask":
            raise InputError("an ASK query answers true or false, not rows: read the result's .boolean")
        if self.kind == "graph":
            raise InputError("a CONSTRUCT or DESCRIBE query answers a graph, not rows: read the result's .triples")
        return [{c: (v.to_python() if v is not None else None) for c, v in zip(self.columns, row, strict=True)}
                for row in self.rows]


def __getattr__(name: str) -> object:
    """``Engine``, the engines' Protocol, from its own module: ``typing`` is imported only by code
    that refers to it at run time, not by a cold query."""
    if name == "Engine":
        from sinorus_kg.engine_protocol import Engine

        return Engine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _release_locations() -> list[tuple[str, str | None]]:
    """``release_graphs`` with the files as strings (a cold query does not import ``pathlib``)."""
    folder = resources.release_location()
    graphs: list[tuple[str, str | None]] = [(os.path.join(folder, "sinorus-full.ttl"), None),
                                            (os.path.join(folder, "catalogue.ttl"), CATALOGUE_GRAPH)]
    missing = [path for path, _ in graphs if not os.path.exists(path)]
    if missing:
        raise InputError(f"the release is missing ({', '.join(missing)}): run `sinorus-kg build` first")
    return graphs


def release_graphs() -> list[GraphFile]:
    """What the query engines load: the full release into the default graph, the catalogue
    description into its own named graph (``CATALOGUE_GRAPH``)."""
    from pathlib import Path

    return [(Path(path), graph) for path, graph in _release_locations()]


def release_files() -> list[Path]:
    """The files of ``release_graphs``, in the same order."""
    return [path for path, _ in release_graphs()]


def with_catalogue(data: Graph, catalogue: Graph) -> Graph:
    """A Dataset (no union default graph) of ``data`` in the default graph and ``catalogue`` in
    ``CATALOGUE_GRAPH``: what the engines load from the release, built in memory."""
    from rdflib import Dataset, URIRef

    dataset = Dataset(default_union=False)
    for prefix, namespace in data.namespaces():
        dataset.bind(prefix, namespace, override=True, replace=True)
    for triple in data:
        dataset.default_graph.add(triple)
    named = dataset.graph(URIRef(CATALOGUE_GRAPH))
    for triple in catalogue:
        named.add(triple)
    return dataset


def _graph_files(files: Sequence[Path | GraphFile]) -> list[GraphFile]:
    """Files with their target graph: a bare path goes to the default graph."""
    return [item if isinstance(item, tuple) else (item, None) for item in files]


class ResultTooLarge(InputError):
    """The rows read so far already hold more than the result-size cap allows."""


def open_release(name: str = DEFAULT_ENGINE, store: str = "disk") -> Engine:
    """The built release on a local engine: the one place that decides how it is opened, for the
    process that asks and for the query workers alike. On Oxigraph, ``store="disk"`` is a read-only
    on-disk store reused across processes (``store``: a cold process opens it in milliseconds);
    ``store="memory"`` loads the release files into an in-memory store with the same graphs (a
    long-lived worker: seconds at a million triples, once; queries reading many rows 2-5x faster,
    ``store_choice``). The rdflib engine always parses the release into memory."""
    if store not in ("disk", "memory"):
        raise InputError(f"unknown release store {store!r} (choose memory or disk)")
    if name == "oxigraph":
        if store == "memory":
            return OxigraphEngine.from_files(release_graphs())
        from sinorus_kg.store import open_release_store

        return OxigraphEngine(open_release_store(_release_locations(),
                                                 os.path.join(resources.release_location(), "SHA256SUMS")))
    if name == "rdflib":
        return RdflibEngine.from_files(release_graphs())
    raise InputError(f"unknown local engine {name!r} (choose oxigraph or rdflib)")


def open_engine(name: str = DEFAULT_ENGINE, graph: Graph | None = None,
                files: Sequence[Path | GraphFile] | None = None, endpoint: str | None = None,
                store: str = "disk") -> Engine:
    """An engine over ``graph`` (an rdflib graph, or a ``Dataset`` whose named graphs are kept) or
    ``files`` (Turtle, each path alone or with the named graph it goes into), by default the built
    release; or, for ``"endpoint"``, the SPARQL 1.1 query service at the URL ``endpoint``.

    This is the one place the query paths (CLI ``query``/``sparql``, ``serve``, the Python API)
    open an engine; on Oxigraph the release is a read-only on-disk store reused across processes, or
    with ``store="memory"`` loaded into memory (``open_release``)."""
    if name not in ENGINES:
        raise InputError(f"unknown engine {name!r} (choose one of: {', '.join(ENGINES)})")
    if name == "endpoint" or endpoint is not None:
        if name != "endpoint" or not endpoint or graph is not None or files is not None:
            raise InputError("the endpoint engine takes a query URL and nothing else "
                             "(e.g. --endpoint http://127.0.0.1:7878/query)")
        from sinorus_kg.remote import EndpointEngine

        return EndpointEngine(endpoint)
    if graph is None and files is None:
        return open_release(name, store)
    if name == "oxigraph":
        return OxigraphEngine.from_graph(graph) if graph is not None else OxigraphEngine.from_files(files or [])
    return RdflibEngine(graph) if graph is not None else RdflibEngine.from_files(files or [])


def _truncate(rows: Iterable[Any], max_rows: int | None, max_bytes: int | None = None) -> tuple[list[Any], bool]:
    """The first ``max_rows`` rows and whether more were left; ResultTooLarge as soon as the
    terms read hold more than ``max_bytes`` characters (before any of it is serialised)."""
    out: list[Any] = []
    size = 0
    for row in rows:
        if max_rows is not None and len(out) >= max_rows:
            return out, True
        if max_bytes is not None:
            size += sum(len(t.value) + 8 for t in row if t is not None)
            if size > max_bytes:
                raise ResultTooLarge(f"the result is larger than the {max_bytes}-byte cap")
        out.append(row)
    return out, False


class OxigraphEngine:
    """Embedded Oxigraph. Parameters are bound as a VALUES row of validated, escaped terms first in
    the WHERE group (as on an endpoint, ``binding.bind_values``): pyoxigraph's ``substitutions``
    do not narrow the search, and a VALUES row was 26–242× faster at a million triples on
    queries such as ``events-at-place``. ``binding="substitutions"`` keeps the old way (benchmarks)."""

    name = "oxigraph"

    def __init__(self, store: Any, binding: str = "values"):
        self.store = store
        self.binding = binding

    @classmethod
    def from_files(cls, files: Sequence[Path | GraphFile]) -> OxigraphEngine:
        import pyoxigraph as ox

        store = ox.Store()
        for path, name in _graph_files(files):
            try:
                store.load(path=str(path), format=ox.RdfFormat.TURTLE,
                           to_graph=ox.NamedNode(name) if name else ox.DefaultGraph())
            except SyntaxError as exc:
                raise InputError(f"{path}: {exc}") from None
        return cls(store)

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphEngine:
        """The graph's triples in the default graph; a Dataset's named graphs stay named."""
        import pyoxigraph as ox
        from rdflib import Dataset

        store = ox.Store()
        if isinstance(graph, Dataset):
            store.load(graph.default_graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
            for named in graph.graphs():
                if named.identifier != graph.default_graph.identifier and len(named):
                    store.load(named.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                               to_graph=ox.NamedNode(str(named.identifier)))
        else:
            store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    def run(self, sparql: str, bindings: dict[str, Term] | None = None,
            max_rows: int | None = None, *, prefixes: dict[str, str] | None = None,
            max_bytes: int | None = None) -> QueryResult:
        """``prefixes`` are predeclared for the parser (error positions stay in ``sparql``)."""
        import pyoxigraph as ox

        subs = {}
        if bindings and self.binding == "values":
            from sinorus_kg.binding import bind_values

            sparql = bind_values(sparql, bindings)
        elif bindings:
            subs = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
        try:
            result = self.store.query(sparql, substitutions=subs, prefixes=prefixes)
        except SyntaxError as exc:
            from sinorus_kg.sparql_errors import from_oxigraph

            raise InputError(from_oxigraph(sparql, str(exc))) from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            # A solution iterates its values in column order (None where unbound): indexing it by
            # name, column by column, cost more than the query on large answers.
            convert = _converter()
            rows, truncated = _truncate((tuple(map(convert, s)) for s in result), max_rows, max_bytes)
            return QueryResult("select", columns=columns, rows=rows, truncated=truncated)
        convert = _converter()
        triples, truncated = _truncate(
            ((convert(t.subject), convert(t.predicate), convert(t.object)) for t in result), max_rows, max_bytes)
        return QueryResult("graph", triples=triples, truncated=truncated)

    def labels(self, iris: Iterable[str], lang: str = "en") -> dict[str, str]:
        import pyoxigraph as ox

        label = ox.NamedNode(RDFS_LABEL)
        out: dict[str, str] = {}
        for iri in set(iris):
            for quad in self.store.quads_for_pattern(ox.NamedNode(iri), label, None):
                obj = quad.object
                if isinstance(obj, ox.Literal) and (obj.language or "") in (lang, "") and iri not in out:
                    out[iri] = obj.value
        return out


def to_ox(term: Term) -> Any:
    """A project term as a pyoxigraph term (also for the pages' RDF writers)."""
    import pyoxigraph as ox

    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype) if term.datatype else None)


def _converter() -> Callable[[Any], Term | None]:
    """``_from_ox`` remembering each term of one answer: answers repeat terms (kinds, statuses,
    dates, the same entity on many rows), and building a Term costs more than finding it again."""
    memo: dict[Any, Term | None] = {}
    get = memo.get

    def convert(node: Any) -> Term | None:
        if node is None:
            return None
        term = get(node)
        if term is None:
            term = memo[node] = _from_ox(node)
        return term

    return convert


def _from_ox(node: Any) -> Term | None:
    import pyoxigraph as ox

    if node is None:
        return None
    if isinstance(node, ox.NamedNode):
        return Term.iri(node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    return Term.literal(node.value, node.datatype.value if node.datatype else None, node.language)


class RdflibEngine:
    name = "rdflib"

    def __init__(self, graph: Graph):
        import rdflib.plugins.sparql as rdflib_sparql

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM graphs over the network
        self.graph = graph

    @classmethod
    def from_files(cls, files: Sequence[Path | GraphFile]) -> RdflibEngine:
        """A Dataset without a union default graph: named graphs are seen only through GRAPH."""
        from rdflib import Dataset, URIRef

        from sinorus_kg.loading import parse_turtle

        dataset = Dataset(default_union=False)
        for path, name in _graph_files(files):
            parse_turtle(path, dataset.graph(URIRef(name)) if name else dataset.default_graph)
        return cls(dataset)

    def run(self, sparql: str, bindings: dict[str, Term] | None = None,
            max_rows: int | None = None) -> QueryResult:
        from pyparsing import ParseException
        from rdflib import Variable

        from sinorus_kg.sparql_errors import from_pyparsing, unknown_prefix

        init: dict[str, Any] = {Variable(k): _to_rdflib(v) for k, v in (bindings or {}).items()}
        try:
            result: Any = self.graph.query(sparql, initBindings=init)
        except ParseException as exc:
            raise InputError(from_pyparsing(sparql, exc)) from None
        except Exception as exc:  # rdflib raises a bare Exception for an undeclared prefix
            found = re.fullmatch(r"Unknown namespace prefix : (\S*)", str(exc))
            if found is None:
                raise
            raise InputError(unknown_prefix([found.group(1)])) from None
        return _collect_rdflib(result, max_rows)

    def run_query(self, query: Any, bindings: dict[str, Term] | None = None,
                  max_rows: int | None = None, max_bytes: int | None = None) -> QueryResult:
        """Evaluate an already parsed and translated query (``rdflib.plugins.sparql.sparql.Query``):
        what a policy checked is what runs, with no second parse."""
        from rdflib import Variable
        from rdflib.plugins.sparql.evaluate import evalQuery
        from rdflib.plugins.sparql.processor import SPARQLResult

        init: dict[Any, Any] = {Variable(k): _to_rdflib(v) for k, v in (bindings or {}).items()}
        return _collect_rdflib(SPARQLResult(evalQuery(self.graph, query, init)), max_rows, max_bytes)

    def labels(self, iris: Iterable[str], lang: str = "en") -> dict[str, str]:
        from rdflib import Literal, URIRef

        out: dict[str, str] = {}
        for iri in set(iris):
            for obj in self.graph.objects(URIRef(iri), URIRef(RDFS_LABEL)):
                if isinstance(obj, Literal) and (obj.language or "") in (lang, "") and iri not in out:
                    out[iri] = str(obj)
        return out


def _collect_rdflib(result: Any, max_rows: int | None, max_bytes: int | None = None) -> QueryResult:
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        columns = [str(v) for v in result.vars or []]
        rows, truncated = _truncate(
            (tuple(_from_rdflib(row[i]) for i in range(len(columns))) for row in result), max_rows, max_bytes)
        return QueryResult("select", columns=columns, rows=rows, truncated=truncated)
    triples, truncated = _truncate(
        (tuple(_from_rdflib(t) for t in triple) for triple in result), max_rows, max_bytes)
    return QueryResult("graph", triples=triples, truncated=truncated)


def _to_rdflib(term: Term) -> Any:
    from rdflib import BNode, Literal, URIRef

    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    return Literal(term.value, lang=term.lang, datatype=URIRef(term.datatype) if term.datatype else None)


def _from_rdflib(node: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term.iri(str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        return Term.literal(str(node), str(node.datatype) if node.datatype else None, node.language)
    raise TypeError(f"unexpected term {node!r}")


__all__ = ["CATALOGUE_GRAPH", "DEFAULT_ENGINE", "ENGINES", "Engine", "QueryResult", "ResultTooLarge", "open_engine",
           "open_release", "release_files", "release_graphs", "with_catalogue"]
