"""Completion for the editor, from this server instead of lov.linkeddata.es: the classes,
properties and resources of the graph (``/complete?kind=…&q=…``) and labels for result
tables (``POST /labels``). Lists are read once from the project's store."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.pages import model, reads
from sinorus_kg.web.pages.common import Ctx
from sinorus_kg.web.protocol import read_body

LIMIT = 50
MAX_LABELS = 5000
_QUERIES = {
    "class": "SELECT DISTINCT ?x WHERE { { ?x a <http://www.w3.org/2002/07/owl#Class> } UNION "
             "{ ?x a <http://www.w3.org/2000/01/rdf-schema#Class> } UNION { ?s a ?x } FILTER(isIRI(?x)) }",
    "property": "SELECT DISTINCT ?x WHERE { { ?s ?x ?o } UNION { ?x a <http://www.w3.org/2002/07/owl#ObjectProperty> }"
                " UNION { ?x a <http://www.w3.org/2002/07/owl#DatatypeProperty> } UNION "
                "{ ?x a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> } FILTER(isIRI(?x)) }",
    "entity": f'SELECT DISTINCT ?x WHERE {{ ?x ?p ?o FILTER(STRSTARTS(STR(?x), "{model.RESOURCES}")) }}',
}


async def _terms(ctx: Ctx, kind: str) -> list[str]:
    async def read() -> list[str]:
        rows = (await ctx.svc.store.run(_QUERIES[kind])).rows
        return sorted({r[0].value for r in rows if r[0] is not None})

    return await reads.once(ctx.svc.store, f"complete:{kind}", read)


async def complete(request: Request) -> Response:
    ctx = Ctx.of(request)
    request.state.html = False
    kind = request.query_params.get("kind") or ""
    if kind not in _QUERIES:
        raise HttpError(400, f"kind must be one of: {', '.join(_QUERIES)} (got {kind!r})")
    text = (request.query_params.get("q") or "").strip().lstrip("<").rstrip(">")[:300]
    terms = await _terms(ctx, kind)
    if not text:
        picked = terms[:LIMIT]
    else:
        lowered = text.lower()
        picked = [t for t in terms if t.startswith(text)]
        if len(picked) < LIMIT:  # also by local name or label: "Pers" finds sr:Person
            labels = await ctx.labels(terms)
            picked += [t for t in terms if t not in picked and (
                _local(t).lower().startswith(lowered) or lowered in labels.get(t, "").lower())]
        picked = picked[:LIMIT]
    labels = await ctx.labels(picked)
    body = [{"iri": t, "label": labels.get(t, "")} for t in picked]
    return Response(json.dumps(body, ensure_ascii=False), 200, {"Cache-Control": "no-cache"},
                    media_type="application/json")


def _local(iri: str) -> str:
    for mark in ("#", "/"):
        if mark in iri:
            iri = iri.rsplit(mark, 1)[-1]
    return iri


async def labels(request: Request) -> Response:
    """Labels in the reader's language for the IRIs POSTed as a JSON list (result tables)."""
    ctx = Ctx.of(request)
    request.state.html = False
    try:
        iris = json.loads(await read_body(request))
    except ValueError:
        raise HttpError(400, "send a JSON list of IRIs") from None
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        raise HttpError(400, "send a JSON list of IRIs")
    if len(iris) > MAX_LABELS:
        raise HttpError(413, f"at most {MAX_LABELS} IRIs at a time")
    found = await ctx.labels(iris)
    return Response(json.dumps(found, ensure_ascii=False), 200, {"Cache-Control": "no-cache"},
                    media_type="application/json")
