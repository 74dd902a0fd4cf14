"""Timelines in the page: a stored query's rows (``#+ view: timeline``) or an entity's events,
drawn by the project's own plotting code (``sinorus_kg.plots``) as SVG — the same picture,
precision and open ends as ``sinorus-kg timeline`` — with each bar linking to its page here.

A query's columns are read by role: the item is the first IRI column (its label from
``<item>Label`` or the store); its time is ``events-timeline``'s four bounds when the query has
them, else ``?start`` or the first date column to ``?end`` (or the same day); an event the
timeline query knows is drawn with that query's bounds, precision and open ends.
Renders are cached: the release does not change while serving, and matplotlib is slow.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from sinorus_kg.engines import QueryResult
from sinorus_kg.plots import FAMILIES, OTHER, placed, timeline_figure
from sinorus_kg.terms import Term
from sinorus_kg.web.pages import model, reads
from sinorus_kg.web.pages.common import local_href
from sinorus_kg.web.store import ProjectStore

_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_LOCK = threading.Lock()  # one render at a time: matplotlib's font cache is shared
_CACHE: OrderedDict[str, str] = OrderedDict()
_CACHE_SIZE = 64
_HREF = re.compile(r'(xlink:href|href)="([^"]*)"')


TIME_KEYS = ("earliestBegin", "latestBegin", "earliestEnd", "latestEnd", "beginPrecision", "endPrecision",
             "beginStatus", "endStatus", "ongoingAsOf", "point")  # events-timeline's columns of a time span


def records_of(result: QueryResult) -> list[dict[str, Any]]:
    """Timeline records (``event``, ``eventLabel`` and the four bounds of ``events-timeline``) from a SELECT
    result's rows: its bound columns when it has them, else its first IRI and date columns (a day, or a span
    when it has an ``end`` column)."""
    columns = result.columns
    iri_columns = [i for i in range(len(columns)) if any(_kind(r[i]) == "iri" for r in result.rows)]
    date_columns = [i for i in range(len(columns))
                    if any(r[i] is not None and r[i].datatype == _XSD_DATE for r in result.rows)]  # type: ignore[union-attr]
    if not iri_columns or not date_columns:
        return []
    item = iri_columns[0]
    start = columns.index("start") if "start" in columns else date_columns[0]
    end = columns.index("end") if "end" in columns else None
    label = columns.index(f"{columns[item]}Label") if f"{columns[item]}Label" in columns else None
    spans = [k for k in TIME_KEYS if k in columns]
    seen: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        iri = row[item]
        if iri is None or iri.kind != "iri" or iri.value in seen:
            continue
        record: dict[str, Any] = {"event": iri.value,
                                  "eventLabel": _value(row[label]) if label is not None else None}
        if spans:
            for key in spans:
                term = row[columns.index(key)]
                record[key] = _date(term.value) if term is not None and term.datatype == _XSD_DATE else _value(term)
        else:
            begin = _date(_value(row[start]))
            stop = begin if end is None else _date(_value(row[end]))
            record.update(earliestBegin=begin, latestBegin=begin, earliestEnd=stop, latestEnd=stop)
        if record.get("earliestBegin") is None and record.get("latestBegin") is None:
            continue
        seen[iri.value] = record
    return list(seen.values())


def _kind(term: Term | None) -> str | None:
    return term.kind if term is not None else None


def _value(term: Term | None) -> str | None:
    return term.value if term is not None else None


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


async def complete(store: ProjectStore, records: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Fill in labels, the time span as ``events-timeline`` gives it (bounds, precision, status) and the
    colour family of each record, placed as ``sinorus-kg timeline`` places it."""
    known = {str(r["event"]): r for r in await reads.timeline_rows(store)}
    kinds = await reads.types_of(store, [str(r["event"]) for r in records])
    out = []
    for record in records:
        iri = str(record["event"])
        timeline_row = known.get(iri) or {}
        row = {**record, **{k: v for k, v in timeline_row.items() if k in TIME_KEYS and v is not None}}
        row["eventLabel"] = labels.get(iri) or row.get("eventLabel") or timeline_row.get("eventLabel")
        row["family"] = _family(kinds.get(iri, set()))
        out.append(placed(row))
    return out


def _family(types: set[str]) -> str:
    local = {t[len(model.ONTOLOGY):] for t in types if t.startswith(model.ONTOLOGY)}
    for family in FAMILIES:
        if local & set(family.classes):
            return family.label
    return OTHER.label


def svg(key: str, records: list[dict[str, Any]], title: str) -> str:
    """The timeline as an inline SVG element (cached by ``key``); links point to this server's pages."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        text = _render(records, title)
        _CACHE[key] = text
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        return text


def _render(records: list[dict[str, Any]], title: str) -> str:
    import io

    import matplotlib

    from sinorus_kg.plots import _METADATA, _RC

    figure = timeline_figure(records, title)
    buffer = io.BytesIO()
    with matplotlib.rc_context({**_RC, "svg.fonttype": "none"}):  # text as text: small, selectable
        figure.savefig(buffer, format="svg", metadata=_METADATA["svg"], dpi=110)
    text = buffer.getvalue().decode("utf-8")
    text = text[text.index("<svg"):]  # inline: no XML declaration or DOCTYPE

    def local(match: re.Match[str]) -> str:
        target = local_href(match.group(2))
        return f'{match.group(1)}="{target}"' if target else match.group(0)

    text = _HREF.sub(local, text)
    return text.replace("<svg ", '<svg class="timeline" role="img" aria-label="timeline" ', 1)
