"""The stored-query catalogue as pages: ``/queries`` (search, tags, each query's description,
parameters and SPARQL before running) and ``/queries/NAME`` (a form with pickers filled from
the graph, results in the page, a timeline for ``#+ view: timeline``, downloads, "open in the
editor"). The URL with its parameters is the shareable link; JSON stays the default for
clients that do not ask for HTML (the REST API, see /openapi.json).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg.catalogue import Param, StoredQuery
from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES, expand
from sinorus_kg.remote import bind_values
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.execution import run_query
from sinorus_kg.web.negotiation import OFFERED, choose
from sinorus_kg.web.pages import reads, results, timeline
from sinorus_kg.web.pages.common import Ctx, esc, layout, page_response, prefixed
from sinorus_kg.web.routes import _report, client_of, conditional, etag, result_of, wait_disconnect

PICKER_SELECT_MAX = 40  # more options than this: a text box with suggestions instead of a list
LANGUAGE_OPTIONS = ("en", "ru", "zh")


def _matches(stored: StoredQuery, words: list[str], tag: str) -> bool:
    if tag and tag not in stored.tags:
        return False
    haystack = " ".join((stored.name, stored.summary, stored.description, " ".join(stored.tags))).lower()
    return all(w in haystack for w in words)


async def catalogue_page(request: Request) -> Response:
    ctx = Ctx.of(request)
    text = (request.query_params.get("q") or "").strip()
    tag = (request.query_params.get("tag") or "").strip()
    everything = list(ctx.svc.store.catalogue)
    chosen = [s for s in everything if _matches(s, text.lower().split(), tag)]
    tags = sorted({t for s in everything for t in s.tags})
    def chip(t: str) -> str:
        params = {**({"q": text} if text else {}), **({} if t == tag else {"tag": t})}
        return f'<a class="tag{" on" if t == tag else ""}" href="{esc(ctx.href("/queries", **params))}">{esc(t)}</a>'

    chips = " ".join(chip(t) for t in tags)
    lang_input = f'<input type="hidden" name="lang" value="{esc(ctx.lang)}">' if ctx.explicit else ""
    tag_input = f'<input type="hidden" name="tag" value="{esc(tag)}">' if tag else ""
    items = "\n".join(_entry(ctx, s) for s in chosen)
    body = f"""<h1>Stored queries</h1>
<p class="lead">{len(everything)} questions the graph answers, each with typed parameters. Run one here, share its URL,
open it in the editor to adapt it, or call it as an API (<a href="/openapi.json">OpenAPI</a>; JSON by default).</p>
<form class="filter" method="get" action="/queries">{lang_input}{tag_input}
<input type="search" name="q" id="catalogue-search" value="{esc(text)}"
 placeholder="Search names, summaries, descriptions" aria-label="Search the stored queries">
<button type="submit">Filter</button></form>
<p class="tags">Tags: {chips}</p>
<p class="meta" id="catalogue-count">{len(chosen)} of {len(everything)} queries</p>
<ol class="catalogue">{items}</ol>"""
    return page_response(layout(ctx, "Stored queries", body, scripts=("pages.js",)))


def _entry(ctx: Ctx, stored: StoredQuery) -> str:
    params = "".join(f"<li><code>{esc(p.name)}</code>: {esc(_describe_param(p))}</li>" for p in stored.params)
    params_block = f'<ul class="params">{params}</ul>' if params else '<p class="meta">No parameters.</p>'
    tags = " ".join(f'<a class="tag" href="{esc(ctx.href("/queries", tag=t))}">{esc(t)}</a>' for t in stored.tags)
    search = " ".join((stored.name, stored.summary, stored.description, *stored.tags)).lower()
    view = ' <span class="view">timeline</span>' if stored.view == "timeline" else ""
    return f"""<li class="query" data-search="{esc(search)}" data-tags="{esc(' '.join(stored.tags))}">
<h2><a href="{esc(ctx.href('/queries/' + quote(stored.name)))}">{esc(stored.name)}</a></h2>
<p class="summary">{esc(stored.summary)} {tags}{view}</p>
<p class="description">{esc(stored.description)}</p>{params_block}
<details><summary>SPARQL</summary><pre class="sparql">{esc(stored.text)}</pre></details>
<p class="actions"><a class="button" href="{esc(ctx.href('/queries/' + quote(stored.name)))}">Run</a>
<a href="{esc(editor_link(stored, {}))}">Open in the editor</a></p></li>"""


def _describe_param(p: Param) -> str:
    text = p.description or p.expected()
    if p.default is not None:
        text += f" (default {p.default})"
    elif p.optional:
        text += " (optional)"
    return text


def editor_text(stored: StoredQuery, bindings: dict[str, Any]) -> str:
    """The stored query as an analyst would adapt it: the prefixes it uses declared, its
    parameters bound as a VALUES row (as for remote endpoints), its comments kept."""
    used = [p for p in PREFIXES if re.search(rf"(?<![\w-]){re.escape(p)}:", stored.text)]
    prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    body = bind_values(stored.text, bindings) if bindings else stored.text
    return prologue + body


def editor_link(stored: StoredQuery, values: dict[str, str], bindings: dict[str, Any] | None = None) -> str:
    """A link opening the stored query in the editor with ``bindings`` (by default: ``values`` typed,
    or nothing bound when they are not valid)."""
    if bindings is None:
        try:
            bindings = stored.bindings(values)
        except InputError:
            bindings = {}
    return "/#" + urlencode({"query": editor_text(stored, bindings), "tabTitle": stored.name}, quote_via=quote)


async def stored_page(request: Request, stored: StoredQuery, values: dict[str, str]) -> Response:
    """The stored query's page: the form (values kept), the results, a timeline, the SPARQL."""
    ctx = Ctx.of(request)
    svc = ctx.svc
    tag = etag(svc, "stored-page", stored.name, sorted(values.items()), ctx.lang)
    headers = {"Vary": "Accept, Accept-Language", "Cache-Control": "no-cache"}
    cached = conditional(request, tag, headers)
    if cached is not None:
        return cached
    problem = ""
    outcome_html = ""
    status = 200
    bindings: dict[str, Any] | None = None
    try:
        bindings = await svc.store.bindings(stored, values)
    except InputError as exc:
        problem = str(exc).replace("needs --param", "needs the parameter")
        status = 400
    if not problem:
        try:
            outcome = await run_query(svc.pool, svc.config, stored.text, choose(None, "html"), client_of(request),
                                      lambda: wait_disconnect(request), bindings=bindings)
        except HttpError as exc:
            problem, status = exc.message, exc.status
        else:
            _report(request, outcome)
            outcome_html = await _results(ctx, stored, values, await result_of(outcome))
    shown = dict(values)  # an entity given by name shows as the one it named
    for param in stored.params:
        if param.type == "iri" and param.name in values and bindings and param.name in bindings:
            shown[param.name] = prefixed(bindings[param.name].value)
    form = await _form(ctx, stored, shown)
    error = f'<p class="error" role="alert">{esc(problem)}</p>' if problem else ""
    tags = " ".join(f'<a class="tag" href="{esc(ctx.href("/queries", tag=t))}">{esc(t)}</a>' for t in stored.tags)
    body = f"""<p class="crumbs"><a href="{esc(ctx.href('/queries'))}">Stored queries</a> ›</p>
<h1>{esc(stored.summary or stored.name)}</h1>
<p class="summary"><code>{esc(stored.name)}</code> {tags}</p>
<p class="description">{esc(stored.description)}</p>
{form}{error}{outcome_html}
<details class="sparql-block"><summary>SPARQL</summary><pre class="sparql">{esc(stored.text)}</pre></details>
<p class="actions"><a href="{esc(editor_link(stored, values, bindings))}" id="open-in-editor">Open in the editor</a>
 (the query with these parameters bound as a <code>VALUES</code> row)</p>"""
    page = layout(ctx, stored.summary or stored.name, body, scripts=("pages.js",), wide=True)
    return page_response(page, status, {**headers, **({"ETag": tag} if status == 200 else {})})


async def _results(ctx: Ctx, stored: StoredQuery, values: dict[str, str], result: Any) -> str:
    labels = await ctx.labels(results.iris_of(result))
    parts = ['<section class="results-block"><h2>Results</h2>']
    if stored.view == "timeline" and result.kind == "select":
        records = timeline.records_of(result)
        if records:
            records = await timeline.complete(ctx.svc.store, records, labels)
            key = f"query:{stored.name}:{sorted(values.items())}:{ctx.lang}"
            svg = await ctx.svc.store.call(timeline.svg, key, records, stored.summary or stored.name)
            parts.append(f'<div class="figure" id="timeline">{svg}</div>')
    parts.append(results.table(ctx, result, labels))
    link = f"/queries/{quote(stored.name)}?"
    downloads = " · ".join(f'<a href="{esc(link + urlencode({**values, "format": f}))}">{f}</a>'
                           for f in OFFERED[result.kind] if f != "html")
    parts.append(f'<p class="meta">Download: {downloads}</p></section>')
    return "\n".join(parts)


async def _form(ctx: Ctx, stored: StoredQuery, values: dict[str, str]) -> str:
    if not stored.params:
        return '<form class="params" method="get"><button type="submit">Run again</button></form>'
    fields = [await _field(ctx, p, values.get(p.name)) for p in stored.params]
    lang_input = f'<input type="hidden" name="lang" value="{esc(ctx.lang)}">' if ctx.explicit else ""
    return (f'<form class="params" method="get" action="/queries/{esc(quote(stored.name))}">{lang_input}'
            f'{"".join(fields)}<button type="submit">Run</button></form>')


async def _field(ctx: Ctx, p: Param, value: str | None) -> str:
    current = value if value is not None else (p.default or "")
    label = f'<label for="param-{esc(p.name)}">{esc(p.name)}</label>'
    what = f"one of the graph's {p.cls}" if p.type == "iri" and p.cls else p.expected()
    hint = f'<small>{esc(p.description or what)}</small>'
    attrs = f'id="param-{esc(p.name)}" name="{esc(p.name)}"'
    if p.type == "iri" and p.cls:
        control = await _picker(ctx, p, current, attrs)
    elif p.type == "date":
        control = f'<input type="date" {attrs} value="{esc(current)}">'
    elif p.type in ("year", "integer"):
        bounds = ' min="1" max="9999"' if p.type == "year" else ""
        control = f'<input type="number" {attrs}{bounds} value="{esc(current)}">'
    elif p.type == "language":
        options = "".join(f'<option value="{c}"></option>' for c in LANGUAGE_OPTIONS)
        control = (f'<input type="text" {attrs} list="langs-{esc(p.name)}" value="{esc(current)}">'
                   f'<datalist id="langs-{esc(p.name)}">{options}</datalist>')
    else:
        control = f'<input type="text" {attrs} value="{esc(current)}" placeholder="{esc(p.example or "")}">'
    return f'<div class="field">{label}{control}{hint}</div>'


async def _picker(ctx: Ctx, p: Param, current: str, attrs: str) -> str:
    """Instances of the parameter's class from the graph: labels shown, IRIs (prefixed names) sent."""
    assert p.cls is not None
    try:
        chosen = expand(current) if current else ""
    except ValueError:
        chosen = ""
    options = await reads.instances(ctx.svc.store, expand(p.cls))
    labels = await ctx.labels(options)
    options.sort(key=lambda i: (labels.get(i, prefixed(i)).lower(), i))
    if len(options) > PICKER_SELECT_MAX:
        items = "".join(f'<option value="{esc(prefixed(i))}">{esc(labels.get(i, ""))}</option>' for i in options)
        shown = prefixed(chosen) if chosen else current
        return (f'<input type="text" {attrs} list="options-{esc(p.name)}" value="{esc(shown)}" '
                f'placeholder="{esc(p.example or "")}"><datalist id="options-{esc(p.name)}">{items}</datalist>')
    empty = '<option value="">(any)</option>' if p.optional or not p.default else ""
    items = "".join(
        f'<option value="{esc(prefixed(i))}"{" selected" if i == chosen else ""}>{esc(labels.get(i, prefixed(i)))}'
        "</option>" for i in options)
    if current and (not chosen or chosen not in options):  # what was asked for stays in view, even unknown
        items += f'<option value="{esc(current)}" selected>{esc(current)}</option>'
    return f"<select {attrs}>{empty}{items}</select>"


__all__ = ["catalogue_page", "editor_link", "editor_text", "stored_page"]
