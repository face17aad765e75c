"""Runtime values beyond Python's own: the unknown and the known-absent.

Known values are plain Python: bool, int (count), Decimal (decimal, money, percent,
shares), datetime.date, Duration, str (text, party, enumeration member), dict
(record) and tuple (list).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known yet; `needs` names the facts that would decide it."""

    needs: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"unknown(needs {', '.join(sorted(self.needs)) or 'nothing'})"


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
