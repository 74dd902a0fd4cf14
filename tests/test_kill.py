"""SIGKILL at any moment leaves the whole old release or the whole new one (by SHA256SUMS), no
orphan process, and nothing the next run does not remove.

`make test` kills a small writer of release-like folders 16 times; `slow` kills real `build`
process groups (HermiT's JVM included) at 30 random moments, then checks that the next build
cleans up."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sinorus_kg import scratch
from sinorus_kg.atomic_write import clean_leftovers, replace_directory

WRITER = """
import hashlib, sys, time
from pathlib import Path
from sinorus_kg.atomic_write import replace_directory
files = {f"part-{i}.ttl": (sys.argv[2] * 20000).encode() for i in range(12)}
files["SHA256SUMS"] = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\\n" for n, d in sorted(files.items())).encode()
def slowly(folder):
    for i in range(5):
        (folder / f"extra-{i}.ttl").write_bytes(b"x")
        time.sleep(0.01)
    sums = (folder / "SHA256SUMS").read_bytes().decode()
    sums += "".join(f"{hashlib.sha256(b'x').hexdigest()}  extra-{i}.ttl\\n" for i in range(5))
    (folder / "SHA256SUMS").write_text(sums)
replace_directory(Path(sys.argv[1]), files, populate=slowly)
"""


def release_state(folder: Path) -> dict[str, str]:
    """Name → SHA-256 of every file, after checking SHA256SUMS lists exactly those files."""
    sums = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    present = {p.name for p in folder.iterdir()} - {"SHA256SUMS"}
    assert present == set(sums), f"files {sorted(present ^ set(sums))} do not match SHA256SUMS"
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, f"{name} is torn"
    return sums


def write_old(folder: Path) -> None:
    digest = hashlib.sha256(b"old").hexdigest()
    replace_directory(folder, {"old.ttl": b"old", "SHA256SUMS": f"{digest}  old.ttl\n".encode()})


def kill_group_at(args: list[str], delay: float) -> int:
    proc = subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # every process of the group (a JVM too) must be gone
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return proc.pid
        time.sleep(0.05)
    raise AssertionError(f"processes of group {proc.pid} outlived SIGKILL")


def test_killing_a_folder_swap_leaves_old_or_new(tmp_path: Path) -> None:
    target = tmp_path / "release"
    write_old(target)
    old = release_state(target)
    seen = set()
    rng = random.Random(5)
    for _ in range(16):
        kill_group_at([sys.executable, "-c", WRITER, str(target), "n"], rng.uniform(0.05, 0.8))
        state = release_state(target)
        seen.add("old" if state == old else "new")
        if state != old:
            write_old(target)
    assert seen == {"old", "new"}  # the kills landed before and after the swap
    clean_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


@pytest.mark.slow
def test_killing_build_at_random_moments(tmp_path: Path) -> None:
    out = tmp_path / "release"
    build = [sys.executable, "-m", "sinorus_kg", "build", "--out", str(out)]
    started = time.monotonic()
    subprocess.run(build, check=True, capture_output=True)
    duration = time.monotonic() - started
    new = release_state(out)
    write_old(out)
    old = release_state(out)
    rng = random.Random(11)
    outcomes = []
    for _ in range(30):
        kill_group_at(build, rng.uniform(0.2, duration * 1.1))
        state = release_state(out)
        assert state in (old, new)
        outcomes.append("new" if state == new else "old")
        if state == new:
            write_old(out)
    assert "old" in outcomes
    subprocess.run(build, check=True, capture_output=True)  # the next run removes what kills left
    assert release_state(out) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]
    dead = [p for p in scratch.root().iterdir() if p.name.isdigit() and not scratch.pid_alive(int(p.name))]
    assert dead == []
