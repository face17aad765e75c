"""The items schedules give a timeline: one for each instance of a recurring
obligation (its own deadline, status and performance) and one for each date of a
schedule-typed term (an Interest Payment Date, a record date).

A schedule that ends is listed whole; one that never ends, up to a horizon (the end
of the range asked for, else a year after the as-of date)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from dsl import ast
from dsl.errors import EvaluationProblem
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.values import Unknown
from interpreter.reports.timeline_items import Item, citation_refs, describe_term, failed_item
from interpreter.static import types as T
from interpreter.static.scope import Scope

HORIZON = dt.timedelta(days=366)


def schedule_items(evaluator: Evaluator, horizon: dt.date) -> list[Item]:
    """Every instance of every recurring obligation and every date of every
    schedule-typed term of the version the evaluator reads. A scheduled date that is
    an instance's deadline (same agreement, same day, a section in common: the
    schedule the obligation recurs on) is folded into that instance."""
    items: list[Item] = []
    for scope in evaluator.model.scopes.values():
        instances = [i for decl in scope.obligations.values() if decl.every is not None
                     for i in _guarded(instance_items, evaluator, scope, decl, horizon)]
        for name, decl in scope.definitions.items():
            if scope.declared[name] != T.SCHEDULE:
                continue
            for dated in _guarded(scheduled_items, evaluator, scope, decl, horizon):
                owner = next((n for n, i in enumerate(instances) if dated.date is not None and i.date == dated.date
                              and citation_refs(i.citation) & citation_refs(dated.citation)), None)
                if owner is None:
                    items.append(dated)
                elif name not in instances[owner].also:
                    instances[owner] = replace(instances[owner], also=instances[owner].also + (name,))
        items.extend(instances)
    return items


def _guarded(items, evaluator: Evaluator, scope: Scope, decl, horizon: dt.date) -> list[Item]:
    """The items of one declaration; one `error` item when the agreement does not settle them."""
    try:
        return items(evaluator, scope, decl, horizon)
    except EvaluationProblem as problem:
        what, who = (decl.action, decl.party) if isinstance(decl, ast.Obligation) else (describe_term(scope, decl), None)
        return [failed_item(scope, decl, "deadline" if who else "date", what, who, str(getattr(decl, "citation", "")),
                            problem)]


def _periods(schedule, horizon: dt.date):
    length = schedule.length()
    if length == 0:
        return []
    last = schedule.period(length - 1).date if length is not None else horizon
    return list(schedule.periods_between(schedule.period(0).date, last))


def instance_items(evaluator: Evaluator, scope: Scope, decl: ast.Obligation, horizon: dt.date) -> list[Item]:
    """One item per period of a recurring obligation: its deadline, status (met with
    the performance matched to it, missed, pending, not triggered) and who must act.
    An unknown schedule is one item, with the facts it needs."""
    schedule = evaluator.evaluate_expression(scope.id, decl.every, T.SCHEDULE).value
    key = f"{scope.id}.{decl.name}"
    if isinstance(schedule, Unknown):
        return [Item(key, scope.id, decl.name, "deadline", None, decl.action, decl.party, str(decl.citation),
                     "unknown", needs=tuple(sorted(schedule.needs)))]
    if not hasattr(schedule, "periods_between"):  # none: the date it runs from does not happen
        return []
    periods = _periods(schedule, horizon)
    if not periods:
        return []
    items = []
    for instance in evaluator.instances(scope.id, decl.name, periods[0].date, periods[-1].date):
        period = instance.period
        deadline = instance.deadline if isinstance(instance.deadline, dt.date) else None
        status, needs = instance.status, ()
        if isinstance(status, Unknown):
            status, needs = "unknown", tuple(sorted(status.needs))
        items.append(Item(
            f"{key}#{period.number}", scope.id, decl.name, "deadline", deadline,
            f"{decl.action} (period {period.number}, {period.start.isoformat()} to {period.end.isoformat()})",
            decl.party, str(decl.citation), status,
            done=instance.done if isinstance(instance.done, dt.date) else None, needs=needs))
    return items


def scheduled_items(evaluator: Evaluator, scope: Scope, decl: ast.Definition, horizon: dt.date) -> list[Item]:
    """One item per date of a schedule-typed term."""
    derivation = evaluator.derive(scope.id, decl.name)
    schedule = derivation.value
    what = describe_term(scope, decl)
    key = f"{scope.id}.{decl.name}"
    if isinstance(schedule, Unknown):
        return [Item(key, scope.id, decl.name, "date", None, what, None, derivation.citation, "unknown",
                     needs=tuple(derivation.needs))]
    if not hasattr(schedule, "periods_between"):
        return []
    return [Item(f"{key}#{p.number}", scope.id, decl.name, "date", p.date, f"{what} #{p.number}", None,
                 derivation.citation, "passed" if p.date <= evaluator.as_of else "upcoming")
            for p in _periods(schedule, horizon)]
