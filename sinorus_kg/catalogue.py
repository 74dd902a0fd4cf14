"""The stored-query catalogue: one SPARQL query per ``queries/*.rq``, metadata in ``#+`` lines.

The header follows grlc's convention so every file stays valid SPARQL. Parameters are
typed and bound as RDF terms by the engines, never pasted into query text. This module
imports neither rdflib nor pyoxigraph, so listing and parsing stay cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from sinorus_kg import resources
from sinorus_kg.errors import InputError
from sinorus_kg.namespaces import check_iri, expand, shorten, sparql_prologue
from sinorus_kg.safety import query_form
from sinorus_kg.terms import Term

if TYPE_CHECKING:
    from sinorus_kg.engines import Engine

PARAM_TYPES = ("iri", "date", "year", "integer", "string", "language")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\+\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)$")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster


@dataclass(frozen=True)
class Param:
    """A typed query parameter, bound to the variable of the same name."""

    name: str
    type: str
    cls: str | None = None
    default: str | None = None
    example: str | None = None
    optional: bool = False
    description: str = ""

    def bind(self, raw: object) -> Term:
        """The RDF term for a user's value (a string, or an int/date from Python); a bad value is
        an InputError naming the parameter."""
        raw = raw.isoformat() if isinstance(raw, date) else str(raw)
        text = raw.strip()
        try:
            if self.type == "iri":
                return Term.iri(expand(text))
            if self.type == "date":
                return Term.literal(date.fromisoformat(text).isoformat(), _XSD + "date")
            if self.type in ("year", "integer"):
                value = int(text)
                if self.type == "year" and not 1 <= value <= 9999:
                    raise ValueError("out of range")
                return Term.literal(str(value), _XSD + "integer")
            if self.type == "language":
                if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", text):
                    raise ValueError("not a language tag")
                return Term.literal(text.lower())
            return Term.literal(raw)
        except ValueError:
            raise InputError(
                f"parameter {self.name!r}: {raw!r} is not a valid {self.expected()}"
            ) from None

    def check_class(self, engine: Engine, term: Term) -> None:
        """An IRI parameter declared with a class must name an instance of it in the graph."""
        if self.type != "iri" or not self.cls:
            return
        cls = expand(self.cls)
        if not engine.run(f"ASK {{ ?x a <{check_iri(cls)}> }}", {"x": term}).boolean:
            raise InputError(f"parameter {self.name!r}: {shorten(term.value)} is not a {self.cls} in the graph")

    def expected(self) -> str:
        return {
            "iri": "IRI (e.g. srid:person/xi-jinping or <https://…>)"
            + (f" of class {self.cls}" if self.cls else ""),
            "date": "date in YYYY-MM-DD form",
            "year": "year (an integer such as 2013)",
            "integer": "integer",
            "language": "language tag such as en, ru or zh",
            "string": "string",
        }[self.type]


@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    view: str = "table"
    paragraphs: tuple[int, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword outside comments."""
        return query_form(self.text)

    def sparql(self) -> str:
        """The query with the project's PREFIX prologue."""
        return sparql_prologue(one_line=True) + self.text

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")

    def bindings(self, values: Mapping[str, object] | None = None) -> dict[str, Term]:
        """Typed RDF terms for the given raw values plus defaults; optional params may stay unbound."""
        values = dict(values or {})
        bound: dict[str, Term] = {}
        for name, raw in values.items():
            bound[name] = self.param(name).bind(raw)
        for param in self.params:
            if param.name in bound:
                continue
            if param.default is not None:
                bound[param.name] = param.bind(str(param.default))
            elif not param.optional:
                raise InputError(
                    f"query {self.name!r} needs --param {param.name}=VALUE ({param.expected()})"
                )
        return bound


def parse_query_file(path: Path) -> StoredQuery:
    """Read one ``.rq`` file and its ``#+`` header; a malformed header is an InputError."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group("key"), match.group("value")
        try:
            structured = key in ("tags", "params", "paragraphs")
            meta[key] = yaml.load(value, Loader=_YAML_LOADER) if structured else value.strip()
        except yaml.YAMLError as exc:
            raise InputError(f"{path}:{number}: cannot read the #+ {key} header: {exc}") from None
    params = tuple(_param(path, name, spec) for name, spec in (meta.get("params") or {}).items())
    return StoredQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(meta.get("summary", "")),
        description=str(meta.get("description", "")),
        tags=tuple(str(t) for t in meta.get("tags") or ()),
        params=params,
        view=str(meta.get("view", "table")),
        paragraphs=tuple(int(p) for p in meta.get("paragraphs") or ()),
        metadata=meta,
    )


def _param(path: Path, name: str, spec: Any) -> Param:
    spec = spec or {}
    kind = str(spec.get("type", "string"))
    if kind not in PARAM_TYPES:
        raise InputError(f"{path}: parameter {name!r} has unknown type {kind!r} (one of {', '.join(PARAM_TYPES)})")
    default = spec.get("default")
    return Param(
        name=str(name),
        type=kind,
        cls=spec.get("class"),
        default=None if default is None else str(default),
        example=None if spec.get("example") is None else str(spec.get("example")),
        optional=bool(spec.get("optional", False)),
        description=str(spec.get("description", "")),
    )


class Catalogue:
    """The stored queries of a folder (by default the project's ``queries/``).

    Files are parsed when first asked for, so running one query reads one header.
    """

    def __init__(self, paths: dict[str, Path]):
        self._paths = dict(sorted(paths.items()))
        self._parsed: dict[str, StoredQuery] = {}

    @classmethod
    def load(cls, directory: Path | None = None) -> Catalogue:
        folder = directory or resources.queries_dir()
        return cls({p.stem: p for p in folder.glob("*.rq")})

    def __iter__(self) -> Iterator[StoredQuery]:
        return (self.get(name) for name in self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def names(self) -> list[str]:
        return list(self._paths)

    def get(self, name: str) -> StoredQuery:
        """The named query; an unknown name is an InputError suggesting the closest names."""
        if name not in self._paths:
            import difflib  # only for the message: ~20 ms a cold query need not pay

            close = difflib.get_close_matches(name, self._paths, n=3, cutoff=0.4)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise InputError(f"unknown query {name!r}.{hint} (`sinorus-kg queries` lists them)")
        if name not in self._parsed:
            self._parsed[name] = parse_query_file(self._paths[name])
        return self._parsed[name]
