"""Shared fixtures: the asserted graph and the full (asserted + OWL 2 RL) graph, built once."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest
from rdflib import Graph

from sinorus_kg.loading import load_sources
from sinorus_kg.reasoning import full_graph

# The release's on-disk store and Jena's helper files go to a cache of the test run's own
# (subprocesses inherit it), never to the user's ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="sinorus-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def asserted_graph() -> Graph:
    return load_sources()


@pytest.fixture(scope="session")
def full(asserted_graph: Graph) -> Graph:
    return full_graph(asserted_graph)
