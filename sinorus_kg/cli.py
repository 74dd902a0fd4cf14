"""The command line: parses arguments and calls the library, nothing more.

Exit codes: 0 ok; 1 checks failed (SHACL violations, QC, consistency, coverage);
2 bad usage or bad input (malformed Turtle, unknown query, bad parameter, refused SPARQL).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from sinorus_kg import __version__
from sinorus_kg.errors import SinorusError

app = typer.Typer(
    help="sinorus-kg: a source-grounded knowledge graph of Soviet/Russian–Chinese relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help and usage errors: a few lines, metavars a person reads
)
F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn library errors into a one-line message and the documented exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SinorusError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:  # `sinorus-kg coverage | head`: the reader left, which is no error
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sinorus-kg {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """sinorus-kg: a source-grounded knowledge graph of Soviet/Russian–Chinese relations."""


@app.command()
@handles_errors
def build(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show each step's timing.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the release here instead of release/.")] = None,
    consistency: Annotated[bool, typer.Option("--consistency/--no-consistency",
                                              help="Also run HermiT (needs Java; `consistency` alone).")] = False,
    validator: Annotated[str, typer.Option(help="SHACL validator: auto (pySHACL; SPARQL on Oxigraph above 20k "
                                                "triples), pyshacl, sparql or jena.")] = "auto",
    reasoner: Annotated[str, typer.Option(help="OWL 2 RL: rules (fast) or owlrl (reference).")] = "rules",
) -> None:
    """Load, validate (SHACL, QC), reason (OWL 2 RL) and write the release."""
    from sinorus_kg.build import build as run_build

    def progress(step: str) -> None:
        typer.echo(f"• {step}…", err=True)

    result = run_build(out, progress=progress, consistency=consistency, validator=validator,
                       reasoner=reasoner)
    if verbose:
        for step, seconds in result.timings.items():
            typer.echo(f"  {step:<24} {seconds:7.2f} s", err=True)
        typer.echo(f"  {'total (wall)':<24} {result.wall:7.2f} s", err=True)
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    typer.echo(f"release written to {result.out_dir} ({counts})")


@app.command()
@handles_errors
def consistency() -> None:
    """Check with HermiT that ontology + data are consistent and no class is unsatisfiable (needs Java)."""
    from sinorus_kg.build import consistency_check
    from sinorus_kg.loading import load_ntriples, source_files

    consistency_check(load_ntriples(source_files()))
    typer.echo("consistent: HermiT found no contradiction and no unsatisfiable class")


@app.command()
@handles_errors
def validate(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or ttl.")] = "text",
    validator: Annotated[str, typer.Option(help="auto (pySHACL; SPARQL on Oxigraph above 20k triples), pyshacl, "
                                                "sparql or jena.")] = "auto",
) -> None:
    """Validate the data against the SHACL shapes; exit 1 on a violation (warnings alone: 0)."""
    from sinorus_kg.knowledge_graph import KnowledgeGraph
    from sinorus_kg.validation import has_violations, render

    if fmt not in ("text", "json", "ttl"):
        _fail(f"unknown format {fmt!r} (choose text, json or ttl)", 2)
    report = KnowledgeGraph.validate(validator)
    typer.echo(render(report, fmt))
    if has_violations(report):
        raise typer.Exit(1)


def _open(engine: str, endpoint: str | None = None, catalogue: Any = None) -> Any:
    from sinorus_kg.knowledge_graph import KnowledgeGraph

    return KnowledgeGraph(engine, endpoint=endpoint, catalogue=catalogue)


EndpointOption = Annotated[str | None, typer.Option(
    "--endpoint", metavar="URL", help="Query this SPARQL 1.1 endpoint (e.g. http://127.0.0.1:7878/query) instead.")]


def _check_limits(max_rows: int, timeout: float | None = None) -> None:
    """Checked here rather than with typer's min=, which would import pydantic on every run."""
    if max_rows < 1:
        _fail(f"--max-rows must be at least 1 (got {max_rows})", 2)
    if timeout is not None and timeout <= 0:
        _fail(f"--timeout must be more than 0 seconds (got {timeout:g})", 2)


def _print_result(kg: Any, result: Any, fmt: str) -> None:
    from sinorus_kg.formatting import render

    sys.stdout.write(render(result, fmt, kg.labels))
    if result.truncated:
        typer.echo("warning: the answer was cut at the row cap (raise it with --max-rows)", err=True)


@app.command()
@handles_errors
def query(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A stored query's name (see `sinorus-kg queries`).")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p",
                                                    metavar="NAME=VALUE", help="NAME=VALUE, repeatable.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     metavar="FORMAT", help="table, csv, tsv, json, markdown, srj, srx; ttl or nt "
                                          "for CONSTRUCT.")] = "table",
    engine: Annotated[str, typer.Option(
        metavar="ENGINE", help="oxigraph (fast, default) or rdflib (reference).")] = "oxigraph",
    max_rows: Annotated[int, typer.Option(metavar="N", help="Row cap (at least 1).")] = 10_000,
    endpoint: EndpointOption = None,
) -> None:
    """Run a stored query with typed parameters."""
    from sinorus_kg.stored_run import run_stored

    text, notes = run_stored(name, param or [], fmt, engine, max_rows, endpoint)
    sys.stdout.write(text)
    sys.stdout.flush()
    for note in notes:
        typer.echo(note, err=True)


@app.command()
@handles_errors
def queries(
    tag: Annotated[str | None, typer.Option(metavar="TAG", help="Only queries with this tag.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table or json.")] = "table",
) -> None:
    """List the stored-query catalogue: name, summary, tags, parameters with defaults."""
    import json

    from sinorus_kg.catalogue import Catalogue, listing

    if fmt not in ("table", "json"):
        _fail(f"unknown format {fmt!r} for the catalogue (choose table or json)", 2)
    chosen = Catalogue.load().tagged(tag)
    if fmt == "json":
        typer.echo(json.dumps([listing(q) for q in chosen], indent=2, ensure_ascii=False))
        return
    from sinorus_kg.catalogue import listing_table
    from sinorus_kg.terminal_table import WIDE, render_table, terminal_width

    width = terminal_width()
    sys.stdout.write(render_table(*listing_table(chosen, wide=width >= WIDE), width=width, whole_names=False))


@app.command()
@handles_errors
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Part of a name, in English, Russian or Chinese.")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table or json.")] = "table",
    limit: Annotated[int, typer.Option(metavar="N", help="At most this many results.")] = 50,
) -> None:
    """Find people, places, events… by a name in any language: their prefixed names (for --param) and kinds."""
    from sinorus_kg.lookup import find

    if fmt not in ("table", "json"):
        _fail(f"unknown format {fmt!r} for search (choose table or json)", 2)
    if not text.strip():
        _fail("search needs some text, e.g. `sinorus-kg search lavrov`", 2)
    if limit < 1:
        _fail(f"--limit must be at least 1 (got {limit})", 2)
    found = find(_open("oxigraph").engine, text, limit)
    if fmt == "json":
        import json
        from dataclasses import asdict

        typer.echo(json.dumps([asdict(f) for f in found], ensure_ascii=False, indent=2))
        return
    if not found:
        _fail(f"nothing is named {text!r}; try part of a name, or another language", 1)
    from sinorus_kg.terminal_table import render_table

    rows = [[f.name, f.label + (f"\n({f.matched})" if f.matched != f.label else ""), ", ".join(f.kinds)]
            for f in found]
    sys.stdout.write(render_table(["name", "label (matched)", "kind"], rows))


MaxBytesOption = Annotated[int, typer.Option(metavar="BYTES", help="Cap on the serialised answer, in bytes.")]
MaxMemoryOption = Annotated[int, typer.Option(
    metavar="MB", help="Memory a query may use in the worker, in MB, above the opened release.")]


@app.command()
@handles_errors
def sparql(
    text: Annotated[str | None, typer.Argument(metavar="QUERY", help="The query; omit or '-' to read stdin.")] = None,
    file: Annotated[Path | None, typer.Option("--file", metavar="FILE", help="Read the query from a file.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="As for `query`; also jsonld or xml for "
                                                            "CONSTRUCT.")] = "table",
    engine: Annotated[str, typer.Option(metavar="ENGINE", help="oxigraph or rdflib.")] = "oxigraph",
    timeout: Annotated[float, typer.Option(
        metavar="SECONDS", help="Seconds before the query is stopped (> 0).")] = 30.0,
    max_rows: Annotated[int, typer.Option(metavar="N", help="Row cap (at least 1).")] = 10_000,
    max_bytes: MaxBytesOption = 16 * 2**20,
    max_memory: MaxMemoryOption = 1024,
    endpoint: EndpointOption = None,
) -> None:
    """Run an ad-hoc read-only SPARQL query (no updates, SERVICE, LOAD or FROM)."""
    _check_limits(max_rows, timeout)
    if file is not None:
        try:
            body = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}", 2)
    elif text is None or text == "-":
        body = sys.stdin.read()
    else:
        body = text
    if not body.strip():
        _fail("no query given (pass it as an argument, with --file, or on stdin)", 2)
    if endpoint is not None:
        kg = _open(engine, endpoint)
        _print_result(kg, kg.sparql(body, timeout=timeout, max_rows=max_rows), fmt)
        return
    from sinorus_kg.freshness import warn_if_stale

    warn_if_stale()
    import shutil

    from sinorus_kg.sandbox import QueryRequest, QueryWorker

    with QueryWorker(engine, query_memory_mb=max_memory) as worker:
        isolation = worker.start()
        if not isolation.network_blocked:
            typer.echo(f"warning: the query worker is not isolated from the network ({isolation.describe()})",
                       err=True)
        answer = worker.run(QueryRequest(body, fmt=fmt, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes,
                                         width=shutil.get_terminal_size((160, 24)).columns))
    if not answer.ok:
        _fail(answer.message, 2)
    sys.stdout.buffer.write(answer.body)
    sys.stdout.flush()
    if answer.truncated:
        typer.echo("warning: the answer was cut at the row cap (raise it with --max-rows)", err=True)


@app.command()
@handles_errors
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="ttl, nt, jsonld or xml.")] = "ttl",
    full: Annotated[bool, typer.Option("--full", help="Include the OWL 2 RL entailments.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                metavar="FILE", help="Write to a file (atomically).")] = None,
) -> None:
    """Export the graph (ontology + data) deterministically."""
    from sinorus_kg.export import write_atomic
    from sinorus_kg.knowledge_graph import KnowledgeGraph

    data = KnowledgeGraph.export(fmt, full=full)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic(output, data)
        typer.echo(f"wrote {output}", err=True)


@app.command()
@handles_errors
def stats(
    engine: Annotated[str, typer.Option(metavar="ENGINE", help="oxigraph or rdflib.")] = "oxigraph",
    endpoint: EndpointOption = None,
) -> None:
    """Counts of triples, instances by class and sentences covered, from the built release."""
    kg = _open(engine, endpoint)
    totals, classes = kg.stats()
    for name, count in totals.items():
        typer.echo(f"{name}: {count}")
    _print_result(kg, classes, "table")


@app.command()
@handles_errors
def coverage(
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")] = "text",
) -> None:
    """Sentence by sentence, the facts citing it (or why it has none); exit 1 if one is unaccounted."""
    import json

    from sinorus_kg.loading import load_sources
    from sinorus_kg.namespaces import shorten
    from sinorus_kg.provenance import coverage as sentence_coverage

    report = sentence_coverage(load_sources())
    if fmt == "json":
        typer.echo(json.dumps({"sentences": [
            {"document": s.document, "index": s.index, "iri": s.iri, "text": s.text, "facts": s.facts,
             "no_fact_reason": s.no_fact_reason} for s in report.sentences],
            "covered": report.covered, "explained": report.explained, "total": report.total}, indent=2,
            ensure_ascii=False))
    elif fmt == "text":
        for s in report.sentences:
            if s.index == 1 or s is report.sentences[0]:
                part = report.of(s.document)
                typer.echo(f"{shorten(s.document)}: {part.covered} of {part.total} sentences cited by facts")
            status = "covered" if s.covered else ("explained" if s.explained else "UNACCOUNTED")
            typer.echo(f"[{s.index:2}] {status}: {s.text[:100]}{'…' if len(s.text) > 100 else ''}")
            for fact in s.facts:
                typer.echo(f"       {shorten(fact)}")
            if not s.covered and s.no_fact_reason:
                typer.echo(f"       no fact: {s.no_fact_reason}")
        typer.echo(f"{report.covered} of {report.total} sentences cited by facts, {report.explained} explained "
                   f"without facts ({report.share:.0%} covered); "
                   f"{len(report.unaccounted)} unaccounted")
    else:
        _fail(f"unknown format {fmt!r} (choose text or json)", 2)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@handles_errors
def docs(
    out: Annotated[Path, typer.Option(metavar="DIR", help="Folder for the HTML documentation.")] = Path("docs"),
) -> None:
    """Generate the HTML documentation of the ontology."""
    from sinorus_kg.docs import build_docs

    typer.echo(f"wrote {build_docs(out)}")


@app.command()
@handles_errors
def serve(
    host: Annotated[str, typer.Option(
        metavar="HOST", help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port (0: any free port).")] = 8000,
    engine: Annotated[str, typer.Option(
        metavar="ENGINE", help="oxigraph (fast, default) or rdflib (reference).")] = "oxigraph",
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Seconds before a query is stopped (> 0).")] = 10.0,
    max_rows: Annotated[int, typer.Option(metavar="N", help="Row cap (at least 1).")] = 10_000,
    max_bytes: MaxBytesOption = 16 * 2**20,
    max_memory: MaxMemoryOption = 1024,
    workers: Annotated[int | None, typer.Option(
        metavar="N", help="Query workers (default: cores + 1, at least 3).")] = None,
    store: Annotated[str, typer.Option(
        metavar="WHERE", help="Where the workers and the pages keep the release: memory (faster, a copy "
        "each), disk (the on-disk store) or auto (memory if the copies fit in half the free memory).")] = "auto",
    cors: Annotated[list[str] | None, typer.Option(
        metavar="ORIGIN", help="Let a web page on this origin query the endpoint (repeatable; '*' for any).")] = None,
    allow_host: Annotated[list[str] | None, typer.Option(
        metavar="NAME", help="A Host name clients use (repeatable); needed with a non-loopback --host.")] = None,
    allow_any_host: Annotated[bool, typer.Option(help="Answer any Host name (behind a proxy that checks it).")] = False,
    log_format: Annotated[str, typer.Option(metavar="FORMAT", help="Access log lines: text or json.")] = "text",
    unsandboxed: Annotated[bool, typer.Option(
        "--unsandboxed", help="Start even if the query workers cannot be cut off from the network.")] = False,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint and a web page over the built release."""
    _check_limits(max_rows, timeout)
    if log_format not in ("text", "json"):
        _fail(f"unknown --log-format {log_format!r} (choose text or json)", 2)
    from sinorus_kg.web.config import ServiceConfig
    from sinorus_kg.web.server import serve as run_server

    config = ServiceConfig(host=host, port=port, engine=engine, timeout=timeout, max_rows=max_rows,
                           max_bytes=max_bytes, max_memory=max_memory, workers=workers, store=store,
                           cors=tuple(cors or ()), allowed_hosts=tuple(allow_host or ()),
                           allow_any_host=allow_any_host, log_format=log_format, unsandboxed=unsandboxed)
    config.check()
    from sinorus_kg.freshness import warn_if_stale

    warn_if_stale()

    def ready(url: str, isolation: str) -> None:
        for line in config.exposure(url):
            typer.echo(line, err=True)
        typer.echo(f"serving {url}/ (SPARQL endpoint {url}/sparql); query workers: {isolation}; Ctrl-C stops")

    run_server(config, on_ready=ready)


@app.command()
@handles_errors
def push(
    store_url: Annotated[str, typer.Argument(
        metavar="STORE_URL", help="The Graph Store service, e.g. http://127.0.0.1:7878/store.")],
    query_url: Annotated[str | None, typer.Option(
        metavar="URL", help="Query service to count the triples on (default: …/query beside the store).")] = None,
) -> None:
    """Upload the built release to a SPARQL 1.1 Graph Store (e.g. http://127.0.0.1:7878/store)."""
    from sinorus_kg.freshness import warn_if_stale
    from sinorus_kg.remote import push_release

    warn_if_stale()
    result = push_release(store_url, query_url=query_url)
    names = ", ".join(p.name for p in result.files)
    count = f"; its default graph now holds {result.triples} triples" if result.triples is not None else ""
    named = "".join(f", the graph <{graph}> {n}" for graph, n in result.named.items())
    typer.echo(f"pushed {names} ({result.bytes} bytes) to {result.store_url}{count}{named}")


@app.command()
@handles_errors
def timeline(
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE", help="The picture to write (required): .png, .svg or .pdf.")] = None,
    kind: Annotated[str | None, typer.Option(metavar="CLASS", help="Only events of this class, e.g. sr:Visit.")] = None,
    start: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
                                                   help="First day of the period (events overlapping it).")] = None,
    end: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
                                                 help="Last day of the period.")] = None,
    engine: Annotated[str, typer.Option(
        metavar="ENGINE", help="oxigraph (fast, default) or rdflib (reference).")] = "oxigraph",
) -> None:
    """Draw the events on a timeline picture (PNG, SVG or PDF, by the file's extension)."""
    from sinorus_kg.plots import plot_timeline

    if out is None:  # no default: a picture dropped into whatever folder the shell is in is easily lost
        _fail("timeline needs --out FILE (e.g. --out timeline.png; .svg and .pdf also work)", 2)
        return
    written = plot_timeline(_open(engine), out, kind=kind, start=start.date() if start else None,
                            end=end.date() if end else None)
    typer.echo(f"wrote {written}", err=True)


def main() -> None:
    app()
