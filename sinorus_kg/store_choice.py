"""Where a long-lived query worker keeps the release: in memory, or in the on-disk store.

A cold process opens the read-only on-disk store (``store.py``): tens of milliseconds, where
parsing the release costs seconds at scale. A long-lived worker (``serve``'s pool) pays its
start-up once, and on the on-disk store a query reading many rows is much slower — measured at
1M triples in one run: ``events-timeline`` 1.58 s on disk vs 0.36 s in memory, median over the
43 stored queries 71.8 vs 20.4 ms. So such a worker may load the release into an in-memory
``pyoxigraph.Store`` (same graph layout: ``engines.release_graphs``) instead:

- ``disk``: the on-disk store (the cold CLI, one-shot workers, the API's default);
- ``memory``: the release files loaded into memory in every worker;
- ``auto`` (``serve``'s default): memory when every copy (one per worker, and one for the
  server's own reads) fits in ``MEMORY_SHARE`` of the memory available now (``MemAvailable``),
  a copy estimated as the release's triples (``void:triples`` of ``void.ttl``) ×
  ``BYTES_PER_TRIPLE``; else disk, saying why.

``BYTES_PER_TRIPLE`` is measured: the 1M synthetic release (1,385,812 triples, full graph and
catalogue) loaded with ``Store.load`` took +454 MB RSS in a bare process (328 bytes a triple;
``bulk_load``: +496 MB, and no faster), and a worker's RSS grew by the same amount. The other
half of the memory is left for the queries (each may take ``--max-memory`` above the release),
the server and the page cache.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sinorus_kg.errors import InputError

STORES = ("auto", "memory", "disk")
BYTES_PER_TRIPLE = 350  # a triple of the release in an in-memory Oxigraph store, rounded up (328 measured)
MEMORY_SHARE = 0.5  # the workers' copies of the release may take at most this share of MemAvailable
TURTLE_BYTES_PER_TRIPLE = 50  # without void.ttl: sinorus-full.ttl at 1M is 70 MB for 1.39M triples
DATASET = "https://w3id.org/sinorus/dataset"
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"


@dataclass(frozen=True)
class Placement:
    """Where the workers' release lives (``where``: memory or disk) and why, in words."""

    where: str
    reason: str

    def describe(self) -> str:
        return f"release {'in memory' if self.where == 'memory' else 'on disk'} ({self.reason})"


def check_store(store: str, option: str = "--store") -> str:
    """``store`` if it is one of ``STORES``, else an InputError naming the choices."""
    if store not in STORES:
        raise InputError(f"unknown {option} {store!r} (choose auto, memory or disk)")
    return store


def _mb(size: float) -> str:
    return f"{size / 2**30:.1f} GB" if size >= 10 * 2**30 else f"{size / 2**20:,.0f} MB"


def _count(triples: int) -> str:
    return f"{triples / 1e6:.2f}M" if triples >= 1_000_000 else f"{triples:,}"


def decide(store: str, triples: int | None, copies: int, available: int | None) -> Placement:
    """The rule, as a pure function: ``triples`` in the release (None: unknown), ``copies`` of it
    (one per worker, one for the server's reads), ``available`` bytes of memory (MemAvailable;
    None: unknown)."""
    check_store(store)
    per_copy = None if triples is None else triples * BYTES_PER_TRIPLE
    size = "" if triples is None or per_copy is None else f"{_count(triples)} triples, ~{_mb(per_copy)} per worker"
    if store == "disk":
        return Placement("disk", "--store disk" + (f"; {size}" if size else ""))
    if store == "memory":
        return Placement("memory", size or "--store memory")
    if per_copy is None:
        return Placement("disk", "the release's size is unknown (no void.ttl)")
    if available is None:
        return Placement("disk", f"{size}, but the memory available is unknown (no /proc/meminfo)")
    need, budget = copies * per_copy, available * MEMORY_SHARE
    if need <= budget:
        return Placement("memory", size)
    return Placement("disk", f"{size}: {copies} copies would need ~{_mb(need)}, more than "
                             f"{MEMORY_SHARE:.0%} of the {_mb(available)} available; --store memory overrides")


def release_triples(folder: str) -> int | None:
    """The triples the workers load (``void:triples`` of the dataset in ``void.ttl``: the full
    graph and the catalogue); without void.ttl, estimated from the Turtle files' size."""
    import pyoxigraph as ox

    void = os.path.join(folder, "void.ttl")
    if os.path.exists(void):
        try:
            for triple in ox.parse(path=void, format=ox.RdfFormat.TURTLE):
                if triple.subject.value == DATASET and triple.predicate.value == VOID_TRIPLES:
                    return int(triple.object.value)
        except (SyntaxError, ValueError, OSError):
            pass
    sizes = [os.path.getsize(os.path.join(folder, name)) for name in ("sinorus-full.ttl", "catalogue.ttl")
             if os.path.exists(os.path.join(folder, name))]
    return sum(sizes) // TURTLE_BYTES_PER_TRIPLE if sizes else None


def mem_available(cgroup: str = "/sys/fs/cgroup") -> int | None:
    """MemAvailable from /proc/meminfo, in bytes (None where there is none), and no more than
    the room left under this process's cgroup memory limit when one is set (``_cgroup_room``):
    in a container MemAvailable is the host's, and the limit is what kills."""
    available = None
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        available = None
    room = _cgroup_room(cgroup)
    if room is None:
        return available
    return room if available is None else min(available, room)


UNLIMITED = 2**62  # cgroup v1 writes "no limit" as a number near 2**63


def _cgroup_room(root: str, membership: str = "/proc/self/cgroup") -> int | None:
    """Bytes left under this process's cgroup memory limit (v2 ``memory.max``, or v1
    ``memory.limit_in_bytes``), less what the group uses now; None: no limit, or none readable."""
    try:
        with open(membership, encoding="utf-8") as cgroups:
            lines = [line.strip().split(":", 2) for line in cgroups]
    except OSError:
        return None
    places = [(os.path.join(root, "memory", path.lstrip("/")), "memory.limit_in_bytes", "memory.usage_in_bytes")
              for _, controllers, path in lines if "memory" in controllers.split(",")]
    places += [(os.path.join(root, path.lstrip("/")), "memory.max", "memory.current")
               for hierarchy, controllers, path in lines if hierarchy == "0" and not controllers]
    for folder, limit_name, usage_name in places:
        try:
            with open(os.path.join(folder, limit_name), encoding="ascii") as limit_file:
                limit = limit_file.read().strip()
            if limit == "max" or int(limit) >= UNLIMITED:
                continue
            with open(os.path.join(folder, usage_name), encoding="ascii") as usage_file:
                return max(int(limit) - int(usage_file.read().strip()), 0)
        except (OSError, ValueError):
            continue
    return None


def choose(store: str, copies: int, engine: str = "oxigraph") -> Placement:
    """``decide`` for the built release and this machine, now. The rdflib engine always holds its
    graph in memory (it has no on-disk store)."""
    from sinorus_kg import resources

    check_store(store)
    if engine != "oxigraph":
        return Placement("memory", f"the {engine} engine keeps its graph in memory")
    triples = release_triples(resources.release_location()) if store != "disk" else None
    return decide(store, triples, copies, mem_available() if store == "auto" else None)


__all__ = ["BYTES_PER_TRIPLE", "MEMORY_SHARE", "STORES", "Placement", "check_store", "choose", "decide",
           "mem_available", "release_triples"]
