"""The days on which an agreement's rules change: every comparison of a date that
moves — a date fact, the date of a proposed action, the evaluation date — with a
date the agreement and the facts fix (`transfer.date < 2001-12-31`,
`redemption_date < 2003-09-15`, `corporate_action.date <= 2001-03-31`). Each is a
timeline item on the fixed day: the end of a restriction, a price that steps down, a
cap for a quarter. Read from the rules themselves; nothing here knows an agreement."""
from __future__ import annotations

import dataclasses
import datetime as dt

from dsl import ast
from dsl.errors import CovenantError
from interpreter.evaluation.evaluator import Evaluator
from interpreter.reports.timeline_items import Item, describe_term
from interpreter.static import types as T
from interpreter.static.scope import Scope

_COMPARISONS = {"<": "before", "<=": "on or before", ">": "after", ">=": "on or after"}
_MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def threshold_items(evaluator: Evaluator) -> list[Item]:
    """One item per comparison of a moving date with a fixed one, in every rule,
    norm and exception of the version the evaluator reads."""
    items: list[Item] = []
    for scope in evaluator.model.scopes.values():
        counted: dict[str, int] = {}
        for owner, label, expressions, citation in _rules(scope):
            for moving, op, fixed in _comparisons(scope, evaluator, expressions):
                counted[owner] = counted.get(owner, 0) + 1  # the key counts comparisons, not days
                day = _fixed_day(evaluator, scope, fixed)
                if day is None:
                    continue
                source = evaluator._source(moving.span) or "the date"
                items.append(Item(
                    f"{scope.id}.{owner}@{counted[owner]}", scope.id, owner, "threshold", day,
                    f"{label}: {source} {_COMPARISONS[op]} {day.isoformat()}", None, citation,
                    "passed" if day <= evaluator.as_of else "upcoming"))
    return items


def _rules(scope: Scope):
    """(name, label, expressions, citation) of every rule, norm and exception."""
    for name, decl in scope.definitions.items():
        body = decl.body
        rows = body.rows if isinstance(body, ast.Table) else (body,)
        label = describe_term(scope, decl)
        for row in rows:
            yield name, label, [getattr(row, "condition", None), row.value], str(row.citation)
    for name, norm in scope.norms.items():
        yield name, f"{norm.kind} {name} ({norm.action})", [norm.condition, norm.unless, norm.requirement], \
            str(norm.citation)
    for target, rules in scope.exceptions.items():
        for rule in rules:
            label = f"exception to {target}" + (f" \"{rule.label}\"" if rule.label else "")
            yield target, label, [rule.condition], str(rule.citation)


def _comparisons(scope: Scope, evaluator: Evaluator, expressions):
    """(moving side, operator read from it, fixed side) of each date comparison."""
    for expr in expressions:
        for node in _walk(expr):
            if not (isinstance(node, ast.Binary) and node.op in _COMPARISONS):
                continue
            if _moving(scope, evaluator, node.left) and not _moves(scope, evaluator, node.right):
                yield node.left, node.op, node.right
            elif _moving(scope, evaluator, node.right) and not _moves(scope, evaluator, node.left):
                yield node.right, _MIRROR[node.op], node.left


def _moves(scope: Scope, evaluator: Evaluator, expr) -> bool:
    """Does any part of the expression move (`redemption_date - 60 days` does)?"""
    return any(_moving(scope, evaluator, node) for node in _walk(expr))


def _walk(expr):
    """Every node of an expression, leaving out comprehensions (their names are local)."""
    if expr is None or isinstance(expr, ast.Comprehension):
        return
    yield expr
    for f in dataclasses.fields(expr):
        value = getattr(expr, f.name)
        for child in (value if isinstance(value, tuple) else (value,)):
            if isinstance(child, ast.Node):
                yield from _walk(child)


def _moving(scope: Scope, evaluator: Evaluator, expr) -> bool:
    """Is this a date that moves: a date fact, a proposed action's date, the evaluation date?"""
    resolver = evaluator.model.resolver
    try:
        if isinstance(expr, ast.Name):
            symbol = resolver.name(scope, expr, {})
            return (symbol.kind == "builtin" and symbol.name == "as_of") or (
                symbol.kind == "input" and evaluator.model.scopes[symbol.agreement].declared[symbol.name] == T.DATE)
        if isinstance(expr, ast.Attribute) and isinstance(expr.base, ast.Name):
            symbol = resolver.qualified(scope, expr, {})
            if symbol is not None:
                return symbol.kind == "input" and \
                    evaluator.model.scopes[symbol.agreement].declared[symbol.name] == T.DATE
            base = resolver.name(scope, expr.base, {})
            if base.kind == "action":
                fields = {f.name: f.type for f in scope.actions[base.name].fields}
                kind = fields.get(expr.name)
                return isinstance(kind, ast.NamedType) and kind.name == "date"
    except CovenantError:
        return False
    return False


def _fixed_day(evaluator: Evaluator, scope: Scope, expr) -> dt.date | None:
    """The day a fixed side comes to, when the agreement and the facts settle it."""
    try:
        value = evaluator.evaluate_expression(scope.id, expr, T.DATE).value
    except (CovenantError, KeyError):
        return None
    return value if isinstance(value, dt.date) else None
