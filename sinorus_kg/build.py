"""The build pipeline: load → SHACL → QC → HermiT → OWL 2 RL → write the release.

Every check runs before anything is written, and the files are staged then renamed
together, so a failing or interrupted build leaves the previous release intact.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from sinorus_kg import resources
from sinorus_kg.errors import ChecksFailed
from sinorus_kg.export import EXTENSIONS, serialize, write_all_atomic
from sinorus_kg.qc import Violation
from sinorus_kg.renames import renames_file, renames_graph

ASSERTED = "sinorus"
FULL = "sinorus-full"
CATALOGUE = "catalogue"
ONTOLOGY = "sinorus-ontology"  # the TBox alone, e.g. for Protégé (RDF/XML)
SHAPES = "sinorus-shapes"
DATA = "sinorus-data"  # the facts without the ontology, for importers who load the ontology separately
RENAMES = "iri-renames"  # old IRI → new IRI, as TSV and as Turtle (dcterms:isReplacedBy)

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@contextmanager
def _step(result: BuildResult, name: str, progress: Progress | None) -> Iterator[None]:
    if progress:
        progress(name)
    start = time.perf_counter()
    yield
    result.timings[name] = time.perf_counter() - start


def release_contents(asserted: Graph, full: Graph, catalogue: Graph, ontology: Graph,
                     shapes: Graph, data: Graph | None = None) -> dict[str, bytes]:
    """The release's file names and bytes (deterministic)."""
    files = {
        ONTOLOGY + EXTENSIONS["ttl"]: serialize(ontology, "ttl"),
        ONTOLOGY + EXTENSIONS["xml"]: serialize(ontology, "xml"),
        SHAPES + EXTENSIONS["ttl"]: serialize(shapes, "ttl"),
        ASSERTED + EXTENSIONS["ttl"]: serialize(asserted, "ttl"),
        FULL + EXTENSIONS["ttl"]: serialize(full, "ttl"),
        ASSERTED + EXTENSIONS["nt"]: serialize(asserted, "nt"),
        ASSERTED + EXTENSIONS["jsonld"]: serialize(asserted, "jsonld"),
        ASSERTED + EXTENSIONS["xml"]: serialize(asserted, "xml"),
        CATALOGUE + EXTENSIONS["ttl"]: serialize(catalogue, "ttl"),
        RENAMES + EXTENSIONS["ttl"]: serialize(renames_graph(), "ttl"),
        RENAMES + ".tsv": renames_file().read_bytes(),
    }
    if data is not None:
        files[DATA + EXTENSIONS["ttl"]] = serialize(data, "ttl")
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode()
    return files


def catalogue_graph() -> Graph:
    """The stored queries described as RDF (sh:SPARQLExecutable), shipped with the release."""
    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.catalogue_rdf import catalogue_graph as describe

    return describe([(q.name, q.text, q.metadata) for q in Catalogue.load()])


def _describe(violation: Violation) -> str:
    rows = "\n".join("    " + "  ".join(row) for row in violation.rows[:20])
    more = f"\n    … and {len(violation.rows) - 20} more" if len(violation.rows) > 20 else ""
    return f"  {violation.query}: {violation.summary} ({len(violation.rows)} row(s))\n{rows}{more}"


def build(out_dir: Path | None = None, *, progress: Progress | None = None,
          consistency: bool = True) -> BuildResult:
    """Run the whole pipeline and write the release to ``out_dir`` (default: the project's)."""
    from sinorus_kg.loading import load_sources, parse_turtle
    from sinorus_kg.qc import run_qc
    from sinorus_kg.reasoning import check_consistency, full_graph
    from sinorus_kg.validation import has_violations, render, validate

    result = BuildResult(out_dir or resources.release_dir())
    with _step(result, "load", progress):
        asserted = load_sources()
    with _step(result, "validate (SHACL)", progress):
        report = validate(asserted)
        if has_violations(report):
            raise ChecksFailed("SHACL validation failed; the release was not written.\n" + render(report, "text"))
    with _step(result, "quality checks", progress):
        failures = run_qc(asserted)
        if failures:
            raise ChecksFailed("quality checks failed; the release was not written.\n"
                               + "\n".join(_describe(f) for f in failures))
    if consistency:
        with _step(result, "consistency (HermiT)", progress):
            verdict = check_consistency(asserted)
            if not verdict.consistent or verdict.unsatisfiable:
                raise ChecksFailed(verdict.message or "unsatisfiable classes: " + ", ".join(verdict.unsatisfiable))
    with _step(result, "reason (OWL 2 RL)", progress):
        full = full_graph(asserted)
    with _step(result, "describe catalogue", progress):
        catalogue = catalogue_graph()
    with _step(result, "serialise", progress):
        ontology = load_sources(data=[])
        data = load_sources(ontology=[])
        shapes = parse_turtle(resources.shapes_file())
        contents = release_contents(asserted, full, catalogue, ontology, shapes, data)
    with _step(result, "write", progress):
        write_all_atomic((result.out_dir / name, data) for name, data in contents.items())
    result.files = [result.out_dir / name for name in contents]
    result.counts = {"asserted triples": len(asserted), "full triples": len(full),
                     "catalogue triples": len(catalogue)}
    return result
