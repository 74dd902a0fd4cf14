"""The build pipeline: load → SHACL → QC → HermiT → OWL 2 RL → write the release.

Every check runs before anything is written, and the release folder is replaced as a
whole (``atomic_write.replace_directory``), so a failing, interrupted or killed build leaves
the previous release intact.

The pipeline runs on pyoxigraph terms (parse, QC on an Oxigraph store, the OWL 2 RL rules of
``rules``, serialisation in ``fast_export``), so that a million triples build in about a
minute; rdflib, pySHACL and owlrl stay the references the tests compare with. SHACL runs on
pySHACL for the document and on Jena above ``shacl_fast.AUTO_THRESHOLD`` triples (``validator``).
The files that do not grow with the data (ontology, shapes, catalogue) keep rdflib's layout.
"""

from __future__ import annotations

import hashlib
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


@contextmanager
def _step(result: BuildResult, name: str, progress: Progress | None) -> Iterator[None]:
    if progress:
        progress(name)
    start = time.perf_counter()
    yield
    result.timings[name] = time.perf_counter() - start


def release_contents(asserted: Graph | list[Any], full: Graph | list[Any], catalogue: Graph, ontology: Graph,
                     shapes: Graph, timings: dict[str, float] | None = None,
                     data: Graph | list[Any] | None = None) -> dict[str, bytes]:
    """The release's file names and bytes (deterministic). ``asserted``, ``full`` and ``data`` (the
    facts without the ontology) are rdflib graphs (reference serialiser) or lists of pyoxigraph
    triples (``fast_export``); ``timings`` receives the seconds each file took."""
    from sinorus_kg.fast_export import canonical_ntriples, from_ntriples

    clock = timings if timings is not None else {}
    sorted_nt: dict[int, bytes] = {}

    def data_file(graph: Graph | list[Any], fmt: str) -> bytes:
        if isinstance(graph, Graph):
            return serialize(graph, fmt)
        if id(graph) not in sorted_nt:
            sorted_nt[id(graph)] = canonical_ntriples(graph)
        return from_ntriples(sorted_nt[id(graph)], fmt)

    plan: dict[str, Callable[[], bytes]] = {
        ONTOLOGY + EXTENSIONS["ttl"]: lambda: serialize(ontology, "ttl"),
        ONTOLOGY + EXTENSIONS["xml"]: lambda: serialize(ontology, "xml"),
        SHAPES + EXTENSIONS["ttl"]: lambda: serialize(shapes, "ttl"),
        ASSERTED + EXTENSIONS["nt"]: lambda: data_file(asserted, "nt"),
        ASSERTED + EXTENSIONS["ttl"]: lambda: data_file(asserted, "ttl"),
        FULL + EXTENSIONS["ttl"]: lambda: data_file(full, "ttl"),
        ASSERTED + EXTENSIONS["jsonld"]: lambda: data_file(asserted, "jsonld"),
        ASSERTED + EXTENSIONS["xml"]: lambda: data_file(asserted, "xml"),
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
          consistency: bool = True, validator: str = "auto", reasoner: str = "rules",
          ontology: Sequence[Path] | None = None, data: Sequence[Path] | None = None) -> BuildResult:
    """Run the whole pipeline and write the release to ``out_dir`` (default: the project's).

    ``validator``: auto, pyshacl or jena (``shacl_fast``); ``reasoner``: rules (``rules``, fast)
    or owlrl (the reference); ``ontology``/``data``: other source files (e.g. a synthetic graph).
    """
    import pyoxigraph as ox

    from sinorus_kg.engines import OxigraphEngine
    from sinorus_kg.loading import load_triples, parse_turtle, source_files
    from sinorus_kg.qc import run_qc
    from sinorus_kg.reasoning import check_consistency
    from sinorus_kg.shacl_fast import choose_validator
    from sinorus_kg.validation import has_violations, render

    if reasoner not in REASONERS:
        raise InputError(f"unknown reasoner {reasoner!r} (choose one of: {', '.join(REASONERS)})")
    result = BuildResult(out_dir or resources.release_dir())
    with _step(result, "load", progress):
        facts = load_triples(source_files([], data))  # the data alone: the release's data-only file
        asserted = load_triples(source_files(ontology, [])) + facts
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in asserted)
        asserted_count = len(dataset)
    chosen = choose_validator(validator, len(dataset))
    reference: Graph | None = None
    with _step(result, f"validate (SHACL, {chosen})", progress):
        if chosen == "jena":
            from sinorus_kg.shacl_fast import validate_jena

            report = validate_jena(dataset)
        else:
            from sinorus_kg.validation import validate

            reference = _rdflib(asserted)
            report = validate(reference)
        if has_violations(report):
            raise ChecksFailed("SHACL validation failed; the release was not written.\n" + render(report, "text"))
    with _step(result, "quality checks", progress):
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in asserted)
        failures = run_qc(None, engine=OxigraphEngine(store))
        del store
        if failures:
            raise ChecksFailed("quality checks failed; the release was not written.\n"
                               + "\n".join(_describe(f) for f in failures))
    if consistency:
        with _step(result, "consistency (HermiT)", progress):
            verdict = check_consistency(ox.serialize(asserted, format=ox.RdfFormat.N_TRIPLES) or b"")
            if not verdict.consistent or verdict.unsatisfiable:
                raise ChecksFailed(verdict.message or "unsatisfiable classes: " + ", ".join(verdict.unsatisfiable))
    with _step(result, f"reason (OWL 2 RL, {reasoner})", progress):
        if reasoner == "owlrl":
            from sinorus_kg.reasoning import entailments

            graph = reference if reference is not None else _rdflib(asserted)
            derived = list(ox.parse(entailments(graph).serialize(format="nt", encoding="utf-8"),
                                    format=ox.RdfFormat.N_TRIPLES))
        else:
            from sinorus_kg.rules import materialise

            derived = [ox.Triple(q.subject, q.predicate, q.object) for q in materialise(dataset)]
        del dataset
        full = asserted + derived
    with _step(result, "describe catalogue", progress):
        catalogue = catalogue_graph()
    with _step(result, "serialise", progress):
        tbox = load_sources(data=[], ontology=ontology)
        shapes = parse_turtle(resources.shapes_file())
        file_times: dict[str, float] = {}
        contents = release_contents(asserted, full, catalogue, tbox, shapes, timings=file_times, data=facts)
    result.file_timings = file_times
    with _step(result, "describe dataset (VoID)", progress):
        from sinorus_kg import freshness  # what the release is built from: a later edit is noticed

        contents = with_dataset_description({**contents, freshness.FILE_NAME: freshness.source_checksums()})
    with _step(result, "write", progress):  # the whole set at once: a kill leaves the old or the new release
        from sinorus_kg.atomic_write import replace_directory

        replace_directory(result.out_dir, contents)
    result.files = [result.out_dir / name for name in contents]
    result.counts = {"asserted triples": asserted_count, "full triples": asserted_count + len(derived),
                     "catalogue triples": len(catalogue)}
    return result


REASONERS = ("rules", "owlrl")


def _rdflib(triples: list[Any]) -> Graph:
    """An rdflib graph of pyoxigraph triples, for the reference tools (pySHACL, owlrl) at small sizes."""
    import pyoxigraph as ox

    from sinorus_kg.loading import new_graph

    graph = new_graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    return graph


def load_sources(data: Sequence[Path] | None = None, ontology: Sequence[Path] | None = None) -> Graph:
    from sinorus_kg.loading import load_sources as load

    return load(ontology=ontology, data=data)
