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
    """What ``cli.query`` does (``stored_run.run_stored``), with the same messages and exit codes."""
    from sinorus_kg.stored_run import run_stored

    endpoint = args["endpoint"]
    text, notes = run_stored(str(args["name"]), list(args["param"]), str(args["fmt"]),  # type: ignore[call-overload]
                             str(args["engine"]), int(args["max_rows"]),  # type: ignore[call-overload]
                             str(endpoint) if endpoint else None)
    sys.stdout.write(text)
    sys.stdout.flush()
    for note in notes:
        print(note, file=sys.stderr)
    return 0


class _Usage(Exception):
    pass


def _show_warning(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
    """A warning as one line a person reads (``warning: …``), not Python's file:line form."""
    print(f"warning: {message}", file=sys.stderr)


def main() -> None:
    import warnings

    warnings.showwarning = _show_warning
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
