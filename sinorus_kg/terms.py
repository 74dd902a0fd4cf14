"""An engine-neutral RDF term, so results from rdflib and Oxigraph compare and print alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from typing import Any

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "positiveInteger",
                                 "nonNegativeInteger", "negativeInteger", "nonPositiveInteger")}


@dataclass(frozen=True, order=True)
class Term:
    kind: str  # "iri", "bnode" or "literal"
    value: str
    datatype: str | None = None
    lang: str | None = None

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
