"""Find a resource by name in any of the three languages: ``/search?q=`` over labels and
alternative labels ("Путин", "习近平", "USSR"), leading to entity pages; JSON for scripts
(the editor's entity completion asks the same reads through ``/complete``)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg.web.pages import reads
from sinorus_kg.web.pages.common import Ctx, esc, layout, local_href, page_response, prefixed, wants_html

MAX_QUERY = 200


async def search(request: Request) -> Response:
    ctx = Ctx.of(request)
    text = (request.query_params.get("q") or "").strip()[:MAX_QUERY]
    hits = await reads.search(ctx.svc.store, text) if text else []
    labels = await ctx.labels([h.iri for h in hits])
    if not wants_html(request):
        request.state.html = False
        found = [{"iri": h.iri, "name": prefixed(h.iri), "label": labels.get(h.iri) or h.label, "matched": h.label,
                 "lang": h.lang, "page": local_href(h.iri)} for h in hits]
        return Response(json.dumps(found, ensure_ascii=False) + "\n", 200,
                        {"Cache-Control": "no-cache", "Vary": "Accept, Accept-Language"}, media_type="application/json")
    kinds = {h.iri: await reads.specific_types(ctx.svc.store, h.iri) for h in hits}
    kind_labels = await ctx.labels({k for ks in kinds.values() for k in ks})
    items = []
    for h in hits:
        matched = "" if labels.get(h.iri) == h.label else (
            f' <small>matched “<span lang="{esc(h.lang or "")}">{esc(h.label)}</span>”</small>')
        kind = ", ".join(kind_labels.get(k, prefixed(k)) for k in kinds[h.iri])
        items.append(f'<li>{ctx.link(h.iri, labels)}{matched} <span class="kind">{esc(kind)}</span> '
                     f"<code>{esc(prefixed(h.iri))}</code></li>")
    result: str
    if not text:
        result = "<p>Type a name in English, Russian or Chinese.</p>"
    elif not hits:
        result = f"<p>Nothing is named “{esc(text)}”. Try part of a name, or another language.</p>"
    else:
        result = f'<p class="meta">{len(hits)} found</p><ol class="hits">{"".join(items)}</ol>'
    body = f"<h1>Search: {esc(text)}</h1>{result}"
    return page_response(layout(ctx, f"Search {text}", body, query=text))
