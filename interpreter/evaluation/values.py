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


class Ranked(str):
    """A member of an ordered enumeration (a rating scale): equal to its name, and
    ordered by its place on the scale, lowest first."""

    scale: tuple[str, ...]

    def __new__(cls, name: str, scale: tuple[str, ...]):
        member = super().__new__(cls, name)
        member.scale = scale
        return member

    @property
    def rank(self) -> int:
        return self.scale.index(self)

    def moved(self, places: int) -> "Ranked":
        """The member `places` higher on the scale (lower if negative), stopping at its ends."""
        return Ranked(self.scale[min(max(self.rank + places, 0), len(self.scale) - 1)], self.scale)

    def _ranks(self, other):
        if not isinstance(other, Ranked) or other.scale != self.scale:
            return NotImplemented
        return self.rank, other.rank

    def __lt__(self, other):
        ranks = self._ranks(other)
        return ranks if ranks is NotImplemented else ranks[0] < ranks[1]

    def __le__(self, other):
        ranks = self._ranks(other)
        return ranks if ranks is NotImplemented else ranks[0] <= ranks[1]

    def __gt__(self, other):
        ranks = self._ranks(other)
        return ranks if ranks is NotImplemented else ranks[0] > ranks[1]

    def __ge__(self, other):
        ranks = self._ranks(other)
        return ranks if ranks is NotImplemented else ranks[0] >= ranks[1]

    __hash__ = str.__hash__

    def __reduce__(self):
        return (Ranked, (str(self), self.scale))


def member_value(name: str, typ) -> str:
    """The runtime value of an enumeration member of type `typ`."""
    return Ranked(name, typ.members) if getattr(typ, "ordered", False) else name


def merge_unknown(*values: object) -> Unknown:
    """One unknown that needs everything the given unknowns need."""
    needs: frozenset[str] = frozenset()
    for value in values:
        if isinstance(value, Unknown):
            needs |= value.needs
    return Unknown(needs)
