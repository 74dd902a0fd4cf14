"""Tables that fit the terminal they are printed on.

The width is the terminal's (``COLUMNS`` when set, as ``shutil`` reads it; 160 when the output
is not a terminal). Text wraps at spaces; what reads as one value — a date, a number, a
prefixed name such as ``person:sergey-lavrov`` (copied into the next ``--param``), a column
header — is never split across lines.
When the columns cannot all fit with their values whole, each row is printed as a record
(``column: value`` lines, as ``psql``'s expanded mode does), rather than a table of slivers.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Sequence

PIPE_WIDTH = 160  # output to a file or a pipe: wide, so that nothing is wrapped without need
MIN_WIDTH = 40
WIDE = 120  # a terminal this wide has room for secondary columns
ATOM_MAX = 32  # a space-free token up to this long is kept whole (prefixed names, dates, numbers)
READABLE = 16  # a column narrower than this (and than its text) reads badly: print records instead
CAPS = (ATOM_MAX, 20, 14, 10, 0)  # when the columns do not fit, fold tokens longer than these, in turn
_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?[,;.]?$")
_NAME = re.compile(r"^[a-z][\w-]*:[\w.-]+$")  # a prefixed name: what a --param takes, so copied whole
_NUMBER = re.compile(r"^[-+]?\d[\d.,]{0,11}$")
_BORDER = 3  # "│ " before each column and " " after it; one more "│" closes the row


def terminal_width() -> int:
    """The terminal's width in characters (``COLUMNS`` first), at least ``MIN_WIDTH``: the columns
    ``shutil.get_terminal_size((PIPE_WIDTH, 24))`` gives, read here because importing ``shutil``
    costs a cold query ~4 ms."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or PIPE_WIDTH  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # no stdout, a closed one, or not a terminal
            columns = PIPE_WIDTH
    return max(columns, MIN_WIDTH)


Atoms = tuple[int, tuple[int, ...]]  # a cell's longest always-whole token, and its other tokens' lengths


def _atoms(cell: str, names: bool) -> Atoms:
    """The parts of ``cell`` that must stay on one line: dates, numbers and prefixed names always
    (the longest of them), other space-free tokens (words, IRIs) up to a cap chosen later."""
    whole = 0
    others = []
    for token in cell.split():
        if _DATE.match(token) or _NUMBER.match(token) or (names and _NAME.match(token)):
            whole = max(whole, len(token))
        else:
            others.append(len(token))
    return whole, tuple(others)


def _analysed(rows: Sequence[Sequence[str]], count: int, names: bool) -> list[list[Atoms]]:
    """Each column's distinct cells as atoms, read once for every cap (a long answer repeats its
    dates, kinds and statuses; the tokens were read once per cap: 2.5 s for 10,960 rows)."""
    return [[_atoms(cell, names) for cell in {row[i] for row in rows}] for i in range(count)]


def _atom(atoms: Atoms, cap: int) -> int:
    whole, others = atoms
    return max(whole, max((n for n in others if n <= cap), default=0))


def _needed(columns: Sequence[str], analysed: list[list[Atoms]], cap: int) -> list[int]:
    """Each column's narrowest width: its header and its atoms; the first column (the row's key,
    e.g. a query's name) keeps its names whole up to ``ATOM_MAX`` whatever ``cap``."""
    return [max([len(header), *(_atom(atoms, ATOM_MAX if i == 0 else cap) for atoms in analysed[i])])
            for i, header in enumerate(columns)]


def render_table(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None,
                 whole_names: bool = True) -> str:
    """A boxed table of ``rows`` no wider than ``width`` (default: the terminal's), or records when
    the columns cannot fit with their values whole, or some column would be too narrow to read.
    ``whole_names=False`` lets prefixed names after the first column fold like words (a listing
    whose names are examples, not the answer to copy)."""
    width = width or terminal_width()
    room = width - _BORDER * len(columns) - 1
    natural = _natural(columns, rows)
    analysed = _analysed(rows, len(columns), whole_names)
    for cap in CAPS:  # long identifiers may fold at the end of a line first, then long words; dates never
        needed = _needed(columns, analysed, cap)
        if sum(needed) > room:
            continue
        widths = _widths(natural, needed, room)
        if all(w >= min(n, READABLE) for w, n in zip(widths, natural, strict=True)):
            break
    else:
        if rows:
            return render_records(columns, rows, width)
        widths = [len(c) for c in columns]
    from sinorus_kg.boxed_table import can_draw, draw

    if can_draw(columns, rows, widths, width):  # rich's table, drawn without importing rich (~30 ms)
        return draw(columns, rows, widths)
    return rich_table(columns, rows, widths, width)


def rich_table(columns: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int], width: int) -> str:
    """The table drawn by rich, with these column widths, on a console ``width`` wide."""
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    for column, fixed in zip(columns, widths, strict=True):
        table.add_column(column, overflow="fold", width=fixed)
    for row in rows:
        table.add_row(*row)
    buffer = io.StringIO()
    Console(file=buffer, width=width, force_terminal=False, color_system=None).print(table)
    return buffer.getvalue()


def _natural(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with nothing wrapped: its longest line."""
    return [max([len(header), *(len(line) for row in rows for line in row[i].splitlines())])
            for i, header in enumerate(columns)]


def _widths(natural: list[int], needed: list[int], room: int) -> list[int]:
    """Each column's width: its longest line when all fit; else the narrow columns get what they
    need to stay whole and the wide ones share the rest evenly (never below their narrowest)."""
    if sum(natural) <= room:
        return natural
    widths = list(needed)
    spare = room - sum(needed)
    order = sorted(range(len(natural)), key=lambda i: natural[i] - needed[i])
    for k, i in enumerate(order):
        share = spare // (len(order) - k)
        grant = min(natural[i] - needed[i], share)
        widths[i] += grant
        spare -= grant
    return widths


def _fits(line: str, width: int) -> bool:
    """``textwrap.wrap`` would give back ``line`` itself (most values: wrapping each took 70% of
    printing 10k records)."""
    return 0 < len(line) <= width and "\t" not in line and not line[0].isspace() and not line[-1].isspace()


def render_records(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """Each row as ``column  value`` lines under a ``-[ n ]-`` rule; long values wrap at spaces,
    indented under the value column."""
    import textwrap

    width = width or terminal_width()
    name_width = max((len(c) for c in columns), default=0)
    value_width = max(width - name_width - 2, 20)
    out: list[str] = []
    for number, row in enumerate(rows, start=1):
        out.append(f"-[ {number} ]" + "-" * max(width - len(str(number)) - 6, 0))
        for column, value in zip(columns, row, strict=True):
            lines = [wrapped for line in value.splitlines()
                     for wrapped in ((line,) if _fits(line, value_width) else
                                     textwrap.wrap(line, value_width, break_long_words=True, break_on_hyphens=False))]
            lines = lines or [""]
            out.append(f"{column:<{name_width}}  {lines[0]}")
            out.extend(" " * (name_width + 2) + line for line in lines[1:])
    return "\n".join(out) + "\n"


__all__ = ["WIDE", "render_records", "render_table", "terminal_width"]
