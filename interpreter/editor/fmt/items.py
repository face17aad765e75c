"""Declarations laid out: the header and its fields, section headings, inputs,
types, rules and tables, exceptions, obligations, norms, readings and patches.

Each layout works on the concrete tree of the declaration. A declaration this module
does not know is laid out by its shape: its leading words on one line, each clause
(a part that begins with a keyword) on a line of its own, and a closing citation in
the citation column."""
from __future__ import annotations

from lark import Token, Tree

from interpreter.editor.fmt.expressions import Lines, layout
from interpreter.editor.fmt.lines import Comments, Line, room
from interpreter.editor.fmt.pieces import (Piece, flat, is_expression, starts_with_keyword, tokens_of,
                                           type_rules, width)

INDENT = 2


class Layout:
    """Lays out the declarations of one text."""

    def __init__(self, comments: Comments):
        self.comments = comments

    # ---- sequences of declarations ---------------------------------------
    def items(self, items: list[Tree], indent: int, in_block: bool = False) -> list[Line]:
        """Declarations in order; at the top level, those under a section heading are
        indented under it."""
        out: list[Line] = []
        under_section = False
        previous = None
        for index, item in enumerate(items):
            is_section = item.data == "section"
            level = indent + (INDENT if under_section and not is_section else 0)
            lines = self.item(item, level)
            lines[0].starts_item = True
            if index == 0 and in_block:
                lines[0].blank = "never"
            elif is_section and previous is not None and previous.data != "section":
                lines[0].blank = "force"
            out += lines
            under_section = under_section or (is_section and not in_block)
            previous = item
        return out

    def item(self, item: Tree, indent: int) -> list[Line]:
        method = getattr(self, f"_{item.data}", None)
        return method(item, indent) if method else self.by_shape(item, indent)

    # ---- generic shapes ---------------------------------------------------
    def inline(self, node, column: int, limit: int) -> Lines:
        """`node` from `column`: its tokens in a row, its expressions broken to fit."""
        spaces = {id(p.token): p.space for p in flat(node)}
        lines: Lines = [(column, [])]
        for child in (node.children if isinstance(node, Tree) else [node]):
            if child is None:
                continue
            indent, current = lines[-1]
            at = indent + width(current) + (1 if current else 0)
            if isinstance(child, Token):
                lines[-1] = (indent, current + [Piece(child, spaces[id(child)])])
                continue
            sub = layout(child, at, limit) if is_expression(child) else self.inline(child, at, limit)
            head = sub[0][1]
            if head:
                head = [head[0]._replace(space=spaces[id(head[0].token)]), *head[1:]]
            lines[-1] = (indent, current + head)
            lines += sub[1:]
        return lines

    def lines(self, node, indent: int, citation: Token | None = None) -> list[Line]:
        """`node` as lines from `indent`, `citation` at the end of the last."""
        limit = room(citation)
        laid = layout(node, indent, limit) if is_expression(node) else self.inline(node, indent, limit)
        out = [Line(i, pieces) for i, pieces in laid]
        out[-1].citation = citation
        return out

    @staticmethod
    def fits(lines: list[Line]) -> bool:
        """One line, within its width."""
        return len(lines) == 1 and lines[0].indent + width(lines[0].pieces) <= room(lines[0].citation)

    def by_shape(self, node: Tree, indent: int) -> list[Line]:
        """The leading words, then each clause on a line of its own, then the citation."""
        children = [c for c in node.children if c is not None]
        citation = _closing_citation(children)
        body = children[:-1] if citation is not None else children
        one_line = self.lines(Tree(node.data, body), indent, citation)
        if self.fits(one_line) and not self._comment_inside(node) and node.data not in _CLAUSES_APART:
            return one_line
        clauses = [i for i, c in enumerate(body) if i > 0 and _is_clause(c)]
        if not clauses:
            return one_line
        out = self.lines(Tree(node.data, body[:clauses[0]]), indent)
        for start, end in zip(clauses, clauses[1:] + [len(body)]):
            last = end == len(body)
            out += self.lines(Tree(node.data, body[start:end]), indent + INDENT, citation if last else None)
        return out

    def _comment_inside(self, node: Tree) -> bool:
        tokens = tokens_of(node)
        return self.comments.inside(tokens[0][0].start_pos, tokens[-1][0].end_pos)

    def _rule(self, head: list, value, citation: Token, indent: int, name: str) -> list[Line]:
        """`head value  § c` on one line if it fits; else `head` then the value broken
        over lines indented under it."""
        one = self.lines(Tree(name, [*head, value]), indent, citation)
        if self.fits(one):
            return one
        return self.lines(Tree(name, head), indent) + self.lines(value, indent + INDENT, citation)

    def _arrow(self, node: Tree, indent: int) -> list[Line]:
        """`when condition -> value  § c` (a row, an exception), the value on a line of
        its own when the whole does not fit."""
        children = [c for c in node.children if c is not None]
        citation, arrow = children[-1], next(i for i, c in enumerate(children) if str(c) == "->")
        one = self.lines(Tree(node.data, children[:-1]), indent, citation)
        if self.fits(one):
            return one
        return (self.lines(Tree(node.data, children[:arrow]), indent)
                + self.lines(Tree(node.data, children[arrow:-1]), indent + INDENT, citation))

    def _braced(self, node: Tree, indent: int, packed: bool) -> list[Line]:
        """`head { a, b, c }` on one line when it fits and holds no comment; else the
        head and `{`, the parts (one a line, or packed when `packed`), and `}`."""
        children = list(node.children)
        one = self.lines(node, indent)
        if self.fits(one) and not self._comment_inside(node):
            return one
        open_at = next(i for i, c in enumerate(children) if str(c) == "{")
        head = self.lines(Tree(node.data, children[:open_at + 1]), indent)
        parts = children[open_at + 1:-1]
        inner: list[Line] = []
        if packed and not self._comment_inside(node):
            names = Tree("members", parts)
            inner = [Line(i, p) for i, p in _packed_lines(names, indent + INDENT)]
        else:
            for part in parts:
                if isinstance(part, Token) and part.type == "COMMA":
                    inner[-1].pieces.append(Piece(part, False))
                else:
                    inner += self.lines(part, indent + INDENT)
        return head + inner + [Line(indent, [Piece(children[-1], False)])]

    # ---- declarations -------------------------------------------------------
    def _header(self, node: Tree, indent: int) -> list[Line]:
        head = [c for c in node.children if isinstance(c, Token)]
        lines = self.lines(Tree("header", head), indent)
        for field in (c for c in node.children if isinstance(c, Tree)):
            children = list(field.children)
            citation = _closing_citation(children)
            body = Tree(field.data, children[:-1] if citation is not None else children)
            lines += self.lines(body, indent + INDENT, citation)
            lines[-1].aligned = False  # the header reads as a list of facts, not of rules
        return lines

    def _input_decl(self, node: Tree, indent: int) -> list[Line]:
        one = self.lines(node, indent)
        if self.fits(one):
            return one
        children = [c for c in node.children if c is not None]
        return self.lines(Tree("input_decl", children[:-1]), indent) + self.lines(children[-1], indent + INDENT)

    def _type_decl(self, node: Tree, indent: int) -> list[Line]:
        keyword, name, equals, body = node.children
        lines = self._braced(Tree(body.data, [keyword, name, equals, *body.children]), indent,
                             packed=body.data in ("enum_type", "ordered_enum_type"))
        return lines

    def _action_decl(self, node: Tree, indent: int) -> list[Line]:
        return self._braced(node, indent, packed=False)

    def _definition(self, node: Tree, indent: int) -> list[Line]:
        name, colon, type_, equals, body = node.children
        head = [name, colon, type_, equals]
        if body.data == "table":
            first, *rows = [c for c in body.children if c is not None]
            lines = self.lines(Tree("definition", head), indent)
            lines += [Line(indent + INDENT, [Piece(first, False)])]
            for row in rows:
                lines += self._arrow(row, indent + 2 * INDENT)
            return lines
        value, citation = body.children
        return self._rule(head, value, citation, indent, "definition")

    def _grid(self, node: Tree, indent: int) -> list[Line]:
        """`grid "title"`, then the header and each row as a table with its columns
        aligned, then the citation."""
        children = [c for c in node.children if c is not None]
        rows = [c for c in children if isinstance(c, Tree)]
        lines = [Line(indent, [Piece(t, i > 0) for i, t in enumerate(children[:-len(rows) - 1])])]
        table = [_cells(row) for row in rows]
        widths = [max(width(cells[k][1]) for cells, _ in table) for k in range(len(table[0][0]))]
        for cells, closing in table:
            pieces: list[Piece] = []
            for k, (bar, cell) in enumerate(cells):
                pieces += [Piece(bar, k > 0), *cell]
                pad = widths[k] - width(cell)
                if pad:
                    pieces.append(Piece(Token.new_borrow_pos("PAD", " " * pad, cell[-1].token), False))
            lines.append(Line(indent + INDENT, pieces + [Piece(closing, True)]))
        return lines + [Line(indent + INDENT, [], children[-1])]

    def _exception_rule(self, node: Tree, indent: int) -> list[Line]:
        children = [c for c in node.children if c is not None]
        when = next(i for i, c in enumerate(children) if isinstance(c, Token) and c.type == "WHEN")
        one = self.lines(Tree("exception_rule", children[:-1]), indent, children[-1])
        if self.fits(one):
            return one
        return (self.lines(Tree("exception_rule", children[:when]), indent)
                + self._arrow(Tree("exception_rule", children[when:]), indent + INDENT))

    def _section(self, node: Tree, indent: int) -> list[Line]:
        # A heading stays on one line, so that a run of boilerplate sections reads as a list.
        return self.lines(node, indent)

    def _reading(self, node: Tree, indent: int) -> list[Line]:
        """`reading NAME of TERM "description" =` (the description on a line of its own
        when it does not fit), then the value as a rule's."""
        *head, value, citation = node.children
        one = self.lines(Tree("reading", [*head, value]), indent, citation)
        if self.fits(one):
            return one
        lines = self.lines(Tree("reading", head), indent)
        if not self.fits(lines):
            lines = self.lines(Tree("reading", head[:-2]), indent) + self.lines(Tree("reading", head[-2:]), indent + INDENT)
        return lines + self.lines(value, indent + INDENT, citation)

    def _grid(self, node: Tree, indent: int) -> list[Line]:
        """`grid "title"`, then its rows with their cells aligned in columns between
        the bars, then the citation on a line of its own."""
        children = [c for c in node.children if c is not None]
        rows = [c for c in children if isinstance(c, Tree)]
        table = [_cells(row) for row in rows]
        columns = max(len(cells) for cells in table)
        widths = [max(width(cells[i]) for cells in table if i < len(cells)) for i in range(columns)]
        lines = self.lines(Tree("grid", [c for c in children[:-1] if isinstance(c, Token)]), indent)
        for row, cells in zip(rows, table):
            bars = [t for t in row.children if isinstance(t, Token) and str(t) == "|"]
            pieces = [Piece(bars[0], 1)]
            for index, cell in enumerate(cells):
                pieces += [cell[0]._replace(space=1), *cell[1:]]
                pieces.append(Piece(bars[index + 1], widths[index] - width(cell) + 1))
            lines.append(Line(indent + INDENT, pieces))
        lines.append(Line(indent + INDENT, [], children[-1]))
        return lines

    def _section_block(self, node: Tree, indent: int) -> list[Line]:
        children = [c for c in node.children if c is not None]
        open_at = children.index(next(c for c in children if str(c) == "{"))
        head = self.lines(Tree(node.data, children[:open_at + 1]), indent)
        block = self.items(children[open_at + 1:-2], indent + INDENT, in_block=True)
        return head + block + [Line(indent, [Piece(children[-2], False)], children[-1])]

    _replace_section = _insert_section = _section_block

    def _replace_definition(self, node: Tree, indent: int) -> list[Line]:
        replace, definition, open_, item, close, citation = node.children
        head = self.lines(Tree("replace_definition", [replace, definition, open_]), indent)
        lines = self.item(item, indent + INDENT)
        lines[0].starts_item, lines[0].blank = True, "never"
        return head + lines + [Line(indent, [Piece(close, False)], citation)]


def _cells(row: Tree) -> tuple[list[tuple[Token, list[Piece]]], Token]:
    """A grid row as its cells, each the bar before it and its pieces (the first
    spaced from the bar), and the row's closing bar."""
    cells: list[tuple[Token, list[Piece]]] = []
    for piece in flat(row):
        if str(piece.token) == "|":
            cells.append((piece.token, []))
        else:
            cells[-1][1].append(piece._replace(space=True) if not cells[-1][1] else piece)
    closing, _ = cells.pop()
    return cells, closing


def _closing_citation(children: list) -> Token | None:
    """The citation a declaration ends with (its terminator), if it has one."""
    if len(children) > 1 and isinstance(children[-1], Token) and children[-1].type == "CITATION":
        return children[-1]
    return None


def _is_clause(node) -> bool:
    """A part of a declaration that begins with a keyword: `when …`, `within … after …`."""
    return (starts_with_keyword(node) and not is_expression(node) and node.data not in type_rules()
            and node.data not in _NOT_CLAUSES)


# Parts that stay on the line of what they follow (`by BODY`).
_NOT_CLAUSES = {"norm_by"}
# Declarations whose clauses always go on lines of their own, as the agreement lists them.
_CLAUSES_APART = {"obligation", "norm"}


def _cells(row: Tree) -> list[list[Piece]]:
    """The cells of a grid row, each laid on one line: what stands between two bars."""
    cells: list[list] = [[]]
    for child in row.children:
        if isinstance(child, Token) and str(child) == "|":
            cells.append([])
        elif child is not None:
            cells[-1].append(child)
    return [flat(Tree("cell", cell)) for cell in cells[1:-1]]


def _packed_lines(node: Tree, indent: int) -> Lines:
    """Names and commas packed into lines from `indent`."""
    lines: Lines = [(indent, [])]
    for piece in flat(node):
        current = lines[-1][1]
        if current and indent + width(current) + 1 + len(piece.text) > room(None) and piece.text != ",":
            lines.append((indent, [piece._replace(space=False)]))
        else:
            lines[-1] = (indent, current + [piece])
    return lines
