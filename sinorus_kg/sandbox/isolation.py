"""The query worker's OS-level walls: no network at all, and a cap on its memory.

Both engines follow SERVICE over HTTP (and rdflib FROM and LOAD), and the policy can only
refuse what it recognises; so the process that runs a user's query cannot open a connection:

- a new, empty network namespace (``unshare(CLONE_NEWNET)``, through ctypes: Python 3.11 has no
  ``os.unshare``). It needs CAP_SYS_ADMIN (root, as here and in CI); otherwise a user namespace
  is tried with it (unprivileged user namespaces, where the kernel allows them);
- a seccomp filter that makes ``socket()`` (and ``io_uring_setup``) fail with EPERM, through
  Debian's libseccomp (``libseccomp.so.2``) by ctypes, after ``PR_SET_NO_NEW_PRIVS``. The
  worker talks to its parent over inherited pipes, so it needs no socket of any family.

Both are installed when available (either alone stops Oxigraph's SERVICE and rdflib's HTTP:
"Network is unreachable" / "Operation not permitted"); ``network`` says which are active.

Memory: ``RLIMIT_AS`` caps the address space at what the worker holds after opening the release
plus a margin. Python raises MemoryError at the cap; Oxigraph (Rust) aborts the process instead,
which the parent turns into an answer naming the limit. glibc is held to two malloc arenas
(``MALLOC_ARENA_MAX``, set by the parent) so that reserved-but-unused arenas do not eat the margin.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
from dataclasses import dataclass

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_NO_NEW_PRIVS = 38
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_ACT_ERRNO = 0x00050000
DEFAULT_QUERY_MEMORY_MB = 1024  # the margin a query may use above the opened release


@dataclass(frozen=True)
class Isolation:
    """What protects a worker: which network blocks are active, and its memory cap."""

    namespace: bool = False
    seccomp: bool = False
    memory_limit: int | None = None  # bytes of address space, None when not capped
    problems: tuple[str, ...] = ()  # why a block could not be installed

    @property
    def network_blocked(self) -> bool:
        return self.namespace or self.seccomp

    def describe(self) -> str:
        walls = [w for w, on in (("network namespace", self.namespace), ("seccomp", self.seccomp)) if on]
        network = " + ".join(walls) if walls else "NONE (" + "; ".join(self.problems) + ")"
        memory = f"{self.memory_limit // 2**20} MB" if self.memory_limit else "not capped"
        return f"network block: {network}; memory cap: {memory}"


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def unshare_network() -> str | None:
    """Move this (single-threaded) process into a new, empty network namespace; None if done,
    else why not."""
    libc = _libc()
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
        err = ctypes.get_errno()
        if err not in (errno.EPERM, errno.EINVAL, errno.ENOSPC, errno.EUSERS):
            break
    return f"unshare(CLONE_NEWNET): {os.strerror(err)}"


def deny_sockets() -> str | None:
    """A seccomp filter: socket() and io_uring_setup() fail with EPERM from now on, for this process
    and any it starts; None if installed, else why not."""
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return "libseccomp is not installed (Debian: apt-get install libseccomp2)"
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    if _libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(ctypes.get_errno())}"
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not ctx:
        return "seccomp_init failed"
    try:
        for syscall in (b"socket", b"io_uring_setup"):
            number = lib.seccomp_syscall_resolve_name(syscall)
            if number < 0:
                continue
            if lib.seccomp_rule_add(ctx, SCMP_ACT_ERRNO | errno.EPERM, number, 0) != 0:
                return f"seccomp_rule_add({syscall.decode()}) failed"
        result = lib.seccomp_load(ctx)
        return None if result == 0 else f"seccomp_load: {os.strerror(-result)}"
    finally:
        lib.seccomp_release(ctx)


def block_network() -> Isolation:
    """Install every network block this machine allows (call before starting any thread)."""
    problems = []
    namespace_problem = unshare_network()
    seccomp_problem = deny_sockets()
    for problem in (namespace_problem, seccomp_problem):
        if problem:
            problems.append(problem)
    return Isolation(namespace=namespace_problem is None, seccomp=seccomp_problem is None,
                     problems=tuple(problems))


def address_space() -> int:
    """This process's current virtual size in bytes (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def cap_memory(margin_bytes: int) -> int:
    """Cap the address space at the current size plus ``margin_bytes``; the cap in bytes."""
    limit = address_space() + margin_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit


__all__ = ["DEFAULT_QUERY_MEMORY_MB", "Isolation", "address_space", "block_network", "cap_memory",
           "deny_sockets", "unshare_network"]
