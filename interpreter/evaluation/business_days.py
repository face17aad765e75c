"""Business-day calendars: which days are business days, and the conventions that move
a date that is not one (ISDA / QuantLib: following, modified following, preceding,
modified preceding, unadjusted).

An agreement names its calendar in its header (`calendar new_york_banking`), optionally
with an input listing extra closures (`closures extra_closing_days`). The holidays come
from the maintained `holidays` library, never from a list written here:

| name               | days closed besides Saturdays and Sundays                      |
|--------------------|----------------------------------------------------------------|
| `new_york_banking` | the library's `USNY` calendar: the holidays of the Federal     |
|                    | Reserve Banks (New York banks), a holiday on a Sunday moved to |
|                    | Monday, one on a Saturday not moved                            |
| `nyse`             | the library's `XNYS` calendar: New York Stock Exchange closings |
|                    | (including unscheduled ones, e.g. 2001-09-11 to 2001-09-14)    |
| `weekends`         | none                                                           |

The library's Federal Reserve calendar begins in 1999 (the first year of the Federal
Reserve's published list it cites); for earlier years the same rules are applied, so
that a 1998 payment date is adjusted like a 1999 one. An agreement without a
`calendar` counts Monday to Friday as business days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from dsl.limits import BUSINESS_DAYS
from interpreter.evaluation.calendar import DateOutOfRange, add_days
from interpreter.evaluation.calendar import add_business_days as add_weekdays

CONVENTIONS = ("unadjusted", "following", "modified_following", "preceding", "modified_preceding")

# The calendar names an agreement may use, with the library calendar each stands for.
CALENDARS = {
    "new_york_banking": "USNY",
    "nyse": "XNYS",
    "weekends": None,
}


def calendar_names() -> list[str]:
    return list(CALENDARS)


@lru_cache(maxsize=None)
def _library_holidays(code: str, year: int) -> dict[dt.date, str]:
    """The holidays of one library calendar in one year (before its first year, the
    same rules, as the module docstring says)."""
    import holidays  # only an agreement that names a calendar pays for loading the library

    entity = holidays.financial_holidays(code)
    cls = type(entity)
    if year < cls.start_year:
        cls = type(f"{cls.__name__}Extended", (cls,), {"start_year": year})
    return dict(cls(years=year))


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days are business days: Monday to Friday, less the named calendar's
    holidays and the extra closures."""

    name: str = "weekends"
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    def is_business_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in self.closures:
            return False
        code = CALENDARS[self.name]
        return code is None or day not in _library_holidays(code, day.year)

    def holiday_name(self, day: dt.date) -> str | None:
        """Why `day` is not a business day, in words; None when it is one."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        if day in self.closures:
            return "a closure given in the facts"
        code = CALENDARS[self.name]
        if code is not None and day in _library_holidays(code, day.year):
            return _library_holidays(code, day.year)[day]
        return None

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """`day` moved by `count` business days (back, when negative). Holidays are
        looked up day by day, so the count is bounded (BUSINESS_DAYS); without holidays
        or closures, whole weeks are counted at once, in any number."""
        if CALENDARS[self.name] is None and not self.closures:
            return add_weekdays(day, count)
        if abs(count) > BUSINESS_DAYS:
            raise DateOutOfRange(f"{count:,} business days are more than the {BUSINESS_DAYS:,} counted on a "
                                 "holiday calendar")
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day = add_days(day, step)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def adjust(self, day: dt.date, convention: str) -> dt.date:
        """`day` moved to a business day by the convention: following (the next one),
        preceding (the one before), modified following / preceding (the same, unless
        that leaves the month: then the other way), unadjusted (not moved)."""
        if convention == "unadjusted" or self.is_business_day(day):
            return day
        if convention in ("following", "modified_following"):
            moved = self._roll(day, 1)
            if convention == "modified_following" and moved.month != day.month:
                moved = self._roll(day, -1)
            return moved
        if convention in ("preceding", "modified_preceding"):
            moved = self._roll(day, -1)
            if convention == "modified_preceding" and moved.month != day.month:
                moved = self._roll(day, 1)
            return moved
        raise ValueError(f"unknown business-day convention {convention}")

    def _roll(self, day: dt.date, step: int) -> dt.date:
        while not self.is_business_day(day):
            day = add_days(day, step)
        return day


WEEKDAYS_ONLY = BusinessCalendar()
