"""Competency questions, written from the source document before the data.

Each CQ is a question an analyst may ask, a SPARQL query over the project prefixes, and
the answer read from the text (as a set of tuples of short strings: prefixed IRIs,
lexical forms of literals). They run on the ``full`` release (asserted + OWL 2 RL
entailments), so they may rely on the class hierarchy, inverses, transitivity and the
property chains (sr:hasParticipation/sr:agent -> sr:hasParticipant, holdings -> org:holds).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest
from rdflib import Graph, Literal, URIRef

from sinorus_kg.namespaces import SRID, shorten, sparql_prologue

# SPARQL (like Turtle) forbids "/" in a prefixed name, and rdflib does not unescape "\\/":
# the CQs are written with readable ``srid:kind/slug`` names, expanded to full IRIs here.
_SRID_NAME = re.compile(r"\bsrid:([A-Za-z0-9_-]+)/([A-Za-z0-9_./-]*[A-Za-z0-9_-])")


def expand_srid_names(query: str) -> str:
    return _SRID_NAME.sub(lambda m: f"<{SRID}{m.group(1)}/{m.group(2)}>", query)


class CQ(NamedTuple):
    id: str
    question: str
    query: str
    expected: set[tuple[str, ...]] | bool


def _e(slug: str) -> str:
    return f"event:{slug}"


CQS: list[CQ] = [
    CQ(
        "treaties-signed-in-moscow",
        "Which treaties were signed in Moscow?",
        """SELECT DISTINCT ?treaty WHERE {
             ?signing a sr:Signing ; sr:place place:moscow ; sr:concernsAgreement ?treaty .
             ?treaty a sr:Treaty }""",
        {("treaty:1950-friendship-alliance-mutual-assistance",),
         ("treaty:2001-good-neighbourliness-friendship-cooperation",)},
    ),
    CQ(
        "whom-lavrov-met-2014-04-15",
        "Whom did Sergey Lavrov meet on 15 April 2014?",
        """SELECT DISTINCT ?person WHERE {
             ?e sr:hasParticipant person:sergey-lavrov, ?person ;
                sr:earliestDate "2014-04-15"^^xsd:date ; sr:latestDate "2014-04-15"^^xsd:date .
             ?person a sr:Person . FILTER(?person != person:sergey-lavrov) }""",
        {("person:xi-jinping",), ("person:wang-yi",)},
    ),
    CQ(
        "gorbachev-offices-may-1989",
        "Which offices did Mikhail Gorbachev hold in May 1989?",
        """SELECT DISTINCT ?office WHERE {
             ?h sr:holder person:mikhail-gorbachev ; sr:office ?office ;
                sr:earliestDate ?b ; sr:latestDate ?l .
             FILTER(?b <= "1989-05-31"^^xsd:date && ?l >= "1989-05-01"^^xsd:date) }""",
        {("office:chairman-supreme-soviet-ussr",), ("office:general-secretary-cpsu-cc",)},
    ),
    CQ(
        "gorbachev-holds-via-org",
        "Which posts does the graph say Gorbachev held (org:holds)?",
        "SELECT ?office WHERE { person:mikhail-gorbachev org:holds ?office }",
        {("office:chairman-supreme-soviet-ussr",), ("office:general-secretary-cpsu-cc",)},
    ),
    CQ(
        "events-in-2013",
        "Which events took place in 2013?",
        """SELECT DISTINCT ?e WHERE {
             ?e a sr:Event ; sr:earliestDate ?b ; sr:latestDate ?l .
             FILTER(?b >= "2013-01-01"^^xsd:date && ?l <= "2013-12-31"^^xsd:date) }""",
        {(_e(s),) for s in [
            "2013-03-xi-jinping-visit-to-russia", "2013-03-xi-putin-talks",
            "2013-03-opening-year-of-chinese-tourism", "2013-09-g20-summit",
            "2013-09-heads-of-state-meeting-g20", "2013-10-apec-summit",
            "2013-10-heads-of-state-meeting-apec", "2013-10-22-medvedev-xi-meeting",
            "2013-heads-of-government-meeting", "2013-05-naryshkin-official-visit-to-china",
            "2013-05-sixth-meeting-duma-npc-commission", "2013-05-naryshkin-xi-meeting",
            "2013-05-naryshkin-zhang-dejiang-meeting"]},
    ),
    CQ(
        "meetings-outside-russia-and-china",
        "Which meetings were held outside Russia and China?",
        """SELECT DISTINCT ?m ?place WHERE {
             ?m a sr:Meeting ; sr:place ?place .
             FILTER(?place NOT IN (state:russian-federation, state:prc, state:ussr))
             FILTER NOT EXISTS { ?place sr:locatedIn ?s .
               FILTER(?s IN (state:russian-federation, state:prc, state:ussr)) } }""",
        {(_e("1984-foreign-ministers-meeting-new-york"), "place:new-york"),
         (_e("1985-foreign-ministers-meeting-new-york"), "place:new-york"),
         (_e("2013-10-heads-of-state-meeting-apec"), "place:bali")},
    ),
    CQ(
        "diplomatic-relations-date",
        "On what day did the USSR and the PRC establish diplomatic relations, and for which time?",
        """SELECT ?d ?precision ?n WHERE {
             ?e a sr:DiplomaticRelationsEstablishment ; sr:hasParticipant state:ussr, state:prc ;
                sr:earliestDate ?d ; sr:latestDate ?d ; sr:datePrecision ?precision ; sr:ordinal ?n }""",
        {("1949-10-02", "time:unitDay", "1")},
    ),
    CQ(
        "first-to-recognise-prc",
        "Which state was the first foreign state to recognise the PRC?",
        """SELECT ?s WHERE { ?r a sr:DiplomaticRecognition ; sr:recognized state:prc ;
             sr:recognizer ?s ; sr:ordinal ?n . FILTER(?n = 1) }""",
        {("state:ussr",)},
    ),
    CQ(
        "friendship-treaty-signing-date",
        "When was the Soviet-Chinese Treaty of friendship, alliance and mutual assistance signed?",
        """SELECT ?d ?w WHERE { ?e a sr:Signing ;
             sr:concernsAgreement treaty:1950-friendship-alliance-mutual-assistance ;
             sr:earliestDate ?d ; sr:latestDate ?d ; sr:timeWording ?w }""",
        {("1950-02-14", "On February 14, 1950")},
    ),
    CQ(
        "treaty-2001-entry-into-force",
        "When did the 2001 Treaty on Good-Neighborliness enter into force?",
        """SELECT ?d WHERE { treaty:2001-good-neighbourliness-friendship-cooperation
             sr:hasAgreementEvent ?e . ?e a sr:EntryIntoForce ; sr:earliestDate ?d ; sr:latestDate ?d }""",
        {("2002-02-28",)},
    ),
    CQ(
        "treaty-2001-parties",
        "Which states are parties to the 2001 treaty?",
        "SELECT ?s WHERE { treaty:2001-good-neighbourliness-friendship-cooperation sr:party ?s }",
        {("state:russian-federation",), ("state:prc",)},
    ),
    CQ(
        "1950s-agreements",
        "Which agreements formalised bilateral cooperation in the decade after 1950?",
        """SELECT ?a WHERE { event:1950s-conclusion-of-cooperation-agreements
             sr:concernsAgreement ?a }""",
        {("agreement:1950s-industrial-enterprises",),
         ("agreement:1950s-joint-stock-shares-transfer",),
         ("agreement:1950s-port-arthur-withdrawal",),
         ("agreement:1950s-training-chinese-citizens",)},
    ),
    CQ(
        "industrial-enterprises-quantity",
        "In the construction and reconstruction of how many large industrial enterprises did the USSR assist?",
        "SELECT ?n WHERE { agreement:1950s-industrial-enterprises sr:quantity ?n }",
        {("156",)},
    ),
    CQ(
        "port-arthur-agreement",
        "Which agreement concerns Port Arthur?",
        "SELECT ?a WHERE { ?a a sr:Agreement ; schema:about place:port-arthur }",
        {("agreement:1950s-port-arthur-withdrawal",)},
    ),
    CQ(
        "joint-declaration-intent",
        "What did the parties declare in the 1954 Joint Declaration, and on which day?",
        """SELECT ?d WHERE { ?e a sr:DeclarationOfIntent ; sr:duringEvent ?s ; sr:earliestDate ?d .
             ?s sr:concernsAgreement agreement:1954-joint-declaration ; sr:latestDate ?d }""",
        {("1954-10-12",)},
    ),
    CQ(
        "divergence-bounds",
        "How precisely does the document date the intensifying differences of approach?",
        """SELECT ?w ?p ?b ?l WHERE { ?e a sr:Divergence ; sr:timeWording ?w ; sr:datePrecision ?p ;
             sr:earliestDate ?b ; sr:latestDate ?l }""",
        {("In the late 1950s and early 1960s", "sr:unitDecade", "1955-01-01", "1964-12-31")},
    ),
    CQ(
        "polemics-escalation",
        "Between whom were the polemical battles, and into what did they escalate?",
        """SELECT ?party ?what WHERE { ?e a sr:Polemic ; sr:hasParticipant ?party ;
             sr:escalatedInto ?what . ?what a sr:BorderConflict }""",
        {("organisation:cpsu", _e("1960-border-conflicts")), ("organisation:cpc", _e("1960-border-conflicts"))},
    ),
    CQ(
        "open-ended-before-1970",
        "Which open-ended developments (a start, no end) began before 1970?",
        """SELECT ?e WHERE { ?e a sr:Event ; sr:earliestDate ?b .
             FILTER NOT EXISTS { ?e sr:latestDate ?l } FILTER(?b < "1970-01-01"^^xsd:date) }""",
        {(_e("1960-party-polemics"),), (_e("1960-border-conflicts"),),
         (_e("1964-11-cessation-of-leader-contacts"),)},
    ),
    CQ(
        "1964-consultations",
        "Who held the 1964 border consultations, on what, and did they succeed?",
        """SELECT ?d ?subject ?ok WHERE { ?c a sr:Consultation ; sr:hasParticipant ?d ;
             sr:subjectWording ?subject ; sr:successful ?ok . ?d a sr:Delegation }""",
        {("organisation:ussr-government-delegation", "clarifying the Soviet-Chinese state border", "false"),
         ("organisation:prc-government-delegation", "clarifying the Soviet-Chinese state border", "false")},
    ),
    CQ(
        "cessation-of-contacts",
        "Since when had contacts between the leaders practically ceased?",
        """SELECT ?w ?b ?p WHERE { ?e a sr:ContactCessation ; sr:timeWording ?w ;
             sr:earliestDate ?b ; sr:datePrecision ?p }""",
        {("since November 1964", "1964-11-01", "time:unitMonth")},
    ),
    CQ(
        "border-negotiations-span",
        "When was the mechanism of border negotiations launched and until when did it last?",
        """SELECT ?b ?l WHERE { mechanism:border-negotiations sr:earliestDate ?b ;
             sr:latestDate ?l }""",
        {("1969-01-01", "1979-12-31")},
    ),
    CQ(
        "deputy-fm-consultations",
        "Which mechanism works at the level of deputy foreign ministers, and since when?",
        """SELECT ?m ?b WHERE { ?m a sr:DialogueMechanism ; sr:mechanismLevel ?level ;
             sr:earliestDate ?b . ?level rdfs:label "deputy foreign ministers"@en }""",
        {("mechanism:deputy-foreign-ministers-consultations", "1982-01-01")},
    ),
    CQ(
        "exchange-kinds-1983",
        "Which kinds of exchanges have expanded since 1983?",
        """SELECT ?k WHERE { ?e a sr:ExchangeExpansion ; sr:earliestDate "1983-01-01"^^xsd:date ;
             sr:exchangeKind ?k . ?k skos:inScheme scheme:exchange-kinds }""",
        {("concept:exchange-kind-cultural",), ("concept:exchange-kind-sports",),
         ("concept:exchange-kind-student",)},
    ),
    CQ(
        "fm-meetings-new-york",
        "Where, and in the framework of which organisation, did the foreign ministers meet in 1984 and 1985?",
        """SELECT ?m ?place ?org WHERE { ?m sr:partOfMechanism mechanism:foreign-ministers-meetings-unga ;
             sr:place ?place ; sr:inFrameworkOf ?org }""",
        {(_e("1984-foreign-ministers-meeting-new-york"), "place:new-york", "organisation:un-general-assembly"),
         (_e("1985-foreign-ministers-meeting-new-york"), "place:new-york", "organisation:un-general-assembly")},
    ),
    CQ(
        "fm-meetings-capacities",
        "In which capacities did participants take part in the 1984 New York meeting?",
        """SELECT ?office WHERE { event:1984-foreign-ministers-meeting-new-york
             sr:hasParticipation/sr:capacity ?office }""",
        {("office:foreign-minister-ussr",), ("office:foreign-minister-prc",)},
    ),
    CQ(
        "normalisation-marked-by",
        "Which event marked the normalisation of Soviet-Chinese relations, and who was the visitor?",
        """SELECT ?v ?who WHERE { ?v sr:marks ?n ; sr:visitor ?who . ?n a sr:Normalisation }""",
        {(_e("1989-05-gorbachev-official-visit-to-china"), "person:mikhail-gorbachev")},
    ),
    CQ(
        "successor-recognition",
        "Who recognised the Russian Federation as the legal successor of the USSR, and when?",
        """SELECT ?who ?d WHERE { ?r a sr:SuccessorRecognition ; sr:recognized state:russian-federation ;
             sr:predecessor state:ussr ; sr:recognizer ?who ; sr:earliestDate ?d ; sr:latestDate ?d }""",
        {("organisation:prc-government", "1991-12-24")},
    ),
    CQ(
        "ussr-succeeded-by",
        "Which state succeeded the USSR?",
        "SELECT ?s WHERE { state:ussr sr:succeededBy ?s }",
        {("state:russian-federation",)},
    ),
    CQ(
        "agreement-corpora",
        "What bodies of agreements exist in almost all areas of cooperation?",
        "SELECT ?a WHERE { ?a a sr:AgreementCorpus ; sr:ongoing true }",
        {("agreement:intergovernmental-agreements",), ("agreement:interdepartmental-agreements",)},
    ),
    CQ(
        "heads-of-state-frequency",
        "How often do the heads of state meet at least, and within which organisations' summits?",
        """SELECT ?n ?org WHERE { mechanism:heads-of-state-contacts sr:minOccurrencesPerYear ?n ;
             sr:inFrameworkOf ?org }""",
        {("3", "organisation:sco"), ("3", "organisation:apec")},
    ),
    CQ(
        "xi-first-visit-talks",
        "With whom did Xi Jinping hold talks during his first visit to Russia as President?",
        """SELECT ?p WHERE { ?v a sr:Visit ; sr:visitor person:xi-jinping ; sr:ordinal ?n ;
             sr:destination state:russian-federation ; sr:hasSubEvent ?t . FILTER(?n = 1)
             ?t a sr:Talks ; sr:hasParticipant ?p . FILTER(?p != person:xi-jinping) }""",
        {("person:vladimir-putin",)},
    ),
    CQ(
        "tourism-year-opening",
        "Who opened the Year of Chinese Tourism in Russia, where, and on which day?",
        """SELECT ?p ?place ?w ?b ?l WHERE { ?o a sr:ThematicYearOpening ;
             sr:thematicYear event:year-of-chinese-tourism-in-russia ; sr:hasParticipant ?p ;
             sr:place ?place ; sr:timeWording ?w ; sr:earliestDate ?b ; sr:latestDate ?l }""",
        {("person:vladimir-putin", "place:state-kremlin-palace", "On the same day",
          "2013-03-22", "2013-03-23"),
         ("person:xi-jinping", "place:state-kremlin-palace", "On the same day",
          "2013-03-22", "2013-03-23")},
    ),
    CQ(
        "g20-summit-place",
        "Where and in which month was the G20 summit whose sidelines hosted a heads-of-state meeting?",
        """SELECT ?place ?region ?b ?l WHERE { ?m sr:onSidelinesOf ?s . ?s sr:inFrameworkOf organisation:g20 ;
             sr:place ?place ; sr:earliestDate ?b ; sr:latestDate ?l . ?place sr:locatedIn ?region .
             ?region a sr:Region }""",
        {("place:strelna", "place:leningrad-region", "2013-09-01", "2013-09-30")},
    ),
    CQ(
        "bali-location",
        "In which state is the island of Bali?",
        "SELECT ?s WHERE { place:bali a sr:Island ; sr:locatedIn ?s . ?s a sr:State }",
        {("state:indonesia",)},
    ),
    CQ(
        "heads-of-state-instances",
        "Which meetings belong to the regular contacts between the heads of state?",
        "SELECT ?e WHERE { mechanism:heads-of-state-contacts sr:hasInstance ?e }",
        {(_e("2013-03-xi-putin-talks"),), (_e("2013-09-heads-of-state-meeting-g20"),),
         (_e("2013-10-heads-of-state-meeting-apec"),)},
    ),
    CQ(
        "sochi-visit-purpose",
        "What was the purpose of the Chinese President's visit to Sochi in February 2014?",
        """SELECT ?purpose WHERE { ?v a sr:Visit ; sr:destination place:sochi ; sr:purpose ?purpose .
             ?purpose a sr:OlympicOpeningCeremony }""",
        {(_e("2014-02-sochi-olympics-opening-ceremony"),)},
    ),
    CQ(
        "sochi-visitor-wording",
        "How does the document name the visitor to Sochi, and in which capacity?",
        """SELECT ?agent ?office ?w WHERE { event:2014-02-chinese-president-visit-to-sochi
             sr:hasParticipation ?p . ?p sr:agent ?agent ; sr:capacity ?office ; sr:participantWording ?w }""",
        {("state:prc", "office:president-prc", "the Chinese President")},
    ),
    CQ(
        "heads-of-government-since",
        "Since when have annual meetings of the heads of government been held?",
        """SELECT ?b ?freq WHERE { mechanism:heads-of-government-meetings sr:earliestDate ?b ;
             sr:frequency ?f ; sr:ongoing true . ?f rdfs:label ?freq }""",
        {("1996-01-01", "annual")},
    ),
    CQ(
        "heads-of-government-commissions",
        "Which bodies were formed to ensure the work of the heads-of-government meetings?",
        "SELECT ?c WHERE { ?c sr:servesMechanism mechanism:heads-of-government-meetings }",
        {("organisation:heads-of-government-commission",), ("organisation:heads-of-government-subcommissions",)},
    ),
    CQ(
        "medvedev-capacity",
        "In which capacity did Dmitry Medvedev meet Xi Jinping on 22 October 2013?",
        """SELECT ?office WHERE { event:2013-10-22-medvedev-xi-meeting sr:hasParticipation ?p .
             ?p sr:agent person:dmitry-medvedev ; sr:capacity ?office }""",
        {("office:prime-minister-russia",)},
    ),
    CQ(
        "lavrov-visit-subevents",
        "What happened during Lavrov's official visit to China?",
        """SELECT ?e WHERE { ?v a sr:OfficialVisit ; sr:visitor person:sergey-lavrov ;
             sr:destination state:prc . ?e sr:duringEvent ?v }""",
        {(_e("2014-04-15-lavrov-xi-conversation"),), (_e("2014-04-15-lavrov-wang-yi-talks"),)},
    ),
    CQ(
        "joint-commissions-creators",
        "Who created the joint inter-parliamentary commissions?",
        "SELECT ?o WHERE { organisation:joint-interparliamentary-commissions sr:createdBy ?o }",
        {("organisation:state-duma",), ("organisation:federation-council",), ("organisation:npc",)},
    ),
    CQ(
        "naryshkin-met",
        "Whom did Sergey Naryshkin meet during his visit to China in May 2013?",
        """SELECT DISTINCT ?p WHERE { ?m a sr:Meeting ;
             sr:duringEvent event:2013-05-naryshkin-official-visit-to-china ; sr:hasParticipant ?p .
             ?p a sr:Person FILTER(?p != person:sergey-naryshkin) }""",
        {("person:xi-jinping",), ("person:zhang-dejiang",)},
    ),
    CQ(
        "sixth-commission-meeting",
        "Which meeting of the Duma–NPC Parliamentary Commission did Naryshkin attend?",
        """SELECT ?n WHERE { ?m sr:commission organisation:duma-npc-parliamentary-commission ; sr:ordinal ?n ;
             sr:hasParticipant person:sergey-naryshkin }""",
        {("6",)},
    ),
    CQ(
        "xi-holding-bounds",
        "Between which dates does the document attest Xi Jinping as President of the PRC?",
        """SELECT ?b ?l WHERE { holding:xi-jinping-president-prc sr:earliestDate ?b ; sr:latestDate ?l }""",
        {("2013-03-22", "2014-04-15")},
    ),
    CQ(
        "npc-standing-committee-chairman",
        "Who is attested as Chairman of the Standing Committee of the NPC?",
        "SELECT ?p WHERE { ?p org:holds office:chairman-npc-standing-committee }",
        {("person:zhang-dejiang",)},
    ),
    CQ(
        "signings-cameo",
        "Which events carry the CAMEO code 057 (sign formal agreement)?",
        'SELECT ?e WHERE { ?e sr:cameoCode "057" }',
        {(_e("1950-02-14-signing-friendship-treaty"),), (_e("1950s-conclusion-of-cooperation-agreements"),),
         (_e("1954-10-12-signing-joint-declaration"),), (_e("2001-07-16-signing-good-neighbourliness-treaty"),)},
    ),
    CQ(
        "sentence-for-entry-into-force",
        "Which sentence supports the entry into force of the 2001 treaty?",
        """SELECT ?s ?i WHERE { event:2002-02-28-entry-into-force-good-neighbourliness-treaty
             sr:attestedBy ?s . ?s sr:sentenceIndex ?i }""",
        {("sentence:srcr-s15", "15")},
    ),
    CQ(
        "sentence-for-naryshkin-office",
        "Which sentence attests Sergey Naryshkin as Chairman of the State Duma?",
        "SELECT ?s WHERE { holding:sergey-naryshkin-chairman-state-duma sr:attestedBy ?s }",
        {("sentence:srcr-s30",)},
    ),
    CQ(
        "date-sentence-of-naryshkin-xi-meeting",
        "Which sentence gives the date of Naryshkin's meeting with Xi Jinping (s31 says only \"During the visit\")?",
        "SELECT ?s WHERE { event:2013-05-naryshkin-xi-meeting sr:contextFrom ?s }",
        {("sentence:srcr-s30",)},
    ),
    CQ(
        "reporting-sentence-of-tourism-year-opening",
        "Which sentence reports the opening of the Year of Chinese Tourism, rather than giving its day?",
        "SELECT ?s WHERE { event:2013-03-opening-year-of-chinese-tourism sr:attestedBy ?s }",
        {("sentence:srcr-s19",)},
    ),
    CQ(
        "facts-only-dated-by-s30",
        "Which facts does sentence 30 (\"In May 2013, …\") only date, while sentence 31 reports them?",
        "SELECT ?f WHERE { ?f sr:contextFrom sentence:srcr-s30 }",
        {(_e("2013-05-sixth-meeting-duma-npc-commission"),), (_e("2013-05-naryshkin-xi-meeting"),),
         (_e("2013-05-naryshkin-zhang-dejiang-meeting"),), ("holding:xi-jinping-president-prc",),
         ("holding:zhang-dejiang-chairman-npc-standing-committee",)},
    ),
    CQ(
        "event-cited-only-for-context",
        "Is there an event that no sentence reports, only sentences giving its context?",
        """ASK { ?e a sr:Event .
             FILTER NOT EXISTS { ?e sr:attestedBy ?s } }""",
        False,
    ),
    CQ(
        "ongoing-mechanisms",
        "Which dialogue mechanisms does the document describe as continuing?",
        "SELECT ?m WHERE { ?m a sr:DialogueMechanism ; sr:ongoing true }",
        {("mechanism:deputy-foreign-ministers-consultations",),
         ("mechanism:heads-of-state-contacts",), ("mechanism:heads-of-government-meetings",),
         ("mechanism:foreign-ministries-contacts",), ("mechanism:inter-parliamentary-contacts",)},
    ),
    CQ(
        "events-in-leningrad-region",
        "Which events took place in the Leningrad region?",
        "SELECT ?e WHERE { ?e sr:place ?p . ?p sr:locatedIn place:leningrad-region }",
        {(_e("2013-09-g20-summit"),), (_e("2013-09-heads-of-state-meeting-g20"),)},
    ),
    CQ(
        "putin-one-person",
        "Is 'Vladimir Putin Putin' one person, with the Wikidata link the reference file gives?",
        """SELECT ?p WHERE { ?p a sr:Person ; rdfs:label "Vladimir Putin"@en ;
             schema:sameAs wd:Q7747 }""",
        {("person:vladimir-putin",)},
    ),
    CQ(
        "no-invented-wikidata-for-lavrov",
        "Does Lavrov carry a Wikidata link although the reference file gives none?",
        "ASK { person:sergey-lavrov schema:sameAs ?x }",
        False,
    ),
    CQ(
        "xi-labels",
        "What are Xi Jinping's Russian and Chinese names?",
        """SELECT ?ru ?zh WHERE { person:xi-jinping rdfs:label ?ru, ?zh .
             FILTER(lang(?ru) = "ru" && lang(?zh) = "zh") }""",
        {("Си Цзиньпин", "习近平")},
    ),
    CQ(
        "xi-naryshkin-meeting-place-silent",
        "Does the graph claim a place for Naryshkin's meeting with Xi Jinping (the document gives none)?",
        "ASK { event:2013-05-naryshkin-xi-meeting sr:place ?p }",
        False,
    ),
]


def _short(term: object) -> str:
    """Resources as ``srid:kind/slug`` (the model's shorthand), other IRIs prefixed, literals lexical."""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def test_enough_competency_questions() -> None:
    assert len(CQS) >= 40
    assert len({cq.id for cq in CQS}) == len(CQS)


@pytest.mark.parametrize("cq", CQS, ids=[cq.id for cq in CQS])
def test_competency_question(cq: CQ, full: Graph) -> None:
    result = full.query(sparql_prologue() + expand_srid_names(cq.query))
    if isinstance(cq.expected, bool):
        assert result.askAnswer is cq.expected, cq.question
        return
    got = {tuple(_short(v) for v in row) for row in result}  # type: ignore[union-attr]
    assert got == cq.expected, cq.question
