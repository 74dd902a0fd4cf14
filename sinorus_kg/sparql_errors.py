"""SPARQL syntax errors in the project's words, with the place shown under the user's own text.

Both parsers speak their grammar: rdflib (pyparsing) says ``Expected {SelectQuery |
ConstructQuery | …}``, Oxigraph lists five lines of Unicode ranges and says ``expected
CONSTRUCT`` for a misspelt ``SELECT``. A person needs the line and column, the line itself
with a caret under the place, and a reason they can act on: an unknown prefix named as such
(with the predeclared ones), a query that must begin with a query form, the keywords that
could come next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sinorus_kg.namespaces import PREFIXES

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_GRAMMAR_NAMES = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE",
                  "AskQuery": "ASK"}
_BEGIN = "a query begins with SELECT, CONSTRUCT, DESCRIBE or ASK (after any PREFIX and BASE declarations)"
_LOST = ("the query cannot be read from here on: look for an unclosed bracket or quote, a missing '.' "
         "or an incomplete expression")
_OXIGRAPH = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_PNAME_BEFORE = re.compile(r"([A-Za-z][\w.-]*)?:[\w.-]*$")
MAX_EXPECTED = 8


def position(text: str, offset: int) -> str:
    """``line:column`` (both from 1) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def pointer(text: str, offset: int) -> str:
    """The line of ``text`` holding ``offset``, and a caret under it (long lines cut around it)."""
    offset = min(max(offset, 0), len(text))
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start: end if end >= 0 else len(text)]
    column = offset - start
    if len(line) > 120:
        cut = max(0, column - 60)
        line, column = ("…" if cut else "") + line[cut: cut + 120], column - cut + (1 if cut else 0)
    return f"  {line}\n  {' ' * column}^"


def unknown_prefix(names: Iterable[str], prefixes: Iterable[str] = PREFIXES) -> str:
    """The message for prefixes nobody declared, listing the predeclared ones."""
    shown = ", ".join(f"{p}:" for p in names)
    return (f"unknown prefix {shown} — declare it with PREFIX, or use one of the predeclared: "
            + ", ".join(f"{p}:" for p in prefixes))


def _first_word(text: str) -> tuple[int, str]:
    """The offset and the upper-cased first word after comments and PREFIX/BASE declarations."""
    without = re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), text)
    prologue = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.I)
    end = prologue.match(without)
    offset = end.end() if end else 0
    word = re.match(r"[A-Za-z]*", without[offset:])
    return offset, (word.group(0) if word else "").upper()


def _begins_badly(text: str) -> bool:
    """The first word (after the prologue) is no query form: what every parser then says is misleading."""
    return _first_word(text)[1] not in FORMS


def from_pyparsing(text: str, exc: Any) -> str:
    """rdflib's ParseException as ``SPARQL syntax error at L:C: reason`` and the pointer."""
    offset = min(max(int(getattr(exc, "loc", 0)), 0), len(text))
    raw = str(getattr(exc, "msg", "") or exc)
    names = re.findall(r"[A-Za-z]+Query", raw)
    if _begins_badly(text):
        reason, offset = _BEGIN, _first_word(text)[0]
    elif names and all(n in _GRAMMAR_NAMES for n in names):
        reason = _LOST
    elif raw == "Expected end of text":
        reason = "unexpected text here: the query ended before it (a '}' too many?)"
    else:
        reason = re.sub(r"^Expected", "expected", raw)
        for name, keyword in _GRAMMAR_NAMES.items():
            reason = reason.replace(name, keyword)
    return f"SPARQL syntax error at {position(text, offset)}: {reason}\n{pointer(text, offset)}"


def from_oxigraph(text: str, message: str) -> str:
    """Oxigraph's ``error at L:C: expected one of …`` in the same form; the text is the one it read."""
    found = _OXIGRAPH.match(message.strip())
    if not found:
        return f"SPARQL syntax error: {message.strip().splitlines()[0] if message.strip() else 'unreadable query'}"
    line, column, detail = int(found.group(1)), int(found.group(2)), found.group(3)
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    offset = min(max(offset, 0), len(text))
    if "Prefix not found" in detail:
        name = _PNAME_BEFORE.search(text[:offset].rstrip())
        reason = unknown_prefix([name.group(1) or ""]) if name else "a prefixed name uses an undeclared prefix"
    elif _begins_badly(text):
        reason, offset = _BEGIN, _first_word(text)[0]
    else:
        reason = _expected(detail)
    return f"SPARQL syntax error at {position(text, offset)}: {reason}\n{pointer(text, offset)}"


def _expected(detail: str) -> str:
    """``expected one of …`` keeping keywords and punctuation, dropping character-class ranges."""
    body = detail.removeprefix("expected one of ").removeprefix("expected ")
    items, depth, current = [], 0, ""
    for char in body:
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip())
    words = [i for i in items if i and ".." not in i and "\\u" not in i]
    words = [w[2:-2] if re.fullmatch(r"\['.+'\]", w) else w for w in words]
    if not words:
        return "unexpected character here"
    more = f" (and {len(words) - MAX_EXPECTED} more)" if len(words) > MAX_EXPECTED else ""
    return ("expected " if len(words) == 1 else "expected one of ") + ", ".join(words[:MAX_EXPECTED]) + more


__all__ = ["from_oxigraph", "from_pyparsing", "pointer", "position", "unknown_prefix"]
