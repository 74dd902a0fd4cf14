"""The guarantee under the policy: with the policy bypassed, the worker's network blocks alone stop
Oxigraph's SERVICE and rdflib's HTTP. A control run without a block shows the listener counts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from hostile import Listener

PROBE = """
import sys
from sinorus_kg.sandbox import isolation
block = sys.argv[1]
if block == "namespace":
    assert isolation.unshare_network() is None
elif block == "seccomp":
    assert isolation.deny_sockets() is None
import pyoxigraph, rdflib, urllib.request
url = sys.argv[2]
for attempt in (
    lambda: list(pyoxigraph.Store().query("SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }" % url)),
    lambda: list(rdflib.Graph().query("SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }" % url)),
    lambda: rdflib.Graph().parse(url + ".ttl"),
    lambda: urllib.request.urlopen(url, timeout=5).read(),
):
    try:
        attempt()
        print("answered")
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


@pytest.fixture()
def listener() -> Iterator[Listener]:
    started = Listener()
    yield started
    started.close()


def probe(block: str, listener: Listener) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, block, listener.url], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_without_a_block_the_engines_connect(listener: Listener) -> None:
    probe("none", listener)
    assert listener.connections >= 3  # the listener really counts: Oxigraph, rdflib and urllib reached it


@pytest.mark.parametrize(("block", "reason"), [("namespace", "Network is unreachable"),
                                               ("seccomp", "Operation not permitted")])
def test_each_block_alone_stops_every_connection(listener: Listener, block: str, reason: str) -> None:
    output = probe(block, listener)
    assert listener.connections == 0
    assert "answered" not in output and reason in output, output


def test_the_worker_reports_its_isolation() -> None:
    from sinorus_kg.sandbox import QueryWorker

    with QueryWorker("oxigraph") as worker:
        isolation = worker.start()
        assert isolation.seccomp and isolation.network_blocked, isolation.describe()
        if os.geteuid() == 0:  # as here and in CI; elsewhere a user namespace may or may not be allowed
            assert isolation.namespace and "network namespace + seccomp" in isolation.describe()


def test_without_isolation_serve_refuses_and_the_cli_and_api_warn(monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import warnings

    from service import running
    from typer.testing import CliRunner

    from sinorus_kg.cli import app
    from sinorus_kg.knowledge_graph import IsolationWarning, KnowledgeGraph
    from sinorus_kg.sandbox.child import NO_ISOLATION

    monkeypatch.setenv(NO_ISOLATION, "1")
    refused = CliRunner().invoke(app, ["serve", "--port", "0", "--workers", "1"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "cannot be isolated" in refused.stderr and "--unsandboxed" in refused.stderr, refused.stderr
    assert "serving" not in refused.stdout
    with running(workers=1, unsandboxed=True) as server:  # the service `serve --unsandboxed` runs
        assert "network block: NONE" in server.isolation
        health = json.loads(server.fetch("/health")[2])
        assert health["sandboxed"] is False and "NONE" in health["isolation"]
        assert server.fetch("/sparql?query=ASK%7B%7D")[0] == 200
    result = CliRunner().invoke(app, ["sparql", "ASK { ?t a sr:Treaty }"])
    assert result.exit_code == 0 and "warning: the query worker is not isolated" in result.stderr
    kg = KnowledgeGraph("oxigraph")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert kg.sparql("ASK { ?t a sr:Treaty }").boolean is True
    assert any(issubclass(w.category, IsolationWarning) for w in caught)
    kg.close()


def test_serve_prints_the_workers_isolation() -> None:
    """`sinorus-kg serve` on 127.0.0.1: the workers start isolated and the first line says how."""
    import time
    import urllib.request

    process = subprocess.Popen([sys.executable, "-m", "sinorus_kg", "serve", "--port", "0", "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("serving http://127.0.0.1:"), line + (process.stderr.read() if process.stderr else "")
        assert "query workers: network block: " in line and "NONE" not in line and "memory cap" in line
        assert "; release in memory (" in line and "triples, ~" in line  # --store auto: the document fits
        url = line.split()[1]
        start = time.monotonic()
        with urllib.request.urlopen(url + "sparql?query=ASK%7B%7D", timeout=30) as response:
            assert response.status == 200 and b"true" in response.read()
        assert time.monotonic() - start < 30
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0
