"""User SPARQL is read-only and offline, and bounded in time and rows."""

from __future__ import annotations

import time

import pytest
from rdflib import Graph

from sinorus_kg.engines import open_engine
from sinorus_kg.errors import InputError
from sinorus_kg.safety import QueryTimeout, check_read_only, run_with_timeout


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * from <http://example.org/g> where { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD <http://example.org/data.ttl>",
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "PREFIX x: <http://x/> WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_hostile_queries_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="refused"):
        check_read_only(text)


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { ?service ?p "SERVICE FROM LOAD" }',
    "SELECT * WHERE { ?s <http://example.org/from> ?o } # LOAD in a comment",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:from ?o ; ex:insert-date ?d }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
])
def test_harmless_queries_pass(text: str) -> None:
    check_read_only(text)


def test_timeout_stops_a_long_run() -> None:
    start = time.perf_counter()
    with pytest.raises(QueryTimeout, match="time limit"):
        run_with_timeout(lambda: time.sleep(10), 0.5)
    assert time.perf_counter() - start < 5


def test_errors_in_the_child_reach_the_caller() -> None:
    def fail() -> None:
        raise InputError("bad")

    with pytest.raises(InputError, match="bad"):
        run_with_timeout(fail, 5)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_row_cap_truncates(engine: str) -> None:
    graph = Graph()
    graph.parse(data="".join(f"<urn:x:{i}> <urn:p> \"{i}\" .\n" for i in range(50)), format="nt")
    result = open_engine(engine, graph=graph).run("SELECT ?s WHERE { ?s ?p ?o }", max_rows=10)
    assert len(result.rows) == 10 and result.truncated


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_syntax_error_is_input_error(engine: str) -> None:
    with pytest.raises(InputError, match="syntax"):
        open_engine(engine, graph=Graph()).run("SELECT WHERE {")
