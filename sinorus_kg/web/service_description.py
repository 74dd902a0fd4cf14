"""The SPARQL 1.1 Service Description answered at ``GET /sparql`` without a query.

A client (YASGUI, a federated engine, a crawler) learns from it what this endpoint speaks:
SPARQL 1.1 Query only, the result formats, no update, no federation, the default dataset
(the release's VoID description, ``void.ttl``, which this server also serves at
``/.well-known/void``) and, known only now that it is served, its own address.
"""

from __future__ import annotations

from sinorus_kg.dataset_description import DATASET, VOID

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"

# The W3C format IRIs (http://www.w3.org/ns/formats/) of every format the endpoint sends.
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def description(endpoint: str, void_url: str, limits: str) -> list[tuple[str, str, object]]:
    """The service description's triples; objects are IRIs (str) or ``("literal", text)``."""
    service = endpoint
    graph = DATASET + "#default-graph"
    triples: list[tuple[str, str, object]] = [
        (service, RDF_TYPE, SD + "Service"),
        (service, SD + "endpoint", endpoint),
        (service, SD + "supportedLanguage", SD + "SPARQL11Query"),
        (service, SD + "defaultEntailmentRegime", "http://www.w3.org/ns/entailment/Simple"),
        (service, SD + "defaultDataset", DATASET),
        (service, RDFS + "label", ("literal", "sinorus-kg read-only SPARQL 1.1 endpoint")),
        (service, RDFS + "comment", ("literal",
            "Read-only and offline: SPARQL Update, SERVICE, LOAD, FROM/FROM NAMED and the protocol's "
            "dataset parameters are refused. The default graph holds the full release (asserted facts plus "
            "the OWL 2 RL entailments) and the stored-query catalogue. " + limits)),
        (service, RDFS + "seeAlso", void_url),
        (DATASET, RDF_TYPE, SD + "Dataset"),
        (DATASET, RDF_TYPE, VOID + "Dataset"),
        (DATASET, VOID + "sparqlEndpoint", endpoint),
        (DATASET, RDFS + "seeAlso", void_url),
        (DATASET, SD + "defaultGraph", graph),
        (graph, RDF_TYPE, SD + "Graph"),
        (graph, RDF_TYPE, VOID + "Dataset"),
    ]
    triples += [(service, SD + "resultFormat", FORMATS + name) for name in RESULT_FORMATS]
    return triples


def serialize(triples: list[tuple[str, str, object]], fmt: str) -> bytes:
    """The description in ``fmt`` (ttl, nt, jsonld, xml): our own small graph, written here."""
    import pyoxigraph as ox

    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "xml": ox.RdfFormat.RDF_XML}

    def node(value: object) -> ox.NamedNode | ox.Literal:
        if isinstance(value, tuple):
            return ox.Literal(value[1], language="en")
        return ox.NamedNode(str(value))

    graph = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), node(o)) for s, p, o in triples]
    prefixes = {"sd": SD, "void": VOID, "formats": FORMATS, "rdfs": RDFS, "dcterms": DCT}
    data = (ox.serialize(graph, format=formats[fmt], prefixes=prefixes) if fmt in ("ttl", "xml")
            else ox.serialize(graph, format=formats[fmt]))
    assert data is not None
    return data
