"""Between the HTTP routes and the query workers: a request in, bytes and a status out.

The service runs every user query — ad-hoc or stored — in the sandboxed query worker of
``sinorus_kg.sandbox`` (``QueryWorker`` / ``QueryRequest`` / ``QueryAnswer``): the worker
parses, checks, executes and serialises; this process only moves its bytes. Adapting the
service to that contract:

- *formats*: the service negotiates a format for every kind of result before the query runs
  (``negotiation.choose``: its Accept rules, format words and the HTML page), but only the
  worker's parse knows the kind. So the worker is handed those choices as an Accept header
  naming exactly one media type per kind (the SELECT/ASK types and the graph types are
  disjoint), and its own negotiation picks the one for the kind it finds: one run, the parse
  decides. HTML is rendered here from the SPARQL JSON / N-Triples the worker sent
  (``QueryAnswer.result``), labelled from the project's store;
- *parameters* of stored queries go as ``bindings`` (RDF terms), never pasted into the text;
- *statuses*: the worker's become HTTP statuses, with ``Retry-After`` on 503 and the limit
  that stopped the query kept for the access log. An update sent as ``query=`` is a malformed
  query for the protocol (400, the worker's reason kept); ``update=`` never reaches a worker.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from sinorus_kg.engines import QueryResult
from sinorus_kg.sandbox.protocol import QueryAnswer, QueryRequest
from sinorus_kg.store_choice import Placement
from sinorus_kg.terms import Term
from sinorus_kg.web.config import ServiceConfig
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.negotiation import FORMATS, KINDS, Format, NotAcceptable
from sinorus_kg.web.pool import Pool, Worker, default_size

LOG = logging.getLogger("sinorus_kg.pool")
WIRE_FOR_HTML = {"select": "srj", "ask": "srj", "graph": "nt"}  # what the worker sends for a page
Choices = Mapping[str, Format | NotAcceptable]


@dataclass
class Outcome:
    """A successful answer: the worker's bytes in ``fmt`` (for html: its srj/nt, see ``result``)."""

    answer: QueryAnswer
    fmt: Format
    kind: str
    queued_ms: float
    ran_ms: float

    @property
    def body(self) -> bytes:
        return self.answer.body

    @property
    def rows(self) -> int:
        return self.answer.rows

    @property
    def truncated(self) -> bool:
        return self.answer.truncated

    def result(self) -> QueryResult:
        """The rows or triples (the worker sent SPARQL JSON or N-Triples), for an HTML page."""
        return self.answer.result()


@dataclass(frozen=True)
class WorkerKit:
    """How the pool makes its workers: by default the sandboxed query worker with the service's
    engine and limits (``sandbox_kit``); a test or benchmark may hand its own factory.
    ``placement`` says where the workers' release lives, and why (``store_choice``)."""

    make_worker: Callable[[], Worker]
    placement: Placement | None = None


def sandbox_kit(config: ServiceConfig) -> WorkerKit:
    """``sinorus_kg.sandbox.QueryWorker`` on the service's engine, memory cap and isolation rule:
    a worker that cannot be cut off from the network does not start unless ``unsandboxed``.
    Where the workers keep the release (``config.store``) is decided here, once, for all of them,
    their replacements and the server's own store (``store_choice.choose``, counting a copy per
    worker and one for the server: ``auto`` falls back to disk, logged, when they would not fit
    in the memory available)."""
    from sinorus_kg.sandbox.worker import QueryWorker
    from sinorus_kg.store_choice import choose

    placement = choose(config.store, (config.workers or default_size()) + 1, config.engine)
    if config.store == "auto" and placement.where == "disk":
        LOG.warning("query workers: %s", placement.describe())
    store = "memory" if placement.where == "memory" and config.engine == "oxigraph" else "disk"

    def make() -> Worker:
        return QueryWorker(config.engine, query_memory_mb=config.max_memory,
                           require_isolation=not config.unsandboxed, store=store)

    return WorkerKit(make, placement)


def wire_format(choice: Format | NotAcceptable, kind: str) -> str | None:
    """The short format the worker is asked for (None: no format fits this kind)."""
    if isinstance(choice, NotAcceptable):
        return None
    return WIRE_FOR_HTML[kind] if choice.name == "html" else choice.name


def worker_accept(choices: Choices) -> str:
    """The service's choices as the worker reads them: one media type per kind, no wildcard."""
    types: list[str] = []
    for kind in KINDS:
        name = wire_format(choices[kind], kind)
        if name is not None and FORMATS[name].media_type not in types:
            types.append(FORMATS[name].media_type)
    return ", ".join(types)


def nothing_fits(choices: Choices) -> HttpError | None:
    """When no kind of result has a format (``format=nonsense``, ``Accept: image/png``): refuse
    before any worker runs, naming what each kind can be sent as."""
    refusals = [c for c in choices.values() if isinstance(c, NotAcceptable)]
    if len(refusals) < len(choices):
        return None
    reasons = "; ".join(dict.fromkeys(str(r) for r in refusals))
    return HttpError(refusals[0].status, reasons)


def make_request(config: ServiceConfig, text: str, choices: Choices,
                 bindings: Mapping[str, Term] | None = None) -> QueryRequest:
    return QueryRequest(text, accept=worker_accept(choices), timeout=config.timeout, max_rows=config.max_rows,
                        max_bytes=config.max_bytes, bindings=dict(bindings or {}))


async def run_query(pool: Pool, config: ServiceConfig, text: str, choices: Choices, client: str,
                    disconnected: Callable[[], Awaitable[None]], bindings: Mapping[str, Term] | None = None,
                    base_lines: int = 0) -> Outcome:
    """Run a query in the pool: the Outcome, or an HttpError saying why not. ``base_lines`` lines
    were put before the user's text (the service-defined BASE): error positions are moved back."""
    refused = nothing_fits(choices)
    if refused is not None:
        raise refused
    done = await pool.run(make_request(config, text, choices, bindings), client, disconnected)
    answer: QueryAnswer = done.answer
    if not answer.ok:
        raise _error(answer, choices, base_lines)
    kind = answer.kind or "select"
    choice = choices[kind]
    if isinstance(choice, NotAcceptable) or answer.fmt != wire_format(choice, kind):  # the worker's choice
        raise HttpError(406, f"the query worker answered in {answer.fmt}, which was not asked for")
    return Outcome(answer, choice, kind, done.queued_ms, done.ran_ms)


_POSITION = re.compile(r"\b(at|line) (\d+)(?=[:,])")


def _error(answer: QueryAnswer, choices: Choices, base_lines: int) -> HttpError:
    status, message, limit = answer.status, answer.message or "the query failed", answer.limit_hit
    headers: dict[str, str] = {}
    if status == 503:
        headers["Retry-After"] = str(max(1, answer.retry_after or 1))
    elif status == 406:  # the kind the worker found has no format: say it as the service negotiated it
        refusals = {kind: c for kind, c in choices.items() if isinstance(c, NotAcceptable)}
        refusal = refusals.get("graph") if "select" not in refusals else refusals["select"]
        if refusal is not None:
            return HttpError(refusal.status, str(refusal))
    elif status == 405:  # an update as query=: for the protocol a malformed query; the reason stays
        status = 400
    if status == 400 and base_lines:  # positions are on the message's first line; the user's line follows
        first, newline, rest = message.partition("\n")
        first = _POSITION.sub(lambda m: f"{m.group(1)} {max(1, int(m.group(2)) - base_lines)}", first)
        message = first + newline + rest
    return HttpError(status, message, headers, limit=limit)


__all__ = ["Outcome", "WorkerKit", "make_request", "nothing_fits", "run_query", "sandbox_kit", "worker_accept"]
