"""The catalogue machinery: headers, typed parameters, binding as RDF terms, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from sinorus_kg.catalogue import Catalogue, parse_query_file
from sinorus_kg.engines import open_engine
from sinorus_kg.errors import InputError
from sinorus_kg.terms import Term

TINY = """
@prefix person: <https://w3id.org/sinorus/id/person/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
person:a rdfs:label "A"@en ; rdfs:comment "} UNION { ?s ?p ?o" .
person:b rdfs:label "B"@en .
"""

QUERY = """#+ summary: Label of a thing
#+ description: Looks a label up.
#+ tags: [test, labels]
#+ params: {thing: {type: iri, class: sr:Person, default: "person:a"}, note: {type: string, optional: true}}
#+ view: table
SELECT ?label ?thing ?note WHERE { ?thing rdfs:label ?label . OPTIONAL { ?thing rdfs:comment ?c }
  FILTER(!BOUND(?note) || ?c = ?note) }
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "label-of.rq").write_text(QUERY, encoding="utf-8")
    return tmp_path


def test_header_is_parsed(folder: Path) -> None:
    q = parse_query_file(folder / "label-of.rq")
    assert q.summary == "Label of a thing"
    assert q.tags == ("test", "labels")
    assert [p.name for p in q.params] == ["thing", "note"]
    assert q.params[0].cls == "sr:Person" and q.params[1].optional
    assert q.kind == "SELECT"


def test_unknown_query_suggests_closest(folder: Path) -> None:
    with pytest.raises(InputError, match="Did you mean: label-of"):
        Catalogue.load(folder).get("label-off")


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("date", "2013-03-22", Term.literal("2013-03-22", "http://www.w3.org/2001/XMLSchema#date")),
        ("year", "2013", Term.literal("2013", "http://www.w3.org/2001/XMLSchema#integer")),
        ("integer", "3", Term.literal("3", "http://www.w3.org/2001/XMLSchema#integer")),
        ("iri", "person:xi-jinping", Term.iri("https://w3id.org/sinorus/id/person/xi-jinping")),
        ("language", "ZH", Term.literal("zh")),
        ("string", "} UNION { ?s ?p ?o", Term.literal("} UNION { ?s ?p ?o")),
    ],
)
def test_values_are_typed(kind: str, raw: str, expected: Term) -> None:
    from sinorus_kg.catalogue import Param

    assert Param("x", kind).bind(raw) == expected


@pytest.mark.parametrize(("kind", "raw"), [("date", "22 March 2013"), ("year", "MMXIII"),
                                           ("integer", "3.5"), ("iri", "xi jinping"), ("language", "e n")])
def test_bad_values_name_the_parameter(kind: str, raw: str) -> None:
    from sinorus_kg.catalogue import Param

    with pytest.raises(InputError, match=r"parameter 'x'.*not a (valid|prefixed name)"):
        Param("x", kind).bind(raw)


def test_unknown_parameter_lists_the_known_ones(folder: Path) -> None:
    q = Catalogue.load(folder).get("label-of")
    with pytest.raises(InputError, match="its parameters: thing, note"):
        q.bindings({"person": "person:a"})


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_bound_values_are_terms_not_text(folder: Path, engine: str) -> None:
    graph = Graph().parse(data=TINY, format="turtle")
    q = Catalogue.load(folder).get("label-of")
    kg = open_engine(engine, graph=graph)
    default = kg.run(q.sparql(), q.bindings())
    assert [r["label"] for r in default.records()] == ["A"]
    other = kg.run(q.sparql(), q.bindings({"thing": "person:b"}))
    assert [r["label"] for r in other.records()] == ["B"]
    # An injection attempt is only an odd string: it matches the literal, it does not widen the query.
    odd = kg.run(q.sparql(), q.bindings({"note": "} UNION { ?s ?p ?o"}))
    assert [r["label"] for r in odd.records()] == ["A"]


def test_python_values_are_accepted() -> None:
    from datetime import date

    from sinorus_kg.catalogue import Param

    assert Param("y", "year").bind(2013) == Term.literal("2013", "http://www.w3.org/2001/XMLSchema#integer")
    assert Param("d", "date").bind(date(2013, 3, 22)).value == "2013-03-22"
