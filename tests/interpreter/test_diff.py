"""`covenant diff`: structural changes aligned by section and name and described at the
level of values, their impact through the clause graph, and the values that differ
for given facts (the proof that change is data, on the real BTI deal, is in
`test_change_is_data.py`)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path


from interpreter.reports import diff
from interpreter.reports import diff_report
from interpreter.static.deal import load_deal
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.static.model import check_deal
from interpreter.versions.in_force import known_inputs, load_side

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2003, 1, 1)

OLD = '''
agreement loan_1999 "Loan Agreement"
  dated 1999-12-31
  party lender "The Lender"
  body majority "the majority lenders"

type Kind = enum { asset_sale, merger }
action corporate_action "a corporate action" { kind: Kind, consideration: money }

input revenue: count "annual revenue, in dollars"
input started: date "the day the loan was made"

§ 1 "Definitions"
  threshold: count = 11_700_000   § 1
  cure_period: duration = 30 days   § 1
  cutoff: date = date_hereof + 2 years   § 1
  large: bool = revenue > threshold   § 1
  fee_rate: percent =
    first
      when revenue > 50_000_000 -> 3%   § 1(a)
      otherwise -> 1%   § 1(b)

§ 2 "Covenants"
  covenant_due: date = started + cure_period   § 2
  fee_multiplier: count = if large then 2 else 1   § 2
  deadline_passed: bool = as_of > cutoff   § 2

§ 7 "Approvals"
  permit mergers: corporate_action when corporate_action.kind == merger   § 7
'''

NEW = (OLD.replace("loan_1999", "loan_2001")
       .replace("threshold: count = 11_700_000", "threshold: count = 12_000_000")
       .replace("cure_period: duration = 30 days", "cure_period: duration = 45 days")
       .replace("cutoff: date = date_hereof + 2 years", "cutoff: date = 2001-12-31")
       .replace("      otherwise -> 1%   § 1(b)",
                "      when revenue > 20_000_000 -> 2%   § 1(a)(ii)\n      otherwise -> 1%   § 1(b)")
       .replace("  permit mergers:",
                "  approval big_sale: corporate_action by majority\n"
                "    when corporate_action.kind == asset_sale and corporate_action.consideration > $25_000_000"
                "   § 7(b)\n  permit mergers:"))

# The same agreement as OLD, its rules moved: another line, another order, another section.
MOVED = '''
agreement loan_moved "Loan Agreement"
  dated 1999-12-31
  party lender "The Lender"
  body majority "the majority lenders"

type Kind = enum { asset_sale, merger }
action corporate_action "a corporate action" { kind: Kind, consideration: money }

input started: date "the day the loan was made"
input revenue: count "annual revenue, in dollars"

# a comment that moves everything down


§ 1 "Definitions"
  large: bool = revenue > threshold   § 1
  fee_rate: percent = first when revenue > 50_000_000 -> 3%   § 1(a)   otherwise -> 1%   § 1(b)
  cutoff: date = date_hereof + 2 years   § 1

§ 2 "Covenants"
  threshold: count = 11_700_000   § 1
  cure_period: duration = 30 days   § 1
  deadline_passed: bool = as_of > cutoff   § 2
  fee_multiplier: count = if large then 2 else 1   § 2
  covenant_due: date = started + cure_period   § 2

§ 7 "Approvals"
  permit mergers: corporate_action when corporate_action.kind == merger   § 7
'''


def deal_of(tmp_path: Path, files: dict[str, str]):
    folder = tmp_path / "deal"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    deal = load_deal([str(folder)])
    return deal, check_deal(deal)


def sides(tmp_path: Path, files: dict[str, str], old: str, new: str, facts: str | None = None):
    deal, written = deal_of(tmp_path, files)
    node = parse_yaml(facts, "facts.yaml") if facts else None
    known = known_inputs(deal, written)
    deciding = read_facts(node, "facts.yaml", written, tolerated=known)
    a, b = (load_side(deal, written, spec, deciding, AS_OF) for spec in (old, new))
    return (a, b, lambda n, f: read_facts(n, f, a.model, tolerated=known),
            lambda n, f: read_facts(n, f, b.model, tolerated=known), node)


def edits_between(tmp_path, old=OLD, new=NEW, old_id="loan_1999", new_id="loan_2001"):
    a, b, *_ = sides(tmp_path, {"old.cov": old, "new.cov": new}, old_id, new_id)
    return {(e.part, e.key): e for e in diff.structural(a, b)}, a, b


# ---- structure ---------------------------------------------------------------------

def test_an_agreement_diffed_with_itself_has_no_changes(tmp_path):
    a, b, *_ = sides(tmp_path, {"old.cov": OLD}, "loan_1999", "loan_1999")
    edits = diff.structural(a, b)
    assert edits == []
    assert diff.impact(edits, b) == []
    assert diff_report.text("loan_1999", "loan_1999", edits, [], None).endswith("no differences")


def test_a_threshold_change_is_shown_as_values(tmp_path):
    edits, *_ = edits_between(tmp_path)
    edit = edits[("definition", "threshold")]
    assert edit.op == "update"
    assert edit.details == ("11,700,000 -> 12,000,000",)


def test_a_duration_change_is_shown_as_durations(tmp_path):
    edits, *_ = edits_between(tmp_path)
    assert edits[("definition", "cure_period")].details == ("30 days -> 45 days",)


def test_an_expression_replaced_by_a_date_shows_both(tmp_path):
    edits, *_ = edits_between(tmp_path)
    assert edits[("definition", "cutoff")].details == ("date_hereof + 2 years -> 2001-12-31",)


def test_a_new_tier_of_a_first_table_is_reported_as_a_new_tier(tmp_path):
    edits, *_ = edits_between(tmp_path)
    details = edits[("definition", "fee_rate")].details
    assert len(details) == 1
    assert details[0].startswith("new tier: when revenue > 20_000_000 -> 2%")
    assert "§ 1(a)(ii)" in details[0]


def test_a_removed_tier_is_reported_as_a_removed_tier(tmp_path):
    edits, *_ = edits_between(tmp_path, old=NEW.replace("loan_2001", "loan_1999"),
                              new=OLD.replace("loan_1999", "loan_2001"))
    details = edits[("definition", "fee_rate")].details
    assert [d for d in details if d.startswith("removed tier: when revenue > 20_000_000")]


def test_a_changed_tier_value_names_its_citation(tmp_path):
    new = OLD.replace("loan_1999", "loan_2001").replace("-> 3%   § 1(a)", "-> 4%   § 1(a)")
    edits, *_ = edits_between(tmp_path, new=new)
    assert edits[("definition", "fee_rate")].details == ("3% -> 4% (§ 1(a))",)


def test_an_added_approval_norm_is_an_insert(tmp_path):
    edits, *_ = edits_between(tmp_path)
    edit = edits[("norm", "big_sale")]
    assert edit.op == "insert"
    assert edit.old is None
    assert edit.new.startswith("approval big_sale: corporate_action by majority")


def test_only_the_changed_parts_are_reported(tmp_path):
    edits, *_ = edits_between(tmp_path)
    assert set(edits) == {("definition", "threshold"), ("definition", "cure_period"), ("definition", "cutoff"),
                          ("definition", "fee_rate"), ("norm", "big_sale")}


def test_moving_definitions_to_other_lines_or_sections_is_not_a_change(tmp_path):
    edits, *_ = edits_between(tmp_path, new=MOVED, new_id="loan_moved")
    assert edits == {}


def test_a_section_retitled_is_an_update_of_the_section(tmp_path):
    new = OLD.replace("loan_1999", "loan_2001").replace('§ 2 "Covenants"', '§ 2 "Affirmative Covenants"')
    edits, *_ = edits_between(tmp_path, new=new)
    assert list(edits) == [("section", "§ 2")]
    assert edits[("section", "§ 2")].details == ("title: Covenants -> Affirmative Covenants",)


# ---- impact -------------------------------------------------------------------------

def test_impact_lists_the_terms_using_a_changed_term_with_the_path(tmp_path):
    edits, a, b = edits_between(tmp_path)
    impact = {i.term: i.path for i in diff.impact(list(edits.values()), b)}
    assert impact["loan_2001.threshold"] == ("loan_2001.threshold",)
    assert impact["loan_2001.large"] == ("loan_2001.large", "loan_2001.threshold")
    assert impact["loan_2001.fee_multiplier"] == ("loan_2001.fee_multiplier", "loan_2001.large",
                                                  "loan_2001.threshold")
    assert impact["loan_2001.covenant_due"] == ("loan_2001.covenant_due", "loan_2001.cure_period")
    assert impact["loan_2001.deadline_passed"] == ("loan_2001.deadline_passed", "loan_2001.cutoff")
    assert "loan_2001.big_sale" in impact
    assert "loan_2001.mergers" not in impact           # untouched, uses nothing changed
    assert "loan_2001.revenue" not in impact           # inputs are not listed


def test_impact_is_rendered_as_a_path_in_text_and_markdown(tmp_path):
    edits, a, b = edits_between(tmp_path)
    impact = diff.impact(list(edits.values()), b)
    text = diff_report.text("loan_1999", "loan_2001", list(edits.values()), impact, None)
    assert "  fee_multiplier  <- large <- threshold" in text
    assert "  threshold  (changed itself)" in text
    markdown = diff_report.markdown("loan_1999", "loan_2001", list(edits.values()), impact, None)
    assert "- `fee_multiplier` — through `large` → `threshold`" in markdown


# ---- behaviour -----------------------------------------------------------------------

FACTS = "revenue: 11800000\nstarted: 2000-01-01\n"


def test_behaviour_lists_only_the_terms_whose_values_differ_with_both_citations(tmp_path):
    a, b, read_a, read_b, node = sides(tmp_path, {"old.cov": OLD, "new.cov": NEW}, "loan_1999", "loan_2001",
                                       facts=FACTS)
    changes = diff.behaviour(a, b, [("facts.yaml", read_a(node, "facts.yaml"), read_b(node, "facts.yaml"))])
    by_term = {c.term: c for c in changes}
    # cutoff's text changed but not its value; fee_rate gained a tier that does not apply
    assert set(by_term) == {"threshold", "cure_period", "large", "fee_multiplier", "covenant_due"}
    assert (by_term["threshold"].old, by_term["threshold"].new) == ("11,700,000", "12,000,000")
    assert (by_term["large"].old, by_term["large"].new) == ("yes", "no")
    assert (by_term["covenant_due"].old, by_term["covenant_due"].new) == ("2000-01-31", "2000-02-15")
    assert (by_term["fee_multiplier"].old_citation, by_term["fee_multiplier"].new_citation) == ("§ 2", "§ 2")
    assert all(c.facts == "facts.yaml" for c in changes)


def test_behaviour_cites_each_side_where_the_deciding_rule_differs(tmp_path):
    facts = "revenue: 30000000\nstarted: 2000-01-01\n"
    a, b, read_a, read_b, node = sides(tmp_path, {"old.cov": OLD, "new.cov": NEW}, "loan_1999", "loan_2001",
                                       facts=facts)
    changes = {c.term: c for c in diff.behaviour(a, b, [("f", read_a(node, "f"), read_b(node, "f"))])}
    fee = changes["fee_rate"]
    assert (fee.old, fee.new) == ("1%", "2%")
    assert (fee.old_citation, fee.new_citation) == ("§ 1(b)", "§ 1(a)(ii)")


def test_behaviour_of_a_term_only_one_side_has(tmp_path):
    new = NEW + '  extra: count = 5   § 7\n'
    a, b, read_a, read_b, node = sides(tmp_path, {"old.cov": OLD, "new.cov": new}, "loan_1999", "loan_2001",
                                       facts=FACTS)
    changes = {c.term: c for c in diff.behaviour(a, b, [("f", read_a(node, "f"), read_b(node, "f"))])}
    assert changes["extra"].old == "(not in this version)"
    assert changes["extra"].new == "5"
    assert changes["extra"].old_citation == "" and changes["extra"].new_citation == "§ 7"


def test_no_behaviour_change_for_the_same_agreement(tmp_path):
    a, b, read_a, read_b, node = sides(tmp_path, {"old.cov": OLD}, "loan_1999", "loan_1999", facts=FACTS)
    assert diff.behaviour(a, b, [("f", read_a(node, "f"), read_b(node, "f"))]) == []


# ---- applying an amendment, then diffing ---------------------------------------------------

BASE = '''
agreement base "Base Agreement"
  dated 2000-01-01
  party company "The Company"

input revenue: count "annual revenue"

§ 1 "Definitions"
  threshold: count = 11_700_000   § 1
  over_threshold: bool = revenue > threshold   § 1
§ 2 "Fees"
  fee: money = $100   § 2
§ 4.03 "Limitation"
  limit: money = $1_000   § 4.03
§ 4.03(a) "Sub-limitation"
  sub_limit: money = $500   § 4.03(a)
§ 4.04 "Other"
  other: money = $5   § 4.04
  spare: money = $6   § 4.04
'''

AMENDMENT = '''
agreement amend1 "First Amendment"
  dated 2001-06-30
  amends base

delete section § 4.03   § 1
delete definition other   § 2
replace definition { threshold: count = 12_000_000   § 1 }   § 3
replace section § 2 "Fees as amended" { fee: money = $200   § 2 }   § 4
insert section § 6 "New Covenant" {
  input cap: money = $7 "a cap"
  capped_fee: money = min(fee, cap)   § 6
}   § 5
'''

EXPECTED = {
    ("remove", "section", "§ 4.03"), ("remove", "section", "§ 4.03(a)"),
    ("remove", "definition", "limit"), ("remove", "definition", "sub_limit"),
    ("remove", "definition", "other"),
    ("update", "definition", "threshold"),
    ("update", "section", "§ 2"), ("update", "definition", "fee"),
    ("insert", "section", "§ 6"), ("insert", "input", "cap"), ("insert", "definition", "capped_fee"),
}


def amended_diff(tmp_path):
    a, b, *_ = sides(tmp_path, {"base.cov": BASE, "amend.cov": AMENDMENT}, "base@2001-06-29", "base@2001-06-30")
    return a, b, diff.structural(a, b)


def test_applying_then_diffing_an_amendment_reports_exactly_its_changes(tmp_path):
    _, _, edits = amended_diff(tmp_path)
    assert {(e.op, e.part, e.key) for e in edits} == EXPECTED
    by_key = {(e.part, e.key): e for e in edits}
    assert by_key[("definition", "threshold")].details == ("11,700,000 -> 12,000,000",)
    assert by_key[("definition", "fee")].details == ("$100.00 -> $200.00",)
    assert by_key[("section", "§ 2")].details == ("title: Fees -> Fees as amended",)


def test_the_amended_version_diffed_with_amended_is_empty(tmp_path):
    a, b, *_ = sides(tmp_path, {"base.cov": BASE, "amend.cov": AMENDMENT}, "base@2002-01-01", "base@amended")
    assert diff.structural(a, b) == []


def test_each_change_names_the_amending_section_that_made_it(tmp_path):
    _, _, edits = amended_diff(tmp_path)
    by_key = {(e.part, e.key): e.provenance for e in edits}
    assert by_key[("section", "§ 4.03")] == "amend1 § 1"
    assert by_key[("definition", "other")] == "amend1 § 2"
    assert by_key[("definition", "threshold")] == "amend1 § 3"
    assert by_key[("section", "§ 2")] == by_key[("definition", "fee")] == "amend1 § 4"
    assert by_key[("section", "§ 6")] == by_key[("input", "cap")] == by_key[("definition", "capped_fee")] \
        == "amend1 § 5"


def test_every_change_of_an_applied_amendment_carries_its_provenance(tmp_path):
    """Parts removed along with a deleted section (its subsection § 4.03(a), the terms
    under both) are changes the amendment made: they should say so, like the rest."""
    _, _, edits = amended_diff(tmp_path)
    unmarked = [(e.op, e.part, e.key) for e in edits if e.provenance is None]
    assert unmarked == []


def test_the_amendment_diff_renders_in_every_format(tmp_path):
    a, b, edits = amended_diff(tmp_path)
    impact = diff.impact(edits, b)
    text = diff_report.text(a.label, b.label, edits, impact, None)
    assert text.startswith("diff base@2001-06-29 -> base@2001-06-30\nstructure: 11 changes")
    assert '  + section § 6 "New Covenant"  [by amend1 § 5]' in text
    assert "      11,700,000 -> 12,000,000" in text
    assert "  over_threshold  <- threshold" in text
    markdown = diff_report.markdown(a.label, b.label, edits, impact, None)
    assert markdown.startswith("# Changes from `base@2001-06-29` to `base@2001-06-30`")
    assert "- **added** section `§ 6` \"New Covenant\" (by amend1 § 5)" in markdown
    assert "  - `11,700,000 -> 12,000,000`" in markdown
    data = json.loads(json.dumps(diff_report.as_json(a.label, b.label, edits, impact, None), default=str))
    assert data["old"] == "base@2001-06-29" and data["behaviour"] is None
    assert {(e["op"], e["part"], e["key"]) for e in data["edits"]} == EXPECTED
    assert {"term": "base.over_threshold", "path": ["base.over_threshold", "base.threshold"]} in data["impact"]
