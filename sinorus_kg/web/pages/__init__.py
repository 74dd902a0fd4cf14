"""The analyst's pages on the SPARQL service: the query page (YASGUI), the stored-query
catalogue, entity pages at ``/id/…`` (Linked Data), the document reader at ``/source``,
search, the ontology documentation, the OpenAPI description, completion for the editor.

They read the graph only through the project's store (``reads``); the model-specific names
they need are in ``model``. Each page module is one page.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from sinorus_kg.web.pages import complete, entity, ontology, openapi, search, source
from sinorus_kg.web.static_files import mount

ROUTES: list[BaseRoute] = [
    Route("/id/{path:path}", entity.entity, methods=["GET"], name="entity"),
    Route("/source", source.source, methods=["GET"], name="source"),
    Route("/search", search.search, methods=["GET"], name="search"),
    Route("/complete", complete.complete, methods=["GET"], name="complete"),
    Route("/labels", complete.labels, methods=["POST"], name="labels"),
    Route("/ontology", ontology.ontology, methods=["GET"], name="ontology"),
    Route("/openapi.json", openapi.openapi, methods=["GET"], name="openapi"),
    mount(),
]

__all__ = ["ROUTES"]
