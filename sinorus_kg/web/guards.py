"""Who may talk to the server: the Host check, cross-site refusal and CORS.

*Host*: a web page elsewhere can point a DNS name it controls at 127.0.0.1 (DNS
rebinding) and then read our answers as its own origin; so only expected Host names
are answered. On a loopback address those are ``localhost`` (and ``*.localhost``) and
every loopback address; elsewhere the names given with ``--allow-host`` (or any, with
``--allow-any-host``). An IP literal cannot be rebound, so the server's own addresses
are always accepted.

*Cross-site*: without ``--cors`` no other origin may drive the endpoint — a request
whose ``Origin`` is not this server's, or that a browser marks ``Sec-Fetch-Site:
cross-site``, gets 403 (a plain form POST from any page would otherwise run a query
with the analyst's machine). A public deployment still answers cross-site *navigation*
(a link to a query), which carries no ``Origin``.

*CORS*: ``--cors ORIGIN…`` (or ``'*'``, as public endpoints such as Wikidata's do)
lets those origins read answers, with preflight (``OPTIONS``) on every route (they are
all read-only).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sinorus_kg.web.errors import HttpError, error_response

CORS_METHODS = "GET, HEAD, POST, OPTIONS"
CORS_REQUEST_HEADERS = {"accept", "accept-language", "content-type", "if-none-match", "cache-control"}
CORS_EXPOSED = "ETag, Retry-After, Content-Length, X-Sinorus-Truncated, X-Sinorus-Limit"
CORS_MAX_AGE = "600"


def is_loopback(host: str) -> bool:
    """A loopback address or the name ``localhost``."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def split_host(host: str) -> str:
    """The name part of a Host header value (``[::1]:8000`` → ``::1``, ``a.b:80`` → ``a.b``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@dataclass(frozen=True)
class Policy:
    """Who is answered: the bind address decides the defaults, the options widen them."""

    loopback: bool
    allowed_hosts: frozenset[str] = frozenset()
    any_host: bool = False
    cors: frozenset[str] = field(default_factory=frozenset)

    @property
    def cors_any(self) -> bool:
        return "*" in self.cors

    def host_ok(self, host: str) -> bool:
        name = split_host(host)
        if not name:
            return False
        if self.any_host or name in self.allowed_hosts or is_ip_literal(name):
            return True
        return self.loopback and is_loopback(name)

    def cors_allows(self, origin: str) -> bool:
        return self.cors_any or origin in self.cors


def _own_origin(scope: Scope, headers: Headers) -> str:
    return f"{scope.get('scheme', 'http')}://{(headers.get('host') or '').lower()}"


class Guard:
    """ASGI middleware: Host check, cross-site refusal, CORS headers and preflight answers."""

    def __init__(self, app: ASGIApp, policy: Policy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        policy = self.policy
        try:
            if not policy.host_ok(headers.get("host") or ""):
                names = ("localhost or a loopback address" if policy.loopback and not policy.allowed_hosts
                         else ", ".join(sorted(policy.allowed_hosts)) or "its own address")
                raise HttpError(403, f"this server answers only to {names} in the Host header "
                                     f"(got {headers.get('host')!r})")
            origin = headers.get("origin")
            cross = (origin is not None and origin.lower() != _own_origin(scope, headers)) or \
                headers.get("sec-fetch-site") == "cross-site"
            allowed_origin = origin is not None and policy.cors_allows(origin)
            if cross and not allowed_origin and (origin is not None or (policy.loopback and not policy.cors_any)):
                raise HttpError(403, "cross-site requests are refused" + (
                    "" if policy.cors else ": this server has CORS off (start it with --cors ORIGIN "
                                           "to let a page on ORIGIN query it)"))
        except HttpError as exc:
            await error_response(exc, headers.get("accept"))(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and origin is not None and headers.get("access-control-request-method"):
            await self._preflight(scope, receive, send, headers, origin)
            return
        if not (cross and allowed_origin) or origin is None:
            await self.app(scope, receive, send)
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"access-control-allow-origin", b"*" if policy.cors_any else origin.encode("latin-1")),
                         (b"access-control-expose-headers", CORS_EXPOSED.encode())]
                if not policy.cors_any:
                    extra.append((b"vary", b"Origin"))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, with_cors)

    async def _preflight(self, scope: Scope, receive: Receive, send: Send, headers: Headers, origin: str) -> None:
        method = (headers.get("access-control-request-method") or "").upper()
        if method not in ("GET", "HEAD", "POST"):
            exc = HttpError(405, f"{method} is not allowed: this endpoint is read-only (GET, HEAD, POST)",
                            {"Allow": CORS_METHODS})
            await error_response(exc, headers.get("accept"))(scope, receive, send)
            return
        asked = {h.strip().lower() for h in (headers.get("access-control-request-headers") or "").split(",")
                 if h.strip()}
        granted = sorted(asked & CORS_REQUEST_HEADERS)
        response_headers = [
            (b"access-control-allow-origin", b"*" if self.policy.cors_any else origin.encode("latin-1")),
            (b"access-control-allow-methods", CORS_METHODS.encode()),
            (b"access-control-max-age", CORS_MAX_AGE.encode()),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
            (b"content-length", b"0"),
        ]
        if granted:
            response_headers.append((b"access-control-allow-headers", ", ".join(granted).encode()))
        await send({"type": "http.response.start", "status": 204, "headers": response_headers})
        await send({"type": "http.response.body", "body": b""})
