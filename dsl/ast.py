"""The abstract syntax of Covenant: frozen dataclasses, each carrying its source span.

The span is excluded from equality and hashing, so moving a clause to another line
does not change it; only what it says does.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

from dsl.errors import Span

_NOWHERE = Span("<none>", 0, 0, 0, 0)


def _span() -> Span:
    return field(default=_NOWHERE, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Node:
    span: Span = _span()


# ---- citations and types ----------------------------------------------------

@dataclass(frozen=True)
class Citation(Node):
    """One or more section references, e.g. `§ 2(b), 3(a)`."""

    refs: tuple[str, ...]

    def __str__(self) -> str:
        return "§ " + ", ".join(self.refs)


@dataclass(frozen=True)
class NamedType(Node):
    name: str


@dataclass(frozen=True)
class ListType(Node):
    element: "TypeExpr"


@dataclass(frozen=True)
class SeriesType(Node):
    """`series of T`: a value of T in effect from each of several dates."""

    element: "TypeExpr"


TypeExpr = Union[NamedType, ListType, SeriesType]


@dataclass(frozen=True)
class FieldDecl(Node):
    name: str
    type: TypeExpr
    optional: bool


@dataclass(frozen=True)
class EnumDecl(Node):
    members: tuple[str, ...]
    ordered: bool = False  # members listed from lowest to highest


@dataclass(frozen=True)
class RecordDecl(Node):
    fields: tuple[FieldDecl, ...]


# ---- expressions ------------------------------------------------------------

@dataclass(frozen=True)
class Literal(Node):
    """A constant. `kind` is one of count, decimal, money, percent, date, duration, text,
    bool, none, list (the empty list `[]`)."""

    value: object
    kind: str


@dataclass(frozen=True)
class Duration:
    """A length of time in calendar days, months, years or business days."""

    amount: int
    unit: str  # "day", "month", "year", "business_day"

    def __str__(self) -> str:
        word = {"day": "day", "month": "month", "year": "year", "business_day": "business day"}[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"


@dataclass(frozen=True)
class Name(Node):
    id: str


@dataclass(frozen=True)
class Attribute(Node):
    """`base.name`: a record field, a field of every element of a list, or a name
    qualified by its agreement."""

    base: "Expr"
    name: str
    name_span: Span = field(default=_NOWHERE, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class Binary(Node):
    op: str  # + - * / < <= > >= == != and or
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" or "not"
    operand: "Expr"


@dataclass(frozen=True)
class If(Node):
    condition: "Expr"
    then: "Expr"
    otherwise: "Expr"


@dataclass(frozen=True)
class Member(Node):
    element: "Expr"
    options: tuple["Expr", ...]


@dataclass(frozen=True)
class Contains(Node):
    """`element in collection`, the collection being a list-valued expression."""

    element: "Expr"
    collection: "Expr"


@dataclass(frozen=True)
class IsNone(Node):
    operand: "Expr"
    negated: bool


@dataclass(frozen=True)
class Comprehension(Node):
    element: "Expr"
    variable: str
    source: "Expr"
    condition: "Expr | None"


@dataclass(frozen=True)
class ScheduleExpr(Node):
    """`every STEP from FIRST [until END | for N periods] [since START] [shifted BY]
    [adjusted CONVENTION] [month_end]`: a series of dates, see evaluation/schedules.py."""

    step: "Expr"
    first: "Expr"
    until: "Expr | None" = None
    count: "Expr | None" = None
    since: "Expr | None" = None
    shift: "Expr | None" = None
    convention: str = "unadjusted"
    month_end: bool = False


@dataclass(frozen=True)
class At(Node):
    """`S at D`: the value the dated series S has in effect on the date D."""

    series: "Expr"
    date: "Expr"


Expr = Union[Literal, Name, Attribute, Call, Binary, Unary, If, Member, Contains, IsNone, Comprehension,
             ScheduleExpr, At]


# ---- declarations -----------------------------------------------------------

@dataclass(frozen=True)
class Party(Node):
    name: str
    description: str


@dataclass(frozen=True)
class InputDecl(Node):
    name: str
    type: TypeExpr
    optional: bool
    default: Expr | None
    description: str


@dataclass(frozen=True)
class TypeDecl(Node):
    name: str
    body: EnumDecl | RecordDecl


@dataclass(frozen=True)
class Row(Node):
    """One line of a first-match table; `condition` is None for `otherwise`. A row made
    from a grid's column names the column (its heading as written)."""

    condition: Expr | None
    value: Expr
    citation: Citation
    column: str | None = None


@dataclass(frozen=True)
class Table(Node):
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Rule(Node):
    """A single expression with the citation it rests on."""

    value: Expr
    citation: Citation


@dataclass(frozen=True)
class Definition(Node):
    name: str
    type: TypeExpr
    body: Rule | Table
    section: str | None = None

    @property
    def citations(self) -> tuple[Citation, ...]:
        if isinstance(self.body, Rule):
            return (self.body.citation,)
        return tuple(row.citation for row in self.body.rows)


@dataclass(frozen=True)
class ExceptionRule(Node):
    """Overrides `target` with `value` when `condition` holds; higher priority wins."""

    target: str
    label: str | None
    priority: int
    condition: Expr
    value: Expr
    citation: Citation
    section: str | None = None


@dataclass(frozen=True)
class Obligation(Node):
    """`party` must do `action`, by a deadline, if `condition`; `done` is the event date.

    With `every` (a schedule), the obligation recurs: one instance per period, the
    other clauses reading the period as `period`, and `done` is the list of dated
    performances, each naming the period it is for."""

    name: str
    party: str
    action: str
    condition: Expr | None
    within: Expr | None
    after: Expr | None
    by: Expr | None
    done: Expr | None
    citation: Citation
    section: str | None = None
    every: Expr | None = None


@dataclass(frozen=True)
class ActionDecl(Node):
    """A kind of proposed action and the particulars it is described by."""

    name: str
    description: str
    fields: tuple[FieldDecl, ...]


@dataclass(frozen=True)
class Norm(Node):
    """A rule about a proposed action.

    kind: prohibit (the action is prohibited when it applies), require (when it
    applies, `requirement` must hold or the action is not permitted), approval (when
    it applies, `body` must approve), permit (an express permission)."""

    kind: str
    name: str
    action: str
    condition: Expr | None
    unless: Expr | None
    requirement: Expr | None
    body: str | None
    citation: Citation
    section: str | None = None

    @property
    def citations(self) -> tuple[Citation, ...]:
        return (self.citation,)


@dataclass(frozen=True)
class Reading(Node):
    """An alternative reading of `target`: the body it takes when the reading is chosen."""

    name: str
    target: str
    description: str
    value: Expr
    citation: Citation


@dataclass(frozen=True)
class Patch(Node):
    """One change an amendment makes to the agreement it amends.

    op: delete_sections (targets: section numbers), delete_definitions (targets:
    names), replace_definition, replace_section, insert_section (`section` is the new
    heading, `items` the new declarations). `provenance` cites the amending section."""

    op: str
    targets: tuple[str, ...]
    section: "Section | None"
    items: tuple["Declaration", ...]
    provenance: Citation
    under: str | None = None  # the section of the amending document the patch stands in


@dataclass(frozen=True)
class Section(Node):
    """A numbered section heading; `status` is encoded, boilerplate or not_encoded."""

    number: str
    title: str
    status: str
    note: str | None


@dataclass(frozen=True)
class Agreement(Node):
    id: str
    title: str
    dated: dt.date | None
    effective: dt.date | None
    effective_when: Expr | None
    effective_citation: Citation | None
    parties: tuple[Party, ...]
    bodies: tuple[Party, ...]
    governing_law: str | None
    restates: str | None
    amends: str | None
    source: str | None
    sections: tuple[Section, ...]
    inputs: tuple[InputDecl, ...]
    types: tuple[TypeDecl, ...]
    definitions: tuple[Definition, ...]
    exceptions: tuple[ExceptionRule, ...]
    obligations: tuple[Obligation, ...]
    actions: tuple[ActionDecl, ...] = ()
    norms: tuple[Norm, ...] = ()
    readings: tuple[Reading, ...] = ()
    patches: tuple[Patch, ...] = ()
    # The business-day calendar named in the header, and the input (a list of dates)
    # giving extra closures; None: Monday to Friday are business days.
    calendar: str | None = None
    closures: str | None = None
    calendar_span: Span | None = field(default=None, compare=False, repr=False)
    path: str = field(default="", compare=False, kw_only=True)
    # (part, "amendment § provenance") for each part an amendment last changed.
    amended_by: tuple[tuple[str, str], ...] = field(default=(), compare=False, kw_only=True)
    # The comments of the text, in order: for the formatter and the editor, not the meaning.
    comments: tuple["Comment", ...] = field(default=(), compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Comment(Node):
    """A `# ...` comment, with its position (kept beside the tree, not in it)."""

    text: str


Declaration = Union[InputDecl, TypeDecl, Definition, ExceptionRule, Obligation, ActionDecl, Norm, Reading]

