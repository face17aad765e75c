"""Recurring obligations: `obligation NAME: PARTY must "..." every period of SCHEDULE`.

Each period of the schedule is one *instance* of the obligation, with its own
deadline (`by DATE` or `within DURATION after DATE`, read with `period` naming the
period; the period's date when neither is given), its own condition (`when ...`, which
may read `period`), its own status and its own evidence. `done` is the list of dated
performances, records with `period` (the date of the period it is for: the period's
date, nominal date or end) and `date` (the day it was performed). The stated rule: a
performance is matched to the period it names, never to another, and meets the
instance when it was made by the instance's deadline (and by the evaluation date).

Status of an instance, as of the evaluation date:
  not_triggered  its period has not begun, or its condition does not hold;
  met            a performance for the period was made by the deadline;
  missed         the deadline passed without one (a late performance is still
                 missed; its date is the instance's `done`);
  pending        the period has begun, the deadline has not passed, not yet done.

Public API (for the timeline and compliance calendars): `Evaluator.instances(agreement,
name, start, end)` returns the `Instance`s whose period's date falls from `start` to
`end` (by default every period of a schedule that ends; of an endless one, those
begun and those of the coming year), each with its period, deadline, status, matched performance, an explanation
and the obligation's citation. The obligation's value (`eval`) is a `recurring
obligation` record: overall status, the instances pending, every missed instance and
the number met.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from dsl import ast
from dsl.errors import EvaluationProblem
from interpreter.evaluation import calendar
from interpreter.evaluation.schedules import Period, Schedule
from interpreter.evaluation.values import NONE, Unknown, merge_unknown

_DAY = dt.timedelta(days=1)
_YEAR = dt.timedelta(days=366)


@dataclass(frozen=True)
class Instance:
    """One period's instance of a recurring obligation."""

    obligation: str          # agreement.name
    period: Period
    deadline: object         # date, none or Unknown
    status: object           # not_triggered, pending, met, missed, or Unknown
    done: object             # the matched performance's date, or none
    evidence: dict | None    # the matched performance
    why: str
    citation: str

    @property
    def number(self) -> int:
        return self.period.number

    def record(self) -> dict:
        """The instance as the language's `instance` record."""
        p = self.period
        return {"number": p.number, "date": p.date, "nominal": p.nominal, "start": p.start, "end": p.end,
                "deadline": self.deadline, "status": self.status, "done": self.done}

    def describe(self) -> str:
        p = self.period
        status = "unknown" if isinstance(self.status, Unknown) else self.status
        due = f", due {self.deadline.isoformat()}" if isinstance(self.deadline, dt.date) else ""
        return (f"period {p.number} ({p.start.isoformat()} to {p.end.isoformat()}, date {p.date.isoformat()})"
                f"{due}: {status} - {self.why}")


class _Run:
    """The evaluation of one recurring obligation against one evaluator."""

    def __init__(self, evaluator, scope, decl: ast.Obligation, frame):
        self.evaluator, self.scope, self.decl, self.frame = evaluator, scope, decl, frame
        self.name = f"{scope.id}.{decl.name}"
        self._performed: tuple | None = None

    def ev(self, expr, local=None):
        return self.evaluator.evaluate_in(expr, self.scope, local or {}, self.frame)

    def schedule(self):
        return self.ev(self.decl.every)

    def performances(self):
        if self.decl.done is None:
            return ()
        value = self.ev(self.decl.done)
        return value if isinstance(value, Unknown) else tuple(p for p in (value or ()) if p is not NONE)

    def instance(self, period: Period, performances) -> Instance:
        decl, as_of = self.decl, self.evaluator.as_of
        local = {"period": period.record()}

        def made(status, deadline=NONE, done=NONE, evidence=None, why=""):
            return Instance(self.name, period, deadline, status, done, evidence, why, str(decl.citation))

        if period.start > as_of:  # its deadline is still known, for a calendar of the days to come
            return made("not_triggered", self._deadline(period, local), why="its period has not begun")
        if decl.condition is not None:
            test = self.ev(decl.condition, local)
            if isinstance(test, Unknown):
                return made(test, why="its condition cannot be decided yet")
            if test is not True:
                return made("not_triggered", why="its condition does not hold for this period")
        deadline = self._deadline(period, local)
        if isinstance(deadline, Unknown) or deadline is NONE:
            return made(deadline, deadline, why="its deadline is unknown")
        if isinstance(performances, Unknown):
            return made(performances, deadline, why="the performances are unknown")
        by_period = self.performed(performances)
        matched = [p for _, p in sorted((entry for day in {period.date, period.nominal, period.end}
                                         for entry in by_period.get(day, ())), key=lambda e: (e[1]["date"], e[0]))]
        if matched and matched[0]["date"] <= deadline:
            first = matched[0]
            return made("met", deadline, first["date"], first,
                        f"performed on {first['date'].isoformat()} for {first['period'].isoformat()}")
        if as_of > deadline:
            if matched:
                late = matched[0]
                return made("missed", deadline, late["date"], late,
                            f"performed late, on {late['date'].isoformat()}")
            return made("missed", deadline, why="no performance for this period by the deadline")
        return made("pending", deadline, why="not yet performed; the deadline has not passed")

    def performed(self, performances) -> dict:
        """The performances made by the evaluation date, by the period they name, each
        with its place in the list (the first of two on one day is the one matched);
        worked out once per run."""
        if self._performed is None or self._performed[0] is not performances:
            by_period: dict = {}
            for number, p in enumerate(performances):
                if isinstance(p.get("date"), dt.date) and p["date"] <= self.evaluator.as_of:
                    by_period.setdefault(p.get("period"), []).append((number, p))
            self._performed = (performances, by_period)
        return self._performed[1]

    def _deadline(self, period: Period, local):
        decl = self.decl
        if decl.within is not None:
            start, span = self.ev(decl.after, local), self.ev(decl.within, local)
            if isinstance(start, Unknown) or isinstance(span, Unknown):
                return merge_unknown(start, span)
            if start is NONE:
                return NONE
            business = self.evaluator.business_calendar(self.scope, self.frame) \
                if span.unit == "business_day" else None
            if isinstance(business, Unknown):
                return business
            try:
                return calendar.add_duration(start, span, 1, business)
            except calendar.DateOutOfRange as failure:
                raise EvaluationProblem(f"the deadline of `{decl.name}`: {failure}", decl.within.span) from None
        if decl.by is not None:
            return self.ev(decl.by, local)
        return period.date

    def begun(self, schedule: Schedule):
        """The periods begun by the evaluation date."""
        k, as_of = 0, self.evaluator.as_of
        while schedule.length() is None or k < schedule.length():
            period = schedule.period(k)
            if period.start > as_of:
                return
            yield period
            k += 1


def evaluate(evaluator, scope, decl: ast.Obligation, frame):
    """(value, why, notes) of a recurring obligation as of the evaluator's date."""
    value, why, seen = _evaluated(evaluator, scope, decl, frame)
    if seen is None:
        return value, why, ()
    schedule, found, stray = seen
    notes = [f"{decl.party} must {decl.action}, every period of {schedule.describe()}"]
    notes += [i.describe() for i in found]
    notes += [f"a performance for {p.get('period')} (on {p.get('date')}) is for no period of the schedule"
              for p in stray]
    return value, why, tuple(notes)


def status(evaluator, scope, decl: ast.Obligation, frame):
    """(value, why) of a recurring obligation, as `evaluate` gives them, without the
    notes that explain them (the fast back end's question)."""
    value, why, _ = _evaluated(evaluator, scope, decl, frame)
    return value, why


def _evaluated(evaluator, scope, decl: ast.Obligation, frame):
    """(value, why, (schedule, instances, performances for no period)), the last None
    when there is no schedule to run."""
    with _within_calendar(decl):
        return _run_periods(_Run(evaluator, scope, decl, frame))


def _run_periods(run: _Run):
    schedule = run.schedule()
    if isinstance(schedule, Unknown):
        return schedule, "its schedule is unknown", None
    if schedule is NONE:
        return _summary([]), "it has no schedule (the date it runs from is none)", None
    performances = run.performances()
    found = [run.instance(p, performances) for p in run.begun(schedule)]
    stray: list = []
    if not isinstance(performances, Unknown):
        covered = {day for i in found for day in (i.period.date, i.period.nominal, i.period.end)}
        stray = [p for p in performances
                 if p.get("period") not in covered and not _scheduled(schedule, p.get("period"))]
    counts = {s: sum(1 for i in found if i.status == s) for s in ("met", "missed", "pending")}
    why = (f"{len(found)} period{'s' if len(found) != 1 else ''} begun: {counts['met']} met, "
           f"{counts['missed']} missed, {counts['pending']} pending")
    return _summary(found), why, (schedule, found, stray)


def _scheduled(schedule: Schedule, day) -> bool:
    if not isinstance(day, dt.date):
        return False
    found = schedule.next_on_or_after(day)
    return found is not None and day in (found.date, found.nominal, found.end)


def _summary(found: list[Instance]):
    """The obligation's value; unknown while one instance's status is (the lists of
    missed and pending instances would be incomplete)."""
    unknown = [i.status for i in found if isinstance(i.status, Unknown)]
    if unknown:
        return merge_unknown(*unknown)
    missed = [i.record() for i in found if i.status == "missed"]
    pending = [i.record() for i in found if i.status == "pending"]
    met = sum(1 for i in found if i.status == "met")
    if missed:
        status = "missed"
    elif pending:
        status = "pending"
    else:
        status = "met" if met else "not_triggered"
    return {"status": status, "pending": tuple(pending), "missed": tuple(missed), "met": met}


def instances(evaluator, scope, decl: ast.Obligation, frame, start: dt.date | None = None,
              end: dt.date | None = None) -> list[Instance]:
    """The instances whose period's date falls from `start` to `end` (by default: every
    period of a schedule that ends; of an endless one, the periods begun by the
    evaluation date and those dated in the year after it), each with its status as
    of the evaluation date."""
    with _within_calendar(decl):
        return _instances(_Run(evaluator, scope, decl, frame), start, end)


def _instances(run: _Run, start: dt.date | None, end: dt.date | None) -> list[Instance]:
    as_of = run.evaluator.as_of
    schedule = run.schedule()
    if isinstance(schedule, Unknown) or schedule is NONE:
        return []
    performances = run.performances()
    if start is None and end is None:
        length = schedule.length()
        periods = schedule.periods() if length is not None else [
            *run.begun(schedule), *schedule.periods_between(as_of + _DAY, as_of + _YEAR)]
        periods = list({p.number: p for p in periods}.values())
    else:
        first = start or schedule.period(0).date
        last = end or as_of
        periods = list(schedule.periods_between(first, last))
    return [run.instance(p, performances) for p in periods]


@contextmanager
def _within_calendar(decl: ast.Obligation):
    """A period of the schedule that falls beyond the calendar's years (the expressions'
    own dates are reported where they are computed) is a problem with the schedule."""
    try:
        yield
    except calendar.DateOutOfRange as failure:
        raise EvaluationProblem(f"the periods of `{decl.name}`: {failure}", decl.every.span,
                                hint="check the dates its schedule runs from and to") from None
