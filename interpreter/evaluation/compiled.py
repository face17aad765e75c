"""The fast back end: a checked deal compiled into closures, once per load, for `eval`
and `batch`.

A `CompiledDeal` answers what the explaining evaluator (`evaluator.py`) answers —
value, citation and what decided it — by the same rules (tables, exceptions consulted
only while they can matter, readings, obligations, bounded unknowns), without
recording derivations; `explain`, the REPL and diffs use the explaining one. Terms are
compiled when first asked for, so a question costs what its term depends on, not the
whole deal. Every form of the language compiles, those of time included
(`compiled_time.py`); a term holding a form added later and not compiled here is
evaluated by the explaining evaluator instead (`fallback_terms` names them), as is a
term the facts pin. A compiled deal pickles as
its model and readings and compiles again where it is unpickled: evaluation is a pure
function of (compiled deal, facts, date), fit for worker processes."""
from __future__ import annotations

import datetime as dt
import decimal

from dsl import ast
from dsl.errors import CovenantError
from interpreter.evaluation import compiled_time
from interpreter.evaluation.codegen import generate
from interpreter.evaluation.codegen_terms import generate_exceptions, generate_term
from interpreter.evaluation.compiled_expr import NotCompiled, OverSteps, compile_expr
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.semantics import (
    PRECISION, as_declared, exception_label, one_of, row_label, truth, undecided_row_label, widening)
from interpreter.evaluation.facts import FactBase
from interpreter.evaluation.values import NONE, Unknown, merge_unknown
from interpreter.static import types as T
from interpreter.static.model import Model

_CONTEXT = decimal.Context(prec=PRECISION, traps=[decimal.DivisionByZero, decimal.InvalidOperation])
_MISSING = object()


class Result:
    """One term's answer: what a `Derivation` says of it, without the derivation."""

    __slots__ = ("citation", "decided_by", "given_at", "name", "type", "value")

    def __init__(self, name: str, value, typ: T.Type, citation: str, decided_by: str, given_at: str = ""):
        self.name, self.value, self.type, self.citation, self.decided_by = name, value, typ, citation, decided_by
        self.given_at = given_at  # where a pinned term's value was given

    @property
    def needs(self) -> list[str]:
        return sorted(self.value.needs) if isinstance(self.value, Unknown) else []


class Env:
    """One evaluation: the facts, the date, the proposed action and the terms computed."""

    __slots__ = ("_fallback", "action", "as_of", "deal", "facts", "memo", "pinned", "steps", "values")

    def __init__(self, deal: CompiledDeal, facts: FactBase, as_of: dt.date, action=None):
        self.deal, self.facts, self.values, self.as_of, self.action = deal, facts, facts.values, as_of, action
        self.pinned = facts.pinned
        self.memo: dict = {}
        self.steps = 0  # as the explaining evaluator counts them, against EVALUATION_STEPS (OverSteps)
        self._fallback = None

    def warnings(self) -> list:
        """Pinned terms the facts contradict (found by the explaining evaluator, which
        computes what a pinned term would have been)."""
        return self._fallback.warnings if self._fallback is not None else []

    def fallback(self) -> Evaluator:
        if self._fallback is None:
            self._fallback = Evaluator(self.deal.model, self.facts, self.as_of, self.action, self.deal.readings)
        return self._fallback


class CompiledDeal:
    """A checked model (the deal in force on some date) compiled under chosen readings."""

    def __init__(self, model: Model, readings: frozenset[str] = frozenset()):
        self.model, self.readings = model, readings
        self._cells: dict[str, list] = {}
        self._readers: dict[str, object] = {}
        self.fallback_terms: set[str] = set()

    def __getstate__(self) -> dict:
        return {"model": self.model, "readings": self.readings}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["model"], state["readings"])

    # -- asking -------------------------------------------------------------------
    def env(self, facts: FactBase, as_of: dt.date, action=None) -> Env:
        return Env(self, facts, as_of, action)

    def result(self, env: Env, agreement: str, name: str) -> Result:
        """The answer for one term (definition, obligation, norm or input) in `env`;
        raises EvaluationProblem as the explaining evaluator does."""
        scope = self.model.scopes[agreement]
        with decimal.localcontext(_CONTEXT):
            if name in scope.inputs:
                value = self.reader(agreement, name)(env)
                return Result(f"{agreement}.{name}", value, scope.declared[name], "", _origin(env, scope, name))
            key = f"{agreement}.{name}"
            try:
                value, citation, decided_by = self._outcome(env, key, agreement, name)
            except OverSteps:
                value, citation, decided_by = _explained(agreement, name)(env)
            given_at = env.fallback().derive(agreement, name).given_at if key in env.pinned else ""
        if name in scope.obligations:
            typ = T.RECURRING if getattr(scope.obligations[name], "every", None) is not None else T.OBLIGATION
        else:
            typ = T.BOOL if name in scope.norms else scope.declared[name]
        return Result(key, value, typ, citation, decided_by, given_at)

    def value(self, env: Env, agreement: str, name: str):
        """Just the value of one term: the fastest question."""
        with decimal.localcontext(_CONTEXT):
            return _read(env, self.reader(agreement, name), agreement, name)

    def values(self, env: Env, terms: list[tuple[str, str]]) -> list:
        """Just the values of several terms, in one decimal context."""
        readers = [(self.reader(a, n), a, n) for a, n in terms]
        with decimal.localcontext(_CONTEXT):
            return [_read(env, read, a, n) for read, a, n in readers]

    # -- compiling ------------------------------------------------------------------
    def _outcome(self, env: Env, key: str, agreement: str, name: str):
        out = env.memo.get(key)
        if out is None:
            out = env.memo[key] = self.cell(agreement, name)[0](env)
        return out

    def cell(self, agreement: str, name: str) -> list:
        """A one-element list holding the function that computes a term's outcome —
        (value, citation, deciding rule) — in an env. Generated code calls through the
        cell, so that a term is compiled only when first computed: the cell holds a
        function that compiles it, then the compiled term."""
        key = f"{agreement}.{name}"
        cell = self._cells.get(key)
        if cell is None:
            def first_use(env):
                cell[0] = self._entry(key, agreement, name)
                return cell[0](env)
            cell = self._cells[key] = [first_use]
        return cell

    def _entry(self, key: str, agreement: str, name: str):
        """The term compiled, as its cell holds it. A term the facts pin is the
        explaining evaluator's (it reports a contradicted pin); generated terms check
        for a pin themselves."""
        explained = _explained(agreement, name)
        scope = self.model.scopes[agreement]
        try:
            if name in scope.definitions:
                compute = self._definition(scope, scope.definitions[name], key, explained)
            elif name in scope.obligations:
                compute = self._obligation(scope, scope.obligations[name])
            else:
                compute = self._norm(scope, scope.norms[name], key, explained)
        except (NotCompiled, CovenantError):
            self.fallback_terms.add(key)
            return explained
        if getattr(compute, "checks_pin", False):
            return compute

        def entry(env):
            return explained(env) if key in env.pinned else compute(env)
        return entry

    def reader(self, agreement: str, name: str):
        """A closure `read(env, loc)` giving the term's value, computed once per env
        (an expression's closures call it as they call each other)."""
        key = f"{agreement}.{name}"
        read = self._readers.get(key)
        if read is not None:
            return read
        scope = self.model.scopes[agreement]
        if name in scope.inputs:
            read = self._input_reader(scope, name)
        else:
            cell = self.cell(agreement, name)

            def read(env, loc=None):
                memo = env.memo
                out = memo.get(key)
                if out is None:
                    out = memo[key] = cell[0](env)
                return out[0]
        self._readers[key] = read
        return read

    def _expr(self, expr: ast.Expr, scope):
        try:
            return generate(expr, scope, self)
        except NotCompiled:  # too deep to generate: the closures take it
            return self._closure(expr, scope)

    def _closure(self, expr: ast.Expr, scope):
        return compile_expr(expr, scope, self.model.resolver, frozenset(), self.reader)

    def _input_reader(self, scope, name: str):
        key, decl, typ = f"{scope.id}.{name}", scope.inputs[name], scope.declared[name]
        missing = Unknown(frozenset({name}))
        if decl.default is None:
            def read(env, loc=None):
                value = env.values.get(key, _MISSING)
                return missing if value is _MISSING else value
            return read
        default, memo_key = self._expr(decl.default, scope), ("default", key)

        def read_or_default(env, loc=None):
            value = env.values.get(key, _MISSING)
            if value is not _MISSING:
                return value
            value = env.memo.get(memo_key, _MISSING)
            if value is _MISSING:
                value = env.memo[memo_key] = as_declared(default(env, None), typ)
            return value
        return read_or_default

    def _definition(self, scope, decl: ast.Definition, key: str, explained):
        typ = scope.declared[decl.name]
        reading = next((r for r in scope.readings.values()
                        if r.target == decl.name and f"{scope.id}.{r.name}" in self.readings), None)
        if reading is not None:
            rows = [(None, reading.value, str(reading.citation), f"reading \"{reading.name}\" ({reading.description})")]
        elif isinstance(decl.body, ast.Rule):
            rows = [(None, decl.body.value, str(decl.body.citation), "the rule")]
        else:
            rows = [(r.condition, r.value, str(r.citation),
                     "otherwise" if r.condition is None else row_label(r, number))
                    for number, r in enumerate(decl.body.rows, 1)]
        widen = widening(typ)
        nothing = (NONE, ", ".join(row[2] for row in rows), "no row applies")
        undecided = lambda number: self._undecided_rows(scope, rows, number, decl.body.rows[number - 1])
        return generate_term(rows, scope, self, widen, undecided, nothing, self._exceptions(scope, decl),
                             (key, explained))

    def _norm(self, scope, norm: ast.Norm, key: str, explained):
        test: ast.Expr = norm.condition or ast.Literal(True, "bool", span=norm.span)
        for negated in (norm.unless, norm.requirement):
            if negated is not None:
                test = ast.Binary("and", test, ast.Unary("not", negated, span=negated.span), span=norm.span)
        rows = [(None, test, str(norm.citation), "the rule")]
        return generate_term(rows, scope, self, None, None, None, self._exceptions(scope, norm), (key, explained))

    def _undecided_rows(self, scope, rows, number: int, row: ast.Row):
        """The outcome of a table whose row `number` (`row`) cannot be decided: what
        every row that may still apply allows (its rows compiled into closures when
        first met)."""
        citation, closures = rows[number - 1][2], []

        def undecided(env, test: Unknown):
            if not closures:
                closures.extend((None if condition is None else self._closure(condition, scope),
                                 self._closure(value, scope), cited)
                                for condition, value, cited, _ in rows[number - 1:])
            result = _undecided_rows(env, closures, test)
            return result, citation, undecided_row_label(row, number, settled=not isinstance(result, Unknown))
        return undecided

    def _exceptions(self, scope, decl):
        """As the evaluator's `_exceptions`: None when the base rule decides."""
        rules = sorted(scope.exceptions.get(decl.name, []), key=lambda r: -r.priority)
        if not rules:
            return None
        compiled = [(r, self._expr(r.condition, scope), self._expr(r.value, scope),
                     exception_label(r)) for r in rules]
        undecided_citation = "; ".join(str(c) for c in decl.citations)
        # `all_agree(rules[index:], base)`, its half that does not depend on the base
        # worked out once: the literal values of the exceptions from `index` on.
        literals = [tuple(r.value.value for r in rules[index:])
                    if all(isinstance(r.value, ast.Literal) and r.value.kind != "none" for r in rules[index:])
                    else None for index in range(len(rules))]

        def consult(env, base):
            undecided: list[Unknown] = []
            index = 0
            while index < len(compiled):
                values = literals[index]
                if not undecided and values is not None and base is not None and base.__class__ is not Unknown \
                        and all(type(v) is type(base) and v == base for v in values):
                    return None
                level = [c for c in compiled[index:] if c[0].priority == compiled[index][0].priority]
                index += len(level)
                applying, tests = [], []
                for entry in level:
                    test = truth(entry[1](env, None))
                    tests.append(test)
                    if isinstance(test, Unknown):
                        undecided.append(test)
                    elif test is True:
                        applying.append(entry)
                if applying and not undecided:
                    values = [(entry, entry[2](env, None)) for entry in applying]
                    if any(v != values[0][1] for _, v in values[1:]):
                        _disagree(decl, [(entry[0], v) for entry, v in values])
                    (winner, _, _, label), value = values[0]
                    return value, str(winner.citation), label
                if undecided:
                    open_rules = [e for e, test in zip(level, tests) if test is not False] + compiled[index:]
                    candidates = [e[2](env, None) for e in open_rules] + [base]
                    value = one_of(merge_unknown(*undecided).needs, candidates)
                    return value, undecided_citation, "undecided exception"
            return None
        return generate_exceptions(rules, scope, self, consult)

    def _obligation(self, scope, decl: ast.Obligation):
        return compiled_time.obligation(
            scope, decl, lambda e, local: compile_expr(e, scope, self.model.resolver, local, self.reader)
            if local else self._expr(e, scope), compiled_time.calendar_reader(scope, self.reader))


def _read(env: Env, read, agreement: str, name: str):
    """A term's value, left to the explaining evaluator past the limit of steps."""
    try:
        return read(env)
    except OverSteps:
        return _explained(agreement, name)(env)[0]


def _explained(agreement: str, name: str):
    """The outcome of a term computed by the explaining evaluator."""
    def explained(env):
        derivation = env.fallback().derive(agreement, name)
        return derivation.value, derivation.citation, derivation.decided_by
    return explained


def _undecided_rows(env, rows, test: Unknown):
    """As the evaluator's `_undecided_rows`, over compiled rows."""
    needs, candidates = set(test.needs), []
    first = rows[0]
    for row in rows:
        condition, value, _ = row
        later = None
        if row is not first and condition is not None:
            later = condition(env, None)
            if later is not True and not isinstance(later, Unknown):
                continue  # known not to apply
            if isinstance(later, Unknown):
                needs |= later.needs
        candidates.append(value(env, None))
        if condition is None or (row is not first and later is True):
            break
    return one_of(frozenset(needs), candidates)


def _disagree(decl, values) -> None:
    from dsl.errors import EvaluationProblem

    where = "; ".join(f"{r.citation} at {r.span}" for r, _ in values)
    first = values[0][0]
    raise EvaluationProblem(f"exceptions to `{decl.name}` of equal priority {first.priority} "
                            f"both apply and disagree ({where})", first.span,
                            hint="give one of them a higher priority")


def _origin(env: Env, scope, name: str) -> str:
    if f"{scope.id}.{name}" in env.values:
        return "fact"
    return "default" if scope.inputs[name].default else "not given"
