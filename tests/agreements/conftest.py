"""A pytest plugin that collects scenario tests written in YAML by legal engineers.

A scenario file (`tests/agreements/scenarios/*.yaml`) names a deal, optional base
facts and an as-of date, then lists scenarios. Each scenario changes some facts and
states the value a term must have, the citation it must rest on, and the decisive
words of the agreement:

    deal: agreements/bti
    agreement: series_a_redemption        # terms are read in this agreement
    base_facts: agreements/bti/examples/series-a-2007-redemption-demand.yaml
    as_of: 2007-05-01
    scenarios:
      - name: third appraiser's value above the Holders' is clamped
        section: "§ 2(b)"
        words: "shall not be more than the value calculated by the appraiser selected by the Holders"
        facts: {third_appraisal: 45000000.00}
        term: clamped_third_appraisal
        value: 40000000.00
        citation: "§ 2(b)"

A scenario about a proposed action gives it under `action:` (with `action: KIND`
and its particulars) and states the `verdict` (permitted, prohibited, needs_approval
or undecided), optionally the `approvals` needed and the norms that `decide` it:

      - name: the Investor may not sell before the lock-up ends
        section: "§ 4(a)"
        words: "The Investor shall not, prior to the date which is two (2) years after the date hereof"
        action: {action: transfer, transferor: investor, transferee: [], ...}
        verdict: prohibited
        decide: [investor_lockup]

Each scenario evaluates the deal as in force on its date (an agreement restated by
then is gone; amendments apply). `as_written: true` at the top evaluates every
agreement as written instead, to test an agreement's own text on dates after it was
restated.

`unset: [fact, ...]` leaves base facts out (unknown). `value: unknown` expects an unknown result; `needs: [fact, ...]` then lists the facts
it must say would decide it. `also: {term: value}` checks further terms.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from dsl.errors import CovenantError, render
from interpreter.static.deal import load_deal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import convert, mapping_items, read_facts, read_yaml_file
from interpreter.static.model import check_deal, compile_deal
from interpreter.versions.in_force import known_inputs, version_for
from interpreter.evaluation.norms import decide, read_action
from interpreter.reports.output import format_value
from interpreter.evaluation.values import Unknown
from timeline_plugin import TimelineFile

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=None)
def _written(deal: str):
    loaded = load_deal([str(ROOT / deal)])
    return loaded, check_deal(loaded)


_VERSIONS: dict = {}


def _compiled(version):
    """compile_deal, once per distinct version (the agreements in force, as amended)."""
    key = tuple(sorted((aid, a.amends is not None and not a.patches) for aid, a in version.agreements.items()))
    key += tuple(sorted(aid for aid, a in version.agreements.items() if a.amended_by))
    if key not in _VERSIONS:
        _VERSIONS[key] = compile_deal(version)
    return _VERSIONS[key]


def _scalar(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else ""


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "scenarios":
        return ScenarioFile.from_parent(parent, path=file_path)
    if file_path.suffix == ".yaml" and file_path.parent.name == "timelines":
        return TimelineFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        node, _ = read_yaml_file(str(self.path))
        top = {k: v for k, _, v in mapping_items(node, str(self.path), "a scenario file")}
        deal = _scalar(top["deal"])
        agreement = _scalar(top["agreement"]) if "agreement" in top else None
        as_written = _scalar(top["as_written"]) == "true" if "as_written" in top else False
        base = _scalar(top["base_facts"]) if "base_facts" in top else None
        as_of = _scalar(top["as_of"]) if "as_of" in top else None
        for scenario in top["scenarios"].value:
            fields = {k: v for k, _, v in mapping_items(scenario, str(self.path), "a scenario")}
            yield ScenarioItem.from_parent(self, name=_scalar(fields["name"]), deal=deal, base=base,
                                           as_of=as_of, fields=fields, agreement=agreement,
                                           as_written=as_written)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, deal, base, as_of, fields, agreement, as_written, **kwargs):
        super().__init__(**kwargs)
        self.deal, self.base, self.fields, self.agreement = deal, base, fields, agreement
        self.as_written = as_written
        self.as_of = dt.date.fromisoformat(_scalar(fields["as_of"]) if "as_of" in fields else as_of)

    def _version(self):
        """The deal in force on the scenario's date (the facts deciding conditional
        amendments), and the facts read against it."""
        items = []
        overrides = self.fields.get("facts")
        override_keys = {k for k, _, _ in mapping_items(overrides, str(self.path), "facts")} if overrides else set()
        unset = {_scalar(n) for n in self.fields["unset"].value} if "unset" in self.fields else set()
        if self.base:
            base_node, _ = read_yaml_file(str(ROOT / self.base))
            items += [(k, v) for k, v in base_node.value if k.value not in override_keys | unset]
        if overrides:
            items += list(overrides.value)
        merged = yaml.MappingNode("tag:yaml.org,2002:map", items, self.fields["name"].start_mark,
                                  self.fields["name"].end_mark)
        deal, written = _written(self.deal)
        if self.as_written:
            return written, read_facts(merged, str(self.path), written, tolerated=known_inputs(deal, written))
        return version_for(deal, written, [(str(self.path), merged)], self.as_of, compile=_compiled)

    def runtest(self):
        model, facts = self._version()
        action = read_action(self.fields["action"], str(self.path), model) if "action" in self.fields else None
        evaluator = Evaluator(model, facts, self.as_of, action)
        section = _scalar(self.fields["section"])
        words = " ".join(_scalar(self.fields["words"]).split())
        self._check_words(words)
        if action is not None:
            self._check_verdict(decide(evaluator, action[0]))
        checks = [(_scalar(self.fields["term"]), self.fields["value"])] if "term" in self.fields else []
        if "also" in self.fields:
            checks += [(k, v) for k, _, v in mapping_items(self.fields["also"], str(self.path), "also")]
        for index, (term, expected_node) in enumerate(checks):
            qualified = f"{self.agreement}.{term}" if self.agreement and "." not in term else term
            derivation = evaluator.derive(*model.locate(qualified))
            got = derivation.value
            if _scalar(expected_node) == "unknown":
                if not isinstance(got, Unknown):
                    raise ScenarioFailure(f"{term}: expected unknown, got {format_value(got, derivation.type)}")
                if "needs" in self.fields and index == 0:
                    want = sorted(_scalar(n) for n in self.fields["needs"].value)
                    if derivation.needs != want:
                        raise ScenarioFailure(f"{term}: needs {derivation.needs}, expected {want}")
                continue
            expected = convert(expected_node, derivation.type, True, str(self.path), term)
            if isinstance(got, Unknown) or got != expected:
                raise ScenarioFailure(
                    f"{term} ({section}): expected {format_value(expected, derivation.type)}, "
                    f"got {format_value(got, derivation.type)}"
                    + (f" (needs {', '.join(derivation.needs)})" if derivation.needs else "")
                    + f"\n  decided by {derivation.decided_by}: {derivation.rule}")
            if index == 0 and "citation" in self.fields:
                want = _scalar(self.fields["citation"])
                if want not in derivation.citation:
                    raise ScenarioFailure(f"{term}: cited {derivation.citation!r}, expected {want!r}")

    def _check_verdict(self, verdict) -> None:
        want = _scalar(self.fields["verdict"])
        applying = sorted(o.norm.name for o in verdict.deciding if o.norm.kind != "permit")
        summary = f"{verdict.status} (norms applying: {', '.join(applying) or 'none'})"
        if verdict.status != want:
            raise ScenarioFailure(f"verdict: expected {want}, got {summary}")
        if "approvals" in self.fields:
            approvals = sorted(_scalar(n) for n in self.fields["approvals"].value)
            if sorted(verdict.approvals) != approvals:
                raise ScenarioFailure(f"approvals: expected {approvals}, got {sorted(verdict.approvals)}")
        if "decide" in self.fields:
            expected = sorted(_scalar(n) for n in self.fields["decide"].value)
            if applying != expected:
                raise ScenarioFailure(f"deciding norms: expected {expected}, got {summary}")

    def _check_words(self, words: str) -> None:
        """The decisive words must really be in one of the deal's source texts."""
        for text in _sources(self.deal):
            if words.lower() in text:
                return
        raise ScenarioFailure(f"the quoted words are not in the source text: {words!r}")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return (f"{self.path.name}: {self.name}\n  {_scalar(self.fields['section'])}: "
                    f"\"{_scalar(self.fields['words'])}\"\n  {excinfo.value}")
        if isinstance(excinfo.value, CovenantError):
            return f"{self.path.name}: {self.name}\n{render(excinfo.value)}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"scenario: {self.name}"


@lru_cache(maxsize=None)
def _sources(deal: str) -> tuple[str, ...]:
    """The source texts of a deal (its folder's source/*.txt), as one-line lowercase text."""
    folder = ROOT / deal / "source"
    return tuple(" ".join(p.read_text(encoding="utf-8").split()).lower() for p in sorted(folder.glob("*.txt")))
