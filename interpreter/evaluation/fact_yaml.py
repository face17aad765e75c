"""YAML as Covenant reads it: composed into nodes by the safe loader (nothing is ever
built from a tag), within the limits of `dsl.limits`: nesting depth, number of values
(each alias counted every time it is used, so that an alias bomb is refused before
anything walks it), and only the standard tags of plain data."""
from __future__ import annotations

import yaml

from dsl.errors import FactProblem, Span
from dsl.limits import YAML_DEPTH, YAML_NODES

_STANDARD = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_STANDARD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_HINT = "check the indentation and that every `key: value` has its colon"


def mark_span(mark, file: str) -> Span:
    return Span(file, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2, mark.index, mark.index + 1)


def node_span(node: yaml.Node, file: str) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1, start.index, end.index)


def _error_span(error: yaml.YAMLError, text: str, file: str) -> Span | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark_span(mark, file)
    position = getattr(error, "position", None)  # a ReaderError: a character YAML does not allow
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return Span(file, line, column, line, column + 1, position, position + 1)
    return None


def _malformed(error: yaml.YAMLError, text: str, file: str) -> FactProblem:
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    hint = _HINT
    if getattr(error, "character", None) is not None:
        hint = "YAML allows no control characters: remove it, or quote the text"
    return FactProblem(f"malformed YAML: {problem}", _error_span(error, text, file), hint=hint)


def _check_events(text: str, file: str) -> None:
    """Nesting deeper than YAML_DEPTH, and more than YAML_NODES values written, are
    refused from the event stream, which is read without recursion, before the
    recursive composer sees them."""
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
        if count > 2 * YAML_NODES:  # a value is one event, a list or mapping two
            raise FactProblem(f"the YAML holds more than {YAML_NODES:,} values", mark_span(event.start_mark, file),
                              hint="split the facts into several files, or check that this is a fact file")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > YAML_DEPTH:
                raise FactProblem(f"the YAML is nested more than {YAML_DEPTH} levels deep",
                                  mark_span(event.start_mark, file),
                                  hint="facts are values, records of values and lists of them")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _check_nodes(root: yaml.Node, file: str) -> None:
    """Every node's tag is a plain one, and the document holds at most YAML_NODES values
    with every alias expanded (a node an alias repeats is counted each time)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        if children_done:
            open_nodes.discard(id(node))
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > YAML_NODES:
                raise FactProblem(f"the YAML holds more than {YAML_NODES:,} values (aliases counted each time "
                                  "they are used)", node_span(node, file),
                                  hint="an alias (`*name`) repeats what its anchor holds; write the facts out")
            sizes[id(node)] = size
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            raise FactProblem("a YAML alias refers to a value that contains it", node_span(node, file),
                              hint="facts cannot contain themselves")
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace(_STANDARD, "!!")
            hint = ("a merge key `<<` is not read: write each key out" if tag == "!!merge" else
                    "facts are plain values: remove the tag")
            raise FactProblem(f"the YAML tag `{tag}` is not accepted", node_span(node, file), hint=hint)
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def parse_yaml(text: str, file: str) -> yaml.Node | None:
    """Compose YAML into nodes (safe: no objects are built), within the limits, with a
    clear error."""
    try:
        _check_events(text, file)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise _malformed(error, text, file) from None
    if root is not None:
        _check_nodes(root, file)
    return root
