"""Scratch folders the project owns, one per process, removed once that process is dead.

HermiT's copy of the graph, the query workers' logs and other temporary files live in
``$TMPDIR/sinorus-kg-<uid>/<pid>/`` rather than loose in a shared TMPDIR: a process killed
with SIGKILL cannot clean up after itself, so every later process removes the folders of
PIDs that no longer run — inside its own ``sinorus-kg-<uid>`` folder only, never anything
else in TMPDIR. The parent folder must be a real directory owned by this user and closed to
others (0700), or nothing is written there.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import tempfile
from pathlib import Path

from sinorus_kg.errors import InputError


def pid_alive(pid: int) -> bool:
    """True if a process with this PID exists (a reused PID counts as alive: never delete then)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def root() -> Path:
    """``$TMPDIR/sinorus-kg-<uid>``, created 0700 and checked to be ours."""
    folder = Path(tempfile.gettempdir()) / f"sinorus-kg-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        raise InputError(f"cannot create the scratch folder {folder}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise InputError(f"{folder} is not a private folder of this user (owner, mode 0700): "
                         "remove it or set TMPDIR elsewhere")
    return folder


def clean_dead(folder: Path | None = None) -> list[Path]:
    """Remove the PID folders under ``folder`` (default: ``root()``) whose process is gone."""
    folder = folder or root()
    removed = []
    for entry in folder.iterdir():
        if entry.name.isdigit() and not pid_alive(int(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _remove_own(folder: Path, pid: int) -> None:
    if os.getpid() == pid:  # not in a forked child that inherited the atexit hook
        shutil.rmtree(folder, ignore_errors=True)


def process_dir() -> Path:
    """This process's scratch folder: created on first use (dead processes' folders are removed
    then), and removed when the process exits normally."""
    base = root()
    mine = base / str(os.getpid())
    if not mine.is_dir():
        clean_dead(base)
        mine.mkdir(mode=0o700, exist_ok=True)
        atexit.register(_remove_own, mine, os.getpid())
    return mine


__all__ = ["clean_dead", "pid_alive", "process_dir", "root"]
