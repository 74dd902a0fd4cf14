"""The analyst's pages over HTTP on a real server: entity pages and their RDF (content
negotiation), the document reader, search, completion, the ontology, OpenAPI, static files.

Assertions name what the document says rather than IRIs where they can, so they survive
the model's renames."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, URIRef
from service import Running, running

from sinorus_kg.knowledge_graph import KnowledgeGraph
from sinorus_kg.web.pages.common import choose_lang
from sinorus_kg.web.pages.openapi import document

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
XI = "https://w3id.org/sinorus/id/person/xi-jinping"


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    with running(workers=2, timeout=10.0) as s:
        yield s


def page(server: Running, path: str, **headers: str) -> tuple[int, str]:
    status, _, body = server.fetch(path, headers={**HTML, **headers})
    return status, body.decode("utf-8")


def _person_path(server: Running, name: str) -> str:
    status, _, body = server.fetch("/search?" + urlencode({"q": name}), headers={"Accept": "application/json"})
    assert status == 200
    hits = json.loads(body)
    assert hits, f"nothing found for {name}"
    return str(hits[0]["page"])


def test_entity_page_shows_labels_facts_both_ways_and_the_attesting_sentence(server: Running) -> None:
    status, text = page(server, _person_path(server, "Xi Jinping"))
    assert status == 200
    assert "Xi Jinping" in text and "Си Цзиньпин" in text and "习近平" in text
    assert "Xi Jinping held talks with Russian President Vladimir Putin" in text  # sentence 18, quoted
    start = text.index("What the document says")
    attestation = text[start:text.index("</div></div>", start)]
    assert attestation.count("sentence 18 in the document") == 1  # once, however many predicates cite it
    assert 'href="https://www.wikidata.org/wiki/Q15031"' in text  # to Wikidata, not a local DESCRIBE
    assert "Referenced by" in text and "Talks between Xi Jinping and Vladimir Putin" in text  # incoming facts
    assert '<svg class="timeline"' in text  # his events on a timeline
    assert "/source?sentence=" in text


def test_entity_page_shows_external_records_beside_the_document(server: Running) -> None:
    status, _, body = server.fetch("/search?q=" + quote("Official visit of Mikhail Gorbachev"),
                                   headers={"Accept": "application/json"})
    visit = json.loads(body)[0]["page"]
    status, text = page(server, visit)
    assert status == 200 and "External record" in text and "Gorbachev visited Beijing, 15-18 May 1989." in text


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                                             ("*/*", "turtle")])
def test_entity_iri_dereferences_to_rdf_by_content_negotiation(server: Running, accept: str, fmt: str) -> None:
    status, headers, body = server.fetch("/id/person/xi-jinping", headers={"Accept": accept})
    assert status == 200 and "Accept" in headers["Vary"]
    graph = Graph().parse(data=body, format=fmt)
    xi = URIRef(XI)
    assert (xi, None, None) in graph and (None, None, xi) in graph  # both directions
    kg = KnowledgeGraph("oxigraph")
    out = kg.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{XI}> ?p ?o }}").rows[0][0]
    assert out is not None and len(list(graph.triples((xi, None, None)))) == int(out.value)


def test_unknown_entity_is_404_and_ontology_terms_resolve(server: Running) -> None:
    status, text = page(server, "/id/person/nobody")
    assert status == 404 and "nothing is known" in text
    status, text = page(server, "/ontology")
    assert status == 200 and 'id="Visit"' in text
    status, headers, body = server.fetch("/ontology", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and b"owl:Ontology" in body


def test_source_reader_marks_every_sentence_with_coverage_on_top(server: Running) -> None:
    kg = KnowledgeGraph("oxigraph")
    count = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s sr:text ?t }").rows[0][0]
    assert count is not None
    total = int(count.value)
    status, text = page(server, "/source?sentence=srcr-s18")
    assert status == 200
    assert text.count('class="srow') == total
    assert f"<b>{total}</b> sentences" in text and "unaccounted" in text
    assert text.count("srow highlight") == 1
    assert "Xi Jinping arrived in Moscow on 22 March 2013." in text  # an external record where records differ


def test_search_finds_people_in_three_languages(server: Running) -> None:
    for name, label in (("Путин", "Vladimir Putin"), ("习近平", "Xi Jinping"), ("USSR", "Soviet Union"),
                        ("putin", "Vladimir Putin")):
        status, _, body = server.fetch("/search?" + urlencode({"q": name}), headers={"Accept": "application/json"})
        assert status == 200 and json.loads(body)[0]["label"] == label
    status, text = page(server, "/search?q=" + quote("<script>"))
    assert status == 200 and "<script>" not in text.split("</header>")[1]


def test_completion_lists_local_terms(server: Running) -> None:
    def complete(kind: str, q: str) -> list[str]:
        status, _, body = server.fetch("/complete?" + urlencode({"kind": kind, "q": q}))
        assert status == 200
        return [item["iri"] for item in json.loads(body)]

    assert "https://w3id.org/sinorus/ontology#Person" in complete("class", "https://w3id.org/sinorus/ontology#Pe")
    assert "https://w3id.org/sinorus/ontology#hasParticipant" in complete("property",
                                                                          "https://w3id.org/sinorus/ontology#has")
    assert XI in complete("entity", "https://w3id.org/sinorus/id/person/xi")
    assert server.fetch("/complete?kind=other")[0] == 400
    status, _, body = server.fetch("/labels?lang=zh", json.dumps([XI]).encode(), {"Content-Type": "application/json"})
    assert status == 200 and json.loads(body) == {XI: "习近平"}


def test_stored_query_page_and_api_share_the_url(server: Running) -> None:
    status, text = page(server, "/queries/events-of-person?person=person%3Asergey-lavrov")
    assert status == 200 and 'id="param-person"' in text and "Conversation of Sergey Lavrov with Xi Jinping" in text
    assert "selected>Sergey Lavrov</option>" in text
    status, headers, body = server.fetch("/queries/events-of-person?person=person%3Asergey-lavrov")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    status, text = page(server, "/queries/events-in-year?year=nineteen")
    assert status == 400 and "nineteen" in text and 'id="param-year"' in text  # the form stays, with the error
    status, text = page(server, "/queries/events-of-person?lang=zh")
    assert "习近平" in text


def test_openapi_describes_every_stored_query_with_typed_parameters(server: Running) -> None:
    status, _, body = server.fetch("/openapi.json")
    spec = json.loads(body)
    assert status == 200 and spec["openapi"].startswith("3.")
    kg = KnowledgeGraph("oxigraph")
    for stored in kg.catalogue:
        operation = spec["paths"][f"/queries/{stored.name}"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {p.name for p in stored.params} | {"format"} == names
    year = next(p for p in spec["paths"]["/queries/events-in-year"]["get"]["parameters"] if p["name"] == "year")
    assert year["schema"]["type"] == "integer"
    assert document(kg.catalogue) == spec


def test_static_files_are_served_with_validators(server: Running) -> None:
    status, headers, body = server.fetch("/static/yasgui/yasgui.min.js")
    assert status == 200 and len(body) > 500_000 and "etag" in {k.lower() for k in headers}
    assert server.fetch("/static/yasgui/yasgui.min.js", headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert server.fetch("/static/../pyproject.toml")[0] == 404


def test_label_language_from_the_query_then_accept_language() -> None:
    from starlette.requests import Request

    def request(query: str, accept: str) -> Request:
        return Request({"type": "http", "query_string": query.encode(),
                        "headers": [(b"accept-language", accept.encode())]})

    assert choose_lang(request("lang=zh", "ru")) == ("zh", True)
    assert choose_lang(request("", "de, ru;q=0.8, en;q=0.5")) == ("ru", False)
    assert choose_lang(request("lang=fr", "zh-CN")) == ("zh", False)
    assert choose_lang(request("", "de")) == ("en", False)


def _no_follow(server: Running, path: str, accept: str = "text/turtle") -> tuple[int, str]:
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


@pytest.mark.parametrize(("old", "new"), [
    ("/id/concept/dialogue-level/heads-of-state", "/id/concept/dialogue-level-heads-of-state"),
    ("/id/sentence/s18", "/id/sentence/srcr-s18"),
    ("/id/sentence/s18?format=nt", "/id/sentence/srcr-s18?format=nt")])
def test_an_iri_of_the_earlier_release_moved_permanently_to_its_new_one(server: Running, old: str, new: str) -> None:
    """0.1's IRIs are in analysts' notes and importers' stores: the release's iri-renames.tsv
    says where each went, and the server answers 301 there, as Linked Data hosts do."""
    assert _no_follow(server, old) == (301, new)
    status, _, body = server.fetch(old, headers={"Accept": "application/n-triples"})
    assert status == 200 and f"<https://w3id.org/sinorus{new.split('?')[0]}>".encode() in body
    assert _no_follow(server, "/id/sentence/s99")[0] == 404  # not a renamed IRI: still unknown


def test_an_old_sentence_link_to_the_document_reader_lands_on_the_sentence(server: Running) -> None:
    assert _no_follow(server, "/source?sentence=s18", "text/html") == (301, "/source?sentence=srcr-s18#srcr-s18")
    status, text = page(server, "/source?sentence=s18")
    assert status == 200 and 'class="srow highlight" id="srcr-s18"' in text


def test_the_reader_shows_one_document_of_many_and_lists_them_otherwise() -> None:
    """A release of many documents (274 at 1M triples: a 14.6 MB page in 7 s) is read one document
    at a time: the one asked for, the one holding the linked sentence, or a list to choose from."""
    from sinorus_kg.web.errors import HttpError
    from sinorus_kg.web.pages.reads import Sentence
    from sinorus_kg.web.pages.source import shown_documents

    doc = "https://w3id.org/sinorus/id/document/"
    sentences = [Sentence(f"https://w3id.org/sinorus/id/sentence/{d}-s1", 1, 0, 5, "Text.", doc + d, None)
                 for d in ("srcr", "other")]
    both = [doc + "other", doc + "srcr"]
    assert shown_documents(both, sentences, "", "") is None  # the list
    assert shown_documents(both, sentences, "srcr-s1", "") == [doc + "srcr"]
    assert shown_documents(both, sentences, "", "other") == [doc + "other"]
    assert shown_documents([doc + "srcr"], sentences[:1], "", "") == [doc + "srcr"]  # one: as it always was
    with pytest.raises(HttpError) as error:
        shown_documents(both, sentences, "", "nope")
    assert error.value.status == 404


def test_a_document_is_asked_for_by_its_name(server: Running) -> None:
    status, text = page(server, "/source?document=srcr")
    assert status == 200 and 'id="srcr-s18"' in text
    status, text = page(server, "/source?document=nope")
    assert status == 404 and "no document &#x27;nope&#x27; in this release" in text
