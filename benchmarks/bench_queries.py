"""Median latency of every stored query on each engine, side by side, with the ratio.

Runs on the built release as the engines load it (``release/sinorus-full.ttl`` in the default
graph, ``catalogue.ttl`` in its named graph). With ``--scale N`` the data is copied N times
under renamed IRIs, to catch query plans that only hurt at size (e.g. FILTER NOT EXISTS on
Oxigraph). Targets on the release: every stored query under 5 ms on Oxigraph and under 100 ms
on rdflib.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from rdflib import Graph, URIRef

from sinorus_kg.catalogue import Catalogue
from sinorus_kg.engines import OxigraphEngine, open_engine, release_graphs, with_catalogue
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


ENGINE_CHOICES = ("oxigraph", "rdflib", "oxigraph-substitutions")  # the last: pyoxigraph's own binding


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="copies of the data (default 1: the release)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--engines", nargs="+", choices=ENGINE_CHOICES, default=["oxigraph", "rdflib"],
                        help="engines to time, side by side (the ratio is the last over the first)")
    args = parser.parse_args()
    data, described = Graph(), Graph()
    for path, named in release_graphs():
        (described if named else data).parse(path, format="turtle")
    data = scaled(data, args.scale)
    graph = with_catalogue(data, described)
    engines: dict[str, Any] = {}
    for name in args.engines:
        if name == "oxigraph-substitutions":
            store = engines["oxigraph"].store if "oxigraph" in engines else open_engine("oxigraph", graph=graph).store
            engines[name] = OxigraphEngine(store, binding="substitutions")
        else:
            engines[name] = open_engine(name, graph=graph)
    catalogue = Catalogue.load()
    print(f"{len(data)} triples (+ {len(described)} in the catalogue graph), {len(catalogue)} stored queries, "
          f"median of {args.runs} runs (ms)")
    names = list(engines)
    ratio = len(names) > 1
    print(f"{'query':<40} " + " ".join(f"{n:>9}" for n in names) + (f" {'ratio':>7}" if ratio else ""))
    totals: dict[str, list[float]] = {name: [] for name in engines}
    for q in catalogue:
        bindings, text = q.bindings(), q.sparql()
        row = {}
        for name, engine in engines.items():
            engine.run(text, bindings)  # warm-up
            row[name] = median_ms(lambda e=engine, t=text, b=bindings: e.run(t, b), args.runs)
            totals[name].append(row[name])
        print(f"{q.name:<40} " + " ".join(f"{row[n]:9.2f}" for n in names)
              + (f" {row[names[-1]] / row[names[0]]:6.1f}x" if ratio else ""))
    medians = {n: statistics.median(totals[n]) for n in names}
    print(f"{'median over queries':<40} " + " ".join(f"{medians[n]:9.2f}" for n in names)
          + (f" {medians[names[-1]] / medians[names[0]]:6.1f}x" if ratio else ""))
    print(f"{'slowest query':<40} " + " ".join(f"{max(totals[n]):9.2f}" for n in names))
    print(f"{'slowest is':<40} " + " ".join(f"{catalogue.names()[totals[n].index(max(totals[n]))]}" for n in names))


if __name__ == "__main__":
    main()
