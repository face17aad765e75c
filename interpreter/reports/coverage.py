"""Coverage: every numbered section of every agreement, with what became of it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from interpreter.static.model import Model

# A top-level heading in running text: "12. Recapitalization, etc. "
_HEADING = re.compile(r"(?:^|\s)(\d{1,3})\.\s+([A-Z][A-Za-z;,'&\- ]{2,70}?)\.\s")


@dataclass(frozen=True)
class SectionCoverage:
    agreement: str
    number: str
    title: str
    # encoded, boilerplate, not_encoded, empty (a heading with nothing under it), or
    # missing (a numbered heading of the source text that the .cov does not declare)
    status: str
    names: tuple[str, ...]
    note: str | None


def coverage(model: Model) -> list[SectionCoverage]:
    """Each section heading in order, with the names encoded under it."""
    rows = []
    for scope in model.scopes.values():
        agreement = scope.agreement
        under: dict[str | None, list[str]] = {}
        for decl in (*agreement.definitions, *agreement.obligations, *agreement.norms, *agreement.exceptions):
            name = getattr(decl, "name", None) or f"exception to {decl.target}"
            under.setdefault(decl.section, []).append(name)
        for patch in agreement.patches:
            under.setdefault(patch.under, []).append(f"{patch.op.replace('_', ' ')} {', '.join(patch.targets)}")
        for section in agreement.sections:
            names = tuple(under.get(section.number, ()))
            status = section.status
            if status == "encoded" and not names:
                status = "empty"
            rows.append(SectionCoverage(scope.id, section.number, section.title, status, names, section.note))
        rows += _missing_from_source(scope.id, agreement)
    return rows


def source_headings(text: str) -> list[tuple[str, str]]:
    """The numbered top-level headings of an agreement's text, in order: a chain
    1, 2, 3 … (a number may be skipped, as for a reserved section)."""
    flat = " ".join(text.split())
    found, expected = [], 1
    for match in _HEADING.finditer(flat):
        number = int(match.group(1))
        if number in (expected, expected + 1):
            found.append((match.group(1), match.group(2)))
            expected = number + 1
    return found


def _missing_from_source(agreement_id: str, agreement) -> list[SectionCoverage]:
    """Headings of the source text with no section of that number in the .cov. Only
    compared when the .cov numbers its sections as the source does."""
    if not agreement.source or not agreement.path:
        return []
    path = Path(agreement.path).parent / agreement.source
    try:
        headings = source_headings(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []
    declared = {s.number.split("(")[0] for s in agreement.sections if "." not in s.number}
    if not declared & {number for number, _ in headings}:
        return []
    return [SectionCoverage(agreement_id, number, title, "missing", (), f"in {agreement.source}, not in the .cov")
            for number, title in headings if number not in declared]
