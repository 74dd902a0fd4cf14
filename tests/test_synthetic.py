"""Synthetic graphs keep the project's shape as the model changes: every kind of resource the data
defines is copied under a new IRI, and a copy satisfies the same shapes as the original."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from sinorus_kg import jena
from sinorus_kg.namespaces import PREFIXES, SRID
from sinorus_kg.synthetic import synthetic


@pytest.fixture(scope="module")
def two_copies() -> object:
    graph = synthetic(10_000)
    assert graph.copies == 2
    return graph


def _kind(iri: str) -> str:
    return iri[len(SRID):].split("/", 1)[0]


def test_every_kind_the_data_defines_is_copied(two_copies) -> None:  # type: ignore[no-untyped-def]
    subjects = {t.subject.value for t in two_copies.data
                if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(SRID)}
    originals = {s for s in subjects if not s.endswith("-1")}
    kinds = {_kind(s) for s in originals}
    # model 0.2's kinds among them: time spans, office terms, sovereignty periods, documents
    assert {"timespan", "term", "sovereignty", "document", "sentence", "participation"} <= kinds
    assert {f"{s}-1" for s in originals} <= subjects, "a resource of the data has no renamed copy"
    assert kinds <= {ns[len(SRID):].rstrip("/") for ns in PREFIXES.values() if ns.startswith(SRID)}


@pytest.mark.skipif(not jena.available() and not os.environ.get("CI"), reason=jena.INSTALL_HINT)
def test_a_copy_conforms_to_the_shapes(two_copies) -> None:  # type: ignore[no-untyped-def]
    """Document-scoped shapes (sentence count, period, first attesting sentence) hold per copy:
    each copy has its own document node and sentences."""
    from sinorus_kg.shacl_fast import validate_jena

    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in two_copies.ontology + two_copies.data)
    report = validate_jena(dataset)
    assert report.conforms, [(r.focus, r.source_shape) for r in report.results if r.severity == "Violation"][:5]
    assert not [r for r in report.results if r.severity != "Info"]
