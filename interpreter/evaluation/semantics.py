"""The semantics both evaluators share — the explaining one (`evaluator.py`) and the
compiled one (`compiled.py`): what a condition's value is, exact decimal arithmetic,
comparisons, the value of a table whose rows are not all decided, exceptions that
cannot change a value, and the order of dates that may be unknown."""
from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from dsl import ast
from dsl.errors import EvaluationProblem, Span
from dsl.limits import MAGNITUDE_DIGITS
from interpreter.evaluation import bounds, calendar
from interpreter.evaluation.builtin_base import FunctionFailure
from interpreter.evaluation.schedules import ScheduleError
from interpreter.evaluation.values import NONE, Unknown, merge_unknown
from interpreter.static import types as T

PRECISION = 34  # decimal digits: exact for any amount an agreement states


def truth(value):
    """A condition's value: `none` counts as false; unknown stays unknown."""
    return False if value is NONE else value


def exact():
    """The decimal context of legal arithmetic: 34 digits, division by zero trapped."""
    context = decimal.Context(prec=PRECISION, traps=[decimal.DivisionByZero, decimal.InvalidOperation])
    return decimal.localcontext(context)


_DECIMAL_KINDS = frozenset({"decimal", "money", "percent", "shares"})


def as_declared(value, typ: T.Type):
    """A whole number standing where a decimal quantity is declared (`sum` of no money,
    `x: decimal = 5`) is that quantity: a Decimal, like every other decimal value."""
    if type(value) is int and typ.kind in _DECIMAL_KINDS:
        return Decimal(value)
    if isinstance(value, tuple) and typ.kind == "list":
        element = typ.element
        if element.kind in _DECIMAL_KINDS:
            return tuple([Decimal(v) if type(v) is int else v for v in value]) if int in map(type, value) else value
        if element.kind == "list":
            return tuple([as_declared(v, element) for v in value])
    return value


def widening(typ: T.Type) -> T.Type | None:
    """`typ` when a value computed for it may need `as_declared` (a decimal quantity, or
    a list), else None."""
    return typ if typ.kind in _DECIMAL_KINDS or typ.kind == "list" else None


def field_of(base, name: str):
    if isinstance(base, Unknown) or base is NONE:
        return base
    if isinstance(base, tuple):
        return tuple(field_of(item, name) for item in base)
    return base.get(name, NONE)


COMPARE = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
ARITHMETIC = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}


def one_of(needs: frozenset[str], candidates: list):
    """A value known only to be one of `candidates`: that value when they all agree,
    else unknown between the least and the greatest of them."""
    first = candidates[0] if candidates else None
    if candidates and not isinstance(first, Unknown) and all(
            not isinstance(c, Unknown) and type(c) is type(first) and c == first for c in candidates):
        return first
    return bounds.hull(needs | merge_unknown(*candidates).needs, candidates)


def all_agree(rules, base) -> bool:
    """Whether every exception in `rules` would give the known `base` value (each a literal)."""
    if base is None or isinstance(base, Unknown):
        return False
    return all(isinstance(r.value, ast.Literal) and r.value.kind != "none"
               and type(r.value.value) is type(base) and r.value.value == base for r in rules)


def exception_label(rule) -> str:
    """What decided a value an exception gave, as answers and explanations name it."""
    return f"exception {rule.citation}" + (f" \"{rule.label}\"" if rule.label else "")


def row_label(row, number: int) -> str:
    """What decided a value a table's row gave: a grid's row by its column, another by
    its number."""
    return f"column {row.column}" if row.column else f"row {number} (first that applies)"


def undecided_row_label(row, number: int, settled: bool) -> str:
    """Why a table's value rests on row `number`, whose condition cannot be decided;
    `settled` when every row that may apply gives the same value."""
    if row.column:  # a grid whose key is not known
        return ("every column that may apply, the key not being known" if settled
                else f"column {row.column} or a later one, the key not being known")
    return (f"rows {number} on cannot be decided, but every row that may apply gives this value" if settled
            else f"row {number} cannot be decided")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


EXTREMES = {"min": bounds.smallest, "earlier_of": bounds.smallest,
             "max": bounds.largest, "later_of": bounds.largest}


def is_number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def known_side(value) -> str:
    """An operand of a settled comparison, as the note shows it."""
    if isinstance(value, Unknown):
        return f"(unknown, {bounds.describe(value)})"
    return str(value)


def order(op: str, left, right) -> bool | None:
    """`left op right` for dates that may be unknown: None when what is known does not settle it."""
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return bounds.compare(op, left, right)
    return COMPARE[op](left, right)


def shifted_date(day, duration: ast.Duration, sign: int, business):
    """`day` (a date, or unknown with bounds) moved by `duration`, forward or (sign -1)
    back; business days count on the agreement's calendar, `business()`, asked for only
    then. Unknown while that calendar is (its closures not given)."""
    days = business() if duration.unit == "business_day" else None
    if isinstance(days, Unknown):
        return merge_unknown(day, days) if isinstance(day, Unknown) else days
    if isinstance(day, Unknown):
        return bounds.shifted(day, lambda d: calendar.add_duration(d, duration, sign, days))
    return calendar.add_duration(day, duration, sign, days)


def unknown_deadline(deadline) -> Unknown:
    """The status of an obligation whose deadline is unknown: unknown, needing what the deadline needs."""
    return deadline if isinstance(deadline, Unknown) else Unknown()


def same(a, b) -> bool:
    """Equal as values ($300 and $300.00 agree), of the same kind (1 is not true)."""
    return a is b or (type(a) is type(b) or (is_number(a) and is_number(b))) and a == b


# What a computation may raise that is a problem with the facts, reported at its expression.
FAILURES = (FunctionFailure, ScheduleError, calendar.DateOutOfRange, decimal.DivisionByZero,
            decimal.InvalidOperation, ZeroDivisionError)


def failure_problem(failure: Exception, span) -> EvaluationProblem:
    """The problem `failure` (one of FAILURES), raised computing the expression at
    `span`, is reported as, by both evaluators."""
    if isinstance(failure, calendar.DateOutOfRange):
        return EvaluationProblem(str(failure), span, hint="check the dates and durations this expression combines")
    if isinstance(failure, (FunctionFailure, ScheduleError)):
        return EvaluationProblem(str(failure), span)
    return EvaluationProblem("division by zero", span, hint="check the facts this expression divides by")


_LARGEST = 10 ** MAGNITUDE_DIGITS
_LARGEST_DECIMAL, _LOWEST_DECIMAL = Decimal(_LARGEST), -Decimal(_LARGEST)


def bounded_number(value, span: Span):
    """A number (or a duration's amount) computed beyond the limit of exact arithmetic
    is refused where it is computed, before it is rounded, printed or compared. Both
    evaluators check every value they compute with it."""
    if value.__class__ is Decimal and _LOWEST_DECIMAL < value < _LARGEST_DECIMAL:
        return value  # the common case, without converting the limit
    amount = value.amount if isinstance(value, ast.Duration) else value
    if isinstance(amount, (int, Decimal)) and not isinstance(amount, bool) and abs(amount) >= _LARGEST:
        raise EvaluationProblem(f"this computes a number of {len(str(int(abs(amount)))):,} digits, beyond the "
                                f"limit of 10^{MAGNITUDE_DIGITS}", span,
                                hint="check the facts it multiplies; no amount in an agreement comes near")
    return value


def none_operand(op: str, left, right):
    """`left op right` where one side is `none` (an event that did not happen): `==` and
    `!=` tell whether both are none, any other comparison is false, arithmetic is none."""
    if op == "==":
        return left is right
    if op == "!=":
        return left is not right
    return False if op in COMPARE else NONE


def unknown_operand(op: str, left, right, business, settled_note=None):
    """`left op right` where an operand is unknown: a comparison settled by what is
    known of it (`settled_note(value)` told, for the explaining evaluator's note), a
    date or number shifted with its bounds, else unknown needing what both need."""
    if op in COMPARE and not isinstance(left, ast.Duration) and not isinstance(right, ast.Duration):
        settled = bounds.compare(op, left, right)
        if settled is not None:
            if settled_note is not None:
                settled_note(settled)
            return settled
    if op in ("+", "-") and not (isinstance(left, Unknown) and isinstance(right, Unknown)):
        if isinstance(left, Unknown) and isinstance(left.low or left.high, dt.date) \
                and isinstance(right, ast.Duration):
            return shifted_date(left, right, 1 if op == "+" else -1, business)
        moved = bounds.shifted_by_number(op, left, right)
        if moved is not None:
            return moved
    return merge_unknown(left, right)
