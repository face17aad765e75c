"""Parse Covenant source text into the AST of `dsl.ast`."""
from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Tree, v_args
from lark.exceptions import UnexpectedInput, VisitError

from dsl import ast
from dsl.dates import NotADate, calendar_date
from dsl.errors import CovenantError, Span, SyntaxProblem
from dsl.limits import COV_FILE_BYTES, EXPRESSION_DEPTH
from dsl.reading import read_text
from dsl.expression_ast import ExpressionsToAst, check_number, number_value, tok_span, unquote
from dsl.syntax_messages import describe_syntax_error

GRAMMAR = Path(__file__).with_name("covenant.lark")


# The comments the lexer meets while a text is parsed (the grammar ignores them, so
# they reach no tree; the formatter and the language server want them).
_COMMENTS: ContextVar[list[Token] | None] = ContextVar("comments", default=None)


def _keep_comment(token: Token) -> Token:
    sink = _COMMENTS.get()
    if sink is not None:
        sink.append(token)
    return token


def _lark(**options) -> Lark:
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                propagate_positions=True, maybe_placeholders=True,
                lexer_callbacks={"COMMENT": _keep_comment}, **options)


@lru_cache(maxsize=1)
def grammar_parser() -> Lark:
    """The LALR parser, built once per process."""
    return _lark(start=["start", "expression_input"])


@lru_cache(maxsize=1)
def _concrete_parser() -> Lark:
    return _lark(start="start", keep_all_tokens=True)


def _check_depth(tree: Tree, file: str) -> None:
    """Refuse a parse tree nested deeper than EXPRESSION_DEPTH (walked without
    recursion), before anything recursive walks it."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > EXPRESSION_DEPTH:
            where = node if isinstance(node, Token) else getattr(node, "meta", None)
            span = Span(file, getattr(where, "line", 0), getattr(where, "column", 0),
                        getattr(where, "end_line", 0), getattr(where, "end_column", 0),
                        getattr(where, "start_pos", 0), getattr(where, "end_pos", 0))
            raise SyntaxProblem(f"this is nested more than {EXPRESSION_DEPTH} levels deep", span,
                                "split the expression into named terms, each with its own rule")
        if isinstance(node, Tree):
            stack.extend((child, depth + 1) for child in node.children if child is not None)


@v_args(meta=True)
class _ToAst(ExpressionsToAst):
    """Builds AST nodes bottom-up; every node gets the span of its rule."""

    def __init__(self, file: str, text: str):
        super().__init__()
        self.file, self.text = file, text

    # -- positions ------------------------------------------------------------
    def _span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.file, 0, 0, 0, 0)
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column,
                    meta.start_pos, meta.end_pos)

    def _tok_span(self, tok: Token) -> Span:
        return tok_span(self.file, tok)

    def _citation(self, tok: Token) -> ast.Citation:
        body = str(tok).lstrip("§").strip()
        refs = tuple(" ".join(part.split()) for part in body.split(","))
        return ast.Citation(refs, span=self._tok_span(tok))

    # -- header -----------------------------------------------------------------
    def header(self, meta, children):
        name, title, *fields = children
        return ("header", str(name), unquote(title), fields, self._span(meta))

    def _calendar_date(self, tok: Token) -> dt.date:
        try:
            return calendar_date(str(tok))
        except NotADate as problem:
            raise SyntaxProblem(f"`{tok}` is not a calendar date" + (f": {problem.reason}" if problem.reason else ""),
                                self._tok_span(tok),
                                "dates are written YYYY-MM-DD, e.g. 2006-12-28") from None

    def effective_when(self, meta, c):
        return ("effective_when", (c[0], self._citation(c[1])))

    def dated(self, meta, c):
        return ("dated", self._calendar_date(c[0]))

    def effective(self, meta, c):
        return ("effective", self._calendar_date(c[0]))

    def party(self, meta, c):
        return ("party", ast.Party(str(c[0]), unquote(c[1]), span=self._span(meta)))

    def body(self, meta, c):
        return ("body", ast.Party(str(c[0]), unquote(c[1]), span=self._span(meta)))

    def governing_law(self, meta, c):
        return ("governing_law", unquote(c[0]))

    def restates(self, meta, c):
        return ("restates", str(c[0]))

    def amends(self, meta, c):
        return ("amends", str(c[0]))

    def source(self, meta, c):
        path = unquote(c[0])
        parts = path.replace("\\", "/").split("/")
        if path.startswith(("/", "\\", "~")) or ":" in parts[0] or ".." in parts or not path.strip():
            raise SyntaxProblem(f"the source text `{path}` is not a file in the agreement's folder",
                                self._tok_span(c[0]),
                                "name it relative to the .cov file, inside its folder, e.g. "
                                "\"source/agreement.txt\"")
        return ("source", path)

    def calendar(self, meta, c):
        name, closures = c
        return ("calendar", (str(name), str(closures) if closures is not None else None, self._span(meta)))

    # -- declarations ---------------------------------------------------------
    def section(self, meta, c):
        number = self._citation(c[0]).refs[0]
        status, note = ("encoded", None)
        if len(c) > 2 and c[2] is not None:
            status, note = c[2]
        return ast.Section(number, unquote(c[1]), status, note, span=self._span(meta))

    def boilerplate(self, meta, c):
        return ("boilerplate", unquote(c[0]))

    def not_encoded(self, meta, c):
        return ("not_encoded", unquote(c[0]))

    def input_decl(self, meta, c):
        name, typ = c[0], c[1]
        mode = c[2] if len(c) == 4 else None
        description = unquote(c[-1])
        optional = mode == "optional"
        default = mode[1] if isinstance(mode, tuple) else None
        return ast.InputDecl(str(name), typ, optional, default, description, span=self._span(meta))

    def optional(self, meta, c):
        return "optional"

    def default(self, meta, c):
        return ("default", c[0])

    def type_decl(self, meta, c):
        return ast.TypeDecl(str(c[0]), c[1], span=self._span(meta))

    def enum_type(self, meta, c):
        return ast.EnumDecl(tuple(str(t) for t in c), span=self._span(meta))

    def ordered_enum_type(self, meta, c):
        return ast.EnumDecl(tuple(str(t) for t in c), ordered=True, span=self._span(meta))

    def record_type(self, meta, c):
        return ast.RecordDecl(tuple(c), span=self._span(meta))

    def field_decl(self, meta, c):
        return ast.FieldDecl(str(c[0]), c[1], len(c) > 2, span=self._span(meta))

    def named_type(self, meta, c):
        return ast.NamedType(str(c[0]), span=self._span(meta))

    def list_type(self, meta, c):
        return ast.ListType(c[0], span=self._span(meta))

    def series_type(self, meta, c):
        return ast.SeriesType(c[0], span=self._span(meta))

    def definition(self, meta, c):
        return ast.Definition(str(c[0]), c[1], c[2], span=self._span(meta))

    def plain_body(self, meta, c):
        return ast.Rule(c[0], self._citation(c[1]), span=self._span(meta))

    def table(self, meta, c):
        return ast.Table(tuple(r for r in c if r is not None), span=self._span(meta))

    def row(self, meta, c):
        return ast.Row(c[0], c[1], self._citation(c[2]), span=self._span(meta))

    def otherwise(self, meta, c):
        return ast.Row(None, c[0], self._citation(c[1]), span=self._span(meta))

    def grid(self, meta, c):
        """A grid is several definitions, one a row: each picks the cell of the column
        whose value equals the key."""
        rows = [x for x in c if isinstance(x, tuple)]
        (key, columns), rows = rows[0], rows[1:]
        citation = self._citation(c[-1])
        definitions = []
        for name, typ, cells, span in rows:
            if len(cells) != len(columns):
                raise SyntaxProblem(f"the row `{name}` has {len(cells)} cells but the grid has "
                                    f"{len(columns)} columns", span,
                                    "give one value under each column, separated by `|`")
            table = ast.Table(tuple(ast.Row(ast.Binary("==", key, column, span=column.span), cell, citation,
                                            " ".join(self.text[column.span.start:column.span.end].split()),
                                            span=cell.span)
                                    for column, cell in zip(columns, cells)), span=span)
            definitions.append(ast.Definition(name, typ, table, span=span))
        return definitions

    def grid_head(self, meta, c):
        return (c[0], tuple(c[1:]))

    def grid_row(self, meta, c):
        return (str(c[0]), c[1], tuple(c[2:]), self._span(meta))

    def exception_rule(self, meta, c):
        target = str(c[0])
        rest = list(c[1:])
        label = unquote(rest.pop(0)) if isinstance(rest[0], Token) and rest[0].type == "STRING" else None
        priority = rest.pop(0) if isinstance(rest[0], int) else 1
        condition, value, citation = rest
        return ast.ExceptionRule(target, label, priority, condition, value,
                                 self._citation(citation), span=self._span(meta))

    def priority(self, meta, c):
        check_number(self.file, c[0], str(c[0]))
        value = number_value(str(c[0]))
        if not isinstance(value, int):
            raise SyntaxProblem("a priority is a whole number", self._tok_span(c[0]),
                                "write e.g. `priority 2`")
        return value

    def obligation(self, meta, c):
        name, party, action, *clauses, citation = c
        parts = {"condition": None, "within": None, "after": None, "by": None, "done": None, "every": None}
        for key, *values in clauses:
            if key == "within":
                parts["within"], parts["after"] = values
            else:
                parts[key] = values[0]
        return ast.Obligation(str(name), str(party), unquote(action), citation=self._citation(citation),
                              span=self._span(meta), **parts)

    def action_decl(self, meta, c):
        return ast.ActionDecl(str(c[0]), unquote(c[1]), tuple(c[2:]), span=self._span(meta))

    def norm(self, meta, c):
        kind, name, action, *clauses, citation = c
        parts = {"condition": None, "unless": None, "requirement": None, "body": None}
        for key, value in clauses:
            parts[key] = value
        return ast.Norm(str(kind), str(name), str(action), citation=self._citation(citation),
                        span=self._span(meta), **parts)

    def reading(self, meta, c):
        return ast.Reading(str(c[0]), str(c[1]), unquote(c[2]), c[3], self._citation(c[4]),
                           span=self._span(meta))

    def delete_sections(self, meta, c):
        return ast.Patch("delete_sections", self._citation(c[0]).refs, None, (), self._citation(c[1]),
                         span=self._span(meta))

    def delete_definitions(self, meta, c):
        return ast.Patch("delete_definitions", tuple(str(t) for t in c[:-1]), None, (),
                         self._citation(c[-1]), span=self._span(meta))

    def replace_definition(self, meta, c):
        return ast.Patch("replace_definition", (c[0].name,), None, (c[0],), self._citation(c[1]),
                         span=self._span(meta))

    def _section_patch(self, op, meta, c):
        status, note = c[2] if isinstance(c[2], tuple) else ("encoded", None)
        heading = ast.Section(self._citation(c[0]).refs[0], unquote(c[1]), status, note,
                              span=self._tok_span(c[0]))
        body = _flat(c[3:-1] if isinstance(c[2], tuple) else c[2:-1])
        items = tuple(replace(i, section=heading.number) if hasattr(i, "section") else i for i in body)
        return ast.Patch(op, (heading.number,), heading, items, self._citation(c[-1]), span=self._span(meta))

    def replace_section(self, meta, c):
        return self._section_patch("replace_section", meta, c)

    def insert_section(self, meta, c):
        return self._section_patch("insert_section", meta, c)

    def norm_kind(self, meta, c):
        return str(c[0])

    def norm_when(self, meta, c):
        return ("condition", c[0])

    def norm_unless(self, meta, c):
        return ("unless", c[0])

    def norm_that(self, meta, c):
        return ("requirement", c[0])

    def norm_by(self, meta, c):
        return ("body", str(c[0]))

    def ob_every(self, meta, c):
        return ("every", c[0])

    def ob_condition(self, meta, c):
        return ("condition", c[0])

    def ob_within(self, meta, c):
        return ("within", c[0], c[1])

    def ob_by(self, meta, c):
        return ("by", c[0])

    def ob_done(self, meta, c):
        return ("done", c[0])

    def start(self, meta, c):
        _, agreement_id, title, fields, span = c[0]
        head: dict = {"dated": None, "effective": None, "governing_law": None,
                      "restates": None, "amends": None, "source": None,
                      "effective_when": None, "effective_citation": None,
                      "calendar": None, "closures": None, "calendar_span": None}
        parties, bodies = [], []
        for key, value in fields:
            if key == "party":
                parties.append(value)
            elif key == "body":
                bodies.append(value)
            elif key == "effective_when":
                head["effective_when"], head["effective_citation"] = value
            elif key == "calendar":
                head["calendar"], head["closures"], head["calendar_span"] = value
            else:
                head[key] = value
        sections, inputs, types, definitions, exceptions, obligations = [], [], [], [], [], []
        actions, norms, readings, patches = [], [], [], []
        current = None
        for item in _flat(c[1:]):
            if isinstance(item, ast.Section):
                sections.append(item)
                current = item.number
            elif isinstance(item, ast.InputDecl):
                inputs.append(item)
            elif isinstance(item, ast.TypeDecl):
                types.append(item)
            elif isinstance(item, ast.Definition):
                definitions.append(replace(item, section=current))
            elif isinstance(item, ast.ExceptionRule):
                exceptions.append(replace(item, section=current))
            elif isinstance(item, ast.Obligation):
                obligations.append(replace(item, section=current))
            elif isinstance(item, ast.ActionDecl):
                actions.append(item)
            elif isinstance(item, ast.Norm):
                norms.append(replace(item, section=current))
            elif isinstance(item, ast.Reading):
                readings.append(item)
            elif isinstance(item, ast.Patch):
                patches.append(replace(item, under=current))
        return ast.Agreement(agreement_id, title, parties=tuple(parties), bodies=tuple(bodies),
                             sections=tuple(sections), actions=tuple(actions), norms=tuple(norms),
                             readings=tuple(readings), patches=tuple(patches),
                             inputs=tuple(inputs), types=tuple(types), definitions=tuple(definitions),
                             exceptions=tuple(exceptions), obligations=tuple(obligations),
                             span=span, path=self.file, **head)


def _flat(items) -> list:
    """Items in order, the definitions of a grid in place of the grid."""
    return [x for item in items for x in (item if isinstance(item, list) else (item,))]


def parse(text: str, file: str = "<string>") -> ast.Agreement:
    """Parse one `.cov` text; raise `SyntaxProblem` with a friendly message on error.
    The agreement's `comments` are the text's comments, in order (not part of equality)."""
    sink: list[Token] = []
    reset = _COMMENTS.set(sink)
    try:
        agreement = _parse(text, file, "start")
    finally:
        _COMMENTS.reset(reset)
    comments = tuple(ast.Comment(str(t), span=Span(file, t.line, t.column, t.end_line, t.end_column,
                                                   t.start_pos, t.end_pos)) for t in sink)
    return replace(agreement, comments=comments)


def concrete_tree(text: str) -> tuple[Tree, list[Token]]:
    """The text's concrete syntax tree — every token kept, keywords and punctuation
    included, with positions — and its comment tokens in order: what the formatter
    lays out. The text must parse (call `parse` first for a friendly error)."""
    sink: list[Token] = []
    reset = _COMMENTS.set(sink)
    try:
        return _concrete_parser().parse(text), sink
    finally:
        _COMMENTS.reset(reset)


def parse_expression(text: str, file: str = "<input>") -> ast.Expr:
    """Parse a single expression (as typed at the REPL)."""
    return _parse(text, file, "expression_input")


def _parse(text: str, file: str, start: str):
    parser = grammar_parser()
    try:
        tree = parser.parse(text, start=start)
    except UnexpectedInput as error:
        raise describe_syntax_error(error, text, file, parser) from None
    _check_depth(tree, file)
    try:
        return _ToAst(file, text).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, CovenantError):
            raise error.orig_exc from None
        raise


def parse_file(path: str | Path) -> ast.Agreement:
    """Read and parse a `.cov` file."""
    text = read_text(path, ".cov file", COV_FILE_BYTES, SyntaxProblem)
    return parse(text, str(path))
