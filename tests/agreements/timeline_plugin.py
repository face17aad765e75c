"""Timeline scenarios: YAML files in `tests/agreements/timelines/` that state, for a
fact base and an as-of date, the items a deal lawyer would put in the calendar —
each with its day, status, who must act and citation, and the decisive words of the
source text:

    deal: agreements/bti
    facts: agreements/bti/examples/series-a-2007-redemption-demand.yaml
    as_of: 2007-05-01
    missed: []                       # the keys of every missed item, exactly
    items:
      - name: the Redemption Notice, within 30 days after the Liquidity Exercise Date
        item: series_a_redemption.deliver_redemption_notice
        words: "within thirty (30) days after the Liquidity Exercise Date"
        date: 2007-01-27             # or `unknown`, with `needs: [fact, ...]` and
                                     # what is known of it: `earliest`, `latest`
        status: met
        done: 2007-01-15
        who: company
        citation: "§ 1"
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest

from dsl.errors import CovenantError, render
from interpreter.evaluation.facts import mapping_items, read_facts, read_yaml_file
from interpreter.reports.timeline import build_timeline
from interpreter.static.deal import load_deal
from interpreter.static.model import check_deal, compile_deal
from interpreter.versions.in_force import known_inputs

ROOT = Path(__file__).resolve().parents[2]


def _scalar(node) -> str:
    return node.value if hasattr(node, "value") and isinstance(node.value, str) else ""


@lru_cache(maxsize=None)
def _timeline(deal_path: str, facts_path: str, as_of: str):
    deal = load_deal([str(ROOT / deal_path)])
    written = check_deal(deal)
    node, _ = read_yaml_file(str(ROOT / facts_path))
    known = known_inputs(deal, written)
    compiled: dict = {}

    def compile_once(version):
        key = tuple(sorted((k, id(v)) for k, v in version.agreements.items()))
        if key not in compiled:
            compiled[key] = compile_deal(version)
        return compiled[key]

    return build_timeline(written, lambda model: read_facts(node, facts_path, model, tolerated=known),
                          dt.date.fromisoformat(as_of), compile=compile_once)


@lru_cache(maxsize=None)
def _sources(deal_path: str) -> tuple[str, ...]:
    folder = ROOT / deal_path / "source"
    return tuple(" ".join(p.read_text(encoding="utf-8").split()).lower() for p in sorted(folder.glob("*.txt")))


class TimelineFailure(Exception):
    pass


class TimelineFile(pytest.File):
    def collect(self):
        node, _ = read_yaml_file(str(self.path))
        top = {k: v for k, _, v in mapping_items(node, str(self.path), "a timeline file")}
        context = (_scalar(top["deal"]), _scalar(top["facts"]), _scalar(top["as_of"]))
        if "missed" in top:
            yield TimelineItem.from_parent(self, name="the missed items, exactly", context=context,
                                           fields={"missed": top["missed"]})
        for entry in top["items"].value:
            fields = {k: v for k, _, v in mapping_items(entry, str(self.path), "a timeline item")}
            yield TimelineItem.from_parent(self, name=_scalar(fields["name"]), context=context, fields=fields)


class TimelineItem(pytest.Item):
    def __init__(self, *, context, fields, **kwargs):
        super().__init__(**kwargs)
        self.context, self.fields = context, fields

    def runtest(self):
        timeline = _timeline(*self.context)
        if "missed" in self.fields:
            want = sorted(_scalar(n) for n in self.fields["missed"].value)
            got = sorted(i.key for i in timeline.missed)
            if got != want:
                raise TimelineFailure(f"missed items: expected {want}, got {got}")
            return
        words = " ".join(_scalar(self.fields["words"]).split()).lower()
        if not any(words in text for text in _sources(self.context[0])):
            raise TimelineFailure(f"the quoted words are not in the source text: {words!r}")
        key = _scalar(self.fields["item"])
        found = [i for i in timeline.items if i.key == key]
        if not found:
            raise TimelineFailure(f"{key} is not on the timeline")
        item = found[0]
        expected = {k: _scalar(v) for k, v in self.fields.items()
                    if k in ("date", "status", "done", "who", "citation", "earliest", "latest")}
        got = {"date": item.date.isoformat() if item.date else "unknown", "status": item.status,
               "done": item.done.isoformat() if item.done else "none", "who": item.who or "none",
               "citation": item.citation,
               "earliest": item.earliest.isoformat() if item.earliest else "none",
               "latest": item.latest.isoformat() if item.latest else "none"}
        wrong = {k: (v, got[k]) for k, v in expected.items() if got[k] != v}
        if "needs" in self.fields:
            want = sorted(_scalar(n) for n in self.fields["needs"].value)
            if list(item.needs) != want:
                wrong["needs"] = (want, list(item.needs))
        if wrong:
            raise TimelineFailure("; ".join(f"{k}: expected {w!r}, got {g!r}" for k, (w, g) in wrong.items()))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, TimelineFailure):
            return f"{self.path.name}: {self.name}\n  {excinfo.value}"
        if isinstance(excinfo.value, CovenantError):
            return f"{self.path.name}: {self.name}\n{render(excinfo.value)}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"timeline: {self.name}"
