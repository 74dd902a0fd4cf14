"""Guards for SPARQL that users type: read-only, no network, bounded in time and rows.

rdflib follows SERVICE, FROM and LOAD over the network and Oxigraph follows SERVICE, and
neither can cancel a running query from Python; so the text is screened before it runs
and a time limit runs the query in a forked child that is killed when it overruns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from sinorus_kg.errors import InputError

T = TypeVar("T")

_FORBIDDEN = ("SERVICE", "LOAD", "FROM", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE",
              "ADD", "MOVE", "COPY", "WITH", "USING")
# Strings, IRIs and comments: the parts of SPARQL text that are not code (shared with remote.py).
NON_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'        # long double-quoted strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"       # long single-quoted strings
    r'|"(?:[^"\\\n]|\\.)*"'                   # double-quoted strings
    r"|'(?:[^'\\\n]|\\.)*'"                   # single-quoted strings
    r"|<[^<>\"{}|^`\\\s]*>"                   # IRIs
    r"|#[^\n]*",                              # comments
)
QUERY_FORM = re.compile(r"(?<![\w:?$-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)
_KEYWORD = re.compile(r"(?<![\w:?$])(" + "|".join(_FORBIDDEN) + r")(?![\w:-])", re.IGNORECASE)


def code_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out, offsets unchanged."""
    return NON_CODE.sub(lambda m: " " * len(m.group(0)), sparql)


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword in code (SELECT if none)."""
    match = QUERY_FORM.search(code_only(sparql))
    return match.group(1).upper() if match else "SELECT"


def check_read_only(sparql: str) -> None:
    """Reject updates and anything that could reach the network, naming the keyword found."""
    match = _KEYWORD.search(code_only(sparql))
    if match:
        word = match.group(1).upper()
        raise InputError(
            f"refused: {word} is not allowed here. Queries run read-only and offline: "
            "no SPARQL Update, no LOAD, no SERVICE, no FROM/FROM NAMED."
        )


class QueryTimeout(InputError):
    pass


def run_with_timeout(func: Callable[[], T], seconds: float) -> T:
    """Run ``func`` in a forked child and kill it after ``seconds``; errors are re-raised here."""
    import multiprocessing  # here: ~12 ms that a stored query without a time limit need not pay

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def target() -> None:
        try:
            child.send(("ok", func()))
        except BaseException as exc:  # forwarded to the parent, which decides
            child.send(("error", exc))

    process = ctx.Process(target=target, daemon=True)
    process.start()
    child.close()
    if not parent.poll(seconds):
        process.kill()
        process.join()
        raise QueryTimeout(f"the query ran longer than the {seconds:g} s time limit and was stopped "
                           "(raise it with --timeout)")
    status, value = parent.recv()
    process.join()
    if status == "error":
        raise value
    result: Any = value
    return result
