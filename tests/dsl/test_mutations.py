"""Mutate the real Series A file and check that every outcome is either a clean
result or one of Covenant's own errors: never another exception."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from dsl.errors import CovenantError, Findings, render
from dsl.parser import parse
from interpreter.static.deal import Deal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import load_facts
from interpreter.static.model import compile_deal

ROOT = Path(__file__).resolve().parents[2]
COV = ROOT / "agreements" / "bti" / "series-a-redemption.cov"
FACTS = ROOT / "agreements" / "bti" / "examples" / "series-a-2007-redemption-demand.yaml"
TEXT = COV.read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)


def _delete(data: st.DataObject) -> str:
    start = data.draw(st.integers(0, len(TEXT) - 1))
    length = data.draw(st.integers(1, 40))
    return TEXT[:start] + TEXT[start + length:]


def _swap_chars(data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(TEXT) - 2))
    return TEXT[:i] + TEXT[i + 1] + TEXT[i] + TEXT[i + 2:]


def _duplicate_line(data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(LINES) - 1))
    return "".join(LINES[:i + 1] + [LINES[i]] + LINES[i + 1:])


def _swap_lines(data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(LINES) - 1))
    j = data.draw(st.integers(0, len(LINES) - 1))
    lines = list(LINES)
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def _insert(data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(TEXT)))
    piece = data.draw(st.sampled_from(['"', "§", "(", ")", "=", "==", "->", "$", "%", "{", "}", ",",
                                       "first", "when", "none", " x ", "9999-99-99", "\n", "#", ".", "0"]))
    return TEXT[:i] + piece + TEXT[i:]


MUTATIONS = [_delete, _swap_chars, _duplicate_line, _swap_lines, _insert]


def _run(text: str) -> None:
    """Parse, check and evaluate the mutated text; only Covenant's own errors may escape."""
    try:
        agreement = parse(text, str(COV))
        model = compile_deal(Deal({agreement.id: agreement}, {str(COV): text}))
        facts = load_facts(str(FACTS), model)
        evaluator = Evaluator(model, facts, dt.date(2007, 5, 1))
        for scope in model.scopes.values():
            for name in (*scope.definitions, *scope.obligations):
                evaluator.derive(scope.id, name)
    except Findings as findings:
        for error in findings.errors:
            assert render(error, {str(COV): text})
    except CovenantError as error:
        assert render(error, {str(COV): text})


def test_the_unmutated_file_evaluates():
    _run(TEXT)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_agreement_gives_a_result_or_a_clean_error(data):
    mutation = data.draw(st.sampled_from(MUTATIONS))
    _run(mutation(data))
