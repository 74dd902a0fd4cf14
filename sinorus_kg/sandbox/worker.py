"""The query-worker contract: how a user's SPARQL is run, for the CLI, the Python API and the server.

A ``QueryWorker`` is a long-lived child process (a fresh interpreter, ``python -m
sinorus_kg.sandbox.child``: never a fork of a possibly threaded parent) that opens the release
itself (``engines.open_release``: the read-only on-disk store, or with ``store="memory"`` the
release loaded into memory, for a long-lived worker; or the N-Triples or N-Quads its parent hands
it as ``ntriples``), blocks its own network (``isolation.py``), caps its memory, and then answers
one ``QueryRequest`` at a time with a ``QueryAnswer``: it parses, checks (``policy.py``),
executes and serialises to bytes. The parent never parses a user's query nor serialises its
result; it only moves bytes, so it stays small whatever a query does.

Limits, and what each answer says (statuses as HTTP; see ``protocol.py``):

- time: ``request.timeout`` covers parsing, execution and serialisation. The parent waits that
  long for the answer, then kills the worker (SIGKILL), answers 503 with ``retry_after`` and
  starts a replacement in the background;
- memory: RLIMIT_AS in the worker (``query_memory_mb`` above what the opened release takes).
  Python raises MemoryError (answered 507, then the worker exits); Oxigraph aborts the process
  ("memory allocation … failed" in the worker's log): the parent answers 507 naming the limit;
- result size: ``request.max_bytes`` (507, checked while rows are read and on the bytes);
- rows: ``request.max_rows`` cuts the answer (200, ``truncated``, ``limit_hit="rows"``);
- size and nesting of the text, policy refusals, syntax errors: 413 / 400 / 405 from the policy;
- a worker that dies otherwise (an engine panic, a crash) is answered 400 with the reason, and
  replaced.

Using it::

    with QueryWorker("oxigraph") as worker:          # start() happens on first use, or explicitly
        answer = worker.run(QueryRequest("SELECT …", fmt="csv", timeout=10))
        answer.status, answer.media_type, answer.body  # bytes ready to send or print
        answer.result()                                 # a QueryResult, for fmt srj / nt (NATIVE)

For a pool: every method may be called from any thread; ``run`` serialises requests on one
worker (one query at a time per process), so a pool holds N workers and hands each request to
an idle one (with asyncio: ``await loop.run_in_executor(None, worker.run, request)``).
``cancel()`` (another thread: the client went away) kills the running query, and ``run`` answers
``limit_hit="cancelled"``. ``pid`` lets a pool lower a long query's priority (e.g.
``os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))`` after a second); ``alive``,
``isolation`` (which network blocks are active, and the memory cap) and ``memory()`` (VmRSS,
VmHWM) let it watch its workers. ``kill(replace=True)`` kills and starts a replacement.
"""

from __future__ import annotations

import math
import os
import select
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import IO, Any

from sinorus_kg.errors import InputError
from sinorus_kg.sandbox.isolation import DEFAULT_QUERY_MEMORY_MB, Isolation
from sinorus_kg.sandbox.protocol import (
    REFUSED,
    RESOURCE_LIMIT,
    TIME_LIMIT,
    QueryAnswer,
    QueryRequest,
    to_json_frame,
    write_frame,
)

STARTUP_TIMEOUT = 120.0  # opening a large release takes a while; a hung start does not hang callers
_LENGTH_BYTES = 4
_counter = iter(range(1, 1 << 62))


class WorkerUnavailable(InputError):
    """The worker could not be started (no release, no isolation where it is required…)."""


class _Deadline(Exception):
    pass


class QueryWorker:
    """One sandboxed query process on one engine (``oxigraph`` or ``rdflib``); see the module doc."""

    def __init__(self, engine: str = "oxigraph", *, ntriples: bytes | None = None,
                 query_memory_mb: int | None = DEFAULT_QUERY_MEMORY_MB, require_isolation: bool = False,
                 startup_timeout: float = STARTUP_TIMEOUT, store: str = "disk"):
        if engine not in ("oxigraph", "rdflib"):
            raise InputError(f"unknown local engine {engine!r} (choose oxigraph or rdflib)")
        if store not in ("disk", "memory"):
            raise InputError(f"unknown release store {store!r} for a query worker (choose memory or disk)")
        self.engine = engine
        self.store = store
        self.query_memory_mb = query_memory_mb
        self.require_isolation = require_isolation
        self.startup_timeout = startup_timeout
        self._ntriples = ntriples
        self._lock = threading.RLock()  # one request at a time; also guards starting
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._isolation: Isolation | None = None
        self._cancelled = False
        self._killed_by_us = False
        self._restart: threading.Thread | None = None
        self._closed = False  # close() was called: no restart in the background
        self._startup_seconds = 1.0
        self._finalizer = weakref.finalize(self, _terminate, [None])

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> Isolation:
        """Start the worker if it is not running, and wait until it is ready; its isolation."""
        self._join_restart()
        with self._lock:
            self._closed = False
            return self._start_locked()

    def _start_locked(self) -> Isolation:
        """``start`` for a caller that holds the lock. It must not join a background restart: that
        thread waits for the lock (a second ``run`` joining it there deadlocked a threaded server
        whose worker hit the time limit); it spawns at once instead, and the restart, once it gets
        the lock, finds a live worker and does nothing."""
        if self._proc is None or self._proc.poll() is not None:
            self._spawn()
        assert self._isolation is not None
        return self._isolation

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def alive(self) -> bool:
        return self.pid is not None

    @property
    def restarting(self) -> bool:
        """Whether a replacement is being started in the background (after a kill or a crash): a
        pool hands this worker no request until ``start()`` has returned."""
        thread = self._restart
        return thread is not None and thread.is_alive()

    @property
    def isolation(self) -> Isolation | None:
        """Which network blocks are active and the memory cap (None before the first start)."""
        return self._isolation

    def memory(self) -> dict[str, int]:
        """The worker's VmRSS and VmHWM (peak) in bytes; empty when it is not running."""
        pid = self.pid
        out: dict[str, int] = {}
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    key, _, value = line.partition(":")
                    if key in ("VmRSS", "VmHWM"):
                        out[key] = int(value.split()[0]) * 1024
        except (OSError, ValueError, TypeError):
            return {}
        return out

    def cancel(self) -> None:
        """Stop the query running now (from another thread); its ``run`` answers 'cancelled'."""
        self._cancelled = True
        self._kill_process()

    def kill(self, replace: bool = True) -> None:
        """Kill the worker now; with ``replace``, start a fresh one in the background."""
        self._kill_process()
        if replace:
            self._restart_in_background()

    def close(self) -> None:
        """Stop the worker; a query still running is answered 'cancelled' and no replacement is
        started for it (a later ``start`` or ``run`` starts a fresh worker)."""
        self._closed = self._cancelled = True
        self._join_restart()
        self._kill_process()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> QueryWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running a query ---------------------------------------------------------------------
    def run(self, request: QueryRequest) -> QueryAnswer:
        """Send one request and wait for its answer, enforcing the deadline; never raises for
        anything the query does (only WorkerUnavailable if no worker can be started)."""
        self._join_restart()
        with self._lock:
            self._closed = False
            self._start_locked()
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            self._cancelled = self._killed_by_us = False
            began = time.monotonic()
            deadline = None if request.timeout is None else began + request.timeout
            try:
                write_frame(proc.stdin.fileno(), request.to_json())
                header = self._read_frame(proc, deadline, 1 << 20)
                body = self._read_frame(proc, deadline, request.max_bytes + (1 << 16))
                answer = QueryAnswer.from_frames(header, body)
            except _Deadline:
                self.kill(replace=True)
                return self._time_limit(request, time.monotonic() - began)
            except (EOFError, BrokenPipeError, OSError, ValueError) as exc:
                return self._died(exc, time.monotonic() - began)
            if answer.limit_hit == "memory":  # the worker exits after such an answer
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._kill_process()
                return self._memory_limit(time.monotonic() - began)
            return answer

    # -- internals ---------------------------------------------------------------------------
    def _spawn(self) -> None:
        import json

        from sinorus_kg import scratch

        started = time.monotonic()
        if self._log is not None:
            self._log.close()
        self._log = open(scratch.process_dir() / f"worker-{next(_counter)}.log", "w+b")  # noqa: SIM115
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, MALLOC_ARENA_MAX="2", RUST_BACKTRACE="0", PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p))
        proc = subprocess.Popen([sys.executable, "-m", "sinorus_kg.sandbox.child"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=self._log, env=env, close_fds=True)
        self._proc = proc
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _terminate, [proc])
        assert proc.stdin is not None and proc.stdout is not None
        config = {"engine": self.engine, "require_isolation": self.require_isolation,
                  "query_memory": None if self.query_memory_mb is None else self.query_memory_mb * 2**20,
                  "source": "ntriples" if self._ntriples is not None else "release", "store": self.store}
        try:
            write_frame(proc.stdin.fileno(), to_json_frame(config))
            if self._ntriples is not None:
                write_frame(proc.stdin.fileno(), self._ntriples)
            ready = json.loads(self._read_frame(proc, time.monotonic() + self.startup_timeout, 1 << 20))
        except (_Deadline, EOFError, OSError, ValueError):
            self._kill_process()
            reason = self._log_tail() or "no reason given"
            raise WorkerUnavailable(f"the query worker did not start: {reason}") from None
        if not ready.get("ready"):
            self._kill_process()
            raise WorkerUnavailable(str(ready.get("message") or "the query worker did not start"))
        self._isolation = Isolation(namespace=bool(ready.get("namespace")), seccomp=bool(ready.get("seccomp")),
                                    memory_limit=ready.get("memory_limit"),
                                    problems=tuple(ready.get("problems") or ()))
        self._startup_seconds = time.monotonic() - started

    def _read_frame(self, proc: subprocess.Popen[bytes], deadline: float | None, limit: int) -> bytes:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        size = int.from_bytes(self._read_exactly(fd, _LENGTH_BYTES, deadline), "big")
        if size > limit:
            raise ValueError(f"the worker sent a frame of {size} bytes (limit {limit})")
        return self._read_exactly(fd, size, deadline)

    @staticmethod
    def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
        chunks: list[bytes] = []
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        while size:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not poller.poll(None if wait is None else math.ceil(wait * 1000)):
                raise _Deadline()
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError("the worker closed its pipe")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _kill_process(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._killed_by_us = True
        _terminate([proc])

    def _restart_in_background(self) -> None:
        def restart() -> None:
            try:
                with self._lock:
                    if not self._closed and (self._proc is None or self._proc.poll() is not None):
                        self._spawn()
            except InputError:
                pass  # the next run() tries again and reports why

        if self._closed:
            return
        thread = threading.Thread(target=restart, name="query-worker-restart", daemon=True)
        self._restart = thread
        thread.start()

    def _join_restart(self) -> None:
        thread = self._restart
        if thread is not None and thread is not threading.current_thread():
            thread.join()
            self._restart = None

    def _log_tail(self) -> str:
        log = self._log
        if log is None:
            return ""
        try:
            log.flush()
            size = log.seek(0, os.SEEK_END)
            log.seek(max(0, size - 4096))
            return log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def _time_limit(self, request: QueryRequest, elapsed: float) -> QueryAnswer:
        retry = max(1, math.ceil(self._startup_seconds))
        return QueryAnswer.error(
            TIME_LIMIT, f"the query ran longer than the {request.timeout:g} s time limit (parsing, execution and "
            "serialisation) and was stopped; narrow it, or raise the limit (--timeout)",
            limit_hit="time", retry_after=retry, elapsed=elapsed)

    def _memory_limit(self, elapsed: float) -> QueryAnswer:
        cap = self._isolation.memory_limit if self._isolation else None
        limit = f"the worker's {cap // 2**20} MB memory cap" if cap else "the memory available"
        return QueryAnswer.error(
            RESOURCE_LIMIT, f"the query needed more than {limit} and was stopped; narrow it (LIMIT, fewer "
            f"joins), or raise the memory a query may use (--max-memory, now {self.query_memory_mb} MB)",
            limit_hit="memory", elapsed=elapsed)

    def _died(self, exc: Exception, elapsed: float) -> QueryAnswer:
        """The worker stopped without answering: say why, and replace it."""
        proc = self._proc
        code = None
        if proc is not None:
            try:
                code = proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _terminate([proc])
        tail = self._log_tail()
        cancelled = self._cancelled
        self._restart_in_background()
        if cancelled:
            return QueryAnswer.error(TIME_LIMIT, "the query was cancelled", limit_hit="cancelled",
                                     retry_after=1, elapsed=elapsed)
        if isinstance(exc, ValueError):
            return QueryAnswer.error(REFUSED, f"the query worker sent a malformed answer ({exc}); it was replaced",
                                     elapsed=elapsed)
        if "memory allocation of" in tail or "MemoryError" in tail or (code == -9 and not self._killed_by_us):
            return self._memory_limit(elapsed)
        reason = _crash_reason(tail, code)
        return QueryAnswer.error(REFUSED, f"the query stopped the {self.engine} engine ({reason}); it was not "
                                 "answered. Rewrite it, or try the other engine (--engine)", elapsed=elapsed)


def _crash_reason(tail: str, code: int | None) -> str:
    import signal

    for line in reversed(tail.splitlines()):
        if "panicked at" in line:
            continue
        if line.strip() and not line.startswith((" ", "note:", "stack backtrace")):
            last = line.strip()
            break
    else:
        last = ""
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        return f"{name}: {last}" if last else name
    return last or f"exit status {code}"


def _terminate(procs: list[Any]) -> None:
    """Kill and reap (used by the finaliser too, so no worker outlives its QueryWorker)."""
    for proc in procs:
        if proc is None or proc.poll() is not None:
            continue
        try:
            proc.kill()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass


__all__ = ["QueryWorker", "WorkerUnavailable"]
