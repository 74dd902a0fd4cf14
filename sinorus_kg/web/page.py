"""The small web page at ``/`` and results as HTML tables (``format=html``), labelled in English.

Carried over from the first server so nothing is lost; the analyst's workbench (YASGUI,
catalogue pages, entity pages) is built on this service separately. Every value from a
user or the data is escaped, and the page carries a CSP that allows no script.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

from sinorus_kg.catalogue import Catalogue, StoredQuery
from sinorus_kg.engines import QueryResult
from sinorus_kg.formatting import display
from sinorus_kg.namespaces import PREFIXES
from sinorus_kg.terms import Term
from sinorus_kg.web.negotiation import OFFERED

CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
EXAMPLE_QUERY = "SELECT ?visit ?date WHERE {\n  ?visit a sr:Visit ; sr:earliestDate ?date .\n}\nORDER BY ?date\n"


def page(catalogue: Catalogue, limits: str, query: str | None = None, results: str = "") -> str:
    items = "\n".join(_catalogue_item(q) for q in catalogue)
    prefixes = ", ".join(f"{html.escape(p)}:" for p in PREFIXES)
    text = EXAMPLE_QUERY if query is None else query
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sinorus-kg SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:sans-serif;margin:1.5em;max-width:80em}} textarea{{width:100%;font-family:monospace}}
table{{border-collapse:collapse;margin:.5em 0}} td,th{{border:1px solid #bbb;padding:.2em .4em;vertical-align:top}}
th{{background:#eee}} .error{{color:#a00;white-space:pre-wrap}} li{{margin:.4em 0}} small{{color:#555}}
form.params{{display:inline}} input{{width:14em}} pre{{background:#f6f6f6;padding:.5em;overflow:auto}}
</style></head><body>
<h1>sinorus-kg: Soviet/Russian–Chinese relations</h1>
<p>A read-only SPARQL 1.1 endpoint at <code>/sparql</code> ({html.escape(limits)}; no updates, SERVICE,
LOAD or FROM). Predeclared prefixes: <small>{prefixes}</small></p>
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


def error_block(status: int, message: str) -> str:
    return f'<p class="error">Error {status}: {html.escape(message)}</p>'


def result_block(result: QueryResult, labels: dict[str, str], query: str) -> str:
    links = " · ".join(
        f'<a href="/sparql?{html.escape(urlencode({"query": query, "format": f}))}">{f}</a>'
        for f in OFFERED[result.kind] if f != "html")
    return f"<h2>Results</h2>\n{table(result, labels)}<p><small>Download: {links}</small></p>"


def stored_block(stored: StoredQuery, values: dict[str, str], result: QueryResult, labels: dict[str, str]) -> str:
    link = f"/queries/{quote(stored.name)}?"
    downloads = " · ".join(
        f'<a href="{html.escape(link + urlencode({**values, "format": f}))}">{f}</a>'
        for f in OFFERED[result.kind] if f != "html")
    bound = ", ".join(f"{html.escape(k)} = {html.escape(v)}" for k, v in values.items())
    return (f"<h2>{html.escape(stored.name)}: {html.escape(stored.summary)}</h2>\n"
            f"<p>{html.escape(stored.description)}</p>\n"
            + (f"<p>Parameters: {bound}</p>\n" if bound else "")
            + table(result, labels)
            + f"<p><small>Download: {downloads}</small></p>\n"
            f"<details><summary>SPARQL</summary><pre>{html.escape(stored.text)}</pre></details>\n")


def iris_of(result: QueryResult) -> list[str]:
    terms: Iterable[Term | None] = (t for row in (result.rows or result.triples) for t in row)
    return sorted({t.value for t in terms if t is not None and t.kind == "iri"})


def _iri_cell(iri: str, labels: dict[str, str]) -> str:
    """An IRI shown by its English label, linked to a DESCRIBE of it (all escaped)."""
    href = "/sparql?" + urlencode({"query": f"DESCRIBE <{iri}>", "format": "html"})
    shown = display(Term.iri(iri), labels)
    return f'<a href="{html.escape(href)}" title="{html.escape(iri)}">{html.escape(shown)}</a>'


def table(result: QueryResult, labels: dict[str, str]) -> str:
    """An HTML table for people: IRIs by label, an IRI column left out when ``xLabel`` is there."""
    if result.kind == "ask":
        return f"<p>Answer: <strong>{'true' if result.boolean else 'false'}</strong></p>\n"
    if result.kind == "graph":
        columns = ["subject", "predicate", "object"]
        rows: list[tuple[Any, ...]] = sorted(result.triples, key=lambda t: tuple(x.n3() for x in t))
        keep = [0, 1, 2]
    else:
        columns = result.columns
        rows = list(result.rows)
        keep = [i for i, c in enumerate(columns) if f"{c}Label" not in columns]
    head = "".join(f"<th>{html.escape(columns[i])}</th>" for i in keep)
    body = []
    for row in rows:
        cells = []
        for i in keep:
            term = row[i]
            if term is None:
                cells.append("<td></td>")
            elif term.kind == "iri":
                cells.append(f"<td>{_iri_cell(term.value, labels)}</td>")
            else:
                cells.append(f"<td>{html.escape(term.value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    count = f"{len(rows)} {'triple' if result.kind == 'graph' else 'row'}(s)"
    if result.truncated:
        count += " (truncated at the row cap)"
    return (f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body)
            + f"\n</tbody></table>\n<p><small>{count}</small></p>\n")


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
