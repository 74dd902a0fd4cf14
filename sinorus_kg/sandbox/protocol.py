"""What a caller sends a query worker and what it gets back, and how both cross the pipe.

Frames are a 4-byte big-endian length and that many bytes. A request is one JSON frame; an
answer is a JSON header frame and a body frame (the serialised result, or the message).
Nothing crossing the pipe is pickled: the worker runs untrusted queries, so the parent reads
its answers as plain data, with sizes checked.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sinorus_kg.engines import QueryResult
from sinorus_kg.errors import InputError
from sinorus_kg.terms import Term

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BYTES = 16 * 2**20  # 16 MiB: 10,000 rows of SPARQL JSON are about 3 MB
MAX_FRAME = 1 << 30
_LENGTH = struct.Struct(">I")

# Statuses, as HTTP: what each means for a caller.
OK = 200
REFUSED = 400  # refused by the policy, malformed, or the engine could not evaluate it
NOT_ACCEPTABLE = 406  # no Accept type fits the result
READ_ONLY = 405  # a SPARQL Update
TOO_LARGE = 413  # the query text is over the size limit
TIME_LIMIT = 503  # over the time limit (with Retry-After); later also a full queue
RESOURCE_LIMIT = 507  # over the memory cap or the result-size cap
STATUSES = (OK, REFUSED, READ_ONLY, NOT_ACCEPTABLE, TOO_LARGE, TIME_LIMIT, RESOURCE_LIMIT)


@dataclass(frozen=True)
class QueryRequest:
    """One query for a worker.

    ``fmt`` names the format (``srj``, ``csv``, ``table``… or a media type); when it is None the
    worker chooses from ``accept`` (an HTTP Accept header) once it knows the result's kind.
    ``timeout`` (seconds, None for none) covers parsing, execution and serialisation;
    ``max_rows`` truncates (and says so); ``max_bytes`` refuses a bigger serialised result.
    ``bindings`` are parameters as RDF terms (stored queries); ``width`` is the table width.
    """

    text: str
    fmt: str | None = None
    accept: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES
    bindings: Mapping[str, Term] = field(default_factory=dict)
    width: int | None = None

    def to_json(self) -> bytes:
        data = asdict(self)
        data["bindings"] = {k: v.as_dict() for k, v in self.bindings.items()}
        return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")

    @classmethod
    def from_json(cls, raw: bytes) -> QueryRequest:
        data = json.loads(raw.decode("utf-8", "surrogatepass"))
        data["bindings"] = {k: Term(**v) for k, v in data.get("bindings", {}).items()}
        return cls(**data)


@dataclass(frozen=True)
class QueryAnswer:
    """A worker's answer: ``status`` as HTTP (200 or one of the errors above), ``body`` the
    serialised result (``media_type``) or, on an error, the message as UTF-8 text.

    ``kind`` is select/ask/graph; ``fmt`` the short format chosen; ``rows`` the rows or triples
    sent; ``truncated`` whether the row cap cut the answer; ``limit_hit`` names the limit that
    stopped or cut it (``rows``, ``time``, ``memory``, ``bytes``, ``size``, or ``cancelled``);
    ``retry_after`` (seconds) goes with 503.
    """

    status: int
    media_type: str = "text/plain"
    body: bytes = b""
    kind: str | None = None
    fmt: str | None = None
    rows: int = 0
    truncated: bool = False
    limit_hit: str | None = None
    message: str = ""
    retry_after: int | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == OK

    @classmethod
    def error(cls, status: int, message: str, limit_hit: str | None = None,
              retry_after: int | None = None, elapsed: float = 0.0) -> QueryAnswer:
        return cls(status=status, body=message.encode("utf-8", "replace"), message=message,
                   limit_hit=limit_hit, retry_after=retry_after, elapsed=elapsed)

    def header(self) -> bytes:
        data = asdict(self)
        del data["body"]
        return json.dumps(data, ensure_ascii=False).encode("utf-8", "replace")

    @classmethod
    def from_frames(cls, header: bytes, body: bytes) -> QueryAnswer:
        data = json.loads(header.decode("utf-8"))
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data and f != "body"}
        if known.get("status") not in STATUSES:
            raise ValueError(f"unexpected status {known.get('status')!r}")
        return cls(body=body, **known)

    def result(self) -> QueryResult:
        """The rows as a QueryResult (the answer must be 200 in ``srj`` or ``nt``); an error
        answer raises QueryFailed with its status and message."""
        if not self.ok:
            raise QueryFailed(self)
        from sinorus_kg.sandbox.formats import decode

        return decode(self.kind or "select", self.fmt or "srj", self.body, self.truncated)


class QueryFailed(InputError):
    """A query answered with an error status (exit 2 on the CLI): ``answer`` says which."""

    def __init__(self, answer: QueryAnswer):
        super().__init__(answer.message)
        self.answer = answer
        self.status = answer.status
        self.limit_hit = answer.limit_hit


def write_frame(fd: int, payload: bytes) -> None:
    data = _LENGTH.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``; EOFError if the other end closes first."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the pipe was closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, limit: int = MAX_FRAME) -> bytes:
    (size,) = _LENGTH.unpack(read_exactly(fd, _LENGTH.size))
    if size > limit:
        raise ValueError(f"a frame of {size} bytes is over the {limit}-byte limit")
    return read_exactly(fd, size)


def to_json_frame(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "STATUSES", "QueryAnswer", "QueryFailed",
           "QueryRequest", "read_frame", "write_frame"]
