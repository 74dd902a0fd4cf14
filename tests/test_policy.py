"""The policy is decided on rdflib's parse of the escape-expanded text that the engines run."""

from __future__ import annotations

import sys
import threading

import pytest
from rdflib import Graph

from sinorus_kg.engines import open_engine
from sinorus_kg.errors import InputError
from sinorus_kg.sandbox.policy import MAX_NESTING, Refused, check, prepare


def judge(text: str, engine: str = "oxigraph") -> str:
    """As the worker does it: on a thread with a large stack and a high recursion limit."""
    from concurrent.futures import ThreadPoolExecutor

    from sinorus_kg.sandbox.child import RECURSION_LIMIT, STACK_BYTES

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size(STACK_BYTES)
    sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: check(prepare(text), engine).form).result()
    finally:
        sys.setrecursionlimit(old_limit)
        threading.stack_size(old_stack)


@pytest.mark.parametrize(("text", "status", "words"), [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 400, "refused: SERVICE"),
    ("select * from <http://example.org/g> where { ?s ?p ?o }", 400, "refused: FROM"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", 400, "refused: FROM NAMED"),
    ("LOAD <http://example.org/data.ttl>", 405, "LOAD is an update"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", 405, "INSERT DATA"),
    ("DELETE WHERE { ?s ?p ?o }", 405, "DELETE WHERE"),
    ("DROP ALL", 405, "DROP"),
    ("CLEAR DEFAULT", 405, "CLEAR"),
    ("PREFIX x: <http://x/> WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 405, "update"),
    # what fooled the old text screen: a comment ended by \r, an escape in a keyword
    ("SELECT ?x WHERE { # c\rSERVICE <http://127.0.0.1:9/x> { ?x ?y ?z } \n}", 400, "refused: SERVICE"),
    ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 400, "refused: SERVICE"),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", 400, "refused: SERVICE"),
    ("ASK { FILTER NOT EXISTS { SERVICE SILENT <http://a/> { ?s ?p ?o } } }", 400, "refused: SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(<http://example.org/fn>(?o)) }", 400, "function"),
    ("SELECT * WHERE { ?s nope:x ?o }", 400, "unknown prefix nope:"),
    ('SELECT * WHERE { BIND("\\uD800" AS ?x) }', 400, "lone surrogate U+D800"),
    ('SELECT * WHERE { ?s ?p "\\U0041" }', 400, "ambiguous escape"),
    ('SELECT * WHERE { ?s ?p "\\u005Cu0041" }', 400, "ambiguous escape"),
    ("SELECT * WHERE " + "{ " * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1), 400, "nests brackets"),
    ("SELECT * WHERE {\n ?s ?p }", 400, "syntax error at 2:"),
])
def test_refused_with_a_reason(text: str, status: int, words: str) -> None:
    with pytest.raises(Refused) as caught:
        judge(text)
    assert caught.value.status == status and words in str(caught.value)


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { ?service ?p "SERVICE FROM LOAD" }',
    "SELECT * WHERE { ?s <http://example.org/from> ?o } # SERVICE <http://x/> in a comment",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:from ?o ; ex:insert-date ?d }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(xsd:integer(?o) > 1) }",
    "DESCRIBE <http://example.org/outside>",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE " + "{ " * 60 + "?s ?p ?o " + "} " * 60,
])
def test_harmless_queries_pass(text: str) -> None:
    judge(text)


def test_escapes_are_expanded_and_line_ends_normalised() -> None:
    assert prepare("\\u0053ELECT * {}\r\n# x\ry") == "SELECT * {}\n# x\ny"
    assert prepare('"\\U0001F600"') == '"\U0001F600"'


def test_the_text_limit_is_413() -> None:
    with pytest.raises(Refused) as caught:
        prepare("x" * 100_001)
    assert caught.value.status == 413


def test_every_stored_query_passes_on_both_engines() -> None:
    from sinorus_kg.catalogue import Catalogue

    for stored in Catalogue.load():
        for engine in ("oxigraph", "rdflib"):
            assert judge(stored.text, engine) == stored.kind, stored.name


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
