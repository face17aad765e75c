"""`covenant coverage`: every section of an agreement's source text, encoded or missing,
headings written `Section 1.01.` and `ARTICLE II`, and those it cannot classify."""
from __future__ import annotations

import json

from tests.cli.small_deals import run


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
