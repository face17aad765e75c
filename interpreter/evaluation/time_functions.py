"""The functions of time: date parts, day counts, business days, schedules and dated
series (their values are in calendar.py, business_days.py, schedules.py, series.py).

A schedule function answers `none` where the schedule has no such date (before it
begins, after it ends); a series function answers unknown where the series does not
reach (see series.py).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from interpreter.evaluation import calendar
from interpreter.evaluation.builtin_base import Builtin, FunctionFailure, type_fixed
from interpreter.evaluation.schedules import ScheduleError
from interpreter.evaluation.values import NONE, Unknown, merge_unknown
from interpreter.static import types as T

_DAY = dt.timedelta(days=1)
_WEEKDAYS = T.WEEKDAY.members
_DATE_LIST = T.list_of(T.DATE)


# -- date parts -------------------------------------------------------------------

def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _start_of_quarter(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * _quarter(day) - 2, 1)


def _end_of_quarter(day: dt.date) -> dt.date:
    return calendar.end_of_month(dt.date(day.year, 3 * _quarter(day), 1))


def _days(start: dt.date, end: dt.date) -> tuple:
    if (end - start).days > 366 * 50:
        raise FunctionFailure("more than fifty years of days: read a dated series with change_dates instead")
    return tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))


def _year_fraction(start: dt.date, end: dt.date, basis: str) -> Decimal:
    """The fraction of a year from `start` to `end` by a day count convention:
    thirty_360 (bond basis: 30/360 days over 360), actual_360 (actual days over 360),
    actual_365_fixed (actual days over 365)."""
    if basis == "thirty_360":
        return Decimal(calendar.days_360(start, end)) / 360
    days = Decimal((end - start).days)
    return days / (360 if basis == "actual_360" else 365)


# -- schedules --------------------------------------------------------------------

def _guard(compute):
    """A schedule that cannot be generated is a function failure (one clear message)."""
    def run(*args):
        try:
            return compute(*args)
        except ScheduleError as error:
            raise FunctionFailure(str(error)) from None
    return run


def _record(period):
    return NONE if period is None else period.record()


def _date_of(period):
    return NONE if period is None else period.date


# -- series -----------------------------------------------------------------------

def _type_series_over(numeric: bool, result=None, averaging: bool = False):
    """(series, start, end) -> the element type (or `result`)."""
    def typer(args):
        if len(args) != 3:
            return f"takes 3 arguments (a dated series, the first day, the last day), not {len(args)}"
        series, start, end = args
        if series.kind not in ("series", "any"):
            return f"argument 1 must be a dated series, not {series}"
        for i, arg in ((2, start), (3, end)):
            if not T.assignable(T.DATE, arg):
                return f"argument {i} must be date, not {arg}"
        element = series.element or T.ANY
        if numeric and not (element.numeric or element.kind == "any"):
            return f"needs a series of numbers, not {series}"
        if result is not None:
            return result
        return T.DECIMAL if averaging and element.kind == "count" else element
    return typer


def _type_recorded_on(args):
    if len(args) != 2 or args[0].kind not in ("series", "any") or not T.assignable(T.DATE, args[1]):
        return "takes a dated series, then a date"
    return args[0].element or T.ANY


def _type_first_date(args):
    if len(args) != 1 or args[0].kind not in ("series", "any"):
        return "takes one dated series"
    return T.DATE


def _type_truths(args):
    if len(args) != 1 or args[0].kind not in ("list", "any") or not T.assignable(T.BOOL, args[0].element or T.ANY):
        return "takes one list of conditions"
    return T.BOOL


def _any(values):
    """True when one is true; unknown when none is but one is unknown."""
    if any(v is True for v in values):
        return True
    unknown = [v for v in values if isinstance(v, Unknown)]
    return merge_unknown(*unknown) if unknown else False


def _all(values):
    """False when one is false (or none); unknown when none is but one is unknown."""
    if any(v is False or v is NONE for v in values):
        return False
    unknown = [v for v in values if isinstance(v, Unknown)]
    return merge_unknown(*unknown) if unknown else True


def _three_valued_list(compute):
    def run(values):
        return values if isinstance(values, Unknown) else compute(values)
    return run


def _series_method(name):
    def compute(series, *args):
        return getattr(series, name)(*args)
    return compute


_S = T.SCHEDULE
TIME_FUNCTIONS = (
    # date parts
    Builtin("year", "year(date)", type_fixed([T.DATE], T.COUNT), lambda d: d.year),
    Builtin("month", "month(date)", type_fixed([T.DATE], T.COUNT), lambda d: d.month),
    Builtin("day", "day(date)", type_fixed([T.DATE], T.COUNT), lambda d: d.day),
    Builtin("quarter", "quarter(date)", type_fixed([T.DATE], T.COUNT), _quarter),
    Builtin("day_of_week", "day_of_week(date)", type_fixed([T.DATE], T.WEEKDAY), lambda d: _WEEKDAYS[d.weekday()]),
    Builtin("start_of_month", "start_of_month(date)", type_fixed([T.DATE], T.DATE), lambda d: d.replace(day=1)),
    Builtin("start_of_quarter", "start_of_quarter(date)", type_fixed([T.DATE], T.DATE), _start_of_quarter),
    Builtin("end_of_quarter", "end_of_quarter(date)", type_fixed([T.DATE], T.DATE), _end_of_quarter),
    Builtin("start_of_year", "start_of_year(date)", type_fixed([T.DATE], T.DATE), lambda d: dt.date(d.year, 1, 1)),
    Builtin("end_of_year", "end_of_year(date)", type_fixed([T.DATE], T.DATE), lambda d: dt.date(d.year, 12, 31)),
    Builtin("days", "days(first, last)", type_fixed([T.DATE, T.DATE], _DATE_LIST), _days),
    Builtin("year_fraction", "year_fraction(start, end, thirty_360 | actual_360 | actual_365_fixed)",
            type_fixed([T.DATE, T.DATE, T.DAY_COUNT], T.DECIMAL), _year_fraction),
    # business days, on the agreement's calendar
    Builtin("is_business_day", "is_business_day(date)", type_fixed([T.DATE], T.BOOL),
            lambda cal, d: cal.is_business_day(d), uses_calendar=True),
    Builtin("adjust", "adjust(date, following | modified_following | preceding | modified_preceding | unadjusted)",
            type_fixed([T.DATE, T.ROLL], T.DATE), lambda cal, d, rule: cal.adjust(d, rule), uses_calendar=True),
    # schedules
    Builtin("next_date", "next_date(schedule, on_or_after)", type_fixed([_S, T.DATE], T.DATE),
            _guard(lambda s, d: _date_of(s.next_on_or_after(d)))),
    Builtin("previous_date", "previous_date(schedule, on_or_before)", type_fixed([_S, T.DATE], T.DATE),
            _guard(lambda s, d: _date_of(s.previous_on_or_before(d)))),
    Builtin("next_period", "next_period(schedule, on_or_after)", type_fixed([_S, T.DATE], T.PERIOD),
            _guard(lambda s, d: _record(s.next_on_or_after(d)))),
    Builtin("previous_period", "previous_period(schedule, on_or_before)", type_fixed([_S, T.DATE], T.PERIOD),
            _guard(lambda s, d: _record(s.previous_on_or_before(d)))),
    Builtin("period_of", "period_of(schedule, date)", type_fixed([_S, T.DATE], T.PERIOD),
            _guard(lambda s, d: _record(s.containing(d)))),
    Builtin("is_scheduled", "is_scheduled(schedule, date)", type_fixed([_S, T.DATE], T.BOOL),
            _guard(lambda s, d: s.is_scheduled(d))),
    Builtin("periods", "periods(schedule)", type_fixed([_S], T.list_of(T.PERIOD)),
            _guard(lambda s: tuple(p.record() for p in s.periods()))),
    Builtin("periods_between", "periods_between(schedule, first, last)",
            type_fixed([_S, T.DATE, T.DATE], T.list_of(T.PERIOD)),
            _guard(lambda s, a, b: tuple(p.record() for p in s.periods_between(a, b)))),
    Builtin("dates", "dates(schedule)", type_fixed([_S], _DATE_LIST),
            _guard(lambda s: tuple(p.date for p in s.periods()))),
    Builtin("count_periods", "count_periods(schedule)", type_fixed([_S], T.COUNT),
            _guard(lambda s: len(s.periods()))),
    # dated series
    Builtin("recorded_on", "recorded_on(series, date)", _type_recorded_on, _series_method("recorded_on")),
    Builtin("first_date", "first_date(series)", _type_first_date, _series_method("first_date")),
    Builtin("known", "known(series, first, last)", _type_series_over(False, T.BOOL), _series_method("known")),
    Builtin("lowest", "lowest(series, first, last)", _type_series_over(True), _series_method("lowest")),
    Builtin("highest", "highest(series, first, last)", _type_series_over(True), _series_method("highest")),
    Builtin("average", "average(series, first, last)", _type_series_over(True, averaging=True), _series_method("average")),
    Builtin("total", "total(series, first, last)", _type_series_over(True), _series_method("total")),
    Builtin("change_dates", "change_dates(series, first, last)", _type_series_over(False, _DATE_LIST),
            _series_method("change_dates")),
    Builtin("any", "any(list of conditions)", _type_truths, _three_valued_list(_any), three_valued=True),
    Builtin("all", "all(list of conditions)", _type_truths, _three_valued_list(_all), three_valued=True),
)

