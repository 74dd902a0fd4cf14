"""The stored-query catalogue: one SPARQL query per ``queries/*.rq``, metadata in ``#+`` lines.

The header follows grlc's convention so every file stays valid SPARQL. Parameters are
typed and bound as RDF terms by the engines, never pasted into query text. This module
imports neither rdflib nor pyoxigraph, so listing and parsing stay cheap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping

from sinorus_kg import resources
from sinorus_kg.errors import InputError
from sinorus_kg.frozen import Frozen
from sinorus_kg.namespaces import PREFIXES, check_iri, expand, sparql_prologue
from sinorus_kg.ranges import RANGES
from sinorus_kg.safety import query_form
from sinorus_kg.terms import Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from sinorus_kg.engines import Engine

PARAM_TYPES = ("iri", "date", "year", "integer", "string", "language")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\+\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)$")
Resolver = Callable[["Param", str], Term]  # an entity parameter's name -> its IRI (``lookup.resolve``)


class Param(Frozen):
    """A typed query parameter, bound to the variable of the same name."""

    __slots__ = ("name", "type", "cls", "default", "example", "optional", "description", "range", "after")
    _compared = __slots__
    name: str
    type: str
    cls: str | None
    default: str | None
    example: str | None
    optional: bool
    description: str
    range: str | None  # a range resolved from the data at run time (``ranges.RANGES``)
    after: str | None  # the parameter this one may not precede (``to`` after ``from``)

    def __init__(self, name: str, type: str, cls: str | None = None, default: str | None = None,
                 example: str | None = None, optional: bool = False, description: str = "",
                 range: str | None = None, after: str | None = None) -> None:
        for field, value in zip(self.__slots__, (name, type, cls, default, example, optional, description,
                                                  range, after), strict=True):
            object.__setattr__(self, field, value)

    def bind(self, raw: object, resolve: Resolver | None = None) -> Term:
        """The RDF term for a user's value (a string, or an int/date from Python); a bad value is
        an InputError naming the parameter. An IRI parameter given something that is not an IRI
        or a prefixed name ("Sergey Lavrov") is looked up by ``resolve`` (``lookup.resolve`` on an
        engine) when there is one."""
        if not isinstance(raw, str):  # an int or a date from Python (datetime is imported only then)
            from datetime import date

            raw = raw.isoformat() if isinstance(raw, date) else str(raw)
        text = raw.strip()
        try:
            if self.type == "iri":
                if not text:
                    raise InputError(f"parameter {self.name!r} is empty: give a prefixed name such as "
                                     f"{self.example_name()}, or a name to look up")
                if resolve is not None and not _looks_like_iri(text):
                    return resolve(self, text)
                return Term.iri(expand(text))
            if self.type == "date":
                from datetime import date

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
            prefix = text.partition(":")[0]
            if self.type == "iri" and _looks_like_iri(text) and prefix not in PREFIXES and not text.startswith(
                    ("<", "http:", "https:", "urn:")):
                raise InputError(f"parameter {self.name!r}: unknown prefix {prefix}: in {raw!r} (the prefixes: "
                                 f"{', '.join(p + ':' for p in PREFIXES)})") from None
            if self.type == "iri" and not _looks_like_iri(text):
                import shlex

                raise InputError(f"parameter {self.name!r}: {raw!r} is not a prefixed name such as "
                                 f"{self.example_name()}; to find one by name, run `sinorus-kg search "
                                 f"{shlex.quote(text)}`") from None
            raise InputError(
                f"parameter {self.name!r}: {raw!r} is not a valid {self.expected()}"
            ) from None

    def example_name(self) -> str:
        """A prefixed name this parameter takes: its example or default, else Xi Jinping's."""
        return self.example or self.default or "person:xi-jinping"

    def check_class(self, engine: Engine, term: Term) -> None:
        """An IRI parameter declared with a class must name an instance of it in the graph; if it
        does not, the error suggests the closest instances."""
        if self.type != "iri" or not self.cls:
            return
        cls = expand(self.cls)
        if not engine.run(f"ASK {{ ?x a <{check_iri(cls)}> }}", {"x": term}).boolean:
            from sinorus_kg.lookup import not_an_instance

            raise not_an_instance(engine, self, term)

    def expected(self) -> str:
        return {
            "iri": "IRI (e.g. person:xi-jinping or <https://…>)"
            + (f" of class {self.cls}" if self.cls else ""),
            "date": "date in YYYY-MM-DD form",
            "year": "year (an integer such as 2013)",
            "integer": "integer",
            "language": "language tag such as en, ru or zh",
            "string": "string",
        }[self.type]


class StoredQuery(Frozen):
    """One ``queries/*.rq`` file: its text and its ``#+`` header (``metadata``: every header
    key as read, not compared)."""

    __slots__ = ("name", "_path", "text", "summary", "description", "tags", "params", "view", "paragraphs",
                 "metadata")
    _compared = ("name", "path", "text", "summary", "description", "tags", "params", "view", "paragraphs")
    name: str
    _path: str | os.PathLike[str]
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    view: str
    paragraphs: tuple[int, ...]
    metadata: dict[str, Any]

    def __init__(self, name: str, path: str | os.PathLike[str], text: str, summary: str, description: str = "",
                 tags: tuple[str, ...] = (), params: tuple[Param, ...] = (), view: str = "table",
                 paragraphs: tuple[int, ...] = (), metadata: dict[str, Any] | None = None) -> None:
        for field, value in zip(self.__slots__, (name, path, text, summary, description, tags, params, view,
                                                  paragraphs, {} if metadata is None else metadata), strict=True):
            object.__setattr__(self, field, value)

    def __repr__(self) -> str:  # every field, metadata too, as the dataclass showed it
        return super().__repr__()[:-1] + f", metadata={self.metadata!r})"

    @property
    def path(self) -> Path:
        """The ``.rq`` file (kept as given: a cold query reads it without importing ``pathlib``)."""
        from pathlib import Path

        return Path(self._path)

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

    def run(self, engine: Any, values: Mapping[str, object] | None = None, max_rows: int | None = None,
            resolve: Resolver | None = None) -> Any:
        """Run on ``engine`` (``engines.Engine``): ``values`` (strings, ints, dates) are typed and bound
        as RDF terms (entities given by name looked up by ``resolve``), an IRI given for a parameter
        declared with a class must name an instance of that class, and values outside a declared
        range are refused. The one way stored queries run (``KnowledgeGraph.query`` and the cold
        ``query`` command)."""
        bindings = self.bindings(values, resolve=resolve)
        given = set(values or {})
        for param in self.params:  # the catalogue's own defaults are checked by the tests, once
            if param.name in bindings and param.name in given:
                param.check_class(engine, bindings[param.name])
        if any(p.range or p.after for p in self.params):
            from sinorus_kg.ranges import check

            check(engine, self, bindings)
        return engine.run(self.sparql(), bindings, max_rows=max_rows)

    def bindings(self, values: Mapping[str, object] | None = None,
                 resolve: Resolver | None = None) -> dict[str, Term]:
        """Typed RDF terms for the given raw values plus defaults; optional params may stay unbound.
        ``resolve`` looks up entity parameters given by name (see ``Param.bind``)."""
        values = dict(values or {})
        bound: dict[str, Term] = {}
        for name, raw in values.items():
            bound[name] = self.param(name).bind(raw, resolve)
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


    def check(self, values: Mapping[str, object] | None = None) -> None:
        """Fail fast, before any engine is opened, on a value that cannot be bound (an entity given
        by name is looked up later, on the engine)."""
        self.bindings(values, resolve=lambda param, text: Term.iri("urn:x-sinorus:by-name"))


def _looks_like_iri(text: str) -> bool:
    """A prefixed name or an IRI, as opposed to a name to look up ("Sergey Lavrov", "Лавров")."""
    return text.startswith("<") or bool(re.fullmatch(r"[A-Za-z][\w.-]*:\S*", text))


def parse_query_file(path: str | os.PathLike[str]) -> StoredQuery:
    """Read one ``.rq`` file and its ``#+`` header; a malformed header is an InputError."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    meta: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group("key"), match.group("value")
        if key in ("tags", "params", "paragraphs"):
            meta[key] = _yaml(path, number, key, value)
        else:
            meta[key] = value.strip()
    params = tuple(_param(path, name, spec) for name, spec in (meta.get("params") or {}).items())
    return StoredQuery(
        name=os.path.splitext(os.path.basename(path))[0],  # Path.stem
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


def _yaml(path: str | os.PathLike[str], number: int, key: str, value: str) -> Any:
    """A structured header value: YAML flow collections. The usual ones (plain words, quoted strings,
    integers) are read here; anything else goes to PyYAML, whose import alone costs a cold query
    ~10 ms — a test holds the two readings equal on every stored query."""
    found = read_flow(value)
    if found is not _UNSURE:
        return found
    import yaml

    try:
        return yaml.load(value, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when available
    except yaml.YAMLError as exc:
        raise InputError(f"{path}:{number}: cannot read the #+ {key} header: {exc}") from None


_UNSURE = object()
_FLOW_TOKEN = re.compile(r'\s*(?:(?P<punct>[\[\]{},])|"(?P<dq>(?:[^"\\]|\\["\\/])*)"|\'(?P<sq>(?:[^\']|\'\')*)\'|'
                         r"(?P<plain>[A-Za-z_][A-Za-z0-9_.\-/]*(?::[A-Za-z0-9_.\-/]+)*(?: [A-Za-z_][A-Za-z0-9_.\-/]*)*)"
                         r"|(?P<int>-?[0-9]+)(?![0-9A-Za-z_.:\-])|(?P<colon>:(?= )))")
# Plain words PyYAML (YAML 1.1) reads as something other than a string: leave those to it.
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def read_flow(text: str) -> Any:
    """A YAML flow collection or scalar of the simple kinds, or ``_UNSURE``."""
    tokens: list[tuple[str, Any]] = []
    at, text = 0, text.strip()
    while at < len(text):
        match = _FLOW_TOKEN.match(text, at)
        if match is None or match.end() == at:
            return _UNSURE
        at = match.end()
        kind = match.lastgroup
        value = match.group(kind or "")
        if kind == "plain" and value.lower() in _YAML_WORDS - {"true", "false"}:
            return _UNSURE
        if kind == "dq":
            value = value.replace('\\"', '"').replace("\\/", "/").replace("\\\\", "\\")
        elif kind == "sq":
            value = value.replace("''", "'")
        elif kind == "int":
            value = int(value)
        elif kind == "plain" and value.lower() in ("true", "false"):
            kind, value = "bool", value.lower() == "true"
        tokens.append((kind or "", value))
    try:
        found, end = _flow_value(tokens, 0)
    except (IndexError, ValueError):
        return _UNSURE
    return found if end == len(tokens) else _UNSURE


def _flow_value(tokens: list[tuple[str, Any]], at: int) -> tuple[Any, int]:
    kind, value = tokens[at]
    if kind != "punct":
        if kind == "colon":
            raise ValueError("a colon where a value was expected")
        return value, at + 1
    if value == "[":
        items: list[Any] = []
        at += 1
        while tokens[at] != ("punct", "]"):
            item, at = _flow_value(tokens, at)
            items.append(item)
            if tokens[at] == ("punct", ","):
                at += 1
        return items, at + 1
    if value == "{":
        mapping: dict[Any, Any] = {}
        at += 1
        while tokens[at] != ("punct", "}"):
            name, at = _flow_value(tokens, at)
            if tokens[at][0] != "colon" or not isinstance(name, str) or name in mapping:
                raise ValueError("a mapping key without a value")
            mapping[name], at = _flow_value(tokens, at + 1)
            if tokens[at] == ("punct", ","):
                at += 1
        return mapping, at + 1
    raise ValueError(f"unexpected {value!r}")


def _param(path: str | os.PathLike[str], name: str, spec: Any) -> Param:
    spec = spec or {}
    kind = str(spec.get("type", "string"))
    if kind not in PARAM_TYPES:
        raise InputError(f"{path}: parameter {name!r} has unknown type {kind!r} (one of {', '.join(PARAM_TYPES)})")
    if spec.get("range") is not None and spec["range"] not in RANGES:
        raise InputError(f"{path}: parameter {name!r} has unknown range {spec['range']!r} (one of {', '.join(RANGES)})")
    default = spec.get("default")
    return Param(
        name=str(name),
        type=kind,
        cls=spec.get("class"),
        default=None if default is None else str(default),
        example=None if spec.get("example") is None else str(spec.get("example")),
        optional=bool(spec.get("optional", False)),
        description=str(spec.get("description", "")),
        range=None if spec.get("range") is None else str(spec.get("range")),
        after=None if spec.get("after") is None else str(spec.get("after")),
    )


class Catalogue:
    """The stored queries of a folder (by default the project's ``queries/``).

    Files are parsed when first asked for, so running one query reads one header.
    """

    def __init__(self, paths: Mapping[str, str | os.PathLike[str]]):
        self._paths = dict(sorted(paths.items()))
        self._parsed: dict[str, StoredQuery] = {}

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None) -> Catalogue:
        """The ``*.rq`` files of ``directory`` (by default the project's ``queries/``), listed, not read."""
        folder = directory or resources.queries_location()
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            names = []  # as Path.glob: no folder, no queries
        return cls({name[:-len(".rq")]: os.path.join(folder, name) for name in names if name.endswith(".rq")})

    def __iter__(self) -> Iterator[StoredQuery]:
        return (self.get(name) for name in self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def names(self) -> list[str]:
        return list(self._paths)

    def get(self, name: str) -> StoredQuery:
        """The named query (case-insensitive: `Events-In-Year` is `events-in-year`); an unknown name
        is an InputError suggesting the closest names."""
        if name not in self._paths:
            folded = {n.lower(): n for n in self._paths}
            if name.strip().lower() in folded:
                name = folded[name.strip().lower()]
            else:
                import difflib  # only for the message: ~20 ms a cold query need not pay

                close = difflib.get_close_matches(name.lower(), self._paths, n=3, cutoff=0.4)
                hint = f" Did you mean: {', '.join(close)}?" if close else ""
                raise InputError(f"unknown query {name!r}.{hint} (`sinorus-kg queries` lists them)")
        if name not in self._parsed:
            self._parsed[name] = parse_query_file(self._paths[name])
        return self._parsed[name]

    def tagged(self, tag: str | None) -> list[StoredQuery]:
        """The queries carrying ``tag`` (all for None); a tag no query has is an InputError listing the
        tags there are, so an empty list is never the answer to a typo."""
        every = list(self)
        if tag is None:
            return every
        chosen = [q for q in every if tag.lower() in (t.lower() for t in q.tags)]
        if not chosen:
            import difflib

            tags = sorted({t for q in every for t in q.tags})
            close = difflib.get_close_matches(tag.lower(), tags, n=3, cutoff=0.5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise InputError(f"no stored query has the tag {tag!r}.{hint} (tags: {', '.join(tags)})")
        return chosen


def listing(query: StoredQuery) -> dict[str, Any]:
    """A query's catalogue entry as plain data (`queries --format json`; the service's /queries adds its URL)."""
    return {
        "name": query.name, "summary": query.summary, "description": query.description, "tags": list(query.tags),
        "kind": query.kind, "view": query.view,
        "params": {p.name: {"type": p.type, "class": p.cls, "default": p.default, "example": p.example,
                            "optional": p.optional, "description": p.description} for p in query.params},
    }


def listing_table(queries: list[StoredQuery], wide: bool) -> tuple[list[str], list[list[str]]]:
    """Columns and rows of `sinorus-kg queries`: name, summary, parameters (with their defaults, the
    form `--param` takes) and, on a ``wide`` terminal, tags; on a narrow one the parameters go under
    the summary, so that the name and summary keep room to be read."""
    def params(q: StoredQuery) -> list[str]:
        return [f"{p.name}: {p.type}" + (f" = {p.default}" if p.default else "") + (" (optional)" if p.optional else "")
                for p in q.params]

    if wide:
        return (["name", "summary", "tags", "parameters"],
                [[q.name, q.summary, ", ".join(q.tags), "; ".join(params(q))] for q in queries])
    return (["name", "summary (parameters)"],
            [[q.name, "\n".join([q.summary, *(f"  {p}" for p in params(q))])] for q in queries])
