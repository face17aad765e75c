"""Differences between two versions of an agreement, or two agreements.

Structural: parts aligned by section number and defined name (never by line), each
change described at the level of the value (1,000,000 -> 1,250,000). Impact: the
terms whose value may change, found through the clause graph, with the path from the
changed clause. Behavioural: for given facts, the terms whose values actually differ.
All three are returned as frozen records and rendered elsewhere.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx

from dsl import ast
from interpreter.static import types as T
from interpreter.evaluation.evaluator import Evaluator
from interpreter.static.graph import node_id
from interpreter.reports.output import format_value
from interpreter.versions.lineage import part_key


@dataclass(frozen=True)
class Edit:
    """One structural change. `op`: insert, remove or update."""

    op: str
    part: str
    key: str
    old: str | None
    new: str | None
    details: tuple[str, ...] = ()
    provenance: str | None = None


@dataclass(frozen=True)
class Impact:
    """A term whose value may change, and the path from it to a changed clause."""

    term: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class ValueChange:
    """A term whose value differs for a fact base."""

    facts: str
    term: str
    old: str
    new: str
    old_citation: str
    new_citation: str


@dataclass(frozen=True)
class Side:
    """One side of a comparison: an agreement as a model reads it, at a date."""

    label: str
    agreement: ast.Agreement
    model: object
    as_of: dt.date
    sources: dict
    notes: tuple[str, ...] = ()  # e.g. a conditional amendment not in effect on the date


# ---- structural ---------------------------------------------------------------------

_COMMENT = re.compile(r'("[^"\n]*")|#[^\n]*')


def _text(node, sources: dict) -> str:
    """A part's source text on one line, without its comments."""
    span = node.span
    text = sources.get(span.file, "")[span.start:span.end]
    return " ".join(_COMMENT.sub(lambda m: m.group(1) or "", text).split())


def _literal(node: ast.Literal) -> str:
    value = node.value
    if node.kind == "money":
        return format_value(value, T.MONEY)
    if node.kind == "percent":
        return format_value(value, T.PERCENT)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format_value(value, T.DECIMAL if isinstance(value, Decimal) else T.COUNT)
    if isinstance(value, dt.date):
        return value.isoformat()
    if node.kind == "text":
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def value_changes(old, new, old_src: dict, new_src: dict) -> list[str]:
    """The smallest readable changes between two expressions (or other nodes): where
    only constants differ, the constants; otherwise the smallest part that differs."""
    if old == new:
        return []
    if isinstance(old, ast.Literal) and isinstance(new, ast.Literal):
        return [f"{_literal(old)} -> {_literal(new)}"]
    if isinstance(old, ast.Table) and isinstance(new, ast.Table):
        return _table_changes(old, new, old_src, new_src)
    whole = [f"{_text(old, old_src) or old} -> {_text(new, new_src) or new}"]
    if type(old) is not type(new) or not dataclasses.is_dataclass(old):
        return whole
    changes = []
    for f in dataclasses.fields(old):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if not f.compare or a == b:
            continue
        if isinstance(a, ast.Node) and isinstance(b, ast.Node):
            changes += value_changes(a, b, old_src, new_src)
        elif (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
              and all(isinstance(x, ast.Node) for x in a + b)):
            for x, y in zip(a, b):
                changes += value_changes(x, y, old_src, new_src)
        else:
            return whole
    return changes


def _table_changes(old: ast.Table, new: ast.Table, old_src, new_src) -> list[str]:
    """Rows aligned as a lawyer reads tiers: an unchanged row with itself, `otherwise`
    with `otherwise`, then rows citing the same clause; the rest are new or removed."""
    pairs: dict[int, ast.Row] = {}
    free = list(old.rows)
    for rule in (lambda a, b: a == b,
                 lambda a, b: a.condition is None and b.condition is None,
                 lambda a, b: a.citation == b.citation and (a.condition is None) == (b.condition is None)):
        for index, row in enumerate(new.rows):
            if index in pairs:
                continue
            twin = next((r for r in free if rule(r, row)), None)
            if twin is not None:
                pairs[index] = twin
                free.remove(twin)
    changes = []
    for index, row in enumerate(new.rows):
        if index not in pairs:
            changes.append(f"new tier: {_text(row, new_src)}")
        else:
            changes += [f"{c} ({row.citation})" for c in value_changes(pairs[index], row, old_src, new_src)]
    changes += [f"removed tier: {_text(row, old_src)}" for row in free]
    return changes


_PARTS = (("input", "inputs"), ("type", "types"), ("action", "actions"), ("definition", "definitions"),
          ("obligation", "obligations"), ("norm", "norms"), ("reading", "readings"))


def _keyed(nodes) -> dict:
    """Parts by their key; a key that repeats (two unlabelled exceptions citing the same
    section) is numbered so that neither is lost."""
    keyed: dict = {}
    for node in nodes:
        key = part_key(node)
        count = sum(1 for k in keyed if k == key or k.startswith(f"{key} #"))
        keyed[key if not count else f"{key} #{count + 1}"] = node
    return keyed


def structural(old: Side, new: Side) -> list[Edit]:
    """Edits turning `old` into `new`, aligned by section number and defined name."""
    a, b = old.agreement, new.agreement
    provenance = dict(b.amended_by)
    edits: list[Edit] = []
    for field, label in (("title", "title"), ("dated", "date"), ("effective", "effective date"),
                         ("governing_law", "governing law")):
        if getattr(a, field) != getattr(b, field):
            edits.append(Edit("update", "header", label, str(getattr(a, field)), str(getattr(b, field)),
                              (f"{getattr(a, field)} -> {getattr(b, field)}",)))
    old_sections = {s.number: s for s in a.sections}
    new_sections = {s.number: s for s in b.sections}
    for number, section in old_sections.items():
        if number not in new_sections:
            edits.append(Edit("remove", "section", f"§ {number}", section.title, None,
                              provenance=provenance.get(f"§ {number}")))
    for number, section in new_sections.items():
        before = old_sections.get(number)
        if before is None:
            edits.append(Edit("insert", "section", f"§ {number}", None, section.title,
                              provenance=provenance.get(f"§ {number}")))
        elif before != section:
            details = tuple(f"{k}: {getattr(before, k)} -> {getattr(section, k)}" for k in ("title", "status", "note")
                            if getattr(before, k) != getattr(section, k))
            edits.append(Edit("update", "section", f"§ {number}", before.title, section.title, details,
                              provenance.get(f"§ {number}")))
    for part, attr in (*_PARTS, ("exception", "exceptions")):
        olds = _keyed(getattr(a, attr))
        news = _keyed(getattr(b, attr))
        for key, node in olds.items():
            if key not in news:
                edits.append(Edit("remove", part, key, _text(node, old.sources), None,
                                  provenance=provenance.get(key)))
        for key, node in news.items():
            before = olds.get(key)
            if before is None:
                edits.append(Edit("insert", part, key, None, _text(node, new.sources),
                                  provenance=provenance.get(key)))
            elif _comparable(before) != _comparable(node):
                details = tuple(value_changes(_comparable(before), _comparable(node), old.sources, new.sources))
                edits.append(Edit("update", part, key, _text(before, old.sources), _text(node, new.sources),
                                  details, provenance.get(key)))
    return edits


def _comparable(node):
    """A declaration without the section it sits in (moving a rule is not changing it)."""
    return dataclasses.replace(node, section=None) if hasattr(node, "section") else node


# ---- impact and behaviour --------------------------------------------------------------

_TERM_PARTS = {"definition", "input", "obligation", "norm", "reading"}


def impact(edits: list[Edit], side: Side) -> list[Impact]:
    """Every term of `side` whose value may change, with a path to a changed clause."""
    graph: nx.DiGraph = side.model.graph
    aid = side.agreement.id
    changed = {node_id(aid, e.key) for e in edits if e.part in _TERM_PARTS}
    changed |= {node_id(aid, e.key.split(" (")[0]) for e in edits if e.part == "exception"}
    changed |= {node_id(aid, d.name) for e in edits if e.part == "section"
                for d in (*side.agreement.definitions, *side.agreement.obligations, *side.agreement.norms)
                if d.section == e.key[2:]}
    changed &= set(graph.nodes)
    found: dict[str, tuple[str, ...]] = {}
    for target in sorted(changed):
        for term in sorted(nx.ancestors(graph, target) | {target}):
            path = tuple(nx.shortest_path(graph, term, target))
            if term not in found or len(path) < len(found[term]):
                found[term] = path
    return [Impact(term, path) for term, path in sorted(found.items())
            if graph.nodes[term].get("kind") != "input"]


def behaviour(old: Side, new: Side, facts: list[tuple[str, object, object]]) -> list[ValueChange]:
    """For each fact base (name, old facts, new facts): terms whose values differ."""
    changes = []
    names_old = _terms(old)
    names_new = _terms(new)
    for label, old_facts, new_facts in facts:
        before = Evaluator(old.model, old_facts, old.as_of)
        after = Evaluator(new.model, new_facts, new.as_of)
        for name in sorted(set(names_old) | set(names_new)):
            d_old = before.derive(old.agreement.id, name) if name in names_old else None
            d_new = after.derive(new.agreement.id, name) if name in names_new else None
            v_old = format_value(d_old.value, d_old.type) if d_old else "(not in this version)"
            v_new = format_value(d_new.value, d_new.type) if d_new else "(not in this version)"
            if v_old != v_new:
                changes.append(ValueChange(label, name, v_old, v_new, d_old.citation if d_old else "",
                                           d_new.citation if d_new else ""))
    return changes


def _terms(side: Side) -> list[str]:
    scope = side.model.scopes[side.agreement.id]
    return [*scope.definitions, *scope.obligations]
