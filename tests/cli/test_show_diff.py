"""`covenant show --as-of` and `covenant diff` across an amendment and a restatement: text,
markdown, JSON, under a reading, and bad version specs."""
from __future__ import annotations

import json

import pytest

from tests.cli.small_deals import AMEND, AS_OF, BASE, clean_error, run

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
