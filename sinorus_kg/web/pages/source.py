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
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.pages import model, reads
from sinorus_kg.web.pages.common import Ctx, esc, layout, page_response
from sinorus_kg.web.routes import conditional, etag


async def source(request: Request) -> Response:
    ctx = Ctx.of(request)
    focus = request.query_params.get("sentence") or ""
    moved = ctx.svc.store.renamed.get(model.RESOURCES + "sentence/" + focus) if focus else None
    if moved is not None:  # a link of an earlier release (?sentence=s18): the sentence's anchor now
        anchor = quote(reads.local_name(moved), safe="-._~")
        return RedirectResponse(f"/source?sentence={anchor}#{anchor}", 301, {"Cache-Control": "max-age=86400"})
    wanted = request.query_params.get("document") or ""
    tag = etag(ctx.svc, "source", ctx.lang, focus, wanted)
    headers = {"Vary": "Accept-Language", "Cache-Control": "no-cache"}
    cached = conditional(request, tag, headers)
    if cached is not None:
        return cached
    return page_response(await source_page(ctx, focus, wanted), 200, {**headers, "ETag": tag})


def shown_documents(documents: list[str], sentences: list[reads.Sentence], focus: str, wanted: str) -> list[str] | None:
    """The documents the reader shows: the one asked for (``?document=``, its IRI's last segment),
    else the one holding the focused sentence, else the only one; None for the list of documents
    (a release of many documents: at 1M triples, 274 of them made a 14.6 MB page that took 7 s)."""
    if wanted:
        chosen = [d for d in documents if reads.local_name(d) == wanted]
        if not chosen:
            raise HttpError(404, f"no document {wanted!r} in this release (the list is at /source)")
        return chosen
    if len(documents) <= 1:
        return documents
    holding = [s.document for s in sentences if focus and s.anchor == focus and s.document]
    return holding[:1] or None


async def source_page(ctx: Ctx, focus: str, wanted: str = "") -> str:
    store = ctx.svc.store
    sentences = await reads.sentences(store)
    cites = await reads.citations(store)
    notes = await reads.notes(store)
    documents_set = {s.document for s in sentences}
    documents = sorted({s.document for s in sentences if s.document})
    shown = shown_documents(documents, sentences, focus, wanted)
    if shown is None:
        return await _document_list(ctx, documents, sentences)
    crumbs = ""
    if shown != documents:
        crumbs = f'<p class="crumbs"><a href="{esc(ctx.href("/source"))}">All {len(documents)} documents</a> ›</p>'
        sentences = [s for s in sentences if s.document in shown]
        documents = shown
        cites = {s.iri: cites[s.iri] for s in sentences if s.iri in cites}
    facts = {f for pairs in cites.values() for f, _ in pairs if f not in documents_set}
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
    parts = [crumbs, '<h1>The source document</h1>',
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


async def _document_list(ctx: Ctx, documents: list[str], sentences: list[reads.Sentence]) -> str:
    """The release's documents, each with its sentence count and a link to its own page."""
    labels = await ctx.labels(documents)
    counts: dict[str, int] = {}
    for sentence in sentences:
        if sentence.document:
            counts[sentence.document] = counts.get(sentence.document, 0) + 1
    items = "".join(
        f'<li><a href="{esc(ctx.href("/source", document=reads.local_name(d)))}">'
        f"{esc(labels.get(d) or d)}</a> <small>{counts.get(d, 0)} sentences</small></li>" for d in documents)
    body = (f"<h1>The source documents</h1><p class=\"lead\">{len(documents)} documents, {len(sentences)} "
            f"sentences. Open one to read it with the facts drawn from each sentence.</p><ol>{items}</ol>")
    return layout(ctx, "The source documents", body, wide=True)


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
