"""The query-worker contract: statuses, limits, isolation, and driving workers from threads."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from sinorus_kg.sandbox.protocol import QueryAnswer, QueryFailed, QueryRequest
from sinorus_kg.sandbox.worker import QueryWorker, WorkerUnavailable

VISITS = "SELECT ?visit ?date WHERE { ?visit a sr:Visit ; sr:earliestDate ?date } ORDER BY ?date ?visit"
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


def test_native_answer_reads_back_as_a_result(worker: QueryWorker) -> None:
    answer = worker.run(QueryRequest(VISITS, accept="application/sparql-results+json, application/n-triples"))
    assert answer.fmt == "srj"
    result = answer.result()
    assert result.columns == ["visit", "date"] and len(result.rows) == answer.rows
    graph = worker.run(QueryRequest("CONSTRUCT WHERE { ?v a sr:Visit }",
                                    accept="application/sparql-results+json, application/n-triples"))
    assert graph.fmt == "nt" and graph.result().kind == "graph" and graph.result().triples


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
