"""Running a user's SPARQL safely: the policy (decided on the parse that runs), the worker
process's network isolation and limits, and the query-worker contract shared by the CLI, the
Python API and the server (``worker.py`` documents it).

- ``policy``: what is refused, judged on rdflib's parse of the escape-expanded text;
- ``isolation``: the worker's network block (namespace, seccomp) and memory cap;
- ``protocol``: ``QueryRequest`` / ``QueryAnswer`` and the frames on the pipe;
- ``formats``: content negotiation and serialisation to bytes;
- ``execute``: one request inside the worker; ``child``: the worker process;
- ``worker``: ``QueryWorker``, the parent's handle on one worker.
"""

from sinorus_kg.sandbox.protocol import QueryAnswer, QueryFailed, QueryRequest
from sinorus_kg.sandbox.worker import QueryWorker, WorkerUnavailable

__all__ = ["QueryAnswer", "QueryFailed", "QueryRequest", "QueryWorker", "WorkerUnavailable"]
