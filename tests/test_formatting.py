"""Result formats: readable for people, standard for tools."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sinorus_kg.engines import QueryResult
from sinorus_kg.errors import InputError
from sinorus_kg.formatting import render
from sinorus_kg.terms import Term

XSD = "http://www.w3.org/2001/XMLSchema#"
XI = "https://w3id.org/sinorus/id/person/xi-jinping"
PUTIN = "https://w3id.org/sinorus/id/person/vladimir-putin"
RESULT = QueryResult(
    "select",
    columns=["person", "personLabel", "other", "date", "n", "note"],
    rows=[
        (Term.iri(XI), Term.literal("Xi Jinping", lang="en"), Term.iri(PUTIN),
         Term.literal("2013-03-22", XSD + "date"), Term.literal("3", XSD + "integer"),
         Term.literal('says "hi", <b>&</b>')),
        (Term.iri(PUTIN), None, None, None, None, None),
    ],
)


def labeller(iris: list[str]) -> dict[str, str]:
    return {PUTIN: "Vladimir Putin"}


def test_table_shows_labels_and_prefixed_names_not_iris() -> None:
    text = render(RESULT, "table", labeller)
    assert "Vladimir Putin" in text and "Xi Jinping" in text
    assert "person:xi-jinping" in text and "person:vladimir-putin" in text  # what --param takes
    assert XI not in text and PUTIN not in text
    assert "personLabel" not in text  # merged into the person column, label over name
    assert "2 row(s)" in text


def test_table_leaves_out_the_hidden_columns() -> None:
    text = render(RESULT, "table", labeller, hide={"note"})
    assert "note" not in text and "<b>" not in text and "person" in text


def test_csv_keeps_full_iris_and_empty_unbound() -> None:
    rows = list(csv.reader(io.StringIO(render(RESULT, "csv"))))
    assert rows[0] == RESULT.columns
    assert rows[1][0] == XI and rows[2][1:] == ["", "", "", "", ""]


def test_json_has_typed_values() -> None:
    records = json.loads(render(RESULT, "json"))
    assert records[0]["date"] == "2013-03-22" and records[0]["n"] == 3 and records[1]["other"] is None


@pytest.mark.parametrize(("fmt", "parser"), [("srj", "json"), ("srx", "xml"), ("csv", "csv"), ("tsv", "tsv")])
def test_standard_results_formats_parse(fmt: str, parser: str) -> None:
    from rdflib import Literal, URIRef
    from rdflib.query import Result

    parsed = Result.parse(io.StringIO(render(RESULT, fmt)), format=parser)
    first = list(parsed)[0]
    assert first[0] == URIRef(XI)
    if fmt in ("srj", "srx", "tsv"):  # CSV carries no datatypes, by design of the format
        assert first[3] == Literal("2013-03-22", datatype=URIRef(XSD + "date"))


@pytest.mark.parametrize("fmt", ["srj", "json"])
def test_json_answers_have_one_solution_per_line_and_empty_ones_stay_valid(fmt: str) -> None:
    """Readable with grep and less, and written by the C encoder (``indent`` would switch to the
    pure-Python one, ~4x slower on 10k rows)."""
    text = render(RESULT, fmt)
    assert len([line for line in text.splitlines() if line.lstrip().startswith('{"')]) == len(RESULT.rows) + (
        fmt == "srj")  # and the head
    empty = render(QueryResult("select", columns=RESULT.columns, rows=[]), fmt)
    assert json.loads(empty) in ([], {"head": {"vars": RESULT.columns}, "results": {"bindings": []}})


def test_ask_and_graph_formats() -> None:
    assert render(QueryResult("ask", boolean=True), "table") == "true\n"
    assert json.loads(render(QueryResult("ask", boolean=False), "srj"))["boolean"] is False
    graph = QueryResult("graph", triples=[(Term.iri(XI), Term.iri("http://www.w3.org/2000/01/rdf-schema#label"),
                                           Term.literal("习近平", lang="zh"))])
    assert '"习近平"@zh' in render(graph, "ttl")
    with pytest.raises(InputError, match="CONSTRUCT"):
        render(graph, "csv")


def test_unknown_format_is_input_error() -> None:
    with pytest.raises(InputError, match="unknown format 'yaml'"):
        render(RESULT, "yaml")
