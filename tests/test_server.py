"""The SPARQL 1.1 Protocol endpoint and web page: same answers as the library, read-only, bounded."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph

from sinorus_kg.knowledge_graph import KnowledgeGraph
from sinorus_kg.server import MAX_BODY, SparqlServer, make_server, negotiate
from sinorus_kg.terms import Term

VISITS = "SELECT ?visit ?date WHERE { ?visit a sr:Visit ; sr:earliestDate ?date } ORDER BY ?date ?visit"
LAVROV = "https://w3id.org/sinorus/id/person/sergey-lavrov"
Response = tuple[int, Message, str]


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph("oxigraph")


def _start(kg: KnowledgeGraph, timeout: float) -> Iterator[SparqlServer]:
    server = make_server(kg, "127.0.0.1", 0, timeout=timeout, max_rows=1000)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def server(kg: KnowledgeGraph) -> Iterator[SparqlServer]:
    yield from _start(kg, timeout=5.0)


def fetch(server: SparqlServer, path: str, data: bytes | None = None,
          headers: dict[str, str] | None = None) -> Response:
    request = urllib.request.Request(server.url.rstrip("/") + path, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, exc.read().decode("utf-8")


def get_sparql(server: SparqlServer, query: str, accept: str | None = None, **extra: str) -> Response:
    return fetch(server, "/sparql?" + urlencode({"query": query, **extra}),
                 headers={"Accept": accept} if accept else None)


def solutions(text: str, fmt: ox.QueryResultsFormat) -> set[tuple[Term | None, ...]]:
    """Parse a SPARQL results document with Oxigraph's parser, as a set of engine-neutral rows."""
    parsed = ox.parse_query_results(text.encode("utf-8"), format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    columns = [v.value for v in parsed.variables]
    return {tuple(_term(s[c]) for c in columns) for s in parsed}


def _term(node: object) -> Term | None:
    if node is None:
        return None
    if isinstance(node, ox.NamedNode):
        return Term.iri(node.value)
    assert isinstance(node, ox.Literal)
    return Term.literal(node.value, node.datatype.value if node.datatype else None, node.language)


def test_select_json_by_get_is_the_library_answer(server: SparqlServer, kg: KnowledgeGraph) -> None:
    status, headers, body = get_sparql(server, VISITS)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert solutions(body, ox.QueryResultsFormat.JSON) == set(kg.sparql(VISITS).rows)
    dates = {b["date"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert {"2013-03-22", "2014-04-15"} <= dates  # sentences 11 (Xi Jinping) and 18 (Lavrov)


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("text/html;q=0.5, application/sparql-results+json", ox.QueryResultsFormat.JSON),
])
def test_accept_header_chooses_the_format(server: SparqlServer, kg: KnowledgeGraph, accept: str,
                                          fmt: ox.QueryResultsFormat) -> None:
    status, headers, body = get_sparql(server, VISITS, accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == fmt.media_type.split(";")[0]
    assert solutions(body, fmt) == set(kg.sparql(VISITS).rows)


def test_csv_by_form_post_and_format_parameter(server: SparqlServer, kg: KnowledgeGraph) -> None:
    data = urlencode({"query": VISITS, "format": "csv"}).encode()
    status, headers, body = fetch(server, "/sparql", data,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["visit", "date"]
    assert rows[1:] == [[t.value for t in row if t] for row in kg.sparql(VISITS).rows]


def test_direct_post_of_the_query(server: SparqlServer, kg: KnowledgeGraph) -> None:
    status, _, body = fetch(server, "/sparql", VISITS.encode(),
                            {"Content-Type": "application/sparql-query",
                             "Accept": "application/sparql-results+xml"})
    assert status == 200
    assert solutions(body, ox.QueryResultsFormat.XML) == set(kg.sparql(VISITS).rows)


def test_ask(server: SparqlServer) -> None:
    ask = "ASK { treaty:1950-friendship-alliance-mutual-assistance a sr:Treaty }"  # sentence 2
    status, _, body = get_sparql(server, ask)
    assert status == 200 and json.loads(body)["boolean"] is True
    parsed = ox.parse_query_results(get_sparql(server, ask, format="srx")[2].encode(),
                                    format=ox.QueryResultsFormat.XML)
    assert isinstance(parsed, ox.QueryBoolean) and bool(parsed)


def test_construct_as_turtle_and_ntriples(server: SparqlServer, kg: KnowledgeGraph) -> None:
    query = f"CONSTRUCT {{ ?e sr:hasParticipant <{LAVROV}> }} WHERE {{ ?e sr:hasParticipant <{LAVROV}> }}"
    status, headers, body = get_sparql(server, query)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert len(graph) == len(kg.sparql(query).triples) == 3  # sentence 18: visit, conversation, talks
    status, headers, body = get_sparql(server, query, accept="application/n-triples")
    assert headers["Content-Type"].startswith("application/n-triples")
    assert len(Graph().parse(data=body, format="nt")) == 3


def test_catalogue_lists_queries_with_params(server: SparqlServer, kg: KnowledgeGraph) -> None:
    status, headers, body = fetch(server, "/queries")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    entries = {e["name"]: e for e in json.loads(body)}
    assert list(entries) == kg.catalogue.names()
    person = entries["events-of-person"]["params"]["person"]
    assert person["type"] == "iri" and person["default"] == "srid:person/xi-jinping"
    assert person["optional"] is False


def test_stored_query_with_and_without_params(server: SparqlServer, kg: KnowledgeGraph) -> None:
    status, _, body = fetch(server, "/queries/events-of-person?person=person:sergey-lavrov")
    assert status == 200
    assert solutions(body, ox.QueryResultsFormat.JSON) == set(
        kg.query("events-of-person", {"person": "person:sergey-lavrov"}).rows)
    assert {b["start"]["value"] for b in json.loads(body)["results"]["bindings"]} == {"2014-04-15"}
    status, _, body = fetch(server, "/queries/events-of-person?format=csv")
    assert status == 200
    assert len(list(csv.reader(io.StringIO(body)))) - 1 == len(kg.query("events-of-person").rows)


def test_bad_parameter_is_400_naming_it(server: SparqlServer) -> None:
    status, _, body = fetch(server, "/queries/events-in-year?year=nineteen")
    assert status == 400 and "year" in body and "nineteen" in body
    status, _, body = fetch(server, "/queries/events-of-person?colour=red")
    assert status == 400 and "colour" in body


def test_unknown_query_is_404_with_a_suggestion(server: SparqlServer) -> None:
    status, _, body = fetch(server, "/queries/events-of-persn")
    assert status == 404 and "events-of-person" in body


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 400),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 405),
    ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", 400),
])
def test_hostile_queries_are_refused(server: SparqlServer, query: str, expected: int) -> None:
    status, headers, body = get_sparql(server, query)
    assert status == expected and "refused" in body
    assert headers["Content-Type"].startswith("text/plain")


def test_updates_and_dataset_parameters_are_refused(server: SparqlServer) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    status, _, body = fetch(server, "/sparql", urlencode({"update": update}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 405 and "read-only" in body
    status, _, body = fetch(server, "/sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 405 and "read-only" in body
    status, _, body = get_sparql(server, VISITS, **{"default-graph-uri": "http://example.org/g"})
    assert status == 400 and "default-graph-uri" in body


def test_syntax_error_missing_query_and_bad_format(server: SparqlServer) -> None:
    status, headers, body = get_sparql(server, "SELECT ?x WHERE { ?x ")
    assert status == 400 and "syntax" in body.lower() and headers["Content-Type"].startswith("text/plain")
    assert fetch(server, "/sparql")[0] == 400
    assert get_sparql(server, VISITS, format="ttl")[0] == 400
    assert get_sparql(server, VISITS, accept="image/png")[0] == 406


def test_oversized_body_is_413(server: SparqlServer) -> None:
    body = b"query=" + b"x" * (MAX_BODY + 1)
    status, _, text = fetch(server, "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and str(MAX_BODY) in text


def test_unknown_route_and_foreign_host(server: SparqlServer) -> None:
    assert fetch(server, "/nowhere")[0] == 404
    assert fetch(server, "/", headers={"Host": "attacker.example"})[0] == 403


def test_page_lists_the_catalogue_and_escapes_input(server: SparqlServer, kg: KnowledgeGraph) -> None:
    hostile = '</textarea><script>alert("x")</script>'
    status, headers, page = fetch(server, "/?query=" + quote(hostile))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<script>" not in page and "&lt;/textarea&gt;&lt;script&gt;" in page
    for stored in kg.catalogue:
        assert f'href="/queries/{stored.name}?format=html"' in page
    assert 'name="person"' in page  # a parameter input of events-of-person
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_page_shows_results_with_labels(server: SparqlServer) -> None:
    query = f"SELECT ?person WHERE {{ BIND(<{LAVROV}> AS ?person) }} # <b>bold</b>"
    data = urlencode({"query": query, "format": "html"}).encode()
    status, _, page = fetch(server, "/sparql", data, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and ">Sergey Lavrov</a></td>" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    status, _, page = fetch(server, "/sparql?" + urlencode({"query": "SELECT (", "format": "html"}))
    assert status == 400 and 'class="error"' in page
    status, _, page = fetch(server, "/queries/events-of-person?person=&format=html")
    assert status == 200 and "Xi Jinping" in page  # an empty field means the default


def test_timeout_is_503(kg: KnowledgeGraph) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for server in _start(kg, timeout=0.3):
        status, headers, body = get_sparql(server, slow)
        assert status == 503 and "time limit" in body and int(headers["Retry-After"]) >= 1


def test_negotiation() -> None:
    assert negotiate("select", None, None) == "srj"
    assert negotiate("graph", None, "*/*") == "ttl"
    assert negotiate("select", None, "text/*") == "csv"
    assert negotiate("select", None, "application/json") == "json"
    assert negotiate("ask", "application/sparql-results+xml", "text/csv") == "srx"


def test_a_taken_port_is_a_clear_error(server: SparqlServer, kg: KnowledgeGraph) -> None:
    from sinorus_kg.errors import InputError

    with pytest.raises(InputError, match="cannot listen"):
        make_server(kg, "127.0.0.1", server.server_address[1])


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_other_methods_are_refused_in_plain_text(server: SparqlServer, method: str) -> None:
    request = urllib.request.Request(server.url + "sparql", data=b"x", method=method)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 405 and caught.value.headers["Content-Type"].startswith("text/plain")
    assert "read-only" in caught.value.read().decode()


@pytest.mark.parametrize("headers", [
    {"Origin": "https://attacker.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"},
])
def test_cross_site_requests_are_403(server: SparqlServer, headers: dict[str, str]) -> None:
    """A page elsewhere cannot drive the local endpoint: not even a plain form POST."""
    data = urlencode({"query": VISITS}).encode()
    status, _, body = fetch(server, "/sparql", data, {"Content-Type": "application/x-www-form-urlencoded",
                                                      **headers})
    assert status == 403 and "cross-site" in body


def test_same_origin_page_may_post(server: SparqlServer) -> None:
    own = server.url.rstrip("/")
    data = urlencode({"query": VISITS, "format": "html"}).encode()
    status, _, _ = fetch(server, "/sparql", data, {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Origin": own, "Sec-Fetch-Site": "same-origin"})
    assert status == 200


def test_a_body_shorter_than_its_content_length_is_not_run(server: SparqlServer) -> None:
    import socket

    host, port = server.server_address[0], server.server_address[1]
    query = b"SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    with socket.create_connection((str(host), int(port)), timeout=10) as conn:
        conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: %d\r\n\r\n" % (len(query) + 50) + query)
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 400") and b"was not run" in answer


def test_statuses_of_limits(kg: KnowledgeGraph) -> None:
    for server in _start(kg, timeout=5.0):
        server.max_bytes = 1000
        status, _, body = get_sparql(server, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 507 and "--max-bytes" in body
        update = "LOAD <http://127.0.0.1:1/x>"
        assert get_sparql(server, update)[0] == 405
