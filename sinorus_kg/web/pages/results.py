"""Query results as an HTML table for people: IRIs by their label in the reader's language,
each a link to its page on this server (other sites' IRIs link out), sortable by column.

A ``?xLabel`` column is folded into ``?x`` (the label comes from the store in the chosen
language, falling back to the query's own English label), as the Wikidata Query Service
shows items by label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sinorus_kg.engines import QueryResult
from sinorus_kg.terms import Term
from sinorus_kg.web.pages.common import Ctx, esc, prefixed


def iris_of(result: QueryResult) -> list[str]:
    terms: Iterable[Term | None] = (t for row in (result.rows or result.triples) for t in row)
    return sorted({t.value for t in terms if t is not None and t.kind == "iri"})


def _cell(ctx: Ctx, term: Term | None, labels: dict[str, str], fallback: Term | None = None) -> str:
    if term is None:
        return '<td class="unbound"></td>'
    if term.kind == "iri":
        if term.value not in labels and fallback is not None and fallback.kind == "literal":
            labels = {**labels, term.value: fallback.value}
        key = esc(labels.get(term.value, prefixed(term.value)))
        return f'<td data-sort="{key}">{ctx.link(term.value, labels)}</td>'
    if term.kind == "bnode":
        return f"<td>_:{esc(term.value)}</td>"
    lang = f' lang="{esc(term.lang)}"' if term.lang else ""
    numeric = term.datatype is not None and term.datatype.endswith(("integer", "decimal", "double", "float", "Integer"))
    klass = ' class="number"' if numeric else ' class="date"' if (term.datatype or "").endswith("#date") else ""
    return f'<td{klass}{lang} data-sort="{esc(term.value)}">{esc(term.value)}</td>'


def table(ctx: Ctx, result: QueryResult, labels: dict[str, str]) -> str:
    if result.kind == "ask":
        return f'<p class="answer">Answer: <strong>{"true" if result.boolean else "false"}</strong></p>'
    if result.kind == "graph":
        columns = ["subject", "predicate", "object"]
        rows: list[tuple[Any, ...]] = sorted(result.triples, key=lambda t: tuple(x.n3() for x in t))
        keep = [0, 1, 2]
        folded: dict[int, int] = {}
    else:
        columns = result.columns
        rows = list(result.rows)
        folded = {i: columns.index(f"{c}Label") for i, c in enumerate(columns) if f"{c}Label" in columns}
        keep = [i for i, c in enumerate(columns) if not (c.endswith("Label") and c[:-5] in columns)]
    head = "".join(f'<th scope="col" data-column="{esc(columns[i])}"><button type="button" class="sort">'
                   f"{esc(columns[i])}</button></th>" for i in keep)
    body = []
    for row in rows:
        cells = "".join(_cell(ctx, row[i], labels, row[folded[i]] if i in folded else None) for i in keep)
        body.append(f"<tr>{cells}</tr>")
    what = "triple" if result.kind == "graph" else "row"
    count = f"{len(rows)} {what}{'' if len(rows) == 1 else 's'}"
    if result.truncated:
        count += " (cut at the row cap)"
    return (f'<div class="table-wrap"><table class="results sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div><p class="meta count">{esc(count)}</p>')
