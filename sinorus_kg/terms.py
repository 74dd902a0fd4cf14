"""An engine-neutral RDF term, so results from rdflib and Oxigraph compare and print alike."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from typing import Any

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "positiveInteger",
                                 "nonNegativeInteger", "negativeInteger", "nonPositiveInteger")}


class Term:
    """An IRI, blank node or literal: immutable, hashable, ordered by (kind, value, datatype, lang).

    Written out rather than a dataclass: importing ``dataclasses`` (it brings ``inspect``) and
    generating the methods cost a cold ``sinorus-kg query`` about as much as opening the store.
    """

    __slots__ = ("kind", "value", "datatype", "lang")
    kind: str  # "iri", "bnode" or "literal"
    value: str
    datatype: str | None
    lang: str | None

    def __init__(self, kind: str, value: str, datatype: str | None = None, lang: str | None = None) -> None:
        set_field = object.__setattr__
        set_field(self, "kind", kind)
        set_field(self, "value", value)
        set_field(self, "datatype", datatype)
        set_field(self, "lang", lang)

    def _fields(self) -> tuple[str, str, str | None, str | None]:
        return (self.kind, self.value, self.datatype, self.lang)

    def __repr__(self) -> str:
        return f"Term(kind={self.kind!r}, value={self.value!r}, datatype={self.datatype!r}, lang={self.lang!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __lt__(self, other: Term) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return self._fields() < other._fields()

    def __le__(self, other: Term) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return self._fields() <= other._fields()

    def __gt__(self, other: Term) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return self._fields() > other._fields()

    def __ge__(self, other: Term) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return self._fields() >= other._fields()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")  # frozen, as its hash requires

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[Term], tuple[str, str, str | None, str | None]]:
        return (Term, self._fields())  # copy and pickle through __init__ (the slots are frozen)

    def as_dict(self) -> dict[str, str | None]:
        """The fields by name (what ``dataclasses.asdict`` gave; ``Term(**d)`` reads it back)."""
        return {"kind": self.kind, "value": self.value, "datatype": self.datatype, "lang": self.lang}

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("iri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        if lang or datatype == _XSD + "string":  # plain and xsd:string literals are one thing
            datatype = None
        return cls("literal", value, datatype, lang.lower() if lang else None)

    def to_python(self) -> Any:
        """A typed Python value: int, Decimal, float, bool, datetime.date, or str (IRIs too)."""
        if self.kind != "literal" or self.datatype is None:
            return self.value
        try:
            if self.datatype in _INTEGERS:
                return int(self.value)
            if self.datatype == _XSD + "decimal":
                from decimal import Decimal  # here: its import is a cost every cold query would pay

                return Decimal(self.value)
            if self.datatype in (_XSD + "double", _XSD + "float"):
                return float(self.value)
            if self.datatype == _XSD + "boolean":
                return self.value in ("true", "1")
            if self.datatype == _XSD + "date":
                from datetime import date

                return date.fromisoformat(self.value)
        except ValueError:
            return self.value
        return self.value

    def n3(self) -> str:
        """N-Triples form, used for sorting and for Turtle/N-Triples output."""
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        escaped = (self.value.replace("\\", "\\\\").replace('"', '\\"')
                   .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        if self.lang:
            return f'"{escaped}"@{self.lang}'
        if self.datatype and self.datatype != _XSD + "string":
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'
