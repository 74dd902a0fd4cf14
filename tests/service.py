"""Starting the real service (Starlette on Hypercorn, a pool of sandboxed query workers — the same
workers `sinorus-kg serve` runs) on 127.0.0.1 for a test."""

from __future__ import annotations

import asyncio
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from email.message import Message
from typing import Any

from sinorus_kg.web.app import create_app
from sinorus_kg.web.config import ServiceConfig
from sinorus_kg.web.server import bind_socket, serve_async, start_workers, url_of

Response = tuple[int, Message, bytes]


class Running:
    """A server running in a thread of its own, with its event loop."""

    def __init__(self, config: ServiceConfig):
        self.config = config
        self.sock = bind_socket(config)
        self.url = url_of(self.sock)
        self.port = self.sock.getsockname()[1]
        self.app = create_app(config)
        self.isolation = ""
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.stop = asyncio.Event()

        async def main() -> None:
            self.isolation = await start_workers(self.app, self.config)  # as serve: before listening
            self.loop.call_soon(self.ready.set)
            try:
                await serve_async(self.config, self.app, self.sock, self.stop)
            finally:
                await self.pool.close()

        try:
            self.loop.run_until_complete(main())
        except BaseException as exc:  # reported by the fixture
            self.error = exc
            self.ready.set()

    @property
    def pool(self) -> Any:
        return self.app.state.service.pool

    def fetch(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None,
              method: str | None = None, timeout: float = 30) -> Response:
        request = urllib.request.Request(self.url + path, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers, exc.read()


@contextmanager
def running(**settings: Any) -> Iterator[Running]:
    config = replace(ServiceConfig(host="127.0.0.1", port=0, access_log=False), **settings)
    server = Running(config)
    server.thread.start()
    server.ready.wait(120)
    if server.error:
        raise server.error
    wait_until_ready(server)
    try:
        yield server
    finally:
        server.loop.call_soon_threadsafe(server.stop.set)
        server.thread.join(15)
        server.sock.close()


def wait_until_ready(server: Running, seconds: float = 120) -> None:
    """The lifespan starts the workers before the first request is answered: wait for /health."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, _ = server.fetch("/health", timeout=seconds)
            if status == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError("the service did not become ready")
