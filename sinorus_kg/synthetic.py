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

__all__ = ["SyntheticGraph", "copies_for", "synthetic", "write_release_copies", "write_synthetic"]

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
    copies = copies_for(target_triples, len(onto), len(facts))
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


def copies_for(target_triples: int, ontology_triples: int, data_triples: int) -> int:
    """How many copies of the data make about ``target_triples`` asserted triples (at least one)."""
    return max(1, round((target_triples - ontology_triples) / max(1, data_triples)))


_IRI_MARK, _LABEL_MARK = "\x00", "\x01"  # cannot occur in N-Triples (control characters are escaped)


def _release_template(full: Path, data: Path, ontology: Path) -> tuple[str, str, int, int]:
    """The full release split in two N-Triples texts: the triples every copy shares (the
    ontology and what follows from it alone), written once, and the triples of one copy, with a
    marker where a copy's IRI suffix and label suffix go (as ``_copies`` renames them)."""
    import pyoxigraph as ox

    facts = list(ox.parse(path=str(data), format=ox.RdfFormat.TURTLE))
    onto = list(ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE))
    defined = {t.subject for t in facts}
    labels = _label_properties(onto)
    shared, per_copy = [], []

    def term(value: Any, label: bool) -> str:
        text = str(value)
        if value in defined:
            return text[:-1] + _IRI_MARK + ">"
        if label and isinstance(value, ox.Literal):
            end = text.rfind('"')
            return text[:end] + _LABEL_MARK + text[end:]
        return text

    for t in ox.parse(path=str(full), format=ox.RdfFormat.TURTLE):
        if t.subject in defined or t.object in defined:
            per_copy.append(f"{term(t.subject, False)} {t.predicate} {term(t.object, t.predicate.value in labels)} .\n")
        else:
            shared.append(f"{t.subject} {t.predicate} {t.object} .\n")
    return "".join(shared), "".join(per_copy), len(onto), len(facts)


def write_release_copies(release: Path, target_triples: int, out: Path) -> dict[str, Any]:
    """The full release of a synthetic graph of about ``target_triples`` asserted triples, made by
    copying the release in ``release`` (``sinorus-full.ttl``) instead of building the copies.

    Valid because the copies are disjoint: copy k renames every resource the data defines, and the
    only terms copies share are the ontology's and external IRIs, about which the data asserts
    nothing. The build's rules (hierarchy types, inverses, transitive and chain closures) join a
    triple of copy k only with the ontology or with copy k, so the build of k copies is the
    ontology's closure plus k renamed copies of the document's own per-copy inferences — which
    is what is written here (``tests/test_synthetic_release.py`` compares the two on a real
    build). Streams N-Triples (one block of text per copy, so 10M triples never become Python
    objects) into ``out``; returns the counts and the file's SHA-256."""
    import hashlib

    shared, per_copy, n_onto, n_data = _release_template(release / "sinorus-full.ttl", release / "sinorus-data.ttl",
                                                         release / "sinorus-ontology.ttl")
    copies = copies_for(target_triples, n_onto, n_data)
    digest = hashlib.sha256()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as handle:
        for k in range(-1, copies):
            if k < 0:
                text = shared
            else:
                text = per_copy.replace(_IRI_MARK, f"-{k}" if k else "").replace(_LABEL_MARK, f" {k}" if k else "")
            block = text.encode("utf-8")
            digest.update(block)
            handle.write(block)
    return {"copies": copies, "triples": n_onto + copies * n_data,
            "full": shared.count("\n") + copies * per_copy.count("\n"), "sha256": digest.hexdigest()}
