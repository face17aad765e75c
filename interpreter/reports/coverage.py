"""Coverage: every numbered section of every agreement, with what became of it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dsl.errors import UsageProblem
from dsl.limits import SOURCE_TEXT_BYTES
from dsl.reading import read_text
from interpreter.static.model import Model

# A top-level heading in running text: "12. Recapitalization, etc. "
_HEADING = re.compile(r"(?:^|\s)(\d{1,3})\.\s+([A-Z][A-Za-z;,'&\- ]{2,70}?)\.\s")
# A heading on a line of its own: "Section 2.08. Fees.", "SECTION 2.08 Fees", "SECTION 1 Title."
_SECTION_LINE = re.compile(r"^\s*(?:Section|SECTION)\s+(\d{1,3}(?:\.\d{1,3})*)(\.?)\s+(\S.*)$")
_ARTICLE_LINE = re.compile(r"^\s*(?:ARTICLE|Article)\s+([IVXLC]+|\d{1,3}|[A-Z][a-zA-Z]+)\b\.?\s*(.*)$")
# A line that begins the way a heading does, classified or not.
_HEADING_LIKE = re.compile(r"^\s*(?:Section|SECTION|ARTICLE|Article)\b")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty").split()


@dataclass(frozen=True)
class SectionCoverage:
    agreement: str
    number: str
    title: str
    # encoded, boilerplate, not_encoded, empty (a heading with nothing under it),
    # missing (a numbered heading of the source text that the .cov does not declare),
    # or unclassified (a line of the source that begins like a heading but could not
    # be read as one, so that whether it is covered is not known)
    status: str
    names: tuple[str, ...]
    note: str | None


@dataclass
class SourceHeadings:
    """The numbered headings found in a source text: sections, articles, and the
    heading-like lines that could not be read."""

    sections: list[tuple[str, str]] = field(default_factory=list)
    articles: list[tuple[str, str]] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)


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
        rows += _compared_with_source(scope.id, agreement)
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


def read_headings(text: str) -> SourceHeadings:
    """Every numbered heading of a source text: lines written `Section 2.08. Title.`,
    `SECTION 2.08 Title` or `ARTICLE VI` (`ARTICLE 6`), else the running-text
    headings `12. Title.`. A line that begins with Section or Article but is neither
    a heading nor a reference in running text is counted as unclassified."""
    found = SourceHeadings()
    seen: set[str] = set()
    lines = text.splitlines()
    for index, line in enumerate(lines):
        section = _SECTION_LINE.match(line)
        article = _ARTICLE_LINE.match(line)
        if section and _is_heading_title(section.group(3), bool(section.group(2))):
            if section.group(1) not in seen:
                seen.add(section.group(1))
                found.sections.append((section.group(1), _title(section.group(3))))
        elif article and _arabic(article.group(1)) is not None and not _continues(article.group(2)):
            title = article.group(2) or next((x for x in lines[index + 1:index + 3] if x.strip()), "")
            found.articles.append((str(_arabic(article.group(1))), _title(title)))
        elif _HEADING_LIKE.match(line) and not _is_reference(line):
            found.unclassified.append(" ".join(line.split())[:80])
    if not found.sections and not found.articles:
        found.sections = source_headings(text)
    return found


def _is_heading_title(rest: str, dotted: bool) -> bool:
    """`Section 5.10. Debt...` is a heading; `Section 5.10 and (ii) ...` a reference
    that a line break happened to put first."""
    first = rest.split()[0] if rest.split() else ""
    return bool(first) and (first[0].isupper() or first[0] == "[") and (dotted or not first.islower())


def _continues(rest: str) -> bool:
    """After `Article 5`, words that carry on a sentence (`, other than`, `of the`)."""
    return bool(rest) and (rest[0].islower() or rest[0] in ",;()")


def _is_reference(line: str) -> bool:
    """A line of running text that begins by citing a section: `Section 2.17 of the`."""
    words = line.split()
    return len(words) > 2 and (words[2][:1].islower() or words[2][:1] in "(,;")


def _title(rest: str) -> str:
    """The title: the words up to the first full stop (a heading's own text follows it)."""
    return re.split(r"\.(?:\s|$)", rest.strip(), maxsplit=1)[0].strip()[:80]


def _arabic(number: str) -> int | None:
    """6, VI or SIX as a number; None for a word that is not one."""
    if number.isdigit():
        return int(number)
    if number.lower() in _WORDS:
        return _WORDS.index(number.lower()) + 1
    if set(number) - set(_ROMAN):
        return None
    total = 0
    for i, letter in enumerate(number):
        value = _ROMAN[letter]
        total += -value if i + 1 < len(number) and _ROMAN[number[i + 1]] > value else value
    return total or None


def _compared_with_source(agreement_id: str, agreement) -> list[SectionCoverage]:
    """Headings of the source text with no section of that number in the .cov, and the
    heading-like lines that could not be read. Only compared when the .cov numbers its
    sections as the source does."""
    if not agreement.source or not agreement.path:
        return []
    path = Path(agreement.path).parent / agreement.source
    try:
        headings = read_headings(read_text(path, "the source text", SOURCE_TEXT_BYTES, UsageProblem))
    except UsageProblem:  # no source text to compare with: nothing is reported missing
        return []
    declared = {s.number.split("(")[0] for s in agreement.sections}
    rows = [SectionCoverage(agreement_id, "?", line, "unclassified", (),
                            f"in {agreement.source}: begins like a heading but was not read as one")
            for line in headings.unclassified]
    if not declared & {number for number, _ in headings.sections}:
        return rows
    rows += [SectionCoverage(agreement_id, number, title, "missing", (), f"in {agreement.source}, not in the .cov")
             for number, title in headings.sections if number not in declared]
    for number, title in headings.articles:
        # An Article is covered by `§ Art. N` or by a section of it: N.xx, or Nxx (201 in Article 2).
        if not any(d.replace(" ", "") == f"Art.{number}" or re.match(rf"{number}(\.|\d\d$)", d)
                   for d in declared):
            rows.append(SectionCoverage(agreement_id, f"Art. {number}", title, "missing", (),
                                        f"in {agreement.source}: no section of this Article in the .cov"))
    return rows
