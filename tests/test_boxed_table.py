"""boxed_table draws terminal_table's tables exactly as rich does (random tables, both ways), and
leaves to rich the text it cannot measure the same way."""

from __future__ import annotations

import random

import pytest

from sinorus_kg.boxed_table import can_draw, draw
from sinorus_kg.terminal_table import rich_table

# words of every kind a cell holds: short and long (longer than their column: folded), prefixed
# names, dates, numbers, punctuation, Cyrillic, accented Latin, Greek
PIECES = ["a", "of", "the", "Treaty", "Good-Neighborliness,", "person:sergey-lavrov", "1950-02-14", "2",
          "(1949)", "U.S.S.R.", "Сергей", "Лавров", "Pékin", "Ωmega", "x" * 25, "event:1949-10-02-establishment-of",
          "https://w3id.org/sinorus/id/x", "—", "a/b", "«quoted»", "'single'", '"double"', "\\back", "#1", "50%"]
SPACES = [" ", " ", " ", "  ", "   ", "\n", " \n", "\n\n"]


def _cell(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8, 14])):
        parts += [rng.choice(PIECES), rng.choice(SPACES)]
    text = "".join(parts)
    return rng.choice([text, text.strip(), " " + text, text.rstrip() + "  "])


def test_random_tables_match_rich() -> None:
    rng = random.Random(13)
    drawn = 0
    for _ in range(600):
        n = rng.randint(1, 5)
        columns = [rng.choice(["name", "event", "firstDated", "a", "parties", "sentence text", "x" * 20])
                   for _ in range(n)]
        rows = [[_cell(rng) for _ in range(n)] for _ in range(rng.choice([0, 1, 1, 2, 3, 6]))]
        widths = [rng.randint(1, 30) for _ in range(n)]
        width = sum(widths) + 3 * n + 1 + rng.choice([0, 0, 1, 7, 40])
        if not can_draw(columns, rows, widths, width):
            continue
        drawn += 1
        assert draw(columns, rows, widths) == rich_table(columns, rows, widths, width), (columns, rows, widths)
    assert drawn > 400  # nearly every random table is one boxed_table draws


@pytest.mark.parametrize("cell", ["[bold]x[/bold]", "a [sic] b", "note :smile: here", "a:b:c", "中文",
                                  "tab\there", "no\xa0break", "soft\xadhyphen", "cr\rlf", "bell\x07"])
def test_text_rich_would_read_otherwise_goes_to_rich(cell: str) -> None:
    assert not can_draw(["col"], [[cell]], [20], 80)


def test_every_character_drawn_is_one_cell_to_rich() -> None:
    from rich.cells import cell_len

    drawn = [chr(c) for c in range(0x30000) if can_draw(["c"], [[chr(c)]], [5], 80)]
    assert len(drawn) > 900
    assert all(cell_len(c) == 1 and not c.isspace() for c in drawn if c not in " \n")  # a newline: a new line


def test_a_table_wider_than_the_console_goes_to_rich() -> None:
    assert can_draw(["a", "b"], [["x", "y"]], [10, 10], 27)
    assert not can_draw(["a", "b"], [["x", "y"]], [10, 10], 26)
