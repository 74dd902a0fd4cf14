"""A release is replaced as a set; single files atomically; leftovers of dead PIDs are removed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sinorus_kg import atomic_write
from sinorus_kg.atomic_write import clean_leftovers, replace_directory, write_file
from sinorus_kg.errors import InputError


def dead_pid() -> int:
    """The PID of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_directory_is_swapped_as_a_whole(tmp_path: Path) -> None:
    target = tmp_path / "release"
    replace_directory(target, {"a.ttl": b"old a", "b.ttl": b"old b", "SHA256SUMS": b"x"})
    inode = target.stat().st_ino
    replace_directory(target, {"a.ttl": b"new a", "c.ttl": b"new c", "SHA256SUMS": b"y"})
    assert {p.name: p.read_bytes() for p in target.iterdir()} == {
        "a.ttl": b"new a", "c.ttl": b"new c", "SHA256SUMS": b"y"}
    assert target.stat().st_ino != inode  # a new folder took the old one's place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]  # the old set is gone


def test_a_failure_while_staging_keeps_the_old_set(tmp_path: Path) -> None:
    target = tmp_path / "release"
    replace_directory(target, {"a.ttl": b"old", "SHA256SUMS": b"x"})

    def crash(folder: Path) -> None:
        (folder / "half.ttl").write_bytes(b"half")
        raise RuntimeError("killed while writing")

    with pytest.raises(RuntimeError):
        replace_directory(target, {"a.ttl": b"new"}, populate=crash)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == {"a.ttl": b"old", "SHA256SUMS": b"x"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_a_folder_with_other_files_is_not_swapped_away(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="holds other files"):
        replace_directory(tmp_path, {"a.ttl": b"x"})
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_leftovers_of_dead_processes_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    gone = tmp_path / f".release.{dead_pid()}.tmp"
    gone.mkdir()
    (gone / "sinorus.ttl").write_bytes(b"half")
    live = tmp_path / f".release.{os.getpid()}.tmp"
    live.mkdir()
    stale_file = tmp_path / f".out.ttl.{dead_pid()}.tmp"
    stale_file.write_bytes(b"half")
    assert set(clean_leftovers(tmp_path)) == {gone, stale_file}
    assert live.exists()


def test_single_file_write_leaves_no_temp_file(tmp_path: Path) -> None:
    (tmp_path / f".x.ttl.{dead_pid()}.tmp").write_bytes(b"left by a killed export")
    write_file(tmp_path / "x.ttl", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.ttl"]


def test_renameat2_exchanges(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a")
    (tmp_path / "b").write_text("b")
    atomic_write.renameat2(tmp_path / "a", tmp_path / "b", atomic_write.RENAME_EXCHANGE)
    assert (tmp_path / "a").read_text() == "b" and (tmp_path / "b").read_text() == "a"
