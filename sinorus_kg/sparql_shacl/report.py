"""Run the compiled checks on a work graph and report like pySHACL (``validation.ValidationReport``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from sinorus_kg.sparql_shacl.compile import Check, compile_shapes
from sinorus_kg.sparql_shacl.shapes import SH, ShapesGraph
from sinorus_kg.validation import ValidationReport, load_shapes
from sinorus_kg.workgraph import PROTECTED, XSD, WorkGraph

__all__ = ["StoreView", "run_queries", "subclass_lookup", "to_rdflib", "validate_workgraph"]

_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_SUBSTITUTION = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def run_queries(store: Any, queries: list[str], workers: int = 2) -> list[list[Any]]:
    """Each query's solutions (lists of QuerySolution), run on ``workers`` threads: Oxigraph
    evaluates without Python's lock, so two queries use two cores."""
    def run(text: str) -> list[Any]:
        return list(store.query(text))

    if workers <= 1 or len(queries) <= 1:
        return [run(q) for q in queries]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql") as pool:
        return list(pool.map(run, queries))


def subclass_lookup(store: Any) -> Callable[[str], list[str]]:
    """C and its subclasses in the store (``rdfs:subClassOf*``), looked up once per class."""
    found: dict[str, list[str]] = {}

    def subclasses(cls: str) -> list[str]:
        if cls not in found:
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{_SUBCLASS}>* <{cls}> }}")
            found[cls] = sorted({row["c"].value for row in rows if row["c"] is not None and hasattr(row["c"], "value")
                                 and not str(row["c"]).startswith("_:")} | {cls})
        return found[cls]

    return subclasses


def to_rdflib(term: Any) -> Node:
    """An rdflib term for a pyoxigraph one; a protected literal becomes the literal it protects."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype.startswith(PROTECTED):
        datatype = XSD + datatype[len(PROTECTED):]
    return Literal(term.value, datatype=URIRef(datatype))


def validate_workgraph(graph: WorkGraph, shapes_file: Path | None = None, document_text: str | None = None,
                       workers: int = 2, documents: Mapping[str, str] | None = None) -> ValidationReport:
    """SHACL over the work graph's asserted triples (ontology mixed in, no inference), same results
    as pySHACL (``validation.validate``) — the tests hold it to that on every fixture.
    ``document_text`` and ``documents`` are as in ``validation.validate`` (the slice check)."""
    from sinorus_kg.shacl_fast import _report
    from sinorus_kg.validation import PROJECT_DOCUMENT

    shapes = load_shapes(shapes_file)
    checks = compile_shapes(ShapesGraph(shapes), subclass_lookup(graph.store))
    answers = run_queries(graph.store, [c.query for c in checks], workers)
    results = Graph()
    report = BNode()
    results.add((report, RDF.type, URIRef(SH + "ValidationReport")))
    for check, rows in zip(checks, answers, strict=True):
        for row in rows:
            _add_results(results, report, shapes, check, row)
    texts = dict(documents or {})
    if document_text is not None:
        texts.setdefault(str(PROJECT_DOCUMENT), document_text)
    return _report(StoreView(graph.store), results, shapes, texts)


def _add_results(results: Graph, report: Node, shapes: Graph, check: Check, row: Any) -> None:
    focus = to_rdflib(row["this"])
    found: list[tuple[str, Node | None]] = []
    if check.kind == "values":
        value_node = to_rdflib(row["v"])
        if len(check.components) == 1:
            found = [(check.components[0], value_node)]
        else:
            found = [(component, value_node) for i, component in enumerate(check.components)
                     if row[f"c{i}"] is not None and row[f"c{i}"].value == "true"]
    elif check.kind == "focus":
        found = [(check.components[0], None)]
    else:
        value_term = row["value"]  # None when unbound or not projected
        found = [(check.components[0], to_rdflib(value_term) if value_term is not None else None)]
    path: Node | None = check.shape.path
    message = None
    if check.kind == "sparql":
        bound = row["path"]
        path = to_rdflib(bound) if bound is not None else path
        if check.message is not None:
            message = _SUBSTITUTION.sub(lambda m: _text(row, m.group(1)), check.message)
    for component, value in found:
        node = BNode()
        results.add((report, URIRef(SH + "result"), node))
        results.add((node, RDF.type, URIRef(SH + "ValidationResult")))
        results.add((node, URIRef(SH + "focusNode"), focus))
        results.add((node, URIRef(SH + "resultSeverity"), check.shape.severity))
        results.add((node, URIRef(SH + "sourceShape"), check.shape.node))
        results.add((node, URIRef(SH + "sourceConstraintComponent"), URIRef(component)))
        if value is not None:
            results.add((node, URIRef(SH + "value"), value))
        if path is not None:
            results.add((node, URIRef(SH + "resultPath"), _copy(shapes, path, results)))
        if message is not None:
            results.add((node, URIRef(SH + "resultMessage"), Literal(message)))


def _text(row: Any, name: str) -> str:
    term = row[name]
    return "" if term is None else str(to_rdflib(term))


def _copy(shapes: Graph, node: Node, into: Graph) -> Node:
    """A SHACL path (with its blank-node structure) copied from the shapes graph into ``into``."""
    if isinstance(node, BNode):
        for p, o in shapes.predicate_objects(node):
            into.add((node, p, _copy(shapes, o, into)))
    return node


class StoreView:
    """The look-ups the report needs (as on a pyoxigraph Dataset), on the store's default graph."""

    def __init__(self, store: Any):
        self.store = store

    def quads_for_subject(self, node: Any) -> Any:
        import pyoxigraph as ox

        return self.store.quads_for_pattern(node, None, None, ox.DefaultGraph())

    def quads_for_object(self, node: Any) -> Any:
        import pyoxigraph as ox

        return self.store.quads_for_pattern(None, None, node, ox.DefaultGraph())
