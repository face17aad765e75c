"""Schedules: lazily generated series of dates, as financial date libraries (QuantLib,
the ISDA conventions) build them.

`every 6 months from 1998-03-15 until 2007-09-15 since 1997-09-22 adjusted following`
is a `Schedule`. Its k-th *base* date (k = 0, 1, ...) is the first date moved by k
steps, always counted from the first date, so that a schedule from the 31st keeps the
31st in the months that have one (and the 30th in those that do not); `month_end`
puts every base date on the last day of its month. The schedule ends at the last
base date on or before `until`, or after `count` dates, or never.

Each base date closes a *period*: period k runs from the day after the base date
before it (`previous`: base date k-1, or for the first period the `since` date, by
default one step before the first date) to the base date itself (`end`). The date
the period is *for* - the payment date, the reporting date - is the base date
`shifted` by a duration (the nominal date) and then adjusted to a business day of the
agreement's calendar by the convention (`date`).

Public API, for the commands built on schedules (timeline, compliance calendars):
`Schedule.periods_between(start, end)` lists the periods whose date falls between two
dates; `period(k)`, `next_on_or_after(d)`, `previous_on_or_before(d)`, `containing(d)`
and `periods()` (finite schedules) give single periods; `Period.record()` is the
`period` record the language sees.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from dsl.ast import Duration
from interpreter.evaluation import calendar
from interpreter.evaluation.business_days import WEEKDAYS_ONLY, BusinessCalendar

_DAY = dt.timedelta(days=1)
_KEPT_DAYS = 4096  # answers of `containing` kept per schedule


class ScheduleError(ValueError):
    """A schedule that cannot be generated (a step of no length, an endless list)."""


@dataclass(frozen=True)
class Period:
    """One period of a schedule; `number` counts from 1."""

    number: int
    date: dt.date
    nominal: dt.date
    previous: dt.date
    end: dt.date

    @property
    def start(self) -> dt.date:
        return self.previous + _DAY

    def record(self) -> dict:
        """The period as the language's `period` record (one per period: values are
        never changed in place)."""
        return self._record

    @cached_property
    def _record(self) -> dict:
        return {"number": self.number, "date": self.date, "nominal": self.nominal,
                "previous": self.previous, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Schedule:
    """A series of dates; see the module docstring."""

    first: dt.date
    step: Duration
    until: dt.date | None = None
    count: int | None = None
    since: dt.date | None = None
    shift: Duration | None = None
    convention: str = "unadjusted"
    month_end: bool = False
    calendar: BusinessCalendar = WEEKDAYS_ONLY

    def __post_init__(self):
        if self.step.amount <= 0:
            raise ScheduleError(f"a schedule needs a step longer than nothing, not {self.step}")
        if self.step.unit == "business_day":
            raise ScheduleError("a schedule steps by days, weeks, months, quarters or years, not business days")
        if self.count is not None and self.count < 0:
            raise ScheduleError(f"a schedule cannot have {self.count} periods")

    # -- dates -------------------------------------------------------------
    def base(self, k: int) -> dt.date:
        """The k-th base date (k may be -1: the date one step before the first), each
        worked out once per schedule."""
        found = self._bases.get(k)
        if found is None:
            if self.step.unit == "day":
                found = self.first + dt.timedelta(days=k * self.step.amount)
            else:
                day = calendar.add_months(self.first, k * self.step.amount * (12 if self.step.unit == "year" else 1))
                found = calendar.end_of_month(day) if self.month_end else day
            self._bases[k] = found
        return found

    @cached_property
    def _bases(self) -> dict[int, dt.date]:
        return {}

    @cached_property
    def _length(self) -> int | None:
        return self._count_periods()

    def length(self) -> int | None:
        """How many periods the schedule has; None when it does not end."""
        return self._length

    def _count_periods(self) -> int | None:
        if self.count is not None:
            return self.count
        if self.until is None:
            return None
        if self.until < self.first:
            return 0
        return self._first_index(lambda k: self.base(k) > self.until, self.until)

    def _valid(self, k: int) -> bool:
        length = self.length()
        return k >= 0 and (length is None or k < length)

    @cached_property
    def _periods(self) -> dict[int, Period]:
        return {}

    def period(self, k: int) -> Period:
        """Period k (from 0); each worked out once per schedule."""
        found = self._periods.get(k)
        if found is None:
            end = self.base(k)
            previous = self.since if k == 0 and self.since is not None else self.base(k - 1)
            nominal = calendar.add_duration(end, self.shift, business=self.calendar) if self.shift else end
            found = self._periods[k] = Period(k + 1, self.calendar.adjust(nominal, self.convention), nominal,
                                              previous, end)
        return found

    def _first_index(self, reached, near: dt.date) -> int:
        """The smallest k >= 0 for which `reached(k)` holds (monotonic in k), starting
        the search near the date `near`."""
        if self.step.unit == "day":
            k = (near - self.first).days // self.step.amount - 1
        else:
            months = self.step.amount * (12 if self.step.unit == "year" else 1)
            k = ((near.year - self.first.year) * 12 + near.month - self.first.month) // months - 1
        k = max(0, k)
        while k > 0 and reached(k - 1):
            k -= 1
        while not reached(k):
            k += 1
        return k

    # -- questions ----------------------------------------------------------
    def next_on_or_after(self, day: dt.date) -> Period | None:
        """The first period whose date is on or after `day`; None when the schedule ended."""
        k = self._first_index(lambda i: self.period(i).date >= day, day)
        return self.period(k) if self._valid(k) else None

    def previous_on_or_before(self, day: dt.date) -> Period | None:
        """The last period whose date is on or before `day`; None before the first."""
        k = self._first_index(lambda i: self.period(i).date > day, day) - 1
        length = self.length()
        if length is not None:
            k = min(k, length - 1)
        return self.period(k) if k >= 0 else None

    def containing(self, day: dt.date) -> Period | None:
        """The period whose days (`start` to `end`) include `day`; None if none does
        (the answer kept for the days last asked about)."""
        known = self._containing
        if day in known:
            return known[day]
        k = self._first_index(lambda i: self.base(i) >= day, day)
        found = self.period(k) if self._valid(k) else None
        found = found if found is not None and found.start <= day else None
        if len(known) >= _KEPT_DAYS:
            known.clear()
        known[day] = found
        return found

    @cached_property
    def _containing(self) -> dict[dt.date, Period | None]:
        return {}

    def is_scheduled(self, day: dt.date) -> bool:
        """Whether `day` is the date of one of the periods."""
        found = self.next_on_or_after(day)
        return found is not None and found.date == day

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.is_scheduled(day)

    def periods_between(self, start: dt.date, end: dt.date) -> Iterator[Period]:
        """The periods whose date falls from `start` to `end`, both included, in order."""
        first = self.next_on_or_after(start)
        if first is None:
            return
        k = first.number - 1
        while self._valid(k):
            found = self.period(k)
            if found.date > end:
                return
            yield found
            k += 1

    def periods(self) -> list[Period]:
        """Every period of a schedule that ends."""
        length = self.length()
        if length is None:
            raise ScheduleError("the schedule does not end: give it `until` a date or `for N periods`, "
                                "or ask for the periods between two dates")
        return [self.period(k) for k in range(length)]

    def describe(self) -> str:
        """The schedule in words, as written: `every 6 months from 1998-03-15 until 2007-09-15`."""
        words = [f"every {self.step} from {self.first.isoformat()}"]
        if self.until is not None:
            words.append(f"until {self.until.isoformat()}")
        if self.count is not None:
            words.append(f"for {self.count} periods")
        if self.since is not None:
            words.append(f"since {self.since.isoformat()}")
        if self.shift is not None:
            words.append(f"shifted {self.shift}")
        if self.convention != "unadjusted":
            words.append(f"adjusted {self.convention} ({self.calendar.name})")
        if self.month_end:
            words.append("month_end")
        return " ".join(words)
