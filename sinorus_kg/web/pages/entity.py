"""Entity pages (Linked Data): ``/id/…`` for every resource ``https://w3id.org/sinorus/id/…``.

A browser gets a page: labels in en/ru/zh, the kind, every fact in both directions with
labels, its events on a small timeline, the sentences that attest it (linked to their place
in the document), external records beside the document's claim, the Wikidata link. Any other
client gets the resource's description as RDF by content negotiation (Turtle, N-Triples,
JSON-LD, RDF/XML; ``?format=`` too), as Wikidata and DBpedia answer, so that the w3id IRIs
dereference once the namespace redirects to a deployment.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sinorus_kg.terms import Term
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.negotiation import NotAcceptable, content_type, negotiate
from sinorus_kg.web.pages import model, reads, timeline
from sinorus_kg.web.pages.common import Ctx, esc, layout, local_href, page_response, prefixed
from sinorus_kg.web.pages.rdf import serialize
from sinorus_kg.web.routes import conditional, etag

ALTERNATES = (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"), ("xml", "RDF/XML"))


async def entity(request: Request) -> Response:
    ctx = Ctx.of(request)
    path = request.path_params["path"]
    iri = model.RESOURCES + path
    moved = ctx.svc.store.renamed.get(iri)
    if moved is not None:  # an IRI of an earlier release (the release's iri-renames.tsv): where it went
        target = (local_href(moved) or moved) + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(target, 301, {"Cache-Control": "max-age=86400"})
    try:
        fmt = negotiate("graph", request.headers.get("accept"), request.query_params.get("format"))
    except NotAcceptable as exc:
        raise HttpError(exc.status, str(exc)) from None
    tag = etag(ctx.svc, "entity", iri, fmt.name, ctx.lang)
    alternates = ", ".join(f'</id/{quote(path)}?format={name}>; rel="alternate"; type="{_media(name)}"'
                           for name, _ in ALTERNATES)
    headers = {"Vary": "Accept, Accept-Language", "Cache-Control": "no-cache", "Link": alternates}
    cached = conditional(request, tag, headers)
    if cached is not None:
        return cached
    if fmt.name != "html":
        request.state.html = False
        result = await reads.graph_of(ctx.svc.store, iri)
        if not result.triples:
            raise HttpError(404, f"nothing is known about <{iri}> in this release")
        return Response(serialize(result.triples, fmt.name), 200, {**headers, "ETag": tag},
                        media_type=content_type(fmt))
    body = await entity_page(ctx, iri)
    return page_response(body, 200, {**headers, "ETag": tag})


def _media(name: str) -> str:
    from sinorus_kg.web.negotiation import FORMATS

    return FORMATS[name].media_type


async def entity_page(ctx: Ctx, iri: str) -> str:
    store = ctx.svc.store
    desc = await reads.describe(store, iri)
    if desc.empty:
        raise HttpError(404, f"nothing is known about <{iri}> in this release (search for it at /search)")
    kinds = await reads.specific_types(store, iri)
    sentences = {s.iri: s for s in await reads.sentences(store)}
    notes = (await reads.notes(store)).get(iri, [])
    linked = {o.value for _, o in desc.outgoing if o.kind == "iri"} | {s.value for _, s in desc.incoming}
    events = [r for r in await reads.timeline_rows(store) if str(r["event"]) in linked | {iri}]
    iris = {iri, *kinds, *linked, *(p for p, _ in desc.outgoing), *(p for p, _ in desc.incoming)}
    labels = await ctx.labels(iris)
    title = labels.get(iri) or prefixed(iri)

    parts = [f'<h1>{esc(title)}</h1>',
             f'<p class="iri"><code>{esc(iri)}</code> · <code>{esc(prefixed(iri))}</code>'
             + "".join(f' <span class="kind">{ctx.link(k, labels)}</span>' for k in kinds) + "</p>",
             _names(desc), _wikidata(desc)]
    if iri in sentences:
        parts.append(_sentence_box(ctx, sentences[iri]))
    cited = list({o.value: sentences[o.value] for _, o in desc.outgoing if o.value in sentences}.values())
    if cited or notes:
        parts.append(_attestation(ctx, cited, notes, desc, labels))
    if events:
        records = await timeline.complete(store, [dict(r) for r in events], labels)
        drawable = [r for r in records if r.get("start") is not None]
        if drawable:
            svg = await store.call(timeline.svg, f"entity:{iri}:{ctx.lang}", drawable, f"Events: {title}")
            parts.append(f'<h2>Events</h2><div class="figure">{svg}</div>')
        parts.append(_event_table(ctx, events, labels))
    parts.append(_facts(ctx, "Facts", desc.outgoing, labels, sentences))
    parts.append(_facts(ctx, "Referenced by", desc.incoming, labels, sentences))
    downloads = " · ".join(f'<a href="{esc("/id/" + quote(iri[len(model.RESOURCES):]) + "?format=" + name)}">'
                           f'{esc(label)}</a>' for name, label in ALTERNATES)
    query = f"SELECT ?p ?o WHERE {{\n  <{iri}> ?p ?o .\n}}\n"
    parts.append(f'<p class="meta">This description as RDF: {downloads} · '
                 f'<a href="{esc(ctx.href("/", query=query))}">query it in the editor</a></p>')
    head = "".join(f'<link rel="alternate" type="{_media(n)}" href="?format={n}">' for n, _ in ALTERNATES)
    return layout(ctx, title, "\n".join(parts), head=head)


def _names(desc: reads.Description) -> str:
    rows = []
    for predicate, word in ((model.LABEL, "label"), (model.ALT_LABEL, "also known as")):
        values = desc.values(predicate)
        if not values:
            continue
        shown = " · ".join(f'<span lang="{esc(v.lang or "")}">{esc(v.value)}</span>'
                           f'{f" <small>{esc(v.lang)}</small>" if v.lang else ""}' for v in values)
        rows.append(f"<tr><th>{word}</th><td>{shown}</td></tr>")
    for predicate, word in ((model.DEFINITION, "definition"), (model.COMMENT, "note")):
        for v in desc.values(predicate):
            rows.append(f"<tr><th>{word}</th><td>{esc(v.value)}</td></tr>")
    return f'<table class="names">{"".join(rows)}</table>' if rows else ""


def _wikidata(desc: reads.Description) -> str:
    links = [o.value for _, o in desc.outgoing if o.kind == "iri" and o.value.startswith(model.WIKIDATA)]
    if not links:
        return ""
    shown = " ".join(f'<a class="external" href="{esc("https://www.wikidata.org/wiki/" + w[len(model.WIKIDATA):])}"'
                     f' rel="noopener noreferrer">Wikidata {esc(w[len(model.WIKIDATA):])}</a>' for w in links)
    return f'<p class="wikidata">Same as: {shown}</p>'


def sentence_href(ctx: Ctx, sentence: reads.Sentence) -> str:
    return ctx.href("/source", sentence=sentence.anchor) + "#" + sentence.anchor


def quote_sentence(ctx: Ctx, sentence: reads.Sentence) -> str:
    return (f'<blockquote class="sentence"><p>{esc(sentence.text)}</p>'
            f'<footer><a href="{esc(sentence_href(ctx, sentence))}">sentence {sentence.index} in the document</a>'
            "</footer></blockquote>")


def _sentence_box(ctx: Ctx, sentence: reads.Sentence) -> str:
    reason = f"<p>No encodable fact: {esc(sentence.no_fact_reason)}</p>" if sentence.no_fact_reason else ""
    return "<h2>The sentence</h2>" + quote_sentence(ctx, sentence) + reason


def _attestation(ctx: Ctx, cited: list[reads.Sentence], notes: list[reads.Note], desc: reads.Description,
                 labels: dict[str, str]) -> str:
    by_sentence: dict[str, str] = {}  # sentence -> how it is cited: a plain citation wins over context
    for p, o in desc.outgoing:
        if by_sentence.get(o.value) not in model.CITES:
            by_sentence[o.value] = p
    claims = "".join(f'<div class="claim">{_how(by_sentence.get(s.iri, ""), labels)}{quote_sentence(ctx, s)}</div>'
                     for s in sorted(cited, key=lambda s: (s.begin, s.index)))
    records = "".join(
        f'<div class="note"><p class="how">External record — not the document\'s claim</p><p>{esc(n.text)}</p>'
        f'<p class="source">Source: {esc(n.source)}</p></div>' for n in notes)
    column = f'<div class="records">{records}</div>' if records else ""
    return ('<h2>What the document says</h2><p class="meta">The sentences that attest it, each linked to its '
            f'place in the document.</p><div class="attestation"><div class="claims">{claims}</div>{column}</div>')


def _how(predicate: str, labels: dict[str, str]) -> str:
    """Nothing for a plain citation; the relation's name otherwise (e.g. a sentence cited for context)."""
    if predicate in model.CITES:
        return ""
    return f'<p class="how">{esc(labels.get(predicate) or prefixed(predicate))}</p>'



def _event_table(ctx: Ctx, events: list[dict[str, object]], labels: dict[str, str]) -> str:
    rows = []
    for r in events:
        iri = str(r["event"])
        when = esc(str(r.get("when") or r.get("earliestBegin") or r.get("latestBegin") or ""))
        sentence = ""
        if r.get("sentence") and r.get("sentenceText"):
            anchor = reads.local_name(str(r["sentence"]))
            sentence = (f'<a href="{esc(ctx.href("/source", sentence=anchor) + "#" + anchor)}">'
                        f'{esc(r["sentenceText"])}</a>')
        rows.append(f"<tr><td>{when}</td><td>{ctx.link(iri, labels)}</td><td class=\"quote\">{sentence}</td></tr>")
    return ('<table class="events"><thead><tr><th>when</th><th>event</th><th>reported in</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _facts(ctx: Ctx, heading: str, facts: list[tuple[str, Term]], labels: dict[str, str],
           sentences: dict[str, reads.Sentence]) -> str:
    if not facts:
        return ""
    grouped: dict[str, list[Term]] = {}
    for predicate, value in facts:
        grouped.setdefault(predicate, []).append(value)
    rows = []
    for predicate, values in grouped.items():
        cells = []
        for v in values:
            if v.kind == "iri":
                extra = ""
                if v.value in sentences:
                    extra = f' <span class="quote">“{esc(sentences[v.value].text)}”</span>'
                cells.append(f"<li>{ctx.link(v.value, labels)}{extra}</li>")
            elif v.kind == "bnode":
                cells.append("<li><em>(blank node)</em></li>")
            else:
                tag = f' <small>@{esc(v.lang)}</small>' if v.lang else (
                    f' <small>{esc(prefixed(v.datatype))}</small>' if v.datatype else "")
                cells.append(f'<li><span lang="{esc(v.lang or "")}">{esc(v.value)}</span>{tag}</li>')
        rows.append(f'<tr><th>{ctx.link(predicate, labels)}</th><td><ul>{"".join(cells)}</ul></td></tr>')
    count = sum(len(v) for v in grouped.values())
    return f'<h2>{esc(heading)} <small>({count})</small></h2><table class="facts">{"".join(rows)}</table>'

