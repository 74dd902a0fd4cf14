"""The query worker process itself: ``python -m sinorus_kg.sandbox.child`` (started by QueryWorker).

Order matters: the network is blocked first (before any thread exists, as ``unshare`` of a user
namespace requires), then the engine is opened (the on-disk store, or the release loaded into
memory: ``store``) and warmed up, the one execution thread is
started (with a 256 MB stack and a high recursion limit, so rdflib's recursive parser and
Oxigraph's evaluator do not overflow on deep but legal queries), and only then is the memory
cap set, at the address space this all takes plus the margin. Then: one request at a time.
While a query runs, the main thread watches the request pipe: its end (the parent died) ends
the worker at once, even in the middle of a query.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from sinorus_kg.sandbox.protocol import QueryAnswer, QueryRequest, read_frame, to_json_frame, write_frame

STACK_BYTES = 256 * 2**20
RECURSION_LIMIT = 20_000
REQUESTS = 0  # stdin: frames from the parent
NO_ISOLATION = "SINORUS_KG_TEST_WITHOUT_ISOLATION"  # serve then refuses to start; the CLI and API warn


def main() -> int:
    answers = os.dup(1)
    os.dup2(2, 1)  # a stray print goes to the worker's log, never into the answer pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    config = json.loads(read_frame(REQUESTS))
    from sinorus_kg.sandbox.isolation import Isolation, block_network, cap_memory

    if os.environ.get(NO_ISOLATION):  # lets tests show what happens where no block can be installed
        isolation = Isolation(problems=(f"disabled by {NO_ISOLATION}",))
    else:
        isolation = block_network()
    if config.get("require_isolation") and not isolation.network_blocked:
        write_frame(answers, to_json_frame({"ready": False, "message": "the query worker cannot be isolated from "
                                            "the network here: " + "; ".join(isolation.problems)}))
        return 3
    ntriples = read_frame(REQUESTS) if config.get("source") == "ntriples" else None
    from sinorus_kg.errors import InputError
    from sinorus_kg.sandbox.execute import Executor, MemoryExhausted, open_engine

    try:
        executor = Executor(open_engine(config["engine"], ntriples, config.get("store") or "disk"))
    except InputError as exc:
        write_frame(answers, to_json_frame({"ready": False, "message": str(exc)}))
        return 2
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query")
    pool.submit(executor.warm_up).result()
    margin = config.get("query_memory")
    memory_limit = cap_memory(int(margin)) if margin else None
    write_frame(answers, to_json_frame({
        "ready": True, "pid": os.getpid(), "namespace": isolation.namespace, "seccomp": isolation.seccomp,
        "problems": list(isolation.problems), "memory_limit": memory_limit}))
    done_r, done_w = os.pipe()
    while True:
        try:
            request = QueryRequest.from_json(read_frame(REQUESTS))
        except EOFError:
            return 0
        future: Future[QueryAnswer] = pool.submit(executor.answer, request)
        future.add_done_callback(lambda _: os.write(done_w, b"."))
        ready, _, _ = select.select([REQUESTS, done_r], [], [])
        if REQUESTS in ready and done_r not in ready:
            os._exit(0)  # the parent went away (or broke the protocol): stop mid-query
        os.read(done_r, 1)
        try:
            answer = future.result()
        except MemoryExhausted:
            answer = QueryAnswer.error(507, "memory", limit_hit="memory")
            write_frame(answers, answer.header())
            write_frame(answers, answer.body)
            os._exit(0)  # the heap may be torn: the parent starts a fresh worker
        write_frame(answers, answer.header())
        write_frame(answers, answer.body)


if __name__ == "__main__":
    sys.exit(main())
