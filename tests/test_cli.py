"""The CLI's contract: documented exit codes and messages a person can act on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinorus_kg import __version__, resources
from sinorus_kg.cli import app

runner = CliRunner()


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_unknown_query_suggests_the_closest_name() -> None:
    result = invoke("query", "relations-establishd")
    assert result.exit_code == 2
    assert "unknown query 'relations-establishd'" in result.output
    assert "Did you mean: relations-established" in result.output


def test_malformed_param_says_what_was_expected() -> None:
    result = invoke("query", "relations-established", "--param", "oops")
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_unknown_param_is_named() -> None:
    result = invoke("query", "relations-established", "--param", "nope=1")
    assert result.exit_code == 2 and "no parameter 'nope'" in result.output


def test_hostile_sparql_is_refused() -> None:
    result = invoke("sparql", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    assert result.exit_code == 2 and "refused: SERVICE" in result.output


def test_sparql_from_stdin_as_json() -> None:
    result = invoke("sparql", "-", "--format", "json",
                    stdin="SELECT ?label WHERE { state:prc rdfs:label ?label FILTER(LANG(?label)='en') }")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"label": "People's Republic of China"}]


def test_bad_sparql_is_exit_2() -> None:
    result = invoke("sparql", "SELECT ?x WHERE {")
    assert result.exit_code == 2 and "syntax error" in result.output


def test_query_runs_on_both_engines_alike() -> None:
    outputs = {engine: invoke("query", "relations-established", "--engine", engine, "--format", "csv")
               for engine in ("oxigraph", "rdflib")}
    assert all(r.exit_code == 0 for r in outputs.values()), {k: r.output for k, r in outputs.items()}
    assert outputs["oxigraph"].output == outputs["rdflib"].output
    assert "1949-10-02" in outputs["oxigraph"].output


def test_unknown_engine_is_exit_2() -> None:
    result = invoke("query", "relations-established", "--engine", "virtuoso")
    assert result.exit_code == 2 and "unknown engine" in result.output


def test_queries_lists_the_catalogue() -> None:
    result = invoke("queries", "--format", "json")
    assert result.exit_code == 0
    names = {q["name"] for q in json.loads(result.output)}
    assert "relations-established" in names


@pytest.fixture()
def broken_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ with a Turtle syntax error on line 3 of one file."""
    data = tmp_path / "data"
    shutil.copytree(resources.data_dir(), data)
    (data / "zz-broken.ttl").write_text("@prefix sr: <https://w3id.org/sinorus/ontology#> .\n\n"
                                        "<urn:x> sr:p \"unterminated .\n", encoding="utf-8")
    monkeypatch.setattr(resources, "data_dir", lambda: data)
    return data


def test_turtle_error_names_file_and_line_and_keeps_the_release(broken_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    out.mkdir()
    (out / "sinorus.ttl").write_text("previous release\n")
    result = invoke("build", "--out", str(out))
    assert result.exit_code == 2
    assert "zz-broken.ttl" in result.output and "line 3" in result.output
    assert (out / "sinorus.ttl").read_text() == "previous release\n"
    assert sorted(p.name for p in out.iterdir()) == ["sinorus.ttl"]


def test_timeline_writes_a_picture(tmp_path: Path) -> None:
    assert invoke("timeline", "--out", str(tmp_path / "t.svg"), "--kind", "sr:Visit").exit_code == 0
    assert (tmp_path / "t.svg").read_bytes().startswith(b"<?xml")
    assert invoke("timeline", "--out", str(tmp_path / "t.gif")).exit_code == 2


def test_stats_counts_the_document() -> None:
    result = invoke("stats", "--engine", "rdflib")
    assert result.exit_code == 0, result.output
    assert "sentences: 31\n" in result.output and "sentences cited by facts: 31\n" in result.output
    assert "catalogue triples (named graph https://w3id.org/sinorus/catalogue): " in result.output
    assert "Treaty" in result.output  # instances by class, by label


def test_malformed_iri_param_is_exit_2() -> None:
    result = invoke("query", "relations-established", "--param", "state=<not an iri>")
    assert result.exit_code == 2 and "parameter 'state'" in result.output and "not a valid IRI" in result.output


def test_iri_param_of_the_wrong_class_is_exit_2() -> None:
    result = invoke("query", "relations-established", "--param", "state=person:xi-jinping")
    assert result.exit_code == 2 and "is not a sr:State" in result.output


def test_syntax_error_positions_count_the_users_lines() -> None:
    result = invoke("sparql", "SELECT * WHERE {\n ?s ?p }")
    assert result.exit_code == 2 and "error at 2:" in result.output


def test_row_cap_is_reported_in_every_format() -> None:
    result = invoke("sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv", "--max-rows", "5")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 6
    assert "row cap" in result.stderr


def test_non_positive_limits_are_refused() -> None:
    assert invoke("sparql", "ASK {}", "--max-rows", "0").exit_code == 2
    assert invoke("sparql", "ASK {}", "--timeout", "-1").exit_code == 2
