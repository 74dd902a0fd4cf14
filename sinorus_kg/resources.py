"""Where the project's resources live, the same way from a checkout and from a wheel.

A wheel carries ontology/, data/ and queries/ inside the package as `_resources/`;
a checkout has them at the repository top. Nothing depends on the working directory.

The ``*_location`` functions give the same folders as strings: a cold ``sinorus-kg query``
does not import ``pathlib`` (~5 ms, a sixth of the bare process it is measured against).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from pathlib import Path

_PACKAGE = os.path.dirname(os.path.realpath(__file__))
_BUNDLED = os.path.join(_PACKAGE, "_resources")


def root_location() -> str:
    """The folder holding ontology/, data/ and queries/, as a string."""
    if os.path.isdir(os.path.join(_BUNDLED, "ontology")):
        return _BUNDLED
    return os.path.dirname(_PACKAGE)


def queries_location() -> str:
    """``queries_dir()`` as a string."""
    return os.path.join(root_location(), "queries")


def release_location() -> str:
    """``release_dir()`` as a string."""
    return os.environ.get("SINORUS_KG_RELEASE") or os.path.join(root_location(), "release")


def resource_root() -> Path:
    """The folder holding ontology/, data/ and queries/."""
    from pathlib import Path

    return Path(root_location())


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_dir() -> Path:
    return resource_root() / "data"


def queries_dir() -> Path:
    return resource_root() / "queries"


def release_dir() -> Path:
    """The built release; ``SINORUS_KG_RELEASE`` points the query paths at another one (e.g. a
    synthetic graph's build in the scale benchmark)."""
    from pathlib import Path

    return Path(release_location())


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
