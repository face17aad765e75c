"""Dated series: facts that change over time, the value of each entry in effect from its
date until the next entry's (a rating, a holding, Cash Resources), the way OpenFisca
gives every value for a period.

A series says nothing about the days before its first date: reading it there, or over
a period that begins there, is unknown (needing the fact), never zero. A fact file
gives one as a mapping from dates to values or as a list of `{date, value}`.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from interpreter.evaluation.values import Unknown

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Series:
    """Entries (date, value) in order of date, each date once; `name` is the fact it
    was given as, which an unknown reading says it needs."""

    entries: tuple[tuple[dt.date, object], ...]
    name: str = ""

    def __post_init__(self):
        self_dates = [d for d, _ in self.entries]
        object.__setattr__(self, "_dates", self_dates)

    def _unknown(self) -> Unknown:
        return Unknown(frozenset({self.name} if self.name else ()))

    def covers(self, day: dt.date) -> bool:
        return bool(self.entries) and self.entries[0][0] <= day

    def first_date(self):
        """The date of the first entry: the series says nothing before it."""
        return self.entries[0][0] if self.entries else self._unknown()

    def known(self, start: dt.date, end: dt.date):
        """True when the series reaches back to `start` (or the period is empty);
        otherwise unknown, needing the series."""
        return True if end < start or self.covers(start) else self._unknown()

    def at(self, day: dt.date):
        """The value in effect on `day` (the last entry on or before it)."""
        index = bisect.bisect_right(self._dates, day) - 1
        return self.entries[index][1] if index >= 0 else self._unknown()

    def recorded_on(self, day: dt.date):
        """The value of the entry dated exactly `day` (a quarter's revenue, recorded on
        the quarter's last day); unknown when there is none."""
        index = bisect.bisect_left(self._dates, day)
        if index < len(self._dates) and self._dates[index] == day:
            return self.entries[index][1]
        return self._unknown()

    def change_dates(self, start: dt.date, end: dt.date):
        """`start` and every later date up to `end` on which a new value took effect:
        the days on which a test of the series' value can change its answer."""
        if end < start:
            return ()
        if not self.covers(start):
            return self._unknown()
        return (start, *(d for d in self._dates if start < d <= end))

    def pieces(self, start: dt.date, end: dt.date):
        """(value, days) for each stretch of days from `start` to `end` with one value."""
        days = self.change_dates(start, end)
        if isinstance(days, Unknown):
            return days
        bounds = [*days, end + _DAY]
        return [(self.at(a), (b - a).days) for a, b in zip(bounds, bounds[1:])]

    def lowest(self, start: dt.date, end: dt.date):
        pieces = self.pieces(start, end)
        return pieces if isinstance(pieces, Unknown) else min(v for v, _ in pieces)

    def highest(self, start: dt.date, end: dt.date):
        pieces = self.pieces(start, end)
        return pieces if isinstance(pieces, Unknown) else max(v for v, _ in pieces)

    def average(self, start: dt.date, end: dt.date):
        """The mean of the value on each day from `start` to `end` (every day counts once)."""
        pieces = self.pieces(start, end)
        if isinstance(pieces, Unknown):
            return pieces
        days = sum(n for _, n in pieces)
        return sum(Decimal(v) * n for v, n in pieces) / days

    def total(self, start: dt.date, end: dt.date):
        """The sum of the entries dated from `start` to `end` (flows: payments, revenues)."""
        if not self.covers(start):
            return self._unknown()
        return sum((v for d, v in self.entries if start <= d <= end), Decimal(0))
