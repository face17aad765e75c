"""Output lines, and the writer that puts them together with the comments and the
blank lines of the source.

A comment belongs to a token: a comment that ends a line of code to the token before
it, a comment on a line of its own to the token after it. It is written at the end
of (or on lines just above) the output line that holds its token — so every comment
survives, in order, however the code around it is laid out."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from lark import Token

from interpreter.editor.fmt.pieces import Piece, citation_text, join

WIDTH = 100            # lines are broken to fit this width where the language allows
CITATION_COLUMN = 81   # where the citation that ends a rule begins (0-based)
CITATION_GAP = 3       # at least this many spaces before it


@dataclass
class Line:
    """One output line: pieces of code at an indent, perhaps ending with a citation
    aligned in the citation column. `blank` says, for the first line of a
    declaration, whether a blank line goes before it: "source" (as the author
    left it), "force" or "never"."""

    indent: int
    pieces: list[Piece]
    citation: Token | None = None
    starts_item: bool = False
    blank: str = "source"
    aligned: bool = True  # the citation in the column (else just after the code)

    def tokens(self) -> list[Token]:
        found = [p.token for p in self.pieces]
        return found + [self.citation] if self.citation is not None else found

    def text(self) -> str:
        code = " " * self.indent + join(self.pieces)
        if self.citation is None:
            return code
        if not self.pieces:
            return code + citation_text(self.citation)
        gap = max(CITATION_COLUMN - len(code), CITATION_GAP) if self.aligned else CITATION_GAP
        return code + " " * gap + citation_text(self.citation)


def room(citation: Token | None) -> int:
    """How wide the code of a line may be: up to the citation column when the line
    ends with a citation, else the full width."""
    return WIDTH if citation is None else CITATION_COLUMN - CITATION_GAP


class Comments:
    """The comments of a text, each with the token it belongs to."""

    def __init__(self, tokens: list[Token], comments: list[Token]):
        everything = sorted([*tokens, *comments], key=lambda t: t.start_pos)
        self.gap: dict[int, int] = {}   # start_pos -> newlines since what came before
        self.entries: list[tuple[int, bool, Token]] = []  # (anchor, trailing, comment)
        previous = None
        for index, item in enumerate(everything):
            self.gap[item.start_pos] = item.line - previous.end_line if previous is not None else 0
            if item.type == "COMMENT":
                trailing = previous is not None and previous.type != "COMMENT" and previous.end_line == item.line
                following = next((t for t in everything[index + 1:] if t.type != "COMMENT"), None)
                anchor = previous.start_pos if trailing else (following.start_pos if following else 1 << 62)
                self.entries.append((anchor, trailing, item))
            previous = item
        self.positions = [c.start_pos for c in comments]
        self.next = 0

    def inside(self, start: int, end: int) -> bool:
        """Whether a comment lies between the offsets `start` and `end`."""
        index = bisect.bisect_right(self.positions, start)
        return index < len(self.positions) and self.positions[index] < end

    def take(self, upto: int) -> list[tuple[bool, Token]]:
        """The comments not yet written that belong to tokens at or before `upto`."""
        out = []
        while self.next < len(self.entries) and self.entries[self.next][0] <= upto:
            out.append(self.entries[self.next][1:])
            self.next += 1
        return out


def write(lines: list[Line], comments: Comments) -> str:
    """The formatted text: lines, comments and blank lines."""
    out: list[list] = []  # [text, trailing comment or None]

    def blank():
        if out and out[-1][0] != "":
            out.append(["", None])

    carried: list[tuple[bool, Token]] = []  # comments after a line's trailing one, in order
    for line in lines:
        tokens = line.tokens()
        taken = carried + comments.take(max(t.start_pos for t in tokens))
        split = next((i for i, (trailing, _) in enumerate(taken) if trailing), len(taken))
        above, after = taken[:split], taken[split:]
        for index, (_, comment) in enumerate(above):
            if line.starts_item and _blank_before(line, comment, comments, index == 0):
                blank()
            out.append([" " * line.indent + str(comment).rstrip(), None])
        if line.starts_item and _blank_before(line, tokens[0], comments, not above):
            blank()
        out.append([line.text(), None])
        if after:
            out[-1][1] = str(after[0][1]).rstrip()
        # Comments that followed the trailing one go above the next line, as its own.
        carried = [(False, comment) for _, comment in after[1:]]
    for _, comment in carried + comments.take(1 << 62):
        if comments.gap[comment.start_pos] >= 2:
            blank()
        out.append([str(comment).rstrip(), None])
    while out and out[0][0] == "":
        out.pop(0)
    return "\n".join(_aligned(out)) + "\n"


def _blank_before(line: Line, token: Token, comments: Comments, first: bool) -> bool:
    if first and line.blank != "source":
        return line.blank == "force"
    return comments.gap.get(token.start_pos, 0) >= 2


def _aligned(out: list[list]) -> list[str]:
    """Trailing comments of consecutive lines aligned in one column, two spaces after
    the longest line of the run."""
    texts: list[str] = []
    index = 0
    while index < len(out):
        if out[index][1] is None:
            texts.append(out[index][0].rstrip())
            index += 1
            continue
        end = index
        while end < len(out) and out[end][1] is not None:
            end += 1
        column = max(len(text.rstrip()) for text, _ in out[index:end]) + 2
        texts.extend(text.rstrip().ljust(column) + comment for text, comment in out[index:end])
        index = end
    return texts
