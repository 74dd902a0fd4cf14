"""A read-only SPARQL 1.1 Protocol endpoint and a small web page, on the standard library alone.

Analysts and tools reach the same KnowledgeGraph the CLI uses: ``/sparql`` speaks the
SPARQL 1.1 Protocol (GET, POST form, POST ``application/sparql-query``) with content
negotiation; ``/queries`` exposes the stored catalogue with typed parameters; ``/`` is a
page to type SPARQL and run stored queries. Every query (ad-hoc or stored, with its
parameters as RDF terms) runs in ONE sandboxed query worker (``sinorus_kg.sandbox``): judged
on its parse, isolated from the network, under a time limit, a memory cap, a row cap and a
result-size cap, and serialised there; this process only moves the bytes, so it stays small.
Queries run one at a time. On loopback no other Host is answered, and cross-site requests
(a foreign ``Origin``, ``Sec-Fetch-Site: cross-site``) get 403, so a web page the analyst
happens to open cannot drive the endpoint.
"""

from __future__ import annotations

import html
import json
import socket
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlencode

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES
from sinorus_kg.sandbox.formats import MEDIA_TYPES, OFFERED, FormatError, short_name
from sinorus_kg.sandbox.formats import negotiate as _negotiate
from sinorus_kg.sandbox.protocol import DEFAULT_MAX_BYTES, QueryAnswer, QueryRequest
from sinorus_kg.sandbox.worker import QueryWorker, WorkerUnavailable

if TYPE_CHECKING:
    from sinorus_kg.catalogue import StoredQuery
    from sinorus_kg.knowledge_graph import KnowledgeGraph
    from sinorus_kg.terms import Term

MAX_BODY = 100_000  # bytes: far above any hand-written query, far below a memory problem
READ_TIMEOUT = 15.0  # seconds a client may take to send its request (a stalled body is refused)
_FORMATS = {*MEDIA_TYPES} - {"table", "markdown"}
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
EXAMPLE_QUERY = "SELECT ?visit ?date WHERE {\n  ?visit a sr:Visit ; sr:earliestDate ?date .\n}\nORDER BY ?date\n"


class HttpError(Exception):
    """An answer other than 200: status, a plain-text message, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with the knowledge graph and the limits every request shares."""

    daemon_threads = True

    def __init__(self, kg: KnowledgeGraph, address: tuple[str, int], timeout: float, max_rows: int,
                 worker: QueryWorker, log: bool = False, max_bytes: int = DEFAULT_MAX_BYTES):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.worker = worker  # before binding: a failed bind calls server_close()
        super().__init__(address, SparqlHandler)
        self.kg = kg
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.log = log
        self.loopback_only = address[0] in _LOOPBACK_NAMES

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def run(self, text: str, fmt: str | None, accept: str | None,
            bindings: dict[str, Term] | None = None) -> QueryAnswer:
        """Run a query in the worker; an error answer becomes the HttpError to send."""
        answer = self.worker.run(QueryRequest(text, fmt=fmt, accept=accept, timeout=self.query_timeout,
                                              max_rows=self.max_rows, max_bytes=self.max_bytes,
                                              bindings=bindings or {}))
        if not answer.ok:
            headers = {"Retry-After": str(answer.retry_after)} if answer.retry_after else {}
            raise HttpError(answer.status, answer.message, headers)
        return answer

    def server_close(self) -> None:
        super().server_close()
        self.worker.close()


def make_server(kg: KnowledgeGraph, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0,
                max_rows: int = 10_000, log: bool = False, *, unsandboxed: bool = False,
                max_bytes: int = DEFAULT_MAX_BYTES, max_memory: int | None = None) -> SparqlServer:
    """A server bound to ``host:port`` (0: any free port), its query worker started, not yet
    serving: call ``serve_forever``. Without a network block for the worker it refuses to start,
    unless ``unsandboxed``."""
    worker = kg.query_worker(require_isolation=not unsandboxed, query_memory_mb=max_memory)
    try:
        server = SparqlServer(kg, (host, port), timeout, max_rows, worker, log=log, max_bytes=max_bytes)
    except OSError as exc:  # port taken, address not local…: a usage error, not a crash
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        worker.start()
    except WorkerUnavailable as exc:
        server.server_close()
        hint = " (--unsandboxed starts it anyway, for a trusted machine)" if not unsandboxed else ""
        raise InputError(f"{exc}{hint}") from None
    return server


def serve(kg: KnowledgeGraph, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
          max_rows: int = 10_000, on_ready: Callable[[str, str], None] | None = None, *, unsandboxed: bool = False,
          max_bytes: int = DEFAULT_MAX_BYTES, max_memory: int | None = None) -> None:
    """Serve until interrupted; ``on_ready`` gets the URL and the query worker's isolation once
    the port is open."""
    server = make_server(kg, host, port, timeout, max_rows, log=True, unsandboxed=unsandboxed,
                         max_bytes=max_bytes, max_memory=max_memory)
    try:
        if on_ready:
            isolation = server.worker.isolation
            on_ready(server.url, isolation.describe() if isolation else "unknown")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def negotiate(kind: str, fmt: str | None, accept: str | None) -> str:
    """The short format name for a result ``kind`` (as the worker chooses it): ``format=`` wins,
    then the Accept header."""
    try:
        return _negotiate(kind, fmt, accept)
    except FormatError as exc:
        raise HttpError(exc.status, str(exc)) from None


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise HttpError(400, f"give {name!r} once, not {len(values)} times")
    return values[0]


def _parse(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=200, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, f"cannot read the parameters: {exc}") from None


class SparqlHandler(BaseHTTPRequestHandler):
    """Routes: ``/``, ``/sparql``, ``/queries`` and ``/queries/NAME``; everything else is 404."""

    server: SparqlServer
    server_version = "sinorus-kg"
    sys_version = ""
    timeout = READ_TIMEOUT  # a socket timeout: a client that stalls mid-request is dropped

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def _refuse(self) -> None:
        """Any other method: 405 in plain text (http.server would answer 501 as HTML)."""
        self._html_errors = False
        self._error(HttpError(405, f"{self.command} is not allowed: this endpoint is read-only "
                                   "(GET or POST /sparql, GET / and /queries)", {"Allow": "GET, POST"}))

    do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base signature)
        if self.server.log:
            super().log_message(format, *args)

    # -- dispatch ------------------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        path, _, query_string = self.path.partition("?")
        path = unquote(path)
        self._html_errors = False
        try:
            self._check_host()
            self._check_origin()
            params = _parse(query_string)
            if path == "/sparql":
                self._sparql(method, params)
            elif path == "/" and method == "GET":
                self._page(params)
            elif path in ("/queries", "/queries/") and method == "GET":
                self._catalogue()
            elif path.startswith("/queries/") and method == "GET":
                self._stored(path.removeprefix("/queries/"), params)
            elif path in ("/", "/queries") or path.startswith("/queries/"):
                raise HttpError(405, f"{method} is not allowed on {path}", {"Allow": "GET"})
            else:
                raise HttpError(404, f"no such page: {path} (try /, /sparql or /queries)")
        except HttpError as exc:
            self._error(exc)
        except Exception as exc:  # a bug: answer, don't drop the connection
            self.log_error("internal error: %r", exc)
            self._error(HttpError(500, "internal error"))

    def _check_host(self) -> None:
        """On loopback, refuse other Host names: a web page elsewhere cannot rebind to us."""
        if not self.server.loopback_only:
            return
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in _LOOPBACK_NAMES:
            raise HttpError(403, "this server answers only to localhost / 127.0.0.1")

    def _check_origin(self) -> None:
        """Refuse cross-site requests: a browser names the page's origin, and this endpoint has no
        CORS, so only a page it served itself may post to it."""
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        origin = (self.headers.get("Origin") or "").strip().lower()
        own = "http://" + (self.headers.get("Host") or "").strip().lower()
        if site == "cross-site" or (origin and origin != own):
            raise HttpError(403, "cross-site requests are refused: this endpoint answers only pages it "
                                 f"served itself (Origin {origin or '?'}, Sec-Fetch-Site {site or '?'})")

    # -- routes --------------------------------------------------------------------------
    def _sparql(self, method: str, params: dict[str, list[str]]) -> None:
        query: str | None
        if method == "POST":
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                raise _read_only()
            body = self._body()
            if ctype == "application/x-www-form-urlencoded":
                try:
                    form = _parse(body.decode("utf-8"))
                except UnicodeDecodeError:
                    raise HttpError(400, "the form body is not UTF-8") from None
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
                query = None
            elif ctype == "application/sparql-query":
                try:
                    query = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise HttpError(400, "the query is not UTF-8") from None
            else:
                raise HttpError(415, "send the query as application/x-www-form-urlencoded (query=…) "
                                     "or as application/sparql-query")
        elif method == "GET":
            query = None
        else:
            raise HttpError(405, f"{method} is not allowed on /sparql", {"Allow": "GET, POST"})
        if "update" in params:
            raise _read_only()
        for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
            if name in params:
                raise HttpError(400, f"refused: {name} is not supported; the dataset is fixed "
                                     "(queries run read-only and offline, as with FROM)")
        fmt = self._format(params)
        if query is None:
            query = _one(params, "query")
        if query is None or not query.strip():
            raise HttpError(400, "no query given: pass query=… (GET or form POST) "
                                 "or POST the query as application/sparql-query")
        answer = self.server.run(query, fmt, self.headers.get("Accept"))
        self._send_answer(answer, lambda fragment: self._page_html(query, self._result_html(answer, fragment,
                                                                                              query)))

    def _catalogue(self) -> None:
        entries = [{
            "name": q.name, "url": f"/queries/{quote(q.name)}", "summary": q.summary,
            "description": q.description, "tags": list(q.tags), "kind": q.kind, "view": q.view,
            "params": {p.name: {"type": p.type, "class": p.cls, "default": p.default, "example": p.example,
                                "optional": p.optional, "description": p.description} for p in q.params},
        } for q in self.server.kg.catalogue]
        self._send(200, "json", json.dumps(entries, ensure_ascii=False, indent=2) + "\n")

    def _stored(self, name: str, params: dict[str, list[str]]) -> None:
        fmt = self._format(params)
        try:
            stored = self.server.kg.catalogue.get(name)
        except InputError as exc:
            raise HttpError(404, str(exc).replace("`sinorus-kg queries`", "GET /queries")) from None
        values = {key: _one(params, key) or "" for key in params if key != "format"}
        values = {key: value for key, value in values.items() if value.strip()}  # empty: use the default
        try:
            bindings = stored.bindings(values)
            for param in stored.params:
                if param.name in bindings:
                    param.check_class(self.server.kg.engine, bindings[param.name])
        except InputError as exc:
            raise HttpError(400, str(exc).replace("needs --param", "needs the parameter")) from None
        answer = self.server.run(stored.text, fmt, self.headers.get("Accept"), bindings)
        self._send_answer(answer, lambda fragment: self._page_html(None, self._stored_html(stored, values, answer,
                                                                                           fragment)))

    def _page(self, params: dict[str, list[str]]) -> None:
        self._send(200, "html", self._page_html(_one(params, "query"), ""))

    # -- request and response helpers ------------------------------------------------------
    def _format(self, params: dict[str, list[str]]) -> str | None:
        fmt = _one(params, "format")
        if fmt is not None and short_name(fmt) not in _FORMATS:
            raise HttpError(400, f"unknown format {fmt!r} (choose one of: {', '.join(sorted(_FORMATS))})")
        self._html_errors = fmt is not None and short_name(fmt) == "html"
        return fmt

    def _body(self) -> bytes:
        raw = self.headers.get("Content-Length")
        if raw is None:
            raise HttpError(411, "a POST needs a Content-Length")
        try:
            length = int(raw)
        except ValueError:
            raise HttpError(400, "bad Content-Length") from None
        if length < 0:
            raise HttpError(400, "bad Content-Length")
        if length > MAX_BODY:
            self._discard(length)
            raise HttpError(413, f"the request body is {length} bytes; the limit is {MAX_BODY}")
        try:
            data = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise HttpError(408, f"the request body did not arrive within {READ_TIMEOUT:g} s; "
                                 "the query was not run") from None
        if len(data) < length:
            self.close_connection = True
            raise HttpError(400, f"the body ended after {len(data)} of the {length} bytes its Content-Length "
                                 "announced; the query was not run")
        return data

    def _discard(self, length: int) -> None:
        """Read and drop a modest oversized body, so the client sees the 413 and not a reset."""
        self.close_connection = True
        remaining = length if length <= 10 * MAX_BODY else 0
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)

    def _send_answer(self, answer: QueryAnswer, page: Callable[[str], str]) -> None:
        """A worker's 200 answer: its bytes as they are, or (html) its fragment inside the page."""
        if answer.fmt == "html":
            self._send(200, "html", page(answer.body.decode("utf-8")), truncated=answer.truncated)
        else:
            self._send(200, answer.fmt or "text", answer.body, truncated=answer.truncated)

    def _send(self, status: int, fmt: str, text: str | bytes, headers: dict[str, str] | None = None,
              truncated: bool = False) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.send_response(status)
        self.send_header("Content-Type", f"{MEDIA_TYPES.get(fmt, 'text/plain')}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept")
        self.send_header("X-Content-Type-Options", "nosniff")
        if fmt == "html":
            self.send_header("Content-Security-Policy",
                             "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        if truncated:
            self.send_header("X-Sinorus-Truncated", f"true; the row cap is {self.server.max_rows}")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, exc: HttpError) -> None:
        if self._html_errors:
            body = f'<p class="error">Error {exc.status}: {html.escape(exc.message)}</p>'
            self._send(exc.status, "html", self._page_html(None, body), exc.headers)
        else:
            self._send(exc.status, "text", exc.message + "\n", exc.headers)

    # -- HTML ----------------------------------------------------------------------------
    def _page_html(self, query: str | None, results: str) -> str:
        server = self.server
        items = "\n".join(_catalogue_item(q) for q in server.kg.catalogue)
        prefixes = ", ".join(f"{html.escape(p)}:" for p in PREFIXES)
        text = EXAMPLE_QUERY if query is None else query
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sinorus-kg SPARQL</title>
<style>
body{{font-family:sans-serif;margin:1.5em;max-width:80em}} textarea{{width:100%;font-family:monospace}}
table{{border-collapse:collapse;margin:.5em 0}} td,th{{border:1px solid #bbb;padding:.2em .4em;vertical-align:top}}
th{{background:#eee}} .error{{color:#a00;white-space:pre-wrap}} li{{margin:.4em 0}} small{{color:#555}}
form.params{{display:inline}} input{{width:14em}} pre{{background:#f6f6f6;padding:.5em;overflow:auto}}
</style></head><body>
<h1>sinorus-kg: Soviet/Russian–Chinese relations</h1>
<p>A read-only SPARQL 1.1 endpoint at <code>/sparql</code> (engine {html.escape(server.kg.engine.name)},
time limit {server.query_timeout:g} s, at most {server.max_rows} rows; no updates, SERVICE, LOAD or FROM).
Predeclared prefixes: <small>{prefixes}</small></p>
<form method="post" action="/sparql"><textarea name="query" rows="10">{html.escape(text)}</textarea>
<input type="hidden" name="format" value="html"><button type="submit">Run query</button></form>
{results}
<h2>Stored queries</h2>
<p><small>Each runs with its defaults; fill a field to set a parameter. The list as JSON:
<a href="/queries">/queries</a>.</small></p>
<ul>
{items}
</ul>
</body></html>
"""

    def _result_html(self, answer: QueryAnswer, fragment: str, query: str | None = None) -> str:
        note = ""
        if query is not None:
            links = " · ".join(
                f'<a href="/sparql?{html.escape(urlencode({"query": query, "format": f}))}">{f}</a>'
                for f in OFFERED[answer.kind or "select"] if f != "html")
            note = f"<p><small>Download: {links}</small></p>"
        return "<h2>Results</h2>\n" + fragment + note

    def _stored_html(self, stored: StoredQuery, values: dict[str, str], answer: QueryAnswer, fragment: str) -> str:
        link = f"/queries/{quote(stored.name)}?"
        downloads = " · ".join(
            f'<a href="{html.escape(link + urlencode({**values, "format": f}))}">{f}</a>'
            for f in OFFERED[answer.kind or "select"] if f != "html")
        bound = ", ".join(f"{html.escape(k)} = {html.escape(v)}" for k, v in values.items())
        return (f"<h2>{html.escape(stored.name)}: {html.escape(stored.summary)}</h2>\n"
                f"<p>{html.escape(stored.description)}</p>\n"
                + (f"<p>Parameters: {bound}</p>\n" if bound else "")
                + fragment
                + f"<p><small>Download: {downloads}</small></p>\n"
                f"<details><summary>SPARQL</summary><pre>{html.escape(stored.text)}</pre></details>\n")


def _read_only() -> HttpError:
    return HttpError(405, "this endpoint is read-only: SPARQL Update is not accepted "
                          "(send queries to /sparql as query=…)", {"Allow": "GET, POST"})


def _catalogue_item(stored: StoredQuery) -> str:
    """One stored query: its link and summary, and a form with an input per parameter."""
    action = f"/queries/{quote(stored.name)}"
    inputs = []
    for p in stored.params:
        hint = (f"default: {p.default}" if p.default else f"e.g. {p.example}" if p.example
                else "optional" if p.optional else p.type)
        title = p.description or p.expected()
        inputs.append(f'<label>{html.escape(p.name)} <input name="{html.escape(p.name)}" '
                      f'placeholder="{html.escape(hint)}" title="{html.escape(title)}"></label>')
    return (f'<li><a href="{html.escape(action)}?format=html"><b>{html.escape(stored.name)}</b></a> — '
            f"{html.escape(stored.summary)}<br>"
            f'<form class="params" method="get" action="{html.escape(action)}">{" ".join(inputs)}'
            '<input type="hidden" name="format" value="html"> <button type="submit">Run</button></form></li>')
