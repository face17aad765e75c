"""Fact bases: YAML files of input values, read safely and checked against the
declared inputs before anything is evaluated.

Values are read from the YAML text itself, never through YAML's own typing: `0.10`
becomes Decimal("0.10"), not a float, and `2006-12-28` a date only where a date is
declared. A fact given as `none` (or `null`) says the event did not happen; a fact
left out is unknown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from dsl.ast import Duration
from dsl.dates import NotADate, calendar_date
from dsl.errors import FactProblem, FactWarning, Span
from dsl.limits import FACT_FILE_BYTES, LIST_LENGTH
from dsl.reading import read_text
from interpreter.evaluation.fact_numbers import Refused, read_number
from interpreter.evaluation.calendar import parse_date
from interpreter.evaluation.fact_yaml import node_span, parse_yaml
from interpreter.evaluation.series import Series
from interpreter.evaluation.values import NONE, member_value
from interpreter.static import types as T
from interpreter.static.scope import suggest

# Texts that, written plainly (unquoted), are the absent value `none`.
NULL_TEXTS = frozenset({"~", "null", "none", ""})
_DURATION = re.compile(r"^\s*(-?[\d,_]+)\s+(business\s+)?(day|month|year)s?\s*$", re.I)


@dataclass
class FactBase:
    """Input values by `agreement.input`, with where each was written. A defined term
    given a value (a pin) is kept the same way: `pinned` names those."""

    values: dict[str, object] = field(default_factory=dict)
    origins: dict[str, Span] = field(default_factory=dict)
    pinned: set[str] = field(default_factory=set)
    warnings: list[FactWarning] = field(default_factory=list)

    def over(self, lower: "FactBase") -> "FactBase":
        """These facts layered over `lower`: a key given here replaces the one there."""
        return FactBase({**lower.values, **self.values}, {**lower.origins, **self.origins},
                        (lower.pinned - set(self.values)) | self.pinned, [*lower.warnings, *self.warnings])

    def has(self, agreement: str, name: str) -> bool:
        return f"{agreement}.{name}" in self.values

    def get(self, agreement: str, name: str) -> object:
        return self.values[f"{agreement}.{name}"]

    def given(self) -> list[str]:
        return list(self.values)


def _span(node: yaml.Node, file: str) -> Span:
    return node_span(node, file)


def read_yaml_file(path: str) -> tuple[yaml.Node | None, str]:
    """A fact or action file, read and composed within the limits (`dsl.limits`)."""
    text = read_text(path, "fact file", FACT_FILE_BYTES, FactProblem)
    return parse_yaml(text, path), text


def mapping_items(node: yaml.Node, file: str, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """The (key, key node, value node) of a YAML mapping; duplicate keys are an error."""
    if not isinstance(node, yaml.MappingNode):
        raise FactProblem(f"{what} must be a mapping of `name: value` lines", _span(node, file))
    seen: dict[str, yaml.Node] = {}
    items = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise FactProblem("a key must be a plain name", _span(key_node, file))
        key = key_node.value
        if key in seen:
            raise FactProblem(f"`{key}` is given twice", _span(key_node, file),
                              notes=[f"first given at {_span(seen[key], file)}"])
        seen[key] = key_node
        items.append((key, key_node, value_node))
    return items


def read_facts(node: yaml.Node | None, file: str, model, tolerated: frozenset[str] = frozenset(),
               elsewhere: frozenset[str] = frozenset()) -> FactBase:
    """Check a mapping node of facts against the inputs the model declares, and the
    defined terms it may pin. Names in `tolerated` (inputs of other versions of the
    deal) are passed over; names in `elsewhere` (inputs of agreements in the deal's
    folder that are not loaded) are passed over with a warning."""
    facts = FactBase()
    if node is None:
        return facts
    owners: dict[str, list[str]] = {}
    for scope in model.scopes.values():
        for name in (*scope.inputs, *scope.definitions):
            owners.setdefault(name, []).append(scope.id)
            owners.setdefault(f"{scope.id}.{name}", []).append(scope.id)
    written_as: dict[str, tuple[str, Span]] = {}  # `agreement.name` -> the key that gave it here
    for key, key_node, value_node in mapping_items(node, file, "a fact base"):
        targets = owners.get(key)
        if not targets and key in tolerated:
            continue
        if not targets and key in elsewhere:
            facts.warnings.append(FactWarning(
                f"`{key}` is an input of an agreement in the deal's folder that is not loaded; passed over",
                _span(key_node, file), hint="load the whole folder to use it"))
            continue
        if not targets:
            raise FactProblem(f"unknown fact `{key}`: no agreement loaded declares this input or defines this term",
                              _span(key_node, file),
                              hint=suggest(key, [k for k in owners if "." not in k]) or
                              "facts are the inputs declared with `input` in the .cov files, or defined terms")
        name = key.split(".", 1)[-1]
        for agreement in targets:
            target = f"{agreement}.{name}"
            if target in written_as:
                other, where = written_as[target]
                raise FactProblem(f"`{target}` is given twice in this file, as `{other}` and as `{key}`",
                                  _span(key_node, file), notes=[f"`{other}` is at {where}"],
                                  hint="give it once: plainly for every agreement, or qualified for one")
            written_as[target] = (key, _span(key_node, file))
            scope = model.scopes[agreement]
            decl = scope.inputs.get(name)
            # A pinned term may be `none` (a table where no row applies gives none); so
            # may an input whose default is `none` (an event that has not happened
            # unless the facts say so).
            may_be_none = decl is None or decl.optional or getattr(decl.default, "kind", None) == "none"
            value = convert(value_node, scope.declared[name], may_be_none, file, key,
                            frozenset(scope.parties))
            facts.values[target] = value
            facts.origins[target] = _span(value_node, file)
            if decl is None:
                facts.pinned.add(target)
    return facts


def read_layers(layers: list[tuple[str, yaml.Node | None]], model, tolerated: frozenset[str] = frozenset(),
                elsewhere: frozenset[str] = frozenset()) -> FactBase:
    """Several fact files read in order, each over the ones before it, key by key."""
    facts = FactBase()
    for file, node in layers:
        facts = read_facts(node, file, model, tolerated, elsewhere).over(facts)
    return facts


def input_names(model) -> frozenset[str]:
    """Every name a fact may be given under for this model, plain and qualified: its
    inputs, and its defined terms (pins)."""
    return frozenset(n for s in model.scopes.values() for i in (*s.inputs, *s.definitions)
                     for n in (i, f"{s.id}.{i}"))


def load_facts(path: str, model) -> FactBase:
    """Read and check a YAML fact file."""
    node, _ = read_yaml_file(path)
    return read_facts(node, path, model)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value.strip().lower() in NULL_TEXTS


def convert(node: yaml.Node, typ: T.Type, optional: bool, file: str, name: str,
            parties: frozenset[str] | None = None) -> object:
    """The value of one YAML node read as `typ`; raises FactProblem when it does not fit.
    A party must be one of `parties`, when they are given."""
    def span() -> Span:  # worked out only for a message: a batch converts many values
        return _span(node, file)

    if _is_null(node):
        if optional:
            return NONE
        raise FactProblem(f"`{name}` cannot be none: the input is not optional", span(),
                          hint=f"give a {typ}, or declare the input `optional`")
    if typ.kind == "series":
        return _series(node, typ, file, name, parties)
    if typ.kind == "list":
        if not isinstance(node, yaml.SequenceNode):
            raise FactProblem(f"`{name}` must be a list", span(),
                              hint="write `[a, b]` (`[]` for none), or one `- item` per line")
        if len(node.value) > LIST_LENGTH:
            raise FactProblem(f"`{name}` has {len(node.value):,} elements; a list fact has at most {LIST_LENGTH:,}",
                              span())
        return tuple(convert(item, typ.element, False, file, f"{name}[{i}]", parties)
                     for i, item in enumerate(node.value, 1))
    if typ.kind == "record":
        items = {k: v for k, _, v in mapping_items(node, file, f"`{name}`")}
        names = [f[0] for f in typ.fields]
        for key in items:
            if key not in names:
                raise FactProblem(f"{typ} has no field `{key}`", span(),
                                  hint=suggest(key, names) or f"its fields are {', '.join(names)}")
        record = {}
        for field_name, field_type, field_optional in typ.fields:
            if field_name in items:
                record[field_name] = convert(items[field_name], field_type, field_optional, file,
                                             f"{name}.{field_name}", parties)
            elif field_optional:
                record[field_name] = NONE
            else:
                raise FactProblem(f"`{name}` lacks the field `{field_name}`", span(),
                                  hint=f"{typ} needs {', '.join(n for n, _, o in typ.fields if not o)}")
        return record
    if not isinstance(node, yaml.ScalarNode):
        raise FactProblem(f"`{name}` must be a single {typ} value", span())
    text = node.value.strip()
    try:
        value = _scalar(text, typ)
    except Refused as refused:
        because = f": {refused.reason}" if refused.reason else ""
        raise FactProblem(f"`{name}` must be {_describe(typ)}, not `{_clip(text)}`{because}", span(),
                          hint=refused.hint) from None
    if typ.kind == "party" and parties is not None and value not in parties:
        raise FactProblem(f"`{name}` must be a party of the agreement ({', '.join(sorted(parties))}), "
                          f"not `{text}`", span(), hint=suggest(text, parties))
    if value is None:
        raise FactProblem(f"`{name}` must be {_describe(typ)}, not `{_clip(text)}`", span(),
                          hint=suggest(text, typ.members) if typ.kind == "enum" else None)
    return value


def _clip(text: str) -> str:
    """A value as a message quotes it: a long one cut short."""
    return text if len(text) <= 60 else text[:57] + "..."


def _series(node: yaml.Node, typ: T.Type, file: str, name: str, parties) -> Series:
    """A dated series: a mapping `DATE: value`, or a list of `{date: DATE, value: ...}`."""
    span = _span(node, file)
    if isinstance(node, yaml.MappingNode):
        pairs = [(k, key_node, v) for k, key_node, v in mapping_items(node, file, f"`{name}`")]
    elif isinstance(node, yaml.SequenceNode):
        pairs = []
        for i, item in enumerate(node.value, 1):
            fields = {k: (kn, v) for k, kn, v in mapping_items(item, file, f"`{name}[{i}]`")}
            if set(fields) != {"date", "value"}:
                raise FactProblem(f"`{name}[{i}]` must give `date` and `value` (and nothing else)",
                                  _span(item, file), hint="e.g. `- {date: 2002-03-31, value: 4000000.00}`")
            date_node = fields["date"][1]
            pairs.append((date_node.value if isinstance(date_node, yaml.ScalarNode) else "", date_node,
                          fields["value"][1]))
    else:
        raise FactProblem(f"`{name}` must be a dated series: a mapping of `YYYY-MM-DD: value` lines, "
                          f"or a list of `{{date, value}}`", span)
    if len(pairs) > LIST_LENGTH:
        raise FactProblem(f"`{name}` has {len(pairs):,} entries; a dated series has at most {LIST_LENGTH:,}", span)
    entries: dict = {}
    for key, key_node, value_node in pairs:
        day = parse_date(key)
        if day is None:
            raise FactProblem(f"`{name}` is a dated series: `{key}` is not a date written YYYY-MM-DD",
                              _span(key_node, file))
        if day in entries:
            raise FactProblem(f"`{name}` gives {day} twice", _span(key_node, file))
        entries[day] = convert(value_node, typ.element, False, file, f"{name}[{day}]", parties)
    return Series(tuple(sorted(entries.items(), key=lambda e: e[0])), name.split(".", 1)[-1])


def _describe(typ: T.Type) -> str:
    return {
        "bool": "true or false", "count": "a whole number", "decimal": "a number",
        "money": "an amount such as 12500000.00", "percent": "a percentage such as 10% or 0.10",
        "shares": "a number of shares", "date": "a date written YYYY-MM-DD",
        "duration": "a duration such as `30 days`", "text": "a text", "party": "a party name",
    }.get(typ.kind, f"one of {', '.join(typ.members)}" if typ.kind == "enum" else str(typ))


def _scalar(text: str, typ: T.Type) -> object:
    kind = typ.kind
    if kind == "bool":
        return {"true": True, "false": False}.get(text.lower())
    if kind in ("count", "decimal", "money", "shares", "percent"):
        return read_number(text, kind)
    if kind == "date":
        try:
            return calendar_date(text)
        except NotADate as problem:
            raise Refused(problem.reason) from None
    if kind == "duration":
        match = _DURATION.match(text)
        if not match:
            return None
        unit = "business_day" if match.group(2) else match.group(3).lower()
        return Duration(int(read_number(match.group(1), "count", signed=True)), unit)
    if kind == "enum":
        return member_value(text, typ) if text in typ.members else None
    if kind in ("text", "party", "any"):
        return text
    return None
