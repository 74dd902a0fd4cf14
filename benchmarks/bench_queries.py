"""Median latency of every stored query on each engine, side by side, with the ratio.

Runs on the built release (``release/sinorus-full.ttl`` + ``catalogue.ttl``). With
``--scale N`` the data is copied N times under renamed IRIs, to catch query plans that
only hurt at size (e.g. FILTER NOT EXISTS on Oxigraph). Targets on the release: every
stored query under 5 ms on Oxigraph and under 100 ms on rdflib.
"""

from __future__ import annotations

import argparse
import statistics
import time

from rdflib import Graph, URIRef

from sinorus_kg.catalogue import Catalogue
from sinorus_kg.engines import open_engine, release_files
from sinorus_kg.namespaces import SRID


def scaled(graph: Graph, copies: int) -> Graph:
    """``copies`` copies of the graph, resource IRIs suffixed per copy (ontology terms shared)."""
    if copies <= 1:
        return graph
    out = Graph()
    for i in range(copies):
        def rename(term, i=i):  # type: ignore[no-untyped-def]
            return URIRef(f"{term}-copy{i}") if i and isinstance(term, URIRef) and str(term).startswith(SRID) else term
        for s, p, o in graph:
            out.add((rename(s), p, rename(o)))
    return out


def median_ms(func, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="copies of the data (default 1: the release)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    graph = Graph()
    for path in release_files():
        graph.parse(path, format="turtle")
    graph = scaled(graph, args.scale)
    engines = {name: open_engine(name, graph=graph) for name in ("oxigraph", "rdflib")}
    catalogue = Catalogue.load()
    print(f"{len(graph)} triples, {len(catalogue)} stored queries, median of {args.runs} runs (ms)")
    print(f"{'query':<40} {'oxigraph':>9} {'rdflib':>9} {'ratio':>7}")
    totals = {name: [] for name in engines}  # type: ignore[var-annotated]
    for q in catalogue:
        bindings, text = q.bindings(), q.sparql()
        row = {}
        for name, engine in engines.items():
            engine.run(text, bindings)  # warm-up
            row[name] = median_ms(lambda e=engine, t=text, b=bindings: e.run(t, b), args.runs)
            totals[name].append(row[name])
        print(f"{q.name:<40} {row['oxigraph']:9.2f} {row['rdflib']:9.2f} {row['rdflib'] / row['oxigraph']:6.0f}x")
    ox, rl = totals["oxigraph"], totals["rdflib"]
    print(f"{'median over queries':<40} {statistics.median(ox):9.2f} {statistics.median(rl):9.2f} "
          f"{statistics.median(rl) / statistics.median(ox):6.0f}x")
    print(f"{'slowest query':<40} {max(ox):9.2f} {max(rl):9.2f}")


if __name__ == "__main__":
    main()
