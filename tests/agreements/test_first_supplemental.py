"""The First Supplemental Indenture of 2001-10-26 (first_supplemental_2001) applied to
the 1997 Indenture, as a user sees it: `python -m interpreter ...` in a subprocess.

The scenario files (tests/agreements/scenarios/*.yaml) evaluate a deal as written, so
they cannot read indenture_1997 as amended on a date; these tests do, through the
command line: `show` and `diff` of the versions, and `eval`/`ask` of the terms the
amendment changes, as of a day before 2001-10-26, and after it with the Notes accepted
and not accepted in the Tender Offer (Article 3). Each test quotes the decisive words.
"""
from __future__ import annotations

import atexit
import json
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEAL = "agreements/bti"
EXAMPLE = ROOT / "agreements/bti/examples/indenture-2001-tender-offer.yaml"
SOURCE = ROOT / "agreements/bti/source/first-supplemental-indenture-2001.txt"
BEFORE, AFTER = "2001-10-25", "2001-11-01"


def _facts(name: str, **changes: str) -> str:
    """The tender-offer example with some facts changed (or added), written to a
    temporary folder removed when the tests end."""
    lines, seen = [], set()
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        key = line.split(":", 1)[0]
        if key in changes:
            line = f"{key}: {changes[key]}"
            seen.add(key)
        lines.append(line)
    lines += [f"{k}: {v}" for k, v in changes.items() if k not in seen]
    path = _folder() / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@lru_cache(maxsize=1)
def _folder() -> Path:
    folder = tempfile.mkdtemp(prefix="first-supplemental-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


ACCEPTED = str(EXAMPLE)                      # notes_accepted_in_tender_offer: true
NOT_ACCEPTED = _facts("not-accepted", notes_accepted_in_tender_offer="false")

# A default under Section 4.15: written notice by the Trustee on 2001-09-01, not
# cured; the 30 days end on 2001-10-01, so clause (d) is an Event of Default from
# 2001-10-02 (unless covenant defeasance under the amended Section 8.03 applies).
_DEFAULT_4_15 = dict(covenant_default_notice="2001-09-01", covenant_notice_from_trustee="true",
                     covenant_default_cured="none", covenant_default_is_of_section_4_15="true")
DEFEASED = _facts("defeased", **_DEFAULT_4_15, covenant_defeasance_conditions_met="true")
DEFEASED_NOT_ACCEPTED = _facts("defeased-not-accepted", **_DEFAULT_4_15,
                               covenant_defeasance_conditions_met="true",
                               notes_accepted_in_tender_offer="false")
NOT_DEFEASED = _facts("not-defeased", **_DEFAULT_4_15, covenant_defeasance_conditions_met="false")

# One class of Capital Stock, redeemable at the holder's option from a date.
_STOCK = dict(stock_required_redemption="none", stock_conversion_target_maturity="none")
STOCK_2006 = _facts("stock-2006", **_STOCK, stock_holder_redemption="2006-12-28")
STOCK_2008 = _facts("stock-2008", **_STOCK, stock_holder_redemption="2008-03-15")
STOCK_NOT_ACCEPTED = _facts("stock-not-accepted", **_STOCK, stock_holder_redemption="2006-12-28",
                            notes_accepted_in_tender_offer="false")

ASK = ["ask", DEAL, "subsidiary_designation", "subsidiary=NewCo"]
RUNS: dict[str, list[str]] = {
    "check": ["check", "agreements/"],
    "show_accepted": ["show", DEAL, "indenture_1997", "--as-of", AFTER, "--facts", ACCEPTED],
    "show_not_accepted": ["show", DEAL, "indenture_1997", "--as-of", AFTER, "--facts", NOT_ACCEPTED],
    "show_before": ["show", DEAL, "indenture_1997", "--as-of", BEFORE, "--facts", ACCEPTED],
    "diff_amended": ["diff", DEAL, "indenture_1997", "indenture_1997@amended"],
    "diff_dates_accepted": ["diff", DEAL, f"indenture_1997@{BEFORE}", f"indenture_1997@{AFTER}",
                            "--facts", ACCEPTED],
    "diff_dates_not_accepted": ["diff", DEAL, f"indenture_1997@{BEFORE}", f"indenture_1997@{AFTER}",
                                "--facts", NOT_ACCEPTED],
    "diff_defeased": ["diff", DEAL, "indenture_1997", "indenture_1997@amended", "--facts", DEFEASED,
                      "--as-of", AFTER],
    "eval_example": ["eval", DEAL, "--facts", ACCEPTED, "--as-of", AFTER, "--all"],
    "default_before": ["eval", DEAL, "--facts", DEFEASED, "--as-of", BEFORE, "--json",
                       "covenant_default_is_event_of_default", "indenture_1997.event_of_default"],
    "default_defeased": ["eval", DEAL, "--facts", DEFEASED, "--as-of", AFTER, "--json",
                         "covenant_default_is_event_of_default", "indenture_1997.event_of_default"],
    "default_not_accepted": ["eval", DEAL, "--facts", DEFEASED_NOT_ACCEPTED, "--as-of", AFTER, "--json",
                             "covenant_default_is_event_of_default", "indenture_1997.event_of_default"],
    "default_not_defeased": ["eval", DEAL, "--facts", NOT_DEFEASED, "--as-of", AFTER, "--json",
                             "covenant_default_is_event_of_default", "indenture_1997.event_of_default"],
    "stock_2006": ["eval", DEAL, "--facts", STOCK_2006, "--as-of", AFTER, "--json", "indenture_1997.redeemable_stock"],
    "stock_2008": ["eval", DEAL, "--facts", STOCK_2008, "--as-of", AFTER, "--json", "indenture_1997.redeemable_stock"],
    "stock_before": ["eval", DEAL, "--facts", STOCK_2006, "--as-of", BEFORE, "--json", "indenture_1997.redeemable_stock"],
    "stock_not_accepted": ["eval", DEAL, "--facts", STOCK_NOT_ACCEPTED, "--as-of", AFTER, "--json",
                           "indenture_1997.redeemable_stock"],
    "ask_big": [*ASK, "designated_as=unrestricted", "total_assets=5000", "holds_stock_or_lien=false",
                "--facts", ACCEPTED, "--as-of", AFTER],
    "ask_small": [*ASK, "designated_as=unrestricted", "total_assets=1000", "holds_stock_or_lien=false",
                  "--facts", ACCEPTED, "--as-of", AFTER],
    "ask_back_in_default": [*ASK, "designated_as=restricted", "no_default_continuing=true",
                            "liens_and_indebtedness_permitted=true", "--facts", NOT_DEFEASED, "--as-of", AFTER],
    "ask_before": [*ASK, "designated_as=unrestricted", "total_assets=1000", "--facts", ACCEPTED,
                   "--as-of", BEFORE],
}


@lru_cache(maxsize=1)
def _all() -> dict[str, subprocess.CompletedProcess]:
    def run(args):
        return subprocess.run([sys.executable, "-m", "interpreter", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(RUNS, pool.map(run, RUNS.values())))


def run(name: str) -> subprocess.CompletedProcess:
    return _all()[name]


def values(name: str) -> dict[str, tuple[object, str]]:
    done = run(name)
    assert done.returncode == 0, done.stderr
    return {k: (v["value"], v["citation"]) for k, v in json.loads(done.stdout).items()}


def quoted(words: str) -> str:
    """The decisive words must be in the First Supplemental Indenture (whitespace aside)."""
    flat = " ".join(SOURCE.read_text(encoding="utf-8").split())
    assert " ".join(words.split()) in flat, words
    return words


def section(text: str, number: str) -> str:
    """The lines of `show` output from the heading of § number to the next heading."""
    match = re.search(rf"^(# changed by [^\n]*\n)?§ {re.escape(number)} .*?(?=^(# changed by [^\n]*\n)?§ |\Z)",
                      text, re.S | re.M)
    return match.group(0) if match else ""


# ---- check ------------------------------------------------------------------------------

def test_the_folder_checks_clean_with_every_amendment_applied():
    done = run("check")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""                          # no unused-input warning
    assert "first_supplemental_2001" in done.stdout


# ---- show: the consolidated indenture -----------------------------------------------------

def test_show_with_notes_accepted_marks_the_amendment():
    quoted("The amendments set forth in Article 2 shall become effective only upon the acceptance "
           "of the Notes for purchase pursuant to the terms of the offer")
    done = run("show_accepted")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("# indenture_1997 as in force on 2001-11-01; amended by first_supplemental_2001")
    # 201(a): the deleted definitions are gone; 201(f): the deleted Sections too,
    # but not 4.02, 4.15, 4.18 or 4.20.
    quoted('"Permitted Investment," "Permitted Liens," "Restricted Payments,"')
    quoted("4.11, 4.12, 4.13, 4.14, 4.16, 4.17, 4.19, 5.01 and 5.02 of the Original Indenture")
    for gone in ("1.01(AcquiredAssets)", "1.01(ChangeOfControl)", "1.01(WhollyOwned)",
                 "4.03", "4.14", "4.16", "4.17", "4.19", "5.01", "5.02"):
        assert f"\n§ {gone} \"" not in text, gone  # no longer a section heading
        assert f"# deleted: § {gone} (by first_supplemental_2001" in text, gone
    for kept in ("4.02", "4.15", "4.18", "4.20"):
        assert f"§ {kept} " in text, kept
    # 201(b)-(e): the restated definitions, each marked with its paragraph.
    for number, paragraph, name in (("1.01(FairMarketValue)", "201(b)", "fair_market_value:"),
                                    ("1.01(Investment)", "201(c)", "investment:"),
                                    ("1.01(RedeemableStock)", "201(d)", "redeemable_stock:"),
                                    ("1.01(UnrestrictedSubsidiary)", "201(e)", "prohibit unrestricted_designation_of_holder")):
        part = section(text, number)
        assert part.startswith(f"# changed by first_supplemental_2001 § {paragraph}\n§ {number} "), number
        assert name in part and "not_encoded" not in part, number
    # 201(g): Section 6.01 replaced, with all seven clauses.
    quoted("Section 6.01 of the Original Indenture is hereby amended to read in its entirety")
    events = section(text, "6.01")
    assert events.startswith('# changed by first_supplemental_2001 § 201(g)\n§ 6.01 "Events of Default"')
    for clause in "abcdefg":
        assert f"§ 6.01({clause})" in events, clause
    # 201(h): the lead-in of Section 8.03, covenant defeasance of Section 4.15.
    quoted("clause (d) of Section 6.01 with respect to Section 4.15 shall be deemed not to be an Event of Default")
    defeasance = section(text, "8.03")
    assert defeasance.startswith("# changed by first_supplemental_2001 § 201(h)")
    assert "exception to covenant_default_is_event_of_default" in defeasance
    # 201(i): Exhibit A.
    quoted("Exhibit A of the Original Indenture is hereby amended to read in its entirety")
    assert section(text, "ExA").startswith("# changed by first_supplemental_2001 § 201(i)")


def test_show_with_notes_not_accepted_is_the_unamended_indenture():
    quoted("shall become effective only upon the acceptance of the Notes for purchase")
    accepted, refused, before = run("show_accepted"), run("show_not_accepted"), run("show_before")
    assert refused.returncode == 0, refused.stderr
    text = refused.stdout
    assert text.startswith("# indenture_1997 as in force on 2001-11-01\n")
    assert "changed by" not in text
    assert '§ 4.03 "(title not in the corpus)" not_encoded' in text
    assert '§ 1.01(AssetSale) "Definition: Asset Sale" not_encoded' in text
    assert '§ 8.03 "Defeasance of Certain Obligations" not_encoded' in text
    assert text != accepted.stdout
    # Before the date of the Supplemental Indenture, even with the Notes accepted.
    assert before.stdout.replace("2001-10-25", "2001-11-01") == text


# ---- diff -------------------------------------------------------------------------------------

def test_diff_amended_names_every_deletion_with_its_paragraph():
    done = run("diff_amended")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    definitions = re.findall(r"^  - section § 1\.01\((\w+)\) .*\[by first_supplemental_2001 § 201\(a\)\]$", text, re.M)
    assert len(definitions) == 21 and "ChangeOfControl" in definitions and "WhollyOwned" in definitions
    sections = re.findall(r"^  - section § ([45]\.\d\d) .*\[by first_supplemental_2001 § 201\(f\)\]$", text, re.M)
    assert sections == ["4.03", "4.04", "4.05", "4.06", "4.07", "4.08", "4.09", "4.10", "4.11", "4.12",
                        "4.13", "4.14", "4.16", "4.17", "4.19", "5.01", "5.02"]
    for number, paragraph in (("1.01(FairMarketValue)", "201(b)"), ("1.01(Investment)", "201(c)"),
                              ("1.01(RedeemableStock)", "201(d)"), ("1.01(UnrestrictedSubsidiary)", "201(e)"),
                              ("8.03", "201(h)"), ("ExA", "201(i)")):
        assert re.search(rf"^  ~ section § {re.escape(number)} .*\[by first_supplemental_2001 § {re.escape(paragraph)}\]$",
                         text, re.M), number
    assert "+ exception covenant_default_is_event_of_default (covenant defeasance of Section 4.15)" in text
    assert "  event_of_default  <- covenant_default_is_event_of_default" in text


def test_the_restated_events_of_default_are_the_ones_the_base_encoded():
    # 201(g) restates Section 6.01 as the base already transcribed it (the 1997 text
    # is not in the corpus): no rule of § 6.01 changes.
    quoted("An \"Event of Default\" shall occur with respect to the Notes if:")
    text = run("diff_amended").stdout
    for name in ("principal_default_is_event_of_default", "interest_grace_period_end",
                 "interest_default_is_event_of_default", "offer_default_is_event_of_default",
                 "covenant_default_is_event_of_default", "decree_is_event_of_default",
                 "voluntary_bankruptcy_is_event_of_default", "pledge_default_is_event_of_default",
                 "event_of_default"):
        assert not re.search(rf"^  [-+~] definition {name}\b", text, re.M), name


def test_diff_by_date_follows_the_tender_offer():
    accepted, refused = run("diff_dates_accepted"), run("diff_dates_not_accepted")
    assert accepted.returncode == 0 and refused.returncode == 0, accepted.stderr + refused.stderr
    assert accepted.stdout.startswith("diff indenture_1997@2001-10-25 -> indenture_1997@2001-11-01\nstructure: ")
    assert "[by first_supplemental_2001 § 201(g)]" not in accepted.stdout     # 6.01: same rules
    assert "- section § 4.03 " in accepted.stdout
    assert "behaviour:" in accepted.stdout
    assert refused.stdout.strip().endswith("no differences")


def test_diff_with_facts_shows_the_defeased_covenant_default():
    done = run("diff_defeased")
    assert done.returncode == 0, done.stderr
    assert "covenant_default_is_event_of_default: yes (§ 6.01(d)) -> no (§ 8.03)" in done.stdout
    assert "event_of_default: yes (§ 6.01) -> no (§ 6.01)" in done.stdout


# ---- eval: the terms the amendment changes ----------------------------------------------------

def test_eval_of_the_example_reads_the_amended_indenture():
    done = run("eval_example")
    assert done.returncode == 0, done.stderr
    assert "  amendments_effective = yes    § Art.3, 201" in done.stdout
    assert "  event_of_default = no    § 6.01" in done.stdout
    assert "  redeemable_stock = unknown" in done.stdout


def test_a_section_4_15_default_is_an_event_of_default_before_the_amendment():
    quoted("which default or breach continues for a period of 30 consecutive days after written notice by the Trustee")
    got = values("default_before")
    assert got["indenture_1997.covenant_default_is_event_of_default"] == (True, "§ 6.01(d)")
    assert got["indenture_1997.event_of_default"] == (True, "§ 6.01")


def test_covenant_defeasance_of_section_4_15_after_the_amendment():
    quoted("The Company may omit to comply with any term, provision or condition set forth in Section 4.15 "
           "and clause (d) of Section 6.01 with respect to Section 4.15 shall be deemed not to be an Event of "
           "Default with respect to the outstanding Notes if:")
    got = values("default_defeased")
    assert got["indenture_1997.covenant_default_is_event_of_default"] == (False, "§ 8.03")
    assert got["indenture_1997.event_of_default"] == (False, "§ 6.01")


def test_no_defeasance_when_the_notes_were_not_accepted():
    quoted("shall become effective only upon the acceptance of the Notes for purchase")
    got = values("default_not_accepted")
    assert got["indenture_1997.covenant_default_is_event_of_default"] == (True, "§ 6.01(d)")
    assert got["indenture_1997.event_of_default"] == (True, "§ 6.01")


def test_no_defeasance_unless_the_conditions_of_section_8_03_are_met():
    quoted("with respect to the outstanding Notes if:")
    got = values("default_not_defeased")
    assert got["indenture_1997.covenant_default_is_event_of_default"] == (True, "§ 6.01(d)")


def test_redeemable_stock_is_measured_against_the_stated_maturity():
    quoted("redeemable at the option of the holder of such class or series of Capital Stock at any time "
           "prior to the Stated Maturity of the Notes")
    assert values("stock_2006")["indenture_1997.redeemable_stock"] == (True, "§ 1.01")
    assert values("stock_2008")["indenture_1997.redeemable_stock"] == (False, "§ 1.01")


def test_redeemable_stock_is_not_a_term_of_the_unamended_indenture():
    quoted('The definition of "Redeemable Stock" is hereby amended to read in its entirety')
    for name in ("stock_before", "stock_not_accepted"):
        done = run(name)
        assert done.returncode == 2, name
        assert "indenture_1997 has no term `redeemable_stock`" in done.stderr, name


# ---- ask: designations of Unrestricted Subsidiaries ----------------------------------------------

def test_an_unrestricted_subsidiary_must_have_total_assets_of_1000_or_less():
    quoted("provided that the Subsidiary to be so designated has total assets of $1,000 or less")
    big, small = run("ask_big"), run("ask_small")
    assert big.returncode == 1 and "PROHIBITED" in big.stdout, big.stdout + big.stderr
    assert "▸ § 1.01 indenture_1997.unrestricted_designation_total_assets (require)" in big.stdout
    assert small.returncode == 0 and "PERMITTED" in small.stdout, small.stdout + small.stderr


def test_no_redesignation_as_restricted_while_an_event_of_default_continues():
    quoted("no Default or Event of Default shall have occurred and be continuing at the time of or after "
           "giving effect to such designation")
    done = run("ask_back_in_default")
    assert done.returncode == 1 and "PROHIBITED" in done.stdout, done.stdout + done.stderr
    assert "▸ § 1.01 indenture_1997.restricted_designation_no_default (require)" in done.stdout


def test_before_the_amendment_no_agreement_knows_the_designation():
    done = run("ask_before")
    assert done.returncode == 2
    assert "no agreement loaded declares the action `subsidiary_designation`" in done.stderr
