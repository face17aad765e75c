"""`:show SECTION`: the rules a section holds, sliced from its `.cov` file, and the
same section looked up in the agreement's source text.

The source text is plain text with no markup, so the lookup is a heuristic: the
section's number followed by a period (`2.`), then each subdivision in parentheses
(`(b)`, then `(i)`) inside it, each looked for first at the start of a line and
then anywhere after a space (for texts whose line breaks were lost). A passage runs
to the next subdivision in sequence (`(c)` after `(b)`), or to the next numbered
heading, or to "IN WITNESS WHEREOF". A cross-reference that looks like a heading
can cut a passage short or start it in the wrong place.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

from dsl import ast
from dsl.errors import UsageProblem
from dsl.limits import SOURCE_TEXT_BYTES
from dsl.reading import read_text

_NUMBER = re.compile(r"^(?:Art\.?\s*)?(?P<head>[0-9A-Za-z][0-9A-Za-z.]*?)\.?(?P<subs>(?:\([0-9A-Za-z]+\))*)$")
# Where a heading may begin: at the start of a line, or else after any white space.
_AT_LINE_START, _AFTER_SPACE = r"(?m:^)[ \t]*", r"(?:^|(?<=\s))"
# The next numbered heading (a number, a period, a capital), or the signature page.
_NEXT_HEADING = r"(?:(?:section\s+)?\d+(?:\.\d+)*\.\s+[A-Z]|(?i:in witness whereof))"
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_WIDTH = 80


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


def source_text(path: Path) -> str:
    """The text of a source file, read within the limits (a regular file, at most
    SOURCE_TEXT_BYTES of UTF-8); raises UsageProblem."""
    return read_text(path, "the source text", SOURCE_TEXT_BYTES, UsageProblem)


def find_in_source(text: str, number: str) -> str | None:
    """The passage of `text` that section `number` heads, found by the heuristic above."""
    match = _NUMBER.match(normalize(number))
    if not match:
        return None
    head = match.group("head")
    start = _find(_heading(re.escape(head), titled=True), text, 0, len(text)) \
        if head.replace(".", "").isdigit() else None
    if start is None:
        start = _find(_heading(re.escape(head), titled=False), text, 0, len(text))
    if start is None:
        return None
    end = _section_end(text, head, start)
    for level, sub in enumerate(re.findall(r"\(([0-9A-Za-z]+)\)", match.group("subs"))):
        found = _find(rf"\({re.escape(sub)}\)\s", text, start, end)
        if found is None:
            break  # not marked in the text: keep the enclosing passage
        following = _successor(sub, level)
        start = found
        end = (following and _earliest(rf"\({re.escape(following)}\)\s", text, found + 1, end)) or end
    return _tidy(text[start:end].split("\n"))


def _heading(number: str, titled: bool) -> str:
    """A numbered heading, `2. ` or `Section 2. `; `titled`: followed by a capitalised
    title, as a heading is and a cross-reference at the end of a sentence is not."""
    return rf"(?:(?i:section)\s+)?{number}\.\s" + (r"\s*[A-Z]" if titled else "")


def _section_end(text: str, head: str, start: int) -> int:
    """Where the section that begins at `start` ends: at its next sibling heading (`3.`
    after `2.`, `6.02` after `6.01`, one number skipped for a reserved section), or
    failing that at the next heading of any number or the signature page, whichever
    comes first, so that a passage never runs on into the next section."""
    parts = head.split(".")
    ends = [len(text)]
    if parts[-1].isdigit():
        for step in (1, 2):
            sibling = ".".join([*parts[:-1], f"{int(parts[-1]) + step:0{len(parts[-1])}d}"])
            found = _earliest(_heading(re.escape(sibling), titled=True), text, start + 1, len(text))
            if found is not None:
                ends.append(_with_its_word(text, found))
                break
    for generic in re.compile(_AFTER_SPACE + f"({_NEXT_HEADING})").finditer(text, start + 1, min(ends)):
        if _looks_higher(generic.group(1), parts):
            ends.append(_with_its_word(text, generic.start(1)))
            break
    return min(ends)


def _looks_higher(heading: str, parts: list[str]) -> bool:
    """Is a heading found by the generic pattern a sibling or a higher level, not a
    subsection nor a number that only looks like a heading (a year ending a sentence,
    `2001. The`)? A heading with fewer parts (`401.` after `8.03`), or written after the
    word `Section`, is one; one with as many parts must come after this section's, by at
    most two at the top."""
    found = re.match(r"((?i:section)\s+)?(\d+(?:\.\d+)*)\.", heading)
    if not found or not all(p.isdigit() for p in parts):
        return True  # the signature page, or a section not numbered in digits
    mine = [int(p) for p in parts]
    theirs = [int(p) for p in found.group(2).split(".")]
    if len(theirs) != len(mine):
        return len(theirs) < len(mine)
    return theirs != mine and (found.group(1) is not None or mine < theirs and theirs[0] <= mine[0] + 2)


def _with_its_word(text: str, at: int) -> int:
    """A heading's start moved back over the word `Section` (and a quotation mark)
    written before its number, so that the word does not end the passage before."""
    before = re.search(r"[\"']?(?i:section)\s+$", text[max(0, at - 20):at])
    return at - len(before.group()) if before else at


def _find(pattern: str, text: str, start: int, end: int) -> int | None:
    """Where `pattern` begins a heading in text[start:end]: at a line start if it can."""
    for lead in (_AT_LINE_START, _AFTER_SPACE):
        found = re.compile(lead + f"({pattern})").search(text, start, end)
        if found:
            return found.start(1)
    return None


def _earliest(pattern: str, text: str, start: int, end: int) -> int | None:
    """Where `pattern` first begins a heading in text[start:end], at a line start or not:
    an end is the earliest, so that a passage never runs past it."""
    found = re.compile(_AFTER_SPACE + f"({pattern})").search(text, start, end)
    return found.start(1) if found else None


def _successor(marker: str, level: int) -> str | None:
    """The subdivision after `marker`: (b) after (a), (ii) after (i) below the first level, 2 after 1."""
    if marker.isdigit():
        return str(int(marker) + 1)
    if level and marker.lower() in _ROMAN[:-1]:
        following = _ROMAN[_ROMAN.index(marker.lower()) + 1]
        return following.upper() if marker.isupper() else following
    if len(marker) == 1 and marker.isalpha() and marker.lower() != "z":
        return chr(ord(marker) + 1)
    return None


def _tidy(lines: list[str]) -> str:
    """Trailing blank lines dropped, runs of blank lines (page breaks) made one, lines
    too long to read (a text whose line breaks were lost) wrapped."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if len(line) > _WIDTH:
            out.extend(textwrap.wrap(line.strip(), _WIDTH))
        elif line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    if out:
        out[0] = out[0].lstrip()
    return "\n".join(out)
