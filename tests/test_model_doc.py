"""docs/model.md keeps its promise: every query it shows runs on the asserted release (no reasoner)
on rdflib and Oxigraph, gives the same non-empty answer on both, and uses no escaped names."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from sinorus_kg.engines import open_engine
from sinorus_kg.namespaces import sparql_prologue
from sinorus_kg.renames import renames_graph

MODEL = Path(__file__).resolve().parents[1] / "docs" / "model.md"
QUERIES = re.findall(r"```sparql\n(.*?)```", MODEL.read_text(encoding="utf-8"), flags=re.S)


def test_there_is_a_query_for_every_topic() -> None:
    assert len(QUERIES) >= 10
    sections = re.findall(r"^## (.+)$", MODEL.read_text(encoding="utf-8"), flags=re.M)
    for topic in ("Time", "Places", "Offices", "Participants", "Provenance", "External records"):
        assert topic in sections


@pytest.fixture(scope="module")
def asserted_with_renames(asserted_graph: Graph) -> Graph:
    graph = Graph()
    for triple in asserted_graph:
        graph.add(triple)
    for triple in renames_graph():
        graph.add(triple)
    return graph


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{i + 1}" for i in range(len(QUERIES))])
def test_the_query_runs_without_a_reasoner(query: str, asserted_with_renames: Graph) -> None:
    assert "\\" not in query and "MINUS" not in query.upper()
    answers = []
    for engine in ("rdflib", "oxigraph"):
        result = open_engine(engine, graph=asserted_with_renames).run(sparql_prologue() + query)
        answers.append(Counter(result.rows))
        assert result.rows, f"{engine}: no answer to\n{query}"
    assert answers[0] == answers[1]
