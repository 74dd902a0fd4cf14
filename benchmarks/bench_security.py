"""Security figures of the endpoint, all on 127.0.0.1: hostile probes sent / refused / connections
seen / 5xx, refusal latency, memory of the worker and of the server under explosive queries, and the
time to answer a runaway (and to be served again after it)."""

from __future__ import annotations

import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile import Listener, forms  # noqa: E402

from sinorus_kg.knowledge_graph import KnowledgeGraph  # noqa: E402
from sinorus_kg.sandbox import QueryWorker  # noqa: E402
from sinorus_kg.server import make_server  # noqa: E402

TIMEOUT = 2.0


def doubling(times: int, project_length: bool = True) -> str:
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(times))
    chosen = f"(STRLEN(?x{times}) AS ?length)" if project_length else f"?x{times}"
    return f'SELECT {chosen} WHERE {{ BIND("xxxxxxxx" AS ?x0) {binds} }}'


EXPLOSIVE = {
    "cartesian ORDER BY": "SELECT ?a ?b ?c ?d WHERE { ?a ?p1 ?b . ?c ?p2 ?d } ORDER BY STR(?b) STR(?d)",
    "string doubling (2^30 x 8 chars)": doubling(30),
    "string doubling, sent (2^22 x 8 chars)": doubling(22, project_length=False),
    "cartesian COUNT (runaway)": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
}


def own_memory() -> dict[str, int]:
    out = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    return out


def watch(worker: QueryWorker, peak: list[int], stop: threading.Event) -> None:
    """The worker's largest RSS while a query runs (sampled every 20 ms)."""
    while not stop.is_set():
        peak[0] = max(peak[0], worker.memory().get("VmRSS", 0))
        time.sleep(0.02)


def get(url: str, query: str) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url + "?" + urlencode({"query": query}), timeout=60) as response:
            response.read()
            return response.status, time.perf_counter() - start
    except urllib.error.HTTPError as exc:
        with exc:
            exc.read()
            return exc.code, time.perf_counter() - start


def main() -> None:
    listener = Listener()
    for engine in ("oxigraph", "rdflib"):
        server = make_server(KnowledgeGraph(engine), "127.0.0.1", 0, timeout=TIMEOUT, max_rows=10_000)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = server.url + "sparql"
        worker = server.worker
        print(f"== {engine}: {worker.isolation.describe() if worker.isolation else '?'}, time limit {TIMEOUT:g} s")
        statuses, took = [], []
        for form in forms(listener.url):
            status, seconds = get(url, form.text)
            statuses.append(status)
            took.append(seconds)
        refused = sum(400 <= s < 500 for s in statuses)
        print(f"hostile probes sent {len(statuses)}, refused {refused}, connections seen {listener.connections}, "
              f"5xx {sum(s >= 500 for s in statuses)}; refusal median {statistics.median(took) * 1000:.1f} ms, "
              f"max {max(took) * 1000:.0f} ms")
        for name, query in EXPLOSIVE.items():
            before = own_memory()
            peak = [0]
            stop = threading.Event()
            watcher = threading.Thread(target=watch, args=(worker, peak, stop))
            watcher.start()
            status, seconds = get(url, query)
            stop.set()
            watcher.join()
            again, after_seconds = get(url, "ASK { ?t a sr:Treaty }")
            after = own_memory()
            print(f"{name:40} {status} in {seconds:5.2f} s; worker peak RSS {peak[0] / 2**20:6.0f} MB; "
                  f"server RSS {before['VmRSS'] / 2**20:.0f} -> {after['VmRSS'] / 2**20:.0f} MB; "
                  f"next query {again} after {after_seconds:.2f} s")
        server.shutdown()
        server.server_close()
    listener.close()


if __name__ == "__main__":
    main()
