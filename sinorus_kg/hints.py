"""One line on stderr when a stored query's answer is empty: what was asked, and what to try next.

An empty table with exit 0 reads as "the graph knows nothing", when the question may have
been asked of the wrong query or with a value from elsewhere. Values outside a declared range
never get here (``ranges`` refuses them); what is left is a real "none", said as such, with
the query's own pointer to its neighbour when its header has one (``#+ empty: …``).
"""

from __future__ import annotations

from collections.abc import Mapping

from sinorus_kg.catalogue import StoredQuery


def empty_hint(stored: StoredQuery, params: Mapping[str, object]) -> str:
    """``hint: …`` for an empty answer of ``stored`` run with ``params`` (the values the user gave)."""
    asked = ", ".join(f"{name}={value}" for name, value in params.items())
    defaults = ", ".join(f"{p.name}={p.default}" for p in stored.params if p.default and p.name not in params)
    what = f" for {asked}" if asked else ""
    if defaults:
        what += f"{' and' if asked else ' for'} the defaults {defaults}"
    pointer = str(stored.metadata.get("empty") or "").strip()
    if not pointer:
        pointer = ("the graph has nothing matching; try other values (`sinorus-kg queries` shows each parameter's "
                   "default and type) or find identifiers with `sinorus-kg search NAME`" if stored.params
                   else "the graph has nothing of this kind")
    return f"hint: no rows{what}: {pointer}"


__all__ = ["empty_hint"]
