"""The console entry point: `sinorus-kg query NAME …` without importing typer, rich or pydantic.

A cold stored query should cost little more than opening the store and running it; typer
(with its pydantic adapter) and rich cost more than the query itself. So a plain `query`
invocation — the options of ``cli.query`` and nothing else — is parsed here with the same
names and run with the same library calls; anything else (``--help``, another command, an
option this parser does not know) goes to the typer application unchanged. A test checks
that the options here are exactly ``cli.query``'s, so the two cannot drift.
"""

from __future__ import annotations

import sys

from sinorus_kg.errors import SinorusError

# option -> (destination, takes a value, repeatable), as declared on cli.query
OPTIONS = {
    "--param": ("param", True), "-p": ("param", True),
    "--format": ("fmt", True), "-f": ("fmt", True),
    "--engine": ("engine", True),
    "--max-rows": ("max_rows", True),
    "--endpoint": ("endpoint", True),
}


def parse_query_args(argv: list[str]) -> dict[str, object] | None:
    """The arguments of `query`, or None when typer should handle them."""
    if not argv or argv[0] != "query":
        return None
    found: dict[str, object] = {"param": [], "fmt": "table", "engine": "oxigraph", "max_rows": 10_000,
                                "endpoint": None, "name": None}
    args = iter(argv[1:])
    for arg in args:
        option, has_value, inline = arg, False, None
        if arg.startswith("--") and "=" in arg:
            option, inline = arg.split("=", 1)
        if option in OPTIONS:
            dest, has_value = OPTIONS[option]
            value = inline if inline is not None else next(args, None)
            if value is None:
                return None
            if dest == "param":
                found["param"].append(value)  # type: ignore[attr-defined]
            elif dest == "max_rows":
                try:
                    found["max_rows"] = int(value)
                except ValueError:
                    return None
            else:
                found[dest] = value
        elif arg.startswith("-") or found["name"] is not None:
            return None  # --help, an unknown option, a second name: typer says what is wrong
        else:
            found["name"] = arg
    return found if found["name"] is not None else None


def run_query(args: dict[str, object]) -> int:
    """What ``cli.query`` does, with the same messages and exit codes."""
    from sinorus_kg.catalogue import Catalogue
    from sinorus_kg.engines import open_engine
    from sinorus_kg.formatting import render

    max_rows = int(args["max_rows"])  # type: ignore[call-overload]
    if max_rows < 1:
        raise _Usage(f"--max-rows must be at least 1 (got {max_rows})")
    params: dict[str, str] = {}
    for item in args["param"]:  # type: ignore[attr-defined]
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _Usage(f"--param expects NAME=VALUE (e.g. --param person=person:xi-jinping), got {item!r}")
        params[name.strip()] = value
    stored = Catalogue.load().get(str(args["name"]))
    stored.bindings(params)
    endpoint = args["endpoint"]
    # As KnowledgeGraph(engine, endpoint=…).query(…) does (StoredQuery.run), without importing the API
    # module and, through it, the sandbox (~16 ms) that stored queries do not use.
    engine = open_engine("endpoint" if endpoint else str(args["engine"]), endpoint=str(endpoint) if endpoint else None)
    result = stored.run(engine, params, max_rows=max_rows)
    sys.stdout.write(render(result, str(args["fmt"]), engine.labels))
    if result.truncated:
        print("warning: the answer was cut at the row cap (raise it with --max-rows)", file=sys.stderr)
    return 0


class _Usage(Exception):
    pass


def main() -> None:
    args = parse_query_args(sys.argv[1:])
    if args is None:
        from sinorus_kg.cli import main as typer_main

        typer_main()
        return
    try:
        code = run_query(args)
        sys.stdout.flush()
    except _Usage as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 2
    except SinorusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
