"""Frozen value objects written out rather than made with ``dataclasses``.

Importing ``dataclasses`` (it brings ``inspect``) and generating the methods cost a cold
``sinorus-kg query`` about as much as opening the store, so the few value objects on that path
(the catalogue's ``Param`` and ``StoredQuery``, ``ranges.Bounds``) share this base instead.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~8 ms of a cold query)
if TYPE_CHECKING:
    from typing import Any


class Frozen:
    """Compared, hashed and shown by the fields in ``_compared``, and not changed after
    ``__init__`` (which sets its slots with ``object.__setattr__``): what
    ``@dataclass(frozen=True)`` gave."""

    __slots__ = ()
    _compared: tuple[str, ...] = ()  # the fields equality, hashing and repr use, in order

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{type(self).__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle through __init__ (the slots are frozen)
        fields: tuple[str, ...] = self.__slots__  # the subclass's: its __init__ takes them in this order
        return (self.__class__, tuple(getattr(self, name) for name in fields))


__all__ = ["Frozen"]
