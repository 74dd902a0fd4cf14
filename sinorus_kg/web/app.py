"""The ASGI application: routes, error answers, guards, access log, and the pool's life cycle.

``create_app(config)`` is the whole service; ``extra_routes`` lets pages and APIs built on
it (workbench, entity pages, OpenAPI) join the same guards, log and error handling.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sinorus_kg.web import pages, routes
from sinorus_kg.web.access_log import AccessLog
from sinorus_kg.web.config import ServiceConfig
from sinorus_kg.web.errors import HttpError, error_response
from sinorus_kg.web.execution import WorkerKit, sandbox_kit
from sinorus_kg.web.guards import Guard
from sinorus_kg.web.pool import ClientGone, Pool
from sinorus_kg.web.protocol import ALLOW_SPARQL
from sinorus_kg.web.store import ProjectStore

LOG = logging.getLogger("sinorus_kg.web")

ROUTES: list[BaseRoute] = [
    Route("/sparql", routes.sparql, methods=["GET", "POST"], name="sparql"),
    Route("/queries", routes.catalogue, methods=["GET"], name="catalogue"),
    Route("/queries/{name}", routes.stored, methods=["GET"], name="stored"),
    Route("/health", routes.health, methods=["GET"], name="health"),
    Route("/.well-known/void", routes.void, methods=["GET"], name="void"),
    Route("/void.ttl", routes.void, methods=["GET"], name="void-file"),
    Route("/", routes.home, methods=["GET"], name="home"),
    *pages.ROUTES,
]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    if exc.limit:
        request.state.limit = exc.limit
    html = bool(getattr(request.state, "html", False))
    return error_response(exc, request.headers.get("accept"), prefer_html=html)


async def _starlette_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405, said in our words and formats; OPTIONS answers 204 + Allow."""
    assert isinstance(exc, HTTPException)
    allow = (exc.headers or {}).get("Allow", "")
    if exc.status_code == 405:
        allow = ALLOW_SPARQL if request.url.path == "/sparql" else "GET, HEAD, OPTIONS"
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": allow})
        error = HttpError(405, f"{request.method} is not allowed on {request.url.path}: this service is "
                               f"read-only (allowed: {allow})", {"Allow": allow})
    elif exc.status_code == 404:
        error = HttpError(404, f"no such page: {request.url.path} "
                                "(try /, /queries, /source, /search, /sparql or /health)")
    else:
        error = HttpError(exc.status_code, str(exc.detail), dict(exc.headers or {}))
    return error_response(error, request.headers.get("accept"))


async def _gone(request: Request, exc: Exception) -> Response:
    """The client closed its connection (or its sending side: TCP cannot tell them apart) before
    the answer: the query was stopped, or never started. 499 is nginx's "client closed request";
    a client that only half-closed reads why."""
    request.state.limit = "client gone"
    return Response("the connection was closed before the answer: the query was stopped (or not started)\n",
                    status_code=499, media_type="text/plain")


async def _crash(request: Request, exc: Exception) -> Response:
    """A bug: log it here, answer a plain 500 with no traceback."""
    LOG.exception("internal error on %s %s", request.method, request.url.path)
    return error_response(HttpError(500, "internal error (logged on the server)"), request.headers.get("accept"))


def create_app(config: ServiceConfig, kit: WorkerKit | None = None, store: ProjectStore | None = None,
               extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The service: a pool of workers from ``kit`` (default: the sandboxed query worker) and the
    project's read-only store (in memory when the kit keeps the workers' release there: at 1M
    triples ``/search`` took 0.42 s in memory vs 1.99 s on disk, ``/source`` 7.0 vs 14.8 s); the
    pool starts with the ASGI lifespan (``server.serve`` starts it before it listens, so that a
    worker that cannot be isolated stops it) and stops with it."""
    kit = kit or sandbox_kit(config)
    in_memory = kit.placement is not None and kit.placement.where == "memory" and config.engine == "oxigraph"
    project = store or ProjectStore.open(config.engine, "memory" if in_memory else "disk")
    pool = Pool(kit.make_worker, size=config.workers, queue_limit=config.queue, timeout=config.timeout)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    handlers: dict[Any, Callable[..., Any]] = {
        HttpError: _http_error, HTTPException: _starlette_error, ClientGone: _gone, Exception: _crash}
    app = Starlette(
        routes=[*extra_routes, *ROUTES],
        middleware=[Middleware(AccessLog, fmt=config.log_format, enabled=config.access_log),
                    Middleware(Guard, policy=config.policy())],
        exception_handlers=handlers,
        lifespan=lifespan,
    )
    app.state.service = routes.Service(config, pool, project)
    app.state.placement = kit.placement  # where the workers' release lives, for the start-up line
    return app
