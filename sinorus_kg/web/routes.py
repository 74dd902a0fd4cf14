"""The routes: ``/sparql`` (protocol + service description), ``/queries``, ``/health``, VoID, ``/``.

Each handler reads ``request.app.state.service`` (a ``Service``: configuration, pool,
project store) and answers with bytes the worker produced or the project store read.
Pages and APIs built on this service add routes the same way (see ``app.create_app``'s
``extra_routes``) and reuse ``run_sparql``, ``run_stored``, ``conditional`` and
``Service.store`` for their reads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import check_iri
from sinorus_kg.web import service_description
from sinorus_kg.web.config import ServiceConfig
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.execution import Outcome, run_query
from sinorus_kg.web.negotiation import FORMATS, NotAcceptable, choose, content_type, negotiate
from sinorus_kg.web.pool import Pool
from sinorus_kg.web.protocol import ProtocolRequest, one, parse_request, query_params
from sinorus_kg.web.store import ProjectStore

TRUNCATED = "X-Sinorus-Truncated"


@dataclass
class Service:
    """What every handler shares."""

    config: ServiceConfig
    pool: Pool
    store: ProjectStore

    def limits(self) -> str:
        c = self.config
        return f"time limit {c.timeout:g} s, at most {c.max_rows} rows and {c.max_bytes} bytes per answer"


def service(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


def base_url(request: Request) -> str:
    """This server as the client reached it (scheme and Host), for self-describing documents."""
    return f"{request.url.scheme}://{request.headers.get('host') or request.url.netloc}"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"


async def wait_disconnect(request: Request) -> None:
    """Return when the client closes its connection (the body has been read by then)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def etag(svc: Service, *parts: object) -> str:
    """A weak validator: the release, the request, the negotiated formats and the limits."""
    c = svc.config
    key = json.dumps([svc.store.checksum, c.timeout, c.max_rows, c.max_bytes, *[str(p) for p in parts]])
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def not_modified(request: Request, tag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tag.removeprefix("W/") in wanted


def conditional(request: Request, tag: str, headers: dict[str, str]) -> Response | None:
    """304 when the client's copy is current (the release does not change while serving)."""
    if request.method in ("GET", "HEAD") and not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag, **headers})
    return None


def _choices_key(choices: dict[str, Any]) -> str:
    return ",".join(f"{k}={v.name if not isinstance(v, NotAcceptable) else 'x'}" for k, v in choices.items())


# -- /sparql ---------------------------------------------------------------------------------
async def sparql(request: Request) -> Response:
    svc = service(request)
    proto = await parse_request(request)
    request.state.html = (proto.one("format") or "").lower() == "html"
    if proto.query is None:
        if request.method == "POST":
            raise HttpError(400, "no query given: pass query=… in the form, or POST the query as "
                                 "application/sparql-query")
        return description(request, svc)
    return await run_sparql(request, svc, proto)


async def run_sparql(request: Request, svc: Service, proto: ProtocolRequest) -> Response:
    """Answer a protocol request whose query is known: ETag, pool, negotiated bytes."""
    assert proto.query is not None
    choices = choose(request.headers.get("accept"), proto.one("format"))
    tag = etag(svc, "sparql", proto.query, _choices_key(choices))
    vary = {"Vary": "Accept", "Cache-Control": "no-cache"}
    cached = conditional(request, tag, vary)
    if cached is not None:
        return cached
    text, added = with_base(proto.query, base_url(request) + "/sparql")
    outcome = await run_query(svc.pool, svc.config, text, choices, client_of(request),
                              lambda: wait_disconnect(request), base_lines=added)
    _report(request, outcome)
    if outcome.fmt.name == "html":
        from sinorus_kg.web.pages.workbench import results_page

        return await results_page(request, proto.query, await result_of(outcome), tag)
    return _send(outcome, {**vary, "ETag": tag}, svc)


def with_base(query: str, endpoint: str) -> tuple[str, int]:
    """The query with the endpoint as its base IRI (the protocol's "service-defined BASE URI")
    on a line of its own before it, and how many lines were added (error positions are moved
    back by that much); a query's own BASE, later in the prologue, wins."""
    try:
        check_iri(endpoint)
    except ValueError:
        return query, 0
    return f"BASE <{endpoint}>\n{query}", 1


async def result_of(outcome: Outcome) -> Any:
    """The worker's SPARQL JSON / N-Triples as a QueryResult for a page (read on a thread: a
    result may be megabytes, and the event loop keeps answering others meanwhile)."""
    import anyio

    return await anyio.to_thread.run_sync(outcome.result)


def description(request: Request, svc: Service) -> Response:
    """The service description (Turtle unless the client asks for another RDF format)."""
    try:
        fmt = negotiate("graph", request.headers.get("accept"), one(query_params(request), "format"), html=False)
    except NotAcceptable:
        fmt = FORMATS["ttl"]
    base = base_url(request)
    tag = etag(svc, "sd", base, fmt.name)
    headers = {"Vary": "Accept", "Cache-Control": "no-cache"}
    cached = conditional(request, tag, headers)
    if cached is not None:
        return cached
    triples = service_description.description(f"{base}/sparql", f"{base}/.well-known/void", svc.limits())
    return Response(service_description.serialize(triples, fmt.name), 200, {**headers, "ETag": tag},
                    media_type=content_type(fmt))


def _report(request: Request, outcome: Outcome) -> None:
    request.state.rows = outcome.rows
    request.state.truncated = outcome.truncated or None
    request.state.queued_ms = outcome.queued_ms


def _send(outcome: Outcome, headers: dict[str, str], svc: Service) -> Response:
    if outcome.truncated:
        headers = {**headers, TRUNCATED: f"true; the row cap is {svc.config.max_rows}"}
    return Response(outcome.body, 200, headers, media_type=content_type(outcome.fmt))


# -- /queries ----------------------------------------------------------------------------------
async def catalogue(request: Request) -> Response:
    from sinorus_kg.web.pages.common import wants_html

    if wants_html(request):
        from sinorus_kg.web.pages.catalogue import catalogue_page

        return await catalogue_page(request)
    svc = service(request)
    tag = etag(svc, "catalogue")
    cached = conditional(request, tag, {"Cache-Control": "no-cache"})
    if cached is not None:
        return cached
    entries = [{
        "name": q.name, "url": f"/queries/{quote(q.name)}", "summary": q.summary,
        "description": q.description, "tags": list(q.tags), "kind": q.kind, "view": q.view,
        "params": {p.name: {"type": p.type, "class": p.cls, "default": p.default, "example": p.example,
                            "optional": p.optional, "description": p.description} for p in q.params},
    } for q in svc.store.catalogue]
    body = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    return Response(body, 200, {"ETag": tag, "Cache-Control": "no-cache"},
                    media_type="application/json; charset=utf-8")


async def stored(request: Request) -> Response:
    """A stored query with typed parameters, handed to the worker as RDF terms (``bindings``)."""
    svc = service(request)
    name = request.path_params["name"]
    params = query_params(request)
    fmt = one(params, "format")
    request.state.html = (fmt or "").lower() == "html"
    try:
        query = svc.store.catalogue.get(name)
    except InputError as exc:
        raise HttpError(404, str(exc).replace("`sinorus-kg queries`", "GET /queries")) from None
    values = {key: one(params, key) or "" for key in params if key != "format"}
    values = {key: value for key, value in values.items() if value.strip()}  # empty: use the default
    if "lang" in values and not any(p.name == "lang" for p in query.params):
        del values["lang"]  # the pages' label language, not a parameter of this query
    page = choose(request.headers.get("accept"), fmt)["select"]
    if not isinstance(page, NotAcceptable) and page.name == "html":
        from sinorus_kg.web.pages.catalogue import stored_page

        return await stored_page(request, query, values)
    try:
        bindings = await svc.store.bindings(query, values)
    except InputError as exc:
        raise HttpError(400, str(exc).replace("needs --param", "needs the parameter")) from None
    choices = choose(request.headers.get("accept"), fmt)
    tag = etag(svc, "stored", name, sorted(values.items()), _choices_key(choices))
    vary = {"Vary": "Accept", "Cache-Control": "no-cache"}
    cached = conditional(request, tag, vary)
    if cached is not None:
        return cached
    outcome = await run_query(svc.pool, svc.config, query.text, choices, client_of(request),
                              lambda: wait_disconnect(request), bindings=bindings)
    _report(request, outcome)
    return _send(outcome, {**vary, "ETag": tag}, svc)


# -- /, /health, VoID --------------------------------------------------------------------------
async def home(request: Request) -> Response:
    from sinorus_kg.web.pages.workbench import home as workbench

    return await workbench(request)


async def health(request: Request) -> Response:
    """Alive, and what the pool is doing: answered from memory in the server process (the
    triples were counted when the store opened), never queued, no thread, no query."""
    svc = service(request)
    stats = svc.pool.stats()
    isolation = svc.pool.isolation()
    body = {
        "status": "ok" if stats.ready + stats.busy > 0 else "degraded",
        "release": svc.store.checksum,
        "triples": svc.store.triples,
        "engine": svc.config.engine,
        "sandboxed": bool(isolation and isolation.network_blocked),
        "isolation": isolation.describe() if isolation else None,
        "release_store": placement.where if (placement := getattr(request.app.state, "placement", None)) else None,
        "workers": {"size": stats.size, "ready": stats.ready, "busy": stats.busy,
                    "long_running": stats.long_running, "restarts": stats.restarts},
        "queue": {"waiting": stats.queued, "limit": stats.queue_limit},
        "served": stats.served, "stopped": stats.killed,
        "limits": {"timeout": svc.config.timeout, "max_rows": svc.config.max_rows,
                   "max_bytes": svc.config.max_bytes},
    }
    return Response(json.dumps(body) + "\n", 200 if body["status"] == "ok" else 503,
                    {"Cache-Control": "no-store"}, media_type="application/json")


async def void(request: Request) -> Response:
    """The release's VoID description, with this server's endpoint added."""
    from sinorus_kg.dataset_description import with_endpoint

    svc = service(request)
    if svc.store.void_ttl is None:
        raise HttpError(404, "this release has no void.ttl: rebuild it with `sinorus-kg build`")
    base = base_url(request)
    tag = etag(svc, "void", base)
    cached = conditional(request, tag, {"Cache-Control": "no-cache"})
    if cached is not None:
        return cached
    return Response(with_endpoint(svc.store.void_ttl, f"{base}/sparql"), 200,
                    {"ETag": tag, "Cache-Control": "no-cache"}, media_type="text/turtle; charset=utf-8")
