"""Inside the worker: one request → prepare, check, execute, serialise → one answer.

Every failure becomes an answer with a status and a message a person can act on; nothing
escapes as a traceback. The engine is the worker's own (opened once, by ``engines.open_release``
or from the N-Quads its parent sent).
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from typing import Any

from sinorus_kg.engines import Engine, QueryResult, ResultTooLarge
from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES
from sinorus_kg.sandbox import policy
from sinorus_kg.sandbox.formats import MEDIA_TYPES, FormatError, negotiate, serialise
from sinorus_kg.sandbox.protocol import OK, REFUSED, RESOURCE_LIMIT, QueryAnswer, QueryRequest

WARM_UP = "SELECT ?s WHERE { ?s a sr:Event ; sr:p ?o FILTER(STRSTARTS(STR(?o), 'x')) } ORDER BY ?s LIMIT 1"


class MemoryExhausted(Exception):
    """The query hit the memory cap: answered with 507, then the worker exits (its heap may be torn)."""


def open_engine(name: str, ntriples: bytes | None = None, store: str = "disk") -> Engine:
    """The worker's engine: the built release (``store``: the on-disk store or loaded into memory,
    ``engines.open_release``), or the graph its parent sent as N-Triples or N-Quads (a superset:
    the catalogue's named graph stays named, as in the release)."""
    from sinorus_kg.engines import OxigraphEngine, RdflibEngine, open_release

    if ntriples is None:
        return open_release(name, store)
    if name == "oxigraph":
        import pyoxigraph as ox

        handed = ox.Store()
        try:
            handed.load(ntriples, format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise InputError(f"the graph handed to the query worker is not N-Quads: {exc}") from None
        return OxigraphEngine(handed)
    from rdflib import Dataset

    dataset = Dataset(default_union=False)  # as RdflibEngine.from_files: named graphs only through GRAPH
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True, replace=True)
    dataset.parse(data=ntriples.decode("utf-8"), format="nquads")
    return RdflibEngine(dataset)


CHECKED_KEPT = 64  # checked queries kept per worker (the same text is always judged the same way)
CHECKED_KEPT_CHARS = 8_000  # longer texts are checked every time (the cache stays small in the memory cap)


class Executor:
    """Answers requests on one engine; ``warm_up`` loads the parsers before the memory cap.

    rdflib's parse and translation are nearly all of a simple query's cost (about 7 of 8 ms on
    Oxigraph), and analysts and the service's pages send the same texts again and again (stored
    queries, permalinks, pickers): so the last ``CHECKED_KEPT`` checked queries are kept, keyed by
    the prepared text. The check is a function of that text and the engine alone; a refusal is
    not kept (it is re-decided, and costs no evaluation anyway). rdflib runs a kept query's
    algebra again, as it does a ``prepareQuery`` result."""

    def __init__(self, engine: Engine):
        import rdflib.plugins.sparql as rdflib_sparql

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # a second wall: FROM is refused anyway
        self.engine = engine
        self._checked: OrderedDict[str, policy.CheckedQuery] = OrderedDict()

    def warm_up(self) -> None:
        """Import and build what every query needs (parser grammar, evaluator, serialisers)."""
        for fmt in ("srj", "table"):
            self.answer(QueryRequest(WARM_UP, fmt=fmt))

    def answer(self, request: QueryRequest) -> QueryAnswer:
        start = time.perf_counter()
        try:
            return self._answer(request, start)
        except policy.Refused as exc:
            return QueryAnswer.error(exc.status, str(exc), limit_hit="size" if exc.status == 413 else None)
        except FormatError as exc:
            return QueryAnswer.error(exc.status, str(exc))
        except ResultTooLarge:
            return _too_large(request.max_bytes)
        except MemoryError:
            raise MemoryExhausted() from None
        except RecursionError:
            return QueryAnswer.error(REFUSED, "the query is too complex to evaluate (nesting too deep); simplify it")
        except InputError as exc:
            return QueryAnswer.error(REFUSED, str(exc))
        except Exception as exc:  # an engine's evaluation error (rdflib SPARQLError, Oxigraph RuntimeError…)
            reason = str(exc).strip() or type(exc).__name__
            return QueryAnswer.error(REFUSED, f"the query could not be evaluated: {reason}")

    def _answer(self, request: QueryRequest, start: float) -> QueryAnswer:
        checked = self._check(policy.prepare(request.text))
        result = self._run(checked, request)
        chosen = negotiate(result.kind, request.fmt, request.accept)
        body = self._serialise(result, chosen, request.width)
        if len(body) > request.max_bytes:
            return _too_large(request.max_bytes)
        rows = len(result.rows) if result.kind == "select" else len(result.triples) if result.kind == "graph" else 1
        return QueryAnswer(OK, MEDIA_TYPES[chosen], body, kind=result.kind, fmt=chosen, rows=rows,
                           truncated=result.truncated, limit_hit="rows" if result.truncated else None,
                           message=(f"the answer was cut at the row cap of {request.max_rows}"
                                    if result.truncated else ""),
                           elapsed=time.perf_counter() - start)

    def _check(self, prepared: str) -> policy.CheckedQuery:
        kept = self._checked.get(prepared)
        if kept is not None:
            self._checked.move_to_end(prepared)
            return kept
        checked = policy.check(prepared, self.engine.name)
        if len(prepared) <= CHECKED_KEPT_CHARS:
            self._checked[prepared] = checked
            if len(self._checked) > CHECKED_KEPT:
                self._checked.popitem(last=False)
        return checked

    def _run(self, checked: policy.CheckedQuery, request: QueryRequest) -> QueryResult:
        engine: Any = self.engine
        bindings = dict(request.bindings)
        if engine.name == "oxigraph":
            return engine.run(checked.text, bindings, max_rows=request.max_rows, prefixes=PREFIXES,
                              max_bytes=request.max_bytes)
        return engine.run_query(checked.query, bindings, max_rows=request.max_rows, max_bytes=request.max_bytes)

    def _serialise(self, result: QueryResult, fmt: str, width: int | None) -> bytes:
        if fmt == "table" and width:
            os.environ["COLUMNS"] = str(max(width, 80))  # rich reads the terminal width from here
        return serialise(result, fmt, self.engine.labels)


def _too_large(max_bytes: int) -> QueryAnswer:
    return QueryAnswer.error(
        RESOURCE_LIMIT, f"the result is larger than the {max_bytes // 1024} kB result-size cap; narrow the "
        "query (LIMIT, fewer columns) or raise the cap (--max-bytes)", limit_hit="bytes")


__all__ = ["Executor", "MemoryExhausted", "open_engine"]
