"""The page's own files (``web/static/``: CSS, scripts, the vendored YASGUI), served by this
server — never from a CDN — with ETags, and referenced by content-versioned URLs so that
a new release of a file is never hidden by a browser's cache."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"


@cache
def _version(name: str) -> str:
    path = STATIC_DIR / name
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.is_file() else "missing"


def asset(name: str) -> str:
    """The URL of a static file, with a version taken from its content."""
    return f"/static/{name}?v={_version(name)}"


def mount() -> Mount:
    return Mount("/static", app=StaticFiles(directory=STATIC_DIR, follow_symlink=False), name="static")
