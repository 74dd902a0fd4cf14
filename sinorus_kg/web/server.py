"""Running the service on Hypercorn: HTTP/1.1 keep-alive, deadlines, backlog, bounded connections.

Hypercorn closes a connection that has not sent a whole request head within
``keep_alive`` seconds (its idle timer runs until the head is complete), a read that
stalls for ``read_timeout``, and an idle keep-alive connection; the app gives a body
``protocol.BODY_DEADLINE`` seconds in all. Hypercorn has no connection limit, so each
accepted connection past ``max_connections`` gets a 503 and is closed at once: an idle
flood costs a coroutine and a descriptor per connection for a few seconds at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Callable
from typing import Any

from sinorus_kg.errors import InputError
from sinorus_kg.web.config import ServiceConfig

BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 52\r\nConnection: close\r\n\r\nthe server has too many open connections; try again\n")


def hypercorn_config(config: ServiceConfig) -> Any:
    from hypercorn.config import Config

    hc = Config()
    hc.bind = [f"[{config.host}]:{config.port}" if ":" in config.host else f"{config.host}:{config.port}"]
    hc.read_timeout = config.read_timeout  # type: ignore[assignment]  # typed int, a float works
    hc.keep_alive_timeout = config.keep_alive
    hc.backlog = config.backlog
    hc.h11_max_incomplete_size = 64 * 1024  # request line + headers: a long GET query fits
    hc.graceful_timeout = 2.0
    hc.accesslog = None  # ours is structured (access_log.py)
    hc.errorlog = "-"
    hc.include_server_header = False
    hc.alpn_protocols = ["http/1.1"]
    return hc


def bind_socket(config: ServiceConfig) -> socket.socket:
    """The listening socket, opened here so that a taken port is a clear error and port 0 works."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}") from None
    sock.listen(config.backlog)
    sock.setblocking(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _limit_connections(max_connections: int) -> None:
    """Make Hypercorn's TCP server refuse connections beyond ``max_connections`` (503, closed)."""
    from hypercorn.asyncio import run as hyper_run
    from hypercorn.asyncio.tcp_server import TCPServer

    if getattr(hyper_run.TCPServer, "_sinorus_bounded", False):
        hyper_run.TCPServer.limit = max_connections  # type: ignore[attr-defined]
        return

    class BoundedTCPServer(TCPServer):
        _sinorus_bounded = True
        limit = max_connections
        open = 0

        async def run(self) -> None:
            cls = type(self)
            if cls.open >= cls.limit:
                with contextlib.suppress(Exception):
                    self.writer.write(BUSY)
                    await self.writer.drain()
                    self.writer.close()
                return
            cls.open += 1
            try:
                await super().run()
            finally:
                cls.open -= 1

        async def _read_data(self) -> None:
            await super()._read_data()
            # The peer closed (or stopped sending). Hypercorn 0.18 leaves such a connection, and its
            # descriptor, to the keep-alive timer when no request is in flight: 5 s each, so a
            # client opening a connection per request (curl, most SPARQL clients) held ~1,800 at
            # 360 requests/s and hit the connection bound. Stop that timer: the connection closes
            # now, or once the answer in flight has been sent.
            await self.idle_task.stop()

    hyper_run.TCPServer = BoundedTCPServer  # type: ignore[misc]


async def serve_async(config: ServiceConfig, app: Any, sock: socket.socket,
                      shutdown: asyncio.Event | None = None) -> None:
    """Serve ``app`` on ``sock`` until ``shutdown`` is set (or the task is cancelled)."""
    from hypercorn.asyncio.run import worker_serve
    from hypercorn.config import Sockets
    from hypercorn.utils import wrap_app

    _limit_connections(config.max_connections)
    hc = hypercorn_config(config)
    stop = shutdown or asyncio.Event()
    await worker_serve(wrap_app(app, hc.wsgi_max_body_size, None), hc,
                       sockets=Sockets([], [sock], []), shutdown_trigger=stop.wait)


async def start_workers(app: Any, config: ServiceConfig) -> str:
    """Start the app's pool of query workers now (before the port is served), and describe how
    they are isolated and where their release lives. A worker that cannot be cut off from the
    network stops the service here, with the reason, unless ``unsandboxed``."""
    from sinorus_kg.sandbox.worker import WorkerUnavailable

    pool = app.state.service.pool
    try:
        await pool.start()
    except WorkerUnavailable as exc:
        hint = "" if config.unsandboxed else " (--unsandboxed starts it anyway, for a trusted machine)"
        raise InputError(f"{exc}{hint}") from None
    isolation = pool.isolation()
    described = isolation.describe() if isolation is not None else "unknown"
    placement = getattr(app.state, "placement", None)
    return f"{described}; {placement.describe()}" if placement is not None else described


def serve(config: ServiceConfig, on_ready: Callable[[str, str], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); ``on_ready`` gets the base URL and the query
    workers' isolation once they run and the port is open."""
    from sinorus_kg.web.access_log import configure
    from sinorus_kg.web.app import create_app

    config.check()
    configure(config.log_format)
    sock = bind_socket(config)

    async def main() -> None:
        app = create_app(config)
        isolation = await start_workers(app, config)
        try:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            if on_ready:
                on_ready(url_of(sock), isolation)
            await serve_async(config, app, sock, stop)
        finally:
            await app.state.service.pool.close()

    try:
        asyncio.run(main())
    finally:
        sock.close()
