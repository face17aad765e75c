"""The static checker: resolves every name and infers every expression's type, before
any fact is seen. Each use of a declared term is reported to `on_use`, which is how
the clause graph learns its edges."""
from __future__ import annotations

from typing import Callable

from dsl import ast
from dsl.errors import CovenantError, NameProblem, Span, TypeProblem
from interpreter.static import types as T
from interpreter.evaluation.builtins import BUILTINS
from interpreter.static.scope import Resolver, Scope, Symbol, suggest

_LITERAL_TYPES = {"count": T.COUNT, "decimal": T.DECIMAL, "money": T.MONEY, "percent": T.PERCENT,
                  "date": T.DATE, "duration": T.DURATION, "text": T.TEXT, "bool": T.BOOL,
                  "none": T.NONE, "list": T.list_of(T.ANY)}
_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}
_HINTS = {
    frozenset({"money", "date"}): "a date moves by a duration (e.g. `30 days`); money adds to money",
    frozenset({"money", "count"}): "write an amount of money with `$`, e.g. `$5_000`",
    frozenset({"money", "decimal"}): "write an amount of money with `$`, e.g. `$5_000`",
    frozenset({"date", "count"}): "add a duration such as `30 days` or `6 months` to a date",
    frozenset({"date", "schedule"}): "a schedule is a series of dates: pick one with "
                                     "`next_date(SCHEDULE, DATE)` or `previous_date(SCHEDULE, DATE)`",
}
_SERIES_HINT = "a dated series has a value on each date: read it at one, e.g. `NAME at as_of`"


def _hint(*types: T.Type) -> str | None:
    kinds = frozenset(t.kind for t in types)
    if "series" in kinds:
        return _SERIES_HINT
    return _HINTS.get(kinds)

Use = Callable[[Symbol, Span], None]


class Checker:
    """Type-checks one agreement's declarations, collecting every problem found."""

    def __init__(self, resolver: Resolver, scope: Scope, errors: list[CovenantError], on_use: Use):
        self.resolver = resolver
        self.scope = scope
        self.errors = errors
        self.on_use = on_use

    # -- declarations -------------------------------------------------------
    def check_input_default(self, decl: ast.InputDecl) -> None:
        if decl.default is not None:
            self._expect(decl.default, self.scope.declared[decl.name], {}, "the default value")

    def check_definition(self, decl: ast.Definition) -> None:
        declared = self.scope.declared[decl.name]
        if isinstance(decl.body, ast.Rule):
            self._expect(decl.body.value, declared, {}, f"`{decl.name}`")
            return
        for row in decl.body.rows:
            if row.condition is not None:
                self._expect(row.condition, T.BOOL, {}, "a condition")
            self._expect(row.value, declared, {}, f"`{decl.name}`")

    def check_exception(self, rule: ast.ExceptionRule) -> None:
        declared = self.scope.declared.get(rule.target)
        if rule.target not in self.scope.definitions and rule.target not in self.scope.norms:
            self.errors.append(NameProblem(
                f"exception to unknown definition or norm `{rule.target}`", rule.span,
                hint=suggest(rule.target, [*self.scope.definitions, *self.scope.norms])
                or "an exception overrides a defined term or a norm"))
            declared = T.ANY
        self._expect(rule.condition, T.BOOL, {}, "a condition")
        self._expect(rule.value, declared, {}, f"`{rule.target}`")

    def check_obligation(self, decl: ast.Obligation) -> None:
        if decl.party not in self.scope.parties:
            self.errors.append(NameProblem(
                f"unknown party `{decl.party}` in obligation `{decl.name}`", decl.span,
                hint=suggest(decl.party, self.scope.parties) or "declare it in the header with `party`"))
        local: dict[str, T.Type] = {}
        if decl.every is not None:
            self._expect(decl.every, T.SCHEDULE, {}, "`every period of` needs a schedule:")
            local = {"period": T.PERIOD}
            if decl.done is not None:
                self._performances(decl.done)
        for expr, want, what in ((decl.condition, T.BOOL, "a condition"),
                                 (decl.within, T.DURATION, "a time limit"),
                                 (decl.after, T.DATE, "the date the time limit runs from"),
                                 (decl.by, T.DATE, "a deadline"),
                                 (None if decl.every else decl.done, T.DATE, "the date it was done")):
            if expr is not None:
                self._expect(expr, want, local, what)

    def _performances(self, expr: ast.Expr) -> None:
        """A recurring obligation's `done`: a list of records, each with the `period`
        it is for (the period's date or nominal date) and the `date` it was done."""
        got = self.infer(expr, {})
        record = got.element if got.kind == "list" else None
        fields = {name: typ for name, typ, _ in record.fields} if record and record.kind == "record" else None
        if got.kind == "any" or (record is not None and record.kind == "any"):
            return
        if fields is None or fields.get("period") != T.DATE or fields.get("date") != T.DATE:
            self.errors.append(TypeProblem(
                f"the performances of a recurring obligation must be a list of records with "
                f"`period: date` and `date: date`, but this is {got}", expr.span,
                hint="declare e.g. `type Payment = record { period: date, date: date }` and "
                     "`input payments: list of Payment`: each performance names the period it is for"))

    def check_calendar(self, agreement: ast.Agreement, names: list[str]) -> None:
        """The header's `calendar NAME [closures INPUT]`."""
        span = agreement.calendar_span or agreement.span
        if agreement.calendar not in names:
            self.errors.append(NameProblem(
                f"unknown business-day calendar `{agreement.calendar}`", span,
                hint=suggest(agreement.calendar, names) or f"calendars: {', '.join(names)}"))
        if agreement.closures is not None:
            declared = self.scope.declared.get(agreement.closures)
            if agreement.closures not in self.scope.inputs:
                self.errors.append(NameProblem(
                    f"the closures `{agreement.closures}` must be an input of {self.scope.id}", span,
                    hint=suggest(agreement.closures, self.scope.inputs) or
                    "declare e.g. `input extra_closures: list of date = [] \"days banks were closed\"`"))
            elif declared != T.list_of(T.DATE):
                self.errors.append(TypeProblem(
                    f"the closures `{agreement.closures}` must be a list of date, but it is {declared}", span))

    def check_reading(self, reading: ast.Reading) -> None:
        if reading.target not in self.scope.definitions:
            self.errors.append(NameProblem(
                f"reading `{reading.name}` of unknown definition `{reading.target}`", reading.span,
                hint=suggest(reading.target, self.scope.definitions) or "a reading is another body for a defined term"))
            return
        self._expect(reading.value, self.scope.declared[reading.target], {}, f"`{reading.target}`")

    def check_norm(self, norm: ast.Norm) -> None:
        if norm.action not in self.scope.actions:
            self.errors.append(NameProblem(
                f"unknown action `{norm.action}` in {norm.kind} `{norm.name}`", norm.span,
                hint=suggest(norm.action, self.scope.actions) or "declare it with `action NAME \"...\" { ... }`"))
        if norm.kind == "approval":
            if norm.body is None:
                self.errors.append(NameProblem(f"approval `{norm.name}` does not say whose", norm.span,
                                               hint="add `by BODY`, a body declared in the header"))
            elif norm.body not in self.scope.bodies and norm.body not in self.scope.parties:
                self.errors.append(NameProblem(
                    f"unknown approving body `{norm.body}` in approval `{norm.name}`", norm.span,
                    hint=suggest(norm.body, [*self.scope.bodies, *self.scope.parties])
                    or "declare it in the header with `body NAME \"description\"`"))
        if norm.kind == "require" and norm.requirement is None:
            self.errors.append(TypeProblem(f"requirement `{norm.name}` does not say what is required", norm.span,
                                           hint="add `that CONDITION`"))
        for expr in (norm.condition, norm.unless, norm.requirement):
            if expr is not None:
                self._expect(expr, T.BOOL, {}, "a condition")

    def _expect(self, expr: ast.Expr, want: T.Type, local: dict, what: str) -> None:
        got = self.infer(expr, local)
        if not T.assignable(want, got):
            hint = _hint(want, got)
            self.errors.append(TypeProblem(f"{what} must be {want}, but this is {got}", expr.span, hint=hint))

    # -- expressions --------------------------------------------------------
    def infer(self, expr: ast.Expr, local: dict[str, T.Type]) -> T.Type:
        """The type of `expr`; a problem is recorded and `any` returned so checking goes on."""
        try:
            return self._infer(expr, local)
        except (NameProblem, TypeProblem) as problem:
            self.errors.append(problem)
            return T.ANY

    def _use(self, symbol: Symbol, span: Span) -> T.Type:
        if symbol.kind in ("input", "definition", "obligation", "norm"):
            self.on_use(symbol, span)
        return symbol.type or T.ANY

    def _infer(self, expr, local) -> T.Type:
        if isinstance(expr, ast.Literal):
            return _LITERAL_TYPES[expr.kind]
        if isinstance(expr, ast.Name):
            return self._use(self.resolver.name(self.scope, expr, local), expr.span)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, local)
        if isinstance(expr, ast.Call):
            return self._call(expr, local)
        if isinstance(expr, ast.Binary):
            return self._binary(expr, local)
        if isinstance(expr, ast.Unary):
            operand = self.infer(expr.operand, local)
            if expr.op == "not":
                self._require(operand, T.BOOL, expr.operand.span, "`not` applies to")
                return T.BOOL
            if not (operand.numeric or operand.kind in ("duration", "any")):
                raise TypeProblem(f"cannot negate {operand}", expr.span)
            return operand
        if isinstance(expr, ast.If):
            self._require(self.infer(expr.condition, local), T.BOOL, expr.condition.span, "`if` tests")
            then, other = self.infer(expr.then, local), self.infer(expr.otherwise, local)
            joined = T.join(then, other)
            if joined is None:
                raise TypeProblem(f"the two branches differ: {then} and {other}", expr.span,
                                  hint="both branches of `if` must give the same kind of value")
            return joined
        if isinstance(expr, ast.Member):
            element = self.infer(expr.element, local)
            for option in expr.options:
                got = self.infer(option, local)
                if not T.comparable(element, got, ordering=False):
                    raise TypeProblem(f"cannot look for {element} among {got}", option.span,
                                      hint=_list_hint(element, got))
            return T.BOOL
        if isinstance(expr, ast.Contains):
            element = self.infer(expr.element, local)
            collection = self.infer(expr.collection, local)
            if collection.kind == "schedule":
                self._require(element, T.DATE, expr.element.span, "a schedule holds dates: `in` needs a")
                return T.BOOL
            if collection.kind not in ("list", "any"):
                raise TypeProblem(f"`in` needs a list or `{{a, b}}`, but this is {collection}",
                                  expr.collection.span)
            if collection.element and not T.comparable(element, collection.element, ordering=False):
                raise TypeProblem(f"cannot look for {element} in a {collection}", expr.span)
            return T.BOOL
        if isinstance(expr, ast.IsNone):
            self.infer(expr.operand, local)
            return T.BOOL
        if isinstance(expr, ast.ScheduleExpr):
            return self._schedule(expr, local)
        if isinstance(expr, ast.At):
            series = self.infer(expr.series, local)
            self._require(self.infer(expr.date, local), T.DATE, expr.date.span, "`at` reads a series on a")
            if series.kind == "any":
                return T.ANY
            if series.kind != "series":
                raise TypeProblem(f"`at` reads a dated series, but this is {series}", expr.series.span,
                                  hint="declare the input as `series of ...` to give a value for each date")
            return series.element
        if isinstance(expr, ast.Comprehension):
            source = self.infer(expr.source, local)
            if source.kind not in ("list", "any"):
                raise TypeProblem(f"`for` needs a list, but this is {source}", expr.source.span)
            inner = {**local, expr.variable: source.element or T.ANY}
            if expr.condition is not None:
                self._require(self.infer(expr.condition, inner), T.BOOL, expr.condition.span, "`if` tests")
            return T.list_of(self.infer(expr.element, inner))
        raise TypeError(f"unhandled expression {type(expr).__name__}")

    def _require(self, got: T.Type, want: T.Type, span: Span, what: str) -> None:
        if not T.assignable(want, got):
            raise TypeProblem(f"{what} {want}, but this is {got}", span, hint=_hint(want, got))

    def _schedule(self, expr: ast.ScheduleExpr, local) -> T.Type:
        for part, want, what in ((expr.step, T.DURATION, "`every` steps by a"),
                                 (expr.first, T.DATE, "`from` needs a"),
                                 (expr.until, T.DATE, "`until` needs a"),
                                 (expr.count, T.COUNT, "`for N periods` needs a"),
                                 (expr.since, T.DATE, "`since` needs a"),
                                 (expr.shift, T.DURATION, "`shifted` needs a")):
            if part is not None:
                self._require(self.infer(part, local), want, part.span, what)
        if isinstance(expr.step, ast.Literal) and expr.step.value.unit == "business_day":
            raise TypeProblem("a schedule steps by days, weeks, months, quarters or years, not business days",
                              expr.step.span, hint="shift or adjust the dates instead: `shifted 2 business days`")
        return T.SCHEDULE

    def _attribute(self, expr: ast.Attribute, local) -> T.Type:
        symbol = self.resolver.qualified(self.scope, expr, local)
        if symbol is not None:
            return self._use(symbol, expr.span)
        base = self.infer(expr.base, local)
        record = base.element if base.kind == "list" else base
        if record is None or record.kind == "any":
            return T.ANY
        found = record.field(expr.name) if record.kind == "record" else None
        if found is None:
            names = [f[0] for f in record.fields]
            raise TypeProblem(f"{record} has no field `{expr.name}`", expr.name_span,
                              hint=suggest(expr.name, names) or
                              (f"its fields are {', '.join(names)}" if names else None))
        return T.list_of(found[0]) if base.kind == "list" else found[0]

    def _call(self, expr: ast.Call, local) -> T.Type:
        builtin = BUILTINS.get(expr.func)
        args = [self.infer(a, local) for a in expr.args]
        if builtin is None:
            raise NameProblem(f"unknown function `{expr.func}`", expr.span,
                              hint=suggest(expr.func, BUILTINS) or f"functions are {', '.join(sorted(BUILTINS))}")
        result = builtin.typer(args)
        if isinstance(result, str):
            raise TypeProblem(f"`{expr.func}` {result}", expr.span, hint=f"usage: {builtin.usage}")
        return result

    def _binary(self, expr: ast.Binary, local) -> T.Type:
        left, right = self.infer(expr.left, local), self.infer(expr.right, local)
        op = expr.op
        if op in ("and", "or"):
            self._require(left, T.BOOL, expr.left.span, f"`{op}` joins")
            self._require(right, T.BOOL, expr.right.span, f"`{op}` joins")
            return T.BOOL
        if op in ("<", "<=", ">", ">=", "==", "!="):
            if not T.comparable(left, right, ordering=op not in ("==", "!=")):
                raise TypeProblem(f"cannot compare {left} with {right}", expr.span,
                                  hint=_hint(left, right) or _list_hint(left, right) or _list_hint(right, left))
            return T.BOOL
        result = T.arithmetic(op, left, right)
        if result is None:
            raise TypeProblem(f"cannot {_VERBS[op]} {left} and {right}", expr.span, hint=_hint(left, right))
        return result


def _list_hint(collection: T.Type, element: T.Type) -> str | None:
    """A list asked about as if it were one of its elements: say how to ask whether it
    holds one (a party described by several kinds at once, for instance)."""
    if collection.kind == "list" and collection.element is not None \
            and T.comparable(collection.element, element, ordering=False):
        return "a list holds its members: write `x in LIST` (and `x in LIST or y in LIST` for any of several)"
    return None
