r"""Reading the text of *stored* queries (trusted files of the catalogue): where code is, and
which query form a file holds, for the catalogue, its RDF description and the remote engine.

A user's query is never judged here: ``sinorus_kg.sandbox.policy`` decides on the parse that
runs, in the sandboxed worker. (A text screen of this kind disagreed with the real parsers —
comments ended by ``\r``, escapes in prefixed names, ``\u`` escapes in keywords.)
"""

from __future__ import annotations

import re

# Strings, IRIs and comments: the parts of SPARQL text that are not code (shared with remote.py).
NON_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'        # long double-quoted strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"       # long single-quoted strings
    r'|"(?:[^"\\\n]|\\.)*"'                   # double-quoted strings
    r"|'(?:[^'\\\n]|\\.)*'"                   # single-quoted strings
    r"|<[^<>\"{}|^`\\\s]*>"                   # IRIs
    r"|#[^\r\n]*",                            # comments (end at \r or \n)
)
QUERY_FORM = re.compile(r"(?<![\w:?$-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)


def code_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out, offsets unchanged."""
    return NON_CODE.sub(lambda m: " " * len(m.group(0)), sparql)


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword in code (SELECT if none)."""
    match = QUERY_FORM.search(code_only(sparql))
    return match.group(1).upper() if match else "SELECT"
