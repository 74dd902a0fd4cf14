"""Where the project's resources live, the same way from a checkout and from a wheel.

A wheel carries ontology/, data/ and queries/ inside the package as `_resources/`;
a checkout has them at the repository top. Nothing depends on the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_resources"


def resource_root() -> Path:
    """The folder holding ontology/, data/ and queries/."""
    if (_BUNDLED / "ontology").is_dir():
        return _BUNDLED
    return _PACKAGE.parent


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_dir() -> Path:
    return resource_root() / "data"


def queries_dir() -> Path:
    return resource_root() / "queries"


def release_dir() -> Path:
    """The built release; ``SINORUS_KG_RELEASE`` points the query paths at another one (e.g. a
    synthetic graph's build in the scale benchmark)."""
    override = os.environ.get("SINORUS_KG_RELEASE")
    return Path(override) if override else resource_root() / "release"


def source_document() -> Path:
    return data_dir() / "source" / "soviet-russian-chinese-relations.txt"


def ontology_files() -> list[Path]:
    """The TBox files in a fixed order (shapes excluded: they are the contract, not the model)."""
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "shapes.ttl")


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def data_files() -> list[Path]:
    """The ABox files in a fixed order."""
    return sorted(data_dir().glob("*.ttl"))
