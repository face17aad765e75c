"""Versions of a deal: amendments applied as data (delete, replace and insert sections
and definitions), amendments stacking in order of date, restatements, conditional
effectiveness decided by a fact, versions in force by date (`load_version`) and the
`amended_by` provenance marks. Every fixture is a small `.cov` written to tmp_path."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dsl.errors import FactProblem, Findings
from interpreter.versions import lineage as versions
from interpreter.static.deal import load_deal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase
from interpreter.static.model import check_deal
from interpreter.versions.in_force import load_version

BASE = '''
agreement base "Base Agreement"
  dated 2000-01-01
  party company "The Company"

input revenue: money "annual revenue"

§ 1 "Definitions"
  threshold: money = $11_700_000   § 1
  over_threshold: bool = revenue > threshold   § 1

§ 2 "Fees"
  fee: money = $100   § 2
  exception to fee "waived for large companies" when revenue > $1_000_000_000 -> $0   § 2
  service_charge: money = $10   § 2

§ 4.03 "Limitation"
  limit: money = $1_000   § 4.03
§ 4.03(a) "Sub-limitation"
  sub_limit: money = $500   § 4.03(a)
§ 4.04 "Other"
  other: money = $5   § 4.04
  spare: money = $6   § 4.04
'''

BEFORE = dt.date(2001, 6, 29)
ON = dt.date(2001, 6, 30)       # the date of the amendments below
AFTER = dt.date(2002, 1, 1)


def amendment(body: str, *, id: str = "amend1", dated: str = "2001-06-30", target: str = "base",
              extra_header: str = "") -> str:
    return (f'agreement {id} "Amendment {id}"\n  dated {dated}\n  amends {target}\n{extra_header}\n'
            + body)


def write(folder: Path, files: dict[str, str]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return str(folder)


def deal_in(tmp_path: Path, files: dict[str, str]):
    return load_deal([write(tmp_path / "deal", files)])


def consolidated(tmp_path: Path, amend: str, date: dt.date = AFTER, agreement: str = "base"):
    """`agreement` as in force on `date`, with the one amendment given."""
    deal = deal_in(tmp_path, {"base.cov": BASE, "amend.cov": amend})
    check_deal(deal)  # the deal as written, and as amended, must check
    return versions.as_of(deal, date, lambda a: True).agreements[agreement]


def value(tmp_path: Path, files: dict[str, str], date: dt.date, term: str, agreement: str = "base",
          facts: str | None = None):
    folder = write(tmp_path / "deal", files)
    facts_path = None
    if facts is not None:
        facts_path = str(tmp_path / "facts.yaml")
        Path(facts_path).write_text(facts, encoding="utf-8")
    model, fact_base = load_version([folder], [facts_path] if facts_path else None, date)
    return Evaluator(model, fact_base, date).derive(agreement, term).value


def names(agreement) -> set[str]:
    return {d.name for d in (*agreement.definitions, *agreement.obligations, *agreement.norms)}


def sections(agreement) -> list[str]:
    return [s.number for s in agreement.sections]


# ---- delete section ---------------------------------------------------------------

def test_delete_section_removes_it_and_its_subsections_and_everything_under_them(tmp_path):
    base = consolidated(tmp_path, amendment("delete section § 4.03   § 1\n"))
    assert sections(base) == ["1", "2", "4.04"]
    assert {"limit", "sub_limit"}.isdisjoint(names(base))
    assert {"other", "spare", "threshold", "fee"} <= names(base)


def test_delete_section_does_not_touch_a_section_whose_number_only_starts_alike(tmp_path):
    text = BASE + '§ 4.030 "Lookalike"\n  lookalike: money = $1   § 4.030\n'
    deal = deal_in(tmp_path, {"base.cov": text, "amend.cov": amendment("delete section § 4.03   § 1\n")})
    base = versions.as_of(deal, AFTER, lambda a: True).agreements["base"]
    assert "4.030" in sections(base) and "lookalike" in names(base)


def test_delete_section_takes_its_exceptions_with_it(tmp_path):
    base = consolidated(tmp_path, amendment("delete section § 2   § 1\n"))
    assert sections(base) == ["1", "4.03", "4.03(a)", "4.04"]
    assert base.exceptions == ()
    assert {"fee", "service_charge"}.isdisjoint(names(base))


def test_delete_section_is_marked_with_the_amending_section(tmp_path):
    base = consolidated(tmp_path, amendment("delete section § 4.03   § 1\n"))
    assert dict(base.amended_by)["§ 4.03"] == "amend1 § 1"


# ---- delete definition ------------------------------------------------------------

def test_delete_definition_keeps_the_section_and_the_other_terms(tmp_path):
    base = consolidated(tmp_path, amendment("delete definition other   § 2\n"))
    assert "other" not in names(base)
    assert "spare" in names(base)
    assert "4.04" in sections(base)
    assert dict(base.amended_by)["other"] == "amend1 § 2"


def test_delete_several_definitions_at_once(tmp_path):
    base = consolidated(tmp_path, amendment("delete definition other, spare, limit   § 2\n"))
    assert {"other", "spare", "limit"}.isdisjoint(names(base))
    marks = dict(base.amended_by)
    assert marks["other"] == marks["spare"] == marks["limit"] == "amend1 § 2"


def test_deleting_a_definition_still_in_use_is_a_check_error(tmp_path):
    deal = deal_in(tmp_path, {"base.cov": BASE, "amend.cov": amendment("delete definition threshold   § 2\n")})
    with pytest.raises(Findings) as caught:
        check_deal(deal)
    assert any("threshold" in e.message for e in caught.value.errors), caught.value


# ---- replace definition -----------------------------------------------------------

REPLACE_THRESHOLD = amendment("replace definition { threshold: money = $12_000_000   § 1 }   § 3\n")


def test_replace_definition_changes_the_body_and_keeps_its_section(tmp_path):
    base = consolidated(tmp_path, REPLACE_THRESHOLD)
    threshold = next(d for d in base.definitions if d.name == "threshold")
    assert threshold.section == "1"
    assert threshold.body.value.value == Decimal("12000000")
    assert dict(base.amended_by)["threshold"] == "amend1 § 3"
    assert sections(base) == sections(consolidated(tmp_path / "unamended", amendment("")))


def test_replaced_definition_is_what_the_terms_using_it_see(tmp_path):
    files = {"base.cov": BASE, "amend.cov": REPLACE_THRESHOLD}
    facts = "revenue: 11800000.00\n"
    assert value(tmp_path / "a", files, BEFORE, "over_threshold", facts=facts) is True
    assert value(tmp_path / "b", files, AFTER, "over_threshold", facts=facts) is False
    assert value(tmp_path / "c", files, AFTER, "threshold", facts=facts) == Decimal("12000000")


def test_replace_definition_with_a_wrong_type_is_a_check_error(tmp_path):
    amend = amendment("replace definition { threshold: money = 2001-01-01   § 1 }   § 3\n")
    deal = deal_in(tmp_path, {"base.cov": BASE, "amend.cov": amend})
    with pytest.raises(Findings):
        check_deal(deal)


# ---- replace section ----------------------------------------------------------------

REPLACE_FEES = amendment('''
replace section § 2 "Fees as amended" {
  fee: money = $200   § 2
}   § 4
''')


def test_replace_section_keeps_its_place_and_swaps_its_contents(tmp_path):
    base = consolidated(tmp_path, REPLACE_FEES)
    assert sections(base) == ["1", "2", "4.03", "4.03(a)", "4.04"]
    heading = next(s for s in base.sections if s.number == "2")
    assert heading.title == "Fees as amended"
    assert "service_charge" not in names(base)       # not restated: gone
    assert base.exceptions == ()                       # the old § 2 exception went with it
    fee = next(d for d in base.definitions if d.name == "fee")
    assert fee.section == "2" and fee.body.value.value == Decimal("200")
    marks = dict(base.amended_by)
    assert marks["§ 2"] == "amend1 § 4"
    assert marks["fee"] == "amend1 § 4"


def test_replaced_section_value_in_force_only_from_the_amendment_date(tmp_path):
    files = {"base.cov": BASE, "amend.cov": REPLACE_FEES}
    facts = "revenue: 2000000000.00\n"
    # before: the exception waives the fee; after: the replacing section has no exception
    assert value(tmp_path / "a", files, BEFORE, "fee", facts=facts) == Decimal("0")
    assert value(tmp_path / "b", files, ON, "fee", facts=facts) == Decimal("200")


# ---- insert section -------------------------------------------------------------------

INSERT = amendment('''
insert section § 6 "New Covenant" {
  input new_cap: money = $7 "a cap the amendment introduces"
  capped_fee: money = min(fee, new_cap)   § 6
}   § 5
''')


def test_insert_section_adds_the_heading_its_input_and_its_rule(tmp_path):
    base = consolidated(tmp_path, INSERT)
    assert sections(base)[-1] == "6"
    assert "capped_fee" in names(base)
    assert "new_cap" in {i.name for i in base.inputs}
    capped = next(d for d in base.definitions if d.name == "capped_fee")
    assert capped.section == "6"
    marks = dict(base.amended_by)
    assert marks["§ 6"] == marks["capped_fee"] == marks["new_cap"] == "amend1 § 5"


def test_inserted_input_can_be_given_as_a_fact_once_in_force_and_is_tolerated_before(tmp_path):
    files = {"base.cov": BASE, "amend.cov": INSERT}
    facts = "revenue: 10.00\nnew_cap: 50.00\n"
    assert value(tmp_path / "a", files, AFTER, "capped_fee", facts=facts) == Decimal("50")
    # before the amendment the fact is not refused as unknown, and the term is not there
    folder = write(tmp_path / "b" / "deal", files)
    (tmp_path / "b" / "facts.yaml").write_text(facts, encoding="utf-8")
    model, fact_base = load_version([folder], [str(tmp_path / "b" / "facts.yaml")], BEFORE)
    assert "capped_fee" not in model.scopes["base"].definitions
    assert "new_cap" not in model.scopes["base"].inputs


def test_inserted_input_default_applies_when_not_given(tmp_path):
    files = {"base.cov": BASE, "amend.cov": INSERT}
    assert value(tmp_path, files, AFTER, "capped_fee", facts="revenue: 10.00\n") == Decimal("7")


# ---- patch targets that do not exist ----------------------------------------------------

@pytest.mark.parametrize("patch, words, hint", [
    ("delete section § 4.3   § 1\n", "deletes section `4.3`, which base does not have", "did you mean `4.03`?"),
    ("delete definition othr   § 2\n", "deletes definition `othr`, which base does not have", "did you mean `other`?"),
    ("replace definition { threshhold: money = $1   § 1 }   § 3\n",
     "replaces definition `threshhold`, which base does not have", "did you mean `threshold`?"),
    ('replace section § 22 "Fees" { fee: money = $1   § 22 }   § 4\n',
     "replaces section `22`, which base does not have", "did you mean `2`?"),
])
def test_a_patch_whose_target_does_not_exist_is_a_check_error_naming_it(tmp_path, patch, words, hint):
    deal = deal_in(tmp_path, {"base.cov": BASE, "amend.cov": amendment(patch)})
    with pytest.raises(Findings) as caught:
        check_deal(deal)
    messages = [(e.message, e.hint) for e in caught.value.errors]
    assert any(words in m and h == hint for m, h in messages), messages
    error = next(e for e in caught.value.errors if words in e.message)
    assert error.span is not None and error.span.file.endswith("amend.cov")


def test_inserting_a_section_that_exists_is_a_check_error(tmp_path):
    patch = 'insert section § 2 "Fees again" { again: money = $1   § 2 }   § 5\n'
    deal = deal_in(tmp_path, {"base.cov": BASE, "amend.cov": amendment(patch)})
    with pytest.raises(Findings) as caught:
        check_deal(deal)
    error = next(e for e in caught.value.errors if "inserts section 2" in e.message)
    assert "base already has" in error.message
    assert "replace section" in error.hint


def test_amending_an_agreement_not_in_the_deal_is_a_check_error_with_a_suggestion(tmp_path):
    deal = deal_in(tmp_path, {"base.cov": BASE, "amend.cov": amendment("delete definition other   § 2\n",
                                                                        target="bas")})
    with pytest.raises(Findings) as caught:
        check_deal(deal)
    error = next(e for e in caught.value.errors if "amends `bas`" in e.message)
    assert error.hint == "did you mean `base`?"


def test_patches_without_amends_are_a_check_error(tmp_path):
    text = 'agreement loose "Loose"\n  dated 2001-01-01\n\ndelete definition other   § 1\n'
    deal = deal_in(tmp_path, {"base.cov": BASE, "loose.cov": text})
    with pytest.raises(Findings) as caught:
        check_deal(deal)
    assert any("has patch operations but amends nothing" in e.message for e in caught.value.errors)


# ---- stacking ------------------------------------------------------------------------

def test_amendments_stack_in_order_of_date_not_of_file_name(tmp_path):
    # `a_second.cov` is read first but takes effect later; it replaces what the first inserts.
    first = amendment('insert section § 7 "Bonus" { bonus: money = $1   § 7 }   § 1\n',
                      id="first_amendment", dated="2001-06-30")
    second = amendment("replace definition { bonus: money = $2   § 7 }   § 1\n"
                       "replace definition { threshold: money = $13_000_000   § 1 }   § 2\n",
                       id="second_amendment", dated="2003-01-01")
    files = {"base.cov": BASE, "z_first.cov": first, "a_second.cov": second}
    deal = deal_in(tmp_path, files)
    check_deal(deal)
    assert [a.id for a in versions.amendments_of(deal, "base")] == ["first_amendment", "second_amendment"]
    between = versions.as_of(deal, dt.date(2002, 1, 1), lambda a: True).agreements["base"]
    later = versions.as_of(deal, dt.date(2003, 1, 1), lambda a: True).agreements["base"]
    bonus = lambda agreement: next(d for d in agreement.definitions if d.name == "bonus").body.value.value  # noqa
    assert bonus(between) == Decimal("1")
    assert bonus(later) == Decimal("2")
    assert "second_amendment" not in versions.as_of(deal, dt.date(2002, 1, 1), lambda a: True).agreements
    marks = dict(later.amended_by)
    assert marks["bonus"] == "second_amendment § 1"      # the last change wins the mark
    assert marks["§ 7"] == "first_amendment § 1"
    assert marks["threshold"] == "second_amendment § 2"


def test_stacked_amendments_through_load_version(tmp_path):
    first = amendment("replace definition { threshold: money = $12_000_000   § 1 }   § 1\n",
                      id="first_amendment", dated="2001-06-30")
    second = amendment("replace definition { threshold: money = $13_000_000   § 1 }   § 1\n",
                       id="second_amendment", dated="2003-01-01")
    files = {"base.cov": BASE, "first.cov": first, "second.cov": second}
    assert value(tmp_path / "a", files, dt.date(2001, 1, 1), "threshold") == Decimal("11700000")
    assert value(tmp_path / "b", files, dt.date(2002, 1, 1), "threshold") == Decimal("12000000")
    assert value(tmp_path / "c", files, dt.date(2003, 1, 1), "threshold") == Decimal("13000000")


# ---- restatements ------------------------------------------------------------------------

RESTATED = '''
agreement base_2001 "Amended and Restated Base Agreement"
  dated 2001-06-30
  restates base
  party company "The Company"

§ 1 "Definitions"
  threshold: money = $20_000_000   § 1
'''


def test_a_restated_agreement_is_not_in_force_from_the_restatement_date(tmp_path):
    deal = deal_in(tmp_path, {"base.cov": BASE, "restated.cov": RESTATED})
    assert versions.in_force(deal, "base", BEFORE)
    assert not versions.in_force(deal, "base", ON)
    assert not versions.in_force(deal, "base_2001", BEFORE)
    assert versions.in_force(deal, "base_2001", ON)
    assert not versions.in_force(deal, "base", dt.date(1999, 12, 31))   # not yet begun either


def test_load_version_gives_the_agreement_in_force_on_each_date(tmp_path):
    folder = write(tmp_path / "deal", {"base.cov": BASE, "restated.cov": RESTATED})
    before, _ = load_version([folder], None, BEFORE)
    after, _ = load_version([folder], None, ON)
    assert set(before.scopes) == {"base"}
    assert set(after.scopes) == {"base_2001"}
    empty = FactBase()
    assert Evaluator(before, empty, BEFORE).derive("base", "threshold").value == Decimal("11700000")
    assert Evaluator(after, empty, ON).derive("base_2001", "threshold").value == Decimal("20000000")


def test_an_effective_date_later_than_the_date_decides_when_it_begins(tmp_path):
    text = RESTATED.replace("  restates base", "  effective 2002-01-01\n  restates base")
    deal = deal_in(tmp_path, {"base.cov": BASE, "restated.cov": text})
    assert versions.in_force(deal, "base", dt.date(2001, 12, 31))
    assert not versions.in_force(deal, "base_2001", dt.date(2001, 12, 31))
    assert versions.in_force(deal, "base_2001", dt.date(2002, 1, 1))
    assert not versions.in_force(deal, "base", dt.date(2002, 1, 1))


def test_an_amendment_of_a_restated_agreement_leaves_with_it(tmp_path):
    files = {"base.cov": BASE, "restated.cov": RESTATED.replace("2001-06-30", "2005-01-01"),
             "amend.cov": REPLACE_THRESHOLD}
    folder = write(tmp_path / "deal", files)
    model, _ = load_version([folder], None, dt.date(2004, 1, 1))
    assert set(model.scopes) == {"base", "amend1"}
    model, _ = load_version([folder], None, dt.date(2005, 1, 1))
    assert set(model.scopes) == {"base_2001"}


# ---- load_version as of a date --------------------------------------------------------------

def test_load_version_before_and_after_the_amendment(tmp_path):
    folder = write(tmp_path / "deal", {"base.cov": BASE, "amend.cov": INSERT})
    before, _ = load_version([folder], None, BEFORE)
    on, _ = load_version([folder], None, ON)
    assert "capped_fee" not in before.scopes["base"].definitions
    assert "amend1" not in before.scopes                 # the amendment has not begun
    assert "capped_fee" in on.scopes["base"].definitions
    assert "amend1" in on.scopes                          # it stays, without its patches
    assert on.scopes["amend1"].agreement.patches == ()


# ---- conditional effectiveness ---------------------------------------------------------------

CONDITIONAL = '''
agreement amend1 "Amendment effective on the tender"
  dated 2001-06-30
  amends base
  effective when tender_accepted   § 9

input tender_accepted: bool "Notes were accepted for purchase in the tender offer"

replace definition { threshold: money = $12_000_000   § 1 }   § 3
'''


@pytest.mark.parametrize("given, expected", [("true", Decimal("12000000")), ("false", Decimal("11700000"))])
def test_conditional_amendment_applies_when_its_fact_holds(tmp_path, given, expected):
    files = {"base.cov": BASE, "amend.cov": CONDITIONAL}
    assert value(tmp_path, files, AFTER, "threshold", facts=f"tender_accepted: {given}\n") == expected


def test_conditional_amendment_needs_no_fact_before_its_date(tmp_path):
    files = {"base.cov": BASE, "amend.cov": CONDITIONAL}
    assert value(tmp_path, files, BEFORE, "threshold") == Decimal("11700000")


def test_conditional_amendment_without_its_fact_is_an_error_naming_the_fact(tmp_path):
    folder = write(tmp_path / "deal", {"base.cov": BASE, "amend.cov": CONDITIONAL})
    (tmp_path / "facts.yaml").write_text("revenue: 1.00\n", encoding="utf-8")
    with pytest.raises(FactProblem) as caught:
        load_version([folder], [str(tmp_path / "facts.yaml")], AFTER)
    error = caught.value
    assert "amend1" in error.message and "tender_accepted" in error.message
    assert str(AFTER) in error.message
    assert error.span is not None and error.span.file.endswith("amend.cov")
    assert "§ 9" in error.hint


def test_conditional_amendment_on_a_fact_of_the_agreement_it_amends(tmp_path):
    base = BASE.replace('input revenue: money "annual revenue"',
                        'input revenue: money "annual revenue"\n'
                        'input tender_accepted: bool optional "the tender was accepted"\n'
                        '§ 0 "Tender"\n  tender_flag: bool = tender_accepted   § 0\n')
    amend = CONDITIONAL.replace("effective when tender_accepted", "effective when base.tender_accepted") \
        .replace('input tender_accepted: bool "Notes were accepted for purchase in the tender offer"\n', "")
    files = {"base.cov": base, "amend.cov": amend}
    assert value(tmp_path / "a", files, AFTER, "threshold", facts="tender_accepted: true\n") == Decimal("12000000")
    assert value(tmp_path / "b", files, AFTER, "threshold", facts="tender_accepted: false\n") == Decimal("11700000")


def test_an_amendment_begins_on_its_effective_date_not_its_date(tmp_path):
    amend = CONDITIONAL.replace("  amends base", "  effective 2001-09-01\n  amends base")
    files = {"base.cov": BASE, "amend.cov": amend}
    facts = "tender_accepted: true\n"
    assert value(tmp_path / "a", files, dt.date(2001, 8, 31), "threshold", facts=facts) == Decimal("11700000")
    assert value(tmp_path / "b", files, dt.date(2001, 9, 1), "threshold", facts=facts) == Decimal("12000000")


# ---- provenance marks ----------------------------------------------------------------------

def test_unamended_agreement_has_no_marks(tmp_path):
    folder = write(tmp_path / "deal", {"base.cov": BASE, "amend.cov": REPLACE_THRESHOLD})
    model, _ = load_version([folder], None, BEFORE)
    assert model.scopes["base"].agreement.amended_by == ()


def test_every_part_an_amendment_changes_carries_its_provenance(tmp_path):
    amend = amendment('''
delete section § 4.03   § 1
delete definition other   § 2
replace definition { threshold: money = $12_000_000   § 1 }   § 3
replace section § 2 "Fees as amended" { fee: money = $200   § 2 }   § 4
insert section § 6 "New" { input cap: money = $1 "a cap"  capped: money = min(fee, cap)   § 6 }   § 5
''')
    folder = write(tmp_path / "deal", {"base.cov": BASE, "amend.cov": amend})
    model, _ = load_version([folder], None, AFTER)
    marks = dict(model.scopes["base"].agreement.amended_by)
    assert marks["§ 4.03"] == "amend1 § 1"
    assert marks["other"] == "amend1 § 2"
    assert marks["threshold"] == "amend1 § 3"
    assert marks["§ 2"] == marks["fee"] == "amend1 § 4"
    assert marks["§ 6"] == marks["cap"] == marks["capped"] == "amend1 § 5"
    assert "over_threshold" not in marks and "spare" not in marks


def test_parts_removed_with_a_deleted_section_carry_its_provenance(tmp_path):
    """Deleting § 4.03 also removes § 4.03(a) and the terms under both: each removed
    part should say which amendment removed it, as `delete definition` does."""
    base = consolidated(tmp_path, amendment("delete section § 4.03   § 1\n"))
    marks = dict(base.amended_by)
    assert marks.get("§ 4.03(a)") == "amend1 § 1", marks
    assert marks.get("limit") == "amend1 § 1", marks
    assert marks.get("sub_limit") == "amend1 § 1", marks
