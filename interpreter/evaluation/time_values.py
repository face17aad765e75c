"""Evaluating the forms of time: a schedule expression, a dated series read at a date,
and the business-day calendar of an agreement (its header's `calendar`, with the
closures its facts give). The evaluator dispatches here; values come back plain (a
Schedule, a series entry's value, a BusinessCalendar) or unknown."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from dsl import ast
from interpreter.evaluation.business_days import WEEKDAYS_ONLY, BusinessCalendar
from interpreter.evaluation.schedules import Schedule
from interpreter.evaluation.series import Series
from interpreter.evaluation.values import NONE, Unknown, merge_unknown


def business_calendar(agreement: ast.Agreement, closures) -> BusinessCalendar | Unknown:
    """The agreement's calendar; `closures` is the value of its closures input (a list
    of dates, unknown, or None when the header names no closures)."""
    if isinstance(closures, Unknown):
        return closures
    if agreement.calendar is None:
        return WEEKDAYS_ONLY
    days = frozenset(d for d in (closures or ()) if isinstance(d, dt.date))
    return BusinessCalendar(agreement.calendar, days)


def schedule(expr: ast.ScheduleExpr, ev, business) -> Schedule | Unknown:
    """The Schedule an `every ...` expression describes; unknown when a part is."""
    parts = {"first": ev(expr.first), "step": ev(expr.step)}
    for key in ("until", "count", "since", "shift"):
        node = getattr(expr, key)
        parts[key] = ev(node) if node is not None else None
    unknown = [v for v in (*parts.values(), business) if isinstance(v, Unknown)]
    if unknown:
        return merge_unknown(*unknown)
    if parts["first"] is NONE:
        return NONE
    # An end that is none (an event that did not happen) leaves the schedule open.
    parts = {k: (None if v is NONE else v) for k, v in parts.items()}
    return _made(convention=expr.convention, month_end=expr.month_end, calendar=business, **parts)


@lru_cache(maxsize=128)
def _made(**parts) -> Schedule:
    """One Schedule object for equal parts, kept across evaluations, so that the periods
    it has worked out are worked out once (a schedule is a pure function of its parts)."""
    return Schedule(**parts)


def read_at(series, day):
    """`S at D`: the value the dated series S has in effect on the day D."""
    if isinstance(series, Unknown) or isinstance(day, Unknown):
        return merge_unknown(series, day)
    if series is NONE or day is NONE:
        return NONE
    assert isinstance(series, Series)
    return series.at(day)
