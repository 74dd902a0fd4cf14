"""Between the HTTP routes and the query workers: a request in, bytes and a status out.

The worker contract (``sinorus_kg.sandbox.worker``) takes one query text and one format
and returns the serialised answer with its status; this module adapts the service to it:

- the format is negotiated for every kind of result before the query runs, but the
  worker takes one: it is given the format for the kind the shared SPARQL lexer
  predicts (``safety.query_form``), and if the worker's parse finds another kind, the
  query is run once more with that kind's format (the parse decides, never the lexer);
- an HTML rendering is made here from SPARQL JSON (or N-Triples) the worker sent, bounded
  by the result-byte cap, labelled from the project's store;
- the worker's statuses become HTTP statuses, with ``Retry-After`` on 503.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sinorus_kg.safety import query_form
from sinorus_kg.web.config import ServiceConfig
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.negotiation import FORMATS, Format, NotAcceptable
from sinorus_kg.web.pool import Pool, Worker

KIND_OF_FORM = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
WIRE_FOR_HTML = {"select": "srj", "ask": "srj", "graph": "nt"}


@dataclass
class Outcome:
    """A successful answer: bytes in ``fmt`` (for html: the worker's srj/nt, rendered later)."""

    body: bytes
    fmt: Format
    kind: str
    rows: int | None
    truncated: bool
    queued_ms: float
    ran_ms: float


@dataclass(frozen=True)
class WorkerKit:
    """How to make a worker and a request for it: the query-worker contract, as the pool uses it."""

    make_worker: Callable[[], Worker]
    make_request: Callable[..., Any]  # (text=, fmt=, engine=, timeout=, max_rows=, max_bytes=)


def sandbox_kit(config: ServiceConfig) -> WorkerKit:
    """The sandboxed query worker of ``sinorus_kg.sandbox`` with the service's engine and limits."""
    try:
        from sinorus_kg.sandbox.worker import QueryRequest, QueryWorker
    except ImportError as exc:  # this branch before the sandbox (issue 9) is merged
        from sinorus_kg.errors import InputError

        raise InputError(f"the sandboxed query worker is not available ({exc}): serve needs sinorus_kg.sandbox") \
            from None

    def make() -> Worker:
        return QueryWorker(engine=config.engine, sandbox=not config.unsandboxed)

    return WorkerKit(make, QueryRequest)


def _request(kit: WorkerKit, text: str, wire: str, config: ServiceConfig) -> Any:
    return kit.make_request(text=text, fmt=wire, engine=config.engine, timeout=config.timeout,
                            max_rows=config.max_rows, max_bytes=config.max_bytes)


def _wire(choice: Format | NotAcceptable, kind: str) -> str:
    """The format the worker is asked for (HTML is rendered here from SPARQL JSON / N-Triples)."""
    if isinstance(choice, NotAcceptable):
        return FORMATS[WIRE_FOR_HTML[kind]].name  # unused: the answer is refused once the kind is known
    return WIRE_FOR_HTML[kind] if choice.name == "html" else choice.name


async def run_query(pool: Pool, kit: WorkerKit, config: ServiceConfig, text: str,
                    choices: dict[str, Format | NotAcceptable], client: str,
                    disconnected: Callable[[], Awaitable[None]]) -> Outcome:
    """Run a user's query text in the pool; the Outcome or an HttpError saying why not."""
    predicted = KIND_OF_FORM.get(query_form(text), "select")
    wire = _wire(choices[predicted], predicted)
    done = await pool.run(_request(kit, text, wire, config), client, disconnected)
    answer = done.answer
    kind = getattr(answer, "kind", None) or predicted
    if answer.status == 200 and kind != predicted and _wire(choices[kind], kind) != wire:
        wire = _wire(choices[kind], kind)
        done = await pool.run(_request(kit, text, wire, config), client, disconnected)
        answer = done.answer
    if answer.status != 200:
        raise _error(answer, config)
    choice = choices[kind]
    if isinstance(choice, NotAcceptable):
        raise HttpError(choice.status, str(choice))
    return Outcome(answer.body, choice, kind, getattr(answer, "rows", None), bool(getattr(answer, "truncated", False)),
                   done.queued_ms, done.ran_ms)


def _error(answer: Any, config: ServiceConfig) -> HttpError:
    status = int(answer.status)
    message = str(getattr(answer, "message", "") or "the query failed")
    limit = getattr(answer, "limit_hit", None)
    headers: dict[str, str] = {}
    if status == 503:
        headers["Retry-After"] = str(max(1, int(config.timeout)))
    if status == 405:
        headers["Allow"] = "GET, HEAD, POST, OPTIONS"
    if status >= 500 and status not in (503, 507):  # a worker crash the worker did not classify
        status, message = 500, f"the query failed: {message}"
    return HttpError(status, message, headers, limit=limit)
