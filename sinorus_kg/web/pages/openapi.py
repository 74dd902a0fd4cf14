"""``/openapi.json``: the REST API over the stored queries, described from the catalogue's
parameter types (OpenAPI 3.1), served offline. Each stored query is a ``GET`` path with its
typed parameters; answers are JSON by default, the other formats by ``Accept`` or ``format=``."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg import __version__
from sinorus_kg.catalogue import Param
from sinorus_kg.web.negotiation import FORMATS, OFFERED
from sinorus_kg.web.routes import conditional, etag, service

_ERROR = {"description": "An error, with a message a person can act on",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def schema_of(p: Param) -> dict[str, Any]:
    if p.type == "iri":
        return {"type": "string", "description": "an IRI, a prefixed name such as person:xi-jinping, or <IRI>"
                + (f"; an instance of {p.cls}" if p.cls else "")}
    if p.type == "date":
        return {"type": "string", "format": "date"}
    if p.type == "year":
        return {"type": "integer", "minimum": 1, "maximum": 9999}
    if p.type == "integer":
        return {"type": "integer"}
    if p.type == "language":
        return {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$", "examples": ["en", "ru", "zh"]}
    return {"type": "string"}


def document(catalogue: Any) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/queries": {"get": {"summary": "The stored-query catalogue", "operationId": "listQueries",
                             "responses": {"200": {"description": "Every stored query with its typed parameters",
                                                   "content": {"application/json": {}, "text/html": {}}}}}},
        "/sparql": {"get": {"summary": "SPARQL 1.1 Protocol query (read-only)", "operationId": "sparql",
                            "parameters": [{"name": "query", "in": "query", "required": False,
                                            "schema": {"type": "string"},
                                            "description": "the query; without it, the service description"}],
                            "responses": {"200": {"description": "results, a graph, or the service description"},
                                          "400": _ERROR, "503": _ERROR}}},
        "/id/{path}": {"get": {"summary": "A resource of the graph (Linked Data: HTML or RDF by Accept)",
                               "operationId": "entity",
                               "parameters": [{"name": "path", "in": "path", "required": True,
                                               "schema": {"type": "string"}, "example": "person/xi-jinping"}],
                               "responses": {"200": {"description": "the resource's description",
                                                     "content": {FORMATS[n].media_type: {} for n in OFFERED["graph"]}},
                                             "404": _ERROR}}},
        "/search": {"get": {"summary": "Resources by label or alternative label, in English, Russian or Chinese",
                            "operationId": "search",
                            "parameters": [{"name": "q", "in": "query", "required": True,
                                            "schema": {"type": "string"}, "example": "Путин"}],
                            "responses": {"200": {"description": "matches, best first",
                                                  "content": {"application/json": {}, "text/html": {}}}}}},
    }
    for stored in catalogue:
        kind = "graph" if stored.kind in ("CONSTRUCT", "DESCRIBE") else "select"
        params = [{"name": p.name, "in": "query", "required": p.default is None and not p.optional,
                   "description": p.description or p.expected(),
                   "schema": {**schema_of(p), **({"default": p.default} if p.default is not None else {})},
                   **({"example": p.example} if p.example else {})} for p in stored.params]
        params.append({"name": "format", "in": "query", "required": False,
                       "schema": {"type": "string", "enum": list(OFFERED[kind])},
                       "description": "the answer's format (else by Accept; JSON by default)"})
        paths[f"/queries/{stored.name}"] = {"get": {
            "summary": stored.summary, "description": stored.description, "operationId": stored.name,
            "tags": list(stored.tags), "parameters": params,
            "responses": {"200": {"description": "the answer",
                                  "content": {FORMATS[n].media_type: {} for n in OFFERED[kind]}},
                          "400": _ERROR, "404": _ERROR, "503": _ERROR}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "sinorus-kg", "version": __version__,
                 "description": "Stored SPARQL queries over a source-grounded knowledge graph of Soviet/Russian–"
                                "Chinese relations, 1949–2014, as a REST API; parameters are bound as RDF terms."},
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "properties": {"error": {
            "type": "object", "properties": {"status": {"type": "integer"}, "reason": {"type": "string"},
                                             "message": {"type": "string"}}}}}}},
    }


async def openapi(request: Request) -> Response:
    svc = service(request)
    tag = etag(svc, "openapi")
    cached = conditional(request, tag, {"Cache-Control": "no-cache"})
    if cached is not None:
        return cached
    body = json.dumps(document(svc.store.catalogue), ensure_ascii=False, indent=1) + "\n"
    return Response(body, 200, {"ETag": tag, "Cache-Control": "no-cache"}, media_type="application/json")
