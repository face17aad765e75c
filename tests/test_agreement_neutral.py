"""The language and the interpreter know nothing of any particular agreement: no party
names, deal names or amounts from the agreements encoded under agreements/."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = [
    # the BTI financing
    "loftin", "welsh", "wcas", "bti", "series a", "series b", "telecom",
    "11,700,000", "11_700_000", "11700000",
    "12,000,000", "12_000_000", "12000000",
    # the 2020 credit agreement (agreements/coned)
    "edison", "coned", "con ed", "bank of america", "orange and rockland",
    "750,000,000", "750_000_000", "750000000", "0.65:1", "pricing level", "level_iv",
    "moody", "baa2", "bbb_plus", "facility fee rate", "revolver termination",
]


def sources() -> list[Path]:
    files = [p for folder in ("dsl", "interpreter") for p in sorted((ROOT / folder).rglob("*"))
             if p.suffix in (".py", ".lark") and "__pycache__" not in p.parts]
    assert len(files) >= 10, "the dsl/ and interpreter/ sources were not found"
    return files


def findings(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in FORBIDDEN if word in lowered]


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_source_is_agreement_neutral(path: Path):
    text = path.read_text(encoding="utf-8")
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        for word in findings(line):
            hits.append(f"{path.relative_to(ROOT)}:{number}: `{word}` in {line.strip()!r}")
    assert not hits, "agreement-specific text in the language or interpreter:\n" + "\n".join(hits)


@pytest.mark.parametrize("text", [
    "# see the Loftin agreement", "WCAS holders", "the BTI board", "Series A Preferred",
    "series b", "$11,700,000", "11_700_000", "12000000", "Telecom", "party welsh",
    "Consolidated Edison, Inc.", "# the ConEd facility", "Bank of America, N.A.", "$750,000,000",
    "ratio <= 0.65:1", "Moody's Baa2", "type Rating = ordered enum { bbb_plus }", "the Revolver Termination Date",
])
def test_the_check_catches_each_kind_of_text(text):
    assert findings(text)


def test_neutral_text_passes():
    assert not findings('input principal: money "The principal amount"  # $1_000_000, 12,000')
