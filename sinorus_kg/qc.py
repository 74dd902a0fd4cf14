"""Quality-control queries: every ``queries/qc/*-violation.rq`` must return no rows.

The checks are SPARQL (in the style of ROBOT report) so that they run on any engine
and an analyst can read them; this module only runs them over a graph and collects
the offending rows, leaving printing to the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from sinorus_kg import resources
from sinorus_kg.engines import Engine, OxigraphEngine
from sinorus_kg.namespaces import shorten
from sinorus_kg.terms import Term

__all__ = ["Violation", "qc_queries", "run_qc", "run_query"]


@dataclass(frozen=True)
class Violation:
    """The offending rows of one QC query (rows are tuples of N3-formatted terms)."""

    query: str
    summary: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)


def qc_queries(directory: Path | None = None) -> list[Path]:
    """The QC queries in a fixed order (by file name)."""
    folder = directory if directory is not None else resources.queries_dir() / "qc"
    return sorted(folder.glob("*-violation.rq"))


def _summary(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#+ summary:"):
            return line.split(":", 1)[1].strip()
    return ""


def run_query(path: Path, graph: Graph | None, engine: Engine | None = None) -> Violation:
    """Run one QC query; the result's rows are empty when the graph passes the check.

    The queries run on Oxigraph (an order of magnitude faster than rdflib here; the
    tests check both engines agree), over ``graph`` unless an engine is passed in.
    """
    text = path.read_text(encoding="utf-8")
    if engine is None:
        assert graph is not None, "run_query needs a graph or an engine"
        engine = OxigraphEngine.from_graph(graph)
    result = engine.run(text)
    rows = [tuple("" if term is None else shorten_n3(term) for term in row) for row in result.rows]
    name = path.name.removesuffix(".rq")
    return Violation(query=name, summary=_summary(text), columns=tuple(result.columns), rows=sorted(rows))


def shorten_n3(term: Term) -> str:
    return shorten(term.value) if term.kind == "iri" else term.n3()


def run_qc(graph: Graph | None, directory: Path | None = None, engine: Engine | None = None) -> list[Violation]:
    """Run every QC query over ``graph`` (ontology + data, asserted), or over ``engine`` when the
    build already holds the triples in a store; return the failing ones."""
    failing = []
    if engine is None:
        assert graph is not None, "run_qc needs a graph or an engine"
        engine = OxigraphEngine.from_graph(graph)
    for path in qc_queries(directory):
        violation = run_query(path, graph, engine)
        if violation.rows:
            failing.append(violation)
    return failing
