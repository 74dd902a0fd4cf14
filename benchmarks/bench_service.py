"""Load on the SPARQL service, on 127.0.0.1 only, bounded in count and time; the old server beside it.

Phases, for each server: 20 concurrent clients each sending ``--per-client`` simple
queries (a new connection per request, as a simple client does), alone; then the same
while two runaway queries from two other clients (source addresses 127.0.0.2 and
127.0.0.3) run to the time limit again and again. It prints throughput, p50/p99/max of
the simple queries, the slowest runaway answer, /health latency (polled throughout) and
the RSS of the server and of its workers. Targets on the 2-core machine: p99 < 150 ms
alone and < 400 ms with the runaways; nothing slower than the time limit + 1 s; /health
under 50 ms throughout.

The new server runs its pool on the sandboxed query workers of ``sinorus_kg.sandbox`` (as
``sinorus-kg serve`` does: no network, memory cap, one deadline). The old server is
``sinorus_kg/server.py`` as it was last on ``main`` before the service replaced it (the
standard library's ThreadingHTTPServer running every query in one sandboxed worker, one at a
time), extracted with ``git show`` into a temporary folder for this run only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SIMPLE = "SELECT ?visit ?date WHERE { ?visit a sr:Visit ; time:hasTime/sr:earliestBegin ?date } ORDER BY ?date"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

NEW = """
from sinorus_kg.web.config import ServiceConfig
from sinorus_kg.web.server import serve
serve(ServiceConfig(port={port}, timeout={timeout}, access_log=False),
      on_ready=lambda url, isolation: print("ready", url, "|", isolation, flush=True))
"""
OLD = """
import sys
sys.path.insert(0, {folder!r})
from old_server import make_server
from sinorus_kg.knowledge_graph import KnowledgeGraph
server = make_server(KnowledgeGraph("oxigraph"), "127.0.0.1", {port}, timeout={timeout})
print("ready", server.url, flush=True)
server.serve_forever()
"""


POLLER = """
import http.client, sys, time
port = int(sys.argv[1])
while True:
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/health", headers={"Host": "127.0.0.1"})
        conn.getresponse().read()
        conn.close()
    except (OSError, http.client.HTTPException):
        pass
    print(round((time.perf_counter() - start) * 1000, 2), flush=True)
    time.sleep(0.1)
"""
OLD_SERVER_COMMIT = "f4b50ef"  # main with issue 9's hardened stdlib server, before the service was merged
FIRST_ERRORS: dict[int, bytes] = {}


def request(port: int, path: str, source: str = "127.0.0.1", timeout: float = 60) -> tuple[int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        body = response.read()
        status = response.status
        if status not in (200, 503) or (status == 503 and "time limit" not in body.decode(errors="replace")):
            FIRST_ERRORS.setdefault(status, body[:200])
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - start


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return []
    return [int(p) for p in out.split()]


def phase(port: int, clients: int, per_client: int, runaways: bool, health: bool, pid: int) -> dict[str, object]:
    simple = "/sparql?" + urlencode({"query": SIMPLE})
    runaway = "/sparql?" + urlencode({"query": RUNAWAY})
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    health_ms: list[float] = []
    runaway_s: list[float] = []
    stop = threading.Event()
    lock = threading.Lock()
    rss = {"server": 0, "workers": 0}

    def client() -> None:
        for _ in range(per_client):
            status, seconds = request(port, simple)
            with lock:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

    def runaway_client(source: str) -> None:
        while not stop.is_set():
            status, seconds = request(port, runaway, source)
            runaway_s.append(seconds)

    def poll() -> None:
        # /health is timed from a process of its own: a thread here would also time this process's
        # GIL, which the 20 client threads keep busy (p50 22 ms measured that way, 2 ms apart)
        poller = subprocess.Popen([sys.executable, "-c", POLLER, str(port)], stdout=subprocess.PIPE, text=True)
        assert poller.stdout is not None
        try:
            while not stop.is_set():
                line = poller.stdout.readline()
                if line.strip():
                    health_ms.append(float(line))
                rss["server"] = max(rss["server"], rss_kb(pid))
                rss["workers"] = max(rss["workers"], sum(rss_kb(c) for c in children(pid)))
        finally:
            poller.terminate()
            poller.wait(10)

    side = [threading.Thread(target=runaway_client, args=(s,)) for s in ("127.0.0.2", "127.0.0.3")] if runaways else []
    if health:
        side.append(threading.Thread(target=poll))
    for t in side:
        t.start()
    if runaways:
        time.sleep(1.5)  # the runaways are past 1 s (on SCHED_IDLE in the new server)
    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    stop.set()
    for t in side:
        t.join(120)
    ms = sorted(x * 1000 for x in latencies)
    return {
        "requests/s": round(len(ms) / elapsed, 1), "p50 ms": round(statistics.median(ms), 1),
        "p99 ms": round(ms[int(0.99 * (len(ms) - 1))], 1), "max ms": round(ms[-1], 1), "statuses": statuses,
        "slowest runaway s": round(max(runaway_s), 2) if runaway_s else None,
        "health p50/max ms": (round(statistics.median(health_ms), 1), round(max(health_ms), 1)) if health_ms
        else None,
        "server RSS MB": round(rss["server"] / 1024, 1) if health else None,
        "workers RSS MB": round(rss["workers"] / 1024, 1) if health else None,
    }


def start(script: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("ready"):
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    url, _, isolation = line.removeprefix("ready ").partition(" | ")
    port = int(url.strip().rstrip("/").rsplit(":", 1)[1])
    if isolation.strip():
        print(f"  query workers: {isolation.strip()}")
    time.sleep(1.0)
    return process, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=5.0, help="the servers' query time limit")
    parser.add_argument("--skip-old", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        servers = [("new (Starlette/Hypercorn, pool)", NEW.format(tests=str(ROOT / "tests"), port=0,
                                                                   timeout=args.timeout))]
        if not args.skip_old:
            old = subprocess.run(["git", "show", f"{OLD_SERVER_COMMIT}:sinorus_kg/server.py"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
            Path(folder, "old_server.py").write_text(old)
            servers.append(("old (stdlib, global lock)", OLD.format(folder=folder, port=0, timeout=args.timeout)))
        for name, script in servers:
            process, port = start(script)
            try:
                health = name.startswith("new")
                print(f"== {name}, {args.clients} clients x {args.per_client} queries, time limit {args.timeout:g} s")
                print("  alone:          ", phase(port, args.clients, args.per_client, False, health, process.pid))
                print("  with 2 runaways:", phase(port, args.clients, args.per_client, True, health, process.pid))
            finally:
                process.terminate()
                process.wait(10)
    print(f"(machine: {os.cpu_count()} cores; medians of one run; compare within a run)")
    for status, body in FIRST_ERRORS.items():
        print(f"first {status} answer: {body!r}")


if __name__ == "__main__":
    main()
