"""Expressions of the language, from the parse tree to the AST: operators, schedules,
calls, comprehensions and literals (mixed into the parser's transformer)."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from difflib import get_close_matches

from lark import Token, Transformer, v_args

from dsl import ast
from dsl.errors import Span, SyntaxProblem
from dsl.limits import number_problem

_CONVENTIONS = ("unadjusted", "following", "modified_following", "preceding", "modified_preceding")
_SCHEDULE_WORDS = {"until": "until", "count": "for N periods", "since": "since", "shift": "shifted",
                   "convention": "adjusted", "month_end": "month_end"}
_UNIT_AS = {"week": ("day", 7), "quarter": ("month", 3)}


def number_value(text: str) -> Decimal | int:
    clean = text.replace("_", "")
    return Decimal(clean) if "." in clean else int(clean)


def tok_span(file: str, tok: Token) -> Span:
    return Span(file, tok.line, tok.column, tok.end_line, tok.end_column, tok.start_pos, tok.end_pos)


def check_number(file: str, tok: Token, text: str) -> None:
    """A number literal within the limits on digits and size (`dsl.limits`)."""
    whole, _, fraction = text.replace("_", "").partition(".")
    problem = number_problem(whole, fraction)
    if problem:
        raise SyntaxProblem(problem, tok_span(file, tok),
                            "no amount in an agreement needs more; check for a stray run of digits")


def unquote(token: Token) -> str:
    return str(token)[1:-1]


@v_args(meta=True)
class ExpressionsToAst(Transformer):
    """The transformer's rules for expressions; every node gets the span of its rule
    (`_span`, `_tok_span` and `file` come from the parser's transformer, which extends it)."""

    def _binary(op):
        def build(self, meta, c):
            return ast.Binary(op, c[0], c[-1], span=self._span(meta))
        return build

    or_ = _binary("or")
    and_ = _binary("and")
    add = _binary("+")
    sub = _binary("-")
    mul = _binary("*")
    div = _binary("/")

    def compare(self, meta, c):
        return ast.Binary(str(c[1]), c[0], c[2], span=self._span(meta))

    def not_(self, meta, c):
        return ast.Unary("not", c[0], span=self._span(meta))

    def neg(self, meta, c):
        return ast.Unary("-", c[0], span=self._span(meta))

    def schedule(self, meta, c):
        step, first, *parts = c
        fields: dict = {}
        for key, value, span in parts:
            if key in fields:
                raise SyntaxProblem(f"a schedule says `{_SCHEDULE_WORDS[key]}` twice", span,
                                    "keep one of them")
            fields[key] = value
        if "until" in fields and "count" in fields:
            raise SyntaxProblem("a schedule ends either `until` a date or `for N periods`, not both",
                                self._span(meta), "keep one of them")
        return ast.ScheduleExpr(step, first, span=self._span(meta), **fields)

    def sched_until(self, meta, c):
        return ("until", c[0], self._span(meta))

    def sched_count(self, meta, c):
        return ("count", c[0], self._span(meta))

    def sched_since(self, meta, c):
        return ("since", c[0], self._span(meta))

    def sched_shift(self, meta, c):
        return ("shift", c[0], self._span(meta))

    def sched_adjust(self, meta, c):
        name = str(c[0])
        if name not in _CONVENTIONS:
            close = get_close_matches(name, _CONVENTIONS, n=1)
            raise SyntaxProblem(f"unknown business-day convention `{name}`", self._tok_span(c[0]),
                                f"did you mean `{close[0]}`?" if close else
                                f"conventions are {', '.join(_CONVENTIONS)}")
        return ("convention", name, self._span(meta))

    def sched_month_end(self, meta, c):
        return ("month_end", True, self._span(meta))

    def at(self, meta, c):
        return ast.At(c[0], c[1], span=self._span(meta))

    def if_expr(self, meta, c):
        return ast.If(c[0], c[1], c[2], span=self._span(meta))

    def member(self, meta, c):
        return ast.Member(c[0], tuple(c[1:]), span=self._span(meta))

    def contains(self, meta, c):
        return ast.Contains(c[0], c[1], span=self._span(meta))

    def is_none(self, meta, c):
        return ast.IsNone(c[0], False, span=self._span(meta))

    def is_some(self, meta, c):
        return ast.IsNone(c[0], True, span=self._span(meta))

    def attribute(self, meta, c):
        return ast.Attribute(c[0], str(c[1]), span=self._span(meta), name_span=self._tok_span(c[1]))

    def name(self, meta, c):
        return ast.Name(str(c[0]), span=self._span(meta))

    def call(self, meta, c):
        args = tuple(a for a in c[1:] if a is not None)
        return ast.Call(str(c[0]), args, span=self._span(meta))

    def comprehension(self, meta, c):
        element, var, source = c[0], str(c[1]), c[2]
        condition = c[3] if len(c) > 3 else None
        return ast.Comprehension(element, var, source, condition, span=self._span(meta))

    def ratio(self, meta, c):
        """`3.50:1.00` is the decimal 3.5, the ratio of the first number to the second."""
        first, second = str(c[0]).split(":")
        if Decimal(second.replace("_", "")) == 0:
            raise SyntaxProblem(f"`{c[0]}` divides by zero", self._tok_span(c[0]),
                                "a ratio is written e.g. `3.50:1.00` or `4:1`")
        value = Decimal(first.replace("_", "")) / Decimal(second.replace("_", ""))
        return ast.Literal(value, "decimal", span=self._span(meta))

    def number(self, meta, c):
        check_number(self.file, c[0], str(c[0]))
        value = number_value(str(c[0]))
        return ast.Literal(value, "count" if isinstance(value, int) else "decimal", span=self._span(meta))

    def money(self, meta, c):
        check_number(self.file, c[0], str(c[0])[1:])
        return ast.Literal(Decimal(str(c[0])[1:].replace("_", "")), "money", span=self._span(meta))

    def percent(self, meta, c):
        check_number(self.file, c[0], str(c[0])[:-1])
        return ast.Literal(Decimal(str(c[0])[:-1].replace("_", "")) / 100, "percent", span=self._span(meta))

    def date(self, meta, c):
        return ast.Literal(self._calendar_date(c[0]), "date", span=self._span(meta))

    def _duration(self, meta, amount: Token, unit: str):
        check_number(self.file, amount, str(amount))
        value = number_value(str(amount))
        if not isinstance(value, int):
            raise SyntaxProblem("a duration is a whole number of units", self._tok_span(amount),
                                "write e.g. `30 days` or `6 months`")
        return ast.Literal(ast.Duration(value, unit), "duration", span=self._span(meta))

    def duration(self, meta, c):
        unit = str(c[1]).rstrip("s")
        literal = self._duration(meta, c[0], _UNIT_AS.get(unit, (unit, 1))[0])
        factor = _UNIT_AS.get(unit, (unit, 1))[1]
        if factor == 1:
            return literal
        # Weeks are counted in days and quarters in months, so that they compare and
        # add with the durations agreements usually state.
        return replace(literal, value=ast.Duration(literal.value.amount * factor, literal.value.unit))

    def business_duration(self, meta, c):
        if not str(c[1]).startswith("day"):
            raise SyntaxProblem("only days can be business days", self._tok_span(c[1]),
                                "write e.g. `2 business days`")
        return self._duration(meta, c[0], "business_day")

    def string(self, meta, c):
        return ast.Literal(unquote(c[0]), "text", span=self._span(meta))

    def empty_list(self, meta, c):
        return ast.Literal((), "list", span=self._span(meta))

    def true(self, meta, c):
        return ast.Literal(True, "bool", span=self._span(meta))

    def false(self, meta, c):
        return ast.Literal(False, "bool", span=self._span(meta))

    def none(self, meta, c):
        return ast.Literal(None, "none", span=self._span(meta))

    def expression_input(self, meta, c):
        return c[0]

    # -- the whole file -------------------------------------------------------
