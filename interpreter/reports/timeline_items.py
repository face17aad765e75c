"""The dated items of one version of a deal: every obligation (its deadline and
status), every date-typed defined term, and the day each agreement begins.

Nothing here knows an agreement: what an item is comes from what the language
already says of it — an obligation's party and action, a term's name and the title
of its section, an agreement's header."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from dsl import ast
from dsl.errors import EvaluationProblem
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.values import NONE, Unknown
from interpreter.static import types as T
from interpreter.static.scope import Scope

# Statuses, as of the as-of date. Obligations: pending, met, missed, not_triggered.
# Dates that only happen: passed, upcoming. Either: unknown (its facts are not all
# given), no_longer_in_force (a restatement or an amendment removed it), error (the
# agreement does not settle it: two exceptions that disagree, a division by zero).
STATUSES = ("missed", "pending", "met", "not_triggered", "passed", "upcoming", "unknown", "no_longer_in_force",
            "error")


@dataclass(frozen=True)
class Item:
    """One dated thing of a deal: when, what, who must act, where it is written, and
    where it stands on the as-of date."""

    key: str                      # stable across runs: `agreement.name`, `agreement.name#N` (period N),
                                  # `agreement.name@N` (its N-th date comparison), `agreement#begins`
    agreement: str
    name: str
    kind: str                     # "deadline" (an obligation), "date" (a dated term), "agreement" (one begins)
    date: dt.date | None          # None: unknown (see needs), or none (it does not happen)
    what: str
    who: str | None
    citation: str
    status: str
    done: dt.date | None = None   # the day a met (or late) obligation was done
    needs: tuple[str, ...] = ()   # facts that would decide an unknown date or status
    earliest: dt.date | None = None  # what is known of an unknown date: not before,
    latest: dt.date | None = None    # not after
    also: tuple[str, ...] = ()    # date terms that name the same day (an obligation's deadline)
    removed_by: str | None = None  # for no_longer_in_force: what removed it
    removed_on: dt.date | None = None
    note: str | None = None       # e.g. the amendment that gave the item its present text
    problem: EvaluationProblem | None = field(default=None, compare=False)  # status "error": why

    @property
    def missed(self) -> bool:
        return self.status == "missed"


def version_items(evaluator: Evaluator) -> list[Item]:
    """Every obligation (but a recurring one: see timeline_schedules) and every
    date-typed term of the version the evaluator reads,
    evaluated as of its date. A date term that names an obligation's deadline (same
    agreement, same day, a section in common) is folded into that obligation."""
    items: list[Item] = []
    for scope in evaluator.model.scopes.values():
        pairs = [_obligation(evaluator, scope, decl) for decl in scope.obligations.values() if decl.every is None]
        deadlines = [item for item, _ in pairs]
        dates = [_date_term(evaluator, scope, decl) for name, decl in scope.definitions.items()
                 if scope.declared[name] == T.DATE]
        for term in dates:
            owner = next((i for i, (o, last_day) in enumerate(pairs) if _same_day(o, last_day, term)), None)
            if owner is None:
                items.append(term)
            else:
                deadlines[owner] = replace(deadlines[owner], also=deadlines[owner].also + (term.name,))
        items.extend(deadlines)
    return items


def fold(items: list[Item], extra: list[Item]) -> list[Item]:
    """`items` with each of `extra` added — or, when an item of the same agreement
    falls on the same day with a section in common, named in that item's `also`."""
    items = list(items)
    for new in extra:
        owner = next((n for n, i in enumerate(items) if i.date is not None and i.date == new.date
                      and i.agreement == new.agreement and citation_refs(i.citation) & citation_refs(new.citation)),
                     None)
        if owner is None:
            items.append(new)
        elif new.name != items[owner].name and new.name not in items[owner].also:
            items[owner] = replace(items[owner], also=items[owner].also + (new.name,))
    return items


def agreement_items(written, evaluator: Evaluator, as_of: dt.date) -> list[Item]:
    """The day each agreement of the deal (as written) begins: signed, restating or
    amending another, perhaps only when a condition holds."""
    items = []
    for agreement in written.deal.agreements.values():
        begins = agreement.effective or agreement.dated
        if begins is None:
            continue
        what = f"{agreement.title} ({agreement.id}) "
        if agreement.restates:
            what += f"restates {agreement.restates}"
        elif agreement.amends:
            what += f"amends {agreement.amends}"
        else:
            what += "is dated" if begins == agreement.dated else "takes effect"
        status, needs = ("passed" if begins <= as_of else "upcoming"), ()
        citation = ""
        if agreement.effective_when is not None:
            citation = str(agreement.effective_citation or "")
            what += f", effective when {evaluator._source(agreement.effective_when.span)}"
            holds = evaluator.evaluate_expression(agreement.id, agreement.effective_when, T.BOOL).value
            if isinstance(holds, Unknown):
                status, needs = "unknown", tuple(sorted(holds.needs))
            elif holds is not True:
                status = "not_triggered"
        items.append(Item(f"{agreement.id}#begins", agreement.id, "", "agreement", begins, what, None,
                          citation, status, needs=needs))
    return items


def _obligation(evaluator: Evaluator, scope: Scope, decl: ast.Obligation) -> tuple[Item, object]:
    """The obligation as an item, and its deadline (a date, NONE or Unknown)."""
    try:
        return _evaluated_obligation(evaluator, scope, decl)
    except EvaluationProblem as problem:
        return failed_item(scope, decl, "deadline", decl.action, decl.party, str(decl.citation), problem), NONE


def _evaluated_obligation(evaluator: Evaluator, scope: Scope, decl: ast.Obligation) -> tuple[Item, object]:
    derivation = evaluator.derive(scope.id, decl.name)
    deadline = _deadline(evaluator, scope, decl)
    value = derivation.value
    needs = sorted(deadline.needs) if isinstance(deadline, Unknown) else []
    done = None
    if isinstance(value, Unknown):
        status = "unknown"
        needs = sorted(set(needs) | value.needs)
    else:
        status = value["status"]
        done = value["done"] if isinstance(value["done"], dt.date) else None
        if status == "not_triggered" and not (isinstance(deadline, Unknown) and deadline.bounded):
            needs = []  # settled: what its deadline would need does not matter
    date = deadline if isinstance(deadline, dt.date) else None
    if date is None and status == "met":
        date = done  # no deadline: the day it was done is its day
    earliest, latest = _bounds(deadline) if date is None else (None, None)
    return Item(f"{scope.id}.{decl.name}", scope.id, decl.name, "deadline", date, decl.action, decl.party,
                str(decl.citation), status, done=done, needs=tuple(needs),
                earliest=earliest, latest=latest), deadline


def _deadline(evaluator: Evaluator, scope: Scope, decl: ast.Obligation):
    """The obligation's last day — computed even before the event it runs from has
    happened, so that a lawyer sees the day coming — NONE without a deadline, or
    Unknown (with what is known of it). `within D after X` is read as the language
    reads `X + D` (business days by the agreement's calendar)."""
    if decl.by is not None:
        return evaluator.evaluate_expression(scope.id, decl.by, T.DATE).value
    if decl.within is None:
        return NONE
    last_day = ast.Binary("+", decl.after, decl.within, span=decl.span)
    return evaluator.evaluate_expression(scope.id, last_day, T.DATE).value


def _date_term(evaluator: Evaluator, scope: Scope, decl: ast.Definition) -> Item:
    try:
        return _evaluated_date_term(evaluator, scope, decl)
    except EvaluationProblem as problem:
        return failed_item(scope, decl, "date", describe_term(scope, decl), None, "", problem)


def failed_item(scope: Scope, decl, kind: str, what: str, who, citation: str, problem: EvaluationProblem) -> Item:
    """An item the agreement does not settle (two exceptions that disagree, a division
    by zero): listed with the problem, which the command also reports."""
    return Item(f"{scope.id}.{decl.name}", scope.id, decl.name, kind, None, what, who, citation, "error",
                note=f"cannot be evaluated: {problem.message}", problem=problem)


def _evaluated_date_term(evaluator: Evaluator, scope: Scope, decl: ast.Definition) -> Item:
    derivation = evaluator.derive(scope.id, decl.name)
    value = derivation.value
    needs: tuple[str, ...] = ()
    earliest = latest = None
    if isinstance(value, Unknown):
        date, status, needs = None, "unknown", tuple(derivation.needs)
        earliest, latest = _bounds(value)
    elif value is NONE:
        date, status = None, "not_triggered"
    else:
        date, status = value, ("passed" if value <= evaluator.as_of else "upcoming")
    return Item(f"{scope.id}.{decl.name}", scope.id, decl.name, "date", date, describe_term(scope, decl), None,
                derivation.citation, status, needs=needs, earliest=earliest, latest=latest)


def _bounds(value) -> tuple[dt.date | None, dt.date | None]:
    """(earliest, latest) of an unknown date; (None, None) when nothing is known."""
    if not isinstance(value, Unknown):
        return None, None
    return (value.low if isinstance(value.low, dt.date) else None,
            value.high if isinstance(value.high, dt.date) else None)


def describe_term(scope: Scope, decl: ast.Definition) -> str:
    """A date term in words: its name, and the title of the section it stands in."""
    words = decl.name.replace("_", " ")
    words = words[0].upper() + words[1:]
    title = next((s.title for s in scope.agreement.sections if s.number == decl.section), None)
    return f"{words} ({title})" if title and not title.startswith("(") else words


def citation_refs(citation: str) -> set[str]:
    """The section references of a citation: `§ 1, 2(a)` -> {'1', '2(a)'}."""
    return {r.strip() for r in citation.removeprefix("§").split(",") if r.strip()}


def _same_day(obligation: Item, deadline, term: Item) -> bool:
    """Does the date term name the obligation's deadline? Both of one agreement and
    section, on the same known day — or both unknown, for the same facts, within the
    same bounds (two days known to be no earlier than the same day)."""
    if term.agreement != obligation.agreement or not citation_refs(term.citation) & citation_refs(obligation.citation):
        return False
    if isinstance(deadline, dt.date):
        return term.date == deadline
    return (isinstance(deadline, Unknown) and deadline.bounded and term.date is None
            and (term.earliest, term.latest) == _bounds(deadline) and set(term.needs) == deadline.needs)
