"""The map of renamed IRIs (old → new), shipped with the release so importers can follow it.

``data/iri-renames.tsv`` is the curated list (old IRI, new IRI, version, reason); the
release carries it as it is and as Turtle, each old IRI ``dcterms:isReplacedBy`` its new
one (Dublin Core's term for a resource that supplants another — not ``owl:sameAs``, which
would merge the two and double answers after reasoning).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from sinorus_kg import resources
from sinorus_kg.errors import InputError

__all__ = ["Rename", "renames", "renames_graph", "renames_file"]


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    version: str
    reason: str


def renames_file() -> Path:
    return resources.data_dir() / "iri-renames.tsv"


def renames(path: Path | None = None) -> list[Rename]:
    """The renames in file order; a malformed row is an InputError naming the line."""
    source = path or renames_file()
    rows: list[Rename] = []
    with open(source, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header != ["old_iri", "new_iri", "version", "reason"]:
            raise InputError(f"{source}: line 1: expected the header old_iri, new_iri, version, reason")
        for number, row in enumerate(reader, start=2):
            if len(row) != 4 or not all(row[:3]):
                raise InputError(f"{source}: line {number}: expected 4 tab-separated columns")
            rows.append(Rename(*row))
    return rows


def renames_graph(rows: list[Rename] | None = None) -> Graph:
    """Each old IRI ``dcterms:isReplacedBy`` its new IRI, with the version and the reason."""
    graph = Graph()
    graph.bind("dcterms", str(DCTERMS))
    graph.bind("srid", "https://w3id.org/sinorus/id/")
    for row in rows if rows is not None else renames():
        old = URIRef(row.old)
        graph.add((old, DCTERMS.isReplacedBy, URIRef(row.new)))
        graph.add((old, RDFS.comment, Literal(f"Renamed in {row.version}: {row.reason}", lang="en")))
    return graph
