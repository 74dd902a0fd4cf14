"""Errors with the exit codes the CLI documents: 1 checks failed, 2 bad usage or input."""


class SinorusError(Exception):
    exit_code = 2


class InputError(SinorusError):
    """Bad input: malformed Turtle, unknown query, bad parameter, rejected SPARQL."""

    exit_code = 2


class ChecksFailed(SinorusError):
    """The data failed a check (SHACL, consistency, QC, coverage)."""

    exit_code = 1
