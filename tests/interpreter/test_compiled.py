"""The two back ends agree: for every scenario file, every example fact base and every
day of every timeline scenario (and the day after), every term of the deal in force
(definitions, obligations, norms, with the scenario's proposed action) has the same
value — bounds and all — the same citation and the same deciding rule from the
compiled evaluator as from the explaining one, and the same problem where evaluation
fails; and the compiled evaluator leaves none of them to the explaining one."""
from __future__ import annotations

import datetime as dt
import importlib.util
import pickle
from functools import cache
from pathlib import Path

import pytest
import yaml

from dsl.errors import EvaluationProblem
from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import mapping_items, read_facts, read_yaml_file
from interpreter.evaluation.norms import read_action
from interpreter.static.cache import version_signature
from interpreter.static.deal import load_deal
from interpreter.static.model import check_deal, compile_deal
from interpreter.versions.in_force import known_inputs, version_for

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "tests/agreements/scenarios").glob("*.yaml"))

def _moments(test_file: str) -> dict[str, str]:
    """The example fact bases of a deal and their dates, as its example test lists them."""
    spec = importlib.util.spec_from_file_location(Path(test_file).stem, ROOT / test_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MOMENTS


EXAMPLES = [(deal, name, date) for deal, test in (("agreements/bti", "tests/agreements/test_examples.py"),
                                                  ("agreements/coned",
                                                   "tests/agreements/test_credit_agreement_examples.py"))
            for name, date in _moments(test).items()]


@cache
def _written(deal: str):
    loaded = load_deal([str(ROOT / deal)])
    return loaded, check_deal(loaded)


_COMPILED: dict = {}
_VERSIONS: dict = {}


def _version_compiler(version):
    """compile_deal once per distinct version of the deal (as the on-disk cache does)."""
    key = version_signature(version)
    if key not in _VERSIONS:
        _VERSIONS[key] = compile_deal(version)
    return _VERSIONS[key]


def _compiled(model) -> CompiledDeal:
    """One compiled deal per model, as a load compiles it once for every question."""
    if id(model) not in _COMPILED:
        _COMPILED[id(model)] = (model, CompiledDeal(model))
    return _COMPILED[id(model)][1]


def _outcome(answer):
    try:
        result = answer()
    except EvaluationProblem as problem:
        return ("problem", problem.message, str(problem.span))
    return (type(result.value).__name__, result.value, result.citation, result.decided_by, str(result.type),
            result.given_at)


def assert_agree(model, facts, as_of, action=None, agreements=None) -> int:
    """Every term of `agreements` (default: all) agrees; returns how many were compared."""
    explaining = Evaluator(model, facts, as_of, action)
    compiled = _compiled(model)
    env = compiled.env(facts, as_of, action)
    terms = [(s.id, n) for s in model.scopes.values() if agreements is None or s.id in agreements
             for n in (*s.definitions, *s.obligations, *s.norms, *s.inputs)]
    for agreement, name in terms:
        slow = _outcome(lambda: explaining.derive(agreement, name))
        fast = _outcome(lambda: compiled.result(env, agreement, name))
        assert fast == slow, f"{agreement}.{name}"
    assert compiled.fallback_terms == set()  # every form compiled, those of time included
    return len(terms)


def _scenarios(path: Path):
    node, _ = read_yaml_file(str(path))
    top = {k: v for k, _, v in mapping_items(node, str(path), "a scenario file")}
    for scenario in top["scenarios"].value:
        yield top, {k: v for k, _, v in mapping_items(scenario, str(path), "a scenario")}


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_both_back_ends_agree_on_every_scenario(path):
    checked = 0
    for top, fields in _scenarios(path):
        deal, written = _written(top["deal"].value)
        as_of = dt.date.fromisoformat((fields.get("as_of") or top["as_of"]).value)
        overrides = fields.get("facts")
        keys = {k for k, _, _ in mapping_items(overrides, str(path), "facts")} if overrides else set()
        unset = {n.value for n in fields["unset"].value} if "unset" in fields else set()
        items = []
        if "base_facts" in top:
            base, _ = read_yaml_file(str(ROOT / top["base_facts"].value))
            items += [(k, v) for k, v in base.value if k.value not in keys | unset]
        items += list(overrides.value) if overrides else []
        merged = yaml.MappingNode("tag:yaml.org,2002:map", items, fields["name"].start_mark, fields["name"].end_mark)
        if "as_written" in top and top["as_written"].value == "true":
            model, facts = written, read_facts(merged, str(path), written, tolerated=known_inputs(deal, written))
        else:
            model, facts = version_for(deal, written, [(str(path), merged)], as_of, compile=_version_compiler)
        action = read_action(fields["action"], str(path), model) if "action" in fields else None
        # Every term of the agreements the scenario is about (those of the terms it
        # checks, and those whose norms judge its action): all of them, not only the
        # ones it checks.
        asked = [fields["term"].value] if "term" in fields else []
        asked += [k for k, _, _ in mapping_items(fields["also"], str(path), "also")] if "also" in fields else []
        home = top["agreement"].value if "agreement" in top else None
        agreements = {model.locate(f"{home}.{t}" if home and "." not in t else t)[0] for t in asked}
        if action is not None:
            agreements |= {s.id for s in model.scopes.values() if any(n.action == action[0] for n in s.norms.values())}
        checked += assert_agree(model, facts, as_of, action, agreements)
    assert checked


@pytest.mark.parametrize(("deal", "name", "date"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_both_back_ends_agree_on_every_example(deal, name, date):
    loaded, written = _written(deal)
    node, _ = read_yaml_file(str(ROOT / deal / "examples" / name))
    as_of = dt.date.fromisoformat(date)
    model, facts = version_for(loaded, written, [(name, node)], as_of, compile=_version_compiler)
    assert assert_agree(model, facts, as_of)


TIMELINES = sorted((ROOT / "tests/agreements/timelines").glob("*.yaml"))


def _timeline_dates(path: Path) -> tuple[str, str, list[dt.date]]:
    """(deal, fact file, days): a timeline scenario's as-of date and the day of each of
    its items, each with the day after (both sides of every deadline and payment date)."""
    node, _ = read_yaml_file(str(path))
    top = {k: v for k, _, v in mapping_items(node, str(path), "a timeline file")}
    days = {dt.date.fromisoformat(top["as_of"].value)}
    for item in top["items"].value:
        fields = {k: v for k, _, v in mapping_items(item, str(path), "a timeline item")}
        if "date" in fields and fields["date"].value != "unknown":
            days.add(dt.date.fromisoformat(fields["date"].value))
    return top["deal"].value, top["facts"].value, sorted(days | {d + dt.timedelta(days=1) for d in days})


@pytest.mark.parametrize("path", TIMELINES, ids=[p.stem for p in TIMELINES])
def test_both_back_ends_agree_on_every_day_of_every_timeline(path):
    deal, facts_file, days = _timeline_dates(path)
    loaded, written = _written(deal)
    node, _ = read_yaml_file(str(ROOT / facts_file))
    for day in days:
        model, facts = version_for(loaded, written, [(facts_file, node)], day, compile=_version_compiler)
        assert assert_agree(model, facts, day)


@pytest.mark.parametrize("deal", sorted({deal for deal, _, _ in EXAMPLES}))
def test_no_term_of_a_bundled_deal_is_left_to_the_explaining_evaluator(deal):
    loaded, written = _written(deal)
    left: set[str] = set()
    for name, date in [(name, date) for d, name, date in EXAMPLES if d == deal]:
        node, _ = read_yaml_file(str(ROOT / deal / "examples" / name))
        as_of = dt.date.fromisoformat(date)
        model, facts = version_for(loaded, written, [(name, node)], as_of, compile=_version_compiler)
        compiled = CompiledDeal(model)
        env = compiled.env(facts, as_of)
        for scope in model.scopes.values():
            for term in (*scope.definitions, *scope.obligations, *scope.norms):
                try:
                    compiled.result(env, scope.id, term)
                except EvaluationProblem:
                    pass  # a problem the facts make: compared with the explaining evaluator's above
        left |= compiled.fallback_terms
    assert left == set()


def test_every_example_of_every_deal_is_compared():
    bundled = {(p.parent.parent.relative_to(ROOT).as_posix(), p.name) for p in ROOT.glob("agreements/*/examples/*.yaml")}
    assert bundled == {(deal, name) for deal, name, _ in EXAMPLES}


def test_a_compiled_deal_pickles_and_answers_the_same_elsewhere():
    deal, written = _written("agreements/bti")
    node, _ = read_yaml_file(str(ROOT / "agreements/bti/examples/series-a-2007-redemption-demand.yaml"))
    as_of = dt.date(2007, 5, 1)
    model, facts = version_for(deal, written, [("f", node)], as_of)
    here = CompiledDeal(model)
    there = pickle.loads(pickle.dumps(here))
    ask = ("series_a_redemption", "redemption_price")
    assert there.value(there.env(facts, as_of), *ask) == here.value(here.env(facts, as_of), *ask) \
        == Evaluator(model, facts, as_of).derive(*ask).value


def test_a_term_of_a_form_not_compiled_is_left_to_the_explaining_evaluator(monkeypatch):
    from interpreter.evaluation import codegen, compiled_expr

    real = codegen.call_values

    def no_clamp(func, span):
        if func == "clamp":
            raise compiled_expr.NotCompiled("clamp")
        return real(func, span)
    monkeypatch.setattr(codegen, "call_values", no_clamp)
    deal, written = _written("agreements/bti")
    node, _ = read_yaml_file(str(ROOT / "agreements/bti/examples/series-a-2007-redemption-demand.yaml"))
    as_of = dt.date(2007, 5, 1)
    model, facts = version_for(deal, written, [("f", node)], as_of, compile=_version_compiler)
    compiled = CompiledDeal(model)
    result = compiled.result(compiled.env(facts, as_of), "series_a_redemption", "appraised_value")
    assert "series_a_redemption.clamped_third_appraisal" in compiled.fallback_terms
    assert result.value == Evaluator(model, facts, as_of).derive("series_a_redemption", "appraised_value").value
