"""The evaluator: computes defined terms from facts and an as-of date, three-valued
(a value, `none`, or unknown with the facts it needs), and records a `Derivation`
for every value it computes.

Evaluation is a pure function of (model, facts, as-of date); an `Evaluator`
memoises the terms it has computed for one such triple.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from dsl import ast
from dsl.errors import EvaluationProblem, FactWarning, Span
from dsl.limits import EVALUATION_STEPS
from interpreter.evaluation import bounds, obligations, recurring, time_values
from interpreter.evaluation.builtins import BUILTINS
from interpreter.evaluation.derivation import Derivation
from interpreter.evaluation.facts import FactBase
from interpreter.evaluation.semantics import (
    ARITHMETIC,
    COMPARE,
    EXTREMES,
    FAILURES,
    all_agree,
    as_declared,
    bounded_number,
    exact,
    exception_label,
    failure_problem,
    field_of,
    known_side,
    none_operand,
    one_of,
    plural,
    row_label,
    same,
    shifted_date,
    truth,
    undecided_row_label,
    unknown_operand,
)
from interpreter.evaluation.values import NONE, Unknown, member_value, merge_unknown
from interpreter.static import types as T
from interpreter.static.model import Model
from interpreter.static.scope import Scope, Symbol


@dataclass
class _Frame:
    inputs: dict[str, tuple[object, T.Type]] = field(default_factory=dict)
    children: dict[str, Derivation] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # comparisons settled by what is known of an unknown


class Evaluator:
    """Evaluates the terms of a checked deal against one fact base at one date."""

    def __init__(self, model: Model, facts: FactBase, as_of: dt.date,
                 action: tuple[str, dict] | None = None, readings: frozenset[str] = frozenset()):
        self.model = model
        self.readings = readings  # chosen alternative readings, as `agreement.reading`
        self.facts = facts
        self.as_of = as_of
        self.action = action  # (kind, particulars) of the proposed action asked about
        self._done: dict[str, Derivation] = {}
        self.warnings: list[FactWarning] = []  # pinned terms the facts contradict
        self._calendars: dict[str, object] = {}
        self._steps = 0  # expressions evaluated, bounded by EVALUATION_STEPS

    # -- public ---------------------------------------------------------------
    def derive(self, agreement: str, name: str) -> Derivation:
        """The derivation of a term (definition, obligation or input)."""
        key = f"{agreement}.{name}"
        if key not in self._done:
            scope = self.model.scopes[agreement]
            with exact():
                if key in self.facts.pinned:
                    result = self._pinned(scope, scope.definitions[name])
                elif name in scope.definitions:
                    result = self._definition(scope, scope.definitions[name])
                elif name in scope.obligations:
                    result = self._obligation(scope, scope.obligations[name])
                elif name in scope.norms:
                    result = self._norm(scope, scope.norms[name])
                else:
                    result = self._input_derivation(scope, name)
            self._done[key] = result
        return self._done[key]

    def instances(self, agreement: str, name: str, start: dt.date | None = None,
                  end: dt.date | None = None) -> list[recurring.Instance]:
        """The instances of a recurring obligation whose dates fall from `start` to
        `end` (default: every period of a schedule that ends); see recurring.py."""
        scope = self.model.scopes[agreement]
        with exact():
            return recurring.instances(self, scope, scope.obligations[name], _Frame(), start, end)

    def evaluate_in(self, expr: ast.Expr, scope: Scope, local: dict, frame: "_Frame"):
        """The value of `expr` in `scope` with local names (for recurring.py)."""
        return self._eval(expr, scope, local, frame)

    def evaluate_expression(self, agreement: str, expr: ast.Expr, typ: T.Type) -> Derivation:
        """The derivation of an ad-hoc expression (checked beforehand), read in `agreement`.
        Its citation gathers those of the terms it uses."""
        scope = self.model.scopes[agreement]
        frame = _Frame()
        with exact():
            value = self._eval(expr, scope, {}, frame)
        citations = list(dict.fromkeys(c.citation for c in frame.children.values() if c.citation))
        return Derivation("expression", value, typ, "; ".join(citations), self._source(expr.span),
                          "the expression", _facts_used(frame), tuple(frame.children.values()))

    # -- terms ----------------------------------------------------------------
    def _source(self, span: Span) -> str:
        text = self.model.deal.sources.get(span.file, "")
        return " ".join(text[span.start:span.end].split())

    def _definition(self, scope: Scope, decl: ast.Definition) -> Derivation:
        frame = _Frame()
        typ = scope.declared[decl.name]
        notes: list[str] = []
        reading = next((r for r in scope.readings.values()
                        if r.target == decl.name and f"{scope.id}.{r.name}" in self.readings), None)
        if reading is not None:
            value = self._eval(reading.value, scope, {}, frame)
            base = (value, str(reading.citation), self._source(reading.value.span),
                    f"reading \"{reading.name}\" ({reading.description})")
        elif isinstance(decl.body, ast.Rule):
            value = self._eval(decl.body.value, scope, {}, frame)
            base = (value, str(decl.body.citation), self._source(decl.body.value.span), "the rule")
        else:
            base = self._table(scope, decl.body, frame)
        outcome = self._exceptions(scope, decl, frame, notes, base[0]) or base
        value, citation, rule, decided_by = outcome
        return Derivation(f"{scope.id}.{decl.name}", as_declared(value, typ), typ, citation, rule, decided_by,
                          _facts_used(frame), tuple(frame.children.values()), (*notes, *frame.notes))

    def _pinned(self, scope: Scope, decl: ast.Definition) -> Derivation:
        """A defined term given a value in the facts: that value, everything downstream
        using it; beside it, what the agreement would compute from the facts."""
        key = f"{scope.id}.{decl.name}"
        given, origin = self.facts.values[key], self.facts.origins[key]
        try:
            computed = self._definition(scope, decl)
        except EvaluationProblem:
            computed = None
        if computed is not None and isinstance(computed.value, Unknown):
            computed = None
        if computed is not None and not same(computed.value, given):
            self.warnings.append(FactWarning(
                f"`{key}` is given as {given}, but the agreement computes {computed.value} from the facts "
                f"({computed.citation})", origin, hint="check the pinned value, or the facts it contradicts"))
        where = f"{origin.file}:{origin.line}" if origin.line else origin.file
        return Derivation(key, given, scope.declared[decl.name], "", f"given in {where}", "given",
                          given_at=where, computed=computed)

    def _norm(self, scope: Scope, norm: ast.Norm) -> Derivation:
        """Whether a norm applies to the proposed action (for `require`: applies and is unmet)."""
        frame = _Frame()
        notes: list[str] = []
        test: ast.Expr = norm.condition or ast.Literal(True, "bool", span=norm.span)
        for negated in (norm.unless, norm.requirement):
            if negated is not None:
                test = ast.Binary("and", test, ast.Unary("not", negated, span=negated.span), span=norm.span)
        base = (self._eval(test, scope, {}, frame), str(norm.citation), self._source(norm.span), "the rule")
        value, citation, rule, decided_by = self._exceptions(scope, norm, frame, notes, base[0]) or base
        return Derivation(f"{scope.id}.{norm.name}", value, T.BOOL, citation, rule, decided_by,
                          _facts_used(frame), tuple(frame.children.values()), (*notes, *frame.notes))

    def _table(self, scope: Scope, table: ast.Table, frame: _Frame):
        for number, row in enumerate(table.rows, 1):
            if row.condition is None:
                value = self._eval(row.value, scope, {}, frame)
                return value, str(row.citation), f"otherwise -> {self._source(row.value.span)}", "otherwise"
            test = self._eval(row.condition, scope, {}, frame)
            if isinstance(test, Unknown):
                value = self._undecided_rows(scope, table.rows[number - 1:], test, frame)
                why = undecided_row_label(row, number, settled=not isinstance(value, Unknown))
                return value, str(row.citation), self._source(row.span), why
            if test is True:
                value = self._eval(row.value, scope, {}, frame)
                return value, str(row.citation), self._source(row.span), row_label(row, number)
        citations = ", ".join(str(r.citation) for r in table.rows)
        return NONE, citations, "no row applies", "no row applies"

    def _undecided_rows(self, scope: Scope, rows, test: Unknown, frame: _Frame):
        """The value of a table whose row `rows[0]` cannot be decided: the rows that may
        still apply are that one and each later one not known not to apply, up to the
        first known to apply. Unknown, between the least and greatest of their values;
        their common value when they all agree."""
        needs, candidates = set(test.needs), []
        for row in rows:
            if row is not rows[0] and row.condition is not None:
                later = self._eval(row.condition, scope, {}, frame)
                if later is not True and not isinstance(later, Unknown):
                    continue  # known not to apply
                if isinstance(later, Unknown):
                    needs |= later.needs
            candidates.append(self._eval(row.value, scope, {}, frame))
            if row.condition is None or (row is not rows[0] and later is True):
                break
        return one_of(frozenset(needs), candidates)

    def _exceptions(self, scope: Scope, decl: ast.Definition, frame: _Frame, notes: list[str], base=None):
        """The winning exception's outcome, or None when none applies (the base rule decides).
        Given the base value, exceptions that could only give that same value are not
        consulted: once every exception left would agree with the base, it decides."""
        rules = sorted(scope.exceptions.get(decl.name, []), key=lambda r: -r.priority)
        undecided: list[Unknown] = []
        index = 0
        while index < len(rules):
            if not undecided and all_agree(rules[index:], base):
                notes.append(f"{plural(len(rules) - index, 'exception')} not consulted: "
                             f"{'it' if len(rules) - index == 1 else 'each'} would give the same value")
                return None
            level = [r for r in rules[index:] if r.priority == rules[index].priority]
            index += len(level)
            applying, tests = [], []
            for rule in level:
                label = exception_label(rule)
                test = truth(self._eval(rule.condition, scope, {}, frame))
                tests.append(test)
                if isinstance(test, Unknown):
                    undecided.append(test)
                    notes.append(f"{label} (priority {rule.priority}) cannot be decided yet")
                elif test is True:
                    applying.append(rule)
                else:
                    notes.append(f"{label} (priority {rule.priority}) does not apply")
            if applying and not undecided:
                values = [(r, self._eval(r.value, scope, {}, frame)) for r in applying]
                # Compared as values: $300 and $300.00 agree.
                if any(v != values[0][1] for _, v in values[1:]):
                    where = "; ".join(f"{r.citation} at {r.span}" for r, _ in values)
                    raise EvaluationProblem(
                        f"exceptions to `{decl.name}` of equal priority {applying[0].priority} "
                        f"both apply and disagree ({where})", applying[0].span,
                        hint="give one of them a higher priority")
                winner, value = values[0]
                label = exception_label(winner)
                notes.append(f"{label} (priority {winner.priority}) applies and overrides the base rule")
                return value, str(winner.citation), self._source(winner.span), label
            if undecided:
                # One of these gives the value: an exception of this level that may apply,
                # a lower one, or the base rule.
                open_rules = [r for r, test in zip(level, tests) if test is not False] + rules[index:]
                candidates = [self._eval(r.value, scope, {}, frame) for r in open_rules] + [base]
                value = one_of(merge_unknown(*undecided).needs, candidates)
                why = ("an exception cannot be decided yet" if isinstance(value, Unknown) else
                       "an exception cannot be decided yet, but each outcome gives this value")
                return value, "; ".join(str(c) for c in decl.citations), why, "undecided exception"
        return None

    def _obligation(self, scope: Scope, decl: ast.Obligation) -> Derivation:
        frame = _Frame()
        if decl.every is not None:
            value, why, notes = recurring.evaluate(self, scope, decl, frame)
            return Derivation(f"{scope.id}.{decl.name}", value, T.RECURRING, str(decl.citation),
                              self._source(decl.span), why, _facts_used(frame),
                              tuple(frame.children.values()), notes)

        value, why = obligations.one_time_value(*obligations.one_time_status(self, scope, decl, frame))
        return Derivation(f"{scope.id}.{decl.name}", value, T.OBLIGATION, str(decl.citation),
                          self._source(decl.span), why, _facts_used(frame), tuple(frame.children.values()),
                          (f"{decl.party} must {decl.action}",))

    def business_calendar(self, scope: Scope, frame: _Frame):
        """The agreement's business-day calendar (unknown while its closures are)."""
        if scope.id not in self._calendars:
            closures = scope.agreement.closures
            value = self._input(scope, closures, frame) if closures else None
            self._calendars[scope.id] = time_values.business_calendar(scope.agreement, value)
        return self._calendars[scope.id]

    def _input_derivation(self, scope: Scope, name: str) -> Derivation:
        frame = _Frame()
        value = self._input(scope, name, frame)
        decl = scope.inputs[name]
        origin = "fact" if self.facts.has(scope.id, name) else ("default" if decl.default else "not given")
        return Derivation(f"{scope.id}.{name}", value, scope.declared[name], "", decl.description, origin)

    def _input(self, scope: Scope, name: str, frame: _Frame):
        key = f"{scope.id}.{name}"
        if key in frame.inputs:
            return frame.inputs[key][0]
        decl = scope.inputs[name]
        if self.facts.has(scope.id, name):
            value = self.facts.get(scope.id, name)
        elif decl.default is not None:
            value = as_declared(self._eval(decl.default, scope, {}, _Frame()), scope.declared[name])
        else:
            value = Unknown(frozenset({name}))
        frame.inputs[key] = (value, scope.declared[name])
        return value

    # -- expressions ------------------------------------------------------------
    def _symbol(self, symbol: Symbol, local: dict, frame: _Frame, scope: Scope):
        if symbol.kind == "local":
            return local[symbol.name]
        if symbol.kind == "input":
            return self._input(self.model.scopes[symbol.agreement], symbol.name, frame)
        if symbol.kind == "action":
            if self.action is not None and self.action[0] == symbol.name:
                return self.action[1]
            return Unknown(frozenset({f"the proposed {symbol.name}"}))
        if symbol.kind in ("definition", "obligation", "norm"):
            child = self.derive(symbol.agreement, symbol.name)
            frame.children[child.name] = child
            return child.value
        if symbol.kind == "builtin":
            if symbol.name == "as_of":
                return self.as_of
            return scope.agreement.dated or NONE
        if symbol.kind == "member":
            return member_value(symbol.name, symbol.type)
        return symbol.name  # a party

    def _eval(self, expr: ast.Expr, scope: Scope, local: dict, frame: _Frame):
        self._steps += 1
        if self._steps > EVALUATION_STEPS:
            raise _stopped(expr.span)
        try:
            return bounded_number(self._eval_inner(expr, scope, local, frame), expr.span)
        except FAILURES as failure:
            raise failure_problem(failure, expr.span) from None

    def _eval_inner(self, expr, scope, local, frame):
        ev = lambda e, loc=local: self._eval(e, scope, loc, frame)  # noqa: E731
        if isinstance(expr, ast.Literal):
            return NONE if expr.kind == "none" else expr.value
        if isinstance(expr, ast.Name):
            symbol = self.model.resolver.name(scope, expr, {k: T.ANY for k in local})
            return self._symbol(symbol, local, frame, scope)
        if isinstance(expr, ast.Attribute):
            symbol = self.model.resolver.qualified(scope, expr, {k: T.ANY for k in local})
            if symbol is not None:
                return self._symbol(symbol, local, frame, scope)
            return field_of(ev(expr.base), expr.name)
        if isinstance(expr, ast.Binary):
            return self._binary(expr, ev, frame, lambda: self.business_calendar(scope, frame))
        if isinstance(expr, ast.Unary):
            operand = ev(expr.operand)
            if expr.op == "not":
                operand = truth(operand)
                return operand if isinstance(operand, Unknown) else not operand
            if isinstance(operand, Unknown) or operand is NONE:
                return operand
            return ast.Duration(-operand.amount, operand.unit) if isinstance(operand, ast.Duration) else -operand
        if isinstance(expr, ast.If):
            test = truth(ev(expr.condition))
            if isinstance(test, Unknown):  # either branch: what both allow
                return one_of(test.needs, [ev(expr.then), ev(expr.otherwise)])
            return ev(expr.then) if test is True else ev(expr.otherwise)
        if isinstance(expr, ast.Member):
            element = ev(expr.element)
            if isinstance(element, Unknown) or element is NONE:
                return element if isinstance(element, Unknown) else False
            options = [ev(o) for o in expr.options]
            if element in [o for o in options if not isinstance(o, Unknown)]:
                return True
            unknown = [o for o in options if isinstance(o, Unknown)]
            return merge_unknown(*unknown) if unknown else False
        if isinstance(expr, ast.Contains):
            element, collection = ev(expr.element), ev(expr.collection)
            if isinstance(element, Unknown) or isinstance(collection, Unknown):
                return merge_unknown(element, collection)
            if element is NONE or collection is NONE:
                return False
            return element in collection
        if isinstance(expr, ast.IsNone):
            value = ev(expr.operand)
            if isinstance(value, Unknown):
                return value
            return (value is not NONE) if expr.negated else (value is NONE)
        if isinstance(expr, ast.Call):
            return self._call(expr, ev, lambda: self.business_calendar(scope, frame))
        if isinstance(expr, ast.Comprehension):
            return self._comprehension(expr, ev, local)
        if isinstance(expr, ast.ScheduleExpr):
            return time_values.schedule(expr, ev, self.business_calendar(scope, frame))
        if isinstance(expr, ast.At):
            return time_values.read_at(ev(expr.series), ev(expr.date))
        raise TypeError(f"unhandled expression {type(expr).__name__}")

    def _binary(self, expr: ast.Binary, ev, frame: _Frame, business):
        op = expr.op
        if op in ("and", "or"):
            # In a condition, a `none` (a particular not given, an event that did not
            # happen) counts as false.
            left = truth(ev(expr.left))
            decisive = op == "or"
            if left is decisive:
                return decisive
            right = truth(ev(expr.right))
            if right is decisive:
                return decisive
            if isinstance(left, Unknown) or isinstance(right, Unknown):
                return merge_unknown(left, right)
            return not decisive
        left, right = ev(expr.left), ev(expr.right)
        comparison = op in ("<", "<=", ">", ">=", "==", "!=")
        if left is NONE or right is NONE:
            return none_operand(op, left, right)
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return self._unknown_operand(expr, left, right, frame, business)
        if comparison:
            if isinstance(left, ast.Duration) and left.unit != right.unit:
                raise EvaluationProblem(f"cannot compare {left} with {right}", expr.span,
                                        hint="compare durations of the same unit")
            if isinstance(left, ast.Duration):
                left, right = left.amount, right.amount
            return COMPARE[op](left, right)
        if isinstance(left, dt.date):
            if isinstance(right, ast.Duration):
                return shifted_date(left, right, 1 if op == "+" else -1, business)
            return ast.Duration((left - right).days, "day")
        if isinstance(left, ast.Duration) and op == "*":
            return ast.Duration(left.amount * right, left.unit)
        if isinstance(right, ast.Duration) and op == "*":
            return ast.Duration(right.amount * left, right.unit)
        if op == "/":
            return Decimal(left) / Decimal(right)
        return ARITHMETIC[op](left, right)

    def _unknown_operand(self, expr: ast.Binary, left, right, frame: _Frame, business):
        """A comparison or a shift with an unknown operand (`semantics.unknown_operand`),
        with a note where what is known of the unknown settles a comparison."""
        def note(settled: bool) -> None:
            frame.notes.append(f"`{self._source(expr.span)}` is {'true' if settled else 'false'} although "
                               f"a value is unknown: {known_side(left)} {expr.op} {known_side(right)}")
        return unknown_operand(expr.op, left, right, business, note)

    def _call(self, expr: ast.Call, ev, business):
        builtin = BUILTINS[expr.func]
        args = [ev(a) for a in expr.args]
        listed = sum(len(a) for a in args if isinstance(a, tuple))
        if listed:  # a function of a list works through it: a step an element
            self._steps += listed
            if self._steps > EVALUATION_STEPS:
                raise _stopped(expr.span)
        if builtin.uses_calendar:
            args.insert(0, business())
        if builtin.three_valued:
            return builtin.compute(*args)
        flat = [x for a in args for x in (a if isinstance(a, tuple) else (a,))]
        if any(isinstance(a, Unknown) for a in flat):
            present = [a for a in flat if a is not NONE] if builtin.skips_none else flat
            if expr.func in EXTREMES and NONE not in present:
                return EXTREMES[expr.func](present)
            if expr.func == "clamp" and NONE not in flat:
                return bounds.clamped(*args)
            return merge_unknown(*flat)
        if any(a is NONE for a in flat):
            if not builtin.skips_none:
                return NONE
            # Pass over the none events, whether given one by one or inside a list.
            args = [tuple(x for x in a if x is not NONE) if isinstance(a, tuple) else a
                    for a in args if a is not NONE]
            if not any(a != () for a in args):
                return NONE
        return builtin.compute(*args)

    def _comprehension(self, expr: ast.Comprehension, ev, local):
        source = ev(expr.source)
        if isinstance(source, Unknown) or source is NONE:
            return source
        out = []
        for item in source:
            inner = {**local, expr.variable: item}
            if expr.condition is not None:
                test = ev(expr.condition, inner)
                if isinstance(test, Unknown):
                    return test
                if test is not True:
                    continue
            out.append(ev(expr.element, inner))
        return tuple(out)


def _facts_used(frame: _Frame) -> tuple[tuple[str, object, T.Type], ...]:
    return tuple((name, value, typ) for name, (value, typ) in frame.inputs.items())


def _stopped(span) -> EvaluationProblem:
    return EvaluationProblem(f"evaluation stopped after {EVALUATION_STEPS:,} steps", span,
                             hint="a list comprehension over long lists, inside another, multiplies the work; "
                                  "check the lengths of the list facts")
