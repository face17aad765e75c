"""What is known about an unknown value: inclusive lower and upper bounds, and how
comparisons, extremes and shifts carry them.

A known value is the interval [v, v]; an unknown one [low, high], either side None
when unbounded. A comparison is settled when the intervals settle it:
`earlier_of(2001-01-01, unknown) <= 2002-01-01` is true whatever the unknown is.
"""
from __future__ import annotations

from decimal import Decimal

from interpreter.evaluation.values import NONE, Unknown, merge_unknown


def interval(value) -> tuple[object, object]:
    """(low, high) of a value: itself twice when known, its bounds when unknown."""
    if isinstance(value, Unknown):
        return value.low, value.high
    return value, value


def compare(op: str, left, right) -> bool | None:
    """The comparison of two values, at least one unknown, when their bounds settle
    it; None when they do not."""
    (l_low, l_high), (r_low, r_high) = interval(left), interval(right)

    def before(a, b, strict):  # is a < b (or <=), with None meaning unbounded
        if a is None or b is None:
            return False
        return a < b if strict else a <= b

    if op in (">", ">="):
        return compare("<" if op == ">" else "<=", right, left)
    if op == "<":
        if before(l_high, r_low, strict=True):
            return True
        if before(r_high, l_low, strict=False):
            return False
    elif op == "<=":
        if before(l_high, r_low, strict=False):
            return True
        if before(r_high, l_low, strict=True):
            return False
    elif op in ("==", "!="):
        if before(l_high, r_low, strict=True) or before(r_high, l_low, strict=True):
            return op == "!="
    return None


def bounded(needs: frozenset[str], low, high) -> Unknown:
    """An unknown with its bounds; a bound that is `none` tells nothing and is dropped."""
    return Unknown(needs, None if low is NONE else low, None if high is NONE else high)


def _all_or_none(values, pick):
    return None if any(v is None for v in values) else pick(values)


def _any(values, pick):
    present = [v for v in values if v is not None]
    return pick(present) if present else None


def smallest(values: list) -> Unknown:
    """min / earlier_of of values some of which are unknown: at most the least of
    the upper bounds given, at least the least lower bound when every value has one."""
    lows, highs = zip(*(interval(v) for v in values))
    return bounded(merge_unknown(*values).needs, _all_or_none(lows, min), _any(highs, min))


def largest(values: list) -> Unknown:
    """max / later_of of values some of which are unknown: at least the greatest of
    the lower bounds given, at most the greatest upper bound when every value has one."""
    lows, highs = zip(*(interval(v) for v in values))
    return bounded(merge_unknown(*values).needs, _any(lows, max), _all_or_none(highs, max))


def clamped(value, lowest, highest) -> Unknown:
    """clamp(value, lowest, highest) = min(max(value, lowest), highest), bounds and all."""
    return smallest([largest([value, lowest]), highest])


def hull(needs: frozenset[str], candidates: list) -> Unknown:
    """An unknown that is one of `candidates` (the rows of a table that may apply):
    between the least and the greatest of them, when every one is bounded."""
    lows, highs = zip(*(interval(v) for v in candidates)) if candidates else ((None,), (None,))
    try:
        return bounded(needs, _all_or_none(lows, min), _all_or_none(highs, max))
    except TypeError:  # candidates of no common order (texts and none, records): no bounds
        return Unknown(needs)


def shifted(value: Unknown, move) -> Unknown:
    """An unknown moved by a known, order-keeping step (`+ 6 months`, `- $5`)."""
    low, high = interval(value)
    return bounded(value.needs, None if low is None else move(low), None if high is None else move(high))


def describe(value: Unknown) -> str:
    """`at least X`, `at most Y`, `between X and Y`, or '' when unbounded."""
    if value.low is not None and value.high is not None:
        return f"between {value.low} and {value.high}"
    if value.low is not None:
        return f"at least {value.low}"
    if value.high is not None:
        return f"at most {value.high}"
    return ""


def _is_number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def shifted_by_number(op: str, left, right) -> Unknown | None:
    """`left + right` or `left - right` where one side is a bounded unknown number and
    the other a known one: the unknown with its bounds moved (flipped for `x - unknown`);
    None when this is not such a case."""
    if isinstance(left, Unknown) and _is_number(right) and _is_number(left.low or left.high):
        return shifted(left, lambda x: x + right if op == "+" else x - right)
    if isinstance(right, Unknown) and _is_number(left) and _is_number(right.low or right.high):
        if op == "+":
            return shifted(right, lambda x: left + x)
        flipped = shifted(right, lambda x: left - x)
        return Unknown(flipped.needs, flipped.high, flipped.low)
    return None

