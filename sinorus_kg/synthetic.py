"""Project-shaped synthetic graphs for scale tests: the asserted data copied under renamed IRIs.

A benchmark on made-up triples measures made-up plans; copying the project's own data keeps
its shape (classes, joins, provenance links, labels in three languages), so whatever the
data model becomes, the synthetic graph follows it. Copy 0 is the data as it is (stored
queries' default parameters still name real resources); copy k renames every resource the
data *defines* (each subject of a data triple, blank nodes included) by appending ``-k``,
and appends `` k`` to labels, so that uniqueness checks still hold. Resources defined by the
ontology, and external IRIs (Wikidata), stay shared, as they would across many documents.
The ontology is included once. The output is N-Triples in an order shuffled by ``seed``:
deterministic, and not pre-sorted in a way a parser or sorter could profit from.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sinorus_kg import resources

__all__ = ["SyntheticGraph", "synthetic", "write_synthetic"]

_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
           "http://www.w3.org/2004/02/skos/core#altLabel")
_SUB_PROPERTY = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"


@dataclass(frozen=True)
class SyntheticGraph:
    ontology: list[Any]   # pyoxigraph Triples, once
    data: list[Any]       # the copies of the data, in shuffled order
    copies: int

    def __len__(self) -> int:
        return len(self.ontology) + len(self.data)


def _parse(paths: Iterable[Path]) -> list[Any]:
    import pyoxigraph as ox

    out: list[Any] = []
    for path in paths:
        out.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return out


def _label_properties(ontology: list[Any]) -> set[str]:
    """rdfs:label, the SKOS labels and every property the ontology declares below them."""
    found = set(_LABELS)
    grew = True
    while grew:
        grew = False
        for t in ontology:
            if t.predicate.value == _SUB_PROPERTY and t.object.value in found and t.subject.value not in found:
                found.add(t.subject.value)
                grew = True
    return found


def _copies(data: list[Any], labels: set[str], copies: int) -> Iterator[Any]:
    import pyoxigraph as ox

    defined = {t.subject for t in data}
    for k in range(copies):
        if k == 0:
            yield from data
            continue
        suffix = f"-{k}"

        def rename(term: Any, suffix: str = suffix) -> Any:
            if term in defined:
                if isinstance(term, ox.BlankNode):
                    return ox.BlankNode(term.value + "x" + suffix[1:])
                return ox.NamedNode(term.value + suffix)
            return term

        for t in data:
            obj = t.object
            if isinstance(obj, ox.Literal) and t.predicate.value in labels:
                obj = ox.Literal(f"{obj.value} {k}", language=obj.language) if obj.language else \
                    ox.Literal(f"{obj.value} {k}", datatype=obj.datatype)
            else:
                obj = rename(obj)
            yield ox.Triple(rename(t.subject), t.predicate, obj)


def synthetic(target_triples: int, seed: int = 13, ontology: Iterable[Path] | None = None,
              data: Iterable[Path] | None = None) -> SyntheticGraph:
    """A graph of about ``target_triples`` asserted triples (whole copies of the data, at least one)."""
    onto = _parse(ontology if ontology is not None else resources.ontology_files())
    facts = _parse(data if data is not None else resources.data_files())
    copies = max(1, round((target_triples - len(onto)) / max(1, len(facts))))
    triples = list(_copies(facts, _label_properties(onto), copies))
    random.Random(seed).shuffle(triples)
    return SyntheticGraph(ontology=onto, data=triples, copies=copies)


def write_synthetic(folder: Path, target_triples: int, seed: int = 13) -> tuple[list[Path], list[Path], int]:
    """Write the ontology (Turtle, as the project's) and the data copies (N-Triples) into ``folder``;
    returns (ontology files, data files, triple count) for ``build``'s and the loaders' arguments."""
    import pyoxigraph as ox

    graph = synthetic(target_triples, seed)
    folder.mkdir(parents=True, exist_ok=True)
    data_file = folder / f"data-{target_triples}.nt"
    ox.serialize(graph.data, str(data_file), format=ox.RdfFormat.N_TRIPLES)
    return resources.ontology_files(), [data_file], len(graph)
