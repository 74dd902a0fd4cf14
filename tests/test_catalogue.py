"""Every stored query: documented, tested against a golden answer from the document, on both engines.

Golden files (``tests/golden/NAME.json``) are written from reading the document, never from
a query's output. Regenerating them is deliberately not automated.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from sinorus_kg import resources
from sinorus_kg.catalogue import Catalogue, StoredQuery
from sinorus_kg.engines import Engine, QueryResult, open_engine, with_catalogue
from sinorus_kg.namespaces import PREFIXES, expand
from sinorus_kg.terms import Term

GOLDEN = Path(__file__).resolve().parent / "golden"
CATALOGUE = Catalogue.load()
NAMES = CATALOGUE.names()
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):\S")


@pytest.fixture(scope="module")
def engines(full: Graph) -> dict[str, Engine]:
    from sinorus_kg.build import catalogue_graph

    graph = with_catalogue(full, catalogue_graph())
    return {"rdflib": open_engine("rdflib", graph=graph), "oxigraph": open_engine("oxigraph", graph=graph)}


def norm_golden(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).lower() if isinstance(value, bool) else str(value)
    match = _PREFIXED.match(text)
    if (match and match.group(1) in PREFIXES) or text.startswith(("http://", "https://")):
        return expand(text)
    return text


def norm_term(term: Term | None) -> str | None:
    return None if term is None else ("_:b" if term.kind == "bnode" else term.value)


def golden_cases(name: str) -> list[dict[str, Any]]:
    path = GOLDEN / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))["cases"] if path.exists() else []


def test_every_query_is_documented_and_tested() -> None:
    assert len(CATALOGUE) >= 30, f"the catalogue has {len(CATALOGUE)} queries; the issue asks for 30"
    problems = []
    for q in CATALOGUE:
        if not q.summary or not q.description:
            problems.append(f"{q.name}: no #+ summary / #+ description")
        if not q.tags:
            problems.append(f"{q.name}: no #+ tags")
        if not golden_cases(q.name):
            problems.append(f"{q.name}: no golden answer in tests/golden/{q.name}.json")
    assert not problems, "\n".join(problems)


def test_no_orphan_golden_files() -> None:
    orphans = {p.stem for p in GOLDEN.glob("*.json")} - set(NAMES)
    assert not orphans, f"golden files without a query: {sorted(orphans)}"


def test_every_paragraph_is_covered() -> None:
    paragraphs = len(resources.source_document().read_text(encoding="utf-8").splitlines())
    covered = {p for q in CATALOGUE for p in q.paragraphs}
    assert covered >= set(range(1, paragraphs + 1)), f"paragraphs without a query: " \
        f"{sorted(set(range(1, paragraphs + 1)) - covered)}"


def test_kinds_of_question_are_present() -> None:
    kinds = Counter(q.kind for q in CATALOGUE)
    assert kinds["ASK"] >= 1 and kinds["CONSTRUCT"] >= 1


def test_select_queries_project_their_parameters() -> None:
    """pyoxigraph substitutes only projected variables (SEP-0007)."""
    for q in CATALOGUE:
        if q.kind != "SELECT":
            continue
        head = re.split(r"\bWHERE\b|\{", q.text.split("SELECT", 1)[1], maxsplit=1)[0]
        missing = [p.name for p in q.params if f"?{p.name}" not in head and "*" not in head]
        assert not missing, f"{q.name}: SELECT does not project {missing}"


def run(engine: Engine, q: StoredQuery, params: dict[str, Any]) -> QueryResult:
    return engine.run(q.sparql(), q.bindings({k: str(v) for k, v in params.items()}))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
def test_golden_answer(engines: dict[str, Engine], name: str, engine_name: str) -> None:
    q = CATALOGUE.get(name)
    cases = golden_cases(name)
    if not cases:
        pytest.fail(f"{name} has no golden answer")
    for case in cases:
        result = run(engines[engine_name], q, case.get("params", {}))
        label = f"{name} {case.get('params', {})} on {engine_name}"
        if "boolean" in case:
            assert result.boolean is case["boolean"], label
        elif "triples" in case or "contains" in case:
            got = {tuple(norm_term(t) for t in triple) for triple in result.triples}
            want = {tuple(norm_golden(v) for v in triple) for triple in case.get("triples", case.get("contains"))}
            if "triples" in case:
                assert got == want, label
            else:
                assert want <= got, f"{label}: missing {want - got}"
                assert len(got) >= case.get("min_triples", 0), label
        else:
            columns = case["columns"]
            missing = [c for c in columns if c not in result.columns]
            assert not missing, f"{label}: no column(s) {missing} in {result.columns}"
            index = [result.columns.index(c) for c in columns]
            got_rows = [tuple(norm_term(row[i]) for i in index) for row in result.rows]
            want_rows = [tuple(norm_golden(v) for v in row) for row in case["rows"]]
            if case.get("ordered"):
                assert got_rows == want_rows, label
            else:
                assert Counter(got_rows) == Counter(want_rows), (
                    f"{label}\n  unexpected: {sorted(set(got_rows) - set(want_rows), key=str)}"
                    f"\n  missing: {sorted(set(want_rows) - set(got_rows), key=str)}")


@pytest.mark.parametrize("name", NAMES)
def test_engines_agree(engines: dict[str, Engine], name: str) -> None:
    q = CATALOGUE.get(name)
    for case in golden_cases(name) or [{"params": {}}]:
        answers = []
        for engine in engines.values():
            result = run(engine, q, case.get("params", {}))
            rows = Counter(tuple(norm_term(t) for t in row) for row in result.rows)
            triples = {tuple(norm_term(t) for t in triple) for triple in result.triples}
            answers.append((result.kind, result.columns, rows, triples, result.boolean))
        assert answers[0] == answers[1], name


def _typed(term: Term | None) -> tuple[str, str | None, str | None] | None:
    return None if term is None or term.kind != "literal" else (term.value, term.datatype, term.lang)


@pytest.mark.parametrize("name", NAMES)
def test_engines_agree_on_datatypes(engines: dict[str, Engine], name: str) -> None:
    """Every literal a stored query answers has the same datatype and language on both engines
    (test_engines_agree compares values only). An Oxigraph store keeps a literal's value: it reads
    xsd:positiveInteger or xsd:nonNegativeInteger as xsd:integer, so the data uses xsd:integer."""
    q = CATALOGUE.get(name)
    for case in golden_cases(name) or [{"params": {}}]:
        answers = []
        for engine in engines.values():
            result = run(engine, q, case.get("params", {}))
            answers.append(Counter(tuple(_typed(t) for t in row) for row in result.rows)
                           + Counter(tuple(_typed(t) for t in triple) for triple in result.triples))
        assert answers[0] == answers[1], name


DATATYPES = """SELECT DISTINCT ?p (DATATYPE(?o) AS ?datatype) WHERE {
  { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isLiteral(?o)) }"""


def test_datatype_answers_agree_on_the_release() -> None:
    """DATATYPE() of every literal of the shipped release (data and catalogue graph) answers alike on
    the default engine (an Oxigraph store) and on rdflib, the reference."""
    from sinorus_kg.engines import open_release

    found = {name: {(row[0].value, row[1].value) for row in open_release(name).run(DATATYPES).rows
                    if row[0] is not None and row[1] is not None}
             for name in ("rdflib", "oxigraph")}
    assert found["oxigraph"] == found["rdflib"]
    assert ("https://w3id.org/sinorus/ontology#sentenceIndex", "http://www.w3.org/2001/XMLSchema#integer") \
        in found["oxigraph"]


@pytest.mark.parametrize("name", NAMES)
def test_label_columns_are_not_all_empty(engines: dict[str, Engine], name: str) -> None:
    """A ``…Label`` column that is empty on every row means a query reads the wrong label property."""
    q = CATALOGUE.get(name)
    if q.kind != "SELECT":
        return
    for case in golden_cases(name):
        result = run(engines["oxigraph"], q, case.get("params", {}))
        if not result.rows:
            continue
        for i, column in enumerate(result.columns):
            subject = column.removesuffix("Label")
            if column.endswith("Label") and subject in result.columns:
                j = result.columns.index(subject)
                labelled = [row for row in result.rows if row[j] is not None and row[j].kind == "iri"]
                assert not labelled or any(row[i] is not None for row in labelled), (
                    f"{name} {case.get('params', {})}: ?{column} is empty on every row with a ?{subject}")


PEOPLE = ["participants-of-event", "meetings-between", "events-of-person", "persons-met", "office-holder-at-event"]


@pytest.mark.parametrize("name", PEOPLE)
def test_queries_about_people_answer_the_same_on_the_asserted_release(
        engines: dict[str, Engine], asserted_graph: Graph, name: str) -> None:
    """An importer without a reasoner gets every participant: asserted with sr:hasParticipant, or
    resolved with sr:resolvedParticipant, which the full release also entails as sr:hasParticipant."""
    from sinorus_kg.build import catalogue_graph

    asserted = open_engine("oxigraph", graph=with_catalogue(asserted_graph, catalogue_graph()))
    q = CATALOGUE.get(name)
    for case in golden_cases(name):
        on_full, on_asserted = (run(engine, q, case.get("params", {})) for engine in (engines["oxigraph"], asserted))
        assert (on_asserted.columns, Counter(on_asserted.rows), on_asserted.boolean) == \
            (on_full.columns, Counter(on_full.rows), on_full.boolean), f"{name} {case.get('params', {})}"


def test_headers_read_without_pyyaml_as_pyyaml_reads_them() -> None:
    """The cold query path reads the usual flow collections itself (PyYAML's import costs ~10 ms);
    on every stored query it must read what PyYAML reads, and leave anything unusual to PyYAML."""
    import re

    import yaml

    from sinorus_kg.catalogue import _UNSURE, read_flow
    from sinorus_kg.resources import queries_dir

    seen = 0
    for path in sorted(queries_dir().glob("**/*.rq")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^#\+\s*(tags|params|paragraphs)\s*:\s*(.*)$", line)
            if match:
                found = read_flow(match.group(2))
                assert found is not _UNSURE, (path.name, match.group(2))
                assert repr(found) == repr(yaml.safe_load(match.group(2))), path.name
                seen += 1
    assert seen > 50
    for unusual in ("{a: yes}", "{a: 1.5}", "{a: 2014-01-01}", "{a: 0x1F}", "{a: ~}", "{a:b}", "{a: 3:30}"):
        assert read_flow(unusual) is _UNSURE, unusual


def test_every_default_iri_is_of_its_declared_class() -> None:
    """A stored query checks the class of an IRI the user gives, not of its own defaults (a cold
    query would pay an ASK per parameter): the defaults are checked here, once."""
    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.engines import open_engine

    engine = open_engine("oxigraph")
    checked = 0
    for stored in Catalogue.load():
        bindings = stored.bindings()
        for param in stored.params:
            if param.type == "iri" and param.cls and param.name in bindings:
                param.check_class(engine, bindings[param.name])
                checked += 1
    assert checked > 10
