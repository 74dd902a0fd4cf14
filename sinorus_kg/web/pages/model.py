"""The few model-specific names the pages rely on, kept in one place.

Everything else the pages show is discovered from the data: labels, ``rdf:type``, every
predicate in both directions. What cannot be discovered is listed here, so that a change
of model (issue 10's model 0.2: ``sr:attestedBy`` instead of ``prov:wasDerivedFrom``,
sentences scoped to their document) is an edit of this module:

- a *sentence* is any resource with ``SENTENCE_TEXT``, placed by ``SENTENCE_INDEX`` and
  its offsets, in the document named by ``PART_OF``;
- a fact *cites* a sentence with any predicate pointing at a sentence; ``CITES`` are the
  ones that mean "attested by" (the rest, such as ``CONTEXT``, are shown by their label);
- ``NO_FACT_REASON`` explains a sentence that carries no encodable fact;
- external records: a ``NOTE_CLASS`` resource ``ANNOTATES`` facts, with a comment and a
  ``NOTE_SOURCE``;
- dates of events come from the stored query ``TIMELINE_QUERY`` (columns ``event``,
  ``eventLabel``, the four bounds ``earliestBegin`` … ``latestEnd`` with their precision and
  status, ``when``), which the model's owners keep current.
"""

from __future__ import annotations

from sinorus_kg.namespaces import SR, SRID

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"

TYPE = RDF + "type"
LABEL = RDFS + "label"
ALT_LABEL = SKOS + "altLabel"
COMMENT = RDFS + "comment"
DEFINITION = SKOS + "definition"
SUBCLASS = RDFS + "subClassOf"
LABEL_PREDICATES = (LABEL, ALT_LABEL)

SENTENCE_TEXT = SR + "text"
SENTENCE_INDEX = SR + "sentenceIndex"
BEGIN = SR + "beginOffset"
END = SR + "endOffset"
PART_OF = DCTERMS + "isPartOf"
DOCUMENT_PATH = DCTERMS + "identifier"  # the document's file, relative to the project's resources
NO_FACT_REASON = SR + "noFactReason"
CITES = (SR + "attestedBy", SR + "firstAttestedBy", DCTERMS + "source",  # sr:attestedBy ⊑ dcterms:source
         "http://www.w3.org/ns/prov#wasDerivedFrom")
CONTEXT = (SR + "contextFrom",)

NOTE_CLASS = SR + "ExternalRecordNote"
ANNOTATES = SR + "annotates"
NOTE_SOURCE = DCTERMS + "bibliographicCitation"

TIMELINE_QUERY = "events-timeline"
EVENT_CLASS = SR + "Event"

WIKIDATA = "http://www.wikidata.org/entity/"
RESOURCES = SRID  # resources: pages at /id/…
ONTOLOGY = SR  # terms: documented at /ontology#…
QUERIES = "https://w3id.org/sinorus/queries/"  # the catalogue's own IRIs: pages at /queries/…
LANGUAGES = ("en", "ru", "zh")
