"""Reasoning: the OWL 2 RL closure for the *full* release, and HermiT's consistency check.

The full release is for engines without a reasoner, so it keeps only entailments a
query could use: types from the class hierarchy, inverse, symmetric, transitive and
property-chain closures. Axiomatic noise (``x owl:sameAs x``, ``x a owl:Thing``, every
term typed as a resource, datatype facts about literals) is dropped.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from sinorus_kg.errors import ChecksFailed

_NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, RDF.Property,
                OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                RDFS.Datatype}
_NOISE_PREDICATES = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty,
                     RDFS.subClassOf, RDFS.subPropertyOf, OWL.differentFrom, OWL.disjointWith,
                     OWL.propertyDisjointWith, RDFS.domain, RDFS.range, OWL.inverseOf}


def entailments(asserted: Graph) -> Graph:
    """The useful OWL 2 RL entailments of ``asserted`` (not including the asserted triples)."""
    import owlrl

    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    inferred = Graph()
    for s, p, o in closure:
        if (s, p, o) in asserted or not _useful(s, p, o):
            continue
        inferred.add((s, p, o))
    return inferred


def _useful(s: object, p: object, o: object) -> bool:
    if isinstance(s, Literal) or isinstance(p, BNode):
        return False
    if p == RDF.type:
        return o not in _NOISE_TYPES and isinstance(o, URIRef)
    # Schema-level entailments (the subclass closure etc.) are TBox noise for a data consumer.
    return p not in _NOISE_PREDICATES


def full_graph(asserted: Graph) -> Graph:
    """Asserted triples plus useful entailments: what engines without a reasoner load."""
    full = Graph()
    for prefix, ns in asserted.namespaces():
        full.bind(prefix, ns, override=True, replace=True)
    for triple in asserted:
        full.add(triple)
    for triple in entailments(asserted):
        full.add(triple)
    return full


@dataclass
class ConsistencyReport:
    consistent: bool
    unsatisfiable: list[str]
    message: str = ""


def java_available() -> bool:
    return shutil.which("java") is not None


def check_consistency(asserted: Graph | bytes) -> ConsistencyReport:
    """Run HermiT (owlready2) on ontology + data; report inconsistency and unsatisfiable classes.

    owlready2 reads N-Triples, not Turtle, so the graph is handed over as N-Triples (or given
    as N-Triples bytes by the build, which never makes an rdflib graph at scale).
    ``xsd:date`` is outside the OWL 2 datatype map: HermiT is told to ignore such datatypes.
    """
    if not java_available():
        raise ChecksFailed(
            "HermiT needs Java, which was not found on PATH. Install a JRE "
            "(Debian/Ubuntu: `apt-get install default-jre-headless`) or set JAVA_HOME and PATH."
        )
    import tempfile

    import owlready2

    from sinorus_kg import scratch
    from sinorus_kg.errors import InputError
    from sinorus_kg.source_check import OWL_IMPORTS

    imports = OWL_IMPORTS.encode() in asserted if isinstance(asserted, bytes) else (
        (None, URIRef(OWL_IMPORTS), None) in asserted)
    if imports:  # the loaders refuse them; HermiT must never see one
        raise InputError("the graph declares owl:imports, which HermiT would follow: refused")
    # owlready2 writes HermiT's copy of the graph with tempfile; keep it (and ours) in this process's
    # scratch folder, which the next run removes if a kill leaves it behind.
    folder = scratch.process_dir()
    saved, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            nt = Path(tmp) / "kg.nt"
            nt.write_bytes(asserted if isinstance(asserted, bytes)
                           else asserted.serialize(format="nt", encoding="utf-8"))
            world = owlready2.World()
            onto = world.get_ontology(nt.as_uri()).load()
            try:
                with onto:
                    owlready2.sync_reasoner_hermit(
                        world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
                    )
            except owlready2.OwlReadyInconsistentOntologyError as exc:
                return ConsistencyReport(False, [], f"HermiT: the ontology plus data is inconsistent ({exc})")
            unsat = sorted(c.iri for c in world.inconsistent_classes())
            return ConsistencyReport(True, unsat)
    finally:
        tempfile.tempdir = saved
