"""The functions of the language: their types, and what they compute.

Unknown arguments make the result unknown and `none` arguments make it `none`,
except where a function says otherwise (`earlier_of` passes over an event that
never happens).
"""
from __future__ import annotations

import datetime as dt
import operator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

from dsl.limits import NUMBER_DIGITS
from interpreter.evaluation import calendar
from interpreter.static import types as T
from interpreter.evaluation.values import NONE
from interpreter.evaluation.builtin_base import Builtin, FunctionFailure, type_fixed as _type_fixed
from interpreter.evaluation.time_functions import TIME_FUNCTIONS

__all__ = ["BUILTINS", "Builtin", "FunctionFailure"]


def _elements(args: list[T.Type]) -> list[T.Type] | str:
    """The value types of arguments given either as several values or as one list."""
    if len(args) == 1 and args[0].kind == "list":
        return [args[0].element]
    if any(a.kind == "list" for a in args):
        return "give either one list or several values, not both"
    return args


def _joined(args: list[T.Type], what: str, allowed: Callable[[T.Type], bool]) -> T.Type | str:
    items = _elements(args)
    if isinstance(items, str):
        return items
    if not items:
        return "needs at least one value"
    result = items[0]
    for item in items[1:]:
        joined = T.join(result, item)
        if joined is None:
            return f"cannot mix {result} and {item}"
        result = joined
    if not allowed(result) and result.kind != "any":
        return f"needs {what}, not {result}"
    return result


def _orderable(t: T.Type) -> bool:
    return t.numeric or t.kind in ("date", "duration") or t.ordered


def _averaged(t: T.Type) -> T.Type:
    return T.DECIMAL if t.kind == "count" else t


def _values(args: tuple) -> list:
    return list(args[0]) if len(args) == 1 and isinstance(args[0], tuple) else list(args)


def _extreme(pick):
    """min or max of several values or of one list; an empty list has neither."""
    def compute(*args):
        values = _values(args)
        if not values:
            raise FunctionFailure("the list is empty")
        return pick(values)
    return compute


def _mean(*args):
    values = _values(args)
    if not values:
        raise FunctionFailure("the mean of no values is undefined")
    return Decimal(sum(values)) / len(values)


def _weighted_mean(values, weights):
    if len(values) != len(weights):
        raise FunctionFailure(f"{len(values)} values but {len(weights)} weights")
    total = sum(weights)
    if total == 0:
        raise FunctionFailure("the weights add up to zero")
    return sum(map(operator.mul, map(Decimal, values), weights)) / Decimal(total)


def _last(values):
    if not values:
        raise FunctionFailure("the list is empty")
    return values[-1]


def _round(value, places):
    if abs(places) > NUMBER_DIGITS:
        raise FunctionFailure(f"a number is rounded to at most {NUMBER_DIGITS} places, not {places:,}")
    try:
        return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # the rounded number would need more digits than exact arithmetic keeps
        raise FunctionFailure(f"{value} rounded to {places} places has more than {NUMBER_DIGITS} digits") from None


def _type_clamp(args):
    if len(args) != 3:
        return f"takes 3 arguments (value, lowest, highest), not {len(args)}"
    return _joined(args, "numbers or dates", _orderable)


def _type_list_numeric(averaging: bool):
    def typer(args):
        if len(args) != 1 or args[0].kind not in ("list", "any"):
            return "takes one list"
        element = args[0].element or T.ANY
        if not element.numeric and element.kind != "any":
            return f"needs a list of numbers, not {args[0]}"
        return _averaged(element) if averaging else element
    return typer


def _type_weighted(args):
    if len(args) != 2 or any(a.kind not in ("list", "any") for a in args):
        return "takes two lists: the values and their weights"
    values, weights = (a.element or T.ANY for a in args)
    if not values.numeric or not weights.numeric:
        if "any" not in (values.kind, weights.kind):
            return "needs lists of numbers"
    return _averaged(values)


def _type_count(args):
    if len(args) != 1 or args[0].kind not in ("list", "any"):
        return "takes one list"
    return T.COUNT


def _type_last(args):
    if len(args) != 1 or args[0].kind not in ("list", "any"):
        return "takes one list"
    return args[0].element or T.ANY


def _type_abs(args):
    if len(args) != 1 or not (args[0].numeric or args[0].kind == "any"):
        return "takes one number"
    return args[0]


def _type_round(args):
    if len(args) != 2 or not (args[0].numeric or args[0].kind == "any") or args[1].kind not in ("count", "any"):
        return "takes a number and a count of decimal places"
    return args[0]


def _type_mean(args):
    result = _joined(args, "numbers", lambda t: t.numeric)
    return result if isinstance(result, str) else _averaged(result)


def _type_step(args):
    """below(member, places) and above(member, places): a member of the same scale."""
    if len(args) != 2:
        return f"takes 2 arguments (a member of an ordered enumeration and a count), not {len(args)}"
    if not (args[0].ordered or args[0].kind == "any"):
        return f"argument 1 must be a member of an ordered enumeration, not {args[0]}"
    if args[1].kind not in ("count", "any"):
        return f"argument 2 must be a count of places, not {args[1]}"
    return args[0]


def _type_rank(args):
    if len(args) != 1 or not (args[0].ordered or args[0].kind == "any"):
        return "takes one member of an ordered enumeration"
    return T.COUNT


def _type_multiple(args):
    if len(args) != 2:
        return f"takes 2 arguments (an amount and the step it must be a multiple of), not {len(args)}"
    if not all(a.numeric or a.kind == "any" for a in args) or T.join(args[0], args[1]) is None:
        return f"needs two amounts of the same kind, not {args[0]} and {args[1]}"
    return T.BOOL


def _multiple_of(amount, step) -> bool:
    if step == 0:
        raise FunctionFailure("a multiple of zero is undefined")
    return Decimal(amount) % Decimal(step) == 0


def _days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def _schedule_index(first: dt.date, months: int, day: dt.date) -> int:
    """The smallest k >= 0 such that the k-th date of the schedule is on or after `day`.
    The k-th date is `first` moved by k x `months` months (clamped to the month's end,
    counted from `first` each time, so that a schedule from August 31 keeps the 31st)."""
    if months < 1:
        raise FunctionFailure(f"a schedule needs a period of at least 1 month, not {months}")
    elapsed = (day.year - first.year) * 12 + (day.month - first.month)
    k = max(0, elapsed // months - 1)
    while calendar.add_months(first, k * months) < day:
        k += 1
    return k


def _next_scheduled(first: dt.date, months: int, on_or_after: dt.date) -> dt.date:
    """The first date of the schedule `first`, `first` + `months` months, `first` +
    2 x `months` months, ... that falls on or after `on_or_after` (payment dates,
    for example: semiannual is 6 months). Before `first`, it is `first`."""
    return calendar.add_months(first, _schedule_index(first, months, on_or_after) * months)


def _previous_scheduled(first: dt.date, months: int, on_or_before: dt.date):
    """The last date of the same schedule that falls on or before `on_or_before`;
    none when `on_or_before` is before `first` (the schedule has not begun)."""
    k = _schedule_index(first, months, on_or_before)
    if calendar.add_months(first, k * months) > on_or_before:
        k -= 1
    return NONE if k < 0 else calendar.add_months(first, k * months)


_BASIC = (
    Builtin("min", "min(a, b, ...) or min(list)",
            lambda a: _joined(a, "numbers, dates or members of an ordered enumeration", _orderable),
            _extreme(min)),
    Builtin("max", "max(a, b, ...) or max(list)",
            lambda a: _joined(a, "numbers, dates or members of an ordered enumeration", _orderable),
            _extreme(max)),
    Builtin("clamp", "clamp(value, lowest, highest)", _type_clamp,
            lambda v, lo, hi: min(max(v, lo), hi)),
    Builtin("later_of", "later_of(date, date, ...)", lambda a: _joined(a, "dates", lambda t: t.kind == "date"),
            _extreme(max)),
    Builtin("earlier_of", "earlier_of(date, date, ...)", lambda a: _joined(a, "dates", lambda t: t.kind == "date"),
            _extreme(min), skips_none=True),
    Builtin("mean", "mean(a, b, ...) or mean(list)", _type_mean, _mean),
    Builtin("weighted_mean", "weighted_mean(values, weights)", _type_weighted, _weighted_mean),
    Builtin("sum", "sum(list)", _type_list_numeric(False), lambda values: sum(values)),
    Builtin("count", "count(list)", _type_count, lambda values: len(values)),
    Builtin("last", "last(list)", _type_last, _last),
    Builtin("abs", "abs(number)", _type_abs, abs),
    Builtin("round", "round(number, places)", _type_round, _round),
    Builtin("anniversary", "anniversary(date, years)", _type_fixed([T.DATE, T.COUNT], T.DATE),
            calendar.anniversary),
    Builtin("end_of_month", "end_of_month(date)", _type_fixed([T.DATE], T.DATE), calendar.end_of_month),
    Builtin("below", "below(member, places)", _type_step, lambda m, n: m.moved(-n)),
    Builtin("above", "above(member, places)", _type_step, lambda m, n: m.moved(n)),
    Builtin("rank", "rank(member)", _type_rank, lambda m: m.rank),
    Builtin("multiple_of", "multiple_of(amount, step)", _type_multiple, _multiple_of),
    Builtin("days_between", "days_between(start, end)", _type_fixed([T.DATE, T.DATE], T.COUNT),
            _days_between),
    Builtin("days_360", "days_360(start, end)", _type_fixed([T.DATE, T.DATE], T.COUNT), calendar.days_360),
    Builtin("next_scheduled", "next_scheduled(first, every_months, on_or_after)",
            _type_fixed([T.DATE, T.COUNT, T.DATE], T.DATE), _next_scheduled),
    Builtin("previous_scheduled", "previous_scheduled(first, every_months, on_or_before)",
            _type_fixed([T.DATE, T.COUNT, T.DATE], T.DATE), _previous_scheduled),
)

BUILTINS: dict[str, Builtin] = {b.name: b for b in (*_BASIC, *TIME_FUNCTIONS)}
