"""The deal an editor works on: every `.cov` file of the folder of the file being
edited, read from the editor where it is open (unsaved text included) and from disk
otherwise; each parsed once per text, and the whole checked as `covenant check` does."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from dsl import ast
from dsl.errors import CovenantError, Findings, NameProblem
from interpreter.editor import keywords as kw

# The words of a text, outside comments, strings and citations (which hold words that
# are not names); numbers are matched first so that `12_000` is not read as a word.
_LEXEME = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("comment", r"#[^\n]*"), ("string", r'"[^"\n]*"?'), ("citation", kw.terminal("CITATION")),
    *((f"literal{index}", re.sub(r"\(\?P<\w+>", "(?:", pattern)) for index, (_, pattern) in enumerate(kw.literals())),
    ("word", kw.NAME))))


@dataclass(frozen=True)
class Word:
    """A word of a text at its place; `qualifier` is the word before a `.` in front of
    it (`indenture_1997` in `indenture_1997.notes_repaid_date`), `dotted` whether a `.`
    precedes it at all (a record field, or a qualified name)."""

    text: str
    start: int
    end: int
    line: int       # 0-based, as the protocol counts
    column: int
    dotted: bool
    qualifier: str | None


@dataclass
class Document:
    """One `.cov` file: its text, its agreement (the last text that parsed), and the
    syntax error of the current text, if it has one."""

    path: str
    text: str
    agreement: ast.Agreement | None = None
    error: CovenantError | None = None

    @cached_property
    def words(self) -> list[Word]:
        out: list[Word] = []
        line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = 0
        for match in _LEXEME.finditer(self.text):
            if match.lastgroup != "word":
                continue
            start = match.start()
            while line + 1 < len(line_starts) and line_starts[line + 1] <= start:
                line += 1
            before = self.text[max(0, start - 120):start].rstrip(" \t")
            dotted = before.endswith(".")
            qualifier = None
            if dotted:
                found = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*\.$", before)
                qualifier = found.group(1) if found else None
            out.append(Word(match.group(), start, match.end(), line, start - line_starts[line], dotted, qualifier))
        return out

    @cached_property
    def by_text(self) -> dict[str, list[Word]]:
        """The words, by what they say."""
        out: dict[str, list[Word]] = {}
        for word in self.words:
            out.setdefault(word.text, []).append(word)
        return out

    def word_at(self, line: int, column: int) -> Word | None:
        """The word under (or just before) the cursor."""
        for word in self.words:
            if word.line == line and word.column <= column <= word.column + len(word.text):
                return word
        return None

    def offset(self, line: int, column: int) -> int:
        lines = self.text.split("\n")
        return sum(len(text) + 1 for text in lines[:line]) + column


@dataclass
class Deal:
    """The files of one folder, as the editor has them."""

    folder: Path
    documents: dict[str, Document] = field(default_factory=dict)

    def load(self, open_texts: dict[str, str]) -> None:
        """Read every `.cov` file of the folder: the editor's text where it is open."""
        paths = {str(p.resolve()) for p in sorted(self.folder.rglob("*.cov"))} | {
            p for p in open_texts if Path(p).parent == self.folder}
        for path in sorted(paths):
            text = open_texts.get(path)
            if text is None:
                try:
                    text = Path(path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
            self.update(path, text)
        for gone in set(self.documents) - paths:
            del self.documents[gone]

    def update(self, path: str, text: str) -> Document:
        """The file's text changed: parse it again (keeping its last good agreement)."""
        from dsl.parser import parse

        document = self.documents.get(path)
        if document is not None and document.text == text:
            return document
        previous = document.agreement if document else None
        document = Document(path, text, previous)
        try:
            document.agreement = parse(text, path)
        except CovenantError as error:
            document.error = error
        self.documents[path] = document
        return document

    def agreements(self) -> dict[str, ast.Agreement]:
        """The agreements of the deal by id (the last good text of each file)."""
        return {d.agreement.id: d.agreement for d in self.documents.values() if d.agreement is not None}

    def document_of(self, agreement_id: str) -> Document | None:
        return next((d for d in self.documents.values()
                     if d.agreement is not None and d.agreement.id == agreement_id), None)

    def problems(self) -> tuple[list[CovenantError], list[CovenantError]]:
        """(errors, warnings) as `covenant check` finds them: syntax errors first; the
        deal is checked as a whole once every file parses."""
        from interpreter.static.deal import Deal as CheckedDeal
        from interpreter.static.model import check_deal

        errors = [d.error for d in self.documents.values() if d.error is not None]
        if errors:
            return errors, []
        deal = CheckedDeal()
        for document in self.documents.values():
            agreement = document.agreement
            deal.sources[document.path] = document.text
            if agreement.id in deal.agreements:
                errors.append(NameProblem(f"agreement `{agreement.id}` is declared twice", agreement.span,
                                          notes=[f"first declared in {deal.agreements[agreement.id].path}"],
                                          hint="give each agreement its own id"))
                continue
            deal.agreements[agreement.id] = agreement
        if errors:
            return errors, []
        try:
            model = check_deal(deal)
        except Findings as findings:
            return list(findings.errors), list(findings.warnings)
        except CovenantError as error:
            return [error], []
        return [], list(model.warnings)
