"""Parameter ranges a stored query declares by reference, resolved from the data when it runs.

``#+ params: {year: {type: year, range: document-period}}`` says that a year outside the
period the source documents cover can only give an empty answer; ``range: sentence-index``
that a sentence index must be one the document has; ``after: from`` that ``to`` may not
precede ``from``. The bounds are read from the document nodes at run time (``sr:coversFrom``,
``sr:coversUntil``, ``sr:sentenceIndex``), so a second document widens them with no edit
here. A value outside is an InputError (exit 2) that states the range, rather than an empty
table. As-of and in-force dates declare no range: "what was in force in 2020" is a real question.
"""

from __future__ import annotations

from sinorus_kg.errors import InputError
from sinorus_kg.frozen import Frozen
from sinorus_kg.namespaces import SR, shorten
from sinorus_kg.terms import Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from typing import Any

    from sinorus_kg.catalogue import Param, StoredQuery
    from sinorus_kg.engines import Engine

RANGES = ("document-period", "sentence-index")
_PART_OF = "http://purl.org/dc/terms/isPartOf"


class Bounds(Frozen):
    """A range's ends as read from the graph."""

    __slots__ = ("low", "high", "what")
    _compared = __slots__
    low: Any  # a date (document-period) or an int (sentence-index)
    high: Any
    what: str  # what the range is, for the message

    def __init__(self, low: Any, high: Any, what: str) -> None:
        for name, value in zip(self.__slots__, (low, high, what), strict=True):
            object.__setattr__(self, name, value)

    def shown(self, param: Param) -> str:
        low, high = (self.low.year, self.high.year) if param.type == "year" else (self.low, self.high)
        return f"{low} to {high}"


def bounds(engine: Engine, name: str, bindings: dict[str, Term]) -> Bounds | None:
    """The range ``name`` on the graph (None when the graph has nothing to bound it with)."""
    if name == "document-period":
        rows = engine.run(f"SELECT (MIN(?f) AS ?low) (MAX(?u) AS ?high) WHERE {{ ?d <{SR}coversFrom> ?f ; "
                          f"<{SR}coversUntil> ?u }}").rows
        what = "the period the source documents cover"
    elif name == "sentence-index":
        document = bindings.get("document")
        scope = {"doc": document} if document is not None else {}
        rows = engine.run(f"SELECT (MIN(?i) AS ?low) (MAX(?i) AS ?high) WHERE {{ ?s <{_PART_OF}> ?doc ; "
                          f"<{SR}sentenceIndex> ?i }}", scope).rows
        what = f"the sentences of {shorten(document.value)}" if document is not None else "the sentence indexes"
    else:
        raise InputError(f"unknown range {name!r} (one of {', '.join(RANGES)})")
    if not rows or rows[0][0] is None or rows[0][1] is None:
        return None
    low, high = (t.to_python() for t in rows[0][:2] if t is not None)
    return Bounds(low, high, what)


def _value(param: Param, term: Term) -> Any:
    from datetime import date

    value = term.to_python()
    return date(value, 1, 1) if param.type == "year" else value


def _inside(param: Param, value: Any, limits: Bounds) -> bool:
    """Whether ``value`` can fall in ``limits`` (a year covers its whole span of days)."""
    if param.type == "year":
        return limits.low.year <= value.year <= limits.high.year
    return bool(limits.low <= value <= limits.high)


def check(engine: Engine, stored: StoredQuery, bindings: dict[str, Term]) -> None:
    """InputError when a bound parameter lies outside its declared range, or ``to`` precedes ``from``.
    A ``from``/``to`` pair with a range must overlap it (a period may begin before the documents do)."""
    by_name = {p.name: p for p in stored.params}
    cache: dict[str, Bounds | None] = {}

    def limits(param: Param) -> Bounds | None:
        assert param.range is not None
        if param.range not in cache:
            cache[param.range] = bounds(engine, param.range, bindings)
        return cache[param.range]

    paired = {p.after for p in stored.params if p.after}
    for param in stored.params:
        term = bindings.get(param.name)
        if term is None:
            continue
        start = by_name.get(param.after) if param.after else None
        if start is not None and bindings.get(start.name) is not None:
            first, last = _value(start, bindings[start.name]), _value(param, term)
            if last < first:
                raise InputError(f"parameter {param.name!r} ({term.value}) is before {start.name!r} "
                                 f"({bindings[start.name].value}): the period must run forward")
            if param.range and start.range:
                span = limits(param)
                if span is not None and (first > span.high or last < span.low):
                    raise InputError(f"the period {bindings[start.name].value} to {term.value} lies outside "
                                     f"{span.what}, {span.shown(param)}: choose dates that overlap it")
            continue
        if not param.range or param.name in paired:
            continue
        span = limits(param)
        if span is not None and not _inside(param, _value(param, term), span):
            example = f" (e.g. --param {param.name}={param.example})" if param.example else ""
            raise InputError(f"parameter {param.name!r}: {term.value} is outside {span.what}, "
                             f"{span.shown(param)}{example}")


__all__ = ["RANGES", "Bounds", "bounds", "check"]
