"""The data keeps the document's own words for time: every sr:timeWording is quoted from a cited sentence.

A wording may join quotes from several cited sentences with "; " and elide words with "…".
A wording wholly in parentheses is the curator's, allowed only where the document gives no
words for the time (e.g. sentence 2's undated recognition); it must still quote what it leans on.
"""

from __future__ import annotations

import re

from rdflib import Graph, Namespace

SR = Namespace("https://w3id.org/sinorus/ontology#")


def fragments(wording: str) -> list[str]:
    if wording.startswith("(") and wording.endswith(")"):
        return re.findall(r'"([^"]+)"', wording)  # an editorial note: only its quotations must match
    parts = re.split(r";\s+|\s*…\s*", wording)
    return [p.strip().rstrip(",") for p in parts if p.strip().rstrip(",")]


def test_time_wordings_quote_cited_sentences(asserted_graph: Graph) -> None:
    problems = []
    for node, wording in asserted_graph.subject_objects(SR.timeWording):
        cited = [str(asserted_graph.value(s, SR.text))
                 for p in (SR.attestedBy, SR.contextFrom) for s in asserted_graph.objects(node, p)]
        quotes = fragments(str(wording))
        missing = [q for q in quotes if not any(q in text for text in cited)]
        if missing or not quotes:
            problems.append(f"{node}: {str(wording)!r} — not found in its cited sentences: {missing or 'no quote'}")
    assert not problems, "\n".join(problems)


def test_fragments_rule() -> None:
    assert fragments("On March 22-23, 2013, … during which") == ["On March 22-23, 2013", "during which"]
    assert fragments("During the visit; In May 2013") == ["During the visit", "In May 2013"]
    assert fragments('(no date in the sentence; it follows "on October 2, 1949")') == ["on October 2, 1949"]
