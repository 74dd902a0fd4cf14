"""Where a long-lived query worker keeps the release (``store_choice``): the rule, the option, and
that a worker with the release in memory answers exactly as one on the on-disk store."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_worker import doubling
from typer.testing import CliRunner

from sinorus_kg.catalogue import Catalogue
from sinorus_kg.cli import app
from sinorus_kg.errors import InputError
from sinorus_kg.sandbox.formats import NATIVE
from sinorus_kg.sandbox.protocol import QueryRequest
from sinorus_kg.sandbox.worker import QueryWorker
from sinorus_kg.store_choice import BYTES_PER_TRIPLE, MEMORY_SHARE, Placement, decide, release_triples
from sinorus_kg.web.config import ServiceConfig

GB = 2**30


# -- the rule, as a pure function --------------------------------------------------------------
def test_auto_keeps_the_document_in_memory() -> None:
    placement = decide("auto", 7_162, copies=3, available=1 * GB)
    assert placement.where == "memory" and placement.reason == "7,162 triples, ~2 MB per worker"


def test_auto_keeps_a_million_triples_in_memory_on_this_kind_of_machine() -> None:
    """1.39M triples × 350 B = ~463 MB a worker; 3 workers (~1.4 GB) fit in half of 8 GB."""
    placement = decide("auto", 1_385_812, copies=3, available=8 * GB)
    assert placement == Placement("memory", "1.39M triples, ~463 MB per worker")
    assert placement.describe() == "release in memory (1.39M triples, ~463 MB per worker)"


def test_auto_falls_back_to_disk_and_says_why() -> None:
    """10M triples (13.9M with the entailments) would take ~4.6 GB in each of 3 workers."""
    placement = decide("auto", 13_900_000, copies=3, available=22 * GB)
    assert placement.where == "disk"
    assert placement.reason.endswith("3 copies would need ~13.6 GB, more than 50% of the 22.0 GB available; "
                                     "--store memory overrides")
    assert placement.describe().startswith("release on disk (13.90M triples, ~4,640 MB per worker")


def test_the_boundary_is_half_the_memory_available() -> None:
    copies, triples = 4, 1_000_000
    need = copies * triples * BYTES_PER_TRIPLE
    exactly = int(need / MEMORY_SHARE)
    assert decide("auto", triples, copies, exactly).where == "memory"
    assert decide("auto", triples, copies, exactly - 1).where == "disk"
    assert decide("auto", triples, copies + 1, exactly).where == "disk"  # one more worker tips it


def test_unknowns_and_explicit_choices() -> None:
    assert decide("auto", None, 3, 8 * GB).where == "disk"  # size unknown: the safe side
    assert decide("auto", 1_000, 3, None).where == "disk"  # memory unknown
    assert decide("memory", 13_900_000, 3, 1 * GB).where == "memory"  # asked for: no second guessing
    assert decide("disk", 7_162, 3, 64 * GB).where == "disk"


def test_release_triples_come_from_void(tmp_path: Path) -> None:
    from sinorus_kg import resources

    # the built release's own void:triples, as the workers load it (full graph and catalogue)
    from sinorus_kg.engines import open_release

    engine = open_release("oxigraph")
    loaded = engine.run("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }").rows
    assert release_triples(resources.release_location()) == int(loaded[0][0].value)  # type: ignore[union-attr]
    (tmp_path / "sinorus-full.ttl").write_bytes(b"x" * 5_000)  # no void.ttl: estimated from the size
    assert release_triples(str(tmp_path)) == 100
    assert release_triples(str(tmp_path / "none")) is None


# -- the option --------------------------------------------------------------------------------
@pytest.mark.parametrize("store", ["auto", "memory", "disk"])
def test_the_service_accepts_the_three_stores(store: str) -> None:
    ServiceConfig(store=store).check()


def test_a_bad_store_is_refused_with_the_choices() -> None:
    with pytest.raises(InputError, match=r"unknown --store 'ram' \(choose auto, memory or disk\)"):
        ServiceConfig(store="ram").check()
    result = CliRunner().invoke(app, ["serve", "--store", "ram", "--port", "0"])
    assert result.exit_code == 2 and "unknown --store 'ram' (choose auto, memory or disk)" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(InputError, match="choose memory or disk"):
        QueryWorker("oxigraph", store="auto")  # a worker takes a decided place, not the rule


@pytest.mark.parametrize("store", ["memory", "disk"])
def test_the_server_s_own_reads_follow_the_workers_store(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """One decision for the service: its pages' store is where the workers' release is."""
    from sinorus_kg.engines import Engine
    from sinorus_kg.web import store as project_store
    from sinorus_kg.web.app import create_app

    opened: list[str] = []
    real = project_store.open_engine

    def recording(engine: str, store: str) -> Engine:
        opened.append(store)
        return real(engine, store=store)

    monkeypatch.setattr(project_store, "open_engine", recording)
    app = create_app(ServiceConfig(store=store, workers=1))  # the pool starts with the lifespan: not here
    assert opened == [store] and app.state.placement.where == store


def test_auto_falls_back_to_disk_with_a_log_line(monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """On a machine with almost no memory free, serve's workers open the on-disk store, and say why."""
    from sinorus_kg import store_choice
    from sinorus_kg.web.execution import sandbox_kit

    monkeypatch.setattr(store_choice, "mem_available", lambda: 2**20)
    with caplog.at_level("WARNING", logger="sinorus_kg.pool"):
        kit = sandbox_kit(ServiceConfig(workers=2))
    assert kit.placement is not None and kit.placement.where == "disk"
    assert "3 copies would need" in kit.placement.reason and "1 MB available" in kit.placement.reason
    assert any("release on disk (" in record.getMessage() for record in caplog.records)
    worker = kit.make_worker()
    assert isinstance(worker, QueryWorker) and worker.store == "disk"


def test_the_api_keeps_the_release_on_disk_unless_asked() -> None:
    from sinorus_kg import KnowledgeGraph

    assert KnowledgeGraph().store == "disk"
    assert KnowledgeGraph(store="memory").store == "memory"
    with pytest.raises(InputError, match="unknown store 'ram'"):
        KnowledgeGraph(store="ram")


# -- the same answers from memory and from disk ------------------------------------------------
def _open_stores(pid: int) -> list[str]:
    """The on-disk stores the process has open (its RocksDB files)."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if "/sinorus-kg/store-" in target:
            found.append(target)
    return found


@pytest.fixture(scope="module")
def workers() -> Iterator[tuple[QueryWorker, QueryWorker]]:
    with QueryWorker("oxigraph", store="memory") as in_memory, QueryWorker("oxigraph", store="disk") as on_disk:
        in_memory.start()
        on_disk.start()
        yield in_memory, on_disk


def test_each_worker_keeps_the_release_where_it_was_told(workers: tuple[QueryWorker, QueryWorker]) -> None:
    in_memory, on_disk = workers
    assert in_memory.pid and on_disk.pid
    assert _open_stores(on_disk.pid) and not _open_stores(in_memory.pid)


@pytest.mark.parametrize("name", Catalogue.load().names())
def test_every_stored_query_answers_the_same_from_memory_and_from_disk(
        workers: tuple[QueryWorker, QueryWorker], name: str) -> None:
    query = Catalogue.load().get(name)
    request = QueryRequest(query.text, accept=NATIVE, bindings=query.bindings())
    answers = [worker.run(request) for worker in workers]
    assert [a.status for a in answers] == [200, 200], [a.message for a in answers]
    memory, disk = (a.result() for a in answers)
    assert memory.kind == disk.kind and memory.columns == disk.columns and memory.boolean == disk.boolean
    assert Counter(memory.rows) == Counter(disk.rows) and Counter(memory.triples) == Counter(disk.triples)
    assert memory.rows or memory.triples or memory.boolean is not None  # the default answers are not empty


def test_the_memory_cap_holds_with_the_release_in_memory(workers: tuple[QueryWorker, QueryWorker]) -> None:
    """RLIMIT_AS is set after the release is loaded: the cap sits above it, and a query past it is
    an answer (507), after which the worker is replaced and loads the release again."""
    in_memory, _ = workers
    assert in_memory.isolation is not None and in_memory.isolation.memory_limit
    before = in_memory.pid
    answer = in_memory.run(QueryRequest(doubling(30), timeout=20))  # 8 GiB of string, 1 GiB allowed
    assert answer.status == 507 and answer.limit_hit == "memory" and "--max-memory" in answer.message
    assert in_memory.run(QueryRequest("ASK { ?s a sr:Visit }")).status == 200
    assert in_memory.pid != before and in_memory.pid is not None and not _open_stores(in_memory.pid)


@pytest.mark.parametrize(("membership", "files", "room"), [
    ("0::/app\n", {"app/memory.max": "2147483648\n", "app/memory.current": "536870912\n"}, 2**31 - 2**29),
    ("0::/app\n", {"app/memory.max": "max\n", "app/memory.current": "536870912\n"}, None),
    ("4:memory:/docker/x\n0::/\n", {"memory/docker/x/memory.limit_in_bytes": "1073741824\n",
                                   "memory/docker/x/memory.usage_in_bytes": "1073741825\n"}, 0),
    ("4:memory:/docker/x\n", {"memory/docker/x/memory.limit_in_bytes": "9223372036854771712\n",
                              "memory/docker/x/memory.usage_in_bytes": "1\n"}, None),
    ("0::/\n", {}, None)])
def test_a_container_s_memory_limit_counts_not_the_host_s(tmp_path: Path, membership: str,
                                                          files: dict[str, str], room: int | None) -> None:
    """In a container /proc/meminfo shows the host; the cgroup's limit (v2 or v1) is what kills."""
    from sinorus_kg.store_choice import _cgroup_room

    (tmp_path / "cgroup").write_text(membership)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert _cgroup_room(str(tmp_path), str(tmp_path / "cgroup")) == room
