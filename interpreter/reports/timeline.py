"""`covenant timeline`: every dated item of a deal, in date order, each from the
version of the deal in force on its date, with its status as of one date.

The deal changes over time — an agreement begins, a restatement replaces another,
an amendment patches one (perhaps only when the facts say so). The timeline
compiles each version once (one per day something begins), evaluates its items as
of the as-of date, and keeps each item from the version in force on the item's own
date. An item whose date falls after the version that had it ended is shown as no
longer in force, with what removed it (the restatement, or the amending section)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable

from dsl import ast
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase
from interpreter.reports.timeline_items import Item, agreement_items, fold, version_items
from interpreter.reports.timeline_schedules import HORIZON, schedule_items
from interpreter.reports.timeline_thresholds import threshold_items
from interpreter.static import types as T
from interpreter.static.model import Model, compile_deal
from interpreter.versions.lineage import as_of as version_as_of, begins


@dataclass(frozen=True)
class Period:
    """One version of the deal and the days it is in force: [start, end)."""

    start: dt.date
    end: dt.date | None
    model: Model
    items: dict[str, Item]


@dataclass(frozen=True)
class Timeline:
    as_of: dt.date
    start: dt.date | None   # --from
    end: dt.date | None     # --to
    items: tuple[Item, ...]

    @property
    def dated(self) -> list[Item]:
        return [i for i in self.items if i.date is not None]

    @property
    def undated(self) -> list[Item]:
        return [i for i in self.items if i.date is None]

    @property
    def pending_date(self) -> list[Item]:
        """Undated items whose date is still to be known: unknown, or known only by bounds."""
        return [i for i in self.undated if i.status == "unknown" or i.earliest or i.latest]

    @property
    def problems(self) -> list:
        """What the agreement does not settle, once each: the reason of each `error` item."""
        return list({(i.problem.message, str(i.problem.span)): i.problem
                     for i in self.items if i.problem is not None}.values())

    @property
    def missed(self) -> list[Item]:
        return [i for i in self.items if i.missed]


def build_timeline(written: Model, facts_for: Callable[[Model], FactBase], as_of: dt.date,
                   start: dt.date | None = None, end: dt.date | None = None,
                   readings: frozenset[str] = frozenset(),
                   compile: Callable = compile_deal) -> Timeline:
    """The timeline of a deal (`written`, as checked) for the facts: `facts_for(model)`
    reads them against one version. `start`/`end` keep the items dated between them
    (and those whose date is not known yet)."""
    deciding = facts_for(written)
    # The horizon of endless schedules: a year past the as-of date, the calendar's end at most.
    horizon = end or (as_of + HORIZON if as_of <= dt.date.max - HORIZON else dt.date.max)
    periods = _periods(written, deciding, facts_for, as_of, readings, compile, horizon)
    chosen = [_choose(key, periods, as_of) for key in dict.fromkeys(k for p in periods for k in p.items)]
    chosen += agreement_items(written, Evaluator(written, deciding, as_of, readings=readings), as_of)
    # An item with no date that is no longer in force on the as-of date is not on the calendar.
    kept = [i for i in chosen if _in_range(i, start, end)
            and not (i.date is None and i.status == "no_longer_in_force")]
    order = {aid: n for n, aid in enumerate(written.deal.agreements)}
    kept.sort(key=lambda i: (i.date or i.earliest or i.latest or dt.date.max, i.kind != "agreement",
                             order.get(i.agreement, 0), i.name))
    return Timeline(as_of, start, end, tuple(kept))


def _periods(written: Model, deciding: FactBase, facts_for, as_of, readings, compile, horizon) -> list[Period]:
    deal = written.deal
    days = sorted({d for d in (begins(a) for a in deal.agreements.values()) if d is not None})
    periods: list[Period] = []
    compiled: dict[tuple, Model] = {}
    for n, day in enumerate(days):
        version = version_as_of(deal, day, _effective(written, deciding, day))
        if not version.agreements:
            continue
        key = tuple((aid, id(a)) for aid, a in sorted(version.agreements.items()))
        if periods and key == periods[-1][0]:
            continue
        if key not in compiled:
            unchanged = version.agreements.keys() == deal.agreements.keys() and all(
                version.agreements[k] is deal.agreements[k] for k in deal.agreements)
            compiled[key] = written if unchanged else compile(version)
        periods.append((key, day, compiled[key]))
    result = []
    for n, (_, day, model) in enumerate(periods):
        evaluator = Evaluator(model, facts_for(model), as_of, readings=readings)
        found = fold(version_items(evaluator), threshold_items(evaluator)) + schedule_items(evaluator, horizon)
        items = {i.key: i for i in found}
        result.append(Period(day, periods[n + 1][1] if n + 1 < len(periods) else None, model, items))
    return result


def _effective(written: Model, facts: FactBase, day: dt.date):
    """Has a conditional amendment taken effect by `day`? A condition the facts do not
    settle counts as not (the timeline shows the amendment's own item as unknown)."""
    evaluator = Evaluator(written, facts, day)

    def effective(amendment: ast.Agreement) -> bool:
        if amendment.effective_when is None:
            return True
        return evaluator.evaluate_expression(amendment.id, amendment.effective_when, T.BOOL).value is True
    return effective


def _choose(key: str, periods: list[Period], as_of: dt.date) -> Item:
    """The item from the version in force on its date; after the last version that
    has it, marked no longer in force."""
    having = [(n, p) for n, p in enumerate(periods) if key in p.items]
    day_of = lambda p: p.items[key].date or as_of  # an undated item: the version of the as-of date  # noqa: E731
    inside = [(n, p) for n, p in having if p.start <= day_of(p) and (p.end is None or day_of(p) < p.end)]
    if inside:
        n, period = inside[0]
        return _noted(period.items[key], period.model)
    earlier = [(n, p) for n, p in having if p.start <= day_of(p)]
    if not earlier:  # dated before the first version that has it (a recital of an earlier day)
        n, period = having[0]
        return _noted(period.items[key], period.model)
    n, period = earlier[-1]
    item = period.items[key]
    if n + 1 >= len(periods):
        return _noted(item, period.model)
    following = periods[n + 1]
    return replace(item, status="no_longer_in_force", removed_by=_remover(item, following.model),
                   removed_on=following.start)


def _noted(item: Item, model: Model) -> Item:
    """An item whose text an amendment gave says so."""
    scope = model.scopes.get(item.agreement)
    if scope is None or not item.name:
        return item
    marks = dict(scope.agreement.amended_by)
    section = next((f"§ {d.section}" for d in (*scope.agreement.definitions, *scope.agreement.obligations)
                    if d.name == item.name and d.section), None)
    mark = marks.get(item.name) or marks.get(section or "")
    return replace(item, note=f"as amended by {mark}") if mark else item


def _remover(item: Item, following: Model) -> str:
    """What removed an item from the next version: the restatement of its agreement,
    or the amendment (with its section) that deleted or replaced it."""
    deal = following.deal
    if item.agreement not in deal.agreements:
        restating = next((a for a in deal.agreements.values() if a.restates == item.agreement), None)
        if restating is not None:
            return f"restated by {restating.id} ({restating.title})"
        return f"{item.agreement} is no longer in force"
    agreement = deal.agreements[item.agreement]
    mark = dict(agreement.amended_by).get(item.name)
    return f"removed by {mark}" if mark else "removed by an amendment"


def _in_range(item: Item, start: dt.date | None, end: dt.date | None) -> bool:
    if item.date is None:
        if start is None and end is None:
            return True
        # Not known yet: it may fall in the range, unless its bounds put it outside.
        # One that does not happen does not.
        outside = (start is not None and item.latest is not None and item.latest < start) or (
            end is not None and item.earliest is not None and item.earliest > end)
        return item.status in ("unknown", "pending") and not outside
    return (start is None or item.date >= start) and (end is None or item.date <= end)

