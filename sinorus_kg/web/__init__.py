"""The SPARQL service: Starlette on Hypercorn in front of a pool of sandboxed query workers.

Modules, one concept each: ``app`` (the ASGI application and its routes' wiring),
``routes`` (handlers), ``protocol`` (reading a SPARQL 1.1 Protocol request),
``negotiation`` (formats and Accept), ``execution`` (the sandboxed query worker of
``sinorus_kg.sandbox`` as the service uses it), ``pool`` (the workers: queue, priorities,
cancellation), ``store`` (the project's own reads), ``service_description``, ``guards``
(Host, cross-site, CORS), ``access_log``, ``errors``, ``config`` and ``server`` (Hypercorn:
deadlines, backlog, bounded connections); ``pages/`` and ``static/`` are the analyst's pages.
"""

from sinorus_kg.web.app import ROUTES, create_app
from sinorus_kg.web.config import ServiceConfig
from sinorus_kg.web.errors import HttpError
from sinorus_kg.web.execution import WorkerKit
from sinorus_kg.web.routes import Service, conditional, etag, run_sparql
from sinorus_kg.web.server import serve
from sinorus_kg.web.store import ProjectStore

__all__ = ["ROUTES", "HttpError", "ProjectStore", "Service", "ServiceConfig", "WorkerKit", "conditional",
           "create_app", "etag", "run_sparql", "serve"]
