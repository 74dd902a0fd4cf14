"""`sinorus-kg serve --store memory` beside `--store disk` on one release, over HTTP on 127.0.0.1.

Starts the two servers one after the other (the start-up time of each is the time to its
"serving" line: the project's store opened and every worker ready), then sends the same stored
queries (``GET /queries/NAME``, default parameters, SPARQL JSON or N-Triples) to both, alternating which goes
first, ``--runs`` times each, one request at a time; prints the median per query, the
disk/memory ratio, each server's start-up, its and its workers' RSS, and how long one worker takes to
be replaced (a ``QueryWorker`` started, killed and restarted on each store: what the pool waits
for after a time limit, a memory cap or a crash). All traffic stays on loopback.

Point it at a release built by ``bench_scale.py --keep DIR`` (its on-disk store is built on
first use into ``--cache``, ``$XDG_CACHE_HOME`` for both servers)::

    nice -n 5 .venv/bin/python benchmarks/bench_serve_store.py \\
        --release /tmp/13c-bench2/n1000000/release --cache /tmp/13c-bench2/n1000000/cache

With no ``--release`` it uses the built release of this checkout (the document: fast).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["events-timeline", "dialogue-mechanisms", "person-labels", "agreements", "entities-by-name",
           "events-in-country", "relations-established"]
STORES = ("memory", "disk")


def children(pid: int) -> list[int]:
    """The child processes of every thread of ``pid`` (the pool starts its workers from threads)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    return sorted(found)


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def answer_size(body: bytes) -> int:
    """Rows of a SPARQL JSON answer, 1 for ASK, lines (triples) of N-Triples."""
    if body.startswith(b"{"):
        document = json.loads(body)
        return len(document["results"]["bindings"]) if "results" in document else 1
    return body.count(b"\n")


class Server:
    """One `sinorus-kg serve --store STORE --port 0` process."""

    def __init__(self, store: str, env: dict[str, str], workers: int, timeout: float, max_rows: int):
        started = time.monotonic()
        self.store = store
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sinorus_kg", "serve", "--port", "0", "--store", store, "--workers", str(workers),
             "--timeout", str(timeout), "--max-rows", str(max_rows), "--max-bytes", str(1 << 30)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("serving http://127.0.0.1:"):
            self.proc.kill()
            raise SystemExit(f"serve --store {store} did not start: {line!r}")
        self.startup = time.monotonic() - started
        self.port = int(line.split()[1].rstrip("/").rsplit(":", 1)[1])
        self.line = line.strip()

    def get(self, path: str, timeout: float) -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json, application/n-triples"})
            response = conn.getresponse()
            body = response.read()
            return response.status, body, time.perf_counter() - start
        finally:
            conn.close()

    def worker_rss(self) -> list[float]:
        return [rss_mb(child) for child in children(self.proc.pid)]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def replacement_seconds(store: str, times: int) -> list[float]:
    """Start a worker, then kill it and time its replacement, ``times`` times."""
    from sinorus_kg.sandbox.worker import QueryWorker

    out = []
    with QueryWorker("oxigraph", store=store) as worker:
        worker.start()
        for _ in range(times):
            start = time.monotonic()
            worker.kill(replace=True)
            worker.start()  # waits for the replacement
            out.append(time.monotonic() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", type=Path, help="a built release folder (default: this checkout's)")
    parser.add_argument("--cache", type=Path, help="XDG_CACHE_HOME for the on-disk store (default: as set)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3, help="workers per server (serve's default here: 3)")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--max-rows", type=int, default=10_000, help="serve's row cap (its default: 10000)")
    parser.add_argument("--replacements", type=int, default=3, help="worker replacements timed per store")
    parser.add_argument("--queries", nargs="*", default=QUERIES)
    args = parser.parse_args()
    if args.release:
        os.environ["SINORUS_KG_RELEASE"] = str(args.release.resolve())
    if args.cache:
        os.environ["XDG_CACHE_HOME"] = str(args.cache.resolve())
    env = dict(os.environ)

    servers = {}
    try:
        for store in STORES:
            servers[store] = Server(store, env, args.workers, args.timeout, args.max_rows)
            server = servers[store]
            health = json.loads(server.get("/health", 30)[1])
            print(f"--store {store}: ready in {server.startup:.2f} s; server RSS {rss_mb(server.proc.pid):.0f} MB, "
                  f"workers' {', '.join(f'{r:.0f}' for r in server.worker_rss())} MB; /health release_store="
                  f"{health.get('release_store')}; {health.get('triples')} triples in the server's store", flush=True)
            print(f"  {server.line.split('query workers: ', 1)[1]}", flush=True)
        times: dict[tuple[str, str], list[float]] = {}
        rows: dict[tuple[str, str], int] = {}
        for run in range(args.runs + 1):  # run 0 warms both (page cache, checked-query cache)
            for name in args.queries:
                order = STORES if run % 2 else STORES[::-1]
                for store in order:
                    status, body, seconds = servers[store].get(f"/queries/{name}", args.timeout + 5)
                    if status != 200:
                        raise SystemExit(f"{name} on --store {store}: {status} {body[:300]!r}")
                    rows[name, store] = answer_size(body)
                    if run:
                        times.setdefault((name, store), []).append(seconds)
        print(f"\nmedian of {args.runs} runs per query, ms (rows answered; serve's row cap {args.max_rows}):")
        print(f"{'query':28} {'memory':>10} {'disk':>10} {'disk/memory':>12} {'rows':>8}")
        ratios, medians = [], {store: [] for store in STORES}
        for name in args.queries:
            m = statistics.median(times[name, "memory"]) * 1000
            d = statistics.median(times[name, "disk"]) * 1000
            medians["memory"].append(m)
            medians["disk"].append(d)
            ratios.append(d / m)
            same = "" if rows[name, "memory"] == rows[name, "disk"] else f"  (disk: {rows[name, 'disk']})"
            print(f"{name:28} {m:10.1f} {d:10.1f} {d / m:11.2f}x {rows[name, 'memory']:8}{same}")
        print(f"{'median over the queries':28} {statistics.median(medians['memory']):10.1f} "
              f"{statistics.median(medians['disk']):10.1f} {statistics.median(ratios):11.2f}x")
        for store in STORES:
            print(f"RSS after the runs, --store {store}: server {rss_mb(servers[store].proc.pid):.0f} MB, workers "
                  f"{', '.join(f'{r:.0f}' for r in servers[store].worker_rss())} MB")
    finally:
        for server in servers.values():
            server.stop()
    for store in STORES:
        seconds = replacement_seconds(store, args.replacements)
        print(f"one worker replaced (killed, restarted, ready), --store {store}: median "
              f"{statistics.median(seconds):.2f} s of {', '.join(f'{s:.2f}' for s in seconds)}")


if __name__ == "__main__":
    main()
