"""Stored-query parameters are used only where a VALUES row first in the top-level group binds them.

Embedded Oxigraph and remote endpoints bind parameters as that VALUES row (``remote.bind_values``),
rdflib by substitution (``initBindings``). The two agree unless a parameter is read in a FILTER or
BIND of a nested group (a UNION branch, a ``{ }`` block, an OPTIONAL's BIND) that does not bind it
itself, inside a sub-SELECT that does not project it, or is the only variable a MINUS shares.
The golden tests catch such a query only for the parameter values they try; this reads every
query's parse and refuses the pattern itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from sinorus_kg.catalogue import Catalogue
from sinorus_kg.namespaces import sparql_prologue

CATALOGUE = Catalogue.load()


def _vars(node: Any) -> set[str]:
    if isinstance(node, Variable):
        return {str(node)}
    if isinstance(node, CompValue | dict):
        items: Any = node.values()
    elif isinstance(node, list | tuple | ParseResults):
        items = node
    else:
        return set()
    out: set[str] = set()
    for item in items:
        out |= _vars(item)
    return out


def _projected(select: CompValue) -> set[str] | None:
    """A sub-SELECT's projected variables (None for ``SELECT *``)."""
    projection = select.get("projection")
    if not projection:
        return None
    return {str(item.get("var") or item.get("evar")) for item in projection}


def misplaced(group: CompValue, params: set[str], outer: set[str], where: str,
              condition_sees: set[str] | None = None) -> list[str]:
    """Uses of ``params`` in ``group`` that a VALUES row in the top-level group would not bind.

    ``outer``: the parameters bound when this group's expressions run (all of them at the top);
    ``condition_sees``: for an OPTIONAL's group, what its FILTERs (the left join's condition) see."""
    if group.name == "SubSelect":
        projected = _projected(group)
        hidden = (_vars(group.where) & params) - (projected if projected is not None else params)
        return [f"?{p} inside a sub-SELECT that does not project it" for p in sorted(hidden)] + \
            misplaced(group.where, params, set(), "a sub-SELECT")
    parts = list(group.get("part") or [])
    bound = set().union(*(_vars(p) for p in parts if p.name in ("TriplesBlock", "InlineData")))
    visible = outer | (bound & params)
    problems: list[str] = []
    for index, part in enumerate(parts):
        if part.name in ("Filter", "Bind"):
            sees = visible | (condition_sees or set()) if part.name == "Filter" else visible
            problems += [f"?{p} in a {part.name.upper()} of {where}" for p in sorted((_vars(part) & params) - sees)]
        elif part.name == "OptionalGraphPattern":
            problems += misplaced(part.graph, params, set(), "an OPTIONAL", condition_sees=visible)
        elif part.name == "MinusGraphPattern":
            rest = set().union(*(_vars(p) for i, p in enumerate(parts) if i != index)) | outer
            shared = _vars(part.graph) & rest
            if shared and shared <= params:
                problems.append(f"a MINUS shares only the parameter(s) {sorted(shared)}")
            problems += misplaced(part.graph, params, set(), "a MINUS")
        elif part.name == "GraphGraphPattern":
            problems += misplaced(part.graph, params, set(), "a GRAPH block")
        elif part.name == "GroupOrUnionGraphPattern":
            for branch in part.graph:
                problems += misplaced(branch, params, set(),
                                      "a UNION branch" if len(part.graph) > 1 else "a nested { } group")
    return problems


def problems_of(text: str, params: set[str]) -> list[str]:
    query = parseQuery(sparql_prologue() + text)[1]
    return misplaced(query.where, params, set(params), "the top-level group")


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE if q.params])
def test_parameters_stay_where_a_values_row_binds_them(name: str) -> None:
    q = CATALOGUE.get(name)
    assert problems_of(q.text, {p.name for p in q.params}) == [], name


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT ?e WHERE { { ?e a sr:Event } UNION { ?e a sr:Visit FILTER(?e != ?p) } }",
     ["?p in a FILTER of a UNION branch"]),
    ("SELECT ?e WHERE { ?e a sr:Event { ?e rdfs:label ?l BIND(?p AS ?q) } }",
     ["?p in a BIND of a nested { } group"]),
    ("SELECT ?e WHERE { ?e a sr:Event OPTIONAL { ?e rdfs:label ?l BIND(?p AS ?q) } }",
     ["?p in a BIND of an OPTIONAL"]),
    ("SELECT ?e WHERE { { SELECT ?e WHERE { ?e sr:place ?p } } }",
     ["?p inside a sub-SELECT that does not project it"]),
    ("SELECT ?e WHERE { ?e a sr:Event MINUS { ?x sr:place ?p } }",
     ["a MINUS shares only the parameter(s) ['p']"]),
])
def test_the_check_finds_each_misplaced_use(text: str, expected: list[str]) -> None:
    assert problems_of(text, {"p"}) == expected


@pytest.mark.parametrize("text", [
    "SELECT ?e ?p WHERE { ?e a sr:Event FILTER(?e != ?p) }",  # the top-level group sees the row
    "SELECT ?e ?p WHERE { ?e a sr:Event OPTIONAL { ?e rdfs:label ?l FILTER(?l != ?p) } }",  # a join condition
    "SELECT ?e ?p WHERE { { ?e sr:place ?p BIND(?p AS ?q) } UNION { ?e a sr:Visit } }",  # bound in its group
    "SELECT ?e ?p WHERE { { SELECT ?e ?p WHERE { ?e sr:place ?p } } }",  # projected
    "SELECT ?e ?p WHERE { ?e a sr:Event MINUS { ?e sr:place ?p } }",  # shares ?e too
])
def test_the_check_accepts_uses_the_row_binds(text: str) -> None:
    assert problems_of(text, {"p"}) == []
