"""Binding parameters as a VALUES row: terms checked and escaped, placed first in the WHERE group.

A SPARQL 1.1 endpoint has no substitution API, and pyoxigraph's ``substitutions`` do not narrow
the search (a VALUES row was 26–242× faster at a million triples), so both the embedded Oxigraph
engine and the endpoint engine (``remote``) bind parameters this way. Every term is checked
(IRIs, language tags) and written so that nothing in it can end it early; a user's text is never
pasted into query text. Its own module, so that a cold stored query imports no HTTP client.
"""

from __future__ import annotations

import re

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import check_iri
from sinorus_kg.safety import QUERY_FORM, code_only
from sinorus_kg.terms import Term

__all__ = ["bind_values", "values_block"]

_WHERE = re.compile(r"\s*WHERE(?![\w:-])", re.IGNORECASE)
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPED_U = re.compile(r"((?:\\\\)+)([uU])")  # escaped backslashes, then u or U


def _closing_brace(code: str, start: int) -> int:
    """The offset of the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    for i in range(start, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise InputError("cannot bind parameters: the query has an unbalanced '{'")


def _where_group(sparql: str) -> tuple[int, tuple[int, int] | None]:
    """Offset of the top-level WHERE group's ``{``; for ``CONSTRUCT WHERE``, also its WHERE and ``}``."""
    code = code_only(sparql)
    form = QUERY_FORM.search(code)
    if form is None:
        raise InputError("cannot bind parameters: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    position = form.end()
    if form.group(1).upper() == "CONSTRUCT":
        short = _WHERE.match(code, position)
        if short:  # CONSTRUCT WHERE { triples }: the group is also the template
            brace = code.find("{", short.end())
            if brace < 0:
                raise InputError("cannot bind parameters: CONSTRUCT WHERE has no '{'")
            return brace, (short.start(), _closing_brace(code, brace))
        template = code.find("{", position)
        if template < 0:
            raise InputError("cannot bind parameters: CONSTRUCT has no template")
        position = _closing_brace(code, template) + 1
    parens = 0
    for i in range(position, len(code)):
        char = code[i]
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{" and parens == 0:  # a '{' inside ( ) is an EXISTS in the projection
            return i, None
    raise InputError(f"cannot bind parameters: the {form.group(1).upper()} query has no WHERE group")


def _checked(term: Term) -> str:
    """``term`` in N-Triples form, after checking that nothing in it can end it early."""
    if term.kind == "bnode":
        raise InputError("a blank node cannot be bound as a parameter")
    if term.kind == "iri":
        _check_iri(term.value)
    elif term.lang is not None and not _LANG.fullmatch(term.lang):
        raise InputError(f"not a valid language tag: {term.lang!r}")
    elif term.datatype is not None:
        _check_iri(term.datatype)
    # SPARQL 1.1 (19.2) lets a server decode \u escapes before parsing, where the "\u" of an
    # escaped backslash could become a quote: write that u as \u0075, the same text either way.
    return _ESCAPED_U.sub(lambda m: m.group(1) + ("\\u0075" if m.group(2) == "u" else "\\u0055"), term.n3())


def _is_iri(iri: str) -> bool:
    try:
        check_iri(iri)
    except ValueError:
        return False
    return True


def _check_iri(iri: str) -> None:
    try:
        check_iri(iri)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def values_block(bindings: dict[str, Term]) -> str:
    """``VALUES (?a ?b) { (t1 t2) }`` for one row of validated, escaped terms."""
    for name in bindings:
        if not _VARIABLE.fullmatch(name):
            raise InputError(f"not a valid variable name: {name!r}")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(_checked(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def bind_values(sparql: str, bindings: dict[str, Term] | None) -> str:
    """The query with ``bindings`` as a VALUES row first in its top-level WHERE group."""
    if not bindings:
        return sparql
    values = values_block(bindings)
    brace, short = _where_group(sparql)
    if short is not None:  # CONSTRUCT WHERE { T } means CONSTRUCT { T } WHERE { T }
        where, end = short
        triples = sparql[brace + 1:end]
        return f"{sparql[:where]} {{{triples}}} WHERE {{ {values}\n{triples}}}{sparql[end + 1:]}"
    return f"{sparql[:brace + 1]} {values}\n{sparql[brace + 1:]}"
