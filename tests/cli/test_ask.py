"""`covenant ask` on a small deal: permitted, prohibited, needs approval, undecided (exit 1
only when prohibited), its JSON, and every kind of bad action."""
from __future__ import annotations

import json

import pytest

from tests.cli.small_deals import AS_OF, clean_error, run


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
