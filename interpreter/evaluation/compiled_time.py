"""The forms of time in the fast back end: schedules, dated series read at a date,
functions on the agreement's business-day calendar, business-day durations, and
obligations (one-time and recurring, `every period of S`).

Nothing here decides anything the explaining evaluator does not: the closures call
the same functions it calls (`time_values`, `obligations.one_time_status`,
`recurring.status`), through `Evaluation`, which gives those functions what they ask
of an evaluator (`as_of`, `evaluate_in`, `business_calendar`) from compiled closures.
Errors are reported as the explaining evaluator reports them, at the expression that
computed the failing value."""
from __future__ import annotations

from dsl import ast
from interpreter.evaluation import obligations, recurring, time_values
from interpreter.evaluation.semantics import FAILURES, bounded_number, failure_problem

def calendar_reader(scope, term_ref):
    """A closure `business(env)`: the agreement's business-day calendar in `env`, with
    the closures its facts give (unknown while they are); computed once per env."""
    key, closures = ("calendar", scope.id), scope.agreement.closures
    read_closures = []  # the closures input's reader, looked up when first needed

    def business(env):
        found = env.memo.get(key)
        if found is None:
            value = None
            if closures:
                if not read_closures:
                    read_closures.append(term_ref(scope.id, closures))
                value = read_closures[0](env, None)
            found = env.memo[key] = time_values.business_calendar(scope.agreement, value)
        return found
    return business


def with_calendar(arguments, compute, business):
    """The argument closures and the computation of a function of the agreement's
    calendar: the calendar is read after the arguments, as the explaining evaluator
    reads it, and given to `compute` first."""
    return [*arguments, lambda env, loc: business(env)], lambda *args: compute(args[-1], *args[:-1])


def three_valued_call(compute, arguments, span):
    """A function that sees unknown arguments itself (`any`, `all`): its arguments as they are."""
    def call(env, loc):
        args = [a(env, loc) for a in arguments]
        try:
            return bounded_number(compute(*args), span)
        except FAILURES as failure:
            raise failure_problem(failure, span) from None
    return call


def schedule(expr: ast.ScheduleExpr, compile_part, business):
    """`every STEP from FIRST ...`: the Schedule it describes (see time_values.schedule).
    The calendar and then the parts are computed before the schedule is built, in the
    explaining evaluator's order; a failure in building it is reported at `expr`."""
    nodes = [node for node in (expr.first, expr.step, expr.until, expr.count, expr.since, expr.shift)
             if node is not None]
    parts = [(id(node), compile_part(node)) for node in nodes]
    span = expr.span
    # A schedule written with dates and numbers only is the same in every evaluation
    # on the same calendar: kept by calendar (an agreement has one, or one per set of
    # closures its facts give).
    constant = {} if all(isinstance(node, ast.Literal) for node in nodes) else None

    def every(env, loc):
        days = business(env)
        if constant is not None and days in constant:
            return constant[days]
        values = {key: part(env, loc) for key, part in parts}
        try:
            made = time_values.schedule(expr, lambda node: values[id(node)], days)
        except FAILURES as failure:
            raise failure_problem(failure, span) from None
        if constant is not None and len(constant) < _KEPT:
            constant[days] = made
        return made
    return every


_KEPT = 16  # schedules kept by calendar, for one schedule expression


def read_at(series, day, span):
    """`S at D`: the value in effect on D."""
    def at(env, loc):
        s, d = series(env, loc), day(env, loc)
        try:
            return bounded_number(time_values.read_at(s, d), span)
        except FAILURES as failure:
            raise failure_problem(failure, span) from None
    return at


class Evaluation:
    """What `obligations.one_time_status` and `recurring.status` ask of an evaluator,
    answered in one env from the compiled closures of an obligation's expressions."""

    __slots__ = ("_business", "_closures", "_env", "as_of")

    def __init__(self, env, closures: dict, business):
        self._env, self._closures, self._business, self.as_of = env, closures, business, env.as_of

    def evaluate_in(self, expr, scope, local, frame):
        return self._closures[id(expr)](self._env, local or None)

    def business_calendar(self, scope, frame):
        return self._business(self._env)


def obligation(scope, decl: ast.Obligation, compile_part, business):
    """A closure `compute(env)` giving (value, citation, why) of an obligation: one-time,
    or recurring (`every period of S`: one instance per period, each with its deadline,
    status and matched performance). `compile_part(expr, local names)` compiles one of
    its expressions."""
    # A recurring obligation's condition and deadline are read with `period` naming the period.
    local = frozenset({"period"}) if decl.every is not None else frozenset()
    closures = {id(node): compile_part(node, frozenset()) for node in (decl.every, decl.done) if node is not None}
    closures.update({id(node): compile_part(node, local) for node in (decl.condition, decl.after, decl.within, decl.by)
                     if node is not None})
    citation = str(decl.citation)
    if decl.every is not None:
        def every_period(env):
            value, why = recurring.status(Evaluation(env, closures, business), scope, decl, None)
            return value, citation, why
        return every_period

    def one_time(env):
        outcome = obligations.one_time_status(Evaluation(env, closures, business), scope, decl, None)
        value, why = obligations.one_time_value(*outcome)
        return value, citation, why
    return one_time
