"""The committed release is what a build makes, byte for byte; a bad build leaves it intact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinorus_kg import resources
from sinorus_kg.cli import app

RELEASE = resources.release_dir()


@pytest.mark.slow
def test_rebuild_matches_committed_release(tmp_path: Path) -> None:
    """Built with another PYTHONHASHSEED than `make release` used: also proves determinism."""
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([sys.executable, "-m", "sinorus_kg", "build", "--out", str(tmp_path)], env=env,
                   check=True, capture_output=True)
    built = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in RELEASE.iterdir() if not p.name.startswith("."))
    assert built == committed
    stale = [name for name in built if (tmp_path / name).read_bytes() != (RELEASE / name).read_bytes()]
    assert not stale, f"release/ is stale ({', '.join(stale)}): run `make release` and commit it"


def test_data_failing_shacl_is_refused_and_release_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(resources.data_dir(), data)
    (data / "zz-bad.ttl").write_text(
        "@prefix sr: <https://w3id.org/sinorus/ontology#> .\n"
        "@prefix event: <https://w3id.org/sinorus/id/event/> .\n"
        "event:bogus-visit a sr:OfficialVisit .\n", encoding="utf-8")
    monkeypatch.setattr(resources, "data_dir", lambda: data)
    out = tmp_path / "release"
    shutil.copytree(RELEASE, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = CliRunner().invoke(app, ["build", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "bogus-visit" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_ontology_rdfxml_loads_in_owlready2() -> None:
    """The TBox as RDF/XML is what Protégé opens; owlready2 reads the same file offline."""
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((RELEASE / "sinorus-ontology.rdf").as_uri()).load()
    names = {c.name for c in onto.classes()}
    assert {"Event", "Person", "State", "Office", "Treaty", "DialogueMechanism"} <= names


@pytest.mark.parametrize(("name", "fmt"), [("sinorus.nt", "nt"), ("sinorus.jsonld", "json-ld"),
                                           ("sinorus.rdf", "xml")])
def test_every_format_says_the_same_as_the_turtle(name: str, fmt: str) -> None:
    """Other formats must not drift: e.g. JSON-LD must keep the order of RDF lists (property chains)."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    turtle = Graph().parse(RELEASE / "sinorus.ttl", format="turtle")
    other = Graph().parse(RELEASE / name, format=fmt)
    assert isomorphic(turtle, other)


def test_python_api_validates_and_exports_what_the_release_holds() -> None:
    from sinorus_kg import KnowledgeGraph

    assert KnowledgeGraph.validate().conforms
    assert KnowledgeGraph.export("ttl") == (RELEASE / "sinorus.ttl").read_bytes()


def test_data_file_and_ontology_file_make_the_asserted_release() -> None:
    """Importers who load the ontology separately take sinorus-data.ttl: together they are sinorus.ttl."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    data = Graph().parse(RELEASE / "sinorus-data.ttl", format="turtle")
    ontology = Graph().parse(RELEASE / "sinorus-ontology.ttl", format="turtle")
    asserted = Graph().parse(RELEASE / "sinorus.ttl", format="turtle")
    assert isomorphic(data + ontology, asserted)
    assert not {s for s in data.subjects() if str(s).startswith("https://w3id.org/sinorus/ontology")}
