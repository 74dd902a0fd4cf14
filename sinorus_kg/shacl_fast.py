"""SHACL for large graphs: choosing the validator, and Apache Jena's, reported as pySHACL's results are.

pySHACL (``validation.validate``) costs ~0.2 ms per triple and stays the validator of the
document and the reference. Above ``AUTO_THRESHOLD`` triples ``auto`` chooses ``sparql``: the
shapes compiled to whole-graph SPARQL on the build's Oxigraph store (``sparql_shacl``), about
7 s for a million triples. Jena SHACL (Java, already needed for HermiT) is the third choice: it
checks focus node by focus node, 10 s at 100k, and did not finish a million in minutes. All
get the same inputs — the asserted data with the ontology mixed in, no inference — and the
tests require the same (focus node, source shape, severity) on every valid and invalid fixture.

A report from Jena is turned into the project's ``ValidationReport`` with the same
labels, paths and source sentences; those are looked up only around the focus nodes, so
a large conforming graph never goes through rdflib. The sentence-slice check (Python)
runs, as in ``validation.validate``, on the sentences of every source document whose text is
known (given, or the file its ``dcterms:identifier`` names under the project).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef

from sinorus_kg import jena, resources
from sinorus_kg.sparql_shacl.report import to_rdflib as _to_rdflib
from sinorus_kg.validation import (
    _SEVERITY_ORDER,
    PROJECT_DOCUMENT,
    SH,
    ValidationReport,
    _document_file_text,
    _result,
    check_sentence_slices,
    has_violations,
    load_shapes,
)

__all__ = ["AUTO_THRESHOLD", "VALIDATORS", "choose_validator", "validate_graph", "validate_jena",
           "validate_jena_many"]

VALIDATORS = ("auto", "pyshacl", "sparql", "jena")
AUTO_THRESHOLD = 20_000  # triples: pySHACL (the reference) for the document, ~4 s at 20k
_IS_PART_OF = "http://purl.org/dc/terms/isPartOf"
_ATTESTED_BY = "https://w3id.org/sinorus/ontology#attestedBy"  # a fact → the sentences that report it
_SOURCE_DOCUMENT = "https://w3id.org/sinorus/ontology#SourceDocument"


def choose_validator(name: str, triples: int) -> str:
    """``auto`` picks the SPARQL validator above AUTO_THRESHOLD triples, pySHACL below."""
    if name not in VALIDATORS:
        from sinorus_kg.errors import InputError

        raise InputError(f"unknown validator {name!r} (choose one of: {', '.join(VALIDATORS)})")
    if name == "auto":
        return "sparql" if triples > AUTO_THRESHOLD else "pyshacl"
    return name


def validate_graph(graph: Any, validator: str = "auto") -> ValidationReport:
    """SHACL over a ``workgraph.WorkGraph`` (ontology + asserted data) with the chosen validator."""
    chosen = choose_validator(validator, len(graph))
    if chosen == "sparql":
        from sinorus_kg.sparql_shacl import validate_workgraph

        return validate_workgraph(graph)
    if chosen == "jena":
        from sinorus_kg.sparql_shacl.report import StoreView

        with tempfile.TemporaryDirectory(prefix="sinorus-shacl-") as tmp:
            data = Path(tmp) / "data.nt"
            data.write_bytes(graph.ntriples())
            return validate_jena(StoreView(graph.store), ntriples=data)
    from sinorus_kg.loading import new_graph
    from sinorus_kg.validation import validate

    reference = new_graph()
    reference.parse(data=graph.ntriples(), format="nt")
    return validate(reference)



def _to_ox(term: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    return ox.BlankNode(str(term))


def _neighbourhood(dataset: Any, nodes: Iterable[Any]) -> Graph:
    """The triples a report needs around ``nodes``: their own, those pointing at them, the
    sentences those cite, and the cited sentences' triples (labels, text, index)."""
    import pyoxigraph as ox

    derived = ox.NamedNode(_ATTESTED_BY)
    out = Graph()
    seen: set[Any] = set()

    def add_subject(node: Any) -> None:
        if node in seen:
            return
        seen.add(node)
        for quad in dataset.quads_for_subject(node):
            out.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))

    for node in nodes:
        if isinstance(node, ox.Literal):
            continue
        add_subject(node)
        for quad in dataset.quads_for_object(node):
            out.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
            for prov in dataset.quads_for_subject(quad.subject):
                if prov.predicate == derived:
                    out.add((_to_rdflib(prov.subject), _to_rdflib(prov.predicate), _to_rdflib(prov.object)))
                    add_subject(prov.object)
        for quad in list(dataset.quads_for_subject(node)):
            if quad.predicate == derived:
                add_subject(quad.object)
    return out


def _document_sentences(dataset: Any, document: Any) -> Graph:
    """The document's own triples and those of its sentences: what the slice check reads."""
    import pyoxigraph as ox

    out = Graph()
    part_of = ox.NamedNode(_IS_PART_OF)
    for quad in dataset.quads_for_subject(document):
        out.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
    for quad in dataset.quads_for_object(document):
        if quad.predicate == part_of:
            for triple in dataset.quads_for_subject(quad.subject):
                out.add((_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object)))
    return out


def _slice_results(dataset: Any, shapes: Graph, report_graph: Graph, texts: Mapping[str, str]) -> list[Any]:
    """``validation.validate``'s slice check, for every source document of the dataset."""
    import pyoxigraph as ox

    a = ox.NamedNode(str(RDF.type))
    documents = sorted({q.subject for q in dataset.quads_for_object(ox.NamedNode(_SOURCE_DOCUMENT))
                        if q.predicate == a and isinstance(q.subject, ox.NamedNode)}, key=lambda node: node.value)
    out: list[Any] = []
    for document in documents:
        graph = _document_sentences(dataset, document)
        iri = URIRef(document.value)
        text = texts.get(document.value)
        if text is None:
            text = _document_file_text(graph, iri)
        if text is not None:
            out.extend(check_sentence_slices(graph, text, shapes, report_graph, iri))
    return out


def validate_jena(dataset: Any, shapes_file: Path | None = None, document_text: str | None = None,
                  ntriples: Path | None = None, documents: Mapping[str, str] | None = None) -> ValidationReport:
    """Validate ``dataset`` (a pyoxigraph Dataset of ontology + asserted data) with Jena SHACL.

    ``ntriples`` may name a file that already holds the same triples (saves writing them);
    ``document_text`` and ``documents`` are as in ``validation.validate`` (the slice check).
    """
    return validate_jena_many([dataset], shapes_file, document_text, [ntriples], documents)[0]


def validate_jena_many(datasets: list[Any], shapes_file: Path | None = None, document_text: str | None = None,
                       ntriples: list[Path | None] | None = None,
                       documents: Mapping[str, str] | None = None) -> list[ValidationReport]:
    """Several graphs in one JVM (its start costs about a second): one report each."""
    import pyoxigraph as ox

    shapes_path = shapes_file or resources.shapes_file()
    files = ntriples or [None] * len(datasets)
    reports: list[Graph] = []
    with tempfile.TemporaryDirectory(prefix="sinorus-shacl-") as tmp:
        args = [str(shapes_path)]
        for i, (dataset, path) in enumerate(zip(datasets, files, strict=True)):
            data_path = path
            if data_path is None:
                data_path = Path(tmp) / f"data-{i}.nt"
                ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in dataset), str(data_path),
                             format=ox.RdfFormat.N_TRIPLES)
            args += [str(data_path), str(Path(tmp) / f"report-{i}.nt")]
        jena.run_source(_BATCH, *args)
        for i in range(len(datasets)):
            reports.append(Graph().parse(Path(tmp) / f"report-{i}.nt", format="nt"))
    shapes = load_shapes(shapes_path)
    texts = dict(documents or {})
    if document_text is not None:
        texts.setdefault(str(PROJECT_DOCUMENT), document_text)
    return [_report(dataset, graph, shapes, texts) for dataset, graph in zip(datasets, reports, strict=True)]


_BATCH = Path(__file__).with_name("java") / "ShaclBatch.java"


def _report(dataset: Any, report_graph: Graph, shapes: Graph, texts: Mapping[str, str]) -> ValidationReport:
    nodes = [report_graph.value(r, SH.focusNode) for r in report_graph.subjects(RDF.type, SH.ValidationResult)]
    data = _neighbourhood(dataset, [_to_ox(n) for n in nodes if n is not None])
    results = [_result(report_graph, node, data, shapes)
               for node in report_graph.subjects(RDF.type, SH.ValidationResult)]
    results.extend(_slice_results(dataset, shapes, report_graph, texts))
    results.sort(key=lambda r: (_SEVERITY_ORDER.get(r.severity, 9), r.source_shape, r.focus, r.path, r.value))
    report = ValidationReport(conforms=False, results=results, results_graph=report_graph)
    report.conforms = not has_violations(report)
    report_node = next(report_graph.subjects(RDF.type, SH.ValidationReport), None)
    if report_node is not None:
        report_graph.set((report_node, SH.conforms, Literal(report.conforms)))
    return report
