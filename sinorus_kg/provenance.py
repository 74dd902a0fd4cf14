"""Provenance: which facts cite each sentence of each source document (sentence coverage).

A fact cites the sentences that report it with ``sr:attestedBy`` (⊑ ``dcterms:source``;
``sr:firstAttestedBy`` names the lowest-numbered one) and the sentences that only date or
frame it with ``sr:contextFrom`` (not a kind of attestation). ``coverage()`` reports, per
document and sentence, the nodes citing it either way, or the reason it carries no
encodable fact (``sr:noFactReason``); every sentence must be one or the other.

The sentence resources themselves (segmentation, offsets, generated Turtle) live in
``sinorus_kg.documents``; the names below are re-exported for existing callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from sinorus_kg.documents import PROJECT_DOCUMENT, SENTENCE_PATTERN, segment, sentence_iri, sentences_turtle
from sinorus_kg.namespaces import SR

__all__ = [
    "SENTENCE_PATTERN",
    "DOCUMENT_IRI",
    "SentenceCoverage",
    "CoverageReport",
    "segment",
    "sentence_iri",
    "sentences_turtle",
    "coverage",
]

DOCUMENT_IRI = PROJECT_DOCUMENT.iri
ATTESTED_BY = URIRef(SR + "attestedBy")
CONTEXT_FROM = URIRef(SR + "contextFrom")


@dataclass
class SentenceCoverage:
    index: int
    iri: str
    text: str
    facts: list[str] = field(default_factory=list)  # IRIs of nodes citing the sentence (either way), sorted
    no_fact_reason: str | None = None
    document: str = ""  # the IRI of the document the sentence is part of

    @property
    def covered(self) -> bool:
        return bool(self.facts)

    @property
    def explained(self) -> bool:
        return self.no_fact_reason is not None


@dataclass
class CoverageReport:
    sentences: list[SentenceCoverage]

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def covered(self) -> int:
        return sum(1 for s in self.sentences if s.covered)

    @property
    def explained(self) -> int:
        return sum(1 for s in self.sentences if not s.covered and s.explained)

    @property
    def share(self) -> float:
        """Share of sentences cited by at least one fact (0.0 … 1.0)."""
        return self.covered / self.total if self.total else 0.0

    @property
    def unaccounted(self) -> list[SentenceCoverage]:
        return [s for s in self.sentences if not s.covered and not s.explained]

    @property
    def ok(self) -> bool:
        """True when every sentence is covered by a fact or explained by sr:noFactReason."""
        return self.total > 0 and not self.unaccounted

    @property
    def documents(self) -> list[str]:
        """The documents covered, in the report's order."""
        return list(dict.fromkeys(s.document for s in self.sentences))

    def of(self, document: str) -> CoverageReport:
        """The part of the report about one document (its IRI)."""
        return CoverageReport([s for s in self.sentences if s.document == document])


def coverage(graph: Graph) -> CoverageReport:
    """For every sr:Sentence in ``graph`` (by document, then index): the nodes citing it, or its reason.

    Runs on asserted data: a sentence is covered when some node cites it with
    ``sr:attestedBy`` (``sr:firstAttestedBy`` is asserted together with it) or with
    ``sr:contextFrom`` — a sentence that dates or frames another's fact is still encoded.
    """
    sentence_type = URIRef(SR + "Sentence")
    index_p, text_p = URIRef(SR + "sentenceIndex"), URIRef(SR + "text")
    reason_p = URIRef(SR + "noFactReason")
    rows: list[SentenceCoverage] = []
    for node in set(graph.subjects(RDF.type, sentence_type)):
        index = graph.value(node, index_p)
        text = graph.value(node, text_p)
        reason = graph.value(node, reason_p)
        document = graph.value(node, DCTERMS.isPartOf)
        citing = set(graph.subjects(ATTESTED_BY, node)) | set(graph.subjects(CONTEXT_FROM, node))
        rows.append(
            SentenceCoverage(
                index=int(index.toPython()) if isinstance(index, Literal) else 0,
                iri=str(node),
                text=str(text) if text is not None else "",
                facts=sorted(str(s) for s in citing),
                no_fact_reason=str(reason) if reason is not None else None,
                document=str(document) if document is not None else "",
            )
        )
    rows.sort(key=lambda r: (r.document, r.index, r.iri))
    return CoverageReport(rows)
