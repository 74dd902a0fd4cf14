"""The project's own reads: a read-only store in the server process, beside the worker pool.

Listing the catalogue, ``/health``, checking a parameter's class, labelling a results
table — and, for the pages built on this service, pickers, entity pages and the document
page — are queries the project writes itself, small and bounded. They run here, on
threads of their own (``anyio`` with a separate limiter), so they never queue behind an
analyst's query in the pool. Only the project's own query text runs here; a user's text
never does. The release is the on-disk store opened read-only, or loaded into memory when the
workers keep theirs there (``serve --store``, ``store_choice``): nothing here writes to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote

import anyio

from sinorus_kg import resources
from sinorus_kg.catalogue import Catalogue, StoredQuery
from sinorus_kg.dataset_description import FILE_NAME as VOID_FILE
from sinorus_kg.engines import Engine, QueryResult, open_engine
from sinorus_kg.renames import renames
from sinorus_kg.terms import Term

T = TypeVar("T")
READ_THREADS = 4
RENAMES_FILE = "iri-renames.tsv"  # the release's map of renamed IRIs (``renames``)


def _search_page(text: str) -> str:
    """How to find an identifier by name here (``lookup.resolve``'s advice)."""
    return "find one on the search page, /search?q=" + quote(text)


class ProjectStore:
    """The release on an in-process engine, the catalogue, and the release's checksum."""

    def __init__(self, engine: Engine, catalogue: Catalogue, checksum: str, void_ttl: bytes | None):
        self.engine = engine
        self.catalogue = catalogue
        self.checksum = checksum
        self.void_ttl = void_ttl
        self.triples: int | None = None
        self.renamed: dict[str, str] = {}  # an IRI of an earlier release -> the IRI it became
        self.limiter = anyio.CapacityLimiter(READ_THREADS)

    @classmethod
    def open(cls, engine: str = "oxigraph", store: str = "disk") -> ProjectStore:
        """The built release (the one the workers open), read-only; ``store``: on the on-disk
        store or loaded into memory (``engines.open_release``)."""
        folder = resources.release_dir()
        sums = folder / "SHA256SUMS"
        checksum = hashlib.sha256(sums.read_bytes()).hexdigest() if sums.exists() else "unbuilt"
        void_path = folder / VOID_FILE
        project = cls(open_engine(engine, store=store), Catalogue.load(), checksum,
                      void_path.read_bytes() if void_path.exists() else None)
        rows = project.engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows  # once: /health says it
        project.triples = int(rows[0][0].value) if rows and rows[0][0] is not None else 0
        if (folder / RENAMES_FILE).exists():
            project.renamed = {r.old: r.new for r in renames(folder / RENAMES_FILE)}
        return project

    async def call(self, func: Callable[..., T], *args: Any) -> T:
        """Run a blocking read on the store's own threads."""
        return await anyio.to_thread.run_sync(partial(func, *args), limiter=self.limiter)

    async def run(self, sparql: str, bindings: dict[str, Term] | None = None,
                  max_rows: int | None = None) -> QueryResult:
        return await self.call(self.engine.run, sparql, bindings, max_rows)

    async def labels(self, iris: list[str], lang: str = "en") -> dict[str, str]:
        return await self.call(self.engine.labels, iris, lang)

    async def bindings(self, stored: StoredQuery, values: dict[str, str]) -> dict[str, Term]:
        """Typed RDF terms for a stored query's parameters, as on the command line: an entity given
        by name ("Sergey Lavrov", "习近平") is looked up (``lookup.resolve``), and an IRI given for
        a parameter declared with a class must name an instance of it (InputError if not)."""
        return await self.call(self._bindings, stored, values)

    def _bindings(self, stored: StoredQuery, values: dict[str, str]) -> dict[str, Term]:
        from sinorus_kg.lookup import resolve

        bindings = stored.bindings(values, resolve=partial(resolve, self.engine, find_more=_search_page))
        for param in stored.params:
            if param.name in bindings:
                param.check_class(self.engine, bindings[param.name])
        return bindings
