"""From one answer to the next question: search, names as parameters, tables that carry
identifiers and fit the terminal, empty answers explained, a release older than its sources."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinorus_kg.cli import app
from sinorus_kg.errors import InputError
from sinorus_kg.terminal_table import render_table

runner = CliRunner()


def invoke(*args: str, columns: int = 100):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={"COLUMNS": str(columns)})


@pytest.mark.parametrize(("text", "name"), [("lavrov", "person:sergey-lavrov"), ("Лавров", "person:sergey-lavrov"),
                                             ("习近平", "person:xi-jinping"), ("USSR", "state:ussr")])
def test_search_finds_a_name_in_any_language_and_prints_its_prefixed_name(text: str, name: str) -> None:
    result = invoke("search", text)
    assert result.exit_code == 0, result.output
    assert name in result.output and "sr:" in result.output  # the identifier and its kind


def test_search_without_a_hit_says_so() -> None:
    result = invoke("search", "zzzqqq")
    assert result.exit_code == 1 and "nothing is named 'zzzqqq'" in result.output


@pytest.mark.parametrize("name", ["Sergey Lavrov", "sergey lavrov", "Lavrov", "Сергей Викторович Лавров"])
def test_an_entity_parameter_takes_a_name(name: str) -> None:
    from sinorus_kg import KnowledgeGraph

    by_name = KnowledgeGraph().query("events-of-person", {"person": name})
    by_id = KnowledgeGraph().query("events-of-person", {"person": "person:sergey-lavrov"})
    assert by_name.rows == by_id.rows and len(by_id.rows) == 3


def test_a_name_of_the_wrong_class_is_not_taken() -> None:
    from sinorus_kg import KnowledgeGraph

    with pytest.raises(InputError, match="no sr:Person is named 'Moscow'|nor the name of a sr:Person"):
        KnowledgeGraph().query("events-of-person", {"person": "Moscow"})


def test_a_table_shows_labels_and_the_prefixed_names_a_param_takes() -> None:
    result = invoke("query", "people-by-name", "--param", "text=Sergey")
    assert result.exit_code == 0, result.output
    assert "Sergey Lavrov" in result.output and "person:sergey-lavrov" in result.output
    nxt = invoke("query", "events-of-person", "--param", "person=person:sergey-lavrov")
    assert nxt.exit_code == 0 and "event:2014-04-15-lavrov-official-visit-to-china" in nxt.output


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize("columns", [80, 100, 120, 160])
@pytest.mark.parametrize("query", ["events-of-person", "events-in-year", "treaties", "office-holdings"])
def test_query_tables_fit_the_terminal_and_never_split_a_date(query: str, columns: int) -> None:
    result = invoke("query", query, columns=columns)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    assert not any(re.search(r"\b\d{4}-\d{2}\s*│?$", line) or re.search(r"\b\d{4}-\s*│?$", line) for line in lines)
    assert DATE.search(result.output)


@pytest.mark.parametrize("columns", [80, 120])
def test_the_catalogue_fits_the_terminal(columns: int) -> None:
    result = invoke("queries", columns=columns)
    assert result.exit_code == 0
    assert all(len(line) <= columns for line in result.output.splitlines())
    assert "│ events-in-year " in result.output  # names whole, in the first column


def test_render_table_keeps_headers_dates_and_names_whole() -> None:
    rows = [["2014-04-15", "person:sergey-lavrov", "a long text " * 20]]
    text = render_table(["eventLabel", "who", "sentenceText"], rows, width=80)
    assert "2014-04-15" in text and "person:sergey-lavrov" in text and "eventLabel" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_render_table_prints_records_when_columns_cannot_be_read_side_by_side() -> None:
    columns = [f"column{i}" for i in range(12)]
    text = render_table(columns, [[f"2014-04-{i:02d}" for i in range(1, 13)]], width=80)
    assert text.startswith("-[ 1 ]") and "column11  2014-04-12" in text and "column0   2014-04-01" in text


def test_an_empty_answer_gets_a_hint_naming_the_neighbouring_queries() -> None:
    result = invoke("query", "relations-established", "--param", "state=state:russian-federation",
                    "--param", "other=state:prc")
    assert result.exit_code == 0
    assert "hint: no rows for state=state:russian-federation, other=state:prc" in result.output
    assert "recognitions" in result.output and "state-successions" in result.output


def test_in_force_dates_stay_unbounded() -> None:
    result = invoke("query", "agreements-in-force", "--param", "date=2020-01-01")
    assert result.exit_code == 0 and "outside" not in result.output


def test_a_period_may_begin_before_the_documents() -> None:
    result = invoke("query", "events-in-period", "--param", "from=1940-01-01", "--param", "to=1949-12-31",
                    "--format", "csv")
    assert result.exit_code == 0 and "1949" in result.output


def test_the_catalogue_json_carries_descriptions() -> None:
    import json

    entries = json.loads(invoke("queries", "--format", "json").output)
    assert all(e["description"] for e in entries if e["name"] == "events-in-year")
    assert entries[0]["params"] is not None


def test_query_names_are_case_insensitive() -> None:
    assert invoke("query", "Relations-Established", "--format", "csv").exit_code == 0


# --- the release older than its sources -------------------------------------------------------

def test_the_committed_release_is_not_older_than_its_sources() -> None:
    from sinorus_kg.freshness import changed_sources

    assert changed_sources() == [], "rebuild the release (make release) and commit it"


def test_an_edited_source_makes_the_release_stale(tmp_path: Path) -> None:
    from sinorus_kg import resources
    from sinorus_kg.freshness import FILE_NAME, changed_sources, source_checksums, stale_release

    root = tmp_path / "tree"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(resources.resource_root() / folder, root / folder)
    release = tmp_path / "release"
    release.mkdir()
    (release / FILE_NAME).write_bytes(source_checksums(root))
    assert changed_sources(release, root) == []
    with (root / "data" / "persons.ttl").open("a", encoding="utf-8") as out:
        out.write("# an analyst's edit\n")
    (root / "queries" / "events-in-year.rq").unlink()
    assert changed_sources(release, root) == ["data/persons.ttl", "queries/events-in-year.rq"]
    (release / FILE_NAME).write_bytes(source_checksums(root))  # a release built from the edited copy…
    warning = stale_release(release)  # …against the tree as it is
    assert warning is not None and "older than its sources" in warning and "data/persons.ttl" in warning


@pytest.mark.parametrize("columns", [80, 120, 160])
@pytest.mark.parametrize("query", ["events-of-person", "relations-established", "participants-of-event"])
def test_every_identifier_in_a_table_can_be_copied_whole(query: str, columns: int) -> None:
    import csv
    import io

    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.namespaces import shorten

    params = {p.name for p in Catalogue.load().get(query).params}  # echoed inputs are left out of tables
    header, *rows = list(csv.reader(io.StringIO(invoke("query", query, "--format", "csv").output)))
    names = {shorten(v) for row in rows for column, v in zip(header, row, strict=True)
             if column not in params and v.startswith("https://w3id.org/sinorus/id/")}
    table = invoke("query", query, columns=columns).output
    assert names and [name for name in names if name not in table] == []


def test_search_ranks_time_spans_and_participations_after_what_they_name() -> None:
    """"Time of: Talks between Xi Jinping…" contains "Xi Jinping" too, but an analyst looks for the
    person and the events first: the nodes that only repeat another's name come last."""
    from sinorus_kg.engines import open_engine
    from sinorus_kg.lookup import DERIVED, search

    hits = search(open_engine(), "Xi Jinping", limit=200)
    derived = [h.iri.startswith(DERIVED) for h in hits]
    assert hits[0].iri.endswith("/person/xi-jinping")
    assert True in derived and False in derived  # both kinds match the name
    assert derived == sorted(derived)  # every own-named resource before the first time span or participation


def test_a_name_contained_in_several_labels_is_not_taken_for_one_of_them() -> None:
    """Only an exact label resolves a parameter: "Xi" begins "Xi Jinping" but names no one."""
    from sinorus_kg import KnowledgeGraph

    with pytest.raises(InputError, match="no sr:Person is named 'Xi'; did you mean person:xi-jinping"):
        KnowledgeGraph().query("events-of-person", {"person": "Xi"})
