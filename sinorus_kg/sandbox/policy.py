"""The read-only, offline policy, decided on the parse that runs — never on a text screen.

A user's query is judged in three steps, all inside the query worker:

1. ``prepare``: linear checks on the text, then the one rewrite both parsers must agree on.
   SPARQL expands ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes across the whole text before parsing
   (rdflib does; Oxigraph only inside strings and IRIs, so ``"\\u0022 # " . SERVICE …`` reads
   differently to each), and ends comments at ``\\r`` as well as ``\\n`` (rdflib's comment
   rule runs to ``\\n`` only). So the escapes are expanded here, line ends become ``\\n``, and
   that text is what is checked *and* what Oxigraph runs. Too long, too deeply nested, a lone
   surrogate: refused before any parser sees it.
2. ``check``: rdflib parses it (``parseQuery`` → ``translateQuery`` with the project's prefixes
   passed as ``initNs``, so positions stay in the user's text), and the parse tree and the
   algebra are walked: SERVICE (also ``SERVICE ?var`` and SILENT), FROM / FROM NAMED, unknown
   prefixes and function IRIs other than the engine's casts are refused with a reason; an update
   (INSERT, LOAD, CLEAR…) is refused as such (405).
3. The worker runs the checked form: on rdflib the checked algebra itself (not a re-parse, and
   not ``translateAlgebra`` back to text, which changed 17 of the 40 stored queries' answers), on
   Oxigraph the checked text. The guarantee stays the worker's network isolation
   (``isolation.py``); this policy is what turns an attempt into a clear 4xx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import PREFIXES

MAX_QUERY_CHARS = 100_000  # as the server's body limit: far above a hand-written query
MAX_NESTING = 128  # brackets ( { [ open at once; deeper texts are refused unparsed

_XSD = "http://www.w3.org/2001/XMLSchema#"
# Function IRIs each engine evaluates itself (the XSD casts); anything else names outside code.
RDFLIB_FUNCTIONS = frozenset(_XSD + t for t in ("string", "dateTime", "float", "double", "decimal",
                                                 "integer", "boolean"))
OXIGRAPH_FUNCTIONS = RDFLIB_FUNCTIONS | frozenset(
    _XSD + t for t in ("date", "time", "duration", "yearMonthDuration", "dayTimeDuration"))
FUNCTIONS = {"rdflib": RDFLIB_FUNCTIONS, "oxigraph": OXIGRAPH_FUNCTIONS}

OFFLINE = "queries run read-only and offline (no SERVICE, LOAD, FROM/FROM NAMED, dataset parameters or updates)"
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
_RDFLIB_ESCAPE = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.IGNORECASE)  # rdflib's own rule
_SURROGATE = re.compile("[\ud800-\udfff]")
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")


class Refused(InputError):
    """A query the policy will not run: ``status`` is the HTTP-like answer (400, 405, 413)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CheckedQuery:
    text: str  # escape-expanded, line ends normalised: what Oxigraph runs
    query: Any  # rdflib's translated Query (prologue + algebra): what rdflib evaluates
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def prepare(text: str) -> str:
    """The text both parsers will read, after linear checks; Refused if it cannot be that."""
    if len(text) > MAX_QUERY_CHARS:
        raise Refused(f"the query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}", 413)

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF:
            raise Refused(f"{match.group(0)} at {_position(text, match.start())} is not a Unicode code point")
        return chr(code)

    expanded = _ESCAPE.sub(expand, text)
    again = _RDFLIB_ESCAPE.search(expanded)
    if again:  # \U0041 (4 digits), or \u005Cu0041 (an escape spelling another): parsers would differ
        raise Refused(f"ambiguous escape {again.group(0)!r}: write \\uXXXX (4 hex digits) or \\UXXXXXXXX (8), "
                      "and no escape that spells another one")
    lone = _SURROGATE.search(expanded)
    if lone:
        raise Refused(f"a lone surrogate U+{ord(lone.group(0)):04X} at {_position(expanded, lone.start())} "
                      "is not a character (write a code point above U+FFFF as \\UXXXXXXXX)")
    normalised = expanded.replace("\r\n", "\n").replace("\r", "\n")
    depth = deepest = 0
    for char in normalised:
        if char in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise Refused(f"the query nests brackets more than {MAX_NESTING} deep; "
                                  "flatten it (e.g. fewer nested groups or parentheses)")
        elif char in _CLOSE and depth:
            depth -= 1
    return normalised


class _ServiceFound(Exception):
    """Raised by rdflib's parser the moment its grammar reads SERVICE as a graph pattern."""


def _refuse_service_while_parsing(instring: str, loc: int, tokens: Any) -> None:
    end = loc + len(tokens[0]) if tokens else loc
    if instring[end: end + 1] != ":":  # `SERVICE:x` is a prefixed name, not the keyword
        raise _ServiceFound()


_TRIPWIRE: list[bool] = []


def _install_service_tripwire() -> None:
    """rdflib's parse action for a SERVICE pattern re-searches the whole text for it
    (``service_string``), which recurses on nested SERVICE: 13 s to a RecursionError for three
    levels. SERVICE is refused anyway, so stop the parse where the grammar first reads it."""
    if _TRIPWIRE:
        return
    from rdflib.plugins.sparql import parser

    keyword = parser.ServiceGraphPattern.expr.exprs[0]  # type: ignore[attr-defined]  # 'SERVICE' [SILENT]
    if "SERVICE" not in str(keyword):
        raise RuntimeError(f"rdflib's SERVICE grammar has changed ({keyword}): update the policy's tripwire")
    keyword.add_parse_action(_refuse_service_while_parsing)
    _TRIPWIRE.append(True)


def check(text: str, engine: str = "oxigraph", prefixes: Mapping[str, str] = PREFIXES) -> CheckedQuery:
    """Parse the prepared ``text`` with rdflib and refuse what reaches outside the release."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    _install_service_tripwire()
    try:
        tree = parseQuery(text)
    except _ServiceFound:
        raise Refused(f"refused: SERVICE is not allowed: {OFFLINE}") from None
    except ParseBaseException as exc:
        _refuse_update(text)
        raise Refused(syntax_message(text, exc)) from None
    except RecursionError:
        raise Refused("the query is too complex for the query checker's parser; split or simplify it") from None
    _check_tree(tree, prefixes)
    try:
        query = translateQuery(tree, base=None, initNs=dict(prefixes))
    except RecursionError:
        raise Refused("the query is too complex for the query checker; split or simplify it") from None
    except Exception as exc:  # rdflib raises bare Exceptions for semantic errors (e.g. a bad GROUP BY)
        raise Refused(f"the query cannot be evaluated: {exc}") from None
    _check_algebra(query.algebra, FUNCTIONS.get(engine, RDFLIB_FUNCTIONS))
    form = query.algebra.name.removesuffix("Query").upper()
    return CheckedQuery(text, query, form)


def syntax_message(text: str, exc: Any) -> str:
    """pyparsing's error in the project's words, placed in the user's text (``sparql_errors``)."""
    from sinorus_kg.sparql_errors import from_pyparsing

    return from_pyparsing(text, exc)


def _refuse_update(text: str) -> None:
    """If ``text`` is a SPARQL Update, refuse it as one (405), naming its operations."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(text)
    except _ServiceFound:
        raise Refused(f"refused: SERVICE is not allowed, and neither are updates: {OFFLINE}", 405) from None
    except (ParseBaseException, RecursionError, ValueError):
        return
    names = sorted({_UPDATE_NAMES.get(op.name, op.name) for op in update.get("request") or []})
    raise Refused(f"refused: {', '.join(names) or 'SPARQL Update'} is an update; {OFFLINE}", 405)


_UPDATE_NAMES = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
                 "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
                 "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT"}


def _nodes(root: Any) -> Iterator[Any]:
    """Every CompValue under ``root`` (parse tree or algebra), iteratively (trees may be deep)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Node

    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (str, bytes, Node)) or node is None:
            continue
        elif isinstance(node, (list, tuple, set, frozenset)) or hasattr(node, "as_list"):
            stack.extend(node)


def _check_tree(tree: Any, prefixes: Mapping[str, str]) -> None:
    """On the parse tree, before translation: SERVICE, FROM, and prefixes nobody declared."""
    declared = set(prefixes)
    used: dict[str, None] = {}
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            raise Refused(f"refused: SERVICE is not allowed: {OFFLINE}")
        if node.name == "DatasetClause":
            raise Refused(f"refused: {'FROM NAMED' if 'named' in node else 'FROM'} is not allowed: {OFFLINE}")
        if node.name == "PrefixDecl":
            declared.add(str(node.get("prefix") or ""))
        elif node.name == "pname":
            used.setdefault(str(node.get("prefix") or ""), None)
    unknown = [p for p in used if p not in declared]
    if unknown:
        from sinorus_kg.sparql_errors import unknown_prefix

        raise Refused(unknown_prefix(unknown, prefixes))


def _check_algebra(algebra: Any, functions: frozenset[str]) -> None:
    """On the algebra that will run: SERVICE again (wherever translation put it), FROM, functions."""
    if algebra.get("datasetClause"):
        raise Refused(f"refused: FROM is not allowed: {OFFLINE}")
    for node in _nodes(algebra):
        if node.name == "ServiceGraphPattern":
            raise Refused(f"refused: SERVICE is not allowed: {OFFLINE}")
        if node.name == "Function":
            iri = str(node.get("iri"))
            if iri not in functions:
                allowed = ", ".join(sorted("xsd:" + f.removeprefix(_XSD) for f in functions))
                raise Refused(f"refused: the function <{iri}> is not supported (only the casts {allowed}); "
                              "queries cannot call outside code")


__all__ = ["FUNCTIONS", "MAX_NESTING", "MAX_QUERY_CHARS", "CheckedQuery", "Refused", "check", "prepare",
           "syntax_message"]
