"""Benchmark: median wall time of `validate` on the project's data (target: under 3 s).

Measured in-process on the asserted graph (ontology + data, as `build` validates it); the
graph is loaded once, outside the timing. Run: `python benchmarks/bench_validate.py [N]`.
"""

from __future__ import annotations

import statistics
import sys
import time

from rdflib import RDF, URIRef

from sinorus_kg.loading import load_sources
from sinorus_kg.validation import SH, load_shapes, validate


def main(runs: int = 7) -> None:
    graph = load_sources()
    shapes = load_shapes()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    named = {s for s in node_shapes | property_shapes if isinstance(s, URIRef)}
    sparql = set(shapes.objects(None, SH.sparql))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = validate(graph, shapes=shapes)
        times.append(time.perf_counter() - start)
    print(f"triples: {len(graph)}")
    print(f"shapes: {len(named)} named ({len(node_shapes & named)} node, {len(property_shapes & named)} property), "
          f"{len(sparql)} SPARQL constraints, 1 Python check")
    print(f"results: {report.counts()}")
    print(f"validate: median {statistics.median(times):.3f} s over {runs} runs "
          f"(min {min(times):.3f} s, max {max(times):.3f} s; first run includes the pySHACL import)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
