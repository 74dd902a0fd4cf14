"""HTML documentation of the ontology, generated from the Turtle so that it never drifts.

Analysts read this page first, so it shows every class and property with its labels
(en/ru/zh), definition, domain/range, super-terms and alignments to standard
vocabularies, the SKOS concept schemes, the namespaces and the competency questions.
Output is deterministic (sorted, no timestamps) and written atomically.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS

from sinorus_kg import resources
from sinorus_kg.export import write_atomic
from sinorus_kg.loading import new_graph, parse_turtle
from sinorus_kg.namespaces import PREFIXES, SR, shorten

__all__ = ["build_docs", "render_html"]

ONTOLOGY_IRI = URIRef("https://w3id.org/sinorus/ontology")
VANN = "http://purl.org/vocab/vann/"
LANGS = ("en", "ru", "zh")
_PROPERTY_KINDS = (
    (OWL.ObjectProperty, "Object properties", "Object property"),
    (OWL.DatatypeProperty, "Datatype properties", "Datatype property"),
)
_DECLARATION_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                      OWL.NamedIndividual, RDFS.Datatype)
_BUILTINS = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#", PREFIXES["srid"])
_CHARACTERISTICS = (
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _anchor(term: URIRef) -> str:
    return str(term)[len(SR):] if str(term).startswith(SR) else shorten(str(term))


def _term(graph: Graph, node: object) -> str:
    """A link for our own terms, a readable rendering for class expressions and externals."""
    if isinstance(node, URIRef):
        if str(node).startswith(SR):
            return f'<a href="#{_esc(_anchor(node))}"><code>{_esc(shorten(str(node)))}</code></a>'
        return f'<a href="{_esc(node)}"><code>{_esc(shorten(str(node)))}</code></a>'
    if isinstance(node, BNode):
        for op, word in ((OWL.unionOf, " ⊔ "), (OWL.intersectionOf, " ⊓ ")):
            members = graph.value(node, op)
            if members is not None:
                return "(" + word.join(_term(graph, m) for m in Collection(graph, members)) + ")"
    return _esc(node)


def _label(graph: Graph, term: object, lang: str) -> str:
    for value in sorted(graph.objects(term, RDFS.label), key=str):  # type: ignore[arg-type]
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def _definition(graph: Graph, term: object) -> str:
    values = sorted(str(v) for v in graph.objects(term, SKOS.definition))  # type: ignore[arg-type]
    return " ".join(values)


def _own(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(t for t in set(graph.subjects(RDF.type, kind)) if isinstance(t, URIRef) and str(t).startswith(SR))


def _links(graph: Graph, nodes: Iterable[object]) -> str:
    items = sorted(nodes, key=lambda n: (isinstance(n, BNode), str(n)))
    return ", ".join(_term(graph, n) for n in items) or "—"


def _labels_row(graph: Graph, term: URIRef) -> str:
    cells = "".join(
        f'<td lang="{lang}">{_esc(_label(graph, term, lang)) or "—"}</td>' for lang in LANGS
    )
    return f"<tr><th>Labels (en / ru / zh)</th>{cells}</tr>"


def _row(name: str, value: str) -> str:
    return f'<tr><th>{_esc(name)}</th><td colspan="3">{value}</td></tr>'


def _class_section(graph: Graph, cls: URIRef) -> str:
    supers = list(graph.objects(cls, RDFS.subClassOf))
    own = [s for s in supers if str(s).startswith(SR)]
    aligned = [s for s in supers if not str(s).startswith(SR)]
    subs = [s for s in graph.subjects(RDFS.subClassOf, cls)]
    disjoint = _disjoint_with(graph, cls)
    rows = [
        _labels_row(graph, cls),
        _row("Definition", _esc(_definition(graph, cls))),
        _row("Superclasses", _links(graph, own)),
        _row("Aligned with", _links(graph, aligned)),
        _row("Subclasses", _links(graph, subs)),
    ]
    if disjoint:
        rows.append(_row("Disjoint with", _links(graph, disjoint)))
    for note in sorted(str(n) for n in graph.objects(cls, SKOS.scopeNote)):
        rows.append(_row("Note", _esc(note)))
    return _section(cls, "Class", rows)


def _disjoint_with(graph: Graph, cls: URIRef) -> list[object]:
    found: set[object] = set(graph.objects(cls, OWL.disjointWith))
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        head = graph.value(axiom, OWL.members)
        members = list(Collection(graph, head)) if head is not None else []
        if cls in members:
            found.update(m for m in members if m != cls)
    return sorted(found, key=str)


def _property_section(graph: Graph, prop: URIRef, kind: str) -> str:
    supers = list(graph.objects(prop, RDFS.subPropertyOf))
    own = [s for s in supers if str(s).startswith(SR)]
    aligned = [s for s in supers if not str(s).startswith(SR)]
    inverses = set(graph.objects(prop, OWL.inverseOf)) | set(graph.subjects(OWL.inverseOf, prop))
    traits = [word for trait, word in _CHARACTERISTICS if (prop, RDF.type, trait) in graph]
    rows = [
        _labels_row(graph, prop),
        _row("Definition", _esc(_definition(graph, prop))),
        _row("Domain", _links(graph, graph.objects(prop, RDFS.domain))),
        _row("Range", _links(graph, graph.objects(prop, RDFS.range))),
        _row("Superproperties", _links(graph, own)),
        _row("Aligned with", _links(graph, aligned)),
        _row("Inverse", _links(graph, inverses)),
        _row("Characteristics", _esc(", ".join(traits)) or "—"),
    ]
    for chain in graph.objects(prop, OWL.propertyChainAxiom):
        steps = " ∘ ".join(_term(graph, s) for s in Collection(graph, chain))
        rows.append(_row("Property chain", f"{steps} → {_term(graph, prop)}"))
    return _section(prop, kind, rows)


def _section(term: URIRef, kind: str, rows: list[str]) -> str:
    anchor = _esc(_anchor(term))
    return (
        f'<section id="{anchor}"><h3>{_esc(kind)} <code>{_esc(shorten(str(term)))}</code></h3>\n'
        f'<p class="iri">{_esc(term)}</p>\n<table>\n' + "\n".join(rows) + "\n</table></section>"
    )


def _external_chains(graph: Graph) -> list[str]:
    """Chains whose superproperty is a reused term (org:holds), shown in the alignments list."""
    out = []
    for prop, chain in sorted(graph.subject_objects(OWL.propertyChainAxiom), key=lambda x: str(x[0])):
        if isinstance(prop, URIRef) and not str(prop).startswith(SR):
            steps = " ∘ ".join(_term(graph, s) for s in Collection(graph, chain))
            out.append(f"<li>{steps} → {_term(graph, prop)}</li>")
    return out


def _alignments(graph: Graph) -> str:
    items = []
    for pred, word in ((RDFS.subClassOf, "⊑"), (RDFS.subPropertyOf, "⊑")):
        for s, o in sorted(graph.subject_objects(pred), key=lambda x: (str(x[0]), str(x[1]))):
            if str(s).startswith(SR) and isinstance(o, URIRef) and not str(o).startswith(SR):
                items.append(f"<li>{_term(graph, s)} {word} {_term(graph, o)}</li>")
    items.extend(_external_chains(graph))
    reused = sorted(
        {t for kind in _DECLARATION_KINDS for t in graph.subjects(RDF.type, kind)
         if isinstance(t, URIRef) and not str(t).startswith((SR, *_BUILTINS))},
        key=str,
    )
    return (
        "<h3>Subclass, subproperty and property-chain alignments</h3>\n<ul>\n" + "\n".join(items) + "\n</ul>\n"
        "<h3>External terms reused directly (declared here, not imported)</h3>\n<p>"
        + ", ".join(_term(graph, t) for t in reused) + "</p>"
    )


def _schemes(graph: Graph) -> str:
    parts = []
    for scheme in sorted(set(graph.subjects(RDF.type, SKOS.ConceptScheme)), key=str):
        concepts = sorted(set(graph.subjects(SKOS.inScheme, scheme)), key=str)
        rows = "\n".join(
            f"<tr><td><code>{_esc(shorten(str(c)))}</code></td><td>{_esc(_label(graph, c, 'en'))}</td>"
            f"<td>{_esc(_definition(graph, c))}</td></tr>"
            for c in concepts
        )
        parts.append(
            f'<h3><code>{_esc(shorten(str(scheme)))}</code> — {_esc(_label(graph, scheme, "en"))}</h3>\n'
            f"<p>{_esc(_definition(graph, scheme))}</p>\n"
            f"<table>\n<tr><th>Concept</th><th>Label</th><th>Definition</th></tr>\n{rows}\n</table>"
        )
    return "\n".join(parts)


def _competency_questions(markdown: str) -> str:
    """Numbered items of the markdown list, with their sub-bullets as notes."""
    items = []
    for line in markdown.splitlines():
        match = re.match(r"^\s*\d+\.\s+(.*)$", line)
        if match:
            items.append(_inline(match.group(1)))
    return "<ol>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ol>"


def _inline(text: str) -> str:
    escaped = _esc(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", escaped)


_STYLE = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
table{border-collapse:collapse;margin:.3rem 0 1rem;width:100%}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4;width:12rem}.iri{color:#555;font-size:.9em;margin:.1rem 0}
code{font-size:.95em}section{margin-bottom:1.2rem}"""


def render_html(graph: Graph, competency_markdown: str = "") -> str:
    """The documentation page for the ontology in ``graph`` (a pure function: same graph, same bytes)."""
    title = str(graph.value(ONTOLOGY_IRI, DCTERMS.title) or "sinorus-kg ontology")
    header_rows = [
        _row("Ontology IRI", _esc(ONTOLOGY_IRI)),
        _row("Version IRI", _esc(graph.value(ONTOLOGY_IRI, OWL.versionIRI) or "")),
        _row("Version", _esc(graph.value(ONTOLOGY_IRI, OWL.versionInfo) or "")),
        _row("Description", _esc(graph.value(ONTOLOGY_IRI, DCTERMS.description) or "")),
        _row("Licence", _term(graph, graph.value(ONTOLOGY_IRI, DCTERMS.license))),
        _row("Creator", _esc(graph.value(ONTOLOGY_IRI, DCTERMS.creator) or "")),
        _row("Created / modified", _esc(f"{graph.value(ONTOLOGY_IRI, DCTERMS.created)} / "
                                        f"{graph.value(ONTOLOGY_IRI, DCTERMS.modified)}")),
        _row("Preferred prefix", _esc(f"{graph.value(ONTOLOGY_IRI, URIRef(VANN + 'preferredNamespacePrefix'))}: "
                                      f"{graph.value(ONTOLOGY_IRI, URIRef(VANN + 'preferredNamespaceUri'))}")),
    ]
    classes = _own(graph, OWL.Class)
    ns_rows = "\n".join(f"<tr><td><code>{_esc(p)}:</code></td><td>{_esc(iri)}</td></tr>" for p, iri in PREFIXES.items())
    toc_classes = ", ".join(_term(graph, c) for c in classes)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        "<p>Generated from <code>ontology/sinorus.ttl</code> by <code>sinorus_kg.docs</code>; do not edit by hand.</p>",
        "<table>\n" + "\n".join(header_rows) + "\n</table>",
        "<h2 id=\"competency-questions\">Competency questions</h2>",
        "<p>Questions the ontology is designed to answer, drawn from the source document.</p>",
        _competency_questions(competency_markdown),
        "<h2 id=\"namespaces\">Namespaces</h2>",
        f"<table>\n<tr><th>Prefix</th><th>IRI</th></tr>\n{ns_rows}\n</table>",
        f"<h2 id=\"classes\">Classes ({len(classes)})</h2>",
        f"<p>{toc_classes}</p>",
        *(_class_section(graph, c) for c in classes),
    ]
    for kind, heading, singular in _PROPERTY_KINDS:
        props = _own(graph, kind)
        parts.append(f'<h2 id="{_esc(heading.lower().replace(" ", "-"))}">{_esc(heading)} ({len(props)})</h2>')
        parts.extend(_property_section(graph, p, singular) for p in props)
    individuals = _own(graph, OWL.NamedIndividual)
    if individuals:
        parts.append('<h2 id="individuals">Individuals</h2>')
        for ind in individuals:
            types = [t for t in graph.objects(ind, RDF.type) if t != OWL.NamedIndividual]
            rows = [_labels_row(graph, ind), _row("Definition", _esc(_definition(graph, ind))),
                    _row("Type", _links(graph, types))]
            parts.append(_section(ind, "Individual", rows))
    parts += [
        '<h2 id="concept-schemes">Concept schemes</h2>',
        _schemes(graph),
        '<h2 id="alignments">Alignments with standard vocabularies</h2>',
        "<p>By subclass/subproperty or direct reuse, without <code>owl:imports</code>; Wikidata links use "
        "<code>schema:sameAs</code>, never <code>owl:sameAs</code>.</p>",
        _alignments(graph),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _ontology_graph() -> Graph:
    graph = new_graph()
    for path in resources.ontology_files():
        parse_turtle(path, graph)
    return graph


def build_docs(out_dir: Path, competency_questions: Path | None = None) -> Path:
    """Write ``out_dir/index.html`` from the project's ontology; returns the written path."""
    cq_path = competency_questions or resources.resource_root() / "docs" / "competency-questions.md"
    markdown = cq_path.read_text(encoding="utf-8") if cq_path.is_file() else ""
    page = render_html(_ontology_graph(), markdown)
    target = out_dir / "index.html"
    write_atomic(target, page.encode("utf-8"))
    return target


if __name__ == "__main__":  # `make docs` can call `python -m sinorus_kg.docs`
    print(build_docs(resources.resource_root() / "docs"))
