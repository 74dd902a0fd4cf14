"""What every page shares: the layout (header, search box, language choice), escaping,
where an IRI is shown on this server, labels in the reader's language, the CSP.

Every page is HTML rendered here from escaped values, with scripts and styles only from
``/static/``; the Content-Security-Policy (``connect-src 'self'`` among others) lets the
browser make no request outside this server, whatever a page, a permalink or the
vendored YASGUI tries.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg.namespaces import shorten
from sinorus_kg.sandbox.formats import weighted
from sinorus_kg.web.negotiation import parse_accept
from sinorus_kg.web.pages import model
from sinorus_kg.web.routes import Service, service
from sinorus_kg.web.static_files import asset

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "zh": "中文"}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def local_href(iri: str) -> str | None:
    """Where this server shows ``iri``: resources at /id/…, ontology terms at /ontology#…,
    stored queries at /queries/…; None for IRIs of other sites (linked as they are)."""
    if iri.startswith(model.RESOURCES):
        return "/id/" + quote(iri[len(model.RESOURCES):], safe="/-._~")
    if iri.startswith(model.ONTOLOGY):
        return "/ontology#" + quote(iri[len(model.ONTOLOGY):], safe="-._~")
    if iri.startswith(model.QUERIES):
        return "/queries/" + quote(iri[len(model.QUERIES):], safe="-._~")
    return None


def choose_lang(request: Request) -> tuple[str, bool]:
    """The label language: ``?lang=`` (explicit), else the best of Accept-Language, else English."""
    asked = (request.query_params.get("lang") or "").strip().lower()
    if asked in model.LANGUAGES:
        return asked, True
    for tag in weighted(request.headers.get("accept-language") or ""):
        if tag.split("-")[0] in model.LANGUAGES:
            return tag.split("-")[0], False
    return "en", False


@dataclass
class Ctx:
    """One request as the pages see it: the service, the label language, and the search text."""

    svc: Service
    lang: str
    explicit: bool
    request: Request

    @classmethod
    def of(cls, request: Request) -> Ctx:
        request.state.html = True
        lang, explicit = choose_lang(request)
        return cls(service(request), lang, explicit, request)

    def href(self, path: str, **params: str) -> str:
        """A link on this server that keeps an explicit ``?lang=``."""
        if self.explicit:
            params = {**params, "lang": self.lang}
        if not params:
            return path
        path, hash_mark, fragment = path.partition("#")
        joiner = "&" if "?" in path else "?"
        return path + joiner + urlencode(params) + hash_mark + fragment

    def link(self, iri: str, labels: dict[str, str], cls: str = "") -> str:
        """An IRI as a link by its label (its prefixed name on hover); other sites' IRIs open there."""
        shown = labels.get(iri) or shorten(iri)
        local = local_href(iri)
        klass = f' class="{cls}"' if cls else ""
        title = esc(shorten(iri))
        if local is not None:
            return f'<a{klass} href="{esc(self.href(local))}" title="{title}">{esc(shown)}</a>'
        return (f'<a{klass} href="{esc(iri)}" title="{title}" rel="noopener noreferrer" '
                f'class="external">{esc(shown)}</a>')

    async def labels(self, iris: list[str] | set[str]) -> dict[str, str]:
        """Labels in the reader's language, falling back to English, then to any label."""
        wanted = sorted({i for i in iris if i})
        found = await self.svc.store.labels(wanted, self.lang)
        if self.lang != "en":
            missing = [i for i in wanted if i not in found]
            if missing:
                found.update(await self.svc.store.labels(missing, "en"))
        return found


def layout(ctx: Ctx, title: str, body: str, *, scripts: tuple[str, ...] = (), styles: tuple[str, ...] = (),
           query: str = "", head: str = "", wide: bool = False) -> str:
    """The page: header with navigation, the search box (labels in en/ru/zh) and the language choice."""
    nav = [("/", "Query"), ("/queries", "Stored queries"), ("/source", "Document"), ("/ontology", "Ontology"),
           ("/openapi.json", "API")]
    links = " ".join(f'<a href="{esc(ctx.href(path))}">{esc(name)}</a>' for path, name in nav)
    path = ctx.request.url.path
    params = {k: v for k, v in ctx.request.query_params.items() if k != "lang"}
    current = ' aria-current="true"'
    langs = " ".join(
        f'<a href="{esc(path + "?" + urlencode({**params, "lang": code}))}" hreflang="{code}" lang="{code}"'
        f'{current if code == ctx.lang else ""}>{esc(name)}</a>'
        for code, name in LANGUAGE_NAMES.items())
    lang_input = f'<input type="hidden" name="lang" value="{esc(ctx.lang)}">' if ctx.explicit else ""
    css = "".join(f'<link rel="stylesheet" href="{esc(asset(s))}">' for s in ("site.css", *styles))
    js = "".join(f'<script src="{esc(asset(s))}" defer></script>' for s in scripts)
    return f"""<!doctype html>
<html lang="{esc(ctx.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · sinorus-kg</title><link rel="icon" href="data:,">{css}{js}{head}</head>
<body><header class="top"><a class="brand" href="{esc(ctx.href('/'))}">sinorus-kg</a>
<nav>{links}</nav>
<form class="search" role="search" method="get" action="/search">{lang_input}
<input type="search" name="q" value="{esc(query)}" placeholder="Search: Putin, 习近平, USSR…"
 aria-label="Search labels">
<button type="submit">Search</button></form>
<span class="langs" title="label language">{langs}</span></header>
<main class="{'wide' if wide else 'narrow'}">
{body}
</main>
<footer>Soviet/Russian–Chinese relations, 1949–2014: every fact points to the sentence it comes from.
Data CC BY 4.0 · <a href="{esc(ctx.href('/sparql'))}">SPARQL endpoint</a> ·
<a href="/.well-known/void">VoID</a></footer>
</body></html>
"""


def page_response(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    base = {"Content-Security-Policy": CSP, "Vary": "Accept, Accept-Language", "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    return Response(body, status, {**base, **(headers or {})}, media_type="text/html; charset=utf-8")


def wants_html(request: Request) -> bool:
    """True when the client names text/html in Accept with the highest quality (a browser)."""
    fmt = (request.query_params.get("format") or "").lower()
    if fmt:
        return fmt == "html"
    ranges = parse_accept(request.headers.get("accept"))
    html_q = max((r.quality for r in ranges if r.matches("text/html") == 2), default=0.0)
    other_q = max((r.quality for r in ranges if r.matches("text/html") != 2 and r.type != "*"
                   and not (r.type == "text" and r.subtype == "*")), default=0.0)
    return html_q > 0 and html_q >= other_q


def prefixed(iri: str) -> str:
    return shorten(iri)
