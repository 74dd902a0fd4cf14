"""The pages' reads of the graph: small queries the project writes itself, run on the
in-process read-only store (never in the user-query pool), values bound as RDF terms.

What does not depend on the request (the sentences, who cites them, the external-record
notes, the events' dates) is read once: the release does not change while serving.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sinorus_kg import lookup
from sinorus_kg.engines import QueryResult
from sinorus_kg.lookup import Hit
from sinorus_kg.terms import Term
from sinorus_kg.web.pages import model
from sinorus_kg.web.store import ProjectStore

T = TypeVar("T")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


async def once(store: ProjectStore, key: str, make: Callable[[], Awaitable[T]]) -> T:
    """``make()``'s value, computed once per store (the release is fixed while serving)."""
    cache: dict[str, Any] = store.__dict__.setdefault("_page_cache", {})
    if key not in cache:
        cache[key] = await make()
    value: T = cache[key]
    return value


def _iri(term: Term | None) -> str | None:
    return term.value if term is not None and term.kind == "iri" else None


@dataclass
class Description:
    """Every triple about a resource, both directions."""

    iri: str
    outgoing: list[tuple[str, Term]] = field(default_factory=list)  # (predicate, object)
    incoming: list[tuple[str, Term]] = field(default_factory=list)  # (predicate, subject)

    @property
    def empty(self) -> bool:
        return not self.outgoing and not self.incoming

    def values(self, predicate: str) -> list[Term]:
        return [o for p, o in self.outgoing if p == predicate]


async def describe(store: ProjectStore, iri: str) -> Description:
    out = await store.run("SELECT ?x ?p ?o WHERE { ?x ?p ?o }", {"x": Term.iri(iri)})
    into = await store.run("SELECT ?x ?p ?s WHERE { ?s ?p ?x }", {"x": Term.iri(iri)})
    return Description(
        iri,
        sorted(((r[1].value, r[2]) for r in out.rows if r[1] is not None and r[2] is not None),
               key=lambda x: (x[0], x[1].kind, x[1].lang or "", x[1].value)),
        sorted(((r[1].value, r[2]) for r in into.rows if r[1] is not None and r[2] is not None),
               key=lambda x: (x[0], x[1].value)))


async def graph_of(store: ProjectStore, iri: str) -> QueryResult:
    """The resource's description as RDF: its triples both ways (as Wikidata and DBpedia serve)."""
    return await store.run("CONSTRUCT { ?x ?p ?o . ?s ?q ?x } WHERE { { ?x ?p ?o } UNION { ?s ?q ?x } }",
                           {"x": Term.iri(iri)})


async def specific_types(store: ProjectStore, iri: str) -> list[str]:
    """The resource's most specific classes (the full release also states every superclass)."""
    rows = (await store.run(
        f"SELECT DISTINCT ?x ?t WHERE {{ ?x a ?t FILTER NOT EXISTS {{ ?x a ?u . ?u <{model.SUBCLASS}> ?t "
        "FILTER(?u != ?t) } }", {"x": Term.iri(iri)})).rows
    return sorted(t for t in (_iri(r[1]) for r in rows) if t)


async def search(store: ProjectStore, text: str, limit: int = 50) -> list[Hit]:
    """Resources and ontology terms named ``text`` (``lookup.search``: any language, best match first)."""
    return await store.call(lookup.search, store.engine, text, limit)


async def instances(store: ProjectStore, cls: str) -> list[str]:
    rows = (await store.run("SELECT DISTINCT ?c ?x WHERE { ?x a ?c FILTER(isIRI(?x)) }", {"c": Term.iri(cls)})).rows
    return sorted(x for x in (_iri(r[1]) for r in rows) if x)


@dataclass
class Sentence:
    iri: str
    index: int
    begin: int
    end: int
    text: str
    document: str | None
    no_fact_reason: str | None = None

    @property
    def anchor(self) -> str:
        """The sentence's id in the document page (srcr-s18)."""
        return local_name(self.iri)


def local_name(iri: str) -> str:
    """An IRI's last segment: a sentence's anchor in the reader (srcr-s18), a document's name (srcr)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


async def sentences(store: ProjectStore) -> list[Sentence]:
    """Every sentence resource (anything with a sentence text), in document order."""
    async def read() -> list[Sentence]:
        rows = (await store.run(
            f"SELECT ?s ?i ?b ?e ?t ?d ?r WHERE {{ ?s <{model.SENTENCE_TEXT}> ?t "
            f"OPTIONAL {{ ?s <{model.SENTENCE_INDEX}> ?i }} OPTIONAL {{ ?s <{model.BEGIN}> ?b }} "
            f"OPTIONAL {{ ?s <{model.END}> ?e }} OPTIONAL {{ ?s <{model.PART_OF}> ?d }} "
            f"OPTIONAL {{ ?s <{model.NO_FACT_REASON}> ?r }} }}")).rows
        found: dict[str, Sentence] = {}
        for s, i, b, e, t, d, r in rows:
            if s is None or t is None or s.value in found:
                continue
            found[s.value] = Sentence(s.value, _int(i), _int(b), _int(e), t.value, _iri(d),
                                      r.value if r is not None else None)
        return sorted(found.values(), key=lambda x: (x.document or "", x.begin, x.index, x.iri))

    return await once(store, "sentences", read)


def _int(term: Term | None) -> int:
    try:
        return int(term.value) if term is not None else 0
    except ValueError:
        return 0


async def citations(store: ProjectStore) -> dict[str, list[tuple[str, str]]]:
    """Sentence IRI → [(fact IRI, predicate IRI)] for every resource pointing at a sentence."""
    async def read() -> dict[str, list[tuple[str, str]]]:
        rows = (await store.run(
            f"SELECT DISTINCT ?s ?f ?p WHERE {{ ?s <{model.SENTENCE_TEXT}> ?t . ?f ?p ?s FILTER(isIRI(?f)) }}")).rows
        out: dict[str, list[tuple[str, str]]] = {}
        for s, f, p in rows:
            if s is not None and f is not None and p is not None:
                out.setdefault(s.value, []).append((f.value, p.value))
        for facts in out.values():
            facts.sort()
        return out

    return await once(store, "citations", read)


@dataclass(frozen=True)
class Note:
    iri: str
    text: str
    source: str


async def notes(store: ProjectStore) -> dict[str, list[Note]]:
    """Fact IRI → the external-record notes annotating it (where other records differ)."""
    async def read() -> dict[str, list[Note]]:
        rows = (await store.run(
            f"SELECT ?n ?f ?c ?src WHERE {{ ?n a <{model.NOTE_CLASS}> ; <{model.ANNOTATES}> ?f "
            f"OPTIONAL {{ ?n <{model.COMMENT}> ?c }} OPTIONAL {{ ?n <{model.NOTE_SOURCE}> ?src }} }}")).rows
        out: dict[str, list[Note]] = {}
        for n, f, c, src in rows:
            if n is not None and f is not None:
                note = Note(n.value, c.value if c else "", src.value if src else "")
                if note not in out.setdefault(f.value, []):
                    out[f.value].append(note)
        return out

    return await once(store, "notes", read)


async def timeline_rows(store: ProjectStore) -> list[dict[str, Any]]:
    """The rows of the stored timeline query (every dated event), as typed records."""
    async def read() -> list[dict[str, Any]]:
        stored = store.catalogue.get(model.TIMELINE_QUERY)
        result = await store.run(stored.sparql(), stored.bindings({}))
        records = result.records()
        for record, row in zip(records, result.rows, strict=True):
            for column, term in zip(result.columns, row, strict=True):
                if term is not None and term.kind == "iri":
                    record[column] = term.value
        return records

    return await once(store, "timeline", read)


async def types_of(store: ProjectStore, iris: list[str]) -> dict[str, set[str]]:
    """IRI → its classes, for colouring timeline rows by kind of event."""
    async def read() -> dict[str, set[str]]:
        rows = (await store.run(f"SELECT ?x ?t WHERE {{ ?x a ?t . ?x a <{model.EVENT_CLASS}> }}")).rows
        out: dict[str, set[str]] = {}
        for x, t in rows:
            if x is not None and t is not None:
                out.setdefault(x.value, set()).add(t.value)
        return out

    every = await once(store, "event-types", read)
    return {i: every.get(i, set()) for i in iris}
