"""The fast pipeline (pyoxigraph parse, rules, pyoxigraph serialisation) against the references.

The release files that grow with the data are written by ``fast_export`` since the
scale work: their bytes changed from rdflib's layout (blank-node labels are RDFC-1.0's
``c14nN``, Turtle indents and groups as pyoxigraph does, JSON-LD lists RDF lists as
``rdf:first``/``rdf:rest`` nodes), but not their meaning: each is the same graph as the
reference pipeline (rdflib parse, owlrl closure, rdflib serialisation) makes.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from sinorus_kg import resources
from sinorus_kg.errors import InputError
from sinorus_kg.fast_export import serialize_triples
from sinorus_kg.loading import load_sources, load_triples

RELEASE = resources.release_dir()
PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


@pytest.mark.parametrize(("name", "fmt", "flavour"), [
    ("sinorus.ttl", "turtle", "asserted"), ("sinorus.nt", "nt", "asserted"), ("sinorus.jsonld", "json-ld", "asserted"),
    ("sinorus.rdf", "xml", "asserted"), ("sinorus-full.ttl", "turtle", "full"), ("sinorus-data.ttl", "turtle", "data")])
def test_release_says_what_the_reference_pipeline_says(name: str, fmt: str, flavour: str, asserted_graph: Graph,
                                                       full: Graph) -> None:
    committed = Graph().parse(RELEASE / name, format=fmt)
    reference = {"asserted": asserted_graph, "full": full, "data": load_sources(ontology=[])}[flavour]
    assert isomorphic(committed, reference)


SAMPLE = """@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a ex:p [ ex:q "one"@en ; ex:r ( ex:x ex:y ) ] , [ ex:q "two" ] ; rdfs:label "A"@en, "А"@ru, "甲"@zh .
ex:b ex:p [ ex:q "three" ] ; ex:n 3 ; ex:text "line\\nbreak \\"quoted\\"" ;
    ex:nn "5"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .
"""
SCRIPT = """
import sys, pyoxigraph as ox
from sinorus_kg.fast_export import serialize_triples
triples = list(ox.parse(sys.argv[1], format=ox.RdfFormat.TURTLE))
sys.stdout.buffer.write(b"".join(serialize_triples(triples, f) for f in ("ttl", "nt", "jsonld", "xml")))
"""


def test_bytes_do_not_depend_on_hash_seed_or_input_order() -> None:
    outputs = set()
    for seed in ("0", "1", "777"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(subprocess.run([sys.executable, "-c", SCRIPT, SAMPLE], env=env, check=True,
                                   capture_output=True).stdout)
    triples = list(ox.parse(SAMPLE, format=ox.RdfFormat.TURTLE))
    outputs.add(b"".join(serialize_triples(list(reversed(triples)), f) for f in ("ttl", "nt", "jsonld", "xml")))
    assert len(outputs) == 1


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml"])
def test_round_trip_keeps_every_term(fmt: str) -> None:
    """Datatypes such as xsd:nonNegativeInteger survive (an Oxigraph *store* would make them xsd:integer)."""
    reference = Graph().parse(data=SAMPLE, format="turtle")
    data = serialize_triples(list(ox.parse(SAMPLE, format=ox.RdfFormat.TURTLE)), fmt)
    assert isomorphic(Graph().parse(data=data, format=PARSERS[fmt]), reference)


def test_turtle_stays_readable() -> None:
    text = (RELEASE / "sinorus.ttl").read_text(encoding="utf-8")
    assert text.startswith("@prefix ")
    assert "\nperson:xi-jinping a sr:Person ;\n    rdfs:label " in text  # prefixed names, grouped subjects
    assert "\n\n" in text and "\t" not in text


def test_syntax_error_names_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl: line 3: Turtle syntax error"):
        load_triples([bad])


EDGE = """@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:b ex:n 3, -4, +5, 1.5, .5, 1e3, 1.E-2, "1."^^xsd:decimal, "abc"^^xsd:integer, true, "1"^^xsd:boolean,
    "2014-05-20"^^xsd:date, "x"^^ex:dt, "y"^^<urn:dt> , <http://example.org/> ;
    ex:text "line\\nbreak \\"quoted\\" tab\\t bs\\\\ ctl\\u0001 del\\u007f é \\U0001F600" .
rdf:type a rdf:Property ; ex:p rdf:type . ex:q rdf:type rdf:type .
<http://example.org/a.b.> ex:p <http://example.org/-x>, <http://example.org/_x>, <http://example.org/1x>,
  <http://example.org/x%2Fy>, <http://example.org/x~y>, <http://example.org/é·x>, <http://example.org/x:y>,
  <http://example.org/.x>, <http://example.org/x/y?z#w>, <https://w3id.org/sinorus/id/person/xi>,
  <https://w3id.org/sinorus/id/zzz/q>, <http://other.example/p#q> .
"""


@pytest.mark.parametrize("source", ["sample", "edge", "project", "synthetic", "empty"])
def test_direct_writers_write_the_reference_bytes(source: str, asserted_graph: Graph) -> None:
    """Turtle and JSON-LD are written straight from N-Triples lines; pyoxigraph (Turtle, expanded
    JSON-LD through ``json``) is the reference they must equal byte for byte."""
    from sinorus_kg.fast_export import (
        canonical_ntriples,
        jsonld_from_ntriples,
        jsonld_reference,
        turtle_from_ntriples,
        turtle_reference,
    )
    from sinorus_kg.synthetic import synthetic

    if source == "synthetic":
        graph = synthetic(3_000, seed=5)
        triples = graph.ontology + graph.data
    elif source == "project":
        triples = load_triples(resources.ontology_files() + resources.data_files())
    else:
        text = {"sample": SAMPLE, "edge": EDGE, "empty": ""}[source]
        triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE))
    nt = canonical_ntriples(triples)
    assert turtle_from_ntriples(nt) == turtle_reference(nt)
    assert jsonld_from_ntriples(nt) == jsonld_reference(nt)


@pytest.mark.parametrize(("suffix", "text", "refused"), [
    (".nt", "<http://e/o> <http://www.w3.org/2002/07/owl#imports> <http://e/other> .\n", True),
    (".nt", "<file:///etc/passwd> <http://e/p> <http://e/o> .\n", True),
    (".nt", '<http://e/s> <http://e/p> "see <file:///tmp/x> and <http://www.w3.org/2002/07/owl#imports>" .\n', False),
    (".ttl", "<http://e/o> <http://www.w3.org/2002/07/owl#imports> <http://e/other> .\n", True),
    (".ttl", '<http://e/s> <http://e/p> "<FILE:x>" .\n', False),
])
def test_exact_loader_refuses_what_the_source_check_refuses(tmp_path, suffix: str, text: str,  # type: ignore[no-untyped-def]
                                                            refused: bool) -> None:
    """load_ntriples searches its bytes instead of parsing twice, with the same refusals (issue 9)."""
    from sinorus_kg.loading import load_ntriples

    source = tmp_path / f"source{suffix}"
    source.write_text(text, encoding="utf-8")
    if refused:
        with pytest.raises(InputError, match=r"source\.(nt|ttl).*(refused|owl:imports)"):
            load_ntriples([source])
    else:
        assert load_ntriples([source]).count(b"\n") == 1
