"""Date arithmetic as agreements use it: calendar days, months with month-end
clamping, years and anniversaries, and business days (Monday to Friday, or the
agreement's calendar: see business_days.py).

A date computed outside the years 0001 to 9999 raises `DateOutOfRange` (the evaluator
turns it into a message at the expression that computed it)."""
from __future__ import annotations

import calendar
import datetime as dt

from dsl.ast import Duration
from dsl.dates import calendar_date
from dsl.limits import YEAR_RANGE


class DateOutOfRange(ArithmeticError):
    """A date computed before 0001-01-01 or after 9999-12-31."""


def parse_date(text: str) -> dt.date | None:
    """A date written YYYY-MM-DD, or None (other ISO forms such as 20010101 are refused;
    `dsl.dates.calendar_date` says why a text is not a date)."""
    try:
        return calendar_date(text)
    except ValueError:
        return None


def _out_of_range(start: dt.date, what: str) -> DateOutOfRange:
    first, last = YEAR_RANGE
    return DateOutOfRange(f"{start} {what} falls outside the calendar (years {first:04d} to {last})")


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def end_of_month(day: dt.date) -> dt.date:
    """The last day of the month `day` falls in."""
    return day.replace(day=last_day_of_month(day.year, day.month))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; a day past the target month's end is clamped to
    that end (August 31 + 6 months = February 28 or 29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise _out_of_range(day, f"moved by {months:,} months")
    month += 1
    return dt.date(year, month, min(day.day, last_day_of_month(year, month)))


def add_days(day: dt.date, days: int) -> dt.date:
    """`day` moved by calendar days."""
    ordinal = day.toordinal() + days
    if not dt.date.min.toordinal() <= ordinal <= dt.date.max.toordinal():
        raise _out_of_range(day, f"moved by {days:,} days")
    return dt.date.fromordinal(ordinal)


def add_business_days(day: dt.date, count: int) -> dt.date:
    """`day` moved by `count` business days (Monday to Friday; holidays are not known).
    Whole weeks are counted at once (any seven days hold five business days), so a
    count of any size takes no longer; the last few are stepped, to end on a business day."""
    step = 1 if count >= 0 else -1
    weeks = max(abs(count) - 1, 0) // 5
    remaining = abs(count) - 5 * weeks
    day = add_days(day, step * 7 * weeks) if weeks else day
    while remaining:
        day = add_days(day, step)
        if day.weekday() < 5:
            remaining -= 1
    return day


def add_duration(day: dt.date, duration: Duration, sign: int = 1, business=None) -> dt.date:
    """`day` plus (or, with sign -1, minus) a duration; business days are counted on
    `business` (a BusinessCalendar), Monday to Friday when it is None."""
    amount = duration.amount * sign
    if duration.unit == "day":
        return add_days(day, amount)
    if duration.unit == "month":
        return add_months(day, amount)
    if duration.unit == "year":
        return add_months(day, 12 * amount)
    if business is not None:
        return business.add_business_days(day, amount)
    return add_business_days(day, amount)


def anniversary(day: dt.date, years: int) -> dt.date:
    """The `years`-th anniversary of `day` (February 29 falls on February 28)."""
    return add_months(day, 12 * years)


def days_360(start: dt.date, end: dt.date) -> int:
    """The days from `start` to `end` on a 360-day year of twelve 30-day months, the
    bond basis (the "30/360" of the 2006 ISDA Definitions, section 4.16(f)):
    360 x years + 30 x months + days, where a start on the 31st counts as the 30th,
    and an end on the 31st counts as the 30th only when the start is the 30th or
    31st. February is not adjusted: its last day counts as the 28th (or 29th), so
    February 28 to March 1 is 3 days (the "30/360 US" rule that treats the end of
    February as the 30th is a different convention). An end before the start
    gives the negative of the count from end to start."""
    if end < start:
        return -days_360(end, start)
    d1 = 30 if start.day == 31 else start.day
    d2 = 30 if end.day == 31 and d1 == 30 else end.day
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)
