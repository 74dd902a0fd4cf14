"""SHACL shapes as whole-graph SPARQL queries over a ``workgraph`` store.

pySHACL and Jena check each focus node in turn; here each constraint becomes one query that
finds every violating focus node (and value) at once, which an engine with indexes answers in
one pass. The queries read the store's default graph for IRIs, blank nodes and literals it keeps
as written, and the ``EXACT`` graph for XSD-typed literals, whose protected copies keep the
lexical form and datatype that ``sh:datatype``, ``sh:in``, ``sh:pattern`` and counts see.

- focus nodes: the union of a shape's targets (``sh:targetClass`` follows ``rdfs:subClassOf*``
  in the data graph, as pySHACL does with the ontology mixed in), made distinct;
- value-node constraints: one query per shape, a column per constraint, rows that break any;
- ``sh:minCount 1`` and ``sh:hasValue``: ``MINUS`` (a hash anti-join), other counts ``GROUP BY``;
- ``sh:or``/``sh:and``/``sh:not``/``sh:xone``/``sh:node`` and qualified shapes: the nested shape
  as a boolean expression (``EXISTS`` per value node);
- SPARQL-based constraints: the focus-node pattern is put first in the query's WHERE group, which
  binds ``$this`` before anything that uses it, as pre-binding does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from rdflib import RDF, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from sinorus_kg.sparql_shacl.shapes import COUNT, QUALIFIED, SH, Shape, ShapesGraph, UnsupportedShape
from sinorus_kg.workgraph import EXACT, ILL_TYPED, PROTECTED, XSD

__all__ = ["Check", "compile_shapes"]

TYPE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
_STRING = XSD + "string"
_LANG_STRING = str(RDF.langString)
_RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
_RDFS_DATATYPE = "http://www.w3.org/2000/01/rdf-schema#Datatype"
_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_NODE_KINDS = {"IRI": "!isIRI({v})", "Literal": "!isLiteral({v})", "BlankNode": "!isBlank({v})",
               "BlankNodeOrIRI": "isLiteral({v})", "BlankNodeOrLiteral": "isIRI({v})", "IRIOrLiteral": "isBlank({v})"}


@dataclass
class Check:
    """One query and how its rows become results."""

    shape: Shape
    kind: str  # "values" (rows ?this ?v, and ?c0… flags when several components), "focus" (?this), "sparql"
    query: str
    components: list[str] = field(default_factory=list)
    message: str | None = None     # a SPARQL constraint's own sh:message


def _component(name: str) -> str:
    return SH + name[0].upper() + name[1:] + "ConstraintComponent"


def _xsd_typed(v: str) -> str:
    return (f'(isLiteral({v}) && DATATYPE({v}) != <{_STRING}> && '
            f'STRSTARTS(STR(DATATYPE({v})), "{XSD}"))')


class Compiler:
    """``subclasses(C)`` lists C and its subclasses in the data graph (``rdfs:subClassOf*``): given,
    class tests look types up in that list, ten times faster on Oxigraph than the path per value."""

    def __init__(self, shapes: ShapesGraph, subclasses: Callable[[str], list[str]] | None = None):
        self.shapes = shapes
        self.graph = shapes.graph
        self.subclasses = subclasses
        self._fresh = count()

    def fresh(self) -> str:
        return f"?_v{next(self._fresh)}"

    # -- terms and paths -------------------------------------------------------------------
    def term(self, node: Node) -> str:
        """A constant as the store holds it (XSD-typed literals as their protected ``EXACT`` copy)."""
        if isinstance(node, Literal) and node.datatype is not None and str(node.datatype).startswith(XSD) \
                and str(node.datatype) != _STRING:
            return Literal(str(node), datatype=URIRef(PROTECTED + str(node.datatype)[len(XSD):])).n3()
        if isinstance(node, BNode):
            raise UnsupportedShape(f"a blank node cannot be a constant in a shape ({node})")
        return node.n3()

    def path(self, node: Node) -> str:
        g = self.graph
        if isinstance(node, URIRef):
            return f"<{node}>"
        for kind, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = g.value(node, URIRef(SH + kind))
            if inner is not None:
                return f"({self.path(inner)}){suffix}"
        inverse = g.value(node, URIRef(SH + "inversePath"))
        if inverse is not None:
            return f"^({self.path(inverse)})"
        alternatives = g.value(node, URIRef(SH + "alternativePath"))
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in Collection(g, alternatives)) + ")"
        if g.value(node, RDF.first) is not None:
            return "(" + "/".join(self.path(p) for p in Collection(g, node)) + ")"
        raise UnsupportedShape(f"cannot read the SHACL path {node}")

    def literal_steps(self, node: Node) -> list[tuple[str | None, str]]:
        """The last forward predicates of a path (where literal values come from), each with the
        path that leads to its subject (None: the focus node itself)."""
        g = self.graph
        if isinstance(node, URIRef):
            return [(None, str(node))]
        if g.value(node, URIRef(SH + "inversePath")) is not None:
            return []
        alternatives = g.value(node, URIRef(SH + "alternativePath"))
        if alternatives is not None:
            return [step for p in Collection(g, alternatives) for step in self.literal_steps(p)]
        if g.value(node, RDF.first) is not None:
            steps = list(Collection(g, node))
            lead = "/".join(self.path(p) for p in steps[:-1])
            return [(f"{lead}/{pre}" if pre else lead, p) for pre, p in self.literal_steps(steps[-1])]
        if self.literal_steps_of_repeat(node):
            raise UnsupportedShape(f"a repeated SHACL path that can end in a literal ({self.path(node)}) is not "
                                   "implemented by the SPARQL validator: validate with --validator pyshacl")
        return []

    def literal_steps_of_repeat(self, node: Node) -> bool:
        g = self.graph
        for kind in ("zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
            inner = g.value(node, URIRef(SH + kind))
            if inner is not None:
                return bool(self.literal_steps(inner))
        return False

    def values(self, path: Node | None, x: str, v: str) -> str:
        """A group pattern binding ``v`` to each value node of ``x`` along ``path`` (None: x itself)."""
        if path is None:
            return f"BIND({x} AS {v})"
        branches = [f"{{ {x} {self.path(path)} {v} FILTER(!{_xsd_typed(v)}) }}"]
        for lead, predicate in self.literal_steps(path):
            if lead is None:
                branches.append(f"{{ GRAPH <{EXACT}> {{ {x} <{predicate}> {v} }} }}")
            else:
                middle = self.fresh()
                branches.append(f"{{ {x} {lead} {middle} . GRAPH <{EXACT}> {{ {middle} <{predicate}> {v} }} }}")
        return " UNION ".join(branches)

    # -- value-node constraints ------------------------------------------------------------
    def violation(self, name: str, value: object, v: str) -> str:
        """A SPARQL expression, true when the value node ``v`` breaks the constraint."""
        if name == "class":
            return f"NOT EXISTS {{ {self.instance(v, str(value))} }}"
        if name == "datatype":
            return "!(" + self.datatype_ok(str(value), v) + ")"
        if name == "nodeKind":
            return _NODE_KINDS[str(value)[len(SH):]].format(v=v)
        if name == "in":
            assert isinstance(value, list)
            return "!(" + (" || ".join(f"sameTerm({v}, {self.term(t)})" for t in value) or "false") + ")"
        if name == "pattern":
            raise AssertionError("patterns are compiled with their flags")
        if name in ("minLength", "maxLength"):
            op = "<" if name == "minLength" else ">"
            return f"(isBlank({v}) || STRLEN(STR({v})) {op} {int(value)})"  # type: ignore[call-overload]
        if name == "languageIn":
            assert isinstance(value, list)
            wanted = sorted({str(t).lower() for t in value})
            if "*" in wanted:
                return f'!(isLiteral({v}) && LANG({v}) != "")'
            # pySHACL: the tag, or its first subtag, equals a listed range (case-insensitively); for a
            # range without "-" that is langMatches, which Oxigraph evaluates faster than string functions.
            tests = [f"langMatches(LANG({v}), {Literal(t).n3()})" if "-" not in t else
                     f"LCASE(LANG({v})) = {Literal(t).n3()}" for t in wanted]
            return f"!(isLiteral({v}) && ({' || '.join(tests)}))"
        if name in _COMPARISONS:
            assert isinstance(value, Literal)
            return f"!({self.value_of(v)} {_COMPARISONS[name]} {value.n3()})"
        if name in ("or", "and", "xone"):
            assert isinstance(value, list)
            tests = [self.conforms(self.shapes.shape(s), v) for s in value]
            if name == "or":
                return "!(" + (" || ".join(tests) or "false") + ")"
            if name == "and":
                return "!(" + (" && ".join(tests) or "true") + ")"
            return "(" + " + ".join(f"IF({t}, 1, 0)" for t in tests) + ") != 1"
        if name == "not":
            return self.conforms(self.shapes.shape(value), v)  # type: ignore[arg-type]
        if name == "node":
            return "!(" + self.conforms(self.shapes.shape(value), v) + ")"  # type: ignore[arg-type]
        raise UnsupportedShape(f"sh:{name} is not a value-node constraint")

    def instance(self, v: str, cls: str) -> str:
        """A pattern matching when ``v`` is a SHACL instance of ``cls``."""
        if self.subclasses is None:
            return f"{v} {TYPE_OF} <{cls}>"
        t = self.fresh()
        return f"{v} a {t} VALUES {t} {{ {' '.join(f'<{c}>' for c in self.subclasses(cls))} }}"

    def pattern(self, value: object, flags: str, v: str) -> str:
        return f"(isBlank({v}) || !REGEX(STR({v}), {Literal(str(value)).n3()}, {Literal(flags).n3()}))"

    def value_of(self, v: str) -> str:
        """The value of ``v`` for comparisons: a protected literal read with its real datatype."""
        return (f'IF(isLiteral({v}) && STRSTARTS(STR(DATATYPE({v})), "{PROTECTED}"), '
                f'STRDT(STR({v}), IRI(CONCAT("{XSD}", STRAFTER(STR(DATATYPE({v})), "{PROTECTED}")))), {v})')

    def datatype_ok(self, datatype: str, v: str) -> str:
        if datatype == _STRING:
            return f'(isLiteral({v}) && DATATYPE({v}) = <{_STRING}> && LANG({v}) = "")'
        if datatype == _LANG_STRING:
            return f'(isLiteral({v}) && LANG({v}) != "")'
        if datatype == _RDFS_LITERAL:
            return f"isLiteral({v})"
        if datatype == _RDFS_DATATYPE:
            return f'(isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) != <{_STRING}>)'
        if datatype.startswith(XSD):
            protected = PROTECTED + datatype[len(XSD):]
            return (f"(isLiteral({v}) && DATATYPE({v}) = <{protected}> && "
                    f"NOT EXISTS {{ GRAPH <{ILL_TYPED}> {{ <{ILL_TYPED}> <{ILL_TYPED}> {v} }} }})")
        return f"(isLiteral({v}) && DATATYPE({v}) = <{datatype}>)"

    def value_tests(self, shape: Shape, v: str) -> list[tuple[str, str]]:
        """(component, violation expression) for each value-node constraint of ``shape``."""
        out = []
        for name, value in self._value_constraints(shape):
            if name == "pattern":
                out.append((_component(name), self.pattern(value, shape.flags, v)))
            else:
                out.append((_component(name), self.violation(name, value, v)))
        return out

    @staticmethod
    def _value_constraints(shape: Shape) -> list[tuple[str, object]]:
        return [(n, v) for n, v in shape.constraints if n not in COUNT + QUALIFIED and n != "hasValue"]

    # -- nested shapes as boolean expressions -------------------------------------------------
    def conforms(self, shape: Shape, x: str) -> str:
        """A SPARQL expression, true when ``x`` conforms to ``shape`` (sh:or members, sh:node…)."""
        if shape.deactivated:
            return "true"
        if shape.sparql:
            raise UnsupportedShape(f"a SPARQL constraint inside a nested shape ({shape.name()}) is not implemented")
        tests = []
        if shape.path is None:
            tests += [f"!({expr})" for _, expr in self.value_tests(shape, x)]
            tests += [f"sameTerm({x}, {self.term(value)})" for name, value in shape.constraints if name == "hasValue"]
        else:
            w = self.fresh()
            values = self.values(shape.path, x, w)
            broken = [expr for _, expr in self.value_tests(shape, w)]
            if broken:
                tests.append(f"NOT EXISTS {{ {values} FILTER({' || '.join(broken)}) }}")
            for name, value in shape.constraints:
                if name == "hasValue":
                    tests.append(f"EXISTS {{ {values} FILTER(sameTerm({w}, {self.term(value)})) }}")
                elif name == "minCount" and int(value) == 1:
                    tests.append(f"EXISTS {{ {values} }}")
                elif name == "maxCount" and int(value) == 0:
                    tests.append(f"NOT EXISTS {{ {values} }}")
                elif name == "minCount" and int(value) == 0:
                    continue
                elif name in COUNT + QUALIFIED and name != "qualifiedValueShapesDisjoint":
                    raise UnsupportedShape(f"sh:{name} {value} inside a nested shape ({shape.name()}) is not "
                                           "implemented by the SPARQL validator: validate with --validator pyshacl")
        if shape.path is None:
            tests += [self.conforms(p, x) for p in shape.properties]
        elif shape.properties:  # nested property shapes apply to each value node
            w = self.fresh()
            nested = " && ".join(self.conforms(p, w) for p in shape.properties)
            tests.append(f"NOT EXISTS {{ {self.values(shape.path, x, w)} FILTER(!({nested})) }}")
        return "(" + " && ".join(tests) + ")" if tests else "true"

    # -- top-level queries -------------------------------------------------------------------
    def focus(self, targets: list[tuple[str, Node]]) -> str:
        branches = []
        for kind, node in sorted(set(targets), key=lambda t: (t[0], str(t[1]))):
            if kind == "targetClass":
                branches.append(f"{{ {self.instance('?this', str(node))} }}")
            elif kind == "targetSubjectsOf":
                branches.append(f"{{ ?this <{node}> ?_any }}")
            elif kind == "targetObjectsOf":
                branches.append(f"{{ {self.values(URIRef(str(node)), '?_any', '?this')} }}")
            elif kind == "targetNode":
                branches.append(f"{{ VALUES ?this {{ {self.term(node)} }} }}")
        return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(branches)} }} }}"

    def checks(self, shape: Shape, targets: list[tuple[str, Node]]) -> list[Check]:
        if shape.deactivated:
            return []
        focus = self.focus(targets)
        out: list[Check] = []
        values = self.values(shape.path, "?this", "?v")
        flagged = []
        for (component, expr), (name, value) in zip(self.value_tests(shape, "?v"), self._value_constraints(shape),
                                                    strict=True):
            if name == "class":  # a hash anti-join: one pass over the class's instances
                query = f"SELECT ?this ?v WHERE {{ {focus} {values} MINUS {{ {self.instance('?v', str(value))} }} }}"
                out.append(Check(shape, "values", query, [component]))
            else:
                flagged.append((component, expr))
        if flagged:  # one pass over the values for all the others, a column per constraint
            columns = " ".join(f"?c{i}" for i in range(len(flagged)))
            binds = " ".join(f"BIND(COALESCE({expr}, true) AS ?c{i})" for i, (_, expr) in enumerate(flagged))
            broken = " || ".join(f"?c{i}" for i in range(len(flagged)))
            out.append(Check(shape, "values", f"SELECT ?this ?v {columns} WHERE {{ {focus} {values} {binds} "
                             f"FILTER({broken}) }}", [c for c, _ in flagged]))
        constraints = dict(shape.constraints)
        if shape.path is not None:
            out += self._counts(shape, constraints, focus)
        for name, value in shape.constraints:
            if name == "hasValue":
                found = ("FILTER(sameTerm(?this, " + self.term(value) + "))" if shape.path is None else
                         f"{self.values(shape.path, '?this', '?v')} FILTER(sameTerm(?v, {self.term(value)}))")
                out.append(Check(shape, "focus", f"SELECT ?this WHERE {{ {focus} MINUS {{ {found} }} }}",
                                 [_component(name)]))
        for constraint in shape.sparql:
            if constraint.select.strip():
                out.append(Check(shape, "sparql", _with_focus(constraint.prefixes, constraint.select, focus),
                                 [SH + "SPARQLConstraintComponent"], constraint.message))
        return out

    def _counts(self, shape: Shape, constraints: dict[str, object], focus: str) -> list[Check]:
        assert shape.path is not None
        out = []
        values = self.values(shape.path, "?this", "?v")
        low = int(constraints.get("minCount", 0))  # type: ignore[call-overload]
        if low == 1:
            out.append(Check(shape, "focus", f"SELECT ?this WHERE {{ {focus} MINUS {{ {values} }} }}",
                             [_component("minCount")]))
        elif low > 1:
            out.append(Check(shape, "focus", f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} }} }} "
                             f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {low})", [_component("minCount")]))
        if "maxCount" in constraints:
            high = int(constraints["maxCount"])  # type: ignore[call-overload]
            out.append(Check(shape, "focus", f"SELECT ?this WHERE {{ {focus} {values} }} "
                             f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {high})", [_component("maxCount")]))
        qualified = constraints.get("qualifiedValueShape")
        if qualified is not None:
            test = self.conforms(self.shapes.shape(qualified), "?v")  # type: ignore[arg-type]
            counted = f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} FILTER({test}) }} }} GROUP BY ?this "
            least = int(constraints.get("qualifiedMinCount", 0))  # type: ignore[call-overload]
            if least == 1:
                query = f"SELECT ?this WHERE {{ {focus} MINUS {{ {values} FILTER({test}) }} }}"
                out.append(Check(shape, "focus", query, [_component("qualifiedMinCount")]))
            elif least > 1:
                out.append(Check(shape, "focus", counted + f"HAVING (COUNT(DISTINCT ?v) < {least})",
                                 [_component("qualifiedMinCount")]))
            if "qualifiedMaxCount" in constraints:
                most = int(constraints["qualifiedMaxCount"])  # type: ignore[call-overload]
                out.append(Check(shape, "focus", f"SELECT ?this WHERE {{ {focus} {values} FILTER({test}) }} "
                                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {most})",
                                 [_component("qualifiedMaxCount")]))
        return out


def _with_focus(prefixes: str, select: str, focus: str) -> str:
    """The constraint's query with the focus pattern first in its WHERE group (binds $this)."""
    from sinorus_kg.binding import _where_group

    text = prefixes + "\n" + select
    brace, _ = _where_group(text)
    return f"{text[:brace + 1]} {focus}\n{text[brace + 1:]}"


def compile_shapes(shapes: ShapesGraph, subclasses: Callable[[str], list[str]] | None = None) -> list[Check]:
    """Every check of every targeted shape; a property shape reached from several node shapes is
    checked once over the union of their focus nodes."""
    compiler = Compiler(shapes, subclasses)
    targets: dict[Node, list[tuple[str, Node]]] = {}
    order: list[Shape] = []

    def reach(shape: Shape, found: list[tuple[str, Node]]) -> None:
        if shape.node not in targets:
            targets[shape.node] = []
            order.append(shape)
        targets[shape.node].extend(found)

    for shape in shapes.targeted():
        reach(shape, shape.targets)
        if shape.path is not None and shape.properties:
            raise UnsupportedShape(f"sh:property on the property shape {shape.name()} is not implemented by the "
                                   "SPARQL validator: validate with --validator pyshacl")
        for prop in shape.properties:
            reach(prop, shape.targets)
    checks = []
    for shape in order:
        checks += compiler.checks(shape, targets[shape.node])
    return checks
