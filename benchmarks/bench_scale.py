"""Scale benchmark: every pipeline stage and every stored query on every engine, side by side.

For each size (asserted triples of a project-shaped synthetic graph, ``sinorus_kg.synthetic``):

1. the build, as a separate process (wall time, CPU time, and peak memory as the *sum* of the
   RSS of the process tree, a JVM included — its heap is capped by SINORUS_JAVA_HEAP); its
   stages overlap (the checks run on a thread beside the rules and the serialisers);
2. the pipeline stage by stage, the old libraries beside the new (rdflib parse, pySHACL and
   Jena SHACL, owlrl, rdflib serialisation) where they finish in reasonable time (``--old-max``);
3. each QC query on the build's store (their cost is the queries' text, not the engine's);
4. HermiT's consistency check on its own (``--hermit-max``; a separate step, outside the goals);
5. every stored query on pyoxigraph in memory, pyoxigraph on the on-disk store the CLI opens
   (``oxigraph-disk``: ``store.open_release_store``, read-only; a query can be several times
   slower there), rdflib (``--rdflib-max``), Apache Jena ARQ (Debian's libapache-jena-java, when
   installed; on a TDB2 database above ``--tdb2-above``) and an Oxigraph server over HTTP on
   127.0.0.1 (the ``oxigraph`` package, when installed), with the row counts compared and each
   pyoxigraph store's ratio to the best engine;
6. a cold ``sinorus-kg query NAME`` against ``benchmarks/bare_query.py`` — a bare Python process
   opening the same on-disk store and running the same query — on the document's release and
   on each size's.

``--release-by-copy`` skips the build and times only the stored queries, on the document's full
release copied to each size (``synthetic.write_release_copies``: the release of k disjoint copies
is k renamed copies of the release, as ``tests/test_synthetic_release.py`` checks against a real
build), streamed as N-Triples: 10M triples, whose build would need ~25 GB, in ~6 GB (pyoxigraph's
in-memory store up to ``--memory-max``, then the on-disk store, then Jena on TDB2 with ``--jena-heap``).

Growth exponents (log t2/t1 / log n2/n1) are printed between consecutive sizes.
``make bench-scale`` runs 10k, 100k and 1M; ``--sizes 3000 --quick`` is the smoke run the
tests use so that this script cannot rot.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import scale_stores

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def rss_tree(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        stack.extend(int(c) for c in children)
    return total


def measured(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> tuple[float, int, str]:
    """Run ``cmd``; return (wall seconds, peak summed RSS in bytes, stdout). The CPU seconds of the
    process tree are left in ``measured.cpu``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_tree(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        done.set()
        return float("inf"), peak, ""
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}… failed:\n{err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured.cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)  # type: ignore[attr-defined]
    return time.perf_counter() - start, peak, out


def timed(func: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def median_ms(func: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


BUILD = """
import json, sys
from pathlib import Path
from sinorus_kg.build import build
r = build(Path(sys.argv[1]), consistency=False, validator=sys.argv[4], reasoner=sys.argv[5],
          ontology=[Path(p) for p in json.loads(sys.argv[2])], data=[Path(p) for p in json.loads(sys.argv[3])])
print(json.dumps({"timings": r.timings, "files": r.file_timings, "counts": r.counts, "wall": r.wall}))
"""


def stage_table(size: int, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Build (new pipeline, measured as a process) and the old pipeline's stages where practical."""
    from sinorus_kg.synthetic import write_synthetic

    onto, data, count = write_synthetic(folder, size, seed=args.seed)
    out = folder / "release"
    row: dict[str, Any] = {"triples": count}
    wall, peak, stdout = measured([sys.executable, "-c", BUILD, str(out), json.dumps([str(p) for p in onto]),
                                   json.dumps([str(p) for p in data]), args.validator, "rules"])
    info = json.loads(stdout.strip().splitlines()[-1])
    row.update(build_wall=wall, build_cpu=measured.cpu, build_peak=peak,  # type: ignore[attr-defined]
               full=info["counts"]["full triples"])
    for name, seconds in info["timings"].items():
        suffix = " " + name.split(", ")[-1].rstrip(")") if "SHACL" in name else ""
        row["new " + name.split(" (")[0] + suffix] = seconds
    row["new files"] = info["files"]
    if count <= args.old_max:
        old_stages(row, onto, data, args)
    if not args.quick:
        row["qc"] = qc_detail(onto, data)
    if count <= args.hermit_max:
        row["hermit"] = hermit(onto, data, args.hermit_timeout)
    row["release"] = out
    return row


def kept_build(folder: Path) -> dict[str, Any]:
    """The row of a build an earlier run kept (``--keep``): its release and triple counts."""
    release = folder / "release"
    if not (release / "sinorus-full.ttl").exists():
        raise SystemExit(f"no kept build in {folder}: run once with --keep first")
    with open(release / "sinorus.nt", "rb") as handle:
        asserted = sum(1 for _ in handle)
    full = _count_triples(release / "sinorus-full.ttl")
    return {"triples": asserted, "full": full, "release": release}


def _count_triples(path: Path) -> int:
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def old_stages(row: dict[str, Any], onto: list[Path], data: list[Path], args: argparse.Namespace) -> None:
    from sinorus_kg import resources
    from sinorus_kg.build import release_contents
    from sinorus_kg.loading import load_sources, load_triples, parse_turtle
    from sinorus_kg.reasoning import full_graph
    from sinorus_kg.validation import validate

    row["old parse"], graph = timed(lambda: load_sources(ontology=onto, data=[_as_turtle(p) for p in data]))
    row["new parse (in process)"], _ = timed(lambda: load_triples(list(onto) + list(data)))
    row["old SHACL pyshacl"], _ = timed(lambda: validate(graph))
    from sinorus_kg import jena

    if jena.available() and not args.quick:
        from sinorus_kg.shacl_fast import validate_graph
        from sinorus_kg.workgraph import WorkGraph

        work = WorkGraph.load(list(onto) + list(data))
        row["old SHACL jena (first half of issue 13)"], _ = timed(lambda: validate_graph(work, "jena"))
        del work
    row["old reason owlrl"], full = timed(lambda: full_graph(graph))
    tbox = load_sources(data=[], ontology=onto)
    shapes = parse_turtle(resources.shapes_file())
    from sinorus_kg.build import catalogue_graph

    files: dict[str, float] = {}
    facts = load_sources(ontology=[], data=[_as_turtle(p) for p in data])  # the data-only file
    row["old serialise"], _ = timed(lambda: release_contents(graph, full, catalogue_graph(), tbox, shapes, files,
                                                             data=facts))
    row["old files"] = files


def qc_detail(onto: list[Path], data: list[Path]) -> dict[str, float]:
    """Seconds of each QC query on the build's store (the text decides the plan: see its growth)."""
    from sinorus_kg.engines import OxigraphEngine
    from sinorus_kg.qc import qc_queries, run_query
    from sinorus_kg.workgraph import WorkGraph

    engine = OxigraphEngine(WorkGraph.load(list(onto) + list(data)).store)
    return {path.stem: timed(lambda p=path: run_query(p, None, engine))[0] for path in qc_queries()}


def _as_turtle(path: Path) -> Path:
    return path  # N-Triples is Turtle: rdflib's Turtle parser reads it


HERMIT = """
import sys, pyoxigraph as ox
from pathlib import Path
from sinorus_kg.loading import load_triples
from sinorus_kg.reasoning import check_consistency
triples = load_triples([Path(p) for p in sys.argv[1:]])
r = check_consistency(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
print(r.consistent, len(r.unsatisfiable))
"""


def hermit(onto: list[Path], data: list[Path], timeout: float) -> float:
    wall, _peak, _out = measured([sys.executable, "-c", HERMIT, *map(str, onto), *map(str, data)], timeout=timeout)
    return wall


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def query_table(row: dict[str, Any], args: argparse.Namespace, folder: Path) -> dict[str, dict[str, Any]]:
    """Median ms and row count of every stored query on every engine available. Jena runs first,
    as its own process, so that its heap and the Python engines' stores are never held at once."""
    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.engines import CATALOGUE_GRAPH, OxigraphEngine, RdflibEngine
    from sinorus_kg.remote import EndpointEngine

    # As every engine loads a release: the data in the default graph, the catalogue in its own graph.
    data_file = row.get("data file", row["release"] / "sinorus-full.ttl")
    files: list[tuple[Path, str | None]] = [(data_file, None), (row["release"] / "catalogue.ttl", CATALOGUE_GRAPH)]
    catalogue = [q for q in Catalogue.load() if not args.only or q.name in args.only]
    results: dict[str, dict[str, Any]] = {q.name: {} for q in catalogue}
    if not args.quick and not args.no_jena:
        jena_queries(row, args, folder, catalogue, data_file, results)
    engines: dict[str, Any] = {}
    if row["full"] <= args.memory_max:
        row["load oxigraph"], engines["oxigraph"] = timed(lambda: OxigraphEngine.from_files(files))
        if not args.release_by_copy:
            engines["oxigraph-subs"] = OxigraphEngine(engines["oxigraph"].store, binding="substitutions")
    row["load oxigraph-disk"], engines["oxigraph-disk"] = scale_stores.disk_engine(files, row["release"], folder)
    if row["triples"] <= args.rdflib_max:
        row["load rdflib"], engines["rdflib"] = timed(lambda: RdflibEngine.from_files(files))
    server = None
    oxigraph_cli = shutil.which("oxigraph") or str(BIN / "oxigraph")
    if not args.quick and not args.release_by_copy and Path(oxigraph_cli).exists():
        location = folder / "oxigraph-server"
        for path, graph in files:
            subprocess.run([oxigraph_cli, "load", "--location", str(location), "--file", str(path),
                            *(["--graph", graph] if graph else [])], check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([oxigraph_cli, "serve-read-only", "--location", str(location), "--bind",
                                   f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/query"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        engines["oxigraph-http"] = EndpointEngine(url)
    try:
        for stored in catalogue:
            bindings, text = stored.bindings(), stored.sparql()
            for name, engine in engines.items():
                first, result = timed(lambda e=engine, t=text, b=bindings: e.run(t, b))
                took = first * 1000 if first > args.slow else \
                    median_ms(lambda e=engine, t=text, b=bindings: e.run(t, b), args.runs)
                results[stored.name][name] = (took, _rows(result))
            if args.release_by_copy:
                print(f"#   {stored.name}: " + ", ".join(f"{e} {t:.0f} ms ({n})" for e, (t, n)
                                                         in results[stored.name].items()), file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    return results


def jena_queries(row: dict[str, Any], args: argparse.Namespace, folder: Path, catalogue: list[Any], data_file: Path,
                 results: dict[str, dict[str, Any]]) -> None:
    """Every stored query on Jena ARQ (``ArqBench.java``): an in-memory dataset, or a TDB2 database
    above ``--tdb2-above`` full triples (an in-memory dataset of 10M triples needs a heap of
    ~10 GB); ``--slow`` and ``--jena-timeout`` bound the slowest queries."""
    from sinorus_kg import jena
    from sinorus_kg.remote import bind_values

    if not jena.available():
        return
    qdir = folder / "bound-queries"
    qdir.mkdir(exist_ok=True)
    for stale in qdir.glob("*.rq"):
        stale.unlink()
    for stored in catalogue:
        (qdir / f"{stored.name}.rq").write_text(bind_values(stored.sparql(), stored.bindings()), encoding="utf-8")
    data = [str(data_file)]  # ArqBench loads the default graph
    if row["full"] > args.tdb2_above:
        row["load jena-tdb2 (tdb2.tdbloader)"], location = scale_stores.tdb2_location(data_file, folder,
                                                                                       args.jena_heap)
        data, engine = [str(location)], "jena-tdb2"
    else:
        engine = "jena"
    os.environ["ARQBENCH_SLOW_MS"] = str(int(args.slow * 1000))
    os.environ["ARQBENCH_TIMEOUT_MS"] = str(int(args.jena_timeout * 1000))
    proc = jena.run(str(HERE / "ArqBench.java"), str(args.runs), str(qdir), *data, heap=args.jena_heap)
    for line in proc.stdout.decode().splitlines():
        fields = line.split("\t")
        if fields[0] == "#load":
            row[f"load {engine}"] = float(fields[1]) / 1000
        elif len(fields) == 3:
            rows = int(fields[2])
            results[fields[0]][engine] = (float(fields[1]), rows if rows >= 0 else None)


def _rows(result: Any) -> int:
    if result.kind == "ask":
        return int(bool(result.boolean))
    return len(result.rows) if result.kind == "select" else len(result.triples)


def cold_query(release: Path, name: str, runs: int) -> tuple[float, float]:
    """Median wall time of `sinorus-kg query NAME` and of benchmarks/bare_query.py on the same store."""
    from sinorus_kg.binding import values_block
    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.engines import release_graphs
    from sinorus_kg.namespaces import sparql_prologue
    from sinorus_kg.resources import queries_dir
    from sinorus_kg.store import open_release_store, store_path

    env = {**os.environ, "SINORUS_KG_RELEASE": str(release)}
    # As installed (pip compiles the package's bytecode): with PYTHONDONTWRITEBYTECODE set and no
    # __pycache__, every cold run would recompile the package (~60 ms, more than its imports).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cli = [str(BIN / "sinorus-kg"), "query", name, "--format", "csv"]
    subprocess.run(cli, env=env, check=True, capture_output=True)  # builds the store once (and the bytecode)
    os.environ["SINORUS_KG_RELEASE"] = str(release)
    try:
        files = release_graphs()  # the store the CLI opened
        open_release_store(files, release / "SHA256SUMS")
        path = store_path(files, release / "SHA256SUMS")
    finally:
        del os.environ["SINORUS_KG_RELEASE"]
    stored = Catalogue.load().get(name)
    prologue = Path(tempfile.gettempdir()) / f"sinorus-bare-prologue-{os.getpid()}.rq"
    prologue.write_text(sparql_prologue(), encoding="utf-8")
    bare = [sys.executable, str(HERE / "bare_query.py"), str(path), str(queries_dir() / f"{name}.rq"),
            str(prologue)]
    if stored.bindings():
        bare.append(values_block(stored.bindings()))
    cli_times, bare_times = [], []
    for _ in range(runs):
        cli_times.append(measured(cli, env=env)[0])
        bare_times.append(measured(bare, env=env)[0])
    return statistics.median(cli_times), statistics.median(bare_times)


def _asserted(release: Path) -> int:
    """The asserted triples of a kept release (lines of sinorus.nt)."""
    with open(release / "sinorus.nt", "rb") as handle:
        return sum(1 for _ in handle)


def print_cold(document: tuple[float, float], sizes: list[tuple[int, tuple[float, float]]]) -> None:
    """The cold-query medians (CLI, bare) on the document's release and at each size."""
    print("\n## Cold `sinorus-kg query relations-established` vs benchmarks/bare_query.py on the same store\n")
    print(f"- the document's release: CLI {document[0] * 1000:.0f} ms, bare {document[1] * 1000:.0f} ms "
          f"({document[0] / document[1]:.2f}×)")
    for triples, (cli, bare) in sizes:
        print(f"- {triples:,} triples: CLI {cli * 1000:.0f} ms, bare {bare * 1000:.0f} ms ({cli / bare:.2f}×)")


def exponent(t1: float, t2: float, n1: int, n2: int) -> str:
    if not (t1 > 0 and t2 > 0) or math.isinf(t2):
        return "–"
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"


def fmt_s(value: Any) -> str:
    if value is None:
        return "–"
    return "timeout" if math.isinf(value) else f"{value:.2f} s"


def print_stages(rows: list[dict[str, Any]]) -> None:
    keys = []
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and key not in keys and not key.startswith("load ") and key != "build_cpu":
                keys.append(key)
    sizes = [r["triples"] for r in rows]
    header = "| stage | " + " | ".join(f"{n:,} triples" for n in sizes)
    header += "".join(f" | n^k {a:,}→{b:,}" for a, b in zip(sizes, sizes[1:], strict=False)) + " |"
    print(header)
    print("|---" * (1 + len(sizes) + max(0, len(sizes) - 1)) + "|")
    for key in keys:
        values = [r.get(key) for r in rows]
        cells = [fmt_s(v) if key != "build_peak" else "" for v in values]
        key = {"build_wall": "**build, wall (stages below overlap)**"}.get(key, key)
        growth = [exponent(a or 0, b or 0, n1, n2) for a, b, n1, n2 in zip(values, values[1:], sizes, sizes[1:],
                                                                            strict=False)]
        print(f"| {key} | " + " | ".join(cells) + "".join(f" | {g}" for g in growth) + " |")
    print("| build CPU time (process tree) | " + " | ".join(fmt_s(r.get("build_cpu")) for r in rows) + " |")
    print("| build peak memory (sum of RSS, JVM included) | "
          + " | ".join(f"{r['build_peak'] / 2**20:.0f} MB" for r in rows) + " |")
    print("| full triples | " + " | ".join(f"{r['full']:,}" for r in rows) + " |")
    for label in ("new files", "old files"):
        names = sorted({name for r in rows for name in r.get(label, {})})
        for name in names:
            print(f"| {label.split()[0]} serialise {name} | "
                  + " | ".join(fmt_s(r.get(label, {}).get(name)) for r in rows) + " |")


def print_qc(rows: list[dict[str, Any]]) -> None:
    names = sorted({name for r in rows for name in r.get("qc", {})})
    if not names:
        return
    sizes = [r["triples"] for r in rows]
    print("\n## QC queries on the build's store (seconds)\n")
    print("| QC query | " + " | ".join(f"{n:,}" for n in sizes)
          + "".join(f" | n^k {a:,}→{b:,}" for a, b in zip(sizes, sizes[1:], strict=False)) + " |")
    print("|---" * (1 + 2 * len(sizes) - 1) + "|")
    for name in names:
        values = [r.get("qc", {}).get(name) for r in rows]
        growth = [exponent(a or 0, b or 0, n1, n2) for a, b, n1, n2 in zip(values, values[1:], sizes, sizes[1:],
                                                                            strict=False)]
        print(f"| {name} | " + " | ".join(fmt_s(v) for v in values) + "".join(f" | {g}" for g in growth) + " |")


RATIOS = ("oxigraph", "oxigraph-disk")  # the default engine, in memory and as the CLI opens it


def _cell(found: dict[str, Any], engine: str) -> str:
    if engine not in found:
        return "–"
    took, count = found[engine]
    return "timeout" if math.isinf(took) else f"{took:.1f} ({count})"


def print_queries(rows: list[dict[str, Any]], tables: list[dict[str, dict[str, Any]]]) -> None:
    engines = sorted({e for t in tables for q in t.values() for e in q})
    ratios = [e for e in RATIOS if e in engines]
    for row, table in zip(rows, tables, strict=True):
        print(f"\n### {row['triples']:,} triples (full: {row['full']:,}) — median ms (rows)\n")
        loads = {k: v for k, v in row.items() if k.startswith("load ") or k == "write copies"}
        if loads:
            print("Loads: " + ", ".join(f"{k.removeprefix('load ')} {v:.1f} s" for k, v in loads.items()) + "\n")
        print("| query | " + " | ".join(engines) + "".join(f" | {e} / best" for e in ratios) + " |")
        print("|---" * (len(engines) + len(ratios) + 1) + "|")
        collapsing = []
        for name, found in table.items():
            cells = [_cell(found, e) for e in engines]
            counts = {v[1] for v in found.values() if v[1] is not None}
            flag = "" if len(counts) <= 1 else " ROWS DIFFER"
            best = min(v[0] for v in found.values())
            shown = []
            for e in ratios:
                ratio = found[e][0] / best if e in found and best > 0 else None
                shown.append("–" if ratio is None else f"{ratio:.1f}×")
                if e in found and (found[e][0] > 300 or (ratio or 1) > 2):
                    collapsing.append(f"{name} ({e} {found[e][0]:.0f} ms, {ratio or 1:.1f}× the best)")
            print(f"| {name} | " + " | ".join(cells) + "".join(f" | {r}" for r in shown) + f"{flag} |")
        for e in engines:
            times = [found[e][0] for found in table.values() if e in found and not math.isinf(found[e][0])]
            stopped = sum(1 for found in table.values() if e in found and math.isinf(found[e][0]))
            if times:
                print(f"| **median {e}** | {statistics.median(times):.1f} ms, total {sum(times) / 1000:.2f} s, "
                      f"slowest {max(times):.0f} ms" + (f", {stopped} timed out" if stopped else "") + " |")
        if collapsing:
            print(f"\nOver 300 ms or over 2× the best engine at {row['triples']:,}: " + "; ".join(collapsing))
    if len(tables) > 1:
        print("\nGrowth of each query on pyoxigraph between the two largest sizes (n^k):")
        (a, ta), (b, tb) = (rows[-2]["triples"], tables[-2]), (rows[-1]["triples"], tables[-1])
        for name in tb:
            growth = [f"{e} {exponent(ta[name][e][0], tb[name][e][0], a, b)}" for e in ratios
                      if e in ta.get(name, {}) and e in tb[name]]
            if growth:
                print(f"  {name}: " + ", ".join(growth))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--validator", default="auto")
    parser.add_argument("--old-max", type=int, default=120_000, help="largest size for the old pipeline's stages")
    parser.add_argument("--hermit-max", type=int, default=120_000)
    parser.add_argument("--hermit-timeout", type=float, default=300)
    parser.add_argument("--rdflib-max", type=int, default=120_000, help="largest size for rdflib queries")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smoke run: no server, no Jena ARQ, one run")
    parser.add_argument("--keep", type=Path, help="keep the synthetic graphs and builds in this folder")
    parser.add_argument("--queries-only", action="store_true",
                        help="with --keep: time the stored queries on the builds kept there (no build, no cold run)")
    parser.add_argument("--only", nargs="+", metavar="QUERY", help="time only these stored queries")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the cold `query` vs bare_query.py comparison: on the document's release and, "
                             "with --keep, on the releases kept there for --sizes")
    parser.add_argument("--release-by-copy", action="store_true",
                        help="no build: time the stored queries on the document's full release copied to each size "
                             "(synthetic.write_release_copies), on pyoxigraph and Jena")
    parser.add_argument("--memory-max", type=int, default=20_000_000,
                        help="largest full graph (triples) loaded into pyoxigraph's in-memory store")
    parser.add_argument("--tdb2-above", type=int, default=4_000_000,
                        help="above this many full triples Jena queries a TDB2 database, not an in-memory dataset")
    parser.add_argument("--jena-heap", help="the JVM's -Xmx for Jena ARQ (default: SINORUS_JAVA_HEAP or 2g)")
    parser.add_argument("--slow", type=float, default=10.0,
                        help="seconds: a query whose first run took longer is timed by that run alone")
    parser.add_argument("--no-jena", action="store_true", help="leave Jena ARQ out (e.g. timed in another run)")
    parser.add_argument("--jena-timeout", type=float, default=600.0, help="seconds before Jena gives up a query")
    args = parser.parse_args()
    if args.queries_only and args.keep is None:
        parser.error("--queries-only needs --keep FOLDER (the builds of an earlier run)")
    if args.release_by_copy and args.queries_only:
        parser.error("--release-by-copy makes its own releases: drop --queries-only")
    if args.quick:
        args.runs, args.cold_runs = 1, 1
    root = args.keep or Path(tempfile.mkdtemp(prefix="sinorus-bench-"))
    rows, tables, cold = [], [], []
    from sinorus_kg import resources

    if args.queries_only or args.release_by_copy:
        for size in args.sizes:
            folder = root / f"n{size}"
            if args.release_by_copy:
                print(f"# size {size:,}: copying the release…", file=sys.stderr, flush=True)
                row = scale_stores.copied_release(size, folder)
            else:
                row = kept_build(folder)
            rows.append(row)
            print(f"# {row['triples']:,} triples: queries…", file=sys.stderr, flush=True)
            tables.append(query_table(row, args, folder))
        print("## Stored queries" + (" on the document's full release copied to each size" if args.release_by_copy
                                     else ""))
        print_queries(rows, tables)
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
        return
    document = cold_query(resources.release_dir(), "relations-established", args.cold_runs)
    if args.cold_only:
        kept = [root / f"n{size}" / "release" for size in args.sizes] if args.keep else []
        print_cold(document, [(_asserted(release), cold_query(release, "relations-established", args.cold_runs))
                              for release in kept])
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
        return
    try:
        for size in args.sizes:
            folder = root / f"n{size}"
            print(f"# size {size:,}: building…", file=sys.stderr, flush=True)
            row = stage_table(size, folder, args)
            rows.append(row)
            print(f"# size {size:,}: queries…", file=sys.stderr, flush=True)
            tables.append(query_table(row, args, folder))
            cold.append(cold_query(row["release"], "relations-established", args.cold_runs))
        print("## Pipeline stages (new: work graph, SHACL as SPARQL on Oxigraph above 20k, rules on lines, direct "
              "writers; old: rdflib, pySHACL, owlrl, rdflib serialisation)\n")
        print_stages(rows)
        print_qc(rows)
        print_cold(document, [(row["triples"], times) for row, times in zip(rows, cold, strict=True)])
        print("\n## Stored queries")
        print_queries(rows, tables)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
