"""Finding resources by name, and entity parameters given as a name rather than an identifier.

An analyst reads "Sergey Lavrov" in one answer and wants to ask the next question about him:
a label in English, Russian or Chinese, or a prefixed name with a typo, should lead to the
identifier (``person:sergey-lavrov``) — resolved when it is unambiguous, suggested when not.
The same search serves ``sinorus-kg search`` and the service's ``/search`` page. Only the
project's own query text runs here; a user's text is bound as a literal.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import SR, SRID, expand, shorten
from sinorus_kg.terms import Term

if TYPE_CHECKING:
    from collections.abc import Callable

    from sinorus_kg.catalogue import Param
    from sinorus_kg.engines import Engine

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
MAX_TEXT = 200
# Nodes that only carry another's name ("Time of: …", "Xi Jinping as …, in: …"): ranked last by
# `search`, left out of `find`.
DERIVED = (SRID + "timespan/", SRID + "participation/")


@dataclass(frozen=True)
class Hit:
    """A resource whose (alternative) label matched: the best-matching label of it."""

    iri: str
    label: str
    lang: str | None
    alternative: bool
    rank: tuple[bool, int, int, str]  # (a derived node, 0 exact / 1 prefix / 2 contained, length, label)

    @property
    def exact(self) -> bool:
        """The label is the text searched for (any case)."""
        return self.rank[1] == 0


def search(engine: Engine, text: str, limit: int = 50, cls: str | None = None) -> list[Hit]:
    """Resources and ontology terms whose label or alternative label contains ``text``, any language,
    case-insensitive (only instances of ``cls`` when given); one hit per resource, by its best
    label: exact, then prefix, then contained, shorter first; the time spans and participations,
    whose labels only repeat their event's or holding's name ("Time of: …"), after everything else."""
    wanted = text.strip().lower()[:MAX_TEXT]
    if not wanted:
        return []
    words = wanted.split()
    member = f"?x a <{cls}> . " if cls else ""
    rows = engine.run(
        f"SELECT ?q ?x ?p ?l WHERE {{ VALUES ?p {{ <{LABEL}> <{ALT_LABEL}> }} {member}?x ?p ?l "
        f"FILTER(isIRI(?x) && (STRSTARTS(STR(?x), \"{SRID}\") || STRSTARTS(STR(?x), \"{SR}\")))"
        " FILTER(CONTAINS(LCASE(STR(?l)), ?q)) }", {"q": Term.literal(max(words, key=len))}).rows
    best: dict[str, Hit] = {}
    for _, x, p, label in rows:
        if x is None or p is None or label is None:
            continue
        value = label.value.lower()
        if not all(word in value for word in words):  # "Сергей Лавров" finds "Лавров Сергей Викторович"
            continue
        exact = 0 if value == wanted else 1 if value.startswith(wanted) else 2
        hit = Hit(x.value, label.value, label.lang, p.value == ALT_LABEL,
                  (x.value.startswith(DERIVED), exact, len(label.value), label.value))
        if x.value not in best or hit.rank < best[x.value].rank:
            best[x.value] = hit
    return sorted(best.values(), key=lambda h: (h.rank, h.iri))[:limit]


@dataclass(frozen=True)
class Found:
    """A search result as people read it: the prefixed name a ``--param`` takes, the English label,
    the label that matched (when another), and the kinds of thing it is."""

    name: str
    iri: str
    label: str
    matched: str
    lang: str | None
    kinds: list[str]


def find(engine: Engine, text: str, limit: int = 50) -> list[Found]:
    """``search`` with each hit's English label and most specific classes (as prefixed names), without
    the time spans and participations whose labels only repeat their event's or holding's name."""
    hits = [h for h in search(engine, text, limit * 4) if not h.iri.startswith(DERIVED)][:limit]
    labels = engine.labels([h.iri for h in hits])
    return [Found(shorten(h.iri), h.iri, labels.get(h.iri, h.label), h.label, h.lang,
                  [shorten(k) for k in kinds(engine, h.iri)]) for h in hits]


def kinds(engine: Engine, iri: str) -> list[str]:
    """The resource's most specific classes (the full release also states every superclass)."""
    rows = engine.run(
        f"SELECT DISTINCT ?x ?t WHERE {{ ?x a ?t FILTER NOT EXISTS {{ ?x a ?u . ?u <{SUBCLASS}> ?t "
        "FILTER(?u != ?t) } }", {"x": Term.iri(iri)}).rows
    return sorted(t.value for _, t in rows if t is not None and t.kind == "iri")


def instances(engine: Engine, cls: str) -> list[str]:
    rows = engine.run("SELECT DISTINCT ?c ?x WHERE { ?x a ?c FILTER(isIRI(?x)) }", {"c": Term.iri(cls)}).rows
    return sorted(x.value for _, x in rows if x is not None and x.kind == "iri")


def closest(engine: Engine, cls: str, wanted: str, n: int = 3) -> list[str]:
    """Prefixed names of the instances of ``cls`` closest to ``wanted`` (a prefixed name or IRI with a typo)."""
    import difflib  # only for a typo's suggestions: a cold query given a valid name does not pay for it

    names = [shorten(iri) for iri in instances(engine, cls)]
    typed = shorten(wanted)
    close = difflib.get_close_matches(typed, names, n=n, cutoff=0.6)
    if not close:  # compare local parts: `sergey-lavrv` against `sergey-lavrov`, whatever the prefix
        local = {name.split(":", 1)[-1]: name for name in names}
        close = [local[m] for m in difflib.get_close_matches(typed.split(":", 1)[-1], local, n=n, cutoff=0.6)]
    return close


def _named(engine: Engine, iris: list[str]) -> str:
    labels = engine.labels(iris)
    return ", ".join(f"{shorten(i)} ({labels[i]})" if i in labels else shorten(i) for i in iris)


def cli_search(text: str) -> str:
    """How to find an identifier by name on the command line."""
    return f"find one with `sinorus-kg search {shlex.quote(text)}`"


def resolve(engine: Engine, param: Param, text: str, find_more: Callable[[str], str] = cli_search) -> Term:
    """The instance (of the parameter's class, if it has one) that ``text`` names: the one resource
    whose label or alternative label is ``text`` in any language, case-insensitive. No match or
    several: an InputError naming the candidates and how to find more (``find_more``: on the command
    line by default; the service points to its search page)."""
    cls = _expanded(param.cls)
    hits = search(engine, text, limit=10, cls=cls)
    exact = [h.iri for h in hits if h.exact]
    if len(exact) == 1:
        return Term.iri(exact[0])
    kind = param.cls or "resource"
    find = find_more(text)
    if len(set(exact)) > 1:
        raise InputError(f"parameter {param.name!r}: {text!r} names more than one {kind}: {_named(engine, exact)}; "
                         "pass the prefixed name of the one you mean")
    if hits:
        raise InputError(f"parameter {param.name!r}: no {kind} is named {text!r}; did you mean "
                         f"{_named(engine, [h.iri for h in hits[:3]])}? (pass a prefixed name, or {find})")
    raise InputError(f"parameter {param.name!r}: {text!r} is neither a prefixed name (e.g. {param.example_name()}) "
                     f"nor the name of a {kind}; {find}")


def not_an_instance(engine: Engine, param: Param, term: Term) -> InputError:
    """The error for an IRI that is not an instance of the parameter's class, with the closest ones."""
    cls = _expanded(param.cls)
    close = closest(engine, cls, term.value) if cls else []
    hint = f"; did you mean {_named(engine, [expand(c) for c in close])}?" if close else (
        " (`sinorus-kg search NAME` finds identifiers by name)")
    return InputError(f"parameter {param.name!r}: {shorten(term.value)} is not a {param.cls} in the graph{hint}")


def _expanded(cls: str | None) -> str | None:
    return expand(cls) if cls else None


__all__ = ["Found", "Hit", "cli_search", "closest", "find", "instances", "kinds", "not_an_instance", "resolve",
           "search"]
