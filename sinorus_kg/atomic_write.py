"""Replacing a file, or a whole folder of files, so that a kill at any moment leaves the old
or the new one and never a mix.

A release is a set: ``SHA256SUMS`` must match every file. Renaming files one by one cannot
keep that through a SIGKILL between two renames, so ``replace_directory`` writes the new set
into a sibling folder ``.NAME.<pid>.tmp`` and swaps it with the target in one
``renameat2(RENAME_EXCHANGE)`` call (Linux ≥ 3.15, through ctypes), then removes the old set,
now in the sibling. A single file goes through ``.NAME.<pid>.tmp`` and a rename. What a killed
process leaves behind is named by its PID, and the next write into the same folder removes
the leftovers of PIDs that are no longer running (and nothing else).
"""

from __future__ import annotations

import ctypes
import os
import platform
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from sinorus_kg.errors import InputError
from sinorus_kg.scratch import pid_alive

RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "arm64": 276}
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.tmp")


def renameat2(source: Path, target: Path, flags: int) -> None:
    """The Linux renameat2 system call; OSError on failure (ENOSYS/EINVAL where unsupported)."""
    libc = ctypes.CDLL(None, use_errno=True)
    src, dst = os.fsencode(source), os.fsencode(target)
    function = getattr(libc, "renameat2", None)
    if function is not None:
        result = function(_AT_FDCWD, src, _AT_FDCWD, dst, ctypes.c_uint(flags))
    else:
        number = _SYS_RENAMEAT2.get(platform.machine())
        if number is None:
            raise OSError(38, "renameat2 is not available on this machine")
        result = libc.syscall(number, _AT_FDCWD, src, _AT_FDCWD, dst, ctypes.c_uint(flags))
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"renameat2({source}, {target}): {os.strerror(err)}")


def clean_leftovers(folder: Path, name: str | None = None) -> list[Path]:
    """Remove ``.NAME.<pid>.tmp`` files and folders in ``folder`` whose PID no longer runs."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _LEFTOVER.fullmatch(entry.name)
        if not match or (name is not None and match.group("name") != name) or pid_alive(int(match.group("pid"))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _umask_mode(bits: int = 0o666) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return bits & ~mask


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through ``.NAME.<pid>.tmp`` and a rename (mode from the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(path.parent, path.name)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        _write(tmp, data, _umask_mode())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def replace_directory(target: Path, files: Mapping[str, bytes] | None = None,
                      populate: Callable[[Path], None] | None = None) -> None:
    """Make ``target`` hold exactly ``files`` (names → bytes) and whatever ``populate(folder)``
    writes into the new folder, replacing the old contents in one atomic swap.

    An existing ``target`` must be a folder this function may replace: empty, a release (it has
    ``SHA256SUMS``), or holding only names that are being written — never a folder with other
    files in it (``build --out .`` must not swap away a working copy)."""
    files = dict(files or {})
    target = target.absolute()
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if not target.is_dir() or target.is_symlink():
            raise InputError(f"{target} is not a folder: cannot write a release there")
        others = sorted(p.name for p in target.iterdir() if p.name not in files)
        if others and not (target / "SHA256SUMS").is_file():
            raise InputError(f"{target} holds other files ({', '.join(others[:5])}): write the release to an "
                             "empty folder or to a release folder (one with SHA256SUMS)")
    clean_leftovers(parent, target.name)
    staging = parent / f".{target.name}.{os.getpid()}.tmp"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(mode=(target.stat().st_mode & 0o7777) if target.exists() else _umask_mode(0o777))
    try:
        mode = _umask_mode()
        for name, data in files.items():
            if "/" in name or name.startswith("."):
                raise ValueError(f"not a plain file name: {name!r}")
            _write(staging / name, data, mode)
        if populate is not None:
            populate(staging)
        _fsync_dir(staging)
        if target.exists():
            renameat2(staging, target, RENAME_EXCHANGE)  # staging now holds the old set
        else:
            renameat2(staging, target, RENAME_NOREPLACE)
        _fsync_dir(parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["RENAME_EXCHANGE", "clean_leftovers", "renameat2", "replace_directory", "write_file"]
