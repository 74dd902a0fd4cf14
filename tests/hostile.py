"""Hostile SPARQL for the security tests: a listener on 127.0.0.1 that counts connections, and
the query forms an attacker would try (every one names that listener)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

W3C = Path(__file__).parent / "data" / "w3c-sparql"


class Listener:
    """A TCP listener on 127.0.0.1 that answers like a SPARQL endpoint and counts connections."""

    ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 44\r\n"
              b"Connection: close\r\n\r\n{\"head\":{\"vars\":[]},\"results\":{\"bindings\":[]}}")

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.settimeout(1)
                conn.recv(65536)
                conn.sendall(self.ANSWER)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@dataclass(frozen=True)
class Form:
    name: str
    text: str
    expect: tuple[int, ...]  # acceptable statuses (a variant may also be a plain syntax error: 400)


# SERVICE in every position; {U} is the listener's IRI, {G} the start of the outer group's contents
# (plain str.replace, so the braces of the queries are written as they are).
SERVICE_TEMPLATES = {
    "plain": "SELECT * WHERE { {G}SERVICE <{U}> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { {G}SERVICE SILENT <{U}> { ?s ?p ?o } }",
    "optional": "SELECT * WHERE { {G}?s ?p ?o OPTIONAL { SERVICE <{U}> { ?s ?q ?r } } }",
    "exists": "SELECT * WHERE { {G}?s ?p ?o FILTER EXISTS { SERVICE <{U}> { ?s ?q ?r } } }",
    "not-exists": "SELECT * WHERE { {G}?s ?p ?o FILTER NOT EXISTS { SERVICE <{U}> { ?s ?q ?r } } }",
    "union": "SELECT * WHERE { {G}{ ?s ?p ?o } UNION { SERVICE <{U}> { ?s ?p ?o } } }",
    "minus": "SELECT * WHERE { {G}?s ?p ?o MINUS { SERVICE <{U}> { ?s ?p ?o } } }",
    "sub-select": "SELECT * WHERE { {G}{ SELECT ?s WHERE { SERVICE <{U}> { ?s ?p ?o } } } }",
    "graph": "SELECT * WHERE { {G}GRAPH ?g { SERVICE <{U}> { ?s ?p ?o } } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { {G}SERVICE <{U}> { ?s ?p ?o } }",
    "ask": "ASK { {G}SERVICE <{U}> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { {G}SERVICE <{U}> { ?s ?p ?o } }",
    "variable-bind": "SELECT * WHERE { {G}BIND(<{U}> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "variable-values": "SELECT * WHERE { {G}VALUES ?u { <{U}> } SERVICE ?u { ?s ?p ?o } }",
    "prefixed": "PREFIX ex: <{U}#> SELECT * WHERE { {G}SERVICE ex:x { ?s ?p ?o } }",
    "base-relative": "BASE <{U}> SELECT * WHERE { {G}SERVICE <x> { ?s ?p ?o } }",
    "nested": "SELECT * WHERE { {G}OPTIONAL { { SELECT * WHERE { SERVICE <{U}> { SERVICE <{U}> { ?s ?p ?o } } } } } }",
}


def _variants(text: str) -> Iterator[tuple[str, str]]:
    """The same query written to slip past a text screen: case, escapes, comments, odd tokens."""
    plain = text.replace("{G}", "")
    yield "as-is", plain
    yield "lower", plain.replace("SERVICE", "service").replace("SELECT", "select")
    yield "mixed", plain.replace("SERVICE", "SeRvIcE")
    yield "u-escape", plain.replace("SERVICE", "\\u0053ERVICE")
    yield "U-escape", plain.replace("SERVICE", "\\U00000053ERV\\u0049CE")
    yield "iri-escape", plain.replace("<http://127", "<http\\u003A//127")
    for end, label in (("\r", "cr"), ("\n", "lf"), ("\r\n", "crlf")):
        yield f"comment-{label}", text.replace("{G}", f"# a comment{end}")
    yield "pname-hash", text.replace("{G}", "?z srid:a\\#x ?zz . ")
    yield "pname-quote", text.replace("{G}", "?z srid:a\\'x ?zz . ")
    yield "string-quote", text.replace("{G}", '?z ?y "\\u0022 # " . ')
    yield "long-string", text.replace("{G}", "?z ?y '''# SERVICE\n''' . ")


def forms(url: str) -> list[Form]:
    """At least 200 hostile forms naming ``url``."""
    out: list[Form] = []
    for name, template in SERVICE_TEMPLATES.items():
        for variant, text in _variants(template):
            out.append(Form(f"service-{name}-{variant}", text.replace("{U}", url), (400,)))
    for clause in ("FROM <{U}>", "FROM NAMED <{U}>", "from <{U}> FROM NAMED <{U}>", "\\u0046ROM <{U}>"):
        for form in ("SELECT * {clause} WHERE { ?s ?p ?o }", "ASK {clause} { ?s ?p ?o }",
                     "CONSTRUCT { ?s ?p ?o } {clause} WHERE { ?s ?p ?o }", "DESCRIBE ?s {clause} WHERE { ?s ?p ?o }"):
            text = form.replace("{clause}", clause).replace("{U}", url)
            out.append(Form(f"dataset-{clause[:9]}-{form[:5]}", text, (400,)))
    updates = [
        "LOAD <{U}>", "LOAD SILENT <{U}> INTO GRAPH <urn:g>", "load <{U}>", "\\u004COAD <{U}>",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }", "INSERT { ?s ?p ?o } WHERE { SERVICE <{U}> { ?s ?p ?o } }",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "CLEAR ALL", "CLEAR SILENT DEFAULT",
        "DROP ALL", "CREATE GRAPH <urn:g>", "ADD DEFAULT TO <urn:g>", "MOVE <urn:a> TO <urn:b>",
        "COPY DEFAULT TO <urn:g>", "INSERT DATA { <urn:a> <urn:b> 1 } ; LOAD <{U}>",
        "DELETE { ?s ?p ?o } USING <{U}> WHERE { ?s ?p ?o }",
    ]
    for text in updates:
        out.append(Form(f"update-{text[:12]}", text.replace("{U}", url), (405, 400)))
    functions = ["SELECT * WHERE { ?s ?p ?o FILTER(<{U}>(?o)) }", "SELECT (<{U}>(1) AS ?x) {}",
                 "SELECT * WHERE { ?s ?p ?o } ORDER BY <{U}>(?o)", "SELECT * WHERE { BIND(<{U}>(?s) AS ?x) }",
                 "PREFIX ex: <{U}#> SELECT * WHERE { ?s ?p ?o FILTER(ex:f(?o)) }",
                 "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING(<{U}>(?n))"]
    for text in functions:
        out.append(Form(f"function-{text[:20]}", text.replace("{U}", url), (400,)))
    for path in sorted((W3C / "syntax-fed-positive").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out.append(Form(f"w3c-{path.stem}", text.replace("http://example.org/sparql", url)
                        .replace("http://example1.org/sparql", url).replace("http://example2.org/sparql", url), (400,)))
    for path in sorted((W3C / "syntax-update-positive").glob("*.ru")):
        out.append(Form(f"w3c-{path.stem}", path.read_text(encoding="utf-8"), (405, 400)))
    return out


def describe_outside(url: str) -> list[str]:
    """DESCRIBE of outside resources: allowed, answered from local data, fetches nothing."""
    return [f"DESCRIBE <{url}>", f'DESCRIBE <{url}#thing> ?person WHERE {{ ?person rdfs:label "Xi Jinping"@en }}',
            f"PREFIX ex: <{url}#> DESCRIBE ex:x"]


__all__ = ["W3C", "Form", "Listener", "describe_outside", "forms"]
