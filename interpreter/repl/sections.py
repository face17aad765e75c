"""`:show SECTION`: the rules a section holds, sliced from its `.cov` file, and the
same section looked up in the agreement's source text.

The source text is plain text with no markup, so the lookup is a heuristic: the
section's number followed by a period at the start of a line (`2.`), then each
subdivision in parentheses at the start of a line inside it (`(b)`); a passage runs
to the next heading of the same level (or to "IN WITNESS WHEREOF"). Subdivisions written inside a paragraph are
not found; the enclosing passage is shown instead.
"""
from __future__ import annotations

import re
from pathlib import Path

from dsl import ast

_NUMBER = re.compile(r"^(?:Art\.?\s*)?(?P<head>[0-9A-Za-z][0-9A-Za-z.]*?)\.?(?P<subs>(?:\([0-9A-Za-z]+\))*)$")
# A numbered heading, or the signature page that ends the last section.
_ANY_HEADING = re.compile(r"^\s*(?:(?:section\s+)?\d+(?:\.\d+)*\.(?:\s|$)|in witness whereof)", re.I)
_ANY_SUBDIVISION = re.compile(r"^(\s*)\([0-9A-Za-z]+\)(?:\s|$)")


def normalize(number: str) -> str:
    """A section number as the `.cov` files write it: `§ 2(b)` and `2(b)` are `2(b)`."""
    return re.sub(r"\s+", "", number.strip().lstrip("§"))


def find_section(agreement: ast.Agreement, number: str) -> ast.Section | None:
    """The section of `agreement` with this number, if there is one."""
    wanted = normalize(number)
    return next((s for s in agreement.sections if normalize(s.number) == wanted), None)


def rules_text(agreement: ast.Agreement, text: str, section: ast.Section) -> str:
    """The `.cov` text from the section's heading to the next heading, without the
    comments and blank lines that lead into the next one."""
    starts = sorted(s.span.start for s in agreement.sections)
    end = next((start for start in starts if start > section.span.start), len(text))
    lines = text[section.span.start:end].rstrip().split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return "\n".join(lines)


def source_path(agreement: ast.Agreement) -> Path | None:
    """The agreement's source text file (its header's `source`, relative to the .cov file)."""
    if not agreement.source:
        return None
    return Path(agreement.path).parent / agreement.source


def find_in_source(text: str, number: str) -> str | None:
    """The passage of `text` that section `number` heads, found by the heuristic above."""
    match = _NUMBER.match(normalize(number))
    if not match:
        return None
    lines = text.split("\n")
    heading = re.compile(rf"^\s*(?:section\s+)?{re.escape(match.group('head'))}\.(?:\s|$)", re.I)
    start = next((i for i, line in enumerate(lines) if heading.match(line)), None)
    if start is None:
        return None
    end = next((j for j in range(start + 1, len(lines)) if _ANY_HEADING.match(lines[j])), len(lines))
    for sub in re.findall(r"\(([0-9A-Za-z]+)\)", match.group("subs")):
        marker = re.compile(rf"^(\s*)\({re.escape(sub)}\)(?:\s|$)")
        found = next((i for i in range(start, end) if marker.match(lines[i])), None)
        if found is None:
            break
        indent = marker.match(lines[found]).group(1)
        start = found
        end = next((j for j in range(found + 1, end)
                    if (m := _ANY_SUBDIVISION.match(lines[j])) and m.group(1) == indent), end)
    return _tidy(lines[start:end])


def _tidy(lines: list[str]) -> str:
    """Trailing blank lines dropped, runs of blank lines (page breaks) made one."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    if out:
        out[0] = out[0].lstrip()
    return "\n".join(out)
