"""Ordered enumerations (scales), grids with several columns, ratio literals and
multiples: parsing, type checking and evaluation."""
from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from dsl.errors import SyntaxProblem, render
from dsl.parser import parse, parse_expression
from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.values import Ranked
from tests.interpreter.test_evaluate import AS_OF, Run
from tests.interpreter.test_typecheck import errors_of

SCALE = '''
type Grade = ordered enum { poor, fair, good, excellent }
type Colour = enum { red, green }
input first_grade: Grade "one grader's grade"
input second_grade: Grade "the other grader's grade"
§ 1 "Grades"
  higher: Grade = max(first_grade, second_grade)              § 1
  lower: Grade = min(first_grade, second_grade)               § 1
  one_below_higher: Grade = below(higher, 1)                  § 1
  two_above_lower: Grade = above(lower, 2)                    § 1
  spread: count = abs(rank(first_grade) - rank(second_grade)) § 1
  passes: bool = first_grade >= good                          § 1
  settled: Grade = if spread > 1 then one_below_higher else higher   § 1
'''


def scale(first: str, second: str) -> Run:
    return Run(SCALE, f"first_grade: {first}\nsecond_grade: {second}\n")


def test_members_of_an_ordered_enumeration_compare_by_their_place():
    run = scale("fair", "excellent")
    assert run["higher"] == "excellent" and run["lower"] == "fair"
    assert run["passes"] is False
    assert scale("good", "poor")["passes"] is True


def test_below_and_above_move_along_the_scale_and_stop_at_its_ends():
    run = scale("fair", "excellent")
    assert run["one_below_higher"] == "good"
    assert run["two_above_lower"] == "excellent"
    assert scale("poor", "poor")["one_below_higher"] == "poor"      # the lowest stays
    assert scale("excellent", "good")["two_above_lower"] == "excellent"  # the highest stays


def test_rank_counts_places_from_the_lowest():
    assert scale("poor", "excellent")["spread"] == 3
    assert scale("good", "good")["spread"] == 0


@pytest.mark.parametrize("first, second, expected", [
    ("good", "fair", "good"),        # one place apart: the higher
    ("good", "poor", "fair"),        # two apart: one below the higher
])
def test_a_split_of_more_than_one_place_takes_one_below_the_higher(first, second, expected):
    assert scale(first, second)["settled"] == expected


def test_a_member_of_a_scale_is_its_name_and_survives_pickling():
    member = Ranked("good", ("poor", "fair", "good"))
    assert member == "good" and member.rank == 2
    assert pickle.loads(pickle.dumps(member)).rank == 2


def test_an_unordered_enumeration_cannot_be_compared_by_order():
    errors = errors_of('agreement demo "D"\n type Colour = enum { red, green }\n'
                       ' input c: Colour "c"\n § 1 "A"\n x: bool = c < green § 1\n')
    assert "cannot compare" in render(errors[0]) or "compare" in render(errors[0])


@pytest.mark.parametrize("call, words", [
    ("below(c, 1)", "ordered enumeration"),
    ("rank(c)", "ordered enumeration"),
    ("below(g, $1)", "count of places"),
    ("multiple_of($5, 5)", "same kind"),
])
def test_scale_functions_say_what_they_need(call, words):
    errors = errors_of('agreement demo "D"\n type Colour = enum { red, green }\n'
                       ' type G = ordered enum { lo, hi }\n input c: Colour "c"\n input g: G "g"\n'
                       f' § 1 "A"\n x: bool = {call} == {call} § 1\n')
    assert words in render(errors[0])


GRID = '''
type Band = enum { band_one, band_two, band_three }
input band: Band "the band that applies"
§ 2 "Fee Schedule"
grid "Fee Schedule"
  | by band              | band_one | band_two | band_three |
  | upfront_fee: percent | 0.10%    | 0.15%    | 0.25%      |
  | margin: percent      | 1.00%    | 1.25%    | 1.50%      |
  § Schedule Fees
'''


@pytest.mark.parametrize("band, fee, margin", [
    ("band_one", "0.0010", "0.0100"), ("band_two", "0.0015", "0.0125"), ("band_three", "0.0025", "0.0150")])
def test_a_grid_row_takes_the_cell_of_the_column_that_matches_the_key(band, fee, margin):
    run = Run(GRID, f"band: {band}\n")
    assert run["upfront_fee"] == Decimal(fee) and run["margin"] == Decimal(margin)
    assert run.derive("margin").citation == "§ Schedule Fees"


@pytest.mark.parametrize("facts, decided_by", [
    ("band: band_two\n", "column band_two"),
    ("", "column band_one or a later one, the key not being known"),
])
def test_a_grid_value_is_explained_by_its_column(facts, decided_by):
    """`explain` says which column of the grid gave the value (not "row 2"), and the
    compiled evaluator names it alike."""
    run = Run(GRID, facts)
    assert run.derive("margin").decided_by == decided_by
    compiled = CompiledDeal(run.model)
    assert compiled.result(compiled.env(run.facts, AS_OF), "x", "margin").decided_by == decided_by


def test_a_grid_row_with_too_few_cells_is_a_syntax_error():
    text = GRID.replace(" 1.50%      |", "")
    with pytest.raises(SyntaxProblem) as caught:
        parse('agreement x "X"\n' + text, "grid.cov")
    assert "2 cells but the grid has 3 columns" in render(caught.value)


def test_a_grid_column_that_is_not_a_member_of_the_key_is_found_by_check():
    errors = errors_of('agreement demo "D"\n' + GRID.replace("| band_three |", "| band_four |", 1))
    assert "band_four" in render(errors[0])


@pytest.mark.parametrize("text, value", [
    ("3.50:1.00", Decimal("3.5")), ("0.65:1", Decimal("0.65")), ("4:1", Decimal(4)),
    ("1_000:4", Decimal(250))])
def test_ratio_literals_are_exact_decimals(text, value):
    literal = parse_expression(text)
    assert literal.value == value and literal.kind == "decimal"


def test_a_ratio_with_a_zero_second_term_is_refused_with_the_way_to_write_one():
    with pytest.raises(SyntaxProblem) as caught:
        parse_expression("3:0")
    assert "e.g. `3.50:1.00`" in render(caught.value)


def test_a_ratio_compares_with_a_quotient_of_amounts():
    run = Run('input debt: money "d"\ninput capital: money "c"\n§ 1 "Ratio"\n'
              '  within_limit: bool = debt / capital <= 0.65:1   § 1\n',
              "debt: 65\ncapital: 100\n")
    assert run["within_limit"] is True
    over = Run('input debt: money "d"\ninput capital: money "c"\n§ 1 "Ratio"\n'
               '  within_limit: bool = debt / capital <= 0.65:1   § 1\n',
               "debt: 65.01\ncapital: 100\n")
    assert over["within_limit"] is False


@pytest.mark.parametrize("amount, expected", [("7000000", True), ("7500000", False), ("0", True)])
def test_multiple_of(amount, expected):
    run = Run('input amount: money "a"\n§ 1 "Steps"\n  whole: bool = multiple_of(amount, $1_000_000) § 1\n',
              f"amount: {amount}\n")
    assert run["whole"] is expected


def test_a_multiple_of_zero_is_an_evaluation_problem():
    run = Run('input amount: money "a"\n§ 1 "Steps"\n  whole: bool = multiple_of(amount, $0) § 1\n',
              "amount: 5\n")
    with pytest.raises(Exception) as caught:
        run["whole"]
    assert "multiple of zero" in str(caught.value)


def test_an_input_whose_default_is_none_may_be_given_as_none_or_as_a_date():
    body = 'input notice: date = none "the day notice was given; none if none"\n§ 1 "N"\n  given: bool = notice is not none § 1\n'
    assert Run(body, "notice: none\n")["given"] is False
    assert Run(body, "notice: 2020-01-02\n")["given"] is True
    assert Run(body, "")["given"] is False


def test_an_input_with_another_default_still_refuses_none():
    from dsl.errors import FactProblem
    with pytest.raises(FactProblem) as caught:
        Run('input notice: date = 2020-01-01 "a day"\n§ 1 "N"\n  given: bool = notice is not none § 1\n',
            "notice: none\n")
    assert "cannot be none" in render(caught.value)
