"""The Python API: one object to query, validate and export the knowledge graph.

It opens the built release by default (fast: no reasoning at start-up), or any rdflib
graph, on the engine of your choice; or a remote SPARQL 1.1 endpoint the release was
pushed to (``KnowledgeGraph(endpoint="http://…/query")``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sinorus_kg.catalogue import Catalogue, StoredQuery
from sinorus_kg.engines import CATALOGUE_GRAPH, DEFAULT_ENGINE, Engine, QueryResult, open_engine, with_catalogue
from sinorus_kg.namespaces import sparql_prologue
from sinorus_kg.sandbox.isolation import DEFAULT_QUERY_MEMORY_MB
from sinorus_kg.sandbox.protocol import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from rdflib import Graph

    from sinorus_kg.sandbox.worker import QueryWorker


class IsolationWarning(UserWarning):
    """The query worker runs without a network block (no namespace, no seccomp on this machine)."""


class KnowledgeGraph:
    """The knowledge graph on one engine, with the stored-query catalogue."""

    def __init__(self, engine: str = DEFAULT_ENGINE, graph: Graph | None = None,
                 catalogue: Catalogue | None = None, endpoint: str | None = None,
                 query_memory_mb: int | None = DEFAULT_QUERY_MEMORY_MB, store: str = "disk"):
        """``store`` says where the built release is kept on Oxigraph, here and in this graph's
        query worker: ``disk`` (default: the read-only on-disk store, opened in milliseconds),
        ``memory`` (loaded into memory: seconds and ~350 bytes a triple, in this process and in
        its worker, for queries that read many rows 2-5x faster) or ``auto`` (memory when both
        copies fit in half the memory available: ``store_choice``)."""
        from sinorus_kg.store_choice import check_store, choose

        check_store(store, "store")
        if endpoint is not None:
            engine = "endpoint"
        elif graph is None:
            from sinorus_kg.freshness import warn_if_stale

            warn_if_stale()  # StaleReleaseWarning: the release is older than the sources in the tree
        self.store = "disk"
        if graph is None and endpoint is None and engine == "oxigraph" and store != "disk":
            self.store = choose(store, 2, engine).where  # this process and its worker
        self.engine: Engine = open_engine(engine, graph=graph, endpoint=endpoint, store=self.store)
        self.catalogue = catalogue or Catalogue.load()
        self.query_memory_mb = query_memory_mb
        self._graph = graph
        self._worker: QueryWorker | None = None

    @classmethod
    def from_sources(cls, engine: str = DEFAULT_ENGINE) -> KnowledgeGraph:
        """Load ontology + data and reason in memory (slower; no built release needed)."""
        from sinorus_kg.build import catalogue_graph
        from sinorus_kg.loading import load_sources
        from sinorus_kg.reasoning import full_graph

        return cls(engine, graph=with_catalogue(full_graph(load_sources()), catalogue_graph()))

    def stored(self, name: str) -> StoredQuery:
        return self.catalogue.get(name)

    def query(self, name: str, params: Mapping[str, object] | None = None,
              max_rows: int | None = DEFAULT_MAX_ROWS) -> QueryResult:
        """Run a stored query; ``params`` (strings, ints, dates) are typed and bound as RDF terms,
        and an IRI declared with a class must name an instance of that class. An entity may be
        given by name ("Sergey Lavrov", "Лавров"): the one resource with that label is used; a
        miss or an ambiguous name is an InputError with the closest candidates."""
        from functools import partial

        from sinorus_kg.lookup import resolve

        result: QueryResult = self.catalogue.get(name).run(self.engine, params, max_rows=max_rows,
                                                           resolve=partial(resolve, self.engine))
        return result

    def records(self, name: str, **params: object) -> list[dict[str, Any]]:
        """A stored query's rows as dicts of typed Python values (int, date, bool, str)."""
        return self.query(name, params).records()

    def sparql(self, text: str, timeout: float | None = DEFAULT_TIMEOUT,
               max_rows: int | None = DEFAULT_MAX_ROWS, max_bytes: int = DEFAULT_MAX_BYTES) -> QueryResult:
        """Run a user's ad-hoc query in this graph's sandboxed query worker (``sinorus_kg.sandbox``):
        read-only, offline, under a time limit, a memory cap, a row cap and a result-size cap.
        A refusal or a limit raises ``QueryFailed`` (an InputError) with the reason. On a remote
        endpoint the query is sent as it is: that server applies its own policy."""
        if self.engine.name == "endpoint":  # the project's prefixes on one line: line numbers stay the user's
            return self.engine.run(sparql_prologue(one_line=True) + text, max_rows=max_rows)
        from sinorus_kg.sandbox.formats import NATIVE
        from sinorus_kg.sandbox.protocol import QueryRequest

        request = QueryRequest(text, accept=NATIVE, timeout=timeout, max_rows=max_rows or DEFAULT_MAX_ROWS,
                               max_bytes=max_bytes)
        return self.worker().run(request).result()

    def worker(self) -> QueryWorker:
        """This graph's query worker, started on first use; warns (IsolationWarning) when the
        machine allows no network block for it."""
        if self._worker is None:
            self._worker = self.query_worker()
        isolation = self._worker.start()
        if not isolation.network_blocked:
            warnings.warn(f"the query worker is not isolated from the network ({isolation.describe()})",
                          IsolationWarning, stacklevel=3)
        return self._worker

    def query_worker(self, require_isolation: bool = False, query_memory_mb: int | None = None) -> QueryWorker:
        """A new (not yet started) query worker over the same data: the release, or this graph."""
        from sinorus_kg.sandbox.worker import QueryWorker

        ntriples = None
        if self._graph is not None:  # N-Quads keep a Dataset's named graphs (the catalogue) apart
            from rdflib import Dataset

            fmt = "nquads" if isinstance(self._graph, Dataset) else "nt"
            ntriples = self._graph.serialize(format=fmt, encoding="utf-8")
        return QueryWorker(self.engine.name, ntriples=ntriples, require_isolation=require_isolation,
                           query_memory_mb=query_memory_mb or self.query_memory_mb, store=self.store)

    def close(self) -> None:
        """Stop this graph's query worker (it is also stopped when the object is collected)."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    @staticmethod
    def validate(validator: str = "auto") -> Any:
        """SHACL over the sources (asserted data + ontology): a ``validation.ValidationReport``.
        ``validator``: auto (pySHACL, or SPARQL on Oxigraph above ``shacl_fast.AUTO_THRESHOLD``
        triples), pyshacl, sparql, jena."""
        from sinorus_kg.loading import source_files
        from sinorus_kg.shacl_fast import validate_graph
        from sinorus_kg.workgraph import WorkGraph

        return validate_graph(WorkGraph.load(source_files()), validator)

    @staticmethod
    def export(fmt: str = "ttl", full: bool = False) -> bytes:
        """The sources (ontology + data; ``full`` adds the OWL 2 RL entailments) as deterministic
        bytes, written as the release writes them (``fast_export``)."""
        from sinorus_kg.errors import InputError
        from sinorus_kg.fast_export import FAST_FORMATS, canonical_lines, from_ntriples
        from sinorus_kg.loading import source_files
        from sinorus_kg.rules import materialise
        from sinorus_kg.workgraph import WorkGraph

        if fmt not in FAST_FORMATS:
            raise InputError(f"unknown export format {fmt!r} (choose one of: {', '.join(FAST_FORMATS)})")
        graph = WorkGraph.load(source_files())
        lines = sorted(graph.lines + materialise(graph)) if full else graph.lines
        return from_ntriples(b"\n".join(canonical_lines(lines)) + b"\n", fmt)

    def labels(self, iris: list[str]) -> dict[str, str]:
        return self.engine.labels(iris)

    def stats(self) -> tuple[dict[str, int], QueryResult]:
        """Totals (triples of the data, of the catalogue graph, facts, sentences cited) and the instances of each
        ontology class."""
        totals = {name: int(self.engine.run(sparql_prologue() + text).records()[0]["n"])
                  for name, text in _TOTALS.items()}
        return totals, self.engine.run(sparql_prologue() + _INSTANCES)


_TOTALS = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "catalogue triples (named graph " + CATALOGUE_GRAPH + ")":
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?s ?p ?o }} }}",
    "events": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sr:Event }",
    "sentences": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a sr:Sentence }",
    "sentences cited by facts":
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?f sr:attestedBy ?s . ?s a sr:Sentence }",
}
_INSTANCES = """SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE {
  ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(sr:)))
  FILTER(STRSTARTS(STR(?s), STR(srid:)))
} GROUP BY ?class ORDER BY DESC(?instances) ?class"""
