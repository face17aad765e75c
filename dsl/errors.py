"""The one family of user-facing errors, and the one place they are rendered.

Every mistake a user can make — in a `.cov` file, a fact file or a command line —
becomes a `CovenantError` carrying a source position where one exists. `render`
turns it into `file:line:col: error: message`, the source line, a caret and a hint.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping


@dataclass(frozen=True)
class Span:
    """A region of a source file: 1-based line and column, 0-based offsets."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def __reduce__(self):
        # Pickled as its seven values rather than a dict of them: a cached deal holds
        # thousands of spans, and they load a fifth faster so.
        return _span, (self.file, self.line, self.column, self.end_line, self.end_column, self.start, self.end)


def _span(file: str, line: int, column: int, end_line: int, end_column: int, start: int, end: int) -> Span:
    """A span rebuilt from its values (by pickle), without the frozen dataclass's checks."""
    span = object.__new__(Span)
    span.__dict__.update(file=file, line=line, column=column, end_line=end_line, end_column=end_column,
                         start=start, end=end)
    return span


class CovenantError(Exception):
    """Base of every error the user is meant to read."""

    kind = "error"

    def __init__(self, message: str, span: Span | None = None, hint: str | None = None,
                 notes: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        self.notes = tuple(notes)

    def __str__(self) -> str:
        return render(self)


class SyntaxProblem(CovenantError):
    """The text of a `.cov` file does not follow the grammar."""


class NameProblem(CovenantError):
    """A name is unknown, defined twice, or used where it cannot be."""


class TypeProblem(CovenantError):
    """An expression combines values of types that do not fit."""


class CycleProblem(CovenantError):
    """Definitions depend on each other in a circle."""


class FactProblem(CovenantError):
    """A fact file is malformed or does not fit the declared inputs."""


class FactWarning(FactProblem):
    """Facts that do not stop evaluation but deserve a look (a pinned term the facts
    contradict, a fact for an agreement not loaded)."""

    kind = "warning"


class EvaluationProblem(CovenantError):
    """Evaluation met a situation the agreement does not settle (e.g. conflicting exceptions)."""


class UsageProblem(CovenantError):
    """The command line asks for something that cannot be done."""


@dataclass
class Findings(Exception):
    """Several errors found together (by `check`), reported in order."""

    errors: list[CovenantError] = field(default_factory=list)
    warnings: list[CovenantError] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(render(e) for e in self.errors)


def _source_line(span: Span, sources: Mapping[str, str] | None) -> str | None:
    text = None
    if sources is not None:
        text = sources.get(span.file)
    if text is None:
        from dsl.limits import FACT_FILE_BYTES
        from dsl.reading import read_text  # here: it reports its own problems with these errors
        try:
            text = read_text(span.file, "file", FACT_FILE_BYTES, CovenantError)
        except CovenantError:
            return None
    lines = text.splitlines()
    if 1 <= span.line <= len(lines):
        return lines[span.line - 1]
    return None


_WIDE = 160  # a source line longer than this is shown around the column only


def _window(line: str, span: Span) -> tuple[str, Span]:
    """A long line cut to the part around the span's column, the column moved to match."""
    if len(line) <= _WIDE:
        return line, span
    start = max(0, min(span.column - 1 - _WIDE // 2, len(line) - _WIDE))
    cut = ("…" if start else "") + line[start:start + _WIDE] + ("…" if start + _WIDE < len(line) else "")
    shift = start - (1 if start else 0)
    end_column = span.end_column - shift if span.end_line == span.line else span.end_column
    return cut, replace(span, column=span.column - shift, end_column=min(end_column, len(cut) + 1))


def render(error: CovenantError, sources: Mapping[str, str] | None = None,
           label: str | None = None) -> str:
    """Render an error the way a compiler does: position, message, line, caret, hint."""
    label = label or error.kind
    span = error.span
    head = f"{span}: {label}: {error.message}" if span else f"{label}: {error.message}"
    out = [head]
    if span is not None:
        line = _source_line(span, sources)
        if line is not None:
            line, span = _window(line, span)
            width = 1
            if span.end_line == span.line and span.end_column > span.column:
                width = span.end_column - span.column
            prefix = f"{span.line:>5} | "
            out.append(prefix + line.rstrip("\n"))
            caret_pad = "".join("\t" if ch == "\t" else " " for ch in line[: span.column - 1])
            out.append(" " * (len(prefix) - 2) + "| " + caret_pad + "^" * max(width, 1))
    for note in error.notes:
        out.append(f"  note: {note}")
    if error.hint:
        out.append(f"  hint: {error.hint}")
    return "\n".join(out)


class CheckWarning(CovenantError):
    """A finding that does not stop evaluation (an unused input)."""

    kind = "warning"
