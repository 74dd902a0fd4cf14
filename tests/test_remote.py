"""A real SPARQL 1.1 endpoint (an Oxigraph server on 127.0.0.1) gives the embedded engine's answers.

The release is pushed with the Graph Store Protocol and every stored query runs through the
SPARQL 1.1 Protocol, its parameters bound as a VALUES row (``sinorus_kg.remote``).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sinorus_kg.catalogue import Catalogue, StoredQuery
from sinorus_kg.cli import app
from sinorus_kg.engines import CATALOGUE_GRAPH, Engine, QueryResult, open_engine, release_graphs
from sinorus_kg.errors import InputError
from sinorus_kg.knowledge_graph import KnowledgeGraph
from sinorus_kg.namespaces import sparql_prologue
from sinorus_kg.remote import EndpointEngine, bind_values, default_query_url, push_release, query_form
from sinorus_kg.terms import Term

GOLDEN = Path(__file__).resolve().parent / "golden"
CATALOGUE = Catalogue.load()
XSD = "http://www.w3.org/2001/XMLSchema#"
XI = "https://w3id.org/sinorus/id/person/xi-jinping"
INJECTION = '"} UNION { ?s ?p ?o'
pytestmark = pytest.mark.slow


def _oxigraph_executable() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of an Oxigraph server holding the pushed release."""
    executable = _oxigraph_executable()
    if executable is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph, part of the dev extras)")
    port = _free_port()
    log = tmp_path_factory.mktemp("oxigraph") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [executable, "serve", "--location", str(log.parent / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the Oxigraph server did not start: {log.read_text(errors='replace')}")
                time.sleep(0.1)
        push_release(f"{base}/store")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(server: str) -> EndpointEngine:
    return EndpointEngine(f"{server}/query")


@pytest.fixture(scope="module")
def embedded() -> Engine:
    return open_engine("oxigraph", files=release_graphs())


def _cases(q: StoredQuery) -> list[dict[str, Any]]:
    """The golden cases' parameters, the documented examples, and (if all optional) nothing bound."""
    path = GOLDEN / f"{q.name}.json"
    cases = [c.get("params", {}) for c in json.loads(path.read_text(encoding="utf-8"))["cases"]]
    examples = {p.name: p.example for p in q.params if p.example is not None}
    if examples:
        cases.append(examples)
    if all(p.optional or p.default is not None for p in q.params):
        cases.append({})
    return cases


def _norm(term: Term | None) -> Term | None:
    return Term("bnode", "_:b") if term is not None and term.kind == "bnode" else term


def _answer(result: QueryResult) -> tuple[Any, ...]:
    rows = Counter(tuple(_norm(t) for t in row) for row in result.rows)
    triples = {tuple(_norm(t) for t in triple) for triple in result.triples}
    return result.kind, result.columns, rows, triples, result.boolean


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_endpoint_agrees_with_embedded_oxigraph(remote: EndpointEngine, embedded: Engine, name: str) -> None:
    q = CATALOGUE.get(name)
    for params in _cases(q):
        bindings = q.bindings({k: str(v) for k, v in params.items()})
        want = _answer(embedded.run(q.sparql(), bindings))
        got = _answer(remote.run(q.sparql(), bindings))
        assert got == want, f"{name} {params}"


def test_push_reports_the_triples(server: str, embedded: Engine) -> None:
    result = push_release(f"{server}/store")  # PUT replaces: pushing twice does not double
    count = embedded.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert count is not None and result.triples == int(count.value)
    assert [p.name for p in result.files] == ["sinorus-full.ttl", "catalogue.ttl"]
    named = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?s ?p ?o }} }}"
    catalogue = embedded.run(named).rows[0][0]
    assert catalogue is not None and int(catalogue.value) > 600
    assert result.named == {CATALOGUE_GRAPH: int(catalogue.value)}


GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
QUERY_LABELS = "ASK { ?x rdfs:label ?l . FILTER(STRSTARTS(STR(?x), \"https://w3id.org/sinorus/queries/\")) }"


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph", "endpoint"])
def test_catalogue_is_only_in_its_named_graph(engine_name: str, remote: EndpointEngine) -> None:
    """A generic `?x rdfs:label ?l` over the default graph meets no query description; GRAPH ?g finds the catalogue."""
    engine = remote if engine_name == "endpoint" else open_engine(engine_name)
    assert [row[0].value for row in engine.run(GRAPHS).rows if row[0]] == [CATALOGUE_GRAPH]
    assert engine.run(sparql_prologue() + QUERY_LABELS).boolean is False
    inside = (f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?x rdfs:label ?l . "
              "FILTER(STRSTARTS(STR(?x), STR(<https://w3id.org/sinorus/queries/>))) } }")
    assert engine.run(sparql_prologue() + inside).boolean is True


def test_labels_and_row_cap(remote: EndpointEngine) -> None:
    assert remote.labels([XI, "https://example.org/none"], "zh") == {XI: "习近平"}
    assert remote.labels([XI])[XI] == "Xi Jinping"
    result = remote.run("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5 and result.truncated


def test_query_error_carries_the_servers_message(remote: EndpointEngine) -> None:
    with pytest.raises(InputError, match=r"answered 400.*") as info:
        remote.run("SELECT ?s WHERE { ?s ?p }")
    assert str(info.value).split(": ", 2)[-1].strip(), "the server's message is missing"


def test_unreachable_endpoint_names_the_url() -> None:
    url = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(InputError, match=f"cannot reach the SPARQL endpoint at {url}"):
        EndpointEngine(url, timeout=2).run("ASK {}")


def test_only_http_urls() -> None:
    with pytest.raises(InputError, match="not an http"):
        EndpointEngine("file:///etc/passwd")
    with pytest.raises(InputError, match="endpoint engine takes a query URL"):
        open_engine("endpoint")


def test_knowledge_graph_on_an_endpoint(server: str) -> None:
    kg = KnowledgeGraph(endpoint=f"{server}/query")
    assert kg.engine.name == "endpoint"
    records = kg.records("events-of-person", person="person:sergey-lavrov")
    assert records and all(r["person"] == "https://w3id.org/sinorus/id/person/sergey-lavrov" for r in records)
    assert kg.sparql("ASK { ?t a sr:Treaty }").boolean is True


def test_cli_query_on_an_endpoint_prints_what_embedded_prints(server: str) -> None:
    runner = CliRunner()
    local = runner.invoke(app, ["query", "relations-established", "--format", "csv"])
    there = runner.invoke(app, ["query", "relations-established", "--endpoint", f"{server}/query",
                                "--format", "csv"])
    assert local.exit_code == 0 and there.exit_code == 0, there.output
    assert there.output == local.output


def test_cli_push_and_stats(server: str) -> None:
    runner = CliRunner()
    pushed = runner.invoke(app, ["push", f"{server}/store"])
    assert pushed.exit_code == 0 and "triples" in pushed.output, pushed.output
    stats = runner.invoke(app, ["stats", "--endpoint", f"{server}/query"])
    assert stats.exit_code == 0 and stats.output == runner.invoke(app, ["stats"]).output
    down = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{_free_port()}/query"])
    assert down.exit_code == 2 and "cannot reach the SPARQL endpoint" in down.output


# bind_values: where the VALUES row goes, and that no value escapes its term

ROW = '{ VALUES (?x) { ("v") }'


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE " + ROW),
    ("select ?x { ?x ?p ?o }", "select ?x " + ROW),
    ("SELECT (MIN(?x) AS ?m) (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?x ?p ?o }", "AS ?e) WHERE " + ROW),
    ("ASK { ?x ?p ?o }", "ASK " + ROW),
    ("ASK WHERE { ?x ?p ?o }", "ASK WHERE " + ROW),
    ("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", "CONSTRUCT { ?x ?p ?o } WHERE " + ROW),
    ("DESCRIBE ?x WHERE { ?x ?p ?o }", "DESCRIBE ?x WHERE " + ROW),
    ('PREFIX a: <http://x/{select}> # { ASK\nSELECT ?x WHERE { ?x a:p "{" }', "SELECT ?x WHERE " + ROW),
])
def test_values_go_first_in_the_where_group(query: str, expected: str) -> None:
    bound = bind_values(query, {"x": Term.literal("v")})
    assert expected in bound, bound
    assert bound.count("VALUES") == 1


def test_construct_where_short_form_keeps_its_template() -> None:
    bound = bind_values("CONSTRUCT WHERE { ?x ?p ?o . }", {"x": Term.iri(XI)})
    assert bound.startswith("CONSTRUCT { ?x ?p ?o . } WHERE { VALUES (?x) { (<" + XI + ">) }")
    assert query_form(bound) == "CONSTRUCT"


def test_stored_query_forms_are_recognised() -> None:
    for q in CATALOGUE:
        assert query_form(q.sparql()) == q.kind, q.name


def test_no_bindings_leave_the_query_alone() -> None:
    assert bind_values("SELECT * WHERE { ?s ?p ?o }", {}) == "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("term", [
    Term.iri("http://x/> } UNION { ?s ?p ?o"), Term.iri("http://x/a b"), Term.iri("http://x/a\u2003b"), Term.iri('http://x/"'),
    Term.iri(""), Term("bnode", "b0"), Term.literal("1", "http://x/> }"), Term("literal", "x", None, "en } #"),
])
def test_terms_that_could_break_out_are_refused(term: Term) -> None:
    with pytest.raises(InputError):
        bind_values("SELECT ?x WHERE { }", {"x": term})
    with pytest.raises(InputError):
        bind_values("SELECT ?x WHERE { }", {"x } UNION { ?s": Term.literal("v")})


def test_injection_stays_one_literal(remote: EndpointEngine) -> None:
    result = remote.run("SELECT ?x WHERE { }", {"x": Term.literal(INJECTION)})
    assert result.rows == [(Term.literal(INJECTION),)]
    q = CATALOGUE.get("people-by-name")
    assert remote.run(q.sparql(), q.bindings({"text": INJECTION})).rows == []


@settings(max_examples=150, deadline=None)
@example(text=r"\u0022 } UNION { ?s ?p ?o", kind=None)  # a \u escape stays text, never becomes a quote
@example(text="\x00\x0b\r\n\t'''\"\"\"#<>{}\\", kind="lang")
@given(text=st.text(st.characters(exclude_categories=("Cs",))),
       kind=st.sampled_from([None, XSD + "string", "lang", XSD + "token"]))
def test_any_string_round_trips(remote: EndpointEngine, text: str, kind: str | None) -> None:
    term = Term.literal(text, lang="en") if kind == "lang" else Term.literal(text, kind)
    assert remote.run("SELECT ?x WHERE { }", {"x": term}).rows == [(term,)]


def test_query_url_beside_a_store() -> None:
    assert default_query_url("http://127.0.0.1:7878/store") == "http://127.0.0.1:7878/query"
    assert default_query_url("http://h:3030/ds/data") == "http://h:3030/ds/query"
    assert default_query_url("http://h/graphs") is None
