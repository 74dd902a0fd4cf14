"""pySHACL's syntax check of a SPARQL constraint is remembered per text (validation.py):
the verdict must be the one pySHACL gives, for every focus node, valid or not."""

from __future__ import annotations

import pytest
from rdflib import Graph

from sinorus_kg.validation import validate

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:sparql [ sh:select \"\"\"SELECT $this WHERE { $this <http://example.org/p> ?o . %s }\"\"\" ] .
"""
DATA = """
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://w3id.org/sinorus/ontology> a owl:Ontology .
ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 2 . ex:c a ex:C .
"""


def _validate(extra: str):  # type: ignore[no-untyped-def]
    shapes = Graph().parse(data=SHAPES % extra, format="turtle")
    return validate(Graph().parse(data=DATA, format="turtle"), shapes=shapes, documents={})


def test_a_constraint_pyshacl_refuses_is_refused_every_time() -> None:
    for _ in range(2):  # the second time the verdict comes from memory
        with pytest.raises(Exception, match="MINUS"):
            _validate("MINUS { $this <http://example.org/q> ?x }")


def test_a_valid_constraint_reports_each_focus_node() -> None:
    for _ in range(2):
        report = _validate("")
        assert sorted(r.focus for r in report.results) == ["http://example.org/a", "http://example.org/b"]


def test_the_check_runs_once_per_text_not_once_per_focus_node(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    _validate("")  # installs the remembering check
    assert getattr(SPARQLQueryHelper.check_invalid_sparql, "remembers", False)
    searched = SPARQLQueryHelper.has_minus_regex
    calls: list[str] = []

    class Counting:
        def search(self, text: str):  # type: ignore[no-untyped-def]
            calls.append(text)
            return searched.search(text)

    monkeypatch.setattr(SPARQLQueryHelper, "has_minus_regex", Counting())
    _validate("FILTER(true)")  # a text not checked before, three focus nodes
    assert len(calls) == 1
