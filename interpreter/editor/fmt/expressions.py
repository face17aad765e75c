"""Long expressions broken over lines: `and`/`or` chains one operand a line, an
operator and its right side on the next line, `if … then … else if …` one branch a
line, a call's arguments packed after its parenthesis, a comprehension's clauses
one a line. An expression that fits stays on one line; a form this module does not
know stays on one line too (the grammar may grow faster than the formatter)."""
from __future__ import annotations

from collections.abc import Callable

from lark import Token, Tree

from interpreter.editor.fmt.pieces import Piece, flat, starts_with_keyword, width

Lines = list[tuple[int, list[Piece]]]


def layout(node, column: int, limit: int) -> Lines:
    """`node` laid out from `column` in lines no longer than `limit` where it can be:
    (indent, pieces) for each line, the first at `column`."""
    pieces = flat(node)
    if column + width(pieces) <= limit or not isinstance(node, Tree):
        return [(column, pieces)]
    breaker = _BREAKERS.get(str(node.data)) or _by_shape(node)
    return breaker(node, column, limit) if breaker else [(column, pieces)]


def _by_shape(node: Tree) -> Callable[[Tree, int, int], Lines] | None:
    """How to break a form this module does not name: `a OP b` as an operator, a form
    with parts that begin with keywords (`every … from … until … adjusted …`) one part
    a line."""
    children = node.children
    if len(children) == 3 and isinstance(children[1], Token) and all(isinstance(c, Tree) for c in children[::2]):
        return _binary
    if sum(starts_with_keyword(c) for c in children[1:]) >= 1:
        return _parts
    return None


def _parts(node: Tree, column: int, limit: int) -> Lines:
    """The leading words and expressions on the first line, then each part that begins
    with a keyword on a line of its own, indented."""
    lines: Lines = [(column, [])]
    for index, child in enumerate(node.children):
        if child is None:
            continue
        if index and starts_with_keyword(child):
            lines += layout(child, column + 2, limit)
            continue
        indent, current = lines[-1]
        sub = layout(child, indent + width(current) + (1 if current else 0), limit)
        head = sub[0][1]
        if current and head:
            head = [head[0]._replace(space=True), *head[1:]]
        lines[-1] = (indent, current + head)
        lines += sub[1:]
    return lines


def _lead(tokens: list[Piece], lines: Lines, space: bool = True) -> Lines:
    """`tokens` put before the first line of `lines`."""
    (indent, first), rest = lines[0], lines[1:]
    first = [first[0]._replace(space=space), *first[1:]] if first else first
    return [(indent - width(tokens) - (1 if space else 0), tokens + first), *rest]


def _tail(lines: Lines, *tokens: Token) -> Lines:
    """`tokens` put after the last line of `lines`, with no space (`,`, `)`, `]`)."""
    indent, last = lines[-1]
    return [*lines[:-1], (indent, last + [Piece(t, False) for t in tokens])]


def _operand(op: Token, operand, column: int, limit: int) -> Lines:
    """`op operand` starting a line at `column`."""
    start = column + len(str(op)) + 1
    return _lead([Piece(op, True)], layout(operand, start, limit))


def _chain(node: Tree, column: int, limit: int) -> Lines:
    """`a and b and c`: the first operand, then `and x` on each following line."""
    operands: list = []
    current = node
    while isinstance(current, Tree) and current.data == node.data:
        left, op, right = current.children
        operands.insert(0, (op, right))
        current = left
    lines = layout(current, column, limit)
    for op, operand in operands:
        lines += _operand(op, operand, column, limit)
    return lines


def _binary(node: Tree, column: int, limit: int) -> Lines:
    """`left op right`: the right side on the next line, indented, after its operator."""
    left, op, *right = node.children
    lines = layout(left, column, limit)
    if len(right) == 1:
        return lines + _operand(op, right[0], column + 2, limit)
    return lines + [(column + 2, [Piece(op, True)] + [p for r in right for p in flat(r)])]


def _if(node: Tree, column: int, limit: int) -> Lines:
    """`if c then a` / `else if d then b` / `else z`, the branches one a line."""
    lines: Lines = []
    prefix: list[Token] = []
    current = node
    while isinstance(current, Tree) and current.data == "if_expr":
        if_, condition, then, value, else_, current = current.children
        branch = Tree("if_branch", [*prefix, if_, condition, then, value])
        if column + width(flat(branch)) <= limit:
            lines.append((column, flat(branch)))
        else:
            head = [Piece(t, i > 0) for i, t in enumerate([*prefix, if_])]
            lines += _lead(head, layout(condition, column + width(head) + 1, limit))
            lines += _operand(then, value, column + 2, limit)
        prefix = [else_]
    return lines + _lead([Piece(prefix[0], True)], layout(current, column + 5, limit))


def _parenthesised(node: Tree, column: int, limit: int) -> Lines:
    open_, inner, close = node.children
    return _tail(_lead([Piece(open_, True)], layout(inner, column + 1, limit - 1), space=False), close)


def _packed(items: list, commas: list[Token], column: int, limit: int) -> Lines:
    """Items separated by commas, as many on a line as fit, lines aligned at `column`."""
    lines: Lines = []
    for index, item in enumerate(items):
        last = index == len(items) - 1
        pieces = flat(item)
        extra = 0 if last else 1
        if lines and lines[-1][0] + width(lines[-1][1]) + 1 + width(pieces) + extra <= limit:
            indent, current = lines[-1]
            lines[-1] = (indent, current + [pieces[0]._replace(space=True), *pieces[1:]])
        else:
            lines += layout(item, column, limit - extra)
        if not last:
            lines = _tail(lines, commas[index])
    return lines


def _call(node: Tree, column: int, limit: int) -> Lines:
    name, open_, *rest = node.children
    close = rest.pop()
    args = [c for c in rest if not (isinstance(c, Token) and c.type == "COMMA")]
    commas = [c for c in rest if isinstance(c, Token) and c.type == "COMMA"]
    start = column + len(str(name)) + 1
    lines = _packed(args, commas, start, limit - 1)
    head = [Piece(name, True), Piece(open_, False)]
    return _tail(_lead(head, lines, space=False), close)


def _member(node: Tree, column: int, limit: int) -> Lines:
    """`x in {a, b, ...}`, the options packed after the brace."""
    element, in_, open_, *rest = node.children
    close = rest.pop()
    options = [c for c in rest if not (isinstance(c, Token) and c.type == "COMMA")]
    commas = [c for c in rest if isinstance(c, Token) and c.type == "COMMA"]
    lines = layout(element, column, limit)
    indent, last = lines[-1]
    head = last + [Piece(in_, True), Piece(open_, True)]
    packed = _packed(options, commas, indent + width(head), limit - 1)
    first = packed[0][1]
    lines[-1] = (indent, head + [first[0]._replace(space=False), *first[1:]])
    return _tail(lines + packed[1:], close)


def _comprehension(node: Tree, column: int, limit: int) -> Lines:
    """`[element` / `for x in source` / `if condition]`, the clauses under the element."""
    open_, element, for_, variable, in_, source, *rest = node.children
    close = rest.pop()
    inner = column + 1
    lines = _lead([Piece(open_, True)], layout(element, inner, limit), space=False)
    head = [Piece(for_, True), Piece(variable, True), Piece(in_, True)]
    lines += _lead(head, layout(source, inner + width(head) + 1, limit - 1))
    if rest:
        if_, condition = rest
        lines += _operand(if_, condition, inner, limit - 1)
    return _tail(lines, close)


def _not(node: Tree, column: int, limit: int) -> Lines:
    not_, operand = node.children
    return _operand(not_, operand, column, limit)


_BREAKERS: dict[str, Callable[[Tree, int, int], Lines]] = {
    "or_": _chain, "and_": _chain, "if_expr": _if, "not_": _not,
    "compare": _binary, "add": _binary, "sub": _binary, "mul": _binary, "div": _binary,
    "contains": _binary, "atom": _parenthesised, "call": _call, "member": _member,
    "comprehension": _comprehension,
}
