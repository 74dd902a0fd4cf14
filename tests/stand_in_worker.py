"""A stand-in for issue 9's query worker (``sinorus_kg.sandbox.worker``), for the service tests
while that contract is not on this branch: same calls and answers, a real separate process
(so kills, deadlines and replacement are real), but no network block and no memory cap.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from dataclasses import dataclass
from typing import Any


@dataclass
class QueryRequest:
    text: str
    fmt: str
    engine: str = "oxigraph"
    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 50_000_000


@dataclass
class QueryAnswer:
    status: int
    media_type: str = ""
    body: bytes = b""
    kind: str | None = None
    rows: int | None = None
    truncated: bool = False
    limit_hit: str | None = None
    message: str = ""


def _serve(conn: Any, engine: str) -> None:
    from sinorus_kg.errors import InputError
    from sinorus_kg.formatting import render
    from sinorus_kg.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph(engine)
    conn.send("ready")
    extra = {"jsonld": "nt", "xml": "nt"}
    while True:
        request: QueryRequest = conn.recv()
        try:
            result = kg.sparql(request.text, timeout=None, max_rows=request.max_rows)
            fmt = request.fmt if result.kind != "graph" or request.fmt not in extra else extra[request.fmt]
            if result.kind == "graph" and request.fmt in extra:
                import pyoxigraph as ox

                triples = ox.parse(render(result, "nt").encode(), format=ox.RdfFormat.N_TRIPLES)
                body = ox.serialize(triples, format=ox.RdfFormat.JSON_LD if request.fmt == "jsonld"
                                    else ox.RdfFormat.RDF_XML) or b""
            elif result.kind == "ask" and fmt in ("csv", "tsv"):
                body = ("true" if result.boolean else "false").encode()
            else:
                body = render(result, fmt).encode()
            if len(body) > request.max_bytes:
                conn.send(QueryAnswer(507, message="result too large", limit_hit="max_bytes"))
                continue
            rows = len(result.rows) if result.kind == "select" else len(result.triples) or None
            conn.send(QueryAnswer(200, "", body, result.kind, rows, result.truncated))
        except InputError as exc:
            conn.send(QueryAnswer(400, message=str(exc)))
        except Exception as exc:
            conn.send(QueryAnswer(400, message=f"the query failed: {exc}"))


class QueryWorker:
    def __init__(self, engine: str = "oxigraph", sandbox: bool = True):
        self.engine = engine
        self._process: Any = None
        self._conn: Any = None
        self._lock = threading.Lock()

    def start(self) -> QueryWorker:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, self.engine), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        if not parent.poll(60) or parent.recv() != "ready":
            raise RuntimeError("worker did not start")
        return self

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def alive(self) -> bool:
        return bool(self._process and self._process.is_alive())

    def kill(self) -> None:
        if self._process and self._process.is_alive():
            os.kill(self._process.pid, 9)
            self._process.join(5)

    def run(self, request: QueryRequest) -> QueryAnswer:
        with self._lock:
            try:
                self._conn.send(request)
                if not self._conn.poll(request.timeout):
                    self.kill()
                    return QueryAnswer(503, message=f"the query ran longer than the {request.timeout:g} s "
                                                    "time limit and was stopped", limit_hit="timeout")
                answer: QueryAnswer = self._conn.recv()
                return answer
            except (EOFError, OSError):
                return QueryAnswer(500, message="the worker died", limit_hit="worker")
