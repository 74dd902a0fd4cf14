"""Is the release older than its sources? Answered from content checksums, not file times.

``build`` records the SHA-256 of every file the release is made from (ontology, shapes, data,
the source documents, the stored queries) in ``release/SOURCES.sha256``; a command that reads
the release compares them with the files as they are now. An analyst who edits
``data/persons.ttl`` and queries again is told that the answers still come from the last
build. Checksums, because a fresh clone or a checkout gives every file a new time while the
content — and so the release — is current (and hashing the sources costs about a millisecond).
"""

from __future__ import annotations

import os
import sys
import warnings

from sinorus_kg import resources

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from pathlib import Path

FILE_NAME = "SOURCES.sha256"
_PATTERNS = ("ontology/*.ttl", "data/*.ttl", "data/*.tsv", "data/source/*.txt", "queries/*.rq", "queries/qc/*.rq")


class StaleReleaseWarning(UserWarning):
    """The release was built from other sources than the ones now in the tree: rebuild it."""


def _sources(base: str) -> list[tuple[str, str]]:
    """Every file the release is built from under ``base``, as (its path relative to ``base``, with
    ``/``; its full path), ordered as ``pathlib`` orders the paths (part by part). Strings and
    ``os``: a cold query imports neither ``pathlib`` nor ``glob``."""
    found: dict[str, str] = {}
    for pattern in _PATTERNS:  # "folder/*.suffix": listed, not globbed
        folder, _, suffix = pattern.rpartition("/*")
        try:
            names = os.listdir(os.path.join(base, folder))
        except OSError:
            continue
        for name in names:
            path = os.path.join(base, folder, name)
            if name.endswith(suffix) and os.path.isfile(path):
                found[f"{folder}/{name}"] = path
    return sorted(found.items(), key=lambda item: item[0].split("/"))


def source_paths(root: Path | None = None) -> list[Path]:
    """Every file the release is built from, in a fixed order."""
    from pathlib import Path

    return [Path(path) for _, path in _sources(os.fspath(root) if root else resources.root_location())]


def source_checksums(root: Path | None = None) -> bytes:
    """``sha256  path`` lines (paths relative to the resource root), as ``build`` records them."""
    try:  # CPython's own SHA-256: hashlib's first import loads OpenSSL (~3 ms of every cold query)
        if sys.version_info >= (3, 12):
            from _sha2 import sha256
        else:
            from _sha256 import sha256
    except ImportError:  # another Python
        from hashlib import sha256

    lines = []
    for relative, path in _sources(os.fspath(root) if root else resources.root_location()):
        with open(path, "rb") as handle:
            lines.append(f"{sha256(handle.read()).hexdigest()}  {relative}\n")
    return "".join(lines).encode()


def changed_sources(release: Path | None = None, root: Path | None = None) -> list[str] | None:
    """The sources that differ from those the release was built from (added, removed or edited);
    None when the release does not say (no ``SOURCES.sha256``, or another release is in use)."""
    if release is None and os.environ.get("SINORUS_KG_RELEASE"):
        return None  # a release built from other sources (e.g. a synthetic graph): nothing to compare
    recorded_file = os.path.join(os.fspath(release) if release else resources.release_location(), FILE_NAME)
    try:
        with open(recorded_file, encoding="utf-8") as handle:
            recorded = _parse(handle.read())
    except OSError:
        return None
    current = _parse(source_checksums(root).decode())
    return sorted(path for path in recorded.keys() | current.keys() if recorded.get(path) != current.get(path))


def stale_release(release: Path | None = None) -> str | None:
    """A one-line warning when the release is older than its sources, else None."""
    changed = changed_sources(release)
    if not changed:
        return None
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (f"warning: the release is older than its sources ({shown} changed since it was built): answers come "
            "from the last build; rebuild it with `make release` (or `.venv/bin/sinorus-kg build`)")


def warn_if_stale() -> None:
    """``StaleReleaseWarning`` when the release is older than its sources (the CLI prints it as one line)."""
    message = stale_release()
    if message:
        warnings.warn(message.removeprefix("warning: "), StaleReleaseWarning, stacklevel=3)


def _parse(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        digest, _, path = line.partition("  ")
        if path:
            out[path] = digest
    return out


__all__ = ["FILE_NAME", "StaleReleaseWarning", "changed_sources", "source_checksums", "stale_release",
           "warn_if_stale"]
