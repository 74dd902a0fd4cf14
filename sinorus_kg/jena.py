"""Apache Jena from Debian's ``libapache-jena-java``: finding it and running its commands.

Jena is the fast SHACL validator for large graphs (``shacl_fast``) and the third query
engine the benchmarks compare against. Java is already needed for HermiT. Debian ships
the jars without a class path in their manifests, so the class path is listed here.

Debian's Jena 4.5 also lacks the message bundles of the XML Schema datatype code it
embeds (package ``xerces.impl``): the first ``xsd:`` literal fails with "internal error"
inside Xerces. The same bundles ship in ``jena-core.jar`` under Jena's shaded package
name (``org/apache/jena/ext/xerces``); they are copied once into the user's cache under
the name the code looks for, and put first on the class path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from sinorus_kg.errors import ChecksFailed
from sinorus_kg.store import cache_dir

__all__ = ["JENA_DIR", "available", "cache_dir", "classpath", "java_command", "run", "run_source"]

JENA_DIR = Path(os.environ.get("SINORUS_JENA_JARS", "/usr/share/java"))
_JENA = ("arq", "base", "cmds", "core", "dboe-base", "dboe-index", "dboe-storage", "dboe-trans-data",
         "dboe-transaction", "iri", "rdfconnection", "shacl", "shex", "tdb", "tdb2")
_DEPENDENCIES = ("commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
                 "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
                 "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java",
                 "jakarta.json-api", "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld")
_SHADED = "org/apache/jena/ext/xerces/"
INSTALL_HINT = ("Apache Jena was not found: install Debian's `libapache-jena-java` "
                "(`apt-get install -y libapache-jena-java`), or set SINORUS_JENA_JARS to a folder of its jars.")


def _jars() -> list[Path]:
    return [JENA_DIR / f"jena-{name}.jar" for name in _JENA] + [JENA_DIR / f"{name}.jar" for name in _DEPENDENCIES]


def available() -> bool:
    """Java on PATH and every jar of Jena's class path present."""
    return shutil.which("java") is not None and all(p.exists() for p in _jars())


def _message_bundles() -> Path:
    """The folder of Xerces' message bundles under their unshaded names (made once, atomically)."""
    core = JENA_DIR / "jena-core.jar"
    stamp = f"{core.stat().st_size}-{int(core.stat().st_mtime)}"
    target = cache_dir() / f"jena-xerces-messages-{stamp}"
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jena-messages-", dir=target.parent))
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(_SHADED) and name.endswith(".properties"):
                out = staging / "xerces" / name[len(_SHADED):]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(jar.read(name))
    try:
        staging.rename(target)
    except OSError:  # another process made it first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def classpath() -> str:
    if not available():
        raise ChecksFailed(INSTALL_HINT)
    return os.pathsep.join([str(_message_bundles())] + [str(p) for p in _jars()])


def java_command(main_class: str, *args: str, heap: str | None = None) -> list[str]:
    """The java command line for one of Jena's command classes (e.g. ``shacl.shacl``).

    ``heap`` (``-Xmx``) defaults to ``SINORUS_JAVA_HEAP`` or 2g: the JVM's share of the
    build's memory budget at a million triples.
    """
    heap = heap or os.environ.get("SINORUS_JAVA_HEAP", "2g")
    return ["java", f"-Xmx{heap}", "-cp", classpath(), main_class, *args]


def run(main_class: str, *args: str, timeout: float = 3600,
        heap: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a Jena command; a failure is a ChecksFailed with the tool's own message."""
    command = java_command(main_class, *args, heap=heap)
    result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChecksFailed(f"Apache Jena ({main_class}) failed: " + ("\n".join(message[-5:]) or "no message"))
    return result


def run_source(source: Path, *args: str, timeout: float = 3600,
               heap: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run one of the project's single-file Java programs (``sinorus_kg/java/*.java``) on Jena's
    class path; the JRE compiles it in memory (JEP 330), so no compiled Java is shipped."""
    return run(str(source), *args, timeout=timeout, heap=heap)
