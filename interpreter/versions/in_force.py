"""Loading what a command works on: the deal as in force on a date, and the facts.

Which amendments apply can depend on facts (an amendment effective only when Notes
are accepted in a tender offer), and an amendment can add inputs: facts are read
against the deal as written, amendments decided, then facts read again against the
version in force."""
from __future__ import annotations

import datetime as dt

from dsl import ast
from dsl.errors import FactProblem, UsageProblem
from interpreter.static import types as T
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase, input_names, read_layers, read_yaml_file
from interpreter.static.model import Model, compile_deal
from interpreter.evaluation.values import Unknown
from interpreter.static.scope import suggest
from interpreter.evaluation.calendar import parse_date
from interpreter.static.deal import Deal, UnloadedInputs
from interpreter.versions.lineage import amendments_of, begins, consolidate, with_reading
from interpreter.versions.lineage import as_of as version_as_of


def effective_by_facts(model: Model, facts: FactBase, date: dt.date):
    """A test of whether an amendment's `effective when` condition holds for the facts."""
    evaluator = Evaluator(model, facts, date)

    def effective(amendment: ast.Agreement) -> bool:
        if amendment.effective_when is None:
            return True
        value = evaluator.evaluate_expression(amendment.id, amendment.effective_when, T.BOOL).value
        if isinstance(value, Unknown):
            raise FactProblem(
                f"whether {amendment.id} has taken effect by {date} depends on "
                f"{', '.join(sorted(value.needs))}", amendment.effective_when.span,
                hint=f"give {'it' if len(value.needs) == 1 else 'them'} in the fact file "
                     f"(the condition is {amendment.effective_citation})")
        return value is True
    return effective


def read_fact_files(fact_paths: list[str] | None) -> list[tuple[str, object]]:
    """The YAML of each fact file named, in order (later files override earlier ones)."""
    return [(path, read_yaml_file(path)[0]) for path in fact_paths or []]


def load_version(paths: list[str], fact_paths: list[str] | None, date: dt.date) -> tuple[Model, FactBase]:
    """The deal in force on `date` (restatements and amendments applied) and its facts,
    the fact files layered in order."""
    from interpreter.static.cache import checked_deal, version_compiler

    deal, written, key = checked_deal(paths)
    return version_for(deal, written, read_fact_files(fact_paths), date, compile=version_compiler(key))


def version_for(deal, written: Model, layers: list[tuple[str, object]], date: dt.date,
                compile=compile_deal) -> tuple[Model, FactBase]:
    """The version of a loaded deal in force on `date`, with the fact files (their YAML
    nodes, in order) read against it. `compile` may be a caching stand-in for `compile_deal`."""
    known, elsewhere = known_inputs(deal, written), UnloadedInputs(deal)
    facts = read_layers(layers, written, known, elsewhere)
    version = version_as_of(deal, date, effective_by_facts(written, facts, date))
    unchanged = version.agreements.keys() == deal.agreements.keys() and all(
        version.agreements[k] is deal.agreements[k] for k in deal.agreements)
    if unchanged:  # nothing restated or amended by then: the deal as written is in force
        return written, facts
    current = compile(version)
    return current, read_layers(layers, current, known, elsewhere)


def load_side(deal, written: Model, spec: str, facts: FactBase, default_date: dt.date):
    """One side of a diff: `agreement` (as written), `agreement@YYYY-MM-DD` (in force
    that day, `facts` deciding conditional amendments) or `agreement@amended` (every
    amendment applied), optionally followed by `#reading` (read under a named
    reading)."""
    from interpreter.reports.diff import Side

    spec_version, _, reading = spec.partition("#")
    agreement_id, _, version = spec_version.partition("@")
    if agreement_id not in deal.agreements:
        raise UsageProblem(f"no agreement `{agreement_id}` in this deal",
                           hint=suggest(agreement_id, deal.agreements) or f"agreements: {', '.join(deal.agreements)}")
    date = default_date
    notes: list[str] = []
    if version == "amended":
        variant = consolidate(deal, lambda amendment: True)
    elif version:
        date = parse_date(version)
        if date is None:
            raise UsageProblem(f"`{spec}`: `{version}` is neither a date (YYYY-MM-DD) nor `amended`")
        effective = effective_by_facts(written, facts, date)
        variant = version_as_of(deal, date, effective)
        notes = [f"{a.id} (amends {agreement_id}) is not in effect on {date}: its condition "
                 f"{a.effective_citation} does not hold for the facts" for a in amendments_of(deal, agreement_id)
                 if (begins(a) is None or begins(a) <= date) and not effective(a)]
        if agreement_id not in variant.agreements:
            raise UsageProblem(f"{agreement_id} is not in force on {date}",
                               hint="choose a date on which it has begun and has not been restated")
    else:
        variant = deal
    if reading:
        changed = with_reading(variant.agreements[agreement_id], reading)
        variant = Deal({**variant.agreements, agreement_id: changed}, variant.sources)
    model = written if variant is deal else compile_deal(variant)
    return Side(spec, variant.agreements[agreement_id], model, date, deal.sources, tuple(notes))


def known_inputs(deal, written: Model) -> frozenset[str]:
    """Every fact name some version of the deal declares."""
    return input_names(written) | _inserted_inputs(deal)


def _inserted_inputs(deal) -> frozenset[str]:
    """Inputs that only amendments declare (inside their patch blocks)."""
    return frozenset(item.name for a in deal.agreements.values() for patch in a.patches
                     for item in patch.items if isinstance(item, ast.InputDecl))
