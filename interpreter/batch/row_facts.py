"""A scenario row's facts, typed by converters built once per version of the deal.

`facts.read_facts` reads a fact file: for every key it works out which agreements
declare it, and reads the value through its YAML node. A batch reads the same keys
over and over, so a `RowReader` works out each key's targets, and a converter for each
declared type, once; a row's values (as `scenarios.row_values` gives them) are then
read directly. The converters take the usual forms — plain numbers, dates written
YYYY-MM-DD, members, texts, records and lists of them — and leave anything else to
`facts.convert`, on the node a fact file would hold: the values, and the message for a
value that is wrong, are a fact file's, exactly."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import yaml

from dsl.errors import Span
from dsl.limits import LIST_LENGTH
from interpreter.batch.scenarios import row_node, value_node
from interpreter.evaluation.fact_yaml import node_span
from interpreter.evaluation.facts import NULL_TEXTS, FactBase, convert, read_facts
from interpreter.evaluation.values import NONE, member_value
from interpreter.static import types as T

# Numbers written plainly, well within the limits on digits (`dsl.limits`); any other
# way of writing one (`$`, `,`, `_`, `%`, an exponent, many digits) is read by
# `fact_numbers.read_number` through `facts.convert`.
_SIGNED = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,4})?")
_UNSIGNED = re.compile(r"[0-9]{1,30}(?:\.[0-9]{1,4})?")
_WHOLE = re.compile(r"[0-9]{1,30}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_REMEMBERED = 4_096  # texts a converter keeps with their values (under a megabyte, whatever the file)

Converter = Callable[[object], object]


class _Other(Exception):
    """A value the converters leave to `facts.convert`."""


class _AsAFile(Exception):
    """A row whose keys need `facts.read_facts` itself (a key no agreement declares, a
    fact given both plainly and qualified): read as a fact file is, with its messages."""


_ABSENT = object()


def converter(typ: T.Type, optional: bool, parties: frozenset[str]) -> Converter:
    """A function reading one value (None for the absent value `none`) as `typ`, as
    `facts.convert` would, or raising _Other for `facts.convert` to read it. Each is
    one call doing all its checks: a row holds hundreds of values."""
    kind = typ.kind
    if kind == "list":
        return _list_converter(typ, optional, parties)
    if kind == "record":
        return _record_converter(typ, optional, parties)
    if kind in ("money", "decimal", "shares", "percent"):
        return _number_converter(kind, optional)
    if kind == "count":
        return _count_converter(optional)
    if kind == "date":
        return _date_converter(optional)
    if kind == "bool":
        return _lookup_converter({"true": True, "false": False}, optional, fold=True)
    if kind == "enum":
        return _lookup_converter({member: member_value(member, typ) for member in typ.members}, optional)
    if kind == "party":
        return _lookup_converter({party: party for party in parties}, optional)
    if kind in ("text", "any"):
        return _text_converter(optional)
    return _refuse  # durations, dated series: always read by facts.convert


def _refuse(value):
    raise _Other


def _list_converter(typ: T.Type, optional: bool, parties: frozenset[str]) -> Converter:
    element = converter(typ.element, False, parties)
    fields = getattr(element, "fields", None)
    if fields is not None:  # a list of records: each record written out in the loop
        return _list_of_records(element, fields, optional)

    def read_list(value):
        if value.__class__ is list and len(value) <= LIST_LENGTH:
            return tuple(map(element, value))
        if value is None and optional:
            return NONE
        raise _Other
    return read_list


def _record_converter(typ: T.Type, optional: bool, parties: frozenset[str]) -> Converter:
    fields = [(name, converter(field_type, field_optional, parties), field_optional)
              for name, field_type, field_optional in typ.fields]
    names = frozenset(name for name, _, _ in fields)
    every_field = _generated(["def every_field(value):", *_every_field(fields, "    "),
                              f"    return {_record_display(fields)}"], fields, {})["every_field"]

    def read_record(value):
        if value.__class__ is dict and names.issuperset(value):
            if len(value) == len(fields):  # every field given, as is usual
                return every_field(value)
            record = {}
            for name, read, field_optional in fields:
                item = value.get(name, _ABSENT)
                if item is not _ABSENT:
                    record[name] = read(item)
                elif field_optional:
                    record[name] = NONE
                else:
                    raise _Other
            return record
        if value is None and optional:
            return NONE
        raise _Other
    read_record.fields = fields
    return read_record


def _list_of_records(read_record: Converter, fields: list, optional: bool) -> Converter:
    """A function reading a list of records (a price path, a payment schedule: lists
    of many records each), a record that gives every field read in the loop itself."""
    lines = ["def read_list(values):",
             "    if values.__class__ is list and len(values) <= LIST_LENGTH:",
             "        records = []",
             "        for value in values:",
             "            if value.__class__ is dict and len(value) == COUNT and NAMES.issuperset(value):",
             *_every_field(fields, "                "),
             f"                records.append({_record_display(fields)})",
             "            else:",
             "                records.append(read_record(value))",
             "        return tuple(records)",
             "    if values is None and OPTIONAL:",
             "        return NONE",
             "    raise Other"]
    return _generated(lines, fields, {"LIST_LENGTH": LIST_LENGTH, "COUNT": len(fields), "OPTIONAL": optional,
                                      "NAMES": frozenset(name for name, _, _ in fields), "NONE": NONE,
                                      "Other": _Other, "read_record": read_record})["read_list"]


def _every_field(fields: list[tuple[str, Converter, bool]], indent: str) -> list[str]:
    """The lines reading every field of a record `value` into `field_0`, `field_1`...
    (records fill lists of many each: a trading day, a payment): a field whose
    converter keeps what texts read as is looked up there first, without a call."""
    lines = []
    for number, (name, read, _) in enumerate(fields):
        lines.append(f"given = value[{name!r}]")
        if getattr(read, "known", None) is None:
            lines.append(f"field_{number} = read_{number}(given)")
            continue
        lines += [f"field_{number} = known_{number}.get(given) if given.__class__ is str else None",
                  f"if field_{number} is None:",
                  f"    field_{number} = read_{number}(given)"]
    return [indent + line for line in lines]


def _record_display(fields: list) -> str:
    return "{" + ", ".join(f"{name!r}: field_{number}" for number, (name, _, _) in enumerate(fields)) + "}"


def _generated(lines: list[str], fields: list, names: dict) -> dict:
    """The functions the lines define, with each field's converter (`read_N`) and the
    texts it keeps (`known_N`) at hand."""
    for number, (_, read, _) in enumerate(fields):
        names[f"read_{number}"] = read
        names[f"known_{number}"] = getattr(read, "known", None)
    exec("\n".join(lines), names)  # noqa: S102 -- the text is made here from the record's field names
    return names


def _number_converter(kind: str, optional: bool) -> Converter:
    written = (_UNSIGNED if kind == "shares" else _SIGNED).fullmatch
    percent = kind == "percent"

    def number(text: str):
        if written(text) is not None:
            value = Decimal(text)
            if not percent or abs(value) <= 1:  # beyond 100%: read_number explains
                return value
        return None
    return _plain_converter(number, optional)


def _count_converter(optional: bool) -> Converter:
    return _plain_converter(lambda text: int(text) if _WHOLE.fullmatch(text) is not None else None, optional)


def _date_converter(optional: bool) -> Converter:
    def day(text: str):
        if _DATE.fullmatch(text) is not None:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:  # no such day, or year 0: calendar_date says why
                pass
        return None
    return _plain_converter(day, optional)


def _plain_converter(parse: Callable[[str], object], optional: bool) -> Converter:
    """A converter of texts written plainly: `parse` gives a stripped text's value, or
    None for `facts.convert` to read it. The same texts come back row after row
    (prices, volumes, dates): each value is kept with the text it was read from."""
    known: dict[str, object] = {}

    def read_plain(value):
        if isinstance(value, str):
            found = known.get(value)
            if found is not None:
                return found
            found = parse(value.strip())
            if found is not None:
                return _remember(known, value, found)
        elif value is None and optional:
            return NONE
        raise _Other
    read_plain.known = known
    return read_plain


def _remember(known: dict, text: str, value):
    """`value`, kept as what `text` reads as; what is kept stays bounded."""
    if len(known) >= _REMEMBERED:
        known.clear()
    known[text] = value
    return value


def _lookup_converter(table: dict, optional: bool, fold: bool = False) -> Converter:
    def look_up(value):
        if isinstance(value, str):
            text = value.strip()
            found = table.get(text.lower() if fold else text, _ABSENT)
            if found is not _ABSENT:
                return found
        elif value is True or value is False:  # JSON's true and false, as a fact file writes them
            found = table.get("true" if value else "false", _ABSENT)
            if found is not _ABSENT:
                return found
        elif value is None and optional:
            return NONE
        raise _Other
    return look_up


def _text_converter(optional: bool) -> Converter:
    def read_text(value):
        if isinstance(value, str):
            return value.strip()
        if value is True or value is False:
            return "true" if value else "false"
        if value is None and optional:
            return NONE
        raise _Other
    return read_text


class RowReader:
    """The facts of rows for one model (a version of the deal), each row's values read
    as `facts.read_facts` reads a fact file of them. Names in `tolerated` (inputs of
    other versions of the deal) are passed over."""

    def __init__(self, model, file: str, tolerated: frozenset[str]):
        self.model, self.file, self.tolerated = model, file, tolerated
        owners: dict[str, list[str]] = {}
        for scope in model.scopes.values():
            for name in (*scope.inputs, *scope.definitions):
                owners.setdefault(name, []).append(scope.id)
                owners.setdefault(f"{scope.id}.{name}", []).append(scope.id)
        self.targets: dict[str, list[tuple]] = {}
        for key, agreements in owners.items():
            name = key.split(".", 1)[-1]
            entries = []
            for agreement in agreements:
                scope = model.scopes[agreement]
                decl = scope.inputs.get(name)
                # As read_facts: a pinned term, an optional input and one whose default
                # is `none` may be given as none.
                may_be_none = decl is None or decl.optional or getattr(decl.default, "kind", None) == "none"
                parties = frozenset(scope.parties)
                typ = scope.declared[name]
                entries.append((f"{agreement}.{name}", converter(typ, may_be_none, parties), typ, may_be_none,
                                parties, decl is None))
            self.targets[key] = entries

    def facts(self, values: dict[str, object], mark: yaml.Mark, plain: bool) -> FactBase:
        """The facts a row's values give (the row's `as_of` taken out); raises
        FactProblem as read_facts would for a fact file of them."""
        try:
            return self._facts(values, mark, plain)
        except _AsAFile:
            return read_facts(row_node(values, mark, plain), self.file, self.model, tolerated=self.tolerated)

    def _facts(self, values: dict[str, object], mark: yaml.Mark, plain: bool) -> FactBase:
        read: dict[str, object] = {}
        pinned = set()
        for key, raw in values.items():
            entries = self.targets.get(key)
            if entries is None:
                if key in self.tolerated:
                    continue
                raise _AsAFile
            # A plain text that reads as none (CSV's `none`, `null`, `~`) is the absent value.
            given = None if plain and raw.lower() in NULL_TEXTS else raw
            for target, convert_value, typ, may_be_none, parties, pin in entries:
                if target in read:  # given under two keys (plain and qualified)
                    raise _AsAFile
                try:
                    read[target] = convert_value(given)
                except _Other:
                    read[target] = convert(value_node(raw, mark, plain), typ, may_be_none, self.file, key, parties)
                if pin:
                    pinned.add(target)
        where = _mark_span(mark, self.file)
        return FactBase(read, dict.fromkeys(read, where), pinned)

    def date(self, raw: object, mark: yaml.Mark, plain: bool, name: str) -> dt.date:
        """A row's date (its `as_of`), read as a date input is."""
        try:
            return _AS_OF(None if plain and raw.lower() in NULL_TEXTS else raw)
        except _Other:
            return convert(value_node(raw, mark, plain), T.DATE, False, self.file, name)


_AS_OF = converter(T.DATE, False, frozenset())


def _mark_span(mark: yaml.Mark, file: str) -> Span:
    """Where a row's values were given (as a fact file's node spans its value)."""
    return node_span(yaml.ScalarNode("tag:yaml.org,2002:str", "", mark, mark), file)
