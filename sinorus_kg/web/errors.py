"""Answers other than 200, in the format the client asked for: never an HTML traceback.

SPARQL has no error document of its own, so an error goes out as JSON to a client that
wants JSON (``{"error": {"status": …, "message": …}}``), as a small escaped page to a
browser, and as plain text otherwise, always with the reason a person can act on.
"""

from __future__ import annotations

import html
import json

from starlette.responses import Response

from sinorus_kg.web.negotiation import parse_accept

REASONS = {
    400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    406: "Not Acceptable", 408: "Request Timeout", 411: "Length Required", 413: "Content Too Large",
    415: "Unsupported Media Type", 429: "Too Many Requests", 500: "Internal Server Error",
    503: "Service Unavailable", 507: "Insufficient Storage",
}


class HttpError(Exception):
    """An answer other than 200: a status, a message for people, extra headers, and which
    limit stopped the query (for the access log), if one did."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 limit: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.limit = limit


def _wants(accept: str | None) -> str:
    """``json``, ``html`` or ``text``: the error flavour closest to what the client accepts."""
    best: tuple[float, int, str] | None = None
    for r in parse_accept(accept):
        if r.quality <= 0:
            continue
        media = f"{r.type}/{r.subtype}"
        flavour = ("json" if r.subtype == "json" or r.subtype.endswith("+json")
                   else "html" if media == "text/html" else "text" if r.type in ("text", "*") else None)
        if flavour and (best is None or (-r.quality, r.order) < (best[0], best[1])):
            best = (-r.quality, r.order, flavour)
    return best[2] if best else "text"


def error_response(exc: HttpError, accept: str | None, prefer_html: bool = False) -> Response:
    """The error as a response; ``prefer_html`` when the request asked for a page (``format=html``)."""
    flavour = "html" if prefer_html else _wants(accept)
    headers = {"Vary": "Accept", "Cache-Control": "no-store", **exc.headers}
    if flavour == "json":
        body = json.dumps({"error": {"status": exc.status, "reason": REASONS.get(exc.status, ""),
                                     "message": exc.message}}, ensure_ascii=False) + "\n"
        return Response(body, exc.status, headers, media_type="application/json")
    if flavour == "html":
        title = f"{exc.status} {REASONS.get(exc.status, '')}"
        body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
                f'<body><h1>{title}</h1><p class="error" style="white-space:pre-wrap">'
                f"{html.escape(exc.message)}</p></body></html>\n")
        return Response(body, exc.status, headers, media_type="text/html")
    return Response(exc.message + "\n", exc.status, headers, media_type="text/plain")
