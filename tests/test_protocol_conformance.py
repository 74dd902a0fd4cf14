"""The W3C SPARQL 1.1 Protocol tests (tests/data/w3c-protocol/manifest.ttl) against the service.

All 34 tests of the manifest run; each request is sent as written, to ``/sparql`` on
127.0.0.1, with three adaptations to a read-only service over a fixed dataset:

- ``/sparql/`` becomes ``/sparql`` and the authority ``www.example`` becomes the server's
  own (the Host check answers only to this machine's names).
- Query tests that name a protocol dataset only in passing (``default-graph-uri=…data0.rdf``
  on ``query_post_form``, ``query_get`` and the four ``query_content_type_*`` tests) run
  without that parameter: the dataset here is fixed, and the parameter is refused (400).
  Their expectations (status, boolean, result format) are checked unchanged.

Tests that do not apply, and what is checked instead:

- the six dataset tests (``query_dataset_default_graphs_get/_post``,
  ``query_dataset_named_graphs_get/_post``, ``query_dataset_full``,
  ``query_multiple_dataset``) load outside graphs (kasei.us data files) as the dataset:
  this service never loads anything from outside, and refuses ``default-graph-uri``,
  ``named-graph-uri`` and ``FROM`` — checked: a 4xx;
- the seven update tests (``update_dataset_default_graph(s)``, ``update_dataset_named_graphs``,
  ``update_dataset_full``, ``update_post_form``, ``update_post_direct``, ``update_base_uri``)
  expect an update to succeed: the service is read-only — checked: 405 with ``Allow``.

The ``bad_*`` tests apply as they are and expect a 4xx.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from service import Running, running

MANIFEST = Path(__file__).parent / "data" / "w3c-protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
NOT_APPLICABLE_DATASET = {"query_dataset_default_graphs_get", "query_dataset_default_graphs_post",
                          "query_dataset_named_graphs_post", "query_dataset_named_graphs_get",
                          "query_dataset_full", "query_multiple_dataset"}
READ_ONLY = {"update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
             "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri"}
RESULTS = {"boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
           "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                       "text/tab-separated-values"),
           "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")}


def _tests() -> list[tuple[str, dict[str, Any]]]:
    graph = Graph().parse(MANIFEST, format="turtle")
    manifest = next(graph.subjects(MF.entries, None))
    out = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[-1]
        action = graph.value(test, MF.action)
        first = Collection(graph, graph.value(action, HT.requests))[0]
        body = graph.value(first, HT.body)
        headers = {}
        header_list = graph.value(first, HT.headers)
        if header_list is not None:
            for h in Collection(graph, header_list):
                headers[str(graph.value(h, HT.fieldName))] = str(graph.value(h, HT.fieldValue))
        response = graph.value(first, HT.resp)
        out.append((name, {
            "method": str(graph.value(first, HT.methodName)),
            "path": str(graph.value(first, HT.absolutePath)),
            "body": None if body is None else str(graph.value(body, CNT.chars)),
            "encoding": "utf-8" if body is None else str(graph.value(body, CNT.characterEncoding)),
            "headers": headers,
            "status": {str(s).removeprefix(HTS) for s in graph.objects(response, MF.expectedStatus)},
            "boolean": graph.value(response, MF.expectedBoolean),
            "format": None if graph.value(response, MF.expectedFormat) is None
            else str(graph.value(response, MF.expectedFormat)),
        }))
    return out


TESTS = _tests()


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    with running(workers=2, timeout=10.0) as s:
        yield s


def _adapt(name: str, path: str) -> str:
    path = path.replace("/sparql/", "/sparql", 1)
    if name in NOT_APPLICABLE_DATASET or "?" not in path:
        return path
    route, _, query = path.partition("?")
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "default-graph-uri"]
    return route + ("?" + urlencode(kept) if kept else "")


def test_the_manifest_is_all_here() -> None:
    assert len(TESTS) == 34
    names = {name for name, _ in TESTS}
    assert names >= NOT_APPLICABLE_DATASET | READ_ONLY


@pytest.mark.parametrize(("name", "spec"), TESTS, ids=[name for name, _ in TESTS])
def test_protocol(server: Running, name: str, spec: dict[str, Any]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    body = None if spec["body"] is None else spec["body"].encode(spec["encoding"].lower())
    headers = {**spec["headers"], "Host": f"127.0.0.1:{server.port}"}
    if spec["format"] in ("boolean", "tabular"):
        headers.setdefault("Accept", "application/sparql-results+json")
    conn.request(spec["method"], _adapt(name, spec["path"]), body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    status = response.status
    if name in NOT_APPLICABLE_DATASET:
        assert 400 <= status < 500, (name, status, payload)
        return
    if name in READ_ONLY:
        assert status == 405 and response.getheader("Allow"), (name, status, payload)
        return
    classes = {f"{status // 100}xx"}
    assert classes & spec["status"], (name, status, payload)
    media = (response.getheader("Content-Type") or "").split(";")[0]
    if spec["format"] is not None:
        assert media in RESULTS[spec["format"]], (name, media)
    if spec["boolean"] is not None:
        assert json.loads(payload)["boolean"] is spec["boolean"].toPython()
