"""YAML fact files: read exactly (decimals stay decimals), checked against the declared
inputs, and every mistake reported with the file and line it is on.

tests/fixtures/facts/inputs.cov declares an input of every kind; each bad case is one
YAML file beside it, or a few lines written to tmp_path."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dsl.ast import Duration
from dsl.errors import FactProblem, render
from interpreter.static.deal import load_deal
from interpreter.evaluation.facts import load_facts
from interpreter.static.model import Model, compile_deal
from interpreter.evaluation.values import NONE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "facts"


@pytest.fixture(scope="module")
def model() -> Model:
    return compile_deal(load_deal([str(FIXTURES / "inputs.cov")]))


def fact_problem(model: Model, path: Path) -> tuple[FactProblem, str]:
    with pytest.raises(FactProblem) as caught:
        load_facts(str(path), model)
    return caught.value, render(caught.value)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- reading good facts -----------------------------------------------------------

def test_every_kind_is_read_exactly(model):
    facts = load_facts(str(FIXTURES / "good.yaml"), model)
    get = lambda name: facts.get("kinds", name)  # noqa: E731
    assert get("flag") is True
    assert get("units") == 1200 and type(get("units")) is int
    assert get("ratio") == Decimal("0.10") and str(get("ratio")) == "0.10"
    assert get("price") == Decimal("12500000.00") and str(get("price")) == "12500000.00"
    assert get("rate") == Decimal("0.10")
    assert get("holding") == Decimal("1500.5")
    assert get("closing") == dt.date(2001, 8, 31)
    assert get("notice") == Duration(2, "business_day")
    assert get("label") == "anything at all"
    assert get("payer") == "buyer"
    assert get("rating") == "fair"
    assert get("latest") == {"price": Decimal("10.50"), "volume": 100, "note": NONE}
    assert get("quotes") == (
        {"price": Decimal("10.50"), "volume": 100, "note": "opening"},
        {"price": Decimal("11.00"), "volume": 300, "note": NONE},
    )
    assert get("waived_on") is NONE
    for name in ("ratio", "price", "rate", "holding"):
        assert type(get(name)) is Decimal, name


def test_where_each_fact_was_written_is_kept(model):
    facts = load_facts(str(FIXTURES / "good.yaml"), model)
    origin = facts.origins["kinds.price"]
    assert (origin.file, origin.line, origin.column) == (str(FIXTURES / "good.yaml"), 4, 8)


@pytest.mark.parametrize("written, value", [
    ("0.10", Decimal("0.10")),
    ("0.1", Decimal("0.1")),
    ("1e-2", Decimal("0.01")),
    ("'0.10'", Decimal("0.10")),
])
def test_a_decimal_is_a_decimal_not_a_float(model, tmp_path, written, value):
    facts = load_facts(str(write(tmp_path, f"ratio: {written}\n")), model)
    got = facts.get("kinds", "ratio")
    assert type(got) is Decimal
    assert got == value and str(got) == str(value)


@pytest.mark.parametrize("written, value", [
    ("10%", Decimal("0.1")),
    ("12.5%", Decimal("0.125")),
    ("0.10", Decimal("0.10")),
])
def test_percent(model, tmp_path, written, value):
    got = load_facts(str(write(tmp_path, f"rate: {written}\n")), model).get("kinds", "rate")
    assert type(got) is Decimal and got == value


@pytest.mark.parametrize("written, value", [
    ("12500000.00", Decimal("12500000.00")),
    ("'12,500,000.00'", Decimal("12500000.00")),
    ("'$1,000.50'", Decimal("1000.50")),
    ("12_500_000", Decimal("12500000")),
])
def test_money(model, tmp_path, written, value):
    got = load_facts(str(write(tmp_path, f"price: {written}\n")), model).get("kinds", "price")
    assert type(got) is Decimal and got == value


@pytest.mark.parametrize("written, value", [
    ("30 days", Duration(30, "day")),
    ("1 day", Duration(1, "day")),
    ("6 months", Duration(6, "month")),
    ("2 years", Duration(2, "year")),
    ("2 business days", Duration(2, "business_day")),
])
def test_durations(model, tmp_path, written, value):
    assert load_facts(str(write(tmp_path, f"notice: {written}\n")), model).get("kinds", "notice") == value


def test_a_qualified_fact_name(model, tmp_path):
    facts = load_facts(str(write(tmp_path, "kinds.units: 7\n")), model)
    assert facts.get("kinds", "units") == 7


def test_a_quoted_null_is_text_not_none(model, tmp_path):
    facts = load_facts(str(write(tmp_path, "label: 'null'\n")), model)
    assert facts.get("kinds", "label") == "null"


def test_an_empty_file_gives_no_facts(model, tmp_path):
    assert load_facts(str(write(tmp_path, "# nothing yet\n")), model).given() == []


# ---- wrong types ----------------------------------------------------------------

@pytest.mark.parametrize("name, written, words", [
    ("flag", "yes", "must be true or false, not `yes`"),
    ("flag", "1", "must be true or false, not `1`"),
    ("units", "1.5", "must be a whole number, not `1.5`"),
    ("units", "many", "must be a whole number, not `many`"),
    ("ratio", "high", "must be a number, not `high`"),
    ("ratio", "$5", "must be a number, not `$5`"),
    ("price", "a lot", "must be an amount such as 12500000.00, not `a lot`"),
    ("rate", "ten", "must be a percentage such as 10% or 0.10, not `ten`"),
    ("holding", "$5", "must be a number of shares, not `$5`"),
    ("closing", "2001-02-30", "must be a date written YYYY-MM-DD, not `2001-02-30`"),
    ("closing", "last tuesday", "must be a date written YYYY-MM-DD, not `last tuesday`"),
    ("notice", "a month or so", "must be a duration such as `30 days`, not `a month or so`"),
    ("label", "[a, b]", "must be a single text value"),
    ("payer", "{name: x}", "must be a single party value"),
    ("rating", "excellent", "must be one of good, fair, poor, not `excellent`"),
    ("latest", "5", "must be a mapping of `name: value` lines"),
    ("quotes", "5", "must be a list"),
])
def test_wrong_type_for_each_kind_names_the_file_and_line(model, tmp_path, name, written, words):
    path = write(tmp_path, f"# facts\nwaived_on: null\n{name}: {written}\n")
    problem, rendered = fact_problem(model, path)
    assert words in problem.message
    assert problem.message.startswith(f"`{name}`")
    column = len(name) + 3
    assert str(problem.span) == f"{path}:3:{column}"
    assert rendered.startswith(f"{path}:3:{column}: error: ")
    assert f"    3 | {name}: {written}" in rendered


def test_wrong_money_fixture(model):
    path = FIXTURES / "wrong-money.yaml"
    problem, rendered = fact_problem(model, path)
    assert rendered.startswith(f"{path}:3:8: error: `price` must be an amount such as 12500000.00, "
                               "not `12,500,000.OO`")
    assert "^" * len("12,500,000.OO") in rendered


def test_enum_typo_gets_a_suggestion(model):
    problem, _ = fact_problem(model, FIXTURES / "enum-typo.yaml")
    assert problem.hint == "did you mean `good`?"


def test_wrong_type_inside_a_list_names_the_element(model, tmp_path):
    path = write(tmp_path, "quotes:\n  - {price: 1.00, volume: 2}\n  - {price: 1.00, volume: lots}\n")
    problem, _ = fact_problem(model, path)
    assert problem.message == "`quotes[2].volume` must be a whole number, not `lots`"
    assert problem.span.line == 3


# ---- names, structure and syntax ----------------------------------------------------

def test_unknown_fact_name_with_suggestion(model):
    path = FIXTURES / "unknown-name.yaml"
    problem, rendered = fact_problem(model, path)
    assert problem.message == "unknown fact `unitz`: no agreement loaded declares this input or defines this term"
    assert problem.hint == "did you mean `units`?"
    assert rendered.startswith(f"{path}:2:1: error: ")


def test_malformed_yaml(model):
    path = FIXTURES / "malformed.yaml"
    problem, rendered = fact_problem(model, path)
    assert problem.message.startswith("malformed YAML: ")
    assert problem.span.file == str(path) and problem.span.line == 3
    assert rendered.startswith(f"{path}:3:")
    assert problem.hint


def test_malformed_yaml_indentation(model, tmp_path):
    path = write(tmp_path, "units: 3\n  price: 2\n")
    problem, _ = fact_problem(model, path)
    assert problem.message.startswith("malformed YAML: ")
    assert (problem.span.line, problem.span.column) == (2, 8)


def test_duplicate_key(model):
    path = FIXTURES / "duplicate-key.yaml"
    problem, rendered = fact_problem(model, path)
    assert problem.message == "`flag` is given twice"
    assert str(problem.span) == f"{path}:3:1"
    assert problem.notes == (f"first given at {path}:1:1",)
    assert "  note: first given at" in rendered


def test_null_for_a_required_input(model):
    path = FIXTURES / "null-required.yaml"
    problem, _ = fact_problem(model, path)
    assert problem.message == "`closing` cannot be none: the input is not optional"
    assert str(problem.span) == f"{path}:2:10"
    assert "optional" in problem.hint


@pytest.mark.parametrize("null", ["null", "~", "none", "Null", ""])
def test_every_spelling_of_null_is_none_for_an_optional_input(model, tmp_path, null):
    facts = load_facts(str(write(tmp_path, f"waived_on: {null}\n")), model)
    assert facts.get("kinds", "waived_on") is NONE


def test_record_missing_a_field(model):
    path = FIXTURES / "record-missing-field.yaml"
    problem, _ = fact_problem(model, path)
    assert problem.message == "`latest` lacks the field `volume`"
    assert str(problem.span) == f"{path}:2:9"
    assert problem.hint == "quote needs price, volume"


def test_record_with_an_unknown_field(model):
    path = FIXTURES / "record-unknown-field.yaml"
    problem, _ = fact_problem(model, path)
    assert problem.message == "quote has no field `colour`"
    assert problem.span.line == 2


def test_record_optional_field_may_be_left_out(model, tmp_path):
    facts = load_facts(str(write(tmp_path, "latest: {price: 1.00, volume: 2}\n")), model)
    assert facts.get("kinds", "latest")["note"] is NONE


def test_a_fact_file_must_be_a_mapping(model, tmp_path):
    problem, _ = fact_problem(model, write(tmp_path, "- units\n- price\n"))
    assert problem.message == "a fact base must be a mapping of `name: value` lines"


def test_a_missing_fact_file(model, tmp_path):
    with pytest.raises(FactProblem, match="cannot read fact file"):
        load_facts(str(tmp_path / "absent.yaml"), model)


def test_yaml_tags_do_not_build_objects(model, tmp_path):
    path = write(tmp_path, "label: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(FactProblem):
        load_facts(str(path), model)
