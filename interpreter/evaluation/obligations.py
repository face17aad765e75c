"""The status of a one-time obligation as of a date: not triggered, pending, met or
missed, with its deadline — settled from what is known of an unknown deadline where
that suffices (a deadline at most a past date has passed). Recurring obligations are
in `recurring.py`."""
from __future__ import annotations

from dsl import ast
from dsl.errors import EvaluationProblem
from interpreter.evaluation import bounds, calendar
from interpreter.evaluation.semantics import order, unknown_deadline
from interpreter.evaluation.values import NONE, Unknown


def one_time_status(evaluator, scope, decl: ast.Obligation, frame):
    """(status, deadline, done, why) of `decl` as of the evaluator's date; the status
    is unknown (with what would decide it) when the facts do not settle it."""
    if decl.condition is not None:
        test = evaluator.evaluate_in(decl.condition, scope, {}, frame)
        if isinstance(test, Unknown):
            return _outcome(test, why="its condition cannot be decided yet")
        if test is not True:
            return _outcome("not_triggered", why="its condition does not hold")
    deadline: object = NONE
    if decl.within is not None:
        start = evaluator.evaluate_in(decl.after, scope, {}, frame)
        span = evaluator.evaluate_in(decl.within, scope, {}, frame)
        if isinstance(span, Unknown):
            return _outcome(span, why="how long it runs is unknown")
        if start is NONE:
            return _outcome("not_triggered", why="the event it runs from has not happened")
        started = order("<=", start, evaluator.as_of)
        if started is False:
            return _outcome("not_triggered", why="the event it runs from has not happened")
        if started is None:
            return _outcome(start, why="the date it runs from is unknown")
        business = evaluator.business_calendar(scope, frame) if span.unit == "business_day" else None
        if isinstance(business, Unknown):
            return _outcome(business, why="the business-day calendar's closures are unknown")
        try:
            deadline = (bounds.shifted(start, lambda d: calendar.add_duration(d, span, 1, business))
                        if isinstance(start, Unknown) else calendar.add_duration(start, span, 1, business))
        except calendar.DateOutOfRange as failure:
            raise EvaluationProblem(f"the deadline of `{decl.name}`: {failure}", decl.within.span) from None
    elif decl.by is not None:
        deadline = evaluator.evaluate_in(decl.by, scope, {}, frame)
    done = evaluator.evaluate_in(decl.done, scope, {}, frame) if decl.done is not None else NONE
    if isinstance(done, Unknown):
        return _outcome(done, deadline, why="whether it was done is unknown")
    if done is not NONE and done <= evaluator.as_of:
        on_time = True if deadline is NONE else order("<=", done, deadline)
        if on_time is None:
            return _outcome(unknown_deadline(deadline), deadline, done,
                          why=f"done on {done.isoformat()}; whether by the deadline is unknown")
        return _outcome("met" if on_time else "missed", deadline, done, why="done on " + done.isoformat())
    past = False if deadline is NONE else order(">", evaluator.as_of, deadline)
    if past is None:
        return _outcome(unknown_deadline(deadline), deadline, why="not yet done; its deadline is unknown")
    if past:
        return _outcome("missed", deadline, why="not done by the deadline")
    return _outcome("pending", deadline, why="not yet done; the deadline has not passed")


def _outcome(status, deadline=NONE, done=NONE, why=""):
    return status, deadline, done, why


def one_time_value(status, deadline, done, why: str):
    """(value, why) of a one-time obligation from its status: the `obligation` record,
    or, while the status is unknown, an unknown that keeps what would decide it (bounds
    belong to dates, not statuses). A bounded unknown deadline is described in `why`."""
    if isinstance(deadline, Unknown) and deadline.bounded:
        why += f" (the deadline is unknown but {bounds.describe(deadline)})"
    if isinstance(status, Unknown):
        return Unknown(status.needs), why
    return {"status": status, "deadline": deadline, "done": done, "triggered": status != "not_triggered"}, why
