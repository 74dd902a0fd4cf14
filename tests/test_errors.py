"""Every documented bad input, through the command line and the Python API: exit 2 (an InputError
in Python), a message that says what is wrong and what to do, and never a traceback.

The command line is driven through the installed console script (the typer-free fast path for
plain `query` runs included), as a person at a terminal would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sinorus_kg.errors import InputError

SCRIPT = str(Path(sys.executable).parent / "sinorus-kg")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, input=stdin, timeout=120, env=env)


def refused(*args: str, says: tuple[str, ...], stdin: str | None = None) -> str:
    done = run(*args, stdin=stdin)
    assert done.returncode == 2, (args, done.returncode, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert not done.stdout, "no partial output on an error"
    for words in says:
        assert words in done.stderr, (args, words, done.stderr)
    assert len(done.stderr.strip().splitlines()) <= 6, done.stderr  # a message, not a dump
    return done.stderr


# --- SPARQL: unknown prefixes, syntax errors placed under the user's text, on both engines -------

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_unknown_prefix_is_named_with_the_declared_ones(engine: str) -> None:
    refused("sparql", "--engine", engine, "SELECT ?e WHERE { ?e a foo:Visit }",
            says=("unknown prefix foo:", "declare it with PREFIX", "person:", "sr:"))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_misspelt_query_form_is_said_as_such(engine: str) -> None:
    text = refused("sparql", "--engine", engine, "SELEC ?e WHERE { ?e a sr:Visit }",
                   says=("SPARQL syntax error at 1:1", "begins with SELECT, CONSTRUCT, DESCRIBE or ASK"))
    assert "\n  SELEC ?e WHERE { ?e a sr:Visit }\n  ^" in text


def test_a_syntax_error_is_shown_under_the_users_own_line() -> None:
    query = "SELECT ?e\nWHERE {\n  ?e a sr:Visit .\n  FILTER(?e = )\n}"
    text = refused("sparql", "-", stdin=query, says=("SPARQL syntax error at 4:",))
    lines = text.splitlines()
    shown = next(i for i, line in enumerate(lines) if line == "    FILTER(?e = )")
    assert lines[shown + 1].strip() == "^"  # the caret line follows the user's line, not a prologue


def test_oxigraph_s_own_messages_are_translated() -> None:
    from sinorus_kg.engines import open_engine

    engine = open_engine("oxigraph")
    with pytest.raises(InputError) as caught:
        engine.run("SELECT ?e WHERE { ?e a foo:Visit }")
    assert "unknown prefix foo:" in str(caught.value) and "\\u{" not in str(caught.value)
    with pytest.raises(InputError) as caught:
        engine.run("SELECT ?e WHERE { ?e a <x:y> . FILTER( }")
    message = str(caught.value)
    assert message.startswith("SPARQL syntax error at 1:") and "\\u{" not in message and len(message) < 400


def test_rdflib_s_bare_exception_becomes_an_input_error() -> None:
    from sinorus_kg.engines import open_engine

    with pytest.raises(InputError, match="unknown prefix foo:"):
        open_engine("rdflib").run("SELECT ?e WHERE { ?e a foo:Visit }")


def test_the_api_refuses_with_the_same_words() -> None:
    from sinorus_kg import KnowledgeGraph

    kg = KnowledgeGraph()
    try:
        with pytest.raises(InputError, match="unknown prefix foo:"):
            kg.sparql("SELECT ?e WHERE { ?e a foo:Visit }")
        with pytest.raises(InputError, match="begins with SELECT"):
            kg.sparql("SELEC ?e WHERE { ?e a sr:Visit }")
    finally:
        kg.close()


# --- the service: ports and addresses ----------------------------------------------------------

@pytest.mark.parametrize("port", ["99999", "-1"])
def test_a_port_out_of_range_is_refused(port: str) -> None:
    refused("serve", "--port", port, says=("--port must be between 0 and 65535",))


def test_an_address_that_cannot_be_listened_on_is_named() -> None:
    refused("serve", "--host", "nosuch.invalid", "--allow-host", "kg.example.org",
            says=("cannot listen on nosuch.invalid:8000",))


def test_a_non_number_port_is_a_usage_error() -> None:
    refused("serve", "--port", "abc", says=("Invalid value for '--port'",))


# --- formats ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "accepted"), [
    (("queries", "--format", "csv"), "table or json"),
    (("queries", "--format", "xyz"), "table or json"),
    (("query", "relations-established", "--format", "xyz"), "table, csv, tsv, json"),
    (("query", "entity-subgraph", "--format", "csv"), "ttl, nt, jsonld, xml"),
    (("search", "lavrov", "--format", "csv"), "table or json"),
    (("sparql", "--format", "xyz", "ASK { ?s ?p ?o }"), "choose one of"),
    (("export", "--format", "xyz"), "ttl, nt, jsonld, xml"),
    (("validate", "--format", "xyz"), "text, json or ttl"),
    (("coverage", "--format", "xyz"), "text or json"),
    (("serve", "--log-format", "xyz"), "text or json"),
])
def test_an_unknown_format_is_refused_with_the_accepted_list(args: tuple[str, ...], accepted: str) -> None:
    refused(*args, says=(repr(args[-1] if args[0] != "sparql" else "xyz"), accepted))


def test_timeline_needs_a_file_to_write() -> None:
    refused("timeline", says=("--out FILE",))


# --- stored queries: names, parameters, ranges --------------------------------------------------

def test_an_unknown_tag_lists_the_tags() -> None:
    refused("queries", "--tag", "peple", says=("no stored query has the tag 'peple'", "Did you mean: people",
                                                "tags: "))


def test_a_prefixed_name_with_a_typo_suggests_the_closest() -> None:
    refused("query", "events-of-person", "--param", "person=person:sergey-lavrv",
            says=("person:sergey-lavrv is not a sr:Person", "did you mean person:sergey-lavrov (Sergey Lavrov)"))


def test_an_unknown_prefix_in_a_parameter_is_named() -> None:
    refused("query", "events-of-person", "--param", "person=prson:sergey-lavrov",
            says=("unknown prefix prson:", "person:"))


def test_a_name_that_is_no_one_s_points_to_search() -> None:
    refused("query", "events-of-person", "--param", "person=Nobody Here",
            says=("nor the name of a sr:Person", "sinorus-kg search 'Nobody Here'"))


def test_a_partial_name_suggests_the_people_it_fits() -> None:
    refused("query", "events-of-person", "--param", "person=Sergey",
            says=("no sr:Person is named 'Sergey'", "person:sergey-lavrov", "person:sergey-naryshkin"))


@pytest.mark.parametrize(("args", "says"), [
    (("events-in-year", "--param", "year=89"), ("'year': 89 is outside", "1949 to 2014")),
    (("events-in-period", "--param", "from=1970-01-01", "--param", "to=1960-01-01"),
     ("'to' (1960-01-01) is before 'from' (1970-01-01)",)),
    (("events-in-period", "--param", "from=2020-01-01", "--param", "to=2021-12-31"),
     ("outside the period the source documents cover", "1949-01-01 to 2014-12-31")),
    (("events-of-sentence", "--param", "index=99"), ("'index': 99 is outside the sentences of document:srcr",
                                                     "1 to 31")),
])
def test_a_value_outside_its_range_states_the_range(args: tuple[str, ...], says: tuple[str, ...]) -> None:
    refused("query", *args, says=says)


def test_an_unknown_query_suggests_the_closest_name() -> None:
    refused("query", "relations-establishd", says=("unknown query 'relations-establishd'",
                                                    "Did you mean: relations-established"))


@pytest.mark.parametrize(("name", "params", "says"), [
    ("events-of-person", {"person": "person:sergey-lavrv"}, "did you mean person:sergey-lavrov"),
    ("events-in-year", {"year": 89}, "1949 to 2014"),
    ("events-of-sentence", {"index": 99}, "1 to 31"),
])
def test_the_api_raises_the_same_errors(name: str, params: dict[str, object], says: str) -> None:
    from sinorus_kg import KnowledgeGraph

    with pytest.raises(InputError, match=says):
        KnowledgeGraph().query(name, params)


def test_records_of_an_ask_or_construct_result_say_where_the_answer_is() -> None:
    from sinorus_kg import KnowledgeGraph

    kg = KnowledgeGraph()
    with pytest.raises(InputError, match=r"\.boolean"):
        kg.engine.run("ASK { ?s ?p ?o }").records()
    with pytest.raises(InputError, match=r"\.triples"):
        kg.engine.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1").records()
