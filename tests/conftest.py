"""Shared fixtures: the asserted graph and the full (asserted + OWL 2 RL) graph, built once."""

from __future__ import annotations

import pytest
from rdflib import Graph

from sinorus_kg.loading import load_sources
from sinorus_kg.reasoning import full_graph


@pytest.fixture(scope="session")
def asserted_graph() -> Graph:
    return load_sources()


@pytest.fixture(scope="session")
def full(asserted_graph: Graph) -> Graph:
    return full_graph(asserted_graph)
