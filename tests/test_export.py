"""Exports are deterministic (whatever PYTHONHASHSEED) and written atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sinorus_kg import export
from sinorus_kg.export import write_atomic

SAMPLE = """
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a ex:p [ ex:q "one"@en ; ex:r ( ex:x ex:y ) ] , [ ex:q "two" ] ; rdfs:label "A"@en, "А"@ru, "甲"@zh .
ex:b ex:p [ ex:q "three" ] ; ex:n 3 .
"""

SCRIPT = """
import sys
from rdflib import Graph
from sinorus_kg.export import serialize
g = Graph().parse(data=sys.argv[1], format="turtle")
sys.stdout.buffer.write(b"".join(serialize(g, f) for f in ("ttl", "nt", "jsonld", "xml")))
"""


def _run(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", SCRIPT, SAMPLE], env=env, check=True,
                          capture_output=True).stdout


def test_bytes_do_not_depend_on_hash_seed() -> None:
    outputs = {_run(seed) for seed in ("0", "1", "12345")}
    assert len(outputs) == 1


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml"])
def test_round_trip_is_isomorphic(fmt: str) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    graph = Graph().parse(data=SAMPLE, format="turtle")
    back = Graph().parse(data=export.serialize(graph, fmt), format={"ttl": "turtle", "nt": "nt",
                                                                    "jsonld": "json-ld", "xml": "xml"}[fmt])
    assert isomorphic(graph, back)


def test_unknown_format_is_refused() -> None:
    from rdflib import Graph

    from sinorus_kg.errors import InputError

    with pytest.raises(InputError, match="unknown export format 'owl'"):
        export.serialize(Graph(), "owl")


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "x.ttl", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "x.ttl").stat().st_mode & 0o777 == 0o644
