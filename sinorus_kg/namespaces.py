"""The project's namespaces and the prefixes every output uses.

Kept free of rdflib imports so that the fast query path can use them too.
"""

import re

SR = "https://w3id.org/sinorus/ontology#"
SRID = "https://w3id.org/sinorus/id/"

PREFIXES: dict[str, str] = {
    "sr": SR,
    "srid": SRID,
    # One prefix per kind of resource, so every resource is a plain prefixed name without an
    # escape (`person:xi-jinping` is https://w3id.org/sinorus/id/person/xi-jinping).
    "person": SRID + "person/",
    "state": SRID + "state/",
    "organisation": SRID + "org/",
    "office": SRID + "office/",
    "holding": SRID + "holding/",
    "place": SRID + "place/",
    "treaty": SRID + "treaty/",
    "agreement": SRID + "agreement/",
    "event": SRID + "event/",
    "mechanism": SRID + "mechanism/",
    "concept": SRID + "concept/",
    "scheme": SRID + "scheme/",
    "participation": SRID + "participation/",
    "term": SRID + "term/",  # office terms: external records of when a person held an office
    "timespan": SRID + "timespan/",  # time spans and their beginnings and ends (OWL-Time)
    "sovereignty": SRID + "sovereignty/",  # which state a place belonged to, and when
    "document": SRID + "document/",  # source documents
    "sentence": SRID + "sentence/",  # sentences, scoped to their document: sentence:srcr-s01
    "paragraph": SRID + "paragraph/",  # lines of a document, scoped likewise: paragraph:srcr-p01
    "source": SRID + "source/",  # external sources: the gazetteer, the office-terms records
    "note": SRID + "note/",  # notes on where an external record differs from the document
    "wd": "http://www.wikidata.org/entity/",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "vann": "http://purl.org/vocab/vann/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "srsh": "https://w3id.org/sinorus/shapes#",
}


def sparql_prologue(one_line: bool = False) -> str:
    """PREFIX declarations for every project prefix, prepended to stored and ad-hoc queries.

    ``one_line`` puts them all on one line, so that an engine's syntax error keeps the line
    numbers of the query the user wrote (only line 1's columns shift).
    """
    if one_line:
        return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + " "
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


_BAD_IRI = re.compile(r'[<>"{}|^`\\\s\x00-\x20\x7f]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_iri(iri: str) -> str:
    """``iri`` itself if it is an absolute IRI that cannot break out of ``<…>``; else ValueError."""
    bad = _BAD_IRI.search(iri)
    if bad or not _SCHEME.match(iri):
        reason = f"it contains {bad.group(0)!r}" if bad else "it has no scheme such as https:"
        raise ValueError(f"not a valid IRI: {iri!r} ({reason})")
    return iri


def expand(curie_or_iri: str) -> str:
    """Turn `person:xi-jinping` or `<https://…>` into a full IRI; raise ValueError otherwise."""
    text = curie_or_iri.strip()
    if text.startswith("<") and text.endswith(">"):
        return check_iri(text[1:-1])
    if text.startswith(("http://", "https://", "urn:")):
        return check_iri(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES:
        return check_iri(PREFIXES[prefix] + local)
    raise ValueError(f"not an IRI or a known prefixed name: {curie_or_iri!r} (known prefixes: {', '.join(PREFIXES)})")


def shorten(iri: str) -> str:
    """The prefixed form of an IRI when a project prefix fits, else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri
