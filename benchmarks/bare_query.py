"""The floor for a cold stored query: a bare Python process that opens the release's on-disk
Oxigraph store read-only and runs one stored query's text, printing CSV. `sinorus-kg query NAME`
should cost at most twice this (issue 13); bench_scale.py times both side by side.

Usage: python benchmarks/bare_query.py STORE_DIR QUERY_FILE PROLOGUE_FILE [PARAM_VALUES_BLOCK]
(the store is the folder ``sinorus_kg.store.store_path`` names in the XDG cache; the prologue file
holds the PREFIX lines the CLI prepends, ``namespaces.sparql_prologue()``; the optional fourth
argument is the VALUES block the CLI binds, e.g. from ``binding.values_block``).
"""

import sys

import pyoxigraph as ox

store = ox.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as handle:
    text = handle.read()
with open(sys.argv[3], encoding="utf-8") as handle:
    prologue = handle.read()
if len(sys.argv) > 4:  # parameters bound as the CLI binds them: a VALUES row first in the WHERE group
    where = text.index("{", text.index("WHERE"))
    text = text[:where + 1] + " " + sys.argv[4] + "\n" + text[where + 1:]
result = store.query(prologue + text)
out = [",".join(v.value for v in result.variables)]
out += [",".join("" if term is None else term.value for term in row) for row in result]
sys.stdout.write("\n".join(out) + "\n")
