"""The interface every query engine offers (rdflib, embedded Oxigraph, a SPARQL endpoint).

Apart from ``engines`` because a ``Protocol`` needs ``typing`` at run time, which a cold stored
query does not otherwise import; ``engines.Engine`` still names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sinorus_kg.engines import QueryResult
from sinorus_kg.terms import Term


class Engine(Protocol):
    name: str

    def run(self, sparql: str, bindings: dict[str, Term] | None = None,
            max_rows: int | None = None) -> QueryResult: ...

    def labels(self, iris: Iterable[str], lang: str = "en") -> dict[str, str]: ...


__all__ = ["Engine"]
