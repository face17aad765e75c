"""Named alternative readings: `reading NAME of TERM "..." = expr § x` gives TERM another
body, used only when the reading is chosen; exceptions still override it; an unknown
reading or a reading of an unknown term is a clear error."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dsl.errors import Findings, NameProblem
from dsl.parser import parse
from interpreter.static.deal import Deal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.static.model import compile_deal
from interpreter.versions.lineage import with_reading

AS_OF = dt.date(2005, 1, 1)

TEXT = '''
agreement appraisal "Appraisal Agreement"
  dated 2001-01-01

input low: money "the lower valuation"
input high: money "the higher valuation"
input waived: bool = false "the test was waived"

§ 2(b) "Appraisal"
  # Default reading: the difference is at most 10% of the lower valuation.
  within_ten_percent: bool = high - low <= 10% * low   § 2(b)
  reading of_higher of within_ten_percent "10% of the higher valuation" =
    high - low <= 10% * high   § 2(b)
  reading of_mean of within_ten_percent "10% of the mean" =
    high - low <= 10% * mean(low, high)   § 2(b)(ii)
  exception to within_ten_percent "waived by the parties" priority 1
    when waived -> true   § 2(c)
  value: money = if within_ten_percent then mean(low, high) else high   § 2(b)
'''


def model_of(text: str = TEXT):
    agreement = parse(text, "appraisal.cov")
    return compile_deal(Deal({agreement.id: agreement}, {"appraisal.cov": text}))


def evaluator(facts: str, readings=frozenset(), text: str = TEXT) -> Evaluator:
    model = model_of(text)
    base = read_facts(parse_yaml(facts, "facts.yaml"), "facts.yaml", model)
    return Evaluator(model, base, AS_OF, readings=frozenset(readings))


# 100 and 110.50: a difference of 10.50 is more than 10% of 100, not more than 10% of 110.50.
FACTS = "low: 100.00\nhigh: 110.50\n"


def test_without_a_reading_the_rule_decides():
    d = evaluator(FACTS).derive("appraisal", "within_ten_percent")
    assert d.value is False
    assert d.citation == "§ 2(b)"
    assert d.decided_by == "the rule"


def test_a_chosen_reading_switches_the_body():
    d = evaluator(FACTS, {"appraisal.of_higher"}).derive("appraisal", "within_ten_percent")
    assert d.value is True
    assert d.citation == "§ 2(b)"
    assert 'reading "of_higher"' in d.decided_by and "10% of the higher valuation" in d.decided_by
    assert "10% * high" in d.rule


def test_a_reading_carries_its_own_citation():
    d = evaluator(FACTS, {"appraisal.of_mean"}).derive("appraisal", "within_ten_percent")
    assert d.value is True
    assert d.citation == "§ 2(b)(ii)"


def test_a_reading_flows_into_the_terms_that_use_it():
    assert evaluator(FACTS).derive("appraisal", "value").value == Decimal("110.50")
    assert evaluator(FACTS, {"appraisal.of_higher"}).derive("appraisal", "value").value == Decimal("105.25")


def test_an_exception_still_wins_over_a_reading():
    facts = "low: 100.00\nhigh: 200.00\nwaived: true\n"
    for readings in (frozenset(), {"appraisal.of_higher"}, {"appraisal.of_mean"}):
        d = evaluator(facts, readings).derive("appraisal", "within_ten_percent")
        assert d.value is True, readings
        assert d.citation == "§ 2(c)"
        assert "waived by the parties" in d.decided_by


def test_when_the_exception_does_not_apply_the_reading_decides():
    facts = "low: 100.00\nhigh: 110.50\nwaived: false\n"
    d = evaluator(facts, {"appraisal.of_higher"}).derive("appraisal", "within_ten_percent")
    assert d.value is True
    # Demand-driven: the exception could only give `true`, the reading's own value,
    # so it is not consulted at all.
    assert any("not consulted" in note for note in d.notes)


def test_reading_names_are_qualified_by_agreement():
    assert model_of().reading_names() == ["appraisal.of_higher", "appraisal.of_mean"]


@pytest.mark.parametrize("typed", ["of_higher", "appraisal.of_higher"])
def test_choose_readings_accepts_plain_and_qualified_names(typed):
    assert model_of().choose_readings([typed]) == frozenset({"appraisal.of_higher"})


def test_an_unknown_reading_name_is_a_clear_error_with_a_suggestion():
    with pytest.raises(NameProblem) as caught:
        model_of().choose_readings(["of_highr"])
    assert "no reading `of_highr`" in caught.value.message
    assert caught.value.hint == "did you mean `of_higher`?"


def test_an_unknown_reading_far_from_any_name_lists_the_readings():
    with pytest.raises(NameProblem) as caught:
        model_of().choose_readings(["zzz"])
    assert "appraisal.of_higher" in caught.value.hint and "appraisal.of_mean" in caught.value.hint


def test_with_reading_rewrites_the_agreement_and_rejects_unknown_names():
    agreement = parse(TEXT, "appraisal.cov")
    read = with_reading(agreement, "of_higher")
    body = next(d for d in read.definitions if d.name == "within_ten_percent").body
    assert body.citation.refs == ("2(b)",)
    assert body.value == next(r for r in agreement.readings if r.name == "of_higher").value
    with pytest.raises(NameProblem) as caught:
        with_reading(agreement, "of_meen")
    assert "has no reading `of_meen`" in caught.value.message
    assert caught.value.hint == "did you mean `of_mean`?"


def test_a_reading_of_an_unknown_term_is_a_check_error():
    text = TEXT + '  reading strict of within_ten_percnt "stricter" = high == low   § 2(b)\n'
    with pytest.raises(Findings) as caught:
        model_of(text)
    error = next(e for e in caught.value.errors if "strict" in e.message)
    assert "reading `strict` of unknown definition `within_ten_percnt`" in error.message
    assert error.hint == "did you mean `within_ten_percent`?"
    assert error.span is not None and error.span.line > 0


def test_a_reading_of_the_wrong_type_is_a_check_error():
    text = TEXT + '  reading odd of within_ten_percent "a money reading" = high   § 2(b)\n'
    with pytest.raises(Findings) as caught:
        model_of(text)
    assert any("within_ten_percent" in e.message and "bool" in e.message for e in caught.value.errors)


def test_a_reading_declared_twice_is_a_check_error():
    text = TEXT + '  reading of_mean of within_ten_percent "again" = true   § 2(b)\n'
    with pytest.raises(Findings) as caught:
        model_of(text)
    assert any("reading `of_mean` is declared twice" in e.message for e in caught.value.errors)
