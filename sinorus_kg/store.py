"""The release as an on-disk Oxigraph store: a cold process opens it instead of parsing Turtle.

Parsing the release costs every new process 0.5–0.8 s on the document and ~3 s at a million
triples; opening an on-disk store costs a few tens of milliseconds. The store lives in
``$XDG_CACHE_HOME/sinorus-kg/store-<the files' checksums from SHA256SUMS>`` (default
``~/.cache``), because the release itself may sit read-only in site-packages.

Write-once, read-only: pyoxigraph 0.5 refuses a second read-write open of a store, and
reading while another process writes is undefined. So a store is built in a temporary
folder beside its final name, flushed, closed and renamed into place (an atomic rename: a
reader sees no folder or a complete one); it is only ever opened ``read_only`` after that,
and never rewritten — a new release has another checksum and so another folder. When two
processes build at once, the first rename wins and the other's copy is discarded. If the
cache cannot be written, the release is loaded in memory as before.

Each file goes into the graph it is given with (``engines.release_graphs``: the data in the
default graph, the catalogue in its named graph), and that assignment is part of the name,
so a store laid out otherwise is never reused.

Opening an existing store takes strings and ``os.path`` only: a cold query does not import
``pathlib`` (~5 ms).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from sinorus_kg.errors import InputError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

__all__ = ["cache_dir", "open_release_store", "store_path"]

FilePath = str | os.PathLike[str]  # a str on the cold path, a Path elsewhere
GraphFile = tuple[FilePath, "str | None"]  # a Turtle file and the named graph it goes into (None: default graph)


def _cache_location() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sinorus-kg")


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/sinorus-kg`` (``~/.cache/sinorus-kg`` when unset)."""
    from pathlib import Path

    return Path(_cache_location())


def _graph_files(files: Sequence[FilePath | GraphFile]) -> list[GraphFile]:
    return [item if isinstance(item, tuple) else (item, None) for item in files]


def _store_location(files: Sequence[FilePath | GraphFile], sums: FilePath) -> str:
    """``store_path`` as a string."""
    import zlib

    pairs = [(os.path.basename(path), graph) for path, graph in _graph_files(files)]
    layout = "\0".join(f"{name}\t{graph or ''}" for name, graph in pairs).encode()
    listed = {}
    with open(sums, encoding="utf-8") as handle:
        for line in handle.read().splitlines():
            checksum, _, name = line.partition("  ")
            listed[name] = checksum
    if all(len(listed.get(name, "")) == 64 for name, _ in pairs):
        sums_part = "".join(listed[name][:32 // len(pairs)] for name, _ in pairs)
        return os.path.join(_cache_location(), f"store-{sums_part}-{zlib.crc32(layout):08x}")
    import hashlib

    with open(sums, "rb") as handle:
        digest = hashlib.sha256(handle.read())
    digest.update(layout)
    return os.path.join(_cache_location(), f"store-{digest.hexdigest()[:32]}")


def store_path(files: Sequence[FilePath | GraphFile], sums: FilePath) -> Path:
    """The store's folder: named by the SHA-256 checksums that ``SHA256SUMS`` lists for the
    files (read, not recomputed: a cold query pays neither the hashing nor hashlib's import)
    and by a CRC of the graph each file went into."""
    from pathlib import Path

    return Path(_store_location(files, sums))


def _load(store: Any, files: Sequence[FilePath | GraphFile], bulk: bool) -> None:
    import pyoxigraph as ox

    for path, graph in _graph_files(files):
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        try:
            if bulk:
                store.bulk_load(path=os.fspath(path), format=ox.RdfFormat.TURTLE, to_graph=target)
            else:
                store.load(path=os.fspath(path), format=ox.RdfFormat.TURTLE, to_graph=target)
        except SyntaxError as exc:
            raise InputError(f"{path}: {exc}") from None


def _build(target: Path, files: Sequence[FilePath | GraphFile]) -> None:
    import gc
    import shutil
    import tempfile
    from pathlib import Path

    import pyoxigraph as ox

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-" + target.name + "-", dir=target.parent))
    try:
        store = ox.Store(str(staging))
        _load(store, files, bulk=True)
        store.flush()
        # Compact the bulk load's files once: read-only opens never compact, and on the raw load a
        # query reading many rows took 1.5-1.9x as long (1M triples: events-timeline 2.57 -> 1.58 s).
        store.optimize()
        del store
        gc.collect()  # the store's files are closed when the object goes
        try:
            staging.rename(target)
        except OSError:  # another process renamed its copy first: use that one
            if not target.is_dir():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def open_release_store(files: Sequence[FilePath | GraphFile], sums: FilePath | None) -> Any:
    """A read-only on-disk store of ``files`` (each a path, loaded into the default graph, or a
    path with the named graph it goes into), built once per release; or an in-memory store
    when there are no checksums to name it by or the cache cannot be written."""
    import pyoxigraph as ox

    if sums is not None and os.path.exists(sums):
        target = _store_location(files, sums)
        try:
            if not os.path.isdir(target):
                from pathlib import Path

                _build(Path(target), files)
            return ox.Store.read_only(target)
        except OSError:
            pass  # an unwritable cache or a damaged store: fall back to memory
    store = ox.Store()
    _load(store, files, bulk=False)
    return store
