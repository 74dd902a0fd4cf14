"""Running a stored query for a person at a terminal: `sinorus-kg query NAME …`.

One function for both entry points (the typer-free fast path in ``entry`` and ``cli.query``),
so they cannot drift: check everything that can be checked before the engine opens (name,
parameters, format), run, render, and say on stderr what a person would otherwise have to
guess (the answer was cut; the answer is empty, and what to try next; the release is older
than its sources).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from sinorus_kg.catalogue import Param, Resolver
    from sinorus_kg.engines import Engine
    from sinorus_kg.terms import Term


def parse_params(raw: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs; anything else is an InputError showing the form."""
    from sinorus_kg.errors import InputError

    params: dict[str, str] = {}
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param expects NAME=VALUE (e.g. --param person=person:xi-jinping), got {item!r}")
        params[name.strip()] = value
    return params


def _resolver(kg: Engine) -> Resolver:
    """``lookup.resolve`` on ``kg``, imported only when a parameter is given as a name, not an identifier."""

    def resolve(param: Param, text: str) -> Term:
        from sinorus_kg.lookup import resolve as lookup

        return lookup(kg, param, text)

    return resolve


def run_stored(name: str, raw_params: list[str], fmt: str = "table", engine: str = "oxigraph",
               max_rows: int = 10_000, endpoint: str | None = None) -> tuple[str, list[str]]:
    """The rendered answer of a stored query, and the notes for stderr (printed after it)."""
    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.engines import open_engine
    from sinorus_kg.errors import InputError
    from sinorus_kg.formatting import check_format, render

    notes: list[str] = []
    say = notes.append
    if max_rows < 1:
        raise InputError(f"--max-rows must be at least 1 (got {max_rows})")
    params = parse_params(raw_params)
    catalogue = Catalogue.load()
    stored = catalogue.get(name)
    stored.check(params)  # fail fast on a bad parameter, before any engine opens
    check_format(fmt, stored.kind)
    # As KnowledgeGraph(engine, endpoint=…).query(…) does (StoredQuery.run), without importing the API
    # module and, through it, the sandbox (~16 ms) that stored queries do not use.
    if endpoint is None:
        from sinorus_kg.freshness import warn_if_stale

        warn_if_stale()  # StaleReleaseWarning: the release is older than the sources in the tree
    kg = open_engine("endpoint" if endpoint else engine, endpoint=endpoint)
    result = stored.run(kg, params, max_rows=max_rows, resolve=_resolver(kg))
    text = render(result, fmt, kg.labels, hide={p.name for p in stored.params})
    if result.truncated:
        say("warning: the answer was cut at the row cap (raise it with --max-rows)")
    if result.kind == "select" and not result.rows:
        from sinorus_kg.hints import empty_hint

        say(empty_hint(stored, params))
    return text, notes


__all__ = ["parse_params", "run_stored"]
