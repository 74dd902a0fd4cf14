"""SHACL validation: the data contract that keeps bad data out of the release.

Inference mode, chosen deliberately: pySHACL runs with ``inference="none"`` on the
*asserted* data with the ontology mixed into the data graph. Why:

- The release's primary flavour is the asserted graph; consumers without a reasoner
  read exactly those triples, so that is what the contract must hold for.
- RDFS/OWL entailment would *hide* defects: a node with ``sr:visitor`` but no type
  would be inferred an ``sr:Visit`` by the domain axiom, a value with the wrong type
  would acquire the right one from a range axiom, and ``sr:visitor`` would satisfy a
  participant count via ``rdfs:subPropertyOf``. Checking asserted data catches them.
- SHACL itself follows ``rdfs:subClassOf`` *in the data graph* for ``sh:targetClass``
  and ``sh:class``; mixing the ontology in (its subclass axioms) is therefore enough
  for ``sr:Person`` to be an ``sr:Agent`` and a ``sr:Signing`` an ``sr:AgreementEvent``.
- It is fast: no closure is computed (the OWL 2 RL closure alone costs seconds).

One check cannot be SPARQL: whether a sentence's offsets slice the *document file* to
exactly its text. ``check_sentence_slices`` does it in Python for every source document
of the graph (its text found from its ``dcterms:identifier``, a path under the project,
or passed in) and reports under the shape ``srsh:SentenceSliceCheck`` declared (without
constraints) in ``shapes.ttl``.

Severities: ``sh:Violation`` fails validation (exit 1, no release); ``sh:Warning`` and
``sh:Info`` are reported but do not fail it (``has_violations``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from sinorus_kg import resources
from sinorus_kg.namespaces import PREFIXES, SR, SRID, shorten

SH = Namespace("http://www.w3.org/ns/shacl#")
SRSH = Namespace("https://w3id.org/sinorus/shapes#")
_SRN = Namespace(SR)
_ATTESTED_BY = _SRN.attestedBy
_IS_PART_OF = URIRef("http://purl.org/dc/terms/isPartOf")
_ONTOLOGY_IRI = URIRef("https://w3id.org/sinorus/ontology")
_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")
PROJECT_DOCUMENT = URIRef(SRID + "document/srcr")
SLICE_CHECK = SRSH.SentenceSliceCheck

__all__ = ["ValidationReport", "ValidationResult", "validate", "has_violations", "render",
           "check_sentence_slices"]


@dataclass
class ValidationResult:
    """One failed constraint, with what a curator needs to find and fix it."""

    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    severity: str  # "Violation" | "Warning" | "Info"
    source_shape: str
    sentences: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult]
    results_graph: Graph | None = field(default=None, repr=False, compare=False)

    def counts(self) -> dict[str, int]:
        out = {"Violation": 0, "Warning": 0, "Info": 0}
        for r in self.results:
            out[r.severity] = out.get(r.severity, 0) + 1
        return out


def has_violations(report: ValidationReport) -> bool:
    """True when a result is a Violation: warnings and infos alone do not fail."""
    return any(r.severity == "Violation" for r in report.results)


def load_shapes(path: Path | None = None) -> Graph:
    graph = Graph()
    graph.parse(path or resources.shapes_file(), format="turtle")
    return graph


def load_ontology() -> Graph:
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path, format="turtle")
    return graph


def validate(
    data_graph: Graph,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    document_text: str | None = None,
    documents: Mapping[str, str] | None = None,
) -> ValidationReport:
    """Validate asserted data (inference "none") against the shapes; see the module docstring.

    ``ontology`` is mixed into (a copy of) the data graph so subclass targets work; when it
    is None and the data graph lacks the ontology header, the project's ontology is used.
    For the slice check, ``documents`` maps a document's IRI to its text and
    ``document_text`` gives the project document's; by default each document's text is read
    from the file its ``dcterms:identifier`` names under the project.
    """
    import pyshacl  # imported here: ~0.25 s, only commands that validate pay for it

    _check_each_sparql_text_once()
    shapes_graph = shapes if shapes is not None else load_shapes()
    ont: Graph | None = ontology
    if ont is None and (_ONTOLOGY_IRI, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) \
            not in data_graph:
        ont = load_ontology()
    if ont is None:  # a view on the caller's store: no copy, and the caller's graph is never changed
        target: Graph = _PreparedQueryGraph(store=data_graph.store, identifier=data_graph.identifier)
    else:
        target = _PreparedQueryGraph()
        for triple in data_graph:
            target.add(triple)
        for triple in ont:
            target.add(triple)
    _conforms, results_graph, _text = pyshacl.validate(
        target,
        shacl_graph=shapes_graph,
        ont_graph=None,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
        debug=False,
    )
    if not isinstance(results_graph, Graph):  # pySHACL returns its error text instead
        raise ValueError(f"SHACL validation could not run: {_text}")
    results = [_result(results_graph, node, target, shapes_graph)
               for node in results_graph.subjects(RDF.type, SH.ValidationResult)]
    texts = dict(documents or {})
    if document_text is not None:
        texts.setdefault(str(PROJECT_DOCUMENT), document_text)
    for document in sorted(data_graph.subjects(RDF.type, _SRN.SourceDocument), key=str):
        text = texts.get(str(document))
        if text is None:
            text = _document_file_text(data_graph, document)
        if text is not None:
            results.extend(check_sentence_slices(data_graph, text, shapes_graph, results_graph, document))
    results.sort(key=lambda r: (_SEVERITY_ORDER.get(r.severity, 9), r.source_shape, r.focus, r.path, r.value))
    report = ValidationReport(conforms=False, results=results, results_graph=results_graph)
    report.conforms = not has_violations(report)
    results_graph.set((next(results_graph.subjects(RDF.type, SH.ValidationReport)), SH.conforms,
                       Literal(report.conforms)))
    return report


_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs a SPARQL constraint once per focus node with the same text and a new
    ``$this`` binding; rdflib re-parses the text every time, and parsing (pyparsing) was
    90% of the validation time. Prepared queries are rdflib's own reuse mechanism.
    """

    _cache: dict[str, Any] = {}

    def query(
        self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
        initNs: Any = None, initBindings: Any = None, use_store_provided: bool = True,  # noqa: N803
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql":
            prepared = self._cache.get(query_object)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery

                prepared = prepareQuery(query_object, initNs=initNs)
                self._cache[query_object] = prepared
            query_object, initNs = prepared, None
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def _check_each_sparql_text_once() -> None:
    """Remember pySHACL's syntax check of a SPARQL constraint's text.

    pySHACL checks the text again for every focus node (``SPARQLQueryHelper.check_invalid_sparql``:
    regular expressions for MINUS, VALUES, SERVICE, nested SELECT), though the answer depends only
    on the text, whether ``$value`` may be bound and the extra variables; on the document it was
    0.71 of the 2.36 s that validation took. The check's verdict (True, or the ValidationFailure it
    raises) is kept per those three; nothing else changes."""
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    check = SPARQLQueryHelper.check_invalid_sparql
    if getattr(check, "remembers", False):
        return
    verdicts: dict[tuple[str, bool, frozenset[str]], Exception | None] = {}

    def check_once(self: Any, sparql_text: str, valuenode: Any = None, extravars: Any = None) -> bool:
        key = (sparql_text, valuenode is not None, frozenset(extravars or ()))
        if key not in verdicts:
            try:
                check(self, sparql_text, valuenode=valuenode, extravars=extravars)
                verdicts[key] = None
            except Exception as exc:  # pySHACL's ValidationFailure: kept, raised again each time
                verdicts[key] = exc
        failure = verdicts[key]
        if failure is not None:
            raise failure
        return True

    check_once.remembers = True  # type: ignore[attr-defined]
    SPARQLQueryHelper.check_invalid_sparql = check_once  # type: ignore[method-assign]


def _document_file_text(graph: Graph, document: Node) -> str | None:
    """The text of the file a document's ``dcterms:identifier`` names under the project, if there is one.

    The project's own document is always found; another document's file must lie inside the
    resource root (an identifier cannot reach outside it)."""
    if document == PROJECT_DOCUMENT:
        return resources.source_document().read_text(encoding="utf-8")
    identifier = graph.value(document, _IDENTIFIER)
    if identifier is None:
        return None
    root = resources.resource_root().resolve()
    path = (root / str(identifier)).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def check_sentence_slices(
    data_graph: Graph, document_text: str, shapes: Graph | None = None, results_graph: Graph | None = None,
    document: Node = PROJECT_DOCUMENT,
) -> list[ValidationResult]:
    """Sentences of ``document`` whose offsets do not slice its text to exactly their text."""
    message = "The document sliced at the offsets is not the sentence's text."
    severity = "Violation"
    if shapes is not None:
        message = str(shapes.value(SLICE_CHECK, SH.message) or message)
        severity = _short_severity(shapes.value(SLICE_CHECK, SH.severity)) or severity
    out: list[ValidationResult] = []
    for sentence in sorted(data_graph.subjects(_IS_PART_OF, document), key=str):
        text = data_graph.value(sentence, _SRN.text)
        begin = data_graph.value(sentence, _SRN.beginOffset)
        end = data_graph.value(sentence, _SRN.endOffset)
        if text is None or begin is None or end is None:
            continue  # reported by the core shapes
        try:
            b, e = int(str(begin)), int(str(end))
        except (TypeError, ValueError):
            continue  # ill-typed offsets: reported by the datatype constraints
        found = document_text[b:e]
        if found == str(text):
            continue
        result = ValidationResult(
            focus=shorten(str(sentence)),
            focus_label=_label(data_graph, sentence),
            path=f"{shorten(str(_SRN.beginOffset))}, {shorten(str(_SRN.endOffset))}",
            value=f"{b}..{e}: {found[:60]!r}",
            message=message,
            severity=severity,
            source_shape=_show(SLICE_CHECK),
            sentences=_sentences(data_graph, sentence),
        )
        out.append(result)
        if results_graph is not None:
            _add_result_triples(results_graph, sentence, result)
    return out


def _add_result_triples(results_graph: Graph, focus: Node, result: ValidationResult) -> None:
    report = next(results_graph.subjects(RDF.type, SH.ValidationReport), None)
    node = BNode()
    if report is not None:
        results_graph.add((report, SH.result, node))
    results_graph.add((node, RDF.type, SH.ValidationResult))
    results_graph.add((node, SH.focusNode, focus))
    results_graph.add((node, SH.resultSeverity, SH[result.severity]))
    results_graph.add((node, SH.sourceShape, SLICE_CHECK))
    results_graph.add((node, SH.resultMessage, Literal(result.message)))
    results_graph.add((node, SH.value, Literal(result.value)))


def _short_severity(node: Node | None) -> str:
    if node is None:
        return ""
    return str(node).rsplit("#", 1)[-1]


def _result(results: Graph, node: Node, data: Graph, shapes: Graph) -> ValidationResult:
    focus = results.value(node, SH.focusNode)
    path = results.value(node, SH.resultPath)
    value = results.value(node, SH.value)
    shape = results.value(node, SH.sourceShape)
    messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
    message = messages[0] if messages else str(shapes.value(shape, SH.message) or "")
    return ValidationResult(
        focus=_show(focus),
        focus_label=_label(data, focus) if focus is not None else "",
        path=_path_text(results, path) if path is not None else "",
        value=_show(value) if value is not None else "",
        message=message,
        severity=_short_severity(results.value(node, SH.resultSeverity)),
        source_shape=_show(shape),
        sentences=_sentences(data, focus) if focus is not None else [],
    )


def _show(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        return "srsh:" + text[len(str(SRSH)):] if text.startswith(str(SRSH)) else shorten(text)
    if isinstance(node, Literal):
        return node.n3()
    return f"_:{node}"


def _label(graph: Graph, node: Node) -> str:
    """The English label, else any label, else the prefixed IRI: what a curator recognises."""
    fallback = None
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            return str(label)
        fallback = fallback or label
    return str(fallback) if fallback is not None else _show(node)


def _path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL syntax (^p, a|b, a/b)."""
    if isinstance(path, URIRef):
        return shorten(str(path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return _show(path)


def _sentences(graph: Graph, focus: Node) -> list[tuple[int, str]]:
    """Source sentences of the focus node, or of the nearest fact node pointing at it."""
    if (focus, RDF.type, _SRN.Sentence) in graph:
        found = [focus]
    else:
        found = list(graph.objects(focus, _ATTESTED_BY))
        if not found:  # e.g. a time span: take the fact that has it
            for subject in graph.subjects(None, focus):
                found.extend(graph.objects(subject, _ATTESTED_BY))
    out = set()
    for sentence in found:
        index = graph.value(sentence, _SRN.sentenceIndex)
        text = graph.value(sentence, _SRN.text)
        try:
            number = int(str(index)) if index is not None else 0
        except (TypeError, ValueError):
            number = 0
        out.add((number, str(text) if text is not None else shorten(str(sentence))))
    return sorted(out)


def render(report: ValidationReport, fmt: str = "text") -> str:
    """The report as plain text (for people), JSON (for tools) or Turtle (the SHACL report graph)."""
    if fmt == "json":
        return json.dumps(
            {"conforms": report.conforms, "counts": report.counts(),
             "results": [asdict(r) for r in report.results]},
            ensure_ascii=False, indent=2,
        ) + "\n"
    if fmt == "ttl":
        graph = report.results_graph if report.results_graph is not None else Graph()
        for prefix in ("sh", "sr", "srid", "rdf", "rdfs", "xsd", "prov", "dcterms"):
            graph.bind(prefix, PREFIXES[prefix], override=True)
        graph.bind("srsh", str(SRSH), override=True)
        return graph.serialize(format="turtle")
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}: choose text, json or ttl")
    return _render_text(report)


def _render_text(report: ValidationReport) -> str:
    counts = report.counts()
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    lines = [f"SHACL validation: {verdict} ({counts['Violation']} violations, "
             f"{counts['Warning']} warnings, {counts['Info']} infos)"]
    for r in report.results:
        lines.append("")
        lines.append(f"[{r.severity}] {r.focus_label}  ({r.focus})")
        lines.append(f"  shape:    {r.source_shape}")
        if r.path:
            lines.append(f"  path:     {r.path}")
        if r.value:
            lines.append(f"  value:    {r.value}")
        lines.append(f"  message:  {r.message}")
        for index, text in r.sentences:
            lines.append(f"  sentence: s{index:02d}: {text}")
    return "\n".join(lines) + "\n"
