"""The full release of k copies of the data equals k renamed copies of the document's full release.

``bench_scale.py --release-by-copy`` times the stored queries at 10M triples on a release made
by copying (building 10M would need ~25 GB); this holds it to the release a real build makes.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from sinorus_kg import resources
from sinorus_kg.build import build
from sinorus_kg.catalogue import Catalogue
from sinorus_kg.engines import CATALOGUE_GRAPH, OxigraphEngine
from sinorus_kg.synthetic import write_release_copies, write_synthetic


def _split(path: Path) -> tuple[set[ox.Triple], int]:
    """The triples without blank nodes, and how many have one (the ontology's axioms: their labels
    differ between two serialisations, so they are counted, not compared)."""
    plain, blank = set(), 0
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            blank += 1
        else:
            plain.add(t.triple)
    return plain, blank


def test_copies_of_the_release_are_the_release_of_the_copies(tmp_path: Path) -> None:
    size = 12_000  # three copies of the data: copy 0 as it is, two renamed
    onto, data, count = write_synthetic(tmp_path / "graph", size)
    built = tmp_path / "built"
    build(built, consistency=False, validator="sparql", ontology=onto, data=data)  # the checks are not the point
    info = write_release_copies(resources.release_dir(), size, tmp_path / "copied.nt")
    assert info["copies"] == 3 and info["triples"] == count
    built_plain, built_blank = _split(built / "sinorus-full.ttl")
    copied_plain, copied_blank = _split(tmp_path / "copied.nt")
    assert built_plain == copied_plain
    assert built_blank == copied_blank > 0
    assert info["full"] == len(copied_plain) + copied_blank
    catalogue = (resources.release_dir() / "catalogue.ttl", CATALOGUE_GRAPH)
    engines = [OxigraphEngine.from_files([(built / "sinorus-full.ttl", None), catalogue]),
               OxigraphEngine.from_files([(tmp_path / "copied.nt", None), catalogue])]
    for stored in Catalogue.load():
        answers = [engine.run(stored.sparql(), stored.bindings()) for engine in engines]
        assert len(answers[0].rows) == len(answers[1].rows), stored.name
        assert sorted(map(repr, answers[0].rows)) == sorted(map(repr, answers[1].rows)), stored.name
