"""How values and derivations are shown: text for people, JSON for tools."""
from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from dsl.ast import Duration
from dsl.limits import MAGNITUDE_DIGITS, NUMBER_DIGITS
from interpreter.static import types as T
from interpreter.evaluation.derivation import Derivation
from interpreter.evaluation.schedules import Schedule
from interpreter.evaluation.series import Series
from interpreter.evaluation.values import NONE, Unknown


# Wide enough for any number the limits let through, so that printing never rounds.
_PRINTING = decimal.Context(prec=2 * (NUMBER_DIGITS + MAGNITUDE_DIGITS))


def _decimal_text(value: Decimal, places: int | None) -> str:
    with decimal.localcontext(_PRINTING):
        if places is not None and value == value.quantize(Decimal(1).scaleb(-places)):
            return f"{value.quantize(Decimal(1).scaleb(-places)):f}"
        return f"{value.normalize():f}"


def format_value(value: object, typ: T.Type) -> str:
    """A value as a person reads it: $12,500,000.00, 10%, 2006-12-28, 30 days."""
    if isinstance(value, Unknown):
        known = [f"{word} {format_value(bound, typ)}" for word, bound in (("at least", value.low),
                                                                         ("at most", value.high))
                 if bound is not None]
        return "unknown" + (f" ({', '.join(known)})" if known else "")
    if value is NONE:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if typ.kind == "money":
        text = _decimal_text(Decimal(value), 2)
        whole, _, frac = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        return f"{sign}${int(whole.lstrip('-')):,}" + (f".{frac}" if frac else "")
    if typ.kind == "percent":
        return f"{_decimal_text(Decimal(value).scaleb(2, _PRINTING), None)}%"
    if isinstance(value, Decimal):
        whole = _decimal_text(value, None)
        head, dot, frac = whole.partition(".")
        return f"{int(head):,}{dot}{frac}" if head.lstrip("-").isdigit() else whole
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple):
        return "[" + ", ".join(format_value(v, t) for v, t in _items(value, typ)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {format_value(v, t)}" for k, (v, t) in _fields(value, typ)) + "}"
    if isinstance(value, Series):
        element = typ.element or T.ANY
        return "{" + ", ".join(f"{d.isoformat()}: {format_value(v, element)}" for d, v in value.entries) + "}"
    return _plain(value)


def json_value(value: object, typ: T.Type) -> object:
    """A value for JSON: exact integers as numbers, decimals as strings, dates ISO,
    unknown and none as null."""
    if isinstance(value, Unknown) or value is NONE:
        return None
    if isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return _decimal_text(value, 2 if typ.kind == "money" else None)
    if isinstance(value, tuple):
        return [json_value(v, t) for v, t in _items(value, typ)]
    if isinstance(value, dict):
        return {k: json_value(v, t) for k, (v, t) in _fields(value, typ)}
    if isinstance(value, Series):
        return {d.isoformat(): json_value(v, typ.element or T.ANY) for d, v in value.entries}
    if isinstance(value, Schedule):
        return value.describe()
    return _plain(value) if isinstance(value, (dt.date, Duration)) else value


def _plain(value) -> str:
    """Dates as YYYY-MM-DD, durations as `30 days`, schedules in words, anything else as its text."""
    if isinstance(value, Schedule):
        return value.describe()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _items(value: tuple, typ: T.Type):
    """A list's elements, each with its type."""
    element = typ.element if typ.kind == "list" else T.ANY
    return [(v, element) for v in value]


def _fields(value: dict, typ: T.Type):
    """A record's fields, each as (name, (value, type))."""
    types = {name: ftype for name, ftype, _ in typ.fields} if typ.kind == "record" else {}
    return [(k, (v, types.get(k, T.ANY))) for k, v in value.items()]


def state_of(value: object) -> str:
    return "unknown" if isinstance(value, Unknown) else ("none" if value is NONE else "known")


def json_result(d: Derivation) -> dict:
    """One evaluated term for `--json`."""
    low, high = (d.value.low, d.value.high) if isinstance(d.value, Unknown) else (None, None)
    return {"value": json_value(d.value, d.type), "type": str(d.type), "state": state_of(d.value),
            "citation": d.citation, "needs": d.needs, "decided_by": d.decided_by,
            "at_least": None if low is None else json_value(low, d.type),
            "at_most": None if high is None else json_value(high, d.type),
            "given_at": d.given_at or None}


def pinned_text(d: Derivation) -> str:
    """Where a pinned term was given, and what the agreement would compute instead."""
    if d.computed is None:
        return f"given in {d.given_at} (not computed: the facts do not settle it)"
    return (f"given in {d.given_at} (the agreement would compute {format_value(d.computed.value, d.type)} "
            f"from the facts, {d.computed.citation})")


def json_derivation(d: Derivation, origins: dict | None = None) -> dict:
    """A whole derivation tree for `explain --json`; with the facts' `origins` (their
    spans), where each fact used was given."""
    origins = origins or {}
    return {**json_result(d), "name": d.name, "rule": d.rule,
            "facts": {name: json_value(v, t) for name, v, t in d.inputs},
            "fact_origins": {name: _where(origins[name]) for name, _, _ in d.inputs if name in origins},
            "notes": list(d.notes), "steps": [json_derivation(c, origins) for c in d.children]}


def _where(span) -> str:
    """FILE:LINE of a fact (the file alone when it has no line, e.g. set at the REPL's prompt)."""
    return f"{span.file}:{span.line}" if span.line else span.file


def _short(name: str, home: str) -> str:
    """A qualified name without its agreement when that is the one being explained."""
    agreement, _, term = name.partition(".")
    return term if agreement == home else name


def explain_lines(d: Derivation, depth: int = 0, seen: set[str] | None = None,
                  home: str | None = None, origins: dict | None = None) -> list[str]:
    """The derivation as an indented tree: value, rule, citation, facts (with where
    each was given, from `origins`), exceptions."""
    origins = origins or {}
    seen = set() if seen is None else seen
    home = home or d.name.partition(".")[0]
    pad = "  " * depth
    value = format_value(d.value, d.type)
    if isinstance(d.value, Unknown):
        value += f" (needs {', '.join(d.needs)})" if d.needs else ""
    cite = f"  [{d.citation}]" if d.citation else ""
    lines = [f"{pad}{d.name if depth == 0 else _short(d.name, home)} = {value}{cite}"]
    if d.name in seen:
        lines[0] += "  (shown above)"
        return lines
    seen.add(d.name)
    if d.given_at:
        lines.append(f"{pad}  {pinned_text(d)}")
        return lines
    lines.append(f"{pad}  by {d.decided_by}: {d.rule}")
    for note in d.notes:
        lines.append(f"{pad}  · {note}")
    for name, fact, typ in d.inputs:
        where = f"  ({_where(origins[name])})" if name in origins else ""
        lines.append(f"{pad}  fact {_short(name, home)} = {format_value(fact, typ)}{where}")
    for child in d.children:
        lines.extend(explain_lines(child, depth + 1, seen, home, origins))
    return lines


_STATUS_WORDS = {"permitted": "PERMITTED", "prohibited": "PROHIBITED",
                 "needs_approval": "NEEDS APPROVAL", "undecided": "UNDECIDED"}
_EFFECT = {"prohibit": ("prohibits it", "does not prohibit it"),
           "require": ("its requirement is not met", "its requirement is met or does not apply"),
           "approval": ("requires approval", "requires no approval"),
           "permit": ("expressly permits it", "does not apply")}


def _norm_effect(outcome) -> str:
    applies = outcome.applies
    if isinstance(applies, Unknown):
        return f"cannot be decided yet (needs {', '.join(sorted(applies.needs))})"
    text = _EFFECT[outcome.norm.kind][0 if applies else 1]
    if outcome.norm.kind == "approval" and applies:
        text += f" of {outcome.norm.body}"
    return text


def verdict_lines(verdict, as_of) -> list[str]:
    """A verdict for people: the answer, then every norm with its citation and effect."""
    head = _STATUS_WORDS[verdict.status]
    if verdict.status == "needs_approval":
        head += ": " + ", ".join(verdict.approvals)
    if verdict.status == "undecided":
        head += f" (needs {', '.join(verdict.needs)})"
    lines = [f"proposed {verdict.action}, as of {as_of}: {head}"]
    order = {"prohibit": 0, "require": 1, "approval": 2, "permit": 3}
    for outcome in sorted(verdict.outcomes, key=lambda o: (o.applies is False, order[o.norm.kind])):
        mark = "·" if outcome.applies is False else "▸"
        lines.append(f"  {mark} {outcome.norm.citation} {outcome.agreement}.{outcome.norm.name} "
                     f"({outcome.norm.kind}): {_norm_effect(outcome)}")
        if outcome.applies is not False:
            lines.append(f"      {outcome.derivation.rule}")
        for note in outcome.derivation.notes:
            lines.append(f"      {note}")
    return lines


def json_verdict(verdict) -> dict:
    """A verdict for tools."""
    return {"action": verdict.action, "status": verdict.status, "approvals": list(verdict.approvals),
            "needs": list(verdict.needs),
            "norms": [{"name": f"{o.agreement}.{o.norm.name}", "kind": o.norm.kind,
                       "citation": str(o.norm.citation), "body": o.norm.body,
                       "applies": None if isinstance(o.applies, Unknown) else o.applies,
                       "effect": _norm_effect(o), "exceptions": list(o.derivation.notes)}
                      for o in verdict.outcomes]}
