"""One structured line per request: method, route, status, duration, rows, which limit hit.

``text`` is for a person reading a terminal, ``json`` (one object per line) for a log
collector. The route is the template (``/queries/{name}``), not the path, so lines
group; the query text is never logged (it may be long, and it is the user's).
Handlers report what the log cannot see through ``request.state`` (``rows``,
``limit``, ``truncated``, ``queued_ms``).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = logging.getLogger("sinorus_kg.access")
LOG_FORMATS = ("text", "json")


def configure(fmt: str = "text", stream: Any = None) -> None:
    """Send access lines to ``stream`` (stderr) as bare lines: the formatting is ours."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"unknown log format {fmt!r} (choose text or json)")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    LOGGER.handlers[:] = [handler]
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False


def render(record: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    extras = " ".join(f"{k}={v}" for k, v in record.items()
                      if k not in ("time", "method", "route", "status", "ms", "client") and v is not None)
    return (f"{record['time']} {record['client']} {record['method']} {record['route']} {record['status']} "
            f"{record['ms']}ms" + (f" {extras}" if extras else ""))


class AccessLog:
    """ASGI middleware writing the access line once the response is sent (or the client left)."""

    def __init__(self, app: ASGIApp, fmt: str = "text", enabled: bool = True):
        self.app = app
        self.fmt = fmt
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled:
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 0}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            state = scope.get("state") or {}
            route = scope.get("route")
            client = scope.get("client") or ("-", 0)
            record = {
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "client": client[0],
                "method": scope["method"],
                "route": getattr(route, "path", None) or "-",
                "status": status["code"] or 499,  # 499: the client went away before an answer
                "ms": round((time.perf_counter() - start) * 1000, 1),
                "rows": state.get("rows"),
                "limit": state.get("limit"),
                "truncated": state.get("truncated"),
                "queued_ms": state.get("queued_ms"),
            }
            LOGGER.info(render(record, self.fmt))
