"""Reading a SPARQL 1.1 Protocol request: where the query is, what is refused, and why.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=`` in the body) and
POST ``application/sparql-query`` (the body is the query) are the three query operations.
The service is read-only: the update operation (``update=``, ``application/sparql-update``)
gets 405. The dataset is fixed: ``default-graph-uri`` and ``named-graph-uri`` are refused
(400), as FROM is. Bodies are capped in size and read under a deadline, and a body cut
short by its sender is never run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

import anyio
from starlette.requests import ClientDisconnect, Request

from sinorus_kg.web.errors import HttpError

MAX_BODY = 100_000  # bytes: far above any hand-written query, far below a memory problem
BODY_DEADLINE = 10.0  # seconds to send a whole body (Hypercorn's read_timeout is per read)
MAX_FIELDS = 200
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")
READ_ONLY = ("this endpoint is read-only: SPARQL Update is not accepted "
             "(send queries to /sparql as query=…)")
ALLOW_SPARQL = "GET, HEAD, POST, OPTIONS"


@dataclass
class ProtocolRequest:
    """What the client asked for: a query (None: the service description) and its options."""

    query: str | None
    params: dict[str, list[str]] = field(default_factory=dict)

    def one(self, name: str) -> str | None:
        return one(self.params, name)


def one(params: dict[str, list[str]], name: str) -> str | None:
    """The single value of ``name`` (None when absent); a repeated parameter is a 400."""
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise HttpError(400, f"give {name!r} once, not {len(values)} times")
    return values[0]


def parse_params(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, f"cannot read the parameters: {exc}") from None


def query_params(request: Request) -> dict[str, list[str]]:
    return parse_params(request.scope.get("query_string", b"").decode("latin-1"))


async def read_body(request: Request, limit: int = MAX_BODY, deadline: float = BODY_DEADLINE) -> bytes:
    """The whole body, at most ``limit`` bytes, within ``deadline`` seconds; else 413 or 408.

    A client that closes before sending what its Content-Length promised gets nothing run.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HttpError(400, "bad Content-Length")
        if int(declared) > limit:
            raise HttpError(413, f"the request body is {declared} bytes; the limit is {limit}",
                            {"Connection": "close"})
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(deadline):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise HttpError(413, f"the request body is over the {limit}-byte limit",
                                    {"Connection": "close"})
                chunks.append(chunk)
    except TimeoutError:
        raise HttpError(408, f"the request body did not arrive within {deadline:g} s",
                        {"Connection": "close"}) from None
    except ClientDisconnect:
        raise HttpError(400, "the request body was cut short: nothing was run") from None
    return b"".join(chunks)


def _media(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type") or ""
    media, *rest = (part.strip() for part in raw.split(";"))
    params = {}
    for item in rest:
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value.strip().strip('"').lower()
    return media.lower(), params


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HttpError(400, f"{what} is not UTF-8 (byte {exc.start}): send UTF-8") from None


def _deadline(request: Request) -> float:
    service = getattr(request.app.state, "service", None)
    return float(service.config.body_deadline) if service is not None else BODY_DEADLINE


def read_only_error() -> HttpError:
    return HttpError(405, READ_ONLY, {"Allow": ALLOW_SPARQL})


async def parse_request(request: Request) -> ProtocolRequest:
    """The protocol request behind a GET or POST to the endpoint, or the HttpError refusing it."""
    params = query_params(request)
    query: str | None = None
    if request.method == "POST":
        media, options = _media(request)
        if media == "application/sparql-update":
            raise read_only_error()
        charset = options.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise HttpError(415, f"charset={charset} is not supported: send the request as UTF-8")
        if media == "application/x-www-form-urlencoded":
            form = parse_params(_utf8(await read_body(request, deadline=_deadline(request)), "the form body"))
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            if "query" in params:
                raise HttpError(400, "the query is in the body (application/sparql-query): "
                                     "do not also pass query= in the URL")
            query = _utf8(await read_body(request, deadline=_deadline(request)), "the query")
        else:
            shown = media or "no Content-Type"
            raise HttpError(415, f"{shown} is not a query operation: POST the query as "
                                 "application/x-www-form-urlencoded (query=…) or as application/sparql-query")
    if any(name in params for name in UPDATE_PARAMS):
        raise read_only_error()
    for name in DATASET_PARAMS:
        if name in params:
            raise HttpError(400, f"refused: {name} is not supported; the dataset is fixed "
                                 "(queries run read-only and offline, as with FROM)")
    if query is None:
        query = one(params, "query")
        if query is not None and not query.strip():
            raise HttpError(400, "the query is empty")
    elif not query.strip():
        raise HttpError(400, "the query is empty")
    return ProtocolRequest(query, params)
