"""The document as a reader (``/source``): the source text, every sentence marked and linked
to the facts it supports (each fact's page quotes the sentence and links back here), the
coverage figures on top, and external-record notes where other records differ.

Sentences are found in the graph by their text and placed by their offsets; the gaps
between them (paragraph breaks) come from the document file when it is shipped.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sinorus_kg import resources
from sinorus_kg.web.pages import model, reads
from sinorus_kg.web.pages.common import Ctx, esc, layout, page_response
from sinorus_kg.web.routes import conditional, etag


async def source(request: Request) -> Response:
    ctx = Ctx.of(request)
    focus = request.query_params.get("sentence") or ""
    moved = ctx.svc.store.renamed.get(model.RESOURCES + "sentence/" + focus) if focus else None
    if moved is not None:  # a link of an earlier release (?sentence=s18): the sentence's anchor now
        anchor = quote(moved.rsplit("/", 1)[-1], safe="-._~")
        return RedirectResponse(f"/source?sentence={anchor}#{anchor}", 301, {"Cache-Control": "max-age=86400"})
    tag = etag(ctx.svc, "source", ctx.lang, focus)
    headers = {"Vary": "Accept-Language", "Cache-Control": "no-cache"}
    cached = conditional(request, tag, headers)
    if cached is not None:
        return cached
    return page_response(await source_page(ctx, focus), 200, {**headers, "ETag": tag})


async def source_page(ctx: Ctx, focus: str) -> str:
    store = ctx.svc.store
    sentences = await reads.sentences(store)
    cites = await reads.citations(store)
    notes = await reads.notes(store)
    documents_set = {s.document for s in sentences}
    facts = {f for pairs in cites.values() for f, _ in pairs if f not in documents_set}
    documents = sorted({s.document for s in sentences if s.document})
    docs_info = await _documents(ctx, documents)
    labels = await ctx.labels(facts | set(documents))

    covered = [s for s in sentences if _is_covered([(f, p) for f, p in cites.get(s.iri, []) if f != s.document])]
    explained = [s for s in sentences if s not in covered and s.no_fact_reason]
    unaccounted = len(sentences) - len(covered) - len(explained)
    differing = {n.iri for f in facts for n in notes.get(f, [])}
    share = f"{100 * len(covered) / len(sentences):.0f}%" if sentences else "–"
    figures = (f'<ul class="figures"><li><b>{len(sentences)}</b> sentences</li>'
               f'<li><b>{len(covered)}</b> cited by a fact ({share})</li>'
               f'<li><b>{len(explained)}</b> carry no encodable fact (reason given)</li>'
               f'<li><b>{unaccounted}</b> unaccounted</li>'
               f'<li><b>{len(facts)}</b> resources cite them</li>'
               f'<li><b>{len(differing)}</b> external records differ from the document</li></ul>')
    parts = ['<h1>The source document</h1>',
             '<p class="lead">Every sentence of the document, with the facts the knowledge graph draws from it. '
             "Follow a fact to its page; every fact's page quotes its sentence and links back here.</p>",
             figures]
    for document in documents or [""]:
        mine = [s for s in sentences if (s.document or "") == document]
        title = labels.get(document) or "Document"
        text = docs_info.get(document)
        parts.append(f'<section class="document"><h2>{esc(title)}</h2>')
        parts.append(_body(ctx, mine, text, cites, notes, labels, focus))
        parts.append("</section>")
    return layout(ctx, "The source document", "\n".join(parts), wide=True)


def _is_covered(pairs: list[tuple[str, str]]) -> bool:
    return any(p in model.CITES or p in model.CONTEXT for _, p in pairs)



async def _documents(ctx: Ctx, documents: list[str]) -> dict[str, str]:
    """Document IRI → its text, read from the file the graph names (inside the project's resources)."""
    out: dict[str, str] = {}
    root = resources.resource_root().resolve()
    for document in documents:
        desc = await reads.describe(ctx.svc.store, document)
        for value in desc.values(model.DOCUMENT_PATH):
            path = (root / value.value).resolve()
            if path.is_file() and root in path.parents:
                out[document] = _read(path)
                break
    return out


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _body(ctx: Ctx, sentences: list[reads.Sentence], text: str | None, cites: dict[str, list[tuple[str, str]]],
          notes: dict[str, list[reads.Note]], labels: dict[str, str], focus: str) -> str:
    paragraphs: list[list[reads.Sentence]] = [[]]
    previous: reads.Sentence | None = None
    for s in sentences:
        if previous is not None and text is not None and "\n" in text[previous.end:s.begin]:
            paragraphs.append([])
        paragraphs[-1].append(s)
        previous = s
    out = []
    for number, paragraph in enumerate(p for p in paragraphs if p):
        rows = "".join(_sentence(ctx, s, cites.get(s.iri, []), notes, labels, focus) for s in paragraph)
        out.append(f'<div class="paragraph" data-paragraph="{number + 1}">{rows}</div>')
    return "\n".join(out)


def _sentence(ctx: Ctx, s: reads.Sentence, pairs: list[tuple[str, str]], notes: dict[str, list[reads.Note]],
              labels: dict[str, str], focus: str) -> str:
    klass = "srow highlight" if s.anchor == focus else "srow"
    facts: dict[str, bool] = {}
    for fact, predicate in pairs:
        if fact != s.document:  # the document's own link to its parts is not a fact
            facts[fact] = facts.get(fact, False) or predicate in model.CITES
    items = []
    for fact in sorted(facts, key=lambda f: (not facts[f], labels.get(f, f))):
        context = "" if facts[fact] else ' <small class="context">(context)</small>'
        items.append(f"<li>{ctx.link(fact, labels)}{context}</li>")
    seen: set[str] = set()
    records = []
    for fact in facts:
        for note in notes.get(fact, []):
            if note.iri not in seen:
                seen.add(note.iri)
                records.append(f'<li class="note"><span class="how">External record:</span> {esc(note.text)} '
                               f'<small>({esc(note.source)})</small></li>')
    reason = (f'<li class="reason">No encodable fact: {esc(s.no_fact_reason)}</li>'
              if s.no_fact_reason and not facts else "")
    side = "".join(items) + reason + "".join(records)
    return (f'<div class="{klass}" id="{esc(s.anchor)}" data-sentence="{esc(s.iri)}">'
            f'<p class="text"><a class="number" href="#{esc(s.anchor)}" title="sentence {s.index}">{s.index}</a> '
            f'{esc(s.text)}</p><ul class="facts">{side}</ul></div>')
