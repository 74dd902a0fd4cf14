"""The query-worker contract: statuses, limits, isolation, and driving workers from threads."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from sinorus_kg.sandbox.protocol import QueryAnswer, QueryFailed, QueryRequest
from sinorus_kg.sandbox.worker import QueryWorker, WorkerUnavailable

VISITS = "SELECT ?visit ?date WHERE { ?visit a sr:Visit ; time:hasTime/sr:earliestBegin ?date } ORDER BY ?date ?visit"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def doubling(times: int, project_length: bool = True) -> str:
    """A string that doubles ``times`` times: 8 * 2**times characters."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(times))
    chosen = f"(STRLEN(?x{times}) AS ?length)" if project_length else f"?x{times}"
    return f'SELECT {chosen} WHERE {{ BIND("xxxxxxxx" AS ?x0) {binds} }}'


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def worker(request: pytest.FixtureRequest) -> Iterator[QueryWorker]:
    with QueryWorker(request.param, query_memory_mb=300) as started:
        started.start()
        yield started


def test_isolation_is_active_here(worker: QueryWorker) -> None:
    isolation = worker.isolation
    assert isolation is not None and isolation.network_blocked, isolation
    assert isolation.memory_limit and isolation.memory_limit > 300 * 2**20
    assert worker.alive and isinstance(worker.pid, int)


def test_answers_are_serialised_in_the_worker(worker: QueryWorker) -> None:
    answer = worker.run(QueryRequest(VISITS, fmt="csv"))
    assert answer.status == 200 and answer.media_type == "text/csv" and answer.kind == "select"
    lines = answer.body.decode().splitlines()
    assert lines[0] == "visit,date" and answer.rows == len(lines) - 1
    assert any(line.endswith(",2013-03-22") for line in lines)  # sentence 11: Xi Jinping's visit


def test_the_catalogue_is_in_its_named_graph(worker: QueryWorker) -> None:
    """The worker opens the release as every engine does: the catalogue apart from the data."""
    from sinorus_kg.engines import CATALOGUE_GRAPH

    executable = "?q a sh:SPARQLExecutable"
    assert worker.run(QueryRequest(f"ASK {{ {executable} }}", fmt="srj")).result().boolean is False
    assert worker.run(QueryRequest(f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ {executable} }} }}",
                                   fmt="srj")).result().boolean is True


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_dataset_handed_over_keeps_its_named_graphs(engine: str) -> None:
    """The API sends a Dataset (``KnowledgeGraph.from_sources``) as N-Quads, not flattened."""
    quads = (b'<urn:x:a> <urn:x:p> "data" .\n'
             b'<urn:x:q> <urn:x:p> "catalogue" <https://w3id.org/sinorus/catalogue> .\n')
    with QueryWorker(engine, ntriples=quads) as handed:
        rows = handed.run(QueryRequest("SELECT ?g ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                                       fmt="srj")).result().rows
    assert {(g.value if g else "default", o.value if o else None) for g, o in rows} == \
        {("https://w3id.org/sinorus/catalogue", "catalogue"), ("default", "data")}


def test_the_api_hands_its_dataset_over_with_the_catalogue_apart() -> None:
    from rdflib import Graph, Literal, URIRef

    from sinorus_kg.engines import CATALOGUE_GRAPH, with_catalogue
    from sinorus_kg.knowledge_graph import KnowledgeGraph

    data, catalogue = Graph(), Graph()
    data.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("data")))
    catalogue.add((URIRef("urn:x:q"), URIRef("urn:x:p"), Literal("catalogue")))
    kg = KnowledgeGraph("oxigraph", graph=with_catalogue(data, catalogue))
    try:
        assert kg.sparql(f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?q ?p 'catalogue' }} }}").boolean is True
        assert kg.sparql("ASK { ?q ?p 'catalogue' }").boolean is False
    finally:
        kg.close()


def test_native_answer_reads_back_as_a_result(worker: QueryWorker) -> None:
    answer = worker.run(QueryRequest(VISITS, accept="application/sparql-results+json, application/n-triples"))
    assert answer.fmt == "srj"
    result = answer.result()
    assert result.columns == ["visit", "date"] and len(result.rows) == answer.rows
    graph = worker.run(QueryRequest("CONSTRUCT WHERE { ?v a sr:Visit }",
                                    accept="application/sparql-results+json, application/n-triples"))
    assert graph.fmt == "nt" and graph.result().kind == "graph" and graph.result().triples


def test_threads_sharing_a_worker_through_time_limits_do_not_deadlock() -> None:
    """Threads waiting on one worker (a threaded server, the API from threads) while runaways hit the
    time limit: each kill starts a restart in the background, and every call still returns."""
    statuses: list[int] = []
    shared = QueryWorker("oxigraph")
    shared.start()
    threads = [threading.Thread(target=lambda text=(CARTESIAN if n % 2 == 0 else VISITS): statuses.append(
        shared.run(QueryRequest(text, timeout=0.3)).status), daemon=True) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a call never returned (deadlock)"
    shared.close()
    assert sorted(statuses) == [200] * 4 + [503] * 4


def test_close_stops_a_running_query_and_starts_no_replacement() -> None:
    """A server shutting down closes its workers mid-query: the query is answered 'cancelled' and
    no replacement process is left behind; a later start() gives a fresh worker."""
    worker = QueryWorker("oxigraph")
    worker.start()
    answers: list[QueryAnswer] = []
    thread = threading.Thread(target=lambda: answers.append(worker.run(QueryRequest(CARTESIAN, timeout=30))))
    thread.start()
    time.sleep(0.5)
    worker.close()
    thread.join(30)
    assert answers and answers[0].limit_hit == "cancelled"
    time.sleep(1.0)
    assert not worker.restarting and worker.pid is None
    assert worker.start().network_blocked and worker.run(QueryRequest("ASK {}")).ok
    worker.close()


def test_a_checked_query_runs_again_with_other_bindings(worker: QueryWorker) -> None:
    """The worker keeps checked queries (the parse is most of a simple query's cost): the same text
    with other parameters, and again with the first, answers as a fresh check would."""
    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.knowledge_graph import KnowledgeGraph

    stored = Catalogue.load().get("events-of-person")
    people = ("person:sergey-lavrov", "person:xi-jinping", "person:sergey-lavrov")
    answers = [worker.run(QueryRequest(stored.text, fmt="srj", bindings=stored.bindings({"person": p})))
               for p in people]
    assert all(a.ok for a in answers) and answers[0].body == answers[2].body != answers[1].body
    expected = KnowledgeGraph(worker.engine).query("events-of-person", {"person": "person:xi-jinping"})
    assert set(answers[1].result().rows) == set(expected.rows)
    refused = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    assert [worker.run(QueryRequest(refused)).status for _ in range(2)] == [400, 400]


@pytest.mark.parametrize(("text", "status", "words"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 400, "refused: SERVICE"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 405, "update"),
    ("SELECT * WHERE { ?s nope:x ?o }", 400, "unknown prefix nope:"),
    ("SELECT * WHERE {\n ?s ?p }", 400, "syntax error at 2:"),
    ('SELECT ("\\uD800" AS ?x) {}', 400, "lone surrogate"),
    ("SELECT * WHERE " + "{ " * 200 + "}" * 200, 400, "nests brackets"),
    ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001, 413, "limit"),
])
def test_refusals_name_the_reason(worker: QueryWorker, text: str, status: int, words: str) -> None:
    answer = worker.run(QueryRequest(text))
    assert answer.status == status and words in answer.message, answer.message
    assert answer.media_type == "text/plain" and answer.body.decode() == answer.message


def test_format_must_fit_the_result(worker: QueryWorker) -> None:
    assert worker.run(QueryRequest(VISITS, fmt="ttl")).status == 400
    assert worker.run(QueryRequest(VISITS, accept="image/png")).status == 406
    assert worker.run(QueryRequest(VISITS, accept="text/*")).fmt == "csv"


def test_row_cap_truncates_and_says_so(worker: QueryWorker) -> None:
    answer = worker.run(QueryRequest("SELECT * WHERE { ?s ?p ?o }", fmt="tsv", max_rows=5))
    assert answer.status == 200 and answer.rows == 5 and answer.truncated and answer.limit_hit == "rows"


def test_time_limit_kills_and_replaces(worker: QueryWorker) -> None:
    before = worker.pid
    start = time.monotonic()
    answer = worker.run(QueryRequest(CARTESIAN, timeout=0.5))
    assert answer.status == 503 and answer.limit_hit == "time" and answer.retry_after and answer.retry_after >= 1
    assert time.monotonic() - start < 3 and "--timeout" in answer.message
    assert worker.run(QueryRequest("ASK { ?s a sr:Visit }", fmt="srj")).status == 200  # a fresh worker
    assert worker.pid != before


def test_memory_cap_is_an_answer(worker: QueryWorker) -> None:
    answer = worker.run(QueryRequest(doubling(30), timeout=20))  # 8 GiB of string, with 300 MB allowed
    assert answer.status == 507 and answer.limit_hit == "memory" and "--max-memory" in answer.message
    assert worker.run(QueryRequest("ASK { ?s a sr:Visit }")).status == 200


def test_result_size_cap(worker: QueryWorker) -> None:
    answer = worker.run(QueryRequest(doubling(17, project_length=False), max_bytes=100_000))  # 1 MB value
    assert answer.status == 507 and answer.limit_hit == "bytes" and "--max-bytes" in answer.message


def test_cancel_from_another_thread(worker: QueryWorker) -> None:
    timer = threading.Timer(0.5, worker.cancel)
    timer.start()
    answer = worker.run(QueryRequest(CARTESIAN, timeout=30))
    assert answer.limit_hit == "cancelled"
    assert worker.run(QueryRequest("ASK {}")).status == 200


def test_workers_driven_from_threads() -> None:
    """Two workers answer at once from two threads; a runaway on one does not hold up the other."""
    with QueryWorker("oxigraph") as slow, QueryWorker("oxigraph") as fast:
        answers: dict[str, QueryAnswer] = {}
        started = time.monotonic()
        thread = threading.Thread(target=lambda: answers.setdefault("slow", slow.run(QueryRequest(CARTESIAN,
                                                                                                    timeout=4))))
        thread.start()
        fast.start()
        took = []
        for _ in range(5):
            begin = time.monotonic()
            assert fast.run(QueryRequest(VISITS, fmt="srj")).status == 200
            took.append(time.monotonic() - begin)
        thread.join()
        assert answers["slow"].status == 503 and max(took) < 2 and time.monotonic() - started < 20


def test_errors_raise_query_failed_from_result() -> None:
    with pytest.raises(QueryFailed) as caught:
        QueryAnswer.error(400, "refused: SERVICE").result()
    assert caught.value.status == 400


def test_a_worker_that_cannot_start_says_why() -> None:
    worker = QueryWorker("oxigraph", ntriples=b"<not a triple")
    with pytest.raises(WorkerUnavailable):
        worker.start()


def test_request_roundtrip_keeps_bindings_and_surrogates() -> None:
    from sinorus_kg.terms import Term

    request = QueryRequest('SELECT ("\ud800" AS ?x) {}', bindings={"p": Term.iri("urn:x")}, timeout=None)
    assert QueryRequest.from_json(request.to_json()) == request
    assert json.loads(QueryAnswer(200, body=b"x").header())["status"] == 200
