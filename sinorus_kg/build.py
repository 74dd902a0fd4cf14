"""The build pipeline: load → SHACL → QC (→ HermiT, on request) → OWL 2 RL → write the release.

Every check runs before anything is written, and the release folder is replaced as a
whole (``atomic_write.replace_directory``), so a failing, interrupted or killed build leaves
the previous release intact.

The pipeline runs on a ``workgraph.WorkGraph``: exact N-Triples lines for the rules
(``rules``) and the files (``fast_export``), an Oxigraph store for SHACL and QC. The checks
are SPARQL that Oxigraph evaluates without Python's lock, so above the document's size they
run on a thread of their own while the rules and the serialisers use the other core; nothing
is written until they have passed. rdflib, pySHACL and owlrl stay the references the tests
compare with. SHACL runs on pySHACL for the document and, above ``shacl_fast.AUTO_THRESHOLD``
triples, as SPARQL on the store (``sparql_shacl``); ``validator`` chooses. HermiT's consistency
check is a step of its own (``consistency``), outside the build unless asked for: it costs as
much as the rest of the document's build. The files that do not grow with the data (ontology,
shapes, catalogue) keep rdflib's layout.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from sinorus_kg import resources
from sinorus_kg.errors import ChecksFailed, InputError
from sinorus_kg.export import EXTENSIONS, serialize
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
    file_timings: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0  # seconds, start to end: the checks overlap the other steps on large graphs


@contextmanager
def _step(result: BuildResult, name: str, progress: Progress | None) -> Iterator[None]:
    if progress:
        progress(name)
    start = time.perf_counter()
    yield
    result.timings[name] = time.perf_counter() - start


def release_contents(asserted: Graph | list[bytes], full: Graph | list[bytes], catalogue: Graph, ontology: Graph,
                     shapes: Graph, timings: dict[str, float] | None = None,
                     data: Graph | list[bytes] | None = None) -> dict[str, bytes]:
    """The release's file names and bytes (deterministic). ``asserted``, ``full`` and ``data`` (the
    facts without the ontology) are rdflib graphs (reference serialiser) or sorted N-Triples lines
    (``fast_export``); ``timings`` receives the seconds each file took."""
    from sinorus_kg.fast_export import canonical_lines, from_ntriples

    clock = timings if timings is not None else {}
    sorted_nt: dict[int, bytes] = {}

    def data_file(graph: Graph | list[bytes], fmt: str) -> bytes:
        if isinstance(graph, Graph):
            return serialize(graph, fmt)
        if id(graph) not in sorted_nt:
            lines = canonical_lines(graph)
            sorted_nt[id(graph)] = b"\n".join(lines) + b"\n" if lines else b""
        return from_ntriples(sorted_nt[id(graph)], fmt)

    plan: dict[str, Callable[[], bytes]] = {
        ONTOLOGY + EXTENSIONS["ttl"]: lambda: serialize(ontology, "ttl"),
        ONTOLOGY + EXTENSIONS["xml"]: lambda: serialize(ontology, "xml"),
        SHAPES + EXTENSIONS["ttl"]: lambda: serialize(shapes, "ttl"),
        ASSERTED + EXTENSIONS["nt"]: lambda: data_file(asserted, "nt"),
        ASSERTED + EXTENSIONS["ttl"]: lambda: data_file(asserted, "ttl"),
        ASSERTED + EXTENSIONS["jsonld"]: lambda: data_file(asserted, "jsonld"),
        ASSERTED + EXTENSIONS["xml"]: lambda: data_file(asserted, "xml"),
        FULL + EXTENSIONS["ttl"]: lambda: data_file(full, "ttl"),
        CATALOGUE + EXTENSIONS["ttl"]: lambda: serialize(catalogue, "ttl"),
        RENAMES + EXTENSIONS["ttl"]: lambda: serialize(renames_graph(), "ttl"),
        RENAMES + ".tsv": lambda: renames_file().read_bytes(),
    }
    if data is not None:
        facts = data
        plan[DATA + EXTENSIONS["ttl"]] = lambda: data_file(facts, "ttl")
    files: dict[str, bytes] = {}
    for name, make in plan.items():
        start = time.perf_counter()
        files[name] = make()
        clock[name] = time.perf_counter() - start
        if name == ASSERTED + EXTENSIONS["xml"]:
            sorted_nt.pop(id(asserted), None)  # the asserted files are done: free their N-Triples
    return with_checksums(files)


def with_checksums(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files plus a ``SHA256SUMS`` covering every one of them."""
    files = {name: data for name, data in files.items() if name != "SHA256SUMS"}
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    return {**files, "SHA256SUMS": sums.encode()}


def with_dataset_description(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files plus ``void.ttl`` (VoID + DCAT, describing the others), checksums recomputed."""
    from sinorus_kg import __version__
    from sinorus_kg.dataset_description import FILE_NAME, describe

    return with_checksums({**files, FILE_NAME: describe(files, version=__version__)})


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
          consistency: bool = False, validator: str = "auto", reasoner: str = "rules",
          ontology: Sequence[Path] | None = None, data: Sequence[Path] | None = None) -> BuildResult:
    """Run the whole pipeline and write the release to ``out_dir`` (default: the project's).

    ``consistency``: also run HermiT (``consistency_check``); ``validator``: auto, pyshacl, sparql or
    jena (``shacl_fast``); ``reasoner``: rules (``rules``, fast) or owlrl (the reference);
    ``ontology``/``data``: other source files (e.g. a synthetic graph).
    """
    from sinorus_kg.loading import parse_turtle, source_files
    from sinorus_kg.shacl_fast import choose_validator
    from sinorus_kg.workgraph import WorkGraph

    if reasoner not in REASONERS:
        raise InputError(f"unknown reasoner {reasoner!r} (choose one of: {', '.join(REASONERS)})")
    began = time.perf_counter()
    result = BuildResult(out_dir or resources.release_dir())
    with _step(result, "load", progress):
        graph = WorkGraph.load(source_files(ontology, data), data_from=len(source_files(ontology, [])))
    chosen = choose_validator(validator, len(graph))
    checks = _Checks(graph, chosen, consistency, result, progress)
    if chosen == "pyshacl":  # Python all along: nothing to overlap
        checks.run()
        checks.raise_failure()
    else:
        checks.start()
    try:
        with _step(result, f"reason (OWL 2 RL, {reasoner})", progress):
            if reasoner == "owlrl":
                derived = _owlrl_lines(graph.ntriples())
            else:
                from sinorus_kg.rules import materialise

                derived = materialise(graph)
            full = graph.lines + derived
            full.sort()  # two sorted runs: a merge
        with _step(result, "describe catalogue", progress):
            catalogue = catalogue_graph()
        with _step(result, "serialise", progress):
            tbox = load_sources(data=[], ontology=ontology)
            shapes = parse_turtle(resources.shapes_file())
            file_times: dict[str, float] = {}
            contents = release_contents(graph.lines, full, catalogue, tbox, shapes, timings=file_times,
                                        data=graph.data_lines)
    finally:
        checks.join()
    checks.raise_failure()
    result.file_timings = file_times
    result.counts = {"asserted triples": len(graph), "full triples": len(full),
                     "catalogue triples": len(catalogue)}
    del graph, full, derived
    with _step(result, "describe dataset (VoID)", progress):
        from sinorus_kg import freshness  # what the release is built from: a later edit is noticed

        contents = with_dataset_description({**contents, freshness.FILE_NAME: freshness.source_checksums()})
    with _step(result, "write", progress):  # the whole set at once: a kill leaves the old or the new release
        from sinorus_kg.atomic_write import replace_directory

        replace_directory(result.out_dir, contents)
    result.files = [result.out_dir / name for name in contents]
    result.wall = time.perf_counter() - began
    return result


class _Checks:
    """SHACL, QC and (on request) HermiT over the work graph, here or on a thread of their own;
    a failure is kept for ``raise_failure``."""

    def __init__(self, graph: Any, validator: str, consistency: bool, result: BuildResult,
                 progress: Progress | None):
        self.graph, self.validator, self.consistency = graph, validator, consistency
        self.result, self.progress = result, progress
        self.failure: BaseException | None = None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        try:
            self._checks()
        except BaseException as exc:  # handed to the main thread
            self.failure = exc

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name="build-checks", daemon=True)
        self.thread.start()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def raise_failure(self) -> None:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure

    def _checks(self) -> None:
        from sinorus_kg.engines import OxigraphEngine
        from sinorus_kg.qc import run_qc
        from sinorus_kg.shacl_fast import validate_graph
        from sinorus_kg.validation import has_violations, render

        with _step(self.result, f"validate (SHACL, {self.validator})", self.progress):
            report = validate_graph(self.graph, self.validator)
            if has_violations(report):
                raise ChecksFailed("SHACL validation failed; the release was not written.\n" + render(report, "text"))
        with _step(self.result, "quality checks", self.progress):
            failures = run_qc(None, engine=OxigraphEngine(self.graph.store))
            if failures:
                raise ChecksFailed("quality checks failed; the release was not written.\n"
                                   + "\n".join(_describe(f) for f in failures))
        if self.consistency:
            with _step(self.result, "consistency (HermiT)", self.progress):
                consistency_check(self.graph.ntriples())


def consistency_check(ntriples: bytes) -> None:
    """HermiT on the asserted graph (N-Triples): ChecksFailed when inconsistent or a class is unsatisfiable."""
    from sinorus_kg.reasoning import check_consistency

    verdict = check_consistency(ntriples)
    if not verdict.consistent or verdict.unsatisfiable:
        raise ChecksFailed(verdict.message or "unsatisfiable classes: " + ", ".join(verdict.unsatisfiable))


def _owlrl_lines(ntriples: bytes) -> list[bytes]:
    """owlrl's filtered entailments (the reference) as sorted N-Triples lines, as pyoxigraph writes them."""
    import pyoxigraph as ox

    from sinorus_kg.loading import new_graph
    from sinorus_kg.reasoning import entailments

    # rdflib names blank nodes afresh: they go through it as IRIs, and come back under their names.
    skolem = _BLANK.sub(lambda m: m.group(1) + b"<" + _SKOLEM + m.group(2) + b">", ntriples)
    graph = new_graph()
    graph.parse(data=skolem, format="nt")
    found = entailments(graph).serialize(format="nt", encoding="utf-8")
    data = ox.serialize(ox.parse(found, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES) or b""
    data = re.sub(rb"<" + re.escape(_SKOLEM) + rb"([^>]*)>", rb"_:\1", data)
    return sorted(set(data.splitlines()) - set(ntriples.splitlines()) - {b""})


_SKOLEM = b"urn:x-sinorus:blank:"
_BLANK = re.compile(rb"(^|(?<= ))_:([^ ]+)(?= (?:<|_:|\.$|\"))", re.MULTILINE)


REASONERS = ("rules", "owlrl")


def load_sources(data: Sequence[Path] | None = None, ontology: Sequence[Path] | None = None) -> Graph:
    from sinorus_kg.loading import load_sources as load

    return load(ontology=ontology, data=data)
