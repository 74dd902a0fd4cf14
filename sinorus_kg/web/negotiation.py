"""Content negotiation: which result format answers a request, by ``format=`` or ``Accept``.

The kind of result (SELECT rows, an ASK boolean, a CONSTRUCT/DESCRIBE graph) is only known
once the query is parsed, and the parse happens in a worker; so a request is negotiated for
every kind at once (``choose``), and the worker picks the format of the kind it finds.
``Accept`` follows RFC 9110: quality values, ``*/*`` and ``type/*``, the most specific range
deciding a type's quality, ``q=0`` excluding it; ties go to the client's order, then ours.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("select", "ask", "graph")


@dataclass(frozen=True)
class Format:
    """A result format: the worker's short name and the media type sent as Content-Type."""

    name: str
    media_type: str
    textual: bool = True  # gets "; charset=utf-8"


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("srj", "application/sparql-results+json"),
    Format("srx", "application/sparql-results+xml"),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
    Format("json", "application/json"),
    Format("ttl", "text/turtle"),
    Format("nt", "application/n-triples"),
    Format("jsonld", "application/ld+json"),
    Format("xml", "application/rdf+xml"),
    Format("html", "text/html"),
)}

# What each kind can be sent as, our preference first (the first is the default).
OFFERED: dict[str, tuple[str, ...]] = {
    "select": ("srj", "srx", "csv", "tsv", "json", "html"),
    "ask": ("srj", "srx", "csv", "tsv", "json", "html"),
    "graph": ("ttl", "nt", "jsonld", "xml", "html"),
}

# Other media types clients send for the same formats, per kind.
_ALIASES: dict[str, dict[str, str]] = {
    "select": {"application/xml": "srx"},
    "ask": {"application/xml": "srx"},
    "graph": {"application/xml": "xml", "application/x-turtle": "ttl",
              "text/n3": "ttl", "text/plain": "nt", "application/json": "jsonld"},
}
# Names accepted in ``format=`` (besides the short names and the media types), per kind.
_FORMAT_WORDS: dict[str, dict[str, str]] = {
    "select": {"json": "json", "xml": "srx", "sparql-results+json": "srj", "sparql-results+xml": "srx",
               "text": "tsv"},
    "ask": {"json": "json", "xml": "srx", "sparql-results+json": "srj", "sparql-results+xml": "srx",
            "text": "tsv"},
    "graph": {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "json": "jsonld",
              "rdfxml": "xml", "rdf/xml": "xml", "xml": "xml", "rdf": "xml", "text": "nt"},
}


class NotAcceptable(Exception):
    """No offered format fits: 406 (Accept) or 400 (``format=``), with the offers named."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    quality: float
    order: int

    def matches(self, media_type: str) -> int:
        """How specifically this range matches: 2 exact, 1 ``type/*``, 0 ``*/*``, -1 not at all."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a malformed item is skipped, a bad q counts as 0."""
    ranges: list[MediaRange] = []
    for order, item in enumerate((header or "").split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(kind, sub, quality, order))
    return ranges


def _quality(ranges: list[MediaRange], media_type: str) -> tuple[float, int]:
    """A media type's quality under the most specific matching range, and that range's position."""
    best: tuple[int, float, int] | None = None
    for r in ranges:
        level = r.matches(media_type)
        if level >= 0 and (best is None or level > best[0]):
            best = (level, r.quality, r.order)
    return (0.0, 0) if best is None else (best[1], best[2])


def negotiate(kind: str, accept: str | None, fmt: str | None = None, html: bool = True) -> Format:
    """The format for a result of ``kind``: ``format=`` wins, then Accept; absent both, the default.

    ``html`` says whether an HTML rendering is on offer (it is not on every route).
    """
    offered = [name for name in OFFERED[kind] if html or name != "html"]
    if fmt is not None:
        key = fmt.strip().lower()
        name = _FORMAT_WORDS[kind].get(key) or (key if key in FORMATS else _by_media(kind, key))
        if name not in offered:
            raise NotAcceptable(f"format {fmt!r} does not fit a {_label(kind)} result "
                                f"(choose one of: {', '.join(offered)})", 400)
        return FORMATS[name]
    ranges = parse_accept(accept)
    if not ranges:
        return FORMATS[offered[0]]
    candidates: list[tuple[float, int, int, str]] = []
    for preference, name in enumerate(offered):
        media_types = [FORMATS[name].media_type] + [m for m, n in _ALIASES[kind].items() if n == name]
        scored = [_quality(ranges, m) for m in media_types]
        quality, order = max(scored, key=lambda s: (s[0], -s[1]))
        if name == "html" and not any(r.matches("text/html") == 2 for r in ranges):
            continue  # a page only for a client that names text/html (a browser), never via */*
        if quality > 0:
            candidates.append((-quality, order, preference, name))
    if not candidates:
        raise NotAcceptable(f"none of the Accept types fits a {_label(kind)} result (offered: "
                            f"{', '.join(FORMATS[n].media_type for n in offered)})", 406)
    return FORMATS[min(candidates)[3]]


def _by_media(kind: str, media: str) -> str | None:
    for name in OFFERED[kind]:
        if FORMATS[name].media_type == media:
            return name
    return _ALIASES[kind].get(media)


def choose(accept: str | None, fmt: str | None = None, html: bool = True) -> dict[str, Format | NotAcceptable]:
    """The negotiated format for every kind of result (or why none fits), before the query runs."""
    out: dict[str, Format | NotAcceptable] = {}
    for kind in KINDS:
        try:
            out[kind] = negotiate(kind, accept, fmt, html)
        except NotAcceptable as exc:
            out[kind] = exc
    return out


def media_types(kind: str) -> list[str]:
    """Every media type a result of ``kind`` can be sent as (for the service description)."""
    return [FORMATS[n].media_type for n in OFFERED[kind] if n != "html"]


def _label(kind: str) -> str:
    return {"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT/DESCRIBE"}[kind]


def content_type(fmt: Format) -> str:
    return f"{fmt.media_type}; charset=utf-8" if fmt.textual else fmt.media_type
