"""Evaluation: three-valued logic, `none` facts, first-match tables, exceptions and
their priorities, exact decimal arithmetic and the built-in functions (obligation
statuses: `test_evaluate_obligations.py`)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dsl.ast import Duration
from dsl.errors import EvaluationProblem
from dsl.parser import parse
from interpreter.evaluation.derivation import Derivation
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.evaluation.values import NONE, Unknown
from interpreter.static.deal import Deal
from interpreter.static.model import compile_deal

HEADER = 'agreement x "Test agreement"\n  dated 2001-01-31\n  party seller "The Seller"\n'
AS_OF = dt.date(2005, 1, 1)


class Run:
    """One agreement (the HEADER plus `body`) evaluated against YAML facts."""

    def __init__(self, body: str, facts: str = "", as_of: dt.date = AS_OF):
        text = HEADER + body
        self.text = text
        agreement = parse(text, "test.cov")
        self.model = compile_deal(Deal({agreement.id: agreement}, {"test.cov": text}))
        self.facts = read_facts(parse_yaml(facts, "facts.yaml"), "facts.yaml", self.model)
        self.evaluator = Evaluator(self.model, self.facts, as_of)

    def derive(self, name: str) -> Derivation:
        return self.evaluator.derive("x", name)

    def __getitem__(self, name: str):
        return self.derive(name).value


def assert_no_floats(value) -> None:
    if isinstance(value, tuple):
        for item in value:
            assert_no_floats(item)
    elif isinstance(value, dict):
        for item in value.values():
            assert_no_floats(item)
    else:
        assert not isinstance(value, float), value


# ---- three-valued logic ---------------------------------------------------------

LOGIC = '''
input flag: bool optional "An undecided flag"
input d: date optional "An undecided date"
true_or: bool = true or flag § 1
or_true: bool = flag or true § 1
false_and: bool = false and flag § 1
and_false: bool = flag and false § 1
false_or: bool = false or flag § 1
true_and: bool = true and flag § 1
negated: bool = not flag § 1
later: date = later_of(2001-01-01, d) § 2
shifted: date = d + 30 days § 2
chosen: count = if flag then 1 else 2 § 3
'''


@pytest.mark.parametrize("name, value", [
    ("true_or", True), ("or_true", True), ("false_and", False), ("and_false", False),
])
def test_a_decisive_operand_decides_despite_unknown(name, value):
    run = Run(LOGIC)
    assert run[name] is value
    assert run.derive(name).needs == []


@pytest.mark.parametrize("name, needs", [
    ("false_or", ["flag"]), ("true_and", ["flag"]), ("negated", ["flag"]),
    ("later", ["d"]), ("shifted", ["d"]), ("chosen", ["flag"]),
])
def test_unknown_spreads_and_names_the_missing_fact(name, needs):
    run = Run(LOGIC)
    value = run[name]
    assert isinstance(value, Unknown)
    assert run.derive(name).needs == needs


def test_later_of_with_the_fact_given():
    assert Run(LOGIC, "d: 2003-03-03")["later"] == dt.date(2003, 3, 3)
    assert Run(LOGIC, "d: 2000-03-03")["later"] == dt.date(2001, 1, 1)


def test_unknown_needs_are_merged_through_other_terms():
    run = Run('''
input a: count optional "A"
input b: count optional "B"
sum_ab: count = a + b § 1
twice: count = sum_ab * 2 § 2
''', "a: 1")
    assert run.derive("twice").needs == ["b"]
    assert run.derive("twice").children[0].name == "x.sum_ab"
    assert Run(run.text.removeprefix(HEADER)).derive("twice").needs == ["a", "b"]


# ---- none ---------------------------------------------------------------------

NONE_BODY = '''
input waived_on: date optional "The day it was waived, if ever"
waived: bool = waived_on is not none § 1
never_waived: bool = waived_on is none § 1
first_event: date = earlier_of(waived_on, 2003-01-01) § 2
last_event: date = later_of(waived_on, 2003-01-01) § 2
moved: date = waived_on + 1 day § 3
early: bool = waived_on < 2002-01-01 § 4
'''


def test_an_optional_fact_given_as_null_is_none():
    run = Run(NONE_BODY, "waived_on: null")
    assert run.facts.get("x", "waived_on") is NONE
    assert run["waived"] is False
    assert run["never_waived"] is True
    assert run["first_event"] == dt.date(2003, 1, 1)   # earlier_of passes over an event that never happens
    assert run["last_event"] is NONE
    assert run["moved"] is NONE
    assert run["early"] is False


def test_is_none_of_a_given_fact():
    run = Run(NONE_BODY, "waived_on: 2002-05-05")
    assert run["waived"] is True and run["never_waived"] is False
    assert run["first_event"] == dt.date(2002, 5, 5)


def test_is_none_of_a_fact_not_given_is_unknown():
    run = Run(NONE_BODY)
    assert isinstance(run["never_waived"], Unknown)
    assert run.derive("never_waived").needs == ["waived_on"]


def test_earlier_of_passes_over_none_inside_a_list():
    body = ('type ev = record { on: date optional }\ninput evs: list of ev "Events"\n'
            "first_on: date = earlier_of(evs.on) § 1\n")
    assert Run(body, "evs: [{on: 2005-03-01}, {on: null}, {on: 2004-01-01}]")["first_on"] == dt.date(2004, 1, 1)
    assert Run(body, "evs: [{on: null}]")["first_on"] is NONE


# ---- first-match tables ----------------------------------------------------------

TABLE = '''
input units: count optional "Units"
input rush: bool optional "A rush order"
tier: count =
  first
    when units > 100 -> 3 § 4(a)
    when units > 10 -> 2 § 4(b)
    otherwise -> 1 § 4(c)
guarded: count =
  first
    when rush -> 9 § 5(a)
    when units > 0 -> 1 § 5(b)
    otherwise -> 0 § 5(c)
partial: count = first when units > 100 -> 3 § 6
'''


@pytest.mark.parametrize("units, tier, citation, decided_by", [
    (500, 3, "§ 4(a)", "row 1 (first that applies)"),
    (50, 2, "§ 4(b)", "row 2 (first that applies)"),
    (5, 1, "§ 4(c)", "otherwise"),
])
def test_first_true_row_wins(units, tier, citation, decided_by):
    d = Run(TABLE, f"units: {units}").derive("tier")
    assert (d.value, d.citation, d.decided_by) == (tier, citation, decided_by)


def test_an_undecidable_row_before_a_true_one_makes_the_result_unknown():
    d = Run(TABLE, "units: 5").derive("guarded")
    assert isinstance(d.value, Unknown)
    assert d.needs == ["rush"]
    assert d.decided_by == "row 1 cannot be decided"


def test_a_false_row_before_passes_on_to_the_next():
    d = Run(TABLE, "units: 5\nrush: false").derive("guarded")
    assert (d.value, d.citation) == (1, "§ 5(b)")


def test_no_row_applies_without_otherwise_is_none():
    d = Run(TABLE, "units: 5").derive("partial")
    assert d.value is NONE
    assert d.decided_by == "no row applies"


# ---- exceptions ---------------------------------------------------------------

EXCEPTIONS = '''
input big: bool optional "A big order"
input huge: bool optional "A huge order"
price: money = $100 § 2
exception to price "big order" priority 2 when big -> $300 § 2(b)
exception to price "huge order" priority 5 when huge -> $500 § 2(c)
exception to price "big order again" priority 2 when big -> $301 § 2(d)
exception to price "big order, same price" priority 2 when big and huge -> $300 § 2(e)
'''


def test_no_exception_applies_so_the_rule_decides():
    d = Run(EXCEPTIONS, "big: false\nhuge: false").derive("price")
    assert (d.value, d.citation, d.decided_by) == (Decimal("100"), "§ 2", "the rule")
    assert len(d.notes) == 4 and all("does not apply" in n for n in d.notes)


def test_the_higher_priority_exception_wins():
    d = Run(EXCEPTIONS, "big: true\nhuge: true").derive("price")
    assert d.value == Decimal("500")
    assert d.citation == "§ 2(c)"
    assert d.decided_by == 'exception § 2(c) "huge order"'
    assert d.notes == ('exception § 2(c) "huge order" (priority 5) applies and overrides the base rule',)


def test_equal_priorities_that_disagree_raise():
    run = Run(EXCEPTIONS, "big: true\nhuge: false")
    with pytest.raises(EvaluationProblem) as caught:
        run.derive("price")
    problem = caught.value
    assert "equal priority 2" in problem.message and "disagree" in problem.message
    assert "§ 2(b)" in problem.message and "§ 2(d)" in problem.message
    assert problem.span is not None and problem.span.file == "test.cov" and problem.span.line == 8
    assert "priority" in problem.hint


def test_equal_priorities_that_agree_are_fine():
    body = EXCEPTIONS.replace("-> $301 § 2(d)", "-> $300 § 2(d)")
    assert Run(body, "big: true\nhuge: false")["price"] == Decimal("300")


def test_equal_amounts_written_differently_agree():
    body = EXCEPTIONS.replace("-> $301 § 2(d)", "-> $300.00 § 2(d)")
    assert Run(body, "big: true\nhuge: false")["price"] == Decimal("300")


def test_an_undecided_higher_exception_makes_the_value_unknown():
    d = Run(EXCEPTIONS, "big: true").derive("price")
    assert isinstance(d.value, Unknown)
    assert d.needs == ["huge"]
    assert any("huge order" in n and "cannot be decided" in n for n in d.notes)


def test_an_undecided_lower_exception_does_not_matter_when_a_higher_one_applies():
    d = Run(EXCEPTIONS, "huge: true").derive("price")
    assert d.value == Decimal("500")


def test_the_notes_say_which_exception_won_over_which():
    d = Run(EXCEPTIONS, "big: true\nhuge: true").derive("price")
    [won] = [n for n in d.notes if "overrides" in n]
    assert '"huge order"' in won and "priority 5" in won
    assert not any('"big order"' in n for n in d.notes)   # never looked at: a higher one applied


# ---- exact decimals and the built-in functions ------------------------------------

NUMBERS = '''
type quote = record { day: date, price: money, volume: count }
input quotes: list of quote "Quotes"
input amounts: list of money "Amounts"
input principal: money "Principal"
input rate: percent "Rate"
interest: money = principal * rate § 1
third: money = principal / 3 § 1
ratio: decimal = principal / $3 § 1
scaled: money = $1_000.50 * 10% § 1
vwap: money = weighted_mean(quotes.price, quotes.volume) § 2
average: money = mean(amounts) § 2
average_of_counts: decimal = mean(1, 2) § 2
clamped_high: money = clamp($5, $1, $3) § 3
clamped_low: money = clamp($0.50, $1, $3) § 3
clamped_mid: money = clamp($2, $1, $3) § 3
lowest: money = min(amounts) § 4
highest: money = max($1, $2.50, $2) § 4
earliest: date = min(2001-01-01, 2000-06-30) § 4
total: money = sum(amounts) § 5
how_many: count = count(amounts) § 5
latest: money = last(amounts) § 5
volumes: list of count = quotes.volume § 6
prices: list of money = quotes.price § 6
doubled_big: list of money = [q.price * 2 for q in quotes if q.volume > 100] § 7
all_days: list of date = [q.day for q in quotes] § 7
rounded: money = round(principal / 7, 2) § 8
gap: duration = 2002-01-01 - 2001-01-01 § 9
negative: money = -$5 § 9
'''

NUMBER_FACTS = '''
principal: 12500000.00
rate: 0.10
amounts: [100.10, 200.20, 300.30]
quotes:
  - {day: 2001-01-02, price: 10.50, volume: 100}
  - {day: 2001-01-03, price: 11.00, volume: 300}
'''


@pytest.fixture(scope="module")
def numbers() -> Run:
    return Run(NUMBERS, NUMBER_FACTS)


@pytest.mark.parametrize("name, expected", [
    ("interest", Decimal("1250000.00")),
    ("third", Decimal("4166666.666666666666666666666666667")),
    ("scaled", Decimal("100.05")),
    ("vwap", Decimal("10.875")),             # (10.50*100 + 11.00*300) / 400
    ("average", Decimal("200.20")),
    ("average_of_counts", Decimal("1.5")),
    ("clamped_high", Decimal("3")),
    ("clamped_low", Decimal("1")),
    ("clamped_mid", Decimal("2")),
    ("lowest", Decimal("100.10")),
    ("highest", Decimal("2.50")),
    ("total", Decimal("600.60")),
    ("latest", Decimal("300.30")),
    ("rounded", Decimal("1785714.29")),
    ("negative", Decimal("-5")),
])
def test_decimal_results_are_exact(numbers, name, expected):
    value = numbers[name]
    assert type(value) is Decimal
    assert value == expected


def test_ratio_of_money_to_money_is_a_decimal(numbers):
    assert numbers["ratio"] == Decimal("4166666.666666666666666666666666667")
    assert type(numbers["ratio"]) is Decimal


def test_sums_of_decimals_keep_their_places(numbers):
    assert str(numbers["total"]) == "600.60"
    assert str(numbers["interest"]) == "1250000.0000"


def test_counts_stay_integers(numbers):
    assert numbers["how_many"] == 3 and type(numbers["how_many"]) is int
    assert numbers["volumes"] == (100, 300) and all(type(v) is int for v in numbers["volumes"])


def test_dates_and_durations(numbers):
    assert numbers["earliest"] == dt.date(2000, 6, 30)
    assert numbers["gap"] == Duration(365, "day")


def test_list_field_projection(numbers):
    assert numbers["prices"] == (Decimal("10.50"), Decimal("11.00"))
    assert all(type(p) is Decimal for p in numbers["prices"])


def test_comprehensions(numbers):
    assert numbers["doubled_big"] == (Decimal("22.00"),)
    assert numbers["all_days"] == (dt.date(2001, 1, 2), dt.date(2001, 1, 3))


def test_no_floats_anywhere_in_results(numbers):
    for name in numbers.model.scopes["x"].definitions:
        assert_no_floats(numbers[name])
    for value in numbers.facts.values.values():
        assert_no_floats(value)


def test_whole_numbers_in_decimal_terms_become_decimals():
    run = Run('input amounts: list of money "A"\ninput factor: decimal = 2 "F"\n'
              "none_paid: money = sum(amounts) § 1\nfive: decimal = 5 § 2\nscaled: decimal = factor § 3\n"
              "ones: list of decimal = [1 for a in amounts] § 4\n", "amounts: []")
    assert run["none_paid"] == 0 and type(run["none_paid"]) is Decimal
    assert type(run["five"]) is Decimal and type(run["scaled"]) is Decimal
    assert Run(run.text.removeprefix(HEADER), "amounts: [1.00]")["ones"] == (Decimal(1),)
    assert type(Run(run.text.removeprefix(HEADER), "amounts: [1.00]")["ones"][0]) is Decimal


def test_derivation_records_facts_and_rule(numbers):
    d = numbers.derive("interest")
    assert d.rule == "principal * rate"
    assert d.citation == "§ 1"
    assert dict((name, value) for name, value, _ in d.inputs) == {
        "x.principal": Decimal("12500000.00"), "x.rate": Decimal("0.10")}


def test_evaluation_is_memoised_per_evaluator(numbers):
    assert numbers.derive("vwap") is numbers.derive("vwap")


# ---- failures -----------------------------------------------------------------

def test_division_by_zero_is_an_evaluation_problem_with_a_span():
    run = Run('input n: count "N"\nratio: decimal = 10 / (n - n) § 1\n', "n: 3")
    with pytest.raises(EvaluationProblem) as caught:
        run.derive("ratio")
    problem = caught.value
    assert problem.message == "division by zero"
    assert str(problem.span) == "test.cov:5:18"
    assert run.text[problem.span.start:problem.span.end] == "10 / (n - n)"


def test_money_divided_by_zero_money():
    run = Run('input a: money "A"\nshare: decimal = a / $0 § 1\n', "a: 5.00")
    with pytest.raises(EvaluationProblem, match="division by zero"):
        run.derive("share")


def test_weighted_mean_with_zero_weights():
    body = 'input v: list of money "V"\ninput w: list of count "W"\nm: money = weighted_mean(v, w) § 1\n'
    with pytest.raises(EvaluationProblem, match="add up to zero") as caught:
        Run(body, "v: [1.00, 2.00]\nw: [0, 0]").derive("m")
    assert caught.value.span.line == 6
    with pytest.raises(EvaluationProblem, match="2 values but 1 weights"):
        Run(body, "v: [1.00, 2.00]\nw: [1]").derive("m")


@pytest.mark.parametrize("call", ["min(v)", "max(v)", "mean(v)", "last(v)"])
def test_functions_of_an_empty_list_are_evaluation_problems(call):
    run = Run(f'input v: list of money "V"\nm: money = {call} § 1\n', "v: []")
    with pytest.raises(EvaluationProblem) as caught:
        run.derive("m")
    assert caught.value.span is not None and caught.value.span.line == 5


def test_durations_of_different_units_cannot_be_compared():
    run = Run('input a: duration "A"\nlonger: bool = a > 1 month § 1\n', "a: 30 days")
    with pytest.raises(EvaluationProblem, match="cannot compare"):
        run.derive("longer")
