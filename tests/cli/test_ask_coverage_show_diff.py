"""The commands of proposed actions and versions, run as a user runs them:
`covenant ask` (permitted, prohibited, needs approval, undecided; exit 1 only when
prohibited), `covenant coverage`, `covenant show --as-of` and `covenant diff` (text,
markdown, JSON, bad version specs). Every fixture is a small `.cov` of its own.

Most cases call `main` in this process (the same code path, without the start-up cost
of a subprocess); the bad-input cases are also run as subprocesses, to see that no
traceback ever reaches the user."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.command_line import run_in_process

ROOT = Path(__file__).resolve().parents[2]


class Result(NamedTuple):
    code: int
    out: str
    err: str


def run(*args: str) -> Result:
    return Result(*run_in_process(args))


def run_process(args: list[str]) -> Result:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-m", "interpreter", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def clean_error(result: Result, code: int = 2) -> str:
    assert result.code == code, result
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    assert result.err.strip()
    return result.err


# ---- fixtures -----------------------------------------------------------------------

SHA = '''
agreement sha "Shareholders Agreement"
  dated 2000-01-01
  party investor "The Investor"
  party company "The Company"
  body majority "the holders of a majority of the Shares"

type TransfereeKind = enum { stranger, limited_partner, affiliate, spouse }
type CorporateKind = enum { asset_sale, merger }

action transfer "a proposed transfer of Shares" {
  transferor: party, transferee: TransfereeKind, date: date, joinder: bool optional, liquidation: bool optional
}
action corporate_action "a proposed corporate action" { kind: CorporateKind, consideration: money }

input consent_given: bool optional "the Company consented to transfers to strangers"

§ 2 "Joinder"
  require transferee_joinder: transfer
    when transfer.transferee == spouse that transfer.joinder   § 2

§ 4(a) "Prohibited Transfers"
  prohibit investor_lockup: transfer
    when transfer.transferor == investor and transfer.date < date_hereof + 2 years
    unless transfer.liquidation
    § 4(a)
  exception to investor_lockup "transfers to limited partners or affiliates"
    when transfer.transferee in {limited_partner, affiliate} -> false   § 4(e)

§ 4(b) "Transfers to strangers"
  prohibit stranger_without_consent: transfer
    when transfer.transferee == stranger and not consent_given   § 4(b)

§ 7(a) "Approvals"
  approval big_asset_sale: corporate_action by majority
    when corporate_action.kind == asset_sale and corporate_action.consideration > $25_000_000   § 7(a)(i)
  permit mergers: corporate_action when corporate_action.kind == merger   § 7(a)(ii)

§ 8 "Reserved"
§ 9 "Notices" not_encoded "addresses only"
§ 10 "Governing Law" boilerplate "North Carolina law"
'''

# A later agreement of the same deal, adding a prohibition from 2003 on.
SIDE_LETTER = '''
agreement side_letter "Side Letter"
  dated 2003-01-01
  party investor "The Investor"

type TransfereeKind = enum { stranger, limited_partner, affiliate, spouse }
action transfer "a proposed transfer of Shares" {
  transferor: party, transferee: TransfereeKind, date: date, joinder: bool optional, liquidation: bool optional
}

§ 1 "No transfers to affiliates"
  prohibit no_affiliates: transfer when transfer.transferee == affiliate   § 1
'''

BASE = '''
agreement base "Base Agreement"
  dated 2000-01-01
  party company "The Company"

input revenue: count "annual revenue"

§ 1 "Definitions"
  threshold: count = 11_700_000   § 1
  over_threshold: bool = revenue > threshold   § 1
  ratio_ok: bool = revenue > 2 * threshold   § 1
  reading lenient of ratio_ok "half the ratio suffices" = revenue > threshold   § 1(b)

§ 2 "Fees"
  fee: money = if over_threshold then $200 else $100   § 2
'''

AMEND = '''
agreement amend1 "First Amendment"
  dated 2001-06-30
  amends base

replace definition { threshold: count = 12_000_000   § 1 }   § 3
insert section § 6 "New Covenant" {
  cap: money = $150   § 6
}   § 5
'''

RESTATED = '''
agreement base_2005 "Amended and Restated Base Agreement"
  dated 2005-01-01
  restates base

§ 1 "Definitions"
  threshold: count = 20_000_000   § 1
'''


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    layout = {
        "sha": {"sha.cov": SHA},
        "sha_side": {"sha.cov": SHA, "side.cov": SIDE_LETTER},
        "versions": {"base.cov": BASE, "amend.cov": AMEND},
        "restated": {"base.cov": BASE, "restated.cov": RESTATED},
    }
    paths = {}
    for name, files in layout.items():
        folder = root / name
        folder.mkdir()
        for file, text in files.items():
            (folder / file).write_text(text, encoding="utf-8")
        paths[name] = str(folder)
    facts = root / "facts.yaml"
    facts.write_text("revenue: 11800000\n", encoding="utf-8")
    paths["facts"] = str(facts)
    consent = root / "consent.yaml"
    consent.write_text("consent_given: true\n", encoding="utf-8")
    paths["consent"] = str(consent)
    for name, text in {
        "lp_transfer.yaml": "action: transfer\ntransferor: investor\ntransferee: limited_partner\ndate: 2001-01-01\n",
        "stranger_transfer.yaml": "action: transfer\ntransferor: investor\ntransferee: stranger\ndate: 2001-01-01\n",
        "no_kind.yaml": "transferor: investor\n",
        "bad_field.yaml": "action: transfer\ntransferor: investor\ntransferee: stranger\ndate: 2001-01-01\n"
                          "colour: red\n",
    }.items():
        (root / name).write_text(text, encoding="utf-8")
        paths[name] = str(root / name)
    return paths


AS_OF = ("--as-of", "2001-01-01")


# ---- ask --------------------------------------------------------------------------------

def test_ask_with_an_action_file_permitted_exits_0(folders):
    result = run("ask", folders["sha"], "--facts", folders["consent"], *AS_OF, "--action", folders["lp_transfer.yaml"])
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "proposed transfer, as of 2001-01-01: PERMITTED"
    assert any("sha.investor_lockup (prohibit): does not prohibit it" in line for line in lines)
    assert any('exception § 4(e) "transfers to limited partners or affiliates" (priority 1) applies' in line
               for line in lines)


def test_ask_with_an_action_file_prohibited_exits_1(folders):
    result = run("ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
                 "--action", folders["stranger_transfer.yaml"])
    assert result.code == 1, result.err
    assert result.out.splitlines()[0] == "proposed transfer, as of 2001-01-01: PROHIBITED"
    assert "▸ § 4(a) sha.investor_lockup (prohibit): prohibits it" in result.out


def test_ask_inline_prohibited_exits_1(folders):
    result = run("ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
                 "transfer", "transferor=investor", "transferee=stranger", "date=2001-06-01")
    assert result.code == 1
    assert "PROHIBITED" in result.out.splitlines()[0]


def test_ask_inline_unless_clause_lifts_the_prohibition(folders):
    result = run("ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
                 "transfer", "transferor=investor", "transferee=stranger", "date=2001-06-01", "liquidation=true")
    assert result.code == 0, result.out
    assert "PERMITTED" in result.out.splitlines()[0]


def test_ask_inline_after_the_lockup_is_permitted(folders):
    result = run("ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
                 "transfer", "transferor=investor", "transferee=stranger", "date=2002-01-01")
    assert result.code == 0
    assert "PERMITTED" in result.out.splitlines()[0]


def test_ask_require_not_met_prohibits_and_met_permits(folders):
    common = ("ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
              "transfer", "transferor=company", "transferee=spouse", "date=2005-01-01")
    unmet = run(*common)
    assert unmet.code == 1
    assert "sha.transferee_joinder (require): its requirement is not met" in unmet.out
    met = run(*common, "joinder=true")
    assert met.code == 0
    assert "sha.transferee_joinder (require): its requirement is met or does not apply" in met.out


def test_ask_needs_approval_exits_0_and_names_the_body(folders):
    result = run("ask", folders["sha"], *AS_OF, "corporate_action", "kind=asset_sale", "consideration=30000000")
    assert result.code == 0
    assert result.out.splitlines()[0] == "proposed corporate_action, as of 2001-01-01: NEEDS APPROVAL: majority"
    assert "sha.big_asset_sale (approval): requires approval of majority" in result.out


def test_ask_undecided_names_the_fact_it_needs_and_exits_0(folders):
    result = run("ask", folders["sha"], *AS_OF,
                 "transfer", "transferor=company", "transferee=stranger", "date=2001-06-01")
    assert result.code == 0
    assert result.out.splitlines()[0] == "proposed transfer, as of 2001-01-01: UNDECIDED (needs consent_given)"


def test_ask_json_structure(folders):
    result = run("ask", folders["sha"], *AS_OF, "--json", "corporate_action", "kind=asset_sale",
                 "consideration=30000000")
    assert result.code == 0
    data = json.loads(result.out)
    assert set(data) == {"action", "status", "approvals", "needs", "norms"}
    assert data["action"] == "corporate_action"
    assert data["status"] == "needs_approval"
    assert data["approvals"] == ["majority"]
    assert data["needs"] == []
    norms = {n["name"]: n for n in data["norms"]}
    assert set(norms) == {"sha.big_asset_sale", "sha.mergers"}
    approval = norms["sha.big_asset_sale"]
    assert approval == {"name": "sha.big_asset_sale", "kind": "approval", "citation": "§ 7(a)(i)",
                        "body": "majority", "applies": True, "effect": "requires approval of majority",
                        "exceptions": []}
    assert norms["sha.mergers"]["applies"] is False


def test_ask_json_lists_the_exceptions_considered(folders):
    result = run("ask", folders["sha"], "--facts", folders["consent"], *AS_OF, "--json",
                 "--action", folders["lp_transfer.yaml"])
    data = json.loads(result.out)
    assert data["status"] == "permitted"
    lockup = next(n for n in data["norms"] if n["name"] == "sha.investor_lockup")
    assert lockup["applies"] is False
    assert lockup["effect"] == "does not prohibit it"
    assert lockup["exceptions"] == ['exception § 4(e) "transfers to limited partners or affiliates" (priority 1) '
                                    'applies and overrides the base rule']


def test_ask_json_undecided_has_null_applies_and_needs(folders):
    result = run("ask", folders["sha"], *AS_OF, "--json",
                 "transfer", "transferor=company", "transferee=stranger", "date=2001-06-01")
    data = json.loads(result.out)
    assert data["status"] == "undecided"
    assert data["needs"] == ["consent_given"]
    stranger = next(n for n in data["norms"] if n["name"] == "sha.stranger_without_consent")
    assert stranger["applies"] is None
    assert stranger["effect"] == "cannot be decided yet (needs consent_given)"


def test_ask_only_agreements_in_force_are_asked(folders):
    args = ("ask", folders["sha_side"], "--facts", folders["consent"], "transfer", "transferor=investor",
            "transferee=affiliate", "date=2001-06-01")
    before = run(*args, "--as-of", "2002-12-31")
    assert before.code == 0, before.out
    assert "side_letter" not in before.out
    after = run(*args, "--as-of", "2003-01-01")
    assert after.code == 1
    assert "▸ § 1 side_letter.no_affiliates (prohibit): prohibits it" in after.out


def test_ask_an_undeclared_party_is_refused_with_a_suggestion(folders):
    """A typo in a party particular must not quietly turn a prohibited transfer into a
    permitted one (`invester` is not `investor`, so the lock-up would not apply)."""
    result = run("ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
                 "transfer", "transferor=invester", "transferee=spouse", "date=2001-06-01", "joinder=true")
    err = clean_error(result)
    assert "invester" in err and "did you mean `investor`?" in err


BAD_ASK = {
    "unknown_kind": ("no agreement loaded declares the action `transfr`", "did you mean `transfer`?",
                     ["transfr", "transferor=investor"]),
    "unknown_particular": ("transfer has no field `colour`", "its fields are transferor, transferee, date",
                           ["transfer", "transferor=investor", "transferee=stranger", "date=2001-01-01",
                            "colour=red"]),
    "wrong_type": ("`transfer.date` must be a date written YYYY-MM-DD, not `yesterday`", None,
                   ["transfer", "transferor=investor", "transferee=stranger", "date=yesterday"]),
    "enum_typo": ("`transfer.transferee` must be one of stranger, limited_partner, affiliate, spouse, not `strangr`",
                  "did you mean `stranger`?",
                  ["transfer", "transferor=investor", "transferee=strangr", "date=2001-01-01"]),
    "money_type": ("`corporate_action.consideration` must be an amount such as 12500000.00, not `lots`", None,
                   ["corporate_action", "kind=merger", "consideration=lots"]),
    "missing_particular": ("`transfer` lacks the field `date`", None,
                           ["transfer", "transferor=investor", "transferee=stranger"]),
    "not_key_value": ("`transferor` is not a particular of the action", "key=value",
                      ["transfer", "transferor"]),
}


@pytest.mark.parametrize("case", list(BAD_ASK))
def test_a_bad_action_exits_2_with_a_clear_message(folders, case):
    words, hint, words_typed = BAD_ASK[case]
    err = clean_error(run("ask", folders["sha"], *AS_OF, *words_typed))
    assert words in err, err
    if hint:
        assert "hint: " in err and hint in err, err


@pytest.mark.parametrize("file, words", [
    ("no_kind.yaml", "the action does not say what it is"),
    ("bad_field.yaml", "transfer has no field `colour`"),
])
def test_a_bad_action_file_exits_2(folders, file, words):
    err = clean_error(run("ask", folders["sha"], *AS_OF, "--action", folders[file]))
    assert words in err


def test_ask_without_an_action_or_with_both_exits_2(folders):
    assert "no action given" in clean_error(run("ask", folders["sha"], *AS_OF))
    err = clean_error(run("ask", folders["sha"], *AS_OF, "--action", folders["lp_transfer.yaml"], "transfer"))
    assert "not both" in err


# ---- coverage -------------------------------------------------------------------------------

def test_coverage_text_lists_every_section_and_exits_1_on_an_empty_heading(folders):
    result = run("coverage", folders["sha"])
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "sha"
    rows = {line.split()[1]: line for line in lines[1:-1]}
    assert set(rows) == {"2", "4(a)", "4(b)", "7(a)", "8", "9", "10"}
    assert "encoded" in rows["4(a)"] and "investor_lockup, exception to investor_lockup" in rows["4(a)"]
    assert "big_asset_sale, mergers" in rows["7(a)"]
    assert " empty " in rows["8"] + " "
    assert "not_encoded" in rows["9"] and "addresses only" in rows["9"]
    assert "boilerplate" in rows["10"] and "North Carolina law" in rows["10"]
    summary = lines[-1]
    assert summary.startswith("7 sections: 4 encoded, 1 boilerplate, 1 not encoded, 1 empty")


def test_coverage_json(folders):
    result = run("coverage", folders["sha"], "--json")
    assert result.code == 1
    rows = json.loads(result.out)
    status = {r["section"]: r["status"] for r in rows}
    assert status == {"2": "encoded", "4(a)": "encoded", "4(b)": "encoded", "7(a)": "encoded", "8": "empty",
                      "9": "not_encoded", "10": "boilerplate"}
    row = next(r for r in rows if r["section"] == "9")
    assert row == {"agreement": "sha", "section": "9", "title": "Notices", "status": "not_encoded",
                   "names": [], "note": "addresses only"}
    assert next(r for r in rows if r["section"] == "7(a)")["names"] == ["big_asset_sale", "mergers"]


def test_coverage_with_every_heading_filled_exits_0(folders):
    result = run("coverage", folders["versions"])
    assert result.code == 0, result.out
    assert " empty" not in result.out.replace("0 empty", "")


def _coverage_with_missing(tmp_path, source_text: str, sections: str) -> dict:
    """`coverage --json` of an agreement `a` over the source text, which finds sections
    missing (exit 1): its rows by section."""
    (tmp_path / "text.txt").write_text(source_text, encoding="utf-8")
    (tmp_path / "a.cov").write_text('agreement a "A"\n  dated 2000-01-01\n  source "text.txt"\n' + sections,
                                    encoding="utf-8")
    result = run("coverage", tmp_path / "a.cov", "--json")
    assert result.code == 1
    return {r["section"]: r for r in json.loads(result.out)}


def test_coverage_reports_headings_of_the_source_text_missing_from_the_cov(tmp_path):
    rows = _coverage_with_missing(tmp_path, "THE AGREEMENT\n\n1. Definitions. Terms are defined here.\n\n"
                                  "2. Fees. The fee is $100.\n\n3. Notices. Notices go to the addresses below.\n",
                                  '§ 1 "Definitions"\n  x: money = $1   § 1\n§ 2 "Fees"\n  fee: money = $100   § 2\n')
    assert rows["3"]["status"] == "missing" and rows["3"]["title"] == "Notices"
    assert (rows["1"]["status"], rows["2"]["status"]) == ("encoded", "encoded")


# ---- show ---------------------------------------------------------------------------------

def test_show_before_an_amendment_has_no_marks(folders):
    result = run("show", folders["versions"], "base", "--as-of", "2001-01-01")
    assert result.code == 0, result.err
    assert result.out.startswith("# base as in force on 2001-01-01\nagreement base \"Base Agreement\"")
    assert "changed by" not in result.out
    assert "threshold: count = 11_700_000   § 1" in result.out


def test_show_after_an_amendment_marks_what_it_changed(folders):
    result = run("show", folders["versions"], "base", "--as-of", "2001-06-30")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("# base as in force on 2001-06-30; amended by amend1\n")
    lines = out.splitlines()
    mark = lines.index("  # changed by amend1 § 3")
    assert lines[mark + 1] == "  threshold: count = 12_000_000   § 1"
    assert "11_700_000" not in out
    section = lines.index('§ 6 "New Covenant"')
    assert lines[section - 1] == "# changed by amend1 § 5"
    assert "  cap: money = $150   § 6" in lines
    assert lines.index('§ 1 "Definitions"') < lines.index('§ 2 "Fees"') < section


def test_show_keeps_the_readings_of_the_agreement(folders):
    out = run("show", folders["versions"], "base", "--as-of", "2001-01-01").out
    assert 'reading lenient of ratio_ok "half the ratio suffices"' in out


def test_check_reports_a_patch_whose_target_is_missing_at_its_place(tmp_path):
    (tmp_path / "base.cov").write_text(BASE, encoding="utf-8")
    (tmp_path / "amend.cov").write_text(AMEND.replace("{ threshold:", "{ threshhold:"), encoding="utf-8")
    result = run("check", tmp_path)
    err = clean_error(result, 1)
    assert f"{tmp_path / 'amend.cov'}:6:1: error: § 3 replaces definition `threshhold`, which base does not have" \
        in err
    assert "hint: did you mean `threshold`?" in err


def test_show_unknown_agreement_exits_2_with_a_suggestion(folders):
    err = clean_error(run("show", folders["versions"], "bsae", "--as-of", "2001-06-30"))
    assert "no agreement `bsae` in force on 2001-06-30" in err
    assert "did you mean `base`?" in err


def test_show_an_agreement_not_yet_in_force_exits_2(folders):
    err = clean_error(run("show", folders["versions"], "amend1", "--as-of", "2001-01-01"))
    assert "no agreement `amend1` in force on 2001-01-01" in err


def test_show_and_eval_after_a_restatement(folders):
    """From its date the restatement is the agreement in force; every command works on it."""
    shown = run("show", folders["restated"], "base_2005", "--as-of", "2005-06-01")
    assert shown.code == 0, shown.err
    assert "threshold: count = 20_000_000" in shown.out
    evaluated = run("eval", folders["restated"], "--as-of", "2005-06-01", "threshold")
    assert evaluated.code == 0, evaluated.err
    assert "threshold = 20,000,000" in evaluated.out


# ---- diff ------------------------------------------------------------------------------------

def test_diff_text(folders):
    result = run("diff", folders["versions"], "base@2001-06-29", "base@2001-06-30")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "diff base@2001-06-29 -> base@2001-06-30"
    assert lines[1] == "structure: 3 changes"
    assert '  + section § 6 "New Covenant"  [by amend1 § 5]' in lines
    assert "  ~ definition threshold  [by amend1 § 3]" in lines
    assert "      11,700,000 -> 12,000,000" in lines
    assert "  + definition cap  [by amend1 § 5]" in lines
    assert "impact: 5 terms of base@2001-06-30 may change" in lines
    assert "  ratio_ok  <- threshold" in lines
    assert "  fee  <- over_threshold <- threshold" in lines


def test_diff_the_same_version_twice_says_no_differences(folders):
    result = run("diff", folders["versions"], "base", "base")
    assert result.code == 0
    assert result.out == "diff base -> base\nno differences\n"


def test_diff_with_facts_shows_the_values_that_differ(folders):
    result = run("diff", folders["versions"], "base@2001-06-29", "base@2001-06-30", "--facts", folders["facts"])
    assert result.code == 0, result.err
    facts = folders["facts"]
    assert "behaviour: 4 values differ" in result.out
    assert f"  [{facts}] over_threshold: yes (§ 1) -> no (§ 1)" in result.out
    assert f"  [{facts}] fee: $200.00 (§ 2) -> $100.00 (§ 2)" in result.out
    assert f"  [{facts}] cap: (not in this version) (-) -> $150.00 (§ 6)" in result.out


def test_diff_markdown(folders):
    result = run("diff", folders["versions"], "base@2001-06-29", "base@2001-06-30", "--format", "markdown",
                 "--facts", folders["facts"])
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("# Changes from `base@2001-06-29` to `base@2001-06-30`\n")
    assert "## What the text changes" in out
    assert "- **changed** definition `threshold` (by amend1 § 3)\n  - `11,700,000 -> 12,000,000`" in out
    assert '- **added** section `§ 6` "New Covenant" (by amend1 § 5)' in out
    assert "## Terms whose value may change" in out
    assert "- `fee` — through `over_threshold` → `threshold`" in out
    assert "| facts | term | before | after |" in out
    assert "| `over_threshold` | yes (§ 1) | no (§ 1) |" in out


def test_diff_json(folders):
    result = run("diff", folders["versions"], "base@2001-06-29", "base@2001-06-30", "--json",
                 "--facts", folders["facts"])
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"old", "new", "edits", "impact", "behaviour", "notes"}
    assert (data["old"], data["new"]) == ("base@2001-06-29", "base@2001-06-30")
    threshold = next(e for e in data["edits"] if e["key"] == "threshold")
    assert threshold == {"op": "update", "part": "definition", "key": "threshold",
                         "old": "threshold: count = 11_700_000 § 1", "new": "threshold: count = 12_000_000 § 1",
                         "details": ["11,700,000 -> 12,000,000"], "provenance": "amend1 § 3"}
    assert {"term": "base.fee", "path": ["base.fee", "base.over_threshold", "base.threshold"]} in data["impact"]
    over = next(c for c in data["behaviour"] if c["term"] == "over_threshold")
    assert over == {"facts": folders["facts"], "term": "over_threshold", "old": "yes", "new": "no",
                    "old_citation": "§ 1", "new_citation": "§ 1"}


def test_diff_json_without_facts_has_no_behaviour(folders):
    data = json.loads(run("diff", folders["versions"], "base@2001-06-29", "base@amended", "--json").out)
    assert data["behaviour"] is None
    assert len(data["edits"]) == 3


def test_diff_under_a_reading(folders):
    result = run("diff", folders["versions"], "base", "base#lenient", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [(e["op"], e["key"]) for e in data["edits"]] == [("update", "ratio_ok")]
    # the smallest part that differs, and the reading's own citation
    assert data["edits"][0]["details"] == ["2 * threshold -> threshold", "§ 1 -> § 1(b)"]


def test_diff_across_a_conditional_amendment_needs_its_fact(tmp_path):
    (tmp_path / "base.cov").write_text(BASE, encoding="utf-8")
    (tmp_path / "amend.cov").write_text(AMEND.replace("  amends base", "  amends base\n  effective when accepted   § 9")
                                        .replace("replace definition", 'input accepted: bool "accepted"\n'
                                                 "replace definition"), encoding="utf-8")
    (tmp_path / "yes.yaml").write_text("accepted: true\nrevenue: 11800000\n", encoding="utf-8")
    (tmp_path / "no.yaml").write_text("accepted: false\nrevenue: 11800000\n", encoding="utf-8")
    err = clean_error(run("diff", tmp_path, "base@2001-01-01", "base@2002-01-01"))
    assert "whether amend1 has taken effect by 2002-01-01 depends on accepted" in err
    applied = json.loads(run("diff", tmp_path, "base@2001-01-01", "base@2002-01-01", "--json",
                             "--facts", tmp_path / "yes.yaml").out)
    assert len(applied["edits"]) == 3
    not_applied = run("diff", tmp_path, "base@2001-01-01", "base@2002-01-01", "--facts", tmp_path / "no.yaml")
    assert not_applied.code == 0
    assert "no differences" in not_applied.out


def test_eval_under_a_reading_and_an_unknown_reading(folders):
    plain = run("eval", folders["versions"], "--facts", folders["facts"], *AS_OF, "ratio_ok")
    assert "ratio_ok = no    § 1" in plain.out
    read = run("eval", folders["versions"], "--facts", folders["facts"], *AS_OF, "--reading", "lenient", "ratio_ok")
    assert read.code == 0, read.err
    assert "ratio_ok = yes    § 1(b)" in read.out
    err = clean_error(run("eval", folders["versions"], "--facts", folders["facts"], *AS_OF,
                          "--reading", "lenint", "ratio_ok"))
    assert "no reading `lenint` in this deal" in err and "did you mean `lenient`?" in err


BAD_DIFF = {
    "unknown_agreement": (["bsae", "base"], "no agreement `bsae` in this deal", "did you mean `base`?"),
    "not_a_date": (["base@notadate", "base"], "`base@notadate`: `notadate` is neither a date (YYYY-MM-DD) nor `amended`",
                   None),
    "impossible_date": (["base@2001-02-30", "base"], "`2001-02-30` is neither a date", None),
    "not_in_force": (["base@1999-01-01", "base"], "base is not in force on 1999-01-01", "has begun"),
    "amendment_not_yet": (["amend1@2001-01-01", "base"], "amend1 is not in force on 2001-01-01", None),
    "unknown_reading": (["base#lenent", "base"], "base has no reading `lenent`", "did you mean `lenient`?"),
    "one_version": (["base"], "diff takes two versions: OLD NEW", None),
}


@pytest.mark.parametrize("case", list(BAD_DIFF))
def test_diff_bad_versions_exit_2_with_a_clear_message(folders, case):
    specs, words, hint = BAD_DIFF[case]
    err = clean_error(run("diff", folders["versions"], *specs))
    assert words in err, err
    if hint:
        assert hint in err, err


# ---- the same mistakes, as a user meets them: a subprocess, never a traceback ------------------

@pytest.fixture(scope="module")
def processes(folders):
    runs = {
        "ask_unknown_kind": ["ask", folders["sha"], *AS_OF, "transfr", "transferor=investor"],
        "ask_wrong_type": ["ask", folders["sha"], *AS_OF, "transfer", "transferor=investor",
                           "transferee=stranger", "date=yesterday"],
        "ask_prohibited": ["ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
                           "--action", folders["stranger_transfer.yaml"]],
        "diff_not_a_date": ["diff", folders["versions"], "base@notadate", "base"],
        "diff_not_in_force": ["diff", folders["versions"], "base@1999-01-01", "base"],
        "coverage_empty": ["coverage", folders["sha"]],
    }
    with ThreadPoolExecutor(max_workers=max(2, min(6, os.cpu_count() or 2))) as pool:
        return dict(zip(runs, pool.map(run_process, runs.values())))


@pytest.mark.parametrize("key, code, words", [
    ("ask_unknown_kind", 2, "error: no agreement loaded declares the action `transfr`"),
    ("ask_wrong_type", 2, "error: `transfer.date` must be a date written YYYY-MM-DD, not `yesterday`"),
    ("diff_not_a_date", 2, "error: `base@notadate`: `notadate` is neither a date"),
    ("diff_not_in_force", 2, "error: base is not in force on 1999-01-01"),
])
def test_bad_input_in_a_subprocess_is_one_message_and_exit_2(processes, key, code, words):
    result = processes[key]
    clean_error(result, code)
    assert words in result.err
    assert result.out == ""


def test_prohibited_and_empty_coverage_exit_1_in_a_subprocess(processes):
    assert processes["ask_prohibited"].code == 1
    assert "PROHIBITED" in processes["ask_prohibited"].out
    assert processes["coverage_empty"].code == 1
    assert "Traceback" not in processes["coverage_empty"].err


def test_a_term_of_a_restated_agreement_is_named_not_in_force():
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "interpreter", "eval", "agreements/bti", "--as-of", "2002-01-01",
                           "shareholders_1999.investor_directors"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 2
    assert "`shareholders_1999.investor_directors` is not in force on 2002-01-01" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_answers_the_other_terms_when_one_cannot_be_evaluated(tmp_path):
    import subprocess
    import sys
    (tmp_path / "d.cov").write_text('agreement d "D"\ninput z: count "zero"\n§ 1 "A"\n'
                                    '  a: decimal = 1 / z § 1\n  b: count = 2 § 1\n')
    (tmp_path / "f.yaml").write_text("z: 0\n")
    done = subprocess.run([sys.executable, "-m", "interpreter", "eval", str(tmp_path / "d.cov"),
                           "--facts", str(tmp_path / "f.yaml")], capture_output=True, text=True)
    assert done.returncode == 1
    assert "b = 2" in done.stdout
    assert "division by zero" in done.stderr and "Traceback" not in done.stderr


def test_coverage_reads_headings_written_section_and_article(tmp_path):
    rows = _coverage_with_missing(tmp_path, "ARTICLE I\nDEFINITIONS\n\nSection 1.01. Defined Terms. As used herein.\n"
                                  "Section 1.02. Fees. The fee is stated in\nSection 1.01 of this Agreement.\n\n"
                                  "ARTICLE II\nMISCELLANEOUS\nSECTION 2.01 Notices. Notices in writing.\n",
                                  '§ 1.01 "Defined Terms"\n  x: money = $1   § 1.01\n')
    assert rows["1.02"]["status"] == "missing" and rows["1.02"]["title"] == "Fees"
    assert rows["2.01"]["status"] == "missing" and rows["2.01"]["title"] == "Notices"
    assert rows["Art. 2"]["status"] == "missing" and rows["Art. 2"]["title"] == "MISCELLANEOUS"
    assert "Art. 1" not in rows  # its section 1.01 is declared
    assert not [r for r in rows.values() if r["status"] == "unclassified"]  # "Section 1.01 of" is a reference


def test_coverage_says_how_many_headings_it_could_not_classify(tmp_path):
    (tmp_path / "text.txt").write_text(
        "Section 1.01. Defined Terms. As used herein.\nSECTION A Schedules and Exhibits\n", encoding="utf-8")
    (tmp_path / "a.cov").write_text(
        'agreement a "A"\n  dated 2000-01-01\n  source "text.txt"\n'
        '§ 1.01 "Defined Terms"\n  x: money = $1   § 1.01\n', encoding="utf-8")
    result = run("coverage", tmp_path / "a.cov")
    assert result.code == 0
    assert "1 sections: 1 encoded" in result.out
    assert "1 heading of the source text could not be classified" in result.out
    assert "SECTION A Schedules and Exhibits" in result.out


def test_coverage_of_both_deals_misses_nothing():
    for deal in ("agreements/bti", "agreements/coned"):
        result = run("coverage", deal)
        assert result.code == 0, result.out
        assert "0 missing" in result.out and "could not be classified" not in result.out
