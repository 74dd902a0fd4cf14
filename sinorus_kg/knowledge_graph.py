"""The Python API: one object to query, validate and export the knowledge graph.

It opens the built release by default (fast: no reasoning at start-up), or any rdflib
graph, on the engine of your choice; or a remote SPARQL 1.1 endpoint the release was
pushed to (``KnowledgeGraph(endpoint="http://…/query")``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sinorus_kg.catalogue import Catalogue, StoredQuery
from sinorus_kg.engines import DEFAULT_ENGINE, Engine, QueryResult, open_engine
from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import sparql_prologue
from sinorus_kg.safety import check_read_only, run_with_timeout

if TYPE_CHECKING:
    from rdflib import Graph

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000


class KnowledgeGraph:
    """The knowledge graph on one engine, with the stored-query catalogue."""

    def __init__(self, engine: str = DEFAULT_ENGINE, graph: Graph | None = None,
                 catalogue: Catalogue | None = None, endpoint: str | None = None):
        if endpoint is not None:
            engine = "endpoint"
        self.engine: Engine = open_engine(engine, graph=graph, endpoint=endpoint)
        self.catalogue = catalogue or Catalogue.load()

    @classmethod
    def from_sources(cls, engine: str = DEFAULT_ENGINE) -> KnowledgeGraph:
        """Load ontology + data and reason in memory (slower; no built release needed)."""
        from sinorus_kg.build import catalogue_graph
        from sinorus_kg.loading import load_sources
        from sinorus_kg.reasoning import full_graph

        graph = full_graph(load_sources())
        graph += catalogue_graph()
        return cls(engine, graph=graph)

    def stored(self, name: str) -> StoredQuery:
        return self.catalogue.get(name)

    def query(self, name: str, params: Mapping[str, object] | None = None,
              max_rows: int | None = DEFAULT_MAX_ROWS) -> QueryResult:
        """Run a stored query; ``params`` (strings, ints, dates) are typed and bound as RDF terms,
        and an IRI declared with a class must name an instance of that class."""
        stored = self.catalogue.get(name)
        bindings = stored.bindings(params)
        for param in stored.params:
            if param.name in bindings:
                param.check_class(self.engine, bindings[param.name])
        return self.engine.run(stored.sparql(), bindings, max_rows=max_rows)

    def records(self, name: str, **params: object) -> list[dict[str, Any]]:
        """A stored query's rows as dicts of typed Python values (int, date, bool, str)."""
        return self.query(name, params).records()

    def sparql(self, text: str, timeout: float | None = DEFAULT_TIMEOUT,
               max_rows: int | None = DEFAULT_MAX_ROWS) -> QueryResult:
        """Run a user's ad-hoc query: read-only, offline, under a time limit and a row cap."""
        check_read_only(text)
        full_text = sparql_prologue(one_line=True) + text

        def run() -> QueryResult:
            return self.engine.run(full_text, max_rows=max_rows)

        try:
            return run_with_timeout(run, timeout) if timeout else run()
        except InputError as exc:
            raise InputError(_relocate(str(exc), len(full_text) - len(text))) from None

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
        """Totals (triples, facts, sentences cited) and the instances of each ontology class."""
        totals = {name: int(self.engine.run(sparql_prologue() + text).records()[0]["n"])
                  for name, text in _TOTALS.items()}
        return totals, self.engine.run(sparql_prologue() + _INSTANCES)


def _relocate(message: str, offset: int) -> str:
    """Positions in an engine's syntax error, counted in the user's text (without the prologue)."""
    def line1(match: re.Match[str]) -> str:
        col = int(match.group(2))
        return f"{match.group(1)}{col - offset if col > offset else col}"

    message = re.sub(r"(error at 1:)(\d+)", line1, message)  # Oxigraph: "error at LINE:COL"
    message = re.sub(r"(\(line:1, col:)(\d+)", line1, message)  # rdflib/pyparsing
    return re.sub(r"(at char )(\d+)", lambda m: f"{m.group(1)}{max(int(m.group(2)) - offset, 0)}", message)


_TOTALS = {
    "triples (with the query catalogue)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "events": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sr:Event }",
    "sentences": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a sr:Sentence }",
    "sentences cited by facts":
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?f prov:wasDerivedFrom ?s . ?s a sr:Sentence }",
}
_INSTANCES = """SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE {
  ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(sr:)))
  FILTER(STRSTARTS(STR(?s), STR(srid:)))
} GROUP BY ?class ORDER BY DESC(?instances) ?class"""
