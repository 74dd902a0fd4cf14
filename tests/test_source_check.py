"""Loaders never dereference: bad IRIs, owl:imports and file: IRIs are refused with file and line."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinorus_kg import resources
from sinorus_kg.cli import app
from sinorus_kg.errors import InputError
from sinorus_kg.loading import parse_turtle

OWL = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("<http://a/s> <http://a/p> 1 .\n<relative-thing> <http://a/p> 1 .\n", 2, "relative IRIs are refused"),
    ("<http://exa mple/x> <http://a/p> 1 .\n", 1, "Invalid IRI"),
    ("<::::> <http://a/p> 1 .\n", 1, "No scheme"),
    ("<http://a/\\u0000x> <http://a/p> 1 .\n", 1, "Invalid IRI"),
    (OWL + "<http://a> a owl:Ontology ;\n  owl:imports <http://127.0.0.1:9/x.owl> .\n", 3, "owl:imports"),
    ("<http://a> <http://www.w3.org/2002/07/owl#imports> <file:///etc/passwd> .\n", 1, "owl:imports"),
    ("@prefix f: <file:///etc/> .\n\n<http://a> <http://a/p> f:passwd .\n", 3, "file: IRI"),
])
def test_refused_naming_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_turtle(path)
    assert f"{path}: line {line}:" in str(caught.value) and words in str(caught.value)


def test_build_with_owl_imports_makes_no_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data file's owl:imports names a listener on 127.0.0.1: build refuses it (exit 2) and nothing
    connects (owlready2 would have fetched it)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connections = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    data = tmp_path / "data"
    shutil.copytree(resources.data_dir(), data)
    (data / "zz-imports.ttl").write_text(
        OWL + f"<https://w3id.org/sinorus/ontology> owl:imports <http://127.0.0.1:{port}/x.owl> ,\n"
        "    <file:///etc/passwd> .\n", encoding="utf-8")
    monkeypatch.setattr(resources, "data_dir", lambda: data)
    out = tmp_path / "release"
    result = CliRunner().invoke(app, ["build", "--out", str(out)])
    stop.set()
    thread.join(timeout=2)
    listener.close()
    assert result.exit_code == 2, result.output
    assert "zz-imports.ttl: line 2:" in result.output and "owl:imports" in result.output
    assert connections == [] and not out.exists()
