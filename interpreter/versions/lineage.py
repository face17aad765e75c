"""Versions of a deal: which agreements are in force on a date, and amendments
applied as data.

An agreement begins on its `effective` date (else its date). A restatement replaces
the agreement it `restates` from the day it begins. An amendment patches the
agreement it `amends` from the day it begins, if its `effective when` condition holds
for the facts; amendments to one agreement stack in order of date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable

from dsl import ast
from dsl.errors import CovenantError, NameProblem
from interpreter.static.deal import Deal
from interpreter.static.scope import suggest

Effective = Callable[[ast.Agreement], bool]


def begins(agreement: ast.Agreement) -> dt.date | None:
    return agreement.effective or agreement.dated


def amendments_of(deal: Deal, target: str) -> list[ast.Agreement]:
    """The amendments of `target`, in the order they take effect."""
    found = [a for a in deal.agreements.values() if a.amends == target]
    return sorted(found, key=lambda a: begins(a) or dt.date.min)


def in_force(deal: Deal, agreement_id: str, as_of: dt.date) -> bool:
    """Has the agreement begun, and not yet been replaced by a restatement?"""
    start = begins(deal.agreements[agreement_id])
    if start is not None and as_of < start:
        return False
    return not any(a.restates == agreement_id and (begins(a) is None or begins(a) <= as_of)
                   for a in deal.agreements.values())


def lineage_problems(deal: Deal) -> list[CovenantError]:
    """`restates` and `amends` must name an agreement of the deal, and every patch
    must find its target (checked by applying all amendments)."""
    problems: list[CovenantError] = []
    for agreement in deal.agreements.values():
        for verb, target in (("restates", agreement.restates), ("amends", agreement.amends)):
            if target is not None and target not in deal.agreements:
                problems.append(NameProblem(
                    f"{agreement.id} {verb} `{target}`, which is not in this deal", agreement.span,
                    hint=suggest(target, deal.agreements) or "load the folder that holds it"))
        if agreement.patches and agreement.amends is None:
            problems.append(NameProblem(f"{agreement.id} has patch operations but amends nothing",
                                        agreement.patches[0].span, hint="add `amends OTHER` to its header"))
    if not problems:
        try:
            consolidate(deal, lambda amendment: True)
        except CovenantError as problem:
            problems.append(problem)
    return problems


def consolidate(deal: Deal, effective: Effective) -> Deal:
    """The deal with every amendment for which `effective` holds applied to its target."""
    agreements = dict(deal.agreements)
    for target in list(agreements):
        for amendment in amendments_of(deal, target):
            if effective(amendment):
                agreements[target] = apply_amendment(agreements[target], amendment)
                # Applied: the amendment stays for its own facts, without its patches.
                agreements[amendment.id] = replace(amendment, patches=())
    return Deal(agreements, deal.sources, deal.added)


def conditions_consulted(deal: Deal, date: dt.date) -> list[ast.Agreement]:
    """The amendments whose `effective when` condition `as_of` consults on `date`, in
    the order it consults them: the version in force is decided by the date and their
    answers alone (a batch works each version out once)."""
    return [amendment for target in deal.agreements for amendment in amendments_of(deal, target)
            if amendment.effective_when is not None and (begins(amendment) is None or begins(amendment) <= date)]


def as_of(deal: Deal, date: dt.date, effective: Effective) -> Deal:
    """The agreements in force on `date`, each as amended by then."""
    current = consolidate(deal, lambda a: (begins(a) is None or begins(a) <= date) and effective(a))
    kept = {k: v for k, v in current.agreements.items() if in_force(deal, k, date)}
    # An amendment stays (its facts decide whether it applies) while its target does.
    kept = {k: v for k, v in kept.items() if v.amends is None or v.amends in kept}
    return Deal(kept, deal.sources, deal.added)


# ---- applying one amendment ----------------------------------------------------------

_SECTIONED = ("definitions", "exceptions", "obligations", "norms")
_GLOBAL = {ast.InputDecl: "inputs", ast.TypeDecl: "types", ast.ActionDecl: "actions", ast.Reading: "readings"}
_BY_TYPE = {ast.Definition: "definitions", ast.ExceptionRule: "exceptions", ast.Obligation: "obligations",
            ast.Norm: "norms", **_GLOBAL}


def _within(number: str | None, ref: str) -> bool:
    return number is not None and (number == ref or number.startswith(ref + "(") or number.startswith(ref + "."))


def _mark(marks: tuple, key: str, amendment: ast.Agreement, patch: ast.Patch) -> tuple:
    """The provenance marks with `key` now last changed by this patch."""
    return tuple((k, v) for k, v in marks if k != key) + ((key, f"{amendment.id} {patch.provenance}"),)


def apply_amendment(base: ast.Agreement, amendment: ast.Agreement) -> ast.Agreement:
    """`base` with every patch of `amendment` applied in order."""
    for patch in amendment.patches:
        base = _apply(base, amendment, patch)
    return base


def _missing(what: str, target: str, base: ast.Agreement, candidates, patch: ast.Patch) -> NameProblem:
    return NameProblem(f"{patch.provenance} {patch.op.split('_')[0]}s {what} `{target}`, "
                       f"which {base.id} does not have", patch.span,
                       hint=suggest(target, candidates) or f"check the {what} against {base.id}")


def _apply(base: ast.Agreement, amendment: ast.Agreement, patch: ast.Patch) -> ast.Agreement:
    numbers = [s.number for s in base.sections]
    if patch.op in ("delete_sections", "replace_section"):
        for ref in patch.targets:
            if ref not in numbers:
                raise _missing("section", ref, base, numbers, patch)
    if patch.op == "insert_section" and patch.targets[0] in numbers:
        raise NameProblem(f"{patch.provenance} inserts section {patch.targets[0]}, which {base.id} already has",
                          patch.span, hint="use `replace section` to change an existing section")
    if patch.op == "delete_sections":
        return _drop_sections(base, patch.targets, amendment, patch)
    if patch.op == "delete_definitions":
        names = {d.name for kind in ("definitions", "obligations", "norms") for d in getattr(base, kind)}
        for name in patch.targets:
            if name not in names:
                raise _missing("definition", name, base, names, patch)
        changes = {kind: tuple(d for d in getattr(base, kind) if d.name not in patch.targets)
                   for kind in ("definitions", "obligations", "norms")}
        marks = base.amended_by
        for name in patch.targets:
            marks = _mark(marks, name, amendment, patch)
        return replace(base, **changes, amended_by=marks)
    if patch.op == "replace_definition":
        new = patch.items[0]
        old = next((d for d in base.definitions if d.name == new.name), None)
        if old is None:
            raise _missing("definition", new.name, base, [d.name for d in base.definitions], patch)
        definitions = tuple(replace(new, section=old.section) if d.name == new.name else d
                            for d in base.definitions)
        return replace(base, definitions=definitions, amended_by=_mark(base.amended_by, new.name, amendment, patch))
    heading = patch.section
    if patch.op == "replace_section":
        position = numbers.index(heading.number)
        base = _drop_sections(base, (heading.number,), amendment, patch)
        sections = base.sections[:position] + (heading,) + base.sections[position:]
    else:
        sections = base.sections + (heading,)
    base = replace(base, sections=sections, amended_by=_mark(base.amended_by, f"§ {heading.number}", amendment, patch))
    return _add_items(base, patch.items, amendment, patch)


def part_key(node) -> str:
    """How a part of an agreement is known across versions: a section by its number, an
    exception by its target and label (or citation), anything else by its name."""
    if isinstance(node, ast.Section):
        return f"§ {node.number}"
    if isinstance(node, ast.ExceptionRule):
        return f"{node.target} ({node.label or node.citation})"
    return node.name


def _drop_sections(base, refs, amendment, patch) -> ast.Agreement:
    inside = lambda number: any(_within(number, r) for r in refs)  # noqa: E731
    dropped = [s for s in base.sections if inside(s.number)]
    dropped += [d for kind in _SECTIONED for d in getattr(base, kind) if inside(d.section)]
    changes = {kind: tuple(d for d in getattr(base, kind) if not inside(d.section)) for kind in _SECTIONED}
    sections = tuple(s for s in base.sections if not inside(s.number))
    marks = base.amended_by
    for part in dropped:
        marks = _mark(marks, part_key(part), amendment, patch)
    return replace(base, sections=sections, amended_by=marks, **changes)


def _add_items(base, items, amendment, patch) -> ast.Agreement:
    for item in items:
        kind = _BY_TYPE[type(item)]
        name = getattr(item, "name", None)
        kept = tuple(d for d in getattr(base, kind)
                     if name is None or getattr(d, "name", None) != name or kind == "exceptions")
        base = replace(base, **{kind: kept + (item,)})
        base = replace(base, amended_by=_mark(base.amended_by, part_key(item), amendment, patch))
    return base


def with_reading(agreement: ast.Agreement, name: str) -> ast.Agreement:
    """The agreement as read under one of its named readings: the reading's body
    replaces the body of the term it reads."""
    reading = next((r for r in agreement.readings if r.name == name), None)
    if reading is None:
        raise NameProblem(f"{agreement.id} has no reading `{name}`",
                          hint=suggest(name, [r.name for r in agreement.readings]) or
                          f"its readings: {', '.join(r.name for r in agreement.readings) or 'none'}")
    definitions = tuple(replace(d, body=ast.Rule(reading.value, reading.citation, span=reading.span))
                        if d.name == reading.target else d for d in agreement.definitions)
    return replace(agreement, definitions=definitions)


def removed_by(deal: Deal, owner: str, name: str) -> str | None:
    """Which amendment removed the term `name` of `owner` (as written in `deal`), and by
    which of its sections: `first_supplemental_2001 § 201(a)`; None if none did."""
    written = deal.agreements.get(owner)
    if written is None:
        return None
    parts = {p.name: p for kind in _SECTIONED for p in getattr(written, kind) if hasattr(p, "name")}
    part = parts.get(name)
    if part is None:
        return None
    section = getattr(part, "section", None)
    for amendment in deal.agreements.values():
        if amendment.amends != owner:
            continue
        for patch in amendment.patches:
            if patch.op == "delete_definitions" and name in patch.targets or \
                    patch.op in ("delete_sections", "replace_section") and \
                    any(_within(section, ref) for ref in patch.targets):
                return f"{amendment.id} {patch.provenance}"
    return None
