"""Ontology terms resolve to their documentation: ``/ontology`` is the generated ontology
page (``sinorus-kg docs``; its anchors are the terms' local names, so ``/ontology#Visit``
lands on ``sr:Visit``), or the ontology as Turtle / RDF/XML by content negotiation."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg import resources
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.negotiation import NotAcceptable, content_type, negotiate
from sinorus_kg.web.pages.common import CSP
from sinorus_kg.web.routes import conditional, etag, service

_FILES = {"ttl": "sinorus-ontology.ttl", "xml": "sinorus-ontology.rdf"}


def _docs_html() -> str:
    from sinorus_kg.docs import _ontology_graph, render_html

    questions = resources.resource_root() / "docs" / "competency-questions.md"
    text = questions.read_text(encoding="utf-8") if questions.is_file() else ""
    return render_html(_ontology_graph(), text)


async def ontology(request: Request) -> Response:
    svc = service(request)
    try:
        fmt = negotiate("graph", request.headers.get("accept"), request.query_params.get("format"))
    except NotAcceptable as exc:
        raise HttpError(exc.status, str(exc)) from None
    if fmt.name not in ("html", *_FILES):
        fmt = negotiate("graph", "text/turtle")
    tag = etag(svc, "ontology", fmt.name)
    headers = {"Vary": "Accept", "Cache-Control": "no-cache"}
    cached = conditional(request, tag, headers)
    if cached is not None:
        return cached
    if fmt.name == "html":
        request.state.html = True
        cache = svc.store.__dict__.setdefault("_page_cache", {})
        if "ontology-html" not in cache:
            cache["ontology-html"] = await svc.store.call(_docs_html)
        return Response(cache["ontology-html"], 200, {**headers, "ETag": tag, "Content-Security-Policy": CSP},
                        media_type="text/html; charset=utf-8")
    path = resources.release_dir() / _FILES[fmt.name]
    if not path.is_file():
        raise HttpError(404, f"the release has no {path.name}: rebuild it with `sinorus-kg build`")
    return Response(path.read_bytes(), 200, {**headers, "ETag": tag}, media_type=content_type(fmt))
