"""The SPARQL service on a real server (Hypercorn on 127.0.0.1, a pool of query workers):
the protocol, formats, statuses, CORS, caching, and what a pool must survive."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from email.message import Message
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph
from service import Running, running

from sinorus_kg.knowledge_graph import KnowledgeGraph
from sinorus_kg.terms import Term
from sinorus_kg.web.negotiation import negotiate
from sinorus_kg.web.protocol import MAX_BODY

VISITS = "SELECT ?visit ?date WHERE { ?visit a sr:Visit ; time:hasTime/sr:earliestBegin ?date } ORDER BY ?date ?visit"
LAVROV = "https://w3id.org/sinorus/id/person/sergey-lavrov"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph("oxigraph")


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    with running(workers=3, timeout=5.0, max_rows=1000) as s:
        yield s


def get(server: Running, query: str, accept: str | None = None, **extra: str) -> tuple[int, Message, str]:
    status, headers, body = server.fetch("/sparql?" + urlencode({"query": query, **extra}),
                                         headers={"Accept": accept} if accept else None)
    return status, headers, body.decode("utf-8")


def solutions(text: str, fmt: ox.QueryResultsFormat) -> set[tuple[Term | None, ...]]:
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


# -- the protocol: operations and formats -------------------------------------------------------
def test_select_json_by_get_is_the_library_answer(server: Running, kg: KnowledgeGraph) -> None:
    status, headers, body = get(server, VISITS)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert headers["Vary"] == "Accept"
    assert solutions(body, ox.QueryResultsFormat.JSON) == set(kg.sparql(VISITS).rows)
    dates = {b["date"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert {"2013-03-22", "2014-04-15"} <= dates  # sentences 11 (Xi Jinping) and 18 (Lavrov)


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("application/xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("text/csv;q=0.5, application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("text/csv;q=0.9, application/sparql-results+xml;q=0.95", ox.QueryResultsFormat.XML),
    ("*/*", ox.QueryResultsFormat.JSON),
])
def test_accept_header_chooses_the_format(server: Running, kg: KnowledgeGraph, accept: str,
                                          fmt: ox.QueryResultsFormat) -> None:
    status, headers, body = get(server, VISITS, accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == fmt.media_type.split(";")[0]
    assert solutions(body, fmt) == set(kg.sparql(VISITS).rows)


def test_csv_by_form_post_and_format_parameter(server: Running, kg: KnowledgeGraph) -> None:
    status, headers, body = server.fetch("/sparql", urlencode({"query": VISITS, "format": "csv"}).encode(), FORM)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["visit", "date"]
    assert rows[1:] == [[t.value for t in row if t] for row in kg.sparql(VISITS).rows]


def test_direct_post_of_the_query(server: Running, kg: KnowledgeGraph) -> None:
    status, _, body = server.fetch("/sparql", VISITS.encode(), {"Content-Type": "application/sparql-query",
                                                                "Accept": "application/sparql-results+xml"})
    assert status == 200
    assert solutions(body.decode(), ox.QueryResultsFormat.XML) == set(kg.sparql(VISITS).rows)


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "application/sparql-results+json"), ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values")])
def test_ask_in_every_results_format(server: Running, accept: str | None, expected: str) -> None:
    ask = "ASK { treaty:1950-friendship-alliance-mutual-assistance a sr:Treaty }"  # sentence 3
    status, headers, body = get(server, ask, accept=accept)
    assert status == 200 and headers["Content-Type"].startswith(expected), body
    assert "true" in body
    if expected.endswith("json"):
        assert json.loads(body)["boolean"] is True


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    (None, "turtle"), ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"), ("application/xml", "xml")])
def test_construct_in_every_rdf_format(server: Running, kg: KnowledgeGraph, accept: str | None,
                                       rdflib_format: str) -> None:
    query = f"CONSTRUCT {{ ?e sr:hasParticipant <{LAVROV}> }} WHERE {{ ?e sr:hasParticipant <{LAVROV}> }}"
    status, headers, body = get(server, query, accept=accept)
    assert status == 200, body
    graph = Graph().parse(data=body, format=rdflib_format)
    assert len(graph) == len(kg.sparql(query).triples) == 3  # sentence 18: visit, conversation, talks


def test_describe_as_ntriples_by_format_word(server: Running) -> None:
    status, headers, body = get(server, f"DESCRIBE <{LAVROV}>", format="ntriples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert '"Sergey Lavrov"@en' in body


def test_format_xml_fits_both_kinds(server: Running) -> None:
    assert get(server, VISITS, format="xml")[1]["Content-Type"].startswith("application/sparql-results+xml")
    graph = get(server, "CONSTRUCT WHERE { ?s a sr:Treaty }", format="xml")
    assert graph[0] == 200 and graph[1]["Content-Type"].startswith("application/rdf+xml")


def test_not_acceptable_and_bad_format(server: Running) -> None:
    status, headers, body = get(server, VISITS, accept="image/png")
    assert status == 406 and "application/sparql-results+json" in body
    assert get(server, VISITS, format="ttl")[0] == 400
    assert get(server, VISITS, format="nonsense")[0] == 400


def test_negotiation_rules() -> None:
    assert negotiate("select", None).name == "srj"
    assert negotiate("graph", "*/*").name == "ttl"
    assert negotiate("select", "text/*").name == "csv"
    assert negotiate("select", "application/json").name == "json"
    assert negotiate("ask", "text/csv", "application/sparql-results+xml").name == "srx"
    assert negotiate("select", "text/*;q=0.5, text/tab-separated-values").name == "tsv"
    assert negotiate("select", "*/*;q=0.1, text/csv;q=0").name == "srj"  # q=0 excludes
    assert negotiate("select", "text/html, */*;q=0.8").name == "html"  # a browser
    assert negotiate("graph", "application/sparql-results+json, */*;q=0.1").name == "ttl"


# -- read-only: updates, dataset parameters, hostile queries -------------------------------------
def test_updates_are_405_and_an_update_as_query_is_400(server: Running) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    status, headers, body = server.fetch("/sparql", urlencode({"update": update}).encode(), FORM)
    assert status == 405 and b"read-only" in body and "POST" in headers["Allow"]
    status, _, body = server.fetch("/sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 405 and b"read-only" in body
    assert server.fetch("/sparql?" + urlencode({"update": update}))[0] == 405
    status, _, body = get(server, update)
    assert status == 400, body


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
])
def test_outside_resources_are_refused(server: Running, query: str) -> None:
    status, headers, body = get(server, query)
    assert status == 400 and "refused" in body
    assert get(server, VISITS, **{"default-graph-uri": "http://example.org/g"})[0] == 400
    assert get(server, VISITS, **{"named-graph-uri": "http://example.org/g"})[0] == 400


def test_syntax_error_and_missing_query(server: Running) -> None:
    status, headers, body = get(server, "SELECT ?x WHERE { ?x ")
    assert status == 400 and "syntax" in body.lower() and headers["Content-Type"].startswith("text/plain")
    assert server.fetch("/sparql", b"", FORM)[0] == 400
    assert server.fetch("/sparql", b"query=ASK%7B%7D", {"Content-Type": "text/plain"})[0] == 415


def test_errors_come_in_the_format_asked_for(server: Running) -> None:
    status, headers, body = get(server, "SELECT (", accept="application/sparql-results+json")
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"]["status"] == 400
    status, headers, body = get(server, "SELECT (", format="html")
    assert status == 400 and headers["Content-Type"].startswith("text/html") and 'class="error"' in body
    assert "Traceback" not in body


def test_oversized_and_truncated_bodies(server: Running) -> None:
    status, _, text = server.fetch("/sparql", b"query=" + b"x" * (MAX_BODY + 1), FORM)
    assert status == 413 and str(MAX_BODY).encode() in text
    # a body shorter than its Content-Length, then the client gives up: refused, nothing runs
    served = server.pool.stats().served
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK {}")
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(10)
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    # 400 from the app ("the request body was cut short: nothing was run") or, when h11 sees the
    # end of the stream first, Hypercorn's own bare 400: never run either way
    assert answer.startswith(b"HTTP/1.1 400"), answer
    assert answer[-4:] == b"\r\n\r\n" or b"nothing was run" in answer
    assert server.pool.stats().served == served  # no worker saw it


def test_a_stalled_body_is_408_and_not_run() -> None:
    with running(workers=1, body_deadline=1.0) as s, \
            socket.create_connection(("127.0.0.1", s.port)) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK {")
        sock.settimeout(10)
        start = time.monotonic()
        answer = b""
        while b"did not arrive" not in answer and (chunk := sock.recv(4096)):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408") and b"did not arrive" in answer
        assert time.monotonic() - start < 5 and s.pool.stats().served == 0


# -- methods, service description, caching ------------------------------------------------------
@pytest.mark.parametrize(("method", "path"), [("PUT", "/sparql"), ("DELETE", "/sparql"), ("PATCH", "/queries"),
                                              ("POST", "/queries/events-of-person"), ("DELETE", "/")])
def test_other_methods_are_405_with_allow(server: Running, method: str, path: str) -> None:
    status, headers, body = server.fetch(path, b"x", method=method)
    assert status == 405 and headers["Allow"] and b"read-only" in body
    assert headers["Content-Type"].startswith("text/plain")


def test_head_answers_headers_only(server: Running) -> None:
    status, headers, body = server.fetch("/sparql?" + urlencode({"query": VISITS}), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert server.fetch("/queries", method="HEAD")[0] == 200


def test_service_description_parses_and_names_the_formats(server: Running) -> None:
    status, headers, body = server.fetch("/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body.decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = server.url + "/sparql"
    formats = {str(o) for o in graph.objects(predicate=__import__("rdflib").URIRef(sd + "resultFormat"))}
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
            "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/JSON-LD",
            "http://www.w3.org/ns/formats/RDF_XML"} <= formats
    ask = graph.query(f"""PREFIX sd: <{sd}> PREFIX void: <http://rdfs.org/ns/void#>
        ASK {{ <{endpoint}> a sd:Service ; sd:endpoint <{endpoint}> ; sd:supportedLanguage sd:SPARQL11Query ;
                sd:defaultDataset ?d . ?d void:sparqlEndpoint <{endpoint}> }}""")
    assert ask.askAnswer
    status, headers, body = server.fetch("/sparql", headers={"Accept": "application/ld+json"})
    assert headers["Content-Type"].startswith("application/ld+json")
    assert len(Graph().parse(data=body.decode(), format="json-ld")) == len(graph)


def test_void_is_served_with_the_endpoint(server: Running) -> None:
    status, headers, body = server.fetch("/.well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert f"<{server.url}/sparql>".encode() in body


def test_etag_and_304(server: Running) -> None:
    path = "/sparql?" + urlencode({"query": VISITS})
    status, headers, _ = server.fetch(path)
    tag = headers["ETag"]
    assert status == 200 and tag.startswith('W/"')
    assert server.fetch(path, headers={"If-None-Match": tag})[0] == 304
    assert server.fetch(path, headers={"If-None-Match": tag, "Accept": "text/csv"})[0] == 200  # another format
    assert server.fetch(path + "%20", headers={"If-None-Match": tag})[0] == 200  # another request
    stored = "/queries/events-of-person?person=person:sergey-lavrov"
    tag = server.fetch(stored)[1]["ETag"]
    assert server.fetch(stored, headers={"If-None-Match": tag})[0] == 304
    assert server.fetch("/queries/events-of-person", headers={"If-None-Match": tag})[0] == 200


# -- stored queries and the project's reads -------------------------------------------------------
def test_catalogue_lists_queries_with_params(server: Running, kg: KnowledgeGraph) -> None:
    status, headers, body = server.fetch("/queries")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    entries = {e["name"]: e for e in json.loads(body)}
    assert list(entries) == kg.catalogue.names()
    person = entries["events-of-person"]["params"]["person"]
    assert person["type"] == "iri" and person["default"] == "person:xi-jinping"
    assert person["optional"] is False


def test_stored_query_with_and_without_params(server: Running, kg: KnowledgeGraph) -> None:
    status, _, body = server.fetch("/queries/events-of-person?person=person:sergey-lavrov")
    assert status == 200
    assert solutions(body.decode(), ox.QueryResultsFormat.JSON) == set(
        kg.query("events-of-person", {"person": "person:sergey-lavrov"}).rows)
    assert {b["earliest"]["value"] for b in json.loads(body)["results"]["bindings"]} == {"2014-04-15"}
    status, _, body = server.fetch("/queries/events-of-person?format=csv")
    assert status == 200
    assert len(list(csv.reader(io.StringIO(body.decode())))) - 1 == len(kg.query("events-of-person").rows)


@pytest.mark.parametrize("name", ["Sergey Lavrov", "Сергей Викторович Лавров", "sergey lavrov"])
def test_an_entity_parameter_takes_a_name_as_on_the_command_line(server: Running, name: str) -> None:
    by_name = server.fetch("/queries/events-of-person?" + urlencode({"person": name}))
    by_id = server.fetch("/queries/events-of-person?person=person:sergey-lavrov")
    assert by_name[0] == by_id[0] == 200
    assert solutions(by_name[2].decode(), ox.QueryResultsFormat.JSON) == solutions(
        by_id[2].decode(), ox.QueryResultsFormat.JSON)
    status, _, page = server.fetch("/queries/events-of-person?" + urlencode({"person": name}),
                                   headers={"Accept": "text/html"})
    assert status == 200 and "2014-04-15" in page.decode()
    assert '<option value="person:sergey-lavrov" selected>' in page.decode()  # the form shows whom it named


def test_a_name_that_is_no_one_s_is_a_400_with_candidates(server: Running) -> None:
    status, _, body = server.fetch("/queries/events-of-person?" + urlencode({"person": "Xi"}))
    assert status == 400 and "no sr:Person is named 'Xi'; did you mean person:xi-jinping" in body.decode()
    assert "/search?q=Xi" in body.decode() and "sinorus-kg search" not in body.decode()  # the service's advice
    status, _, page = server.fetch("/queries/events-of-person?person=Xi", headers={"Accept": "text/html"})
    assert status == 400 and '<option value="Xi" selected>Xi</option>' in page.decode()  # what was asked stays
    status, _, body = server.fetch("/queries/events-of-person?" + urlencode({"person": "Moscow"}))
    assert status == 400 and "Moscow" in body.decode()


def test_bad_parameter_unknown_query(server: Running) -> None:
    status, _, body = server.fetch("/queries/events-in-year?year=nineteen")
    assert status == 400 and b"year" in body and b"nineteen" in body
    assert server.fetch("/queries/events-of-person?colour=red")[0] == 400
    status, _, body = server.fetch("/queries/events-of-persn")
    assert status == 404 and b"events-of-person" in body
    assert server.fetch("/nowhere")[0] == 404


def test_pages_list_the_catalogue_and_escape_input(server: Running, kg: KnowledgeGraph) -> None:
    hostile = '</textarea><script>alert("x")</script>'
    status, headers, body = server.fetch("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<script src="/static/yasgui/yasgui.min.js' in body.decode()
    policy = headers["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "script-src 'self'" in policy and "default-src 'self'" in policy
    status, headers, body = server.fetch("/queries?q=" + quote(hostile), headers={"Accept": "text/html"})
    page = body.decode()
    assert status == 200 and "<script>alert" not in page and "&lt;/textarea&gt;&lt;script&gt;" in page
    status, _, body = server.fetch("/queries", headers={"Accept": "text/html"})
    for stored in kg.catalogue:
        assert f'href="/queries/{stored.name}"' in body.decode()


def test_page_shows_results_with_labels(server: Running) -> None:
    query = f"SELECT ?person WHERE {{ BIND(<{LAVROV}> AS ?person) }} # <b>bold</b>"
    status, _, body = server.fetch("/sparql", urlencode({"query": query, "format": "html"}).encode(), FORM)
    page = body.decode()
    assert status == 200 and ">Sergey Lavrov</a></td>" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    status, _, body = server.fetch("/queries/events-of-person?person=&format=html")
    assert status == 200 and b"Xi Jinping" in body  # an empty field means the default


def test_health_reports_the_pool(server: Running) -> None:
    status, _, body = server.fetch("/health")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok" and health["workers"]["size"] == 3
    assert health["triples"] > 1000


# -- who may ask: Host, cross-site, CORS ----------------------------------------------------------
def test_foreign_host_and_cross_site_are_refused_on_loopback(server: Running) -> None:
    assert server.fetch("/", headers={"Host": "attacker.example"})[0] == 403
    assert server.fetch("/health", headers={"Host": "127.0.0.2:8000"})[0] == 200  # every loopback address
    assert server.fetch("/health", headers={"Host": "localhost"})[0] == 200
    form = urlencode({"query": "ASK {}"}).encode()
    status, headers, _ = server.fetch("/sparql", form, {**FORM, "Origin": "https://evil.example"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    assert server.fetch("/sparql", form, {**FORM, "Origin": server.url})[0] == 200  # same origin
    assert server.fetch("/sparql?query=ASK%7B%7D", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    preflight = server.fetch("/sparql", method="OPTIONS", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert preflight[0] == 403


@pytest.mark.parametrize("headers", [
    {"Origin": "https://attacker.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"},
])
def test_cross_site_requests_are_403(server: Running, headers: dict[str, str]) -> None:
    """A page elsewhere cannot drive the local endpoint: not even a plain form POST."""
    served = server.pool.stats().served
    status, _, body = server.fetch("/sparql", urlencode({"query": VISITS}).encode(), {**FORM, **headers})
    assert status == 403 and b"cross-site" in body
    assert server.pool.stats().served == served  # refused before any worker


def test_same_origin_page_may_post(server: Running) -> None:
    data = urlencode({"query": VISITS, "format": "html"}).encode()
    status, _, _ = server.fetch("/sparql", data, {**FORM, "Origin": server.url, "Sec-Fetch-Site": "same-origin"})
    assert status == 200


def test_a_taken_port_is_a_clear_error(server: Running) -> None:
    from sinorus_kg.errors import InputError
    from sinorus_kg.web.config import ServiceConfig
    from sinorus_kg.web.server import bind_socket

    with pytest.raises(InputError, match="cannot listen"):
        bind_socket(ServiceConfig(port=server.port))


def test_options_without_cors_says_what_is_allowed(server: Running) -> None:
    status, headers, _ = server.fetch("/sparql", method="OPTIONS")
    assert status == 204 and "POST" in headers["Allow"]


def test_cors_origin_gets_preflight_and_headers() -> None:
    origin = "https://workbench.example"
    with running(workers=1, cors=(origin,)) as s:
        status, headers, _ = s.fetch("/sparql", method="OPTIONS", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-evil"})
        assert status == 204 and headers["Access-Control-Allow-Origin"] == origin
        assert "POST" in headers["Access-Control-Allow-Methods"]
        assert headers["Access-Control-Allow-Headers"] == "content-type"
        status, headers, _ = s.fetch("/sparql?query=ASK%7B%7D", headers={"Origin": origin})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == origin
        assert "ETag" in headers["Access-Control-Expose-Headers"]
        assert s.fetch("/sparql?query=ASK%7B%7D", headers={"Origin": "https://other.example"})[0] == 403
        assert s.fetch("/sparql", method="OPTIONS", headers={
            "Origin": origin, "Access-Control-Request-Method": "PUT"})[0] == 405
    with running(workers=1, cors=("*",)) as s:
        status, headers, _ = s.fetch("/queries", headers={"Origin": "https://anyone.example"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


# -- the pool: time limit, cancellation, queue, long-running queries, connections -----------------
def test_limits_are_507_and_say_how_to_raise_them() -> None:
    """The result-size cap and the memory cap of the sandboxed workers, as HTTP answers."""
    doubling = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30))  # 8 GiB of string
    with running(workers=1, max_bytes=1000, max_memory=300) as s:
        status, _, body = get(s, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 507 and "--max-bytes" in body
        status, _, body = get(s, f'SELECT (STRLEN(?x30) AS ?n) WHERE {{ BIND("xxxxxxxx" AS ?x0) {doubling} }}')
        assert status == 507 and "--max-memory" in body
        assert get(s, "ASK {}")[0] == 200  # a fresh worker answers
        status, _, body = get(s, "LOAD <http://127.0.0.1:1/x>")  # an update as query=: malformed, and said why
        assert status == 400 and "LOAD is an update" in body


def test_time_limit_is_503_and_the_worker_is_replaced() -> None:
    with running(workers=1, timeout=0.5) as s:
        status, headers, body = get(s, SLOW)
        assert status == 503 and "time limit" in body and int(headers["Retry-After"]) >= 1
        assert get(s, "ASK {}")[0] == 200  # a fresh worker answers


def _abandon(server: Running, query: str, after: float = 0.3) -> None:
    """Send a query and close the connection before the answer."""
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        path = "/sparql?" + urlencode({"query": query})
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        time.sleep(after)


def test_a_cancelled_request_frees_its_worker() -> None:
    with running(workers=1, timeout=30.0) as s:
        pid = s.pool.worker_pids()[0]
        _abandon(s, SLOW)
        start = time.monotonic()
        status, _, _ = get(s, "ASK {}")  # the only worker: free long before the 30 s limit
        assert status == 200 and time.monotonic() - start < 10
        assert s.pool.worker_pids() != [pid]  # killed and replaced
        assert s.pool.stats().killed.get("client gone") == 1


def test_a_full_queue_gives_503_with_retry_after() -> None:
    with running(workers=1, queue=1, timeout=3.0) as s:
        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(get(s, SLOW)[0])) for _ in range(2)]
        for thread in threads:
            thread.start()
            time.sleep(0.3)  # the first runs, the second waits in the queue
        status, headers, body = get(s, "ASK {}")
        assert status == 503 and int(headers["Retry-After"]) >= 1 and "busy" in body
        for thread in threads:
            thread.join(30)
        assert sorted(results) == [503, 503]  # both ran into the 3 s limit


def test_one_long_running_query_per_client() -> None:
    with running(workers=3, timeout=6.0) as s:
        first: list[int] = []
        thread = threading.Thread(target=lambda: first.append(get(s, SLOW)[0]))
        thread.start()
        time.sleep(1.5)  # the first is long-running now (on SCHED_IDLE)
        assert s.pool.stats().long_running == 1
        status, headers, body = get(s, SLOW)
        assert status == 429 and "long-running" in body and int(headers["Retry-After"]) >= 1
        assert get(s, "ASK {}")[0] == 200  # short queries still run for the same client
        thread.join(30)
        assert first == [503]


def _closed(sock: socket.socket) -> bool:
    """Whether the server has closed ``sock`` (an error answer may come first)."""
    sock.settimeout(0.5)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def test_incomplete_connections_do_not_stop_a_normal_query() -> None:
    with running(workers=1, keep_alive=3.0) as s:
        held = []
        for n in range(200):
            sock = socket.create_connection(("127.0.0.1", s.port))
            sock.sendall(b"GET /sparql?query=ASK HTTP/1.1\r\nHost: 127.0.0.1\r\n" if n % 2 else b"GE")
            held.append(sock)
        try:
            start = time.monotonic()
            status, _, body = get(s, "ASK {}")
            assert status == 200 and time.monotonic() - start < 5
            time.sleep(5)  # the header deadline (keep_alive) closes them all
            assert sum(_closed(sock) for sock in held) == 200
        finally:
            for sock in held:
                sock.close()
