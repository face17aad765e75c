"""Runtime values beyond Python's own: the unknown and the known-absent.

Known values are plain Python: bool, int (count), Decimal (decimal, money, percent,
shares), datetime.date, Duration, str (text, party, enumeration member), dict
(record) and tuple (list).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known yet; `needs` names the facts that would decide it.

    What is known about it is kept as inclusive bounds: `low` (it is at least this)
    and `high` (it is at most this), each None when nothing is known on that side.
    `later_of(2008-01-10, unknown)` is unknown but at least 2008-01-10."""

    needs: frozenset[str] = frozenset()
    low: object = None
    high: object = None

    @property
    def bounded(self) -> bool:
        return self.low is not None or self.high is not None

    def __repr__(self) -> str:
        bounds = "".join(f", {word} {value}" for word, value in (("at least", self.low), ("at most", self.high))
                         if value is not None)
        return f"unknown(needs {', '.join(sorted(self.needs)) or 'nothing'}{bounds})"


class _NoneType:
    """A fact given as `none`: the event did not happen, the thing does not exist."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "none"

    def __reduce__(self):
        return (_NoneType, ())


NONE = _NoneType()


def merge_unknown(*values: object) -> Unknown:
    """One unknown that needs everything the given unknowns need."""
    needs: frozenset[str] = frozenset()
    for value in values:
        if isinstance(value, Unknown):
            needs |= value.needs
    return Unknown(needs)
