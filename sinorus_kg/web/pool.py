"""A pool of sandboxed query workers: many analysts at once, a runaway never holds up others.

Each worker is the query worker of ``sinorus_kg.sandbox`` (its own process, no network,
a memory cap, one deadline over execution and serialisation, a result-byte cap); the
pool only decides *who runs where and when*:

- ``size`` workers (default: cores + 1, at least 3), each running one query at a time;
- a bounded queue in front of them: when it is full the answer is 503 with Retry-After;
- a query still running after ``long_after`` (1 s) drops its worker to ``SCHED_IDLE``,
  so short queries keep the cores; a client (an address) holds at most one such
  long-running query at a time (429 for the second), and one live worker (not counting
  those being replaced) is always kept free of long-running queries, so a few runaways
  cannot take the whole pool (503);
- a query whose client has gone away is stopped (``cancel``: its worker process killed) and
  the worker is restarted in the background, as is every worker a limit stopped; the slot
  gets no request until its worker is ready again.

Workers run in threads of the pool's own executor (a worker's ``run`` blocks), so the
event loop, and the project's own reads, never wait for a user's query.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from sinorus_kg.web.errors import HttpError

LOG = logging.getLogger("sinorus_kg.pool")
LONG_AFTER = 1.0  # seconds before a query counts as long-running and yields the CPU
RESTART_BACKOFF = (0.1, 0.5, 2.0, 5.0)


class Worker(Protocol):
    """What the pool needs of a query worker (``sinorus_kg.sandbox.worker.QueryWorker``): ``start``
    (also: wait for a restart under way), ``run`` (blocking, one request at a time), ``cancel``
    (from another thread: kill the running query; the worker restarts itself), ``close``."""

    def start(self) -> Any: ...
    def run(self, request: Any) -> Any: ...
    def cancel(self) -> None: ...
    def close(self) -> None: ...

    @property
    def pid(self) -> int | None: ...

    @property
    def alive(self) -> bool: ...

    @property
    def restarting(self) -> bool: ...

    @property
    def isolation(self) -> Any: ...


def default_size() -> int:
    """Cores + 1, at least 3: a worker per core plus one, so a query waiting on I/O wastes no core."""
    return max(3, (os.cpu_count() or 1) + 1)


@dataclass
class Slot:
    """One worker and what it is doing now."""

    number: int
    worker: Worker | None = None
    client: str | None = None
    started: float = 0.0
    long: bool = False
    idle_priority: bool = False
    generation: int = 0
    refusal: HttpError | None = None  # why the pool stopped the query running here
    replacing: bool = False  # its worker is restarting: not live, not in the ready queue


@dataclass
class PoolAnswer:
    """The worker's answer and how long the query waited for a worker."""

    answer: Any
    queued_ms: float
    ran_ms: float


@dataclass
class Stats:
    size: int
    ready: int
    busy: int
    long_running: int
    queued: int
    queue_limit: int
    restarts: int
    served: int
    killed: dict[str, int] = field(default_factory=dict)


class ClientGone(Exception):
    """The client closed its connection: nothing is sent, the query was stopped."""


class Pool:
    """The pool; ``run`` is the only call a request handler makes."""

    def __init__(self, factory: Callable[[], Worker], size: int | None = None, queue_limit: int | None = None,
                 long_after: float = LONG_AFTER, max_long: int | None = None, timeout: float = 10.0):
        self.factory = factory
        self.size = size or default_size()
        self.queue_limit = queue_limit if queue_limit is not None else 8 * self.size
        self.long_after = long_after
        self.max_long = max_long if max_long is not None else max(1, self.size - 1)
        self.timeout = timeout
        self._slots = [Slot(n) for n in range(self.size)]
        self._ready: asyncio.Queue[Slot] | None = None
        self._executor = ThreadPoolExecutor(max_workers=2 * self.size + 2, thread_name_prefix="sinorus-pool")
        self._waiting = 0
        self._long_clients: dict[str, Slot] = {}
        self._restarts = 0
        self._served = 0
        self._killed: dict[str, int] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    # -- life cycle ------------------------------------------------------------------------
    async def start(self) -> None:
        """Start every worker (in parallel) and wait until all are ready; if one cannot start
        (e.g. it cannot be isolated from the network), the others are closed and the reason is
        raised. A second call does nothing (``serve`` starts the pool before it listens)."""
        if self._ready is not None:
            return
        loop = asyncio.get_running_loop()
        workers = [self.factory() for _ in self._slots]
        started = await asyncio.gather(*(loop.run_in_executor(self._executor, w.start) for w in workers),
                                       return_exceptions=True)
        failures = [r for r in started if isinstance(r, BaseException)]
        if failures:
            await asyncio.gather(*(loop.run_in_executor(self._executor, w.close) for w in workers),
                                 return_exceptions=True)
            raise failures[0]
        self._ready = asyncio.Queue()
        for slot, worker in zip(self._slots, workers, strict=True):
            slot.worker = worker
            self._ready.put_nowait(slot)

    async def close(self) -> None:
        """Stop every worker process (running queries included); a second call does nothing."""
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        loop = asyncio.get_running_loop()
        workers = [slot.worker for slot in self._slots if slot.worker is not None]
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.cancel()
        await asyncio.gather(*(loop.run_in_executor(self._executor, w.close) for w in workers),
                             return_exceptions=True)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def isolation(self) -> Any:
        """The first worker's isolation (all are started alike), None before ``start``."""
        for slot in self._slots:
            if slot.worker is not None and slot.worker.isolation is not None:
                return slot.worker.isolation
        return None

    def stats(self) -> Stats:
        busy = sum(1 for s in self._slots if s.client is not None)
        ready = self._ready.qsize() if self._ready else 0
        return Stats(self.size, ready, busy, sum(1 for s in self._slots if s.long), self._waiting,
                     self.queue_limit, self._restarts, self._served, dict(self._killed))

    def workers(self) -> list[Worker]:
        """The workers (for watching them: memory, isolation)."""
        return [s.worker for s in self._slots if s.worker is not None]

    def worker_pids(self) -> list[int]:
        return [s.worker.pid for s in self._slots if s.worker is not None and s.worker.pid]

    # -- running a query --------------------------------------------------------------------
    async def run(self, request: Any, client: str, disconnected: Callable[[], Awaitable[None]]) -> PoolAnswer:
        """Run ``request`` on a free worker for ``client``: the worker's answer, or an HttpError
        (503 queue full, 429 a second long-running query), or ClientGone."""
        if self._ready is None or self._closed:
            raise HttpError(503, "the query workers are not running", {"Retry-After": "5"})
        queued = time.monotonic()
        slot = await self._acquire(disconnected)
        try:
            return await self._execute(slot, request, client, disconnected, queued)
        finally:
            self._release(slot)

    async def _acquire(self, disconnected: Callable[[], Awaitable[None]]) -> Slot:
        assert self._ready is not None
        if self._ready.empty() and self._waiting >= self.queue_limit:
            self._count("queue full")
            raise HttpError(503, f"the server is busy: all {self.size} query workers are running and "
                                 f"{self._waiting} queries are waiting; try again shortly",
                            {"Retry-After": str(self._retry_after())}, limit="queue")
        self._waiting += 1
        getter = asyncio.ensure_future(self._ready.get())
        gone = asyncio.ensure_future(disconnected())
        try:
            done, _ = await asyncio.wait({getter, gone}, timeout=self.timeout + 1,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._waiting -= 1
            gone.cancel()
            if not getter.done():
                getter.cancel()
        if getter.done() and not getter.cancelled():
            slot = getter.result()
            if gone in done:
                self._ready.put_nowait(slot)
                raise ClientGone()
            return slot
        if gone in done:
            raise ClientGone()
        self._count("queue wait")
        raise HttpError(503, f"no query worker became free within {self.timeout + 1:g} s; try again shortly",
                        {"Retry-After": str(self._retry_after())}, limit="queue")

    async def _execute(self, slot: Slot, request: Any, client: str,
                       disconnected: Callable[[], Awaitable[None]], queued: float) -> PoolAnswer:
        loop = asyncio.get_running_loop()
        worker = slot.worker
        assert worker is not None
        slot.client, slot.started, slot.long, slot.refusal = client, time.monotonic(), False, None
        generation = slot.generation
        runner = loop.run_in_executor(self._executor, worker.run, request)
        gone = asyncio.ensure_future(disconnected())
        timer = loop.call_later(self.long_after, self._went_long, slot, generation)
        try:
            done, _ = await asyncio.wait({runner, gone}, return_when=asyncio.FIRST_COMPLETED)
            if runner not in done:  # the client left: stop the query, free the worker
                self._kill(slot, "client gone")
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(runner), 5)
                raise ClientGone()
            answer = runner.result()
            if slot.generation != generation:  # stopped by the pool while running
                raise slot.refusal or HttpError(503, "the query was stopped", {"Retry-After": "1"})
            self._served += 1
            now = time.monotonic()
            return PoolAnswer(answer, round((slot.started - queued) * 1000, 1), round((now - slot.started) * 1000, 1))
        except asyncio.CancelledError:
            self._kill(slot, "cancelled")
            raise
        finally:
            timer.cancel()
            gone.cancel()

    def _went_long(self, slot: Slot, generation: int) -> None:
        """Past ``long_after``: yield the CPU; a client's second runaway, or one too many, is stopped."""
        if slot.generation != generation or slot.worker is None or slot.client is None:
            return
        holder = self._long_clients.get(slot.client)
        longs = sum(1 for s in self._slots if s.long)
        live = sum(1 for s in self._slots if s.worker is not None and not s.replacing)
        if holder is not None and holder is not slot:
            slot.refusal = HttpError(
                429, "you already have a long-running query on this server; it was kept and this one "
                     "was stopped: wait for the first to finish (or cancel it), then try again",
                {"Retry-After": str(self._retry_after(holder))}, limit="one long query per client")
            self._kill(slot, "second long query")
            return
        if longs >= min(self.max_long, max(1, live - 1)):
            slot.refusal = HttpError(
                503, f"{longs} long-running queries already occupy the workers this server keeps for them; "
                     "this one was stopped so that short queries keep a worker: try again shortly",
                {"Retry-After": str(self._retry_after())}, limit="long-running queries")
            self._kill(slot, "too many long queries")
            return
        slot.long = True
        self._long_clients[slot.client] = slot
        slot.idle_priority = set_idle_priority(slot.worker.pid, True)

    def _kill(self, slot: Slot, reason: str) -> None:
        """Stop the query running on the slot's worker now (its process is killed and restarts).
        The kill is made on a thread: reaping a process that filled its memory cap takes a while,
        and the event loop keeps answering meanwhile."""
        slot.generation += 1
        self._count(reason)
        if slot.worker is not None:
            with contextlib.suppress(RuntimeError):  # the executor is shut down: closing anyway
                self._executor.submit(slot.worker.cancel)

    def _release(self, slot: Slot) -> None:
        if slot.client is not None and self._long_clients.get(slot.client) is slot:
            del self._long_clients[slot.client]
        slot.client, slot.long = None, False
        worker = slot.worker
        healthy = worker is not None and worker.alive and not worker.restarting
        if healthy and slot.idle_priority:
            healthy = set_idle_priority(worker.pid if worker else None, False) is False
            slot.idle_priority = not healthy
        if healthy:
            assert self._ready is not None
            self._ready.put_nowait(slot)
            return
        slot.generation += 1
        task = asyncio.ensure_future(self._replace(slot))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, slot: Slot) -> None:
        """Wait until the slot's worker runs again (it restarts itself after a kill or a crash; a
        dead one is started here), in the background; retried with a back-off."""
        slot.replacing, slot.idle_priority = True, False
        loop = asyncio.get_running_loop()
        if slot.worker is None:
            slot.worker = self.factory()
        worker = slot.worker
        for attempt in range(1000):
            if self._closed:
                return
            try:
                await loop.run_in_executor(self._executor, worker.start)
            except Exception as exc:  # the sandbox refused, out of memory…: say so, try again
                delay = RESTART_BACKOFF[min(attempt, len(RESTART_BACKOFF) - 1)]
                LOG.error("query worker %d could not be restarted (%s); retrying in %g s", slot.number, exc, delay)
                await asyncio.sleep(delay)
                continue
            self._restarts += 1
            slot.replacing = False
            assert self._ready is not None
            self._ready.put_nowait(slot)
            return

    def _retry_after(self, holder: Slot | None = None) -> int:
        """Seconds until a worker is likely free: the oldest running query's remaining time."""
        now = time.monotonic()
        running = [s for s in self._slots if s.client is not None] if holder is None else [holder]
        if not running:
            return 1
        remaining = min(max(self.timeout - (now - s.started), 0.0) for s in running)
        return max(1, math.ceil(remaining))

    def _count(self, reason: str) -> None:
        self._killed[reason] = self._killed.get(reason, 0) + 1


def set_idle_priority(pid: int | None, idle: bool) -> bool:
    """Put every thread of ``pid`` on SCHED_IDLE (or back on SCHED_OTHER); whether it is idle now.

    ``sched_setscheduler`` acts on one thread, and an engine may evaluate on any of the
    worker's threads, so each task under ``/proc/PID/task`` is set.
    """
    if not pid or not hasattr(os, "SCHED_IDLE"):
        return False
    policy = os.SCHED_IDLE if idle else os.SCHED_OTHER
    try:
        tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        tids = [pid]
    changed = False
    for tid in tids:
        try:
            os.sched_setscheduler(tid, policy, os.sched_param(0))
            changed = True
        except OSError:  # a thread that ended meanwhile, or no permission to raise priority back
            if not idle:
                return True
    return idle and changed
