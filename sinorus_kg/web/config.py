"""The service's settings, and the rule that exposing it beyond this machine is deliberate."""

from __future__ import annotations

from dataclasses import dataclass

from sinorus_kg.errors import InputError
from sinorus_kg.sandbox.isolation import DEFAULT_QUERY_MEMORY_MB
from sinorus_kg.sandbox.protocol import DEFAULT_MAX_BYTES  # a larger result is refused (507), never sent cut
from sinorus_kg.store_choice import check_store
from sinorus_kg.web.guards import Policy, is_ip_literal, is_loopback

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000


@dataclass(frozen=True)
class ServiceConfig:
    """Everything ``sinorus-kg serve`` decides; the defaults serve this machine only."""

    host: str = "127.0.0.1"
    port: int = 8000
    engine: str = "oxigraph"
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_memory: int = DEFAULT_QUERY_MEMORY_MB  # MB a query may use in its worker above the opened release
    workers: int | None = None  # None: cores + 1, at least 3
    store: str = "auto"  # where each worker keeps the release: auto, memory or disk (store_choice)
    queue: int | None = None  # requests waiting for a worker; None: 8 per worker
    cors: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    allow_any_host: bool = False
    log_format: str = "text"
    access_log: bool = True
    unsandboxed: bool = False
    # HTTP: deadlines and bounds (Hypercorn's read_timeout is per read; the header deadline
    # is its keep-alive timer, which runs until a whole request head has arrived)
    read_timeout: float = 10.0
    body_deadline: float = 10.0  # a request body must arrive whole within this (408, not run)
    keep_alive: float = 5.0
    backlog: int = 1024
    max_connections: int = 1000

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def policy(self) -> Policy:
        return Policy(loopback=self.loopback, allowed_hosts=frozenset(h.lower() for h in self.allowed_hosts),
                      any_host=self.allow_any_host, cors=frozenset(self.cors))

    def check(self) -> None:
        """Refuse settings that would expose the endpoint by accident, or make no sense."""
        if not 0 <= self.port <= 65535:
            raise InputError(f"--port must be between 0 and 65535 (got {self.port}); 0 picks any free port")
        if self.timeout <= 0:
            raise InputError(f"--timeout must be more than 0 seconds (got {self.timeout:g})")
        if self.max_rows < 1:
            raise InputError(f"--max-rows must be at least 1 (got {self.max_rows})")
        if self.max_bytes < 1:
            raise InputError(f"--max-bytes must be at least 1 (got {self.max_bytes})")
        if self.max_memory < 1:
            raise InputError(f"--max-memory must be at least 1 MB (got {self.max_memory})")
        if self.engine not in ("oxigraph", "rdflib"):
            raise InputError(f"unknown engine {self.engine!r} for the service (choose oxigraph or rdflib)")
        check_store(self.store)
        if self.workers is not None and self.workers < 1:
            raise InputError(f"--workers must be at least 1 (got {self.workers})")
        if not self.loopback and not (self.allowed_hosts or self.allow_any_host):
            raise InputError(
                f"--host {self.host} serves beyond this machine: name the host names clients will use "
                "with --allow-host NAME (repeatable), or pass --allow-any-host; and put TLS and "
                "authentication in front (see the README's endpoint section)")
        for origin in self.cors:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise InputError(f"--cors takes origins such as https://example.org (or '*'), got {origin!r}")
        for name in self.allowed_hosts:
            if not name or "/" in name or " " in name:
                raise InputError(f"--allow-host takes a host name such as kg.example.org, got {name!r}")

    def exposure(self, url: str) -> list[str]:
        """What a non-loopback server exposes, said before it starts."""
        if self.loopback:
            return []
        hosts = "any Host name" if self.allow_any_host else ", ".join(self.allowed_hosts)
        if not self.allow_any_host and not any(is_ip_literal(h) for h in self.allowed_hosts):
            hosts += " (and this machine's IP addresses)"
        cors = "any origin" if "*" in self.cors else ", ".join(self.cors) or "none (cross-site requests get 403)"
        return [
            f"warning: {url} is reachable from other machines (--host {self.host}), over plain HTTP "
            "with no authentication:",
            "  exposed: /sparql (read-only SPARQL 1.1 queries), /queries, /health, /.well-known/void, the pages "
            "(/, /id/…, /source, /search, /ontology, /openapi.json)",
            f"  answering Host names: {hosts}",
            f"  CORS origins: {cors}",
            f"  limits: {self.timeout:g} s per query, {self.max_rows} rows, {self.max_bytes} result bytes, "
            f"{self.max_memory} MB of memory per query",
            "  for a wider deployment put a reverse proxy with TLS (and authentication if needed) in front.",
        ]
