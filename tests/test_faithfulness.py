"""The data keeps the document's own words for time: every sr:timeWording is quoted from a cited sentence.

Wordings sit on time nodes (time.ttl): a fact's time node (time:hasTime, sr:validity) and its
beginning and end. A wording must quote the sentences the fact cites (sr:attestedBy or
sr:contextFrom). It may join quotes from several cited sentences with "; " and elide words with
"…". A wording wholly in parentheses is the curator's, allowed only where the document gives no
words for the time (e.g. sentence 2's undated recognition); it must still quote what it leans on.
A beginning or end the document says nothing about is worded exactly "(not stated)". Time nodes of
external records (office terms) cite no sentence: their wording is the record's.
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


TIME = Namespace("http://www.w3.org/2006/time#")


def facts_of(graph: Graph, node: object) -> set[object]:
    """The facts whose time node is ``node``, or whose time node begins or ends with it."""
    spans = {node} | set(graph.subjects(TIME.hasBeginning, node)) | set(graph.subjects(TIME.hasEnd, node))
    return {fact for span in spans for p in (TIME.hasTime, SR.validity) for fact in graph.subjects(p, span)}


def test_time_wordings_quote_cited_sentences(asserted_graph: Graph) -> None:
    problems = []
    checked = 0
    for node, wording in asserted_graph.subject_objects(SR.timeWording):
        facts = facts_of(asserted_graph, node)
        assert facts, f"{node} has a time wording but is the time of no fact"
        cited = [str(asserted_graph.value(s, SR.text))
                 for fact in facts for p in (SR.attestedBy, SR.contextFrom) for s in asserted_graph.objects(fact, p)]
        if not cited and all((f, SR.attestedBy, None) not in asserted_graph for f in facts):
            continue  # an external record's time: its wording is the record's, not the document's
        checked += 1
        if str(wording) == "(not stated)" and (node, SR.timeStatus, SR.statusNotStated) in asserted_graph:
            continue
        quotes = fragments(str(wording))
        missing = [q for q in quotes if not any(q in text for text in cited)]
        if missing or not quotes:
            problems.append(f"{node}: {str(wording)!r} — not found in its cited sentences: {missing or 'no quote'}")
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_fragments_rule() -> None:
    assert fragments("On March 22-23, 2013, … during which") == ["On March 22-23, 2013", "during which"]
    assert fragments("During the visit; In May 2013") == ["During the visit", "In May 2013"]
    assert fragments('(no date in the sentence; it follows "on October 2, 1949")') == ["on October 2, 1949"]
