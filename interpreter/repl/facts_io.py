"""Facts typed at the REPL and facts saved from it.

A value typed after `:set NAME =` is read exactly as a fact file's value is (the same
YAML reading and the same conversion to the declared type). `:save` writes a fact
base back as YAML that reads the same: dates ISO, decimals as quoted strings in their
exact form, `none` for a known absence, texts quoted.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml

from dsl.ast import Duration
from dsl.errors import FactProblem
from interpreter.evaluation.facts import convert, parse_yaml
from interpreter.evaluation.values import NONE
from interpreter.static import types as T

INPUT = "<input>"

_TAG = "tag:yaml.org,2002:"


def read_value(entry: str, offset: int, typ: T.Type, optional: bool, name: str,
               parties: frozenset[str] | None = None) -> object:
    """The value written in `entry` from `offset` on, read as a fact file reads `typ`
    (a party must be one of `parties`, when they are given).

    The text before `offset` is blanked rather than cut, so that an error's line and
    column point into the entry as typed."""
    text = "".join(ch if ch == "\n" else " " for ch in entry[:offset]) + entry[offset:]
    node = parse_yaml(text, INPUT)
    if node is None:
        raise FactProblem(f"no value given for `{name}`", hint=f"write `:set {name} = VALUE` (a {typ})")
    return convert(node, typ, optional, INPUT, name, parties)


def _scalar(kind: str, text: str, style: str | None = None) -> yaml.ScalarNode:
    return yaml.ScalarNode(_TAG + kind, text, style=style)


def value_node(value: object, typ: T.Type) -> yaml.Node:
    """A YAML node for one fact value; reading it back as `typ` gives the same value."""
    if value is NONE:
        return _scalar("str", "none")
    if isinstance(value, bool):
        return _scalar("bool", "true" if value else "false")
    if isinstance(value, int):
        return _scalar("int", str(value))
    if isinstance(value, Decimal):
        return _scalar("str", format(value, "f"))
    if isinstance(value, dt.date):
        return _scalar("timestamp", value.isoformat())
    if isinstance(value, Duration):
        return _scalar("str", str(value))
    if isinstance(value, tuple):
        element = typ.element if typ.kind == "list" else T.ANY
        return yaml.SequenceNode(_TAG + "seq", [value_node(v, element) for v in value], flow_style=False)
    if isinstance(value, dict):
        fields = {name: ftype for name, ftype, _ in typ.fields}
        pairs = [(_scalar("str", k), value_node(v, fields.get(k, T.ANY))) for k, v in value.items()]
        return yaml.MappingNode(_TAG + "map", pairs, flow_style=True)
    # A text is always quoted, so that a text such as `none` stays a text.
    return _scalar("str", str(value), style='"' if typ.kind == "text" else None)


def fact_entries(model, values: dict[str, object]) -> list[tuple[str, object, T.Type]]:
    """(key, value, type) for each fact given, in the order the inputs are declared.

    A name given the same value in every agreement that declares it is written once,
    unqualified; otherwise each agreement's value is written as `agreement.name`."""
    entries: list[tuple[str, object, T.Type]] = []
    done: set[str] = set()
    for scope in model.scopes.values():
        for name in scope.inputs:
            if name in done:
                continue
            done.add(name)
            owners = [s for s in model.scopes.values() if name in s.inputs]
            given = [(s, values[f"{s.id}.{name}"]) for s in owners if f"{s.id}.{name}" in values]
            if not given:
                continue
            first_scope, first_value = given[0]
            shared = len(given) == len(owners) and all(
                repr(v) == repr(first_value) and s.declared[name] == first_scope.declared[name]
                for s, v in given)
            if shared:
                entries.append((name, first_value, first_scope.declared[name]))
            else:
                entries.extend((f"{s.id}.{name}", v, s.declared[name]) for s, v in given)
    return entries


def facts_yaml(entries: list[tuple[str, object, T.Type]], comment: str) -> str:
    """A fact file: a comment line, then one `name: value` per fact."""
    root = yaml.MappingNode(_TAG + "map", [(_scalar("str", key), value_node(value, typ))
                                            for key, value, typ in entries], flow_style=False)
    body = yaml.serialize(root, Dumper=yaml.SafeDumper, allow_unicode=True, width=1 << 16) if entries else ""
    return f"# {comment}\n{body}"
