"""`covenant fmt`: one canonical layout for `.cov` files.

The formatter lays out the concrete syntax tree the parser builds from the same
grammar (every token kept), so it changes only white space: the tokens, and so the
meaning, stay exactly as written, and every comment is kept beside the token it
belongs to. Sections are separated by blank lines, declarations under a section are
indented under it, clauses one a line, citations aligned in one column, long
expressions broken to fit."""
from __future__ import annotations

from dsl.parser import concrete_tree, parse
from interpreter.editor.fmt.items import Layout
from interpreter.editor.fmt.lines import Comments, write
from interpreter.editor.fmt.pieces import tokens_of


def format_text(text: str, file: str = "<string>") -> str:
    """`text` in the canonical layout. Raises `SyntaxProblem` when it does not parse."""
    parse(text, file)
    tree, comments = concrete_tree(text)
    tokens = [token for token, _ in tokens_of(tree)]
    layout = Layout(Comments(tokens, comments))
    header, *items = tree.children
    lines = layout.item(header, 0)
    lines[0].starts_item = True
    body = layout.items(items, 0)
    if body:
        body[0].blank = "force"
    return write(lines + body, layout.comments)
