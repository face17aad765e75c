"""Small deals of their own for the commands on proposed actions and versions
(`ask`, `coverage`, `show`, `diff`): a shareholders agreement with a side letter,
an agreement with an amendment and a restatement; and how the tests run a command.

Most cases call `main` in the test process (the same code path, without the start-up
cost of a subprocess); the bad-input cases are also run as subprocesses, to see that
no traceback ever reaches the user."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

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


def write_folders(root: Path) -> dict[str, str]:
    """The deals, fact files and action files under `root`, by name."""
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
