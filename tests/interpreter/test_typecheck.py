"""The static checks `compile_deal` makes before any fact is seen: names, types,
declarations, parties and cycles. Each bad case is one file under tests/fixtures/check/."""
from __future__ import annotations

from pathlib import Path

import pytest

from dsl.errors import (CheckWarning, CycleProblem, Findings, NameProblem, TypeProblem, render)
from dsl.parser import parse
from interpreter.static.deal import Deal, load_deal
from interpreter.static.model import Model, compile_deal

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "check"


def findings(name: str) -> tuple[Findings, str]:
    """Compile one fixture (no facts involved) and return what it reports."""
    path = str(FIXTURES / name)
    deal = load_deal([path])          # it parses: every problem below is found by compile_deal
    with pytest.raises(Findings) as caught:
        compile_deal(deal)
    return caught.value, path


def only_error(name: str):
    found, path = findings(name)
    assert len(found.errors) == 1, [render(e) for e in found.errors]
    return found.errors[0], path


def model_of(*texts: str) -> Model:
    deal = Deal()
    for i, text in enumerate(texts):
        file = f"inline{i}.cov"
        agreement = parse(text, file)
        deal.agreements[agreement.id] = agreement
        deal.sources[file] = text
    return compile_deal(deal)


def errors_of(*texts: str) -> list:
    with pytest.raises(Findings) as caught:
        model_of(*texts)
    return caught.value.errors


HEADER = 'agreement demo "D"\n  party seller "S"\n'


# ---- types --------------------------------------------------------------------

def test_money_plus_date_is_found_before_any_facts():
    error, path = only_error("money-plus-date.cov")
    assert isinstance(error, TypeProblem)
    assert error.message == "cannot add money and date"
    assert str(error.span) == f"{path}:8:21"
    assert "duration" in error.hint
    rendered = render(error)
    assert rendered.startswith(f"{path}:8:21: error: cannot add money and date")
    assert "^" * len("price + closing") in rendered


def test_date_plus_count_is_an_error_with_a_hint_to_use_a_duration():
    error, path = only_error("date-plus-count.cov")
    assert isinstance(error, TypeProblem)
    assert error.message == "cannot add date and count"
    assert str(error.span) == f"{path}:7:18"
    assert "30 days" in error.hint


def test_date_plus_duration_and_date_minus_date_are_fine():
    model_of(HEADER + 'input d: date "D"\nlater: date = d + 30 days § 1\n'
             'gap: duration = later - d § 2\nsooner: date = d - 2 business days § 3\n')


def test_wrong_function_arity():
    error, path = only_error("wrong-arity.cov")
    assert isinstance(error, TypeProblem)
    assert error.message == "`anniversary` takes 2 arguments, not 1"
    assert error.hint == "usage: anniversary(date, years)"
    assert str(error.span) == f"{path}:7:15"


@pytest.mark.parametrize("call, words", [
    ("days_between(d, d, d)", "takes 2 arguments, not 3"),
    ("clamp($1, $2)", "takes 3 arguments"),
    ("end_of_month()", "takes 1 argument, not 0"),
    ("anniversary(d, $5)", "argument 2 must be count, not money"),
    ("max($1, d)", "cannot mix money and date"),
    ("sum(d)", "takes one list"),
])
def test_bad_calls(call, words):
    errors = errors_of(HEADER + f'input d: date "D"\nx: date = {call} § 1\nuse: date = d § 2\n')
    assert any(words in e.message for e in errors), [e.message for e in errors]


def test_declared_type_must_match_the_rule():
    errors = errors_of(HEADER + "due: date = $5 § 1\n")
    assert [e.message for e in errors] == ["`due` must be date, but this is money"]


def test_if_branches_must_agree():
    errors = errors_of(HEADER + "x: money = if true then $1 else 2001-01-01 § 1\n")
    assert errors[0].message == "the two branches differ: money and date"


def test_conditions_must_be_bool():
    errors = errors_of(HEADER + "x: count = first when 1 -> 2 § 1\n")
    assert errors[0].message == "a condition must be bool, but this is count"


def test_money_and_date_cannot_be_compared():
    errors = errors_of(HEADER + "x: bool = $1 < 2001-01-01 § 1\n")
    assert errors[0].message == "cannot compare money with date"


KINDS = HEADER + ('type Kind = enum { affiliate, competitor, other }\n'
                  'input kinds: list of Kind "every kind that fits"\n')


@pytest.mark.parametrize("condition, message", [
    ("kinds in {affiliate, competitor}", "cannot look for list of Kind among Kind"),
    ("kinds == affiliate", "cannot compare list of Kind with Kind"),
    ("affiliate == kinds", "cannot compare Kind with list of Kind"),
])
def test_a_list_asked_about_as_one_member_says_how_to_ask_whether_it_holds_one(condition, message):
    errors = errors_of(KINDS + f"x: bool = {condition} § 1\n")
    assert errors[0].message == message
    assert "write `x in LIST`" in errors[0].hint


def test_membership_of_a_list_of_kinds_checks():
    model_of(KINDS + "x: bool = affiliate in kinds or competitor in kinds § 1\n")


def test_a_list_compared_with_something_else_gets_no_list_hint():
    errors = errors_of(KINDS + "x: bool = kinds == $5 § 1\n")
    assert errors[0].hint is None or "x in LIST" not in errors[0].hint


def test_money_cannot_be_multiplied_by_money():
    errors = errors_of(HEADER + "x: money = $1 * $2 § 1\n")
    assert errors[0].message == "cannot multiply money and money"


# ---- names --------------------------------------------------------------------

def test_unknown_name_with_did_you_mean():
    error, path = only_error("unknown-name.cov")
    assert isinstance(error, NameProblem)
    assert error.message == "unknown name `principle` in demo"
    assert error.hint == "did you mean `principal`?"
    assert str(error.span) == f"{path}:7:14"


def test_unknown_name_far_from_everything_gets_a_plain_hint():
    errors = errors_of(HEADER + "x: count = zzzzzz § 1\n")
    assert errors[0].message == "unknown name `zzzzzz` in demo"
    assert "did you mean" not in errors[0].hint


def test_unknown_function_with_did_you_mean():
    errors = errors_of(HEADER + "x: count = mx(1, 2) § 1\n")
    assert errors[0].message == "unknown function `mx`"
    assert errors[0].hint == "did you mean `max`?"


def test_unknown_type():
    error, path = only_error("unknown-type.cov")
    assert isinstance(error, NameProblem)
    assert error.message == "unknown type `mony`"
    assert error.hint == "did you mean `money`?"
    assert str(error.span) == f"{path}:6:14"


def test_unknown_field_of_a_record_and_of_a_list_of_records():
    found, path = findings("unknown-field.cov")
    assert [(e.message, e.hint, str(e.span)) for e in found.errors] == [
        ("quote has no field `prise`", "did you mean `price`?", f"{path}:9:30"),
        ("quote has no field `volum`", "did you mean `volume`?", f"{path}:10:28"),
    ]
    assert all(isinstance(e, TypeProblem) for e in found.errors)


def test_unknown_enum_member():
    errors = errors_of(HEADER + 'type grade = enum { good, poor }\ninput g: grade "G"\n'
                       "x: bool = g == grade.god § 1\n")
    assert errors[0].message == "`grade` has no member `god`"
    assert errors[0].hint == "did you mean `good`?"


def test_duplicate_declaration():
    error, path = only_error("duplicate.cov")
    assert isinstance(error, NameProblem)
    assert error.message == "`fee` is declared twice in demo"
    assert str(error.span) == f"{path}:8:1"
    assert error.notes == (f"first declared at {path}:7:1",)


def test_input_and_definition_may_not_share_a_name():
    errors = errors_of(HEADER + 'input p: money "P"\np: money = $1 § 1\n')
    assert [e.message for e in errors] == ["`p` is declared twice in demo"]


def test_exception_to_an_unknown_definition():
    error, path = only_error("exception-unknown-target.cov")
    assert isinstance(error, NameProblem)
    assert error.message.startswith("exception to unknown definition")
    assert error.message.endswith("`fees`")
    assert error.hint == "did you mean `fee`?"
    assert str(error.span) == f"{path}:8:1"


def test_unknown_party_in_an_obligation():
    error, path = only_error("unknown-party.cov")
    assert isinstance(error, NameProblem)
    assert error.message == "unknown party `sellr` in obligation `deliver`"
    assert error.hint == "did you mean `seller`?"
    assert str(error.span) == f"{path}:7:1"


def test_obligation_clauses_are_type_checked():
    errors = errors_of(HEADER + 'obligation o: seller must "x" within $5 after 2001-01-01 by 30 days § 1\n')
    messages = sorted(e.message for e in errors)
    assert messages == ["a deadline must be date, but this is duration",
                        "a time limit must be duration, but this is money"]


def test_qualified_names_across_agreements():
    other = 'agreement base "Base"\nrate: percent = 5% § 1\n'
    model_of(HEADER + "x: percent = base.rate § 2\n", other)
    errors = errors_of(HEADER + "x: percent = base.rat § 2\n", other)
    assert errors[0].message == "agreement `base` has no term `rat`"
    assert errors[0].hint == "did you mean `rate`?"


# ---- cycles -------------------------------------------------------------------

def test_cycle_is_reported_as_a_ring_with_the_place_of_each_use():
    error, path = only_error("cycle.cov")
    assert isinstance(error, CycleProblem)
    # the ring starts at the term declared first, and the error stands at its use of the next
    assert error.message == "circular definition: demo.fee -> demo.rebate -> demo.fee"
    assert str(error.span) == f"{path}:7:27"
    # fee uses rebate on line 7; rebate uses fee on line 9 (the rule's second line)
    assert error.notes == (f"`demo.fee` uses `demo.rebate` at {path}:7:27",
                           f"`demo.rebate` uses `demo.fee` at {path}:9:3")
    rendered = render(error)
    assert rendered.startswith(f"{path}:7:27: error: circular definition")
    assert "^" * len("rebate") in rendered
    assert rendered.count("  note: ") == 2


def test_cycle_report_does_not_depend_on_hash_order():
    """The same file gives the same message in every process (string hashing is randomised)."""
    import subprocess
    import sys
    code = ("from interpreter.static.deal import load_deal\nfrom interpreter.static.model import compile_deal\n"
            "from dsl.errors import Findings\n"
            f"try: compile_deal(load_deal([{str(FIXTURES / 'cycle.cov')!r}]))\n"
            "except Findings as f: print(f.errors[0].message, f.errors[0].span)\n")
    root = Path(__file__).resolve().parents[2]
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=root, stdout=subprocess.PIPE, text=True,
                             env={"PYTHONHASHSEED": str(seed), "PATH": ""}) for seed in range(4)]
    seen = {run.communicate(timeout=60)[0] for run in runs}
    assert len(seen) == 1, seen
    assert "circular definition" in seen.pop()


def test_a_term_that_uses_itself():
    errors = errors_of(HEADER + "x: count = x + 1 § 1\n")
    assert [e.message for e in errors] == ["circular definition: demo.x -> demo.x"]
    assert errors[0].notes == ("`demo.x` uses `demo.x` at inline0.cov:3:12",)


def test_three_term_cycle_lists_every_step():
    errors = errors_of(HEADER + "a: count = b § 1\nb: count = c § 2\nc: count = a § 3\n")
    (cycle,) = errors
    ring = cycle.message.removeprefix("circular definition: ").split(" -> ")
    assert len(ring) == 4 and ring[0] == ring[-1] and set(ring) == {"demo.a", "demo.b", "demo.c"}
    assert len(cycle.notes) == 3


def test_an_exception_can_close_a_cycle():
    errors = errors_of(HEADER + "a: count = 1 § 1\nb: count = a § 2\nexception to a when b > 1 -> 2 § 3\n")
    assert any(isinstance(e, CycleProblem) for e in errors)


# ---- warnings and several findings ----------------------------------------------

def test_unused_input_is_a_warning_not_an_error():
    model = compile_deal(load_deal([str(FIXTURES / "unused-input.cov")]))
    (warning,) = model.warnings
    assert isinstance(warning, CheckWarning)
    assert warning.message == "input `colour` of demo is never used"
    assert warning.span.line == 7
    assert render(warning).startswith(f"{FIXTURES / 'unused-input.cov'}:7:1: warning: ")


def test_no_warning_when_every_input_is_used():
    assert model_of(HEADER + 'input p: money "P"\nx: money = p § 1\n').warnings == []


def test_every_error_is_reported_in_source_order():
    found, path = findings("several-errors.cov")
    assert [(type(e), e.span.line) for e in found.errors] == [(TypeProblem, 7), (NameProblem, 8)]
