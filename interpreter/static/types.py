"""The static types of Covenant and the rules that combine them."""
from __future__ import annotations

from dataclasses import dataclass

PRIMITIVES = ("bool", "count", "decimal", "money", "percent", "shares", "date", "duration",
              "text", "party")
NUMERIC = frozenset({"count", "decimal", "money", "percent", "shares"})
# Plain numbers that may stand where a more specific quantity is expected.
_PLAIN = frozenset({"count", "decimal", "percent"})


@dataclass(frozen=True)
class Type:
    """A type: a primitive, an enumeration, a record or a list."""

    kind: str  # a primitive name, "enum", "record", "list", "series", "schedule", "none", "any"
    name: str = ""
    members: tuple[str, ...] = ()
    fields: tuple[tuple[str, "Type", bool], ...] = ()
    element: "Type | None" = None
    # An ordered enumeration (a rating scale): members listed from lowest to highest.
    ordered: bool = False

    def __str__(self) -> str:
        if self.kind in ("list", "series"):
            return f"{self.kind} of {self.element}"
        if self.kind in ("enum", "record"):
            return self.name
        return self.kind

    def field(self, name: str) -> tuple["Type", bool] | None:
        for field_name, field_type, optional in self.fields:
            if field_name == name:
                return field_type, optional
        return None

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


def prim(kind: str) -> Type:
    return Type(kind)


BOOL, COUNT, DECIMAL, MONEY, PERCENT, SHARES, DATE, DURATION, TEXT, PARTY = (
    prim(k) for k in PRIMITIVES)
NONE = Type("none")
ANY = Type("any")
STATUS = Type("enum", name="status", members=("not_triggered", "pending", "met", "missed"))
OBLIGATION = Type("record", name="obligation", fields=(
    ("status", STATUS, False), ("deadline", DATE, True), ("done", DATE, True),
    ("triggered", BOOL, False)))


def list_of(element: Type) -> Type:
    return Type("list", element=element)


def series_of(element: Type) -> Type:
    """A dated series: a value of `element` in effect from each of several dates."""
    return Type("series", element=element)


# A schedule: a lazily generated series of dates (see evaluation/schedules.py).
SCHEDULE = Type("schedule")
# One period of a schedule: its number (from 1), its date (adjusted to business days),
# its nominal (unadjusted) date, the nominal date before it (`previous`), and the
# days it covers, `start` (the day after `previous`) to `end` (the nominal date).
PERIOD = Type("record", name="period", fields=(
    ("number", COUNT, False), ("date", DATE, False), ("nominal", DATE, False),
    ("previous", DATE, False), ("start", DATE, False), ("end", DATE, False)))
# One instance of a recurring obligation: its period's number, date, nominal date and
# days, its deadline, status and the date of the performance matched to it (none if none).
INSTANCE = Type("record", name="instance", fields=(
    ("number", COUNT, False), ("date", DATE, False), ("nominal", DATE, False), ("start", DATE, False),
    ("end", DATE, False), ("deadline", DATE, True), ("status", STATUS, False), ("done", DATE, True)))
# A recurring obligation as a whole: its overall status (missed if any instance is
# missed, else pending if any is pending, else met if any is met), the instances in
# progress, every missed instance, and how many were met.
RECURRING = Type("record", name="recurring obligation", fields=(
    ("status", STATUS, False), ("pending", list_of(INSTANCE), False),
    ("missed", list_of(INSTANCE), False), ("met", COUNT, False)))

# Enumerations every agreement knows: business-day conventions, day counts, weekdays.
ROLL = Type("enum", name="business_day_convention", members=(
    "unadjusted", "following", "modified_following", "preceding", "modified_preceding"))
DAY_COUNT = Type("enum", name="day_count", members=("thirty_360", "actual_360", "actual_365_fixed"))
WEEKDAY = Type("enum", name="weekday", members=(
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
BUILTIN_ENUMS = (STATUS, ROLL, DAY_COUNT, WEEKDAY)
# Types every agreement may name in a declaration besides the primitives.
BUILTIN_TYPES = {"schedule": SCHEDULE, "period": PERIOD, "weekday": WEEKDAY}


def assignable(expected: Type, actual: Type) -> bool:
    """May a value of `actual` type stand where `expected` is declared?"""
    if actual == expected or actual.kind in ("none", "any") or expected.kind == "any":
        return True
    if expected.kind == actual.kind and expected.kind in ("list", "series"):
        return assignable(expected.element, actual.element)
    if actual.kind in _PLAIN and expected.kind in ("decimal", "shares", "percent"):
        return True
    return False


def join(a: Type, b: Type) -> Type | None:
    """The type of a value that may come from either of two branches."""
    if assignable(a, b):
        return a
    if assignable(b, a):
        return b
    if a.kind in _PLAIN and b.kind in _PLAIN:
        return DECIMAL
    return None


def arithmetic(op: str, left: Type, right: Type) -> Type | None:
    """Result type of `left op right`, or None when the combination has no meaning."""
    lk, rk = left.kind, right.kind
    if "any" in (lk, rk):
        return ANY
    if op in "+-":
        if lk == "date" and rk == "duration":
            return DATE
        if op == "-" and lk == rk == "date":
            return DURATION
        if lk == rk and lk in NUMERIC:
            return left
        if lk in NUMERIC and rk in NUMERIC and "money" not in (lk, rk):
            if "shares" in (lk, rk):
                return SHARES
            return DECIMAL
        return None
    if op == "*":
        for a, b in ((lk, rk), (rk, lk)):
            if a == "money" and b in _PLAIN | {"shares"}:
                return MONEY
            if a == "shares" and b in _PLAIN:
                return SHARES
            if a == "duration" and b == "count":
                return DURATION
        if lk in _PLAIN and rk in _PLAIN:
            return COUNT if lk == rk == "count" else DECIMAL
        return None
    if op == "/":
        if lk == rk == "money" or lk == rk == "shares":
            return DECIMAL
        if lk == "money" and rk in _PLAIN | {"shares"}:
            return MONEY
        if lk == "shares" and rk in _PLAIN:
            return SHARES
        if lk in _PLAIN and rk in _PLAIN:
            return DECIMAL
        return None
    raise ValueError(op)


def comparable(left: Type, right: Type, ordering: bool) -> bool:
    """May the two be compared (with <, <= … when `ordering`, else with == and !=)?"""
    lk, rk = left.kind, right.kind
    if "any" in (lk, rk) or "none" in (lk, rk):
        return True
    if lk in NUMERIC and rk in NUMERIC:
        if "money" in (lk, rk):
            return lk == rk
        return True
    if lk == rk and lk in ("date", "duration"):
        return True
    if ordering:
        return left == right and left.ordered
    return left == right or (lk == rk and lk in ("text", "party", "bool"))
