"""Shared by the REPL tests: a copy of the Series A deal to edit."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from series_a import ROOT, SERIES_A

PROBE = '\n§ 99 "Probe"\n  repl_probe: count = 1   § 99\n'


@pytest.fixture
def deal_copy(tmp_path) -> Path:
    """A copy of the SERIES_A files in tmp_path/deal; the Series A file's copy (returned)
    ends with a probe term, `repl_probe: count = 1`, to edit."""
    folder = tmp_path / "deal"
    folder.mkdir()
    for path in SERIES_A:
        shutil.copy(ROOT / path, folder)
    probed = folder / Path(SERIES_A[0]).name
    probed.write_text(probed.read_text(encoding="utf-8") + PROBE, encoding="utf-8")
    return probed


# A small deal of its own, for versions, proposed actions, readings and ambiguous
# names: `base` (from 2000), amended by `amend1` from 2001-06-30 only when the
# consents were received (a fact without a default), restated by `base_2005` from
# 2005, and `side`, which also defines `fee`.
SMALL_DEAL = {
    "base.cov": '''agreement base "Base Agreement"
  dated 2000-01-01

input revenue: count "annual revenue"

type Kind = enum { stranger, affiliate }
action transfer "a proposed transfer of Shares" { transferee: Kind, date: date }

§ 1 "Definitions"
  threshold: count = 100   § 1
  over_threshold: bool = revenue > threshold   § 1
  reading lenient of over_threshold "half the threshold suffices" = revenue * 2 > threshold   § 1(b)

§ 2 "Fees"
  fee: money = if over_threshold then $200 else $100   § 2

§ 4 "Transfers"
  prohibit lockup: transfer when transfer.date < date_hereof + 2 years   § 4(a)
  exception to lockup "transfers to affiliates"
    when transfer.transferee == affiliate -> false   § 4(b)
''',
    "amend.cov": '''agreement amend1 "First Amendment"
  dated 2001-06-30
  amends base
  effective when consents_received   § 4

input consents_received: bool "the Requisite Consents were received"

§ 3 "Amendments"
  replace definition { threshold: count = 150   § 1 }   § 3
  insert section § 6 "Cap" {
    input cap_base: money optional "the base of the cap"
    cap: money = cap_base * 2   § 6
  }   § 5
''',
    "restated.cov": '''agreement base_2005 "Amended and Restated Base Agreement"
  dated 2005-01-01
  restates base

input revenue: count "annual revenue"

§ 1 "Definitions"
  threshold: count = 500   § 1
  fee: money = if revenue > threshold then $300 else $50   § 1
''',
    "side.cov": '''agreement side "Side Letter"
  dated 2000-01-01

§ 1 "Fee"
  fee: money = $7   § 1
  side_only: count = 1   § 1
''',
}


@pytest.fixture(scope="module")
def small_deal(tmp_path_factory) -> tuple[str, str]:
    """The SMALL_DEAL folder and a fact file giving `revenue: 120`."""
    root = tmp_path_factory.mktemp("small")
    folder = root / "deal"
    folder.mkdir()
    for name, text in SMALL_DEAL.items():
        (folder / name).write_text(text, encoding="utf-8")
    facts = root / "facts.yaml"
    facts.write_text("revenue: 120\n", encoding="utf-8")
    return str(folder), str(facts)
