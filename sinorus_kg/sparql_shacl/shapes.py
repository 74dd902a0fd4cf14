"""The shapes graph read into plain objects, refusing what the SPARQL validator does not implement.

Every ``sh:`` term on a shape must be one this package compiles (``VALUE``, ``COUNT``,
``QUALIFIED``, ``sh:sparql``) or one that does not validate (names, messages, groups…);
anything else — ``sh:closed``, ``sh:uniqueLang``, ``sh:equals``… — stops the validator with
the shape's name, rather than passing data that pySHACL would reject.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from sinorus_kg.errors import ChecksFailed

SH = "http://www.w3.org/ns/shacl#"
RDFS_CLASS = URIRef("http://www.w3.org/2000/01/rdf-schema#Class")
OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")

# Constraint parameters checked on each value node, on the focus's values, or as a qualified count.
VALUE = ("class", "datatype", "nodeKind", "in", "pattern", "minLength", "maxLength", "languageIn",
         "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "or", "and", "xone", "not", "node",
         "hasValue")
COUNT = ("minCount", "maxCount")
QUALIFIED = ("qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint")
_STRUCTURE = ("path", "property", "sparql", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
              "severity", "deactivated", "flags")
_NOT_VALIDATING = ("name", "description", "message", "order", "group", "defaultValue", "declare", "prefixes",
                   "SPARQLConstraint", "NodeShape", "PropertyShape", "Shape")
_KNOWN = set(VALUE + COUNT + QUALIFIED + _STRUCTURE + _NOT_VALIDATING)
_LIST_PARAMETERS = ("in", "languageIn", "or", "and", "xone")


class UnsupportedShape(ChecksFailed):
    """The shapes use SHACL the SPARQL validator does not implement."""


@dataclass
class SparqlConstraint:
    node: Node
    select: str
    prefixes: str
    message: str | None


@dataclass
class Shape:
    node: Node
    path: Node | None = None
    severity: URIRef = URIRef(SH + "Violation")
    targets: list[tuple[str, Node]] = field(default_factory=list)
    constraints: list[tuple[str, Any]] = field(default_factory=list)  # (parameter local name, value)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    deactivated: bool = False
    flags: str = ""

    def name(self) -> str:
        return str(self.node)


class ShapesGraph:
    """The shapes of one shapes graph, each read once (shapes reference one another)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._shapes: dict[Node, Shape] = {}

    def shape(self, node: Node) -> Shape:
        if node not in self._shapes:
            self._shapes[node] = Shape(node)  # placed first: shapes may refer to themselves
            self._read(self._shapes[node])
        return self._shapes[node]

    def targeted(self) -> list[Shape]:
        """The shapes validated on their own: those with a target (sorted for a stable order)."""
        g = self.graph
        nodes: set[Node] = set()
        for kind in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            nodes.update(g.subjects(URIRef(SH + kind), None))
        for cls in (RDFS_CLASS, OWL_CLASS):  # implicit class targets
            for node in g.subjects(RDF.type, cls):
                if any(g.triples((node, RDF.type, URIRef(SH + kind))) for kind in ("NodeShape", "PropertyShape")):
                    nodes.add(node)
        return [self.shape(n) for n in sorted(nodes, key=str)]

    def _read(self, shape: Shape) -> None:
        g, node = self.graph, shape.node
        for predicate, value in sorted(g.predicate_objects(node), key=lambda pv: (str(pv[0]), str(pv[1]))):
            if not str(predicate).startswith(SH):
                continue
            name = str(predicate)[len(SH):]
            if name not in _KNOWN:
                raise UnsupportedShape(f"the shape {_show(node)} uses sh:{name}, which the SPARQL validator "
                                       "does not implement: validate with --validator pyshacl")
            if name == "path":
                shape.path = value
            elif name == "severity":
                shape.severity = URIRef(str(value))
            elif name == "deactivated":
                shape.deactivated = isinstance(value, Literal) and value.toPython() is True
            elif name == "flags":
                shape.flags = str(value)
            elif name.startswith("target"):
                shape.targets.append((name, value))
            elif name == "property":
                shape.properties.append(self.shape(value))
            elif name == "sparql":
                shape.sparql.append(self._sparql(shape, value))
            elif name in _LIST_PARAMETERS:
                shape.constraints.append((name, list(Collection(g, value))))
            elif name in VALUE + COUNT + QUALIFIED:
                shape.constraints.append((name, value))
        if (node, RDF.type, RDFS_CLASS) in g or (node, RDF.type, OWL_CLASS) in g:
            shape.targets.append(("targetClass", node))
        if shape.path is None and any(n in COUNT + QUALIFIED for n, _ in shape.constraints):
            raise UnsupportedShape(f"the node shape {_show(node)} has a count constraint but no sh:path")
        disjoint = [v for n, v in shape.constraints if n == "qualifiedValueShapesDisjoint"]
        if any(isinstance(v, Literal) and v.toPython() is True for v in disjoint):
            raise UnsupportedShape(f"the shape {_show(node)} uses sh:qualifiedValueShapesDisjoint true, which the "
                                   "SPARQL validator does not implement: validate with --validator pyshacl")

    def _sparql(self, shape: Shape, node: Node) -> SparqlConstraint:
        g = self.graph
        select = g.value(node, URIRef(SH + "select"))
        if select is None:
            raise UnsupportedShape(f"the SPARQL constraint of {_show(shape.node)} has no sh:select")
        if (node, URIRef(SH + "deactivated"), Literal(True)) in g:
            select = Literal("")  # read, then skipped
        lines = []
        for source in g.objects(node, URIRef(SH + "prefixes")):
            for declaration in g.objects(source, URIRef(SH + "declare")):
                prefix = g.value(declaration, URIRef(SH + "prefix"))
                namespace = g.value(declaration, URIRef(SH + "namespace"))
                if prefix is not None and namespace is not None:
                    lines.append(f"PREFIX {prefix}: <{namespace}>")
        message = g.value(node, URIRef(SH + "message"))
        return SparqlConstraint(node, str(select), "\n".join(sorted(set(lines))),
                                str(message) if message is not None else None)

    def message(self, node: Node) -> str | None:
        found = sorted(str(m) for m in self.graph.objects(node, URIRef(SH + "message")))
        return found[0] if found else None


def _show(node: Node) -> str:
    return f"[{node}]" if isinstance(node, BNode) else str(node)
