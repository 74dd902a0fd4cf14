"""sinorus-kg: a source-grounded knowledge graph of Soviet/Russian–Chinese relations.

Heavy libraries (rdflib, pyshacl, owlready2) are imported only where they are used, so
that importing the package and running a stored query on Oxigraph stays fast; so is
``KnowledgeGraph`` (its module brings the query sandbox, which stored queries do not use).
"""

from __future__ import annotations

from sinorus_kg.catalogue import Catalogue, StoredQuery
from sinorus_kg.engines import QueryResult
from sinorus_kg.errors import ChecksFailed, InputError, SinorusError
from sinorus_kg.namespaces import SR, SRID
from sinorus_kg.terms import Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from typing import Any

    from sinorus_kg.knowledge_graph import KnowledgeGraph


def __getattr__(name: str) -> Any:
    if name == "KnowledgeGraph":
        from sinorus_kg.knowledge_graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'sinorus_kg' has no attribute {name!r}")


__version__ = "0.2.0"

__all__ = [
    "SR", "SRID", "Catalogue", "ChecksFailed", "InputError", "KnowledgeGraph", "QueryResult",
    "SinorusError", "StoredQuery", "Term", "__version__",
]
