"""Expressions compiled into Python closures: the fast back end's half of evaluation.

Each expression becomes a function `f(env, loc)` (`env` the facts, the date and the
terms computed so far; `loc` the variables of enclosing comprehensions). Names are
resolved once, when compiling; at run time a closure only computes. The rules are
those of the explaining evaluator (`evaluator.py`), step for step — three-valued
logic, `none`, bounded unknowns, the same errors at the same places — without the
derivation it records; a test runs both back ends over every scenario and example.
An expression of a form not compiled here raises `NotCompiled`, and its term is
left to the explaining evaluator."""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import fields
from decimal import Decimal

from dsl import ast
from dsl.errors import EvaluationProblem
from dsl.limits import EVALUATION_STEPS
from interpreter.evaluation import bounds, compiled_time
from interpreter.evaluation.builtins import BUILTINS
from interpreter.evaluation.schedules import Schedule
from interpreter.evaluation.series import Series
from interpreter.evaluation.semantics import (
    COMPARE,
    EXTREMES,
    FAILURES,
    bounded_number,
    failure_problem,
    field_of,
    none_operand,
    one_of,
    shifted_date,
    truth,
    unknown_operand,
)
from interpreter.evaluation.values import NONE, Unknown, member_value, merge_unknown
from interpreter.static import types as T


class NotCompiled(Exception):
    """An expression this back end does not compile; the explaining evaluator takes it."""


class OverSteps(Exception):
    """One evaluation went over EVALUATION_STEPS steps, counted as the explaining
    evaluator counts them where work can multiply (the items of comprehensions,
    weighted by `item_steps`, and the elements of lists given to functions inside
    them): it takes the question, and stops with its message at its place, or answers.
    List facts are bounded, but comprehensions nested over them multiply."""


def compile_expr(expr: ast.Expr, scope, resolver, local: frozenset[str], term_ref):
    """A closure computing `expr` read in `scope`; `term_ref(agreement, name)` gives the
    closure that reads another term's value."""
    def c(e, loc=local):
        return compile_expr(e, scope, resolver, loc, term_ref)

    if isinstance(expr, ast.Literal):
        value = NONE if expr.kind == "none" else expr.value
        return lambda env, loc: value
    if isinstance(expr, ast.Name):
        return _symbol(resolver.name(scope, expr, dict.fromkeys(local, T.ANY)), scope, term_ref)
    if isinstance(expr, ast.Attribute):
        symbol = resolver.qualified(scope, expr, dict.fromkeys(local, T.ANY))
        if symbol is not None:
            return _symbol(symbol, scope, term_ref)
        base, name = c(expr.base), expr.name

        def field(env, loc):
            record = base(env, loc)
            return record.get(name, NONE) if record.__class__ is dict else field_of(record, name)
        return field
    if isinstance(expr, ast.Binary):
        return _binary(expr, c(expr.left), c(expr.right), compiled_time.calendar_reader(scope, term_ref))
    if isinstance(expr, ast.Unary):
        return _unary(expr.op, c(expr.operand))
    if isinstance(expr, ast.If):
        return _if(c(expr.condition), c(expr.then), c(expr.otherwise))
    if isinstance(expr, ast.Member):
        return _member(c(expr.element), [c(o) for o in expr.options])
    if isinstance(expr, ast.Contains):
        return _contains(c(expr.element), c(expr.collection))
    if isinstance(expr, ast.IsNone):
        return _is_none(c(expr.operand), expr.negated)
    if isinstance(expr, ast.Call):
        if expr.func not in BUILTINS:
            raise NotCompiled(expr.func)
        return _call(expr.func, [c(a) for a in expr.args], expr.span, scope, term_ref, counted=bool(local))
    if isinstance(expr, ast.Comprehension):
        inner = local | {expr.variable}
        return _comprehension(expr.variable, c(expr.source), c(expr.element, inner),
                              None if expr.condition is None else c(expr.condition, inner), item_steps(expr))
    if isinstance(expr, ast.ScheduleExpr):
        return compiled_time.schedule(expr, c, compiled_time.calendar_reader(scope, term_ref))
    if isinstance(expr, ast.At):
        return compiled_time.read_at(c(expr.series), c(expr.date), expr.span)
    raise NotCompiled(type(expr).__name__)


def _symbol(symbol, scope, term_ref):
    kind, name = symbol.kind, symbol.name
    if kind == "local":
        return lambda env, loc: loc[name]
    if kind in ("input", "definition", "obligation", "norm"):
        return term_ref(symbol.agreement, name)  # a reader takes (env, loc) itself
    if kind == "action":
        missing = Unknown(frozenset({f"the proposed {name}"}))

        def action(env, loc):
            proposed = env.action
            return proposed[1] if proposed is not None and proposed[0] == name else missing
        return action
    if kind == "builtin":
        if name == "as_of":
            return lambda env, loc: env.as_of
        dated = scope.agreement.dated or NONE
        return lambda env, loc: dated
    value = member_value(name, symbol.type) if kind == "member" else name  # else a party
    return lambda env, loc: value


PLAIN = frozenset({Decimal, int, dt.date, str})  # operands the operators take as they are
# ... and the arguments a function takes as they are: those, schedules and dated series
PLAIN_ARGUMENTS = PLAIN | {Schedule, Series}
_OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
              "!=": operator.ne, "+": operator.add, "-": operator.sub, "*": operator.mul}


def _binary(expr: ast.Binary, left, right, business):
    op = expr.op
    if op in ("and", "or"):
        decisive = op == "or"

        def logic(env, loc):
            a = left(env, loc)
            if a is decisive:
                return decisive
            if a is NONE:  # in a condition, none counts as false
                a = False
                if decisive is False:
                    return False
            b = right(env, loc)
            if b is NONE:
                b = False
            if b is decisive:
                return decisive
            if a.__class__ is Unknown or b.__class__ is Unknown:
                return merge_unknown(a, b)
            return not decisive
        return logic
    apply = binary_values(op, expr.span, business)

    def binary(env, loc):
        return apply(env, left(env, loc), right(env, loc))
    return binary


def binary_values(op: str, span, business):
    """A function `(env, a, b)`: `a op b` (not `and`/`or`) for two computed operands of
    any kind — numbers and dates as they are, `none`, unknowns with their bounds,
    durations (in business days on the calendar `business(env)` gives); arithmetic
    checked against the limit of exact numbers."""
    comparison = op in COMPARE
    quick = _OPERATORS.get(op)

    def general(env, a, b):
        if a is NONE or b is NONE:
            return none_operand(op, a, b)
        if a.__class__ is Unknown or b.__class__ is Unknown:
            return unknown_operand(op, a, b, lambda: business(env))
        if comparison:
            if a.__class__ is ast.Duration:
                if a.unit != b.unit:
                    raise EvaluationProblem(f"cannot compare {a} with {b}", span,
                                            hint="compare durations of the same unit")
                return quick(a.amount, b.amount)
            return quick(a, b)
        if isinstance(a, dt.date):
            if b.__class__ is ast.Duration:
                return shifted_date(a, b, 1 if op == "+" else -1, lambda: business(env))
            return ast.Duration((a - b).days, "day")
        if op == "*":
            if a.__class__ is ast.Duration:
                return ast.Duration(a.amount * b, a.unit)
            if b.__class__ is ast.Duration:
                return ast.Duration(b.amount * a, b.unit)
        if op == "/":
            return Decimal(a) / Decimal(b)
        return quick(a, b)

    if comparison:
        def compare(env, a, b):
            if a.__class__ in PLAIN and b.__class__ in PLAIN:
                return quick(a, b)
            return general(env, a, b)
        return compare
    numeric = op in ("+", "-", "*")

    def arithmetic(env, a, b):
        try:
            if numeric and (a.__class__ is Decimal or a.__class__ is int) \
                    and (b.__class__ is Decimal or b.__class__ is int):
                return bounded_number(quick(a, b), span)
            return bounded_number(general(env, a, b), span)
        except FAILURES as failure:
            raise failure_problem(failure, span) from None
    return arithmetic


def _unary(op: str, operand):
    if op == "not":
        def negation(env, loc):
            value = truth(operand(env, loc))
            return value if value.__class__ is Unknown else not value
        return negation

    def minus(env, loc):
        value = operand(env, loc)
        if value.__class__ is Unknown or value is NONE:
            return value
        return ast.Duration(-value.amount, value.unit) if value.__class__ is ast.Duration else -value
    return minus


def _if(condition, then, otherwise):
    def choice(env, loc):
        test = truth(condition(env, loc))
        if test.__class__ is Unknown:  # either branch: what both allow
            return one_of(test.needs, [then(env, loc), otherwise(env, loc)])
        return then(env, loc) if test is True else otherwise(env, loc)
    return choice


def _member(element, options):
    def member(env, loc):
        value = element(env, loc)
        if value.__class__ is Unknown or value is NONE:
            return value if value.__class__ is Unknown else False
        given = [o(env, loc) for o in options]
        if value in [o for o in given if not isinstance(o, Unknown)]:
            return True
        unknown = [o for o in given if isinstance(o, Unknown)]
        return merge_unknown(*unknown) if unknown else False
    return member


def _contains(element, collection):
    def contains(env, loc):
        value, values = element(env, loc), collection(env, loc)
        if isinstance(value, Unknown) or isinstance(values, Unknown):
            return merge_unknown(value, values)
        if value is NONE or values is NONE:
            return False
        return value in values
    return contains


def _is_none(operand, negated: bool):
    def is_none(env, loc):
        value = operand(env, loc)
        if value.__class__ is Unknown:
            return value
        return (value is not NONE) if negated else (value is NONE)
    return is_none


def _call(func: str, arguments, span, scope, term_ref, counted: bool):
    """A call of a builtin; `counted` inside a comprehension, where the lists it is
    given count against the limit of steps (see `_listed`)."""
    builtin = BUILTINS[func]
    compute = builtin.compute
    if counted:
        arguments = [_listed(a) for a in arguments]
    if builtin.uses_calendar:
        arguments, compute = compiled_time.with_calendar(arguments, compute,
                                                         compiled_time.calendar_reader(scope, term_ref))
    if builtin.three_valued:
        return compiled_time.three_valued_call(compute, arguments, span)
    apply = call_values(func, span, compute)

    def call(env, loc):
        return apply([a(env, loc) for a in arguments])
    return call


def _listed(argument):
    """An argument of a function inside a comprehension, counted as the explaining
    evaluator counts it: a list a step an element. Outside comprehensions a function
    runs once an evaluation of its term, over lists no longer than the facts' (or a
    counted comprehension's): its work cannot multiply, and is not counted."""
    def counted(env, loc):
        value = argument(env, loc)
        if value.__class__ is tuple:
            count_steps(env, len(value))
        return value
    return counted


def count_steps(env, steps: int) -> None:
    """`steps` more taken in the evaluation `env`; past the limit, OverSteps."""
    env.steps += steps
    if env.steps > EVALUATION_STEPS:
        raise OverSteps


def call_values(func: str, span, compute=None):
    """The builtin `func` (not a three-valued one) applied to computed arguments (a
    list), of any kind: `none` events passed over where the function skips them,
    unknowns with their bounds; its failures reported at `span`. `compute` is the
    function's computation where it is not the builtin's own (one given the calendar)."""
    compute, skips_none = compute or BUILTINS[func].compute, BUILTINS[func].skips_none
    extreme = EXTREMES.get(func)

    def general(args):
        flat = [x for a in args for x in (a if a.__class__ is tuple else (a,))]
        if any(a.__class__ is Unknown for a in flat):
            present = [a for a in flat if a is not NONE] if skips_none else flat
            if extreme is not None and NONE not in present:
                return extreme(present)
            if func == "clamp" and NONE not in flat:
                return bounds.clamped(*args)
            return merge_unknown(*flat)
        if any(a is NONE for a in flat):
            if not skips_none:
                return NONE
            # Pass over the none events, whether given one by one or inside a list.
            args = [tuple(x for x in a if x is not NONE) if isinstance(a, tuple) else a
                    for a in args if a is not NONE]
            if not any(a != () for a in args):
                return NONE
        return compute(*args)

    def apply(args):
        try:
            for a in args:
                if a.__class__ not in PLAIN_ARGUMENTS and not (a.__class__ is tuple and plain_list(a)):
                    return bounded_number(general(args), span)
            return bounded_number(compute(*args), span)
        except FAILURES as failure:
            raise failure_problem(failure, span) from None
    return apply


def plain_list(values: tuple) -> bool:
    """Whether a list holds neither `none` nor an unknown (a function takes it as it is)."""
    return _IMPURE.isdisjoint(map(type, values))  # by class: `==` on a Decimal is slow


_IMPURE = frozenset({type(NONE), Unknown})


def expression_size(expr, items: bool = True) -> int:
    """The number of expression nodes in `expr`; with `items` false, a comprehension
    inside counts only itself and its source (its items are counted as it runs)."""
    if isinstance(expr, tuple):
        return sum(expression_size(e, items) for e in expr)
    if not isinstance(expr, ast.Node) or isinstance(expr, ast.Citation):
        return 0
    if not items and isinstance(expr, ast.Comprehension):
        return 1 + expression_size(expr.source, items)
    return 1 + sum(expression_size(getattr(expr, f.name), items) for f in fields(expr) if f.name != "span")


def item_steps(comprehension: ast.Comprehension) -> int:
    """About how many steps the explaining evaluator takes for each item of a
    comprehension: one a node of its element and condition. Counting too many only
    leaves a question to the explaining evaluator sooner; it answers the same."""
    return max(1, expression_size((comprehension.element, comprehension.condition), items=False))


def _comprehension(variable: str, source, element, condition, steps: int):
    def comprehension(env, loc):
        items = source(env, loc)
        if items.__class__ is Unknown or items is NONE:
            return items
        count_steps(env, len(items) * steps)
        out = []
        for item in items:
            inner = {**loc, variable: item} if loc else {variable: item}
            if condition is not None:
                test = condition(env, inner)
                if test.__class__ is Unknown:
                    return test
                if test is not True:
                    continue
            out.append(element(env, inner))
        return tuple(out)
    return comprehension
