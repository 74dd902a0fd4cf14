"""No user query reaches the network: 300 hostile forms, sent to the server (GET, form POST, direct
POST), the Python API and the CLI on both engines, with a listener on 127.0.0.1 counting connections.

`make test` sends every third form to the server and the API and a dozen to the CLI (both engines);
the `slow` marker sends them all to the server and the API on both engines, and each once to the CLI
(engines alternating).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from hostile import Form, Listener, describe_outside, forms

from sinorus_kg.knowledge_graph import KnowledgeGraph
from sinorus_kg.sandbox.protocol import QueryFailed
from sinorus_kg.server import SparqlServer, make_server

ENGINES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    started = Listener()
    yield started
    started.close()
    assert started.connections == 0, f"{started.connections} connection(s) reached the listener"


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest, listener: Listener) -> Iterator[SparqlServer]:
    import threading

    started = make_server(KnowledgeGraph(request.param), "127.0.0.1", 0, timeout=5.0, max_rows=1000)
    thread = threading.Thread(target=started.serve_forever, daemon=True)
    thread.start()
    yield started
    started.shutdown()
    started.server_close()
    thread.join(timeout=5)


def sample(every: int) -> list[Form]:
    chosen = forms("http://127.0.0.1:1/placeholder")
    return chosen[::every]


def send(server: SparqlServer, how: str, text: str, extra: dict[str, str] | None = None) -> tuple[int, str, float]:
    base = server.url.rstrip("/") + "/sparql"
    if how == "get":
        request = urllib.request.Request(base + "?" + urlencode({"query": text, **(extra or {})}))
    elif how == "form":
        request = urllib.request.Request(base, data=urlencode({"query": text, **(extra or {})}).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        request = urllib.request.Request(base, data=text.encode("utf-8"),
                                         headers={"Content-Type": "application/sparql-query"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace"), time.perf_counter() - start
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode("utf-8", "replace"), time.perf_counter() - start


def _server_sweep(server: SparqlServer, listener: Listener, chosen: list[Form]) -> None:
    failures, took = [], []
    for form in chosen:
        text = form.text.replace("http://127.0.0.1:1/placeholder", listener.url)
        for how in ("get", "form", "direct"):
            status, body, seconds = send(server, how, text)
            took.append(seconds)
            if status not in form.expect or "Traceback" in body:
                failures.append(f"{form.name} ({how}): {status} {body[:200]}")
    assert not failures, "\n".join(failures[:20])
    assert listener.connections == 0
    took.sort()
    median, p95 = statistics.median(took), took[int(len(took) * 0.95)]
    assert p95 < 0.1, f"refusals: median {median * 1000:.0f} ms, 95th percentile {p95 * 1000:.0f} ms"


def test_server_refuses_hostile_forms(server: SparqlServer, listener: Listener) -> None:
    _server_sweep(server, listener, sample(3))


@pytest.mark.slow
def test_server_refuses_every_hostile_form(server: SparqlServer, listener: Listener) -> None:
    _server_sweep(server, listener, sample(1))


def test_there_are_at_least_200_forms() -> None:
    assert len(forms("http://127.0.0.1:1/x")) >= 200


def test_dataset_parameters_are_refused(server: SparqlServer, listener: Listener) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        for how in ("get", "form"):
            status, body, _ = send(server, how, "SELECT * WHERE { ?s ?p ?o }", {name: listener.url})
            assert status == 400 and name in body
    assert listener.connections == 0


def test_describe_of_an_outside_iri_answers_from_local_data(server: SparqlServer, listener: Listener) -> None:
    for text in describe_outside(listener.url):
        status, body, _ = send(server, "get", text)
        assert status == 200, body
        if "Xi Jinping" in text:
            assert "Xi Jinping" in body and "习近平" in body  # the local description, nothing fetched
    assert listener.connections == 0


def _api_sweep(engine: str, listener: Listener, chosen: list[Form]) -> None:
    kg = KnowledgeGraph(engine)
    failures = []
    try:
        for form in chosen:
            try:
                kg.sparql(form.text.replace("http://127.0.0.1:1/placeholder", listener.url), timeout=10)
            except QueryFailed as exc:
                if exc.status not in form.expect:
                    failures.append(f"{form.name}: {exc.status} {exc}")
            else:
                failures.append(f"{form.name}: answered")
        for text in describe_outside(listener.url):
            assert kg.sparql(text).kind == "graph"
    finally:
        kg.close()
    assert not failures, "\n".join(failures[:20])
    assert listener.connections == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_python_api_refuses_hostile_forms(engine: str, listener: Listener) -> None:
    _api_sweep(engine, listener, sample(3))


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_python_api_refuses_every_hostile_form(engine: str, listener: Listener) -> None:
    _api_sweep(engine, listener, sample(1))


def _cli(engine: str, text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sinorus_kg", "sparql", "--engine", engine, "-"], input=text,
                          capture_output=True, text=True, timeout=120)


def _cli_sweep(listener: Listener, chosen: list[Form], both: bool = True) -> None:
    """Each form through `sinorus-kg sparql` (a cold process and a worker each): on both engines,
    or alternating engines form by form (the full sweep: about 1 s per process here)."""
    jobs = ([(engine, form) for form in chosen for engine in ENGINES] if both
            else [(ENGINES[i % 2], form) for i, form in enumerate(chosen)])
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: (job, _cli(job[0], job[1].text.replace(
            "http://127.0.0.1:1/placeholder", listener.url))), jobs))
    failures = [f"{engine} {form.name}: exit {done.returncode} {done.stderr[:200]}"
                for (engine, form), done in results
                if done.returncode != 2 or "Traceback" in done.stderr + done.stdout
                or not done.stderr.startswith("error:")]
    assert not failures, "\n".join(failures[:20])
    assert listener.connections == 0


def test_cli_refuses_hostile_forms(listener: Listener) -> None:
    _cli_sweep(listener, sample(25))


@pytest.mark.slow
def test_cli_refuses_every_hostile_form(listener: Listener) -> None:
    _cli_sweep(listener, sample(1), both=False)
