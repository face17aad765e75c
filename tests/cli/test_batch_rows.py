"""A batch types each row through converters built once (`batch.row_facts`): every
value, good or bad, must read exactly as the same value in a fact file reads
(`facts.read_facts`) — the same typed value, or the same message at the same place."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from dsl.errors import CovenantError
from interpreter.batch.row_facts import RowReader
from interpreter.batch.scenarios import row_mark, row_node, row_values
from interpreter.evaluation.facts import read_facts
from interpreter.evaluation.values import NONE
from interpreter.static.deal import load_deal
from interpreter.static.model import check_deal
from interpreter.versions.in_force import known_inputs

ROOT = Path(__file__).resolve().parents[2]
FILE = "rows.jsonl"
DAY = '{"day": "2001-05-31", "closing_price": "23.97", "last_sale_price": "23.97", "highest_bid": "24.02", ' \
      '"lowest_asked": "23.92", "volume": "308000"}'


@lru_cache(maxsize=2)
def _deal(folder: str):
    deal = load_deal([str(ROOT / "agreements" / folder)])
    model = check_deal(deal)
    return model, known_inputs(deal, model)


def outcome(read) -> tuple:
    """What reading gave: the values (with their Python types), the pins and the
    places; or the problem's message and place."""
    try:
        facts = read()
    except CovenantError as problem:
        return "problem", str(problem), problem.span, problem.hint
    values = {k: (type(v).__name__, repr(v)) for k, v in facts.values.items()}
    return "facts", values, facts.pinned, facts.origins


def both(folder: str, values: dict, plain: bool) -> tuple[tuple, tuple]:
    model, known = _deal(folder)
    mark = row_mark(FILE, 7)
    fast = outcome(lambda: RowReader(model, FILE, known).facts(values, mark, plain))
    slow = outcome(lambda: read_facts(row_node(values, mark, plain), FILE, model, tolerated=known))
    return fast, slow


JSON_VALUES = [
    # money: plain, as JSON numbers, in every way a fact file may write them, and wrong
    ("board_appraisal", v) for v in ('"12.50"', "12.50", "7", '" 7 "', '"-3.5"', '"$1,200.00"', '"1_000"', '"1e5"',
                                     '".5"', '"5."', '"0.12345"', '"+4"', '"1234567890123456789012345678901"',
                                     '"\u0661\u0662"', '"lots"', "null", '"none"', "true", "[1]", '{"a": 1}', "1e400",
                                     "NaN", '"NaN"')
] + [
    ("redemption_closing", v) for v in ('"2001-02-28"', '"2001-02-29"', '"0000-01-01"', '"2001-2-3"', '"20010228"',
                                        "null", '"none"', "20010228", '"2001-02-28T00:00"')
] + [
    ("market", v) for v in ('"nyse"', '"NYSE"', '"nasdaq"', "null", "true")
] + [
    ("notes_accepted_in_tender_offer", v) for v in ("true", "false", '"true"', '"False"', '"yes"', "null", "1")
] + [
    ("series_a_redemption.conversion_shares", v) for v in ('"1000"', '"1000.5"', '"-5"', '"-0"', '"1,000"', "12")
] + [
    ("shareholders_2001.board_size", v) for v in ('"5"', "5", '"5.0"', '"-1"', '"1e2"', "null")
] + [
    ("shareholders_2001.split_factor_since_2001", v) for v in ('"0.5"', '"2"', '"-2"')
] + [
    ("trading_days", v) for v in (f"[{DAY}, {DAY}]", "[]", "null", f"[{DAY.replace('23.97', 'x')}]",
                                  '[{"day": "2001-05-31"}]', f"[{DAY[:-1]}, \"extra\": 1}}]", "[[1]]", '"days"')
] + [
    ("shareholders_2001.amendment_signatories", v) for v in ('["investor", "loftin"]', '["nobody"]', '"investor"')
] + [
    ("shareholders_2001.series_a_consenting_holders", v) for v in ('["a", 5, true]', "[null]")
] + [
    ("shareholders_2001.quarterly_revenues", v) for v in ('{"2001-03-31": "4000000.00"}', '{"2001-02-30": "1"}',
                                                          '[{"date": "2001-03-31", "value": "1"}]')
] + [
    ("series_a_redemption.appraised_value", v) for v in ('"5"', "null")  # a pinned term
]


@pytest.mark.parametrize(("key", "value"), JSON_VALUES)
def test_a_json_value_reads_as_in_a_fact_file(key, value):
    values, plain = row_values((7, f'{{"{key}": {value}}}'), FILE)
    fast, slow = both("bti", values, plain)
    assert fast == slow


@pytest.mark.parametrize("cell", ["12.50", "none", "NONE", "null", "~", "lots", "2001-01-01", "[1]", "true"])
@pytest.mark.parametrize("key", ["board_appraisal", "notes_repaid_date", "market", "investors_notice_received",
                                 "notes_accepted_in_tender_offer", "shareholders_2001.series_a_consenting_holders"])
def test_a_csv_cell_reads_as_in_a_fact_file(key, cell):
    values, plain = row_values((7, {key: f" {cell} "}), FILE)
    assert plain
    fast, slow = both("bti", values, plain)
    assert fast == slow


@pytest.mark.parametrize("row", [
    {"market": "nyse", "series_a_redemption.market": "nyse"},      # one fact under two keys
    {"board_appraisal": "1", "no_such_input": "2"},                 # a key no agreement declares
    {"board_appraisal": "lots", "no_such_input": "2"},              # the first problem is reported
    {"indenture_1997.board_fair_market_value": "5"},                # an input of another version: passed over
])
def test_keys_are_checked_as_in_a_fact_file(row):
    fast, slow = both("bti", row, True)
    assert fast == slow


@pytest.mark.parametrize(("key", "value"), [
    ("control_acquired_percent", v) for v in ('"0.10"', '"10%"', '"30"', '"1"', '"-1"', '"1.5"')
] + [
    ("sp_rating", v) for v in ('"AA"', '"aa"', '"BBB-"')  # an ordered enumeration
] + [
    ("other_increase_count", '"3"'),
])
def test_the_credit_agreement_values_read_as_in_a_fact_file(key, value):
    values, plain = row_values((7, json.dumps({key: json.loads(value)})), FILE)
    fast, slow = both("coned", values, plain)
    assert fast == slow


def test_a_value_read_twice_is_the_same_value():
    """Converters keep what a text read as: the second row gets an equal value."""
    model, known = _deal("bti")
    reader = RowReader(model, FILE, known)
    mark = row_mark(FILE, 1)
    first = reader.facts({"board_appraisal": "12.50", "redemption_closing": "2001-02-28"}, mark, False)
    again = reader.facts({"board_appraisal": "12.50", "redemption_closing": "2001-02-28"}, mark, False)
    assert first.values == again.values
    with pytest.raises(CovenantError, match="must be a single money value"):
        reader.facts({"board_appraisal": ["12.50"]}, mark, False)  # not a text: never looked up as one


def test_plain_values_are_read_without_a_fact_files_nodes(monkeypatch):
    """The usual forms never go through `facts.convert` (nor YAML nodes)."""
    from interpreter.batch import row_facts

    def refuse(*args, **kwargs):
        raise AssertionError("read through facts.convert")
    monkeypatch.setattr(row_facts, "convert", refuse)
    monkeypatch.setattr(row_facts, "read_facts", refuse)
    model, known = _deal("bti")
    line = (f'{{"board_appraisal": "12.50", "redemption_closing": "2001-02-28", "market": "nyse", '
            f'"notes_accepted_in_tender_offer": true, "series_a_redemption.conversion_shares": "1000", '
            f'"shareholders_2001.board_size": "5", "trading_days": [{DAY}], "qpo_date": null, '
            f'"shareholders_2001.amendment_signatories": ["investor"]}}')
    values, plain = row_values((1, line), FILE)
    facts = RowReader(model, FILE, known).facts(values, row_mark(FILE, 1), plain)
    assert facts.values["series_a_redemption.trading_days"][0]["volume"] == 308000
    assert facts.values["shareholders_2001.amendment_signatories"] == ("investor",)
    assert facts.values["series_a_redemption.qpo_date"] is NONE


def test_what_a_converter_keeps_stays_bounded():
    """Memory stays constant however many distinct values a scenario file holds."""
    from interpreter.batch import row_facts
    from interpreter.static import types as T

    read = row_facts.converter(T.Type("money"), False, frozenset())
    values = [read(f"{n}.25") for n in range(3 * row_facts._REMEMBERED)]
    assert 0 < len(read.known) <= row_facts._REMEMBERED
    assert values[-1] == read(f"{3 * row_facts._REMEMBERED - 1}.25")
