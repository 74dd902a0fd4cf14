"""A boxed table drawn character for character as rich draws ``terminal_table``'s tables, without rich.

Importing rich and rendering one table through it cost a cold ``sinorus-kg query`` more than the
query itself (rich's import alone is ~30 ms; the bare process that opens the store and runs the
query, ~35 ms). ``terminal_table`` has already chosen every column's width, so what is left is
rich's word wrap (``rich._wrap.divide_line``: words keep their trailing spaces, a word longer than
the column is folded) and its ``HEAVY_HEAD`` box. This module draws that, for the text it can
measure exactly: characters rich counts one cell wide, no markup or emoji codes (rich would read
``[…]`` and ``:name:`` in a cell), no control characters. Anything else goes to rich, as before.
A test draws many tables both ways and requires the same text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Characters rich measures as one cell: its single-cell ranges (rich.cells) less the no-break space
# (whitespace to rich's word split) and the box-drawing and Braille ranges, plus the dashes, quotes,
# ellipsis (a cut cell ends in "…") and other general punctuation that is neither space nor zero-width.
_ONE_CELL = re.compile("[\x20-\x7e\xa1-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\n]*")
_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word: a word with the spaces around it
_MARKUP_OR_EMOJI = re.compile(r"\[|:\S*:")  # rich's console markup ([bold]) and emoji codes (:smile:)


def can_draw(columns: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int], width: int) -> bool:
    """Whether ``draw`` gives rich's output: the table fits ``width`` and every cell is plain text
    of one-cell characters."""
    if sum(widths) + 3 * len(widths) + 1 > width or not columns or min(widths) < 1:
        return False
    return all(_ONE_CELL.fullmatch(cell) and not _MARKUP_OR_EMOJI.search(cell)
               for cells in (columns, *rows) for cell in cells)


def _wrap(text: str, width: int) -> list[str]:
    """A cell's lines, each ``width`` characters: rich's ``Text.wrap`` (justify left, overflow fold)."""
    out = []
    for line in text.split("\n"):
        breaks = []
        offset = 0
        for match in _WORD.finditer(line):
            start, word = match.start(), match.group()
            length = len(word.rstrip())
            if width - offset >= length:
                offset += len(word)
            elif length > width:  # longer than the column: folded into column-wide pieces
                pieces = [word[i:i + width] for i in range(0, len(word), width)]
                for piece in pieces[:-1]:
                    if start:
                        breaks.append(start)
                    start += len(piece)
                if start:
                    breaks.append(start)
                offset = len(pieces[-1])
            elif offset and start:
                breaks.append(start)
                offset = len(word)
        bounds = [0, *breaks, len(line)] if breaks else [0, len(line)]
        for begin, end in zip(bounds, bounds[1:], strict=False):
            piece = line[begin:end]
            if len(piece) > width:  # rich's rstrip_end: trailing spaces past the edge go first
                spaces = len(piece) - len(piece.rstrip())
                piece = piece[:len(piece) - min(spaces, len(piece) - width)]
            out.append(piece[:width].ljust(width))
    return out


def _row(cells: Sequence[str], widths: Sequence[int], bar: str, header: bool = False) -> list[str]:
    """A row's lines: cells aligned to the top, the header's to the bottom (as rich aligns them)."""
    wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    for lines, w in zip(wrapped, widths, strict=True):
        blank = [" " * w] * (height - len(lines))
        if header:
            lines[:0] = blank
        else:
            lines.extend(blank)
    return [bar + bar.join(f" {lines[i]} " for lines in wrapped) + bar for i in range(height)]


def draw(columns: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> str:
    """The table as ``rich.table.Table(header_style="bold")`` prints it with these column widths
    (overflow fold) on a console without colour; check ``can_draw`` first."""
    def rule(left: str, line: str, cross: str, right: str) -> str:
        return left + cross.join(line * (w + 2) for w in widths) + right

    lines = [rule("┏", "━", "┳", "┓"), *_row(columns, widths, "┃", header=True), rule("┡", "━", "╇", "┩")]
    for cells in rows:
        lines.extend(_row(cells, widths, "│"))
    lines.append(rule("└", "─", "┴", "┘"))
    return "\n".join(lines) + "\n"


__all__ = ["can_draw", "draw"]
