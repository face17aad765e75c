"""Scenario files: CSV (a header of input names, plain or qualified, and one fact set
a row) or JSON Lines (one JSON object a line). Rows are read lazily, as raw text, and
typed later by the job that evaluates them (`row_facts.RowReader`): reading a file of
any size takes constant memory."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import yaml

from dsl.errors import FactProblem, Span, UsageProblem
from dsl.limits import SCENARIO_LINE_CHARACTERS, YAML_DEPTH
from dsl.reading import path_kind

# A row as read: its line number, and either the cells of a CSV row by column name or
# the text of a JSON line.
Row = tuple[int, dict[str, str] | str]

AS_OF_COLUMN = "as_of"  # a column (or key) that sets the evaluation date of its row


def scenario_format(path: str) -> str:
    """`csv` or `jsonl`, from the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise UsageProblem(f"cannot tell the format of {path}",
                       hint="name scenario and result files .csv or .jsonl (JSON Lines)")


CHUNK = 200  # rows a task evaluates: large enough that handing it over costs little
CHUNK_BYTES = 1 << 22  # a chunk of long lines ends sooner, so that reading one takes bounded memory
# A UTF-8 character takes at most 4 bytes: more bytes than this without a line end
# hold a line over the limit, wherever it ends.
LINE_BYTES = 4 * SCENARIO_LINE_CHARACTERS + 4
_BLOCK = 1 << 20  # bytes read at a time while cutting a file into chunks
_LINE_END = re.compile(rb"\r\n?|\n")  # as a text file opened with newline="" ends its lines


@dataclass(frozen=True)
class RowChunk:
    """Rows already read, in order (a CSV file's: a quoted cell may hold a line break,
    so only the csv module can tell where its rows end)."""

    read: tuple[Row, ...]

    @property
    def lines(self) -> int:
        return len(self.read)

    def rows(self) -> list[Row]:
        return list(self.read)


@dataclass(frozen=True)
class LineRange:
    """Whole lines of a JSON Lines file: the bytes from `start` up to `end`, which hold
    `lines` lines, the first of them line number `first`. Whoever evaluates the chunk
    reads it, so that with worker processes the rows never pass through the process
    that cuts the file."""

    file: str
    start: int
    end: int
    first: int
    lines: int

    def rows(self) -> list[Row]:
        """The chunk's rows, read exactly as `read_rows` reads them."""
        try:
            with open(self.file, "rb") as handle:
                handle.seek(self.start)
                data = handle.read(self.end - self.start)
        except OSError as error:
            raise _unreadable(self.file, error) from None
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
        try:
            return list(_json_lines(text, self.file, self.first))
        except UnicodeDecodeError as error:
            raise _unreadable(self.file, error) from None


Chunk = RowChunk | LineRange


def scenario_chunks(path: str) -> Iterator[Chunk]:
    """A scenario file's rows in chunks of about CHUNK, in order: CSV rows as read,
    JSON Lines as ranges of the file that are read when they are evaluated."""
    if path_kind(path) != "file":  # a device or a pipe could be endless
        raise UsageProblem(f"cannot read scenario file {path}: it is not a file")
    if scenario_format(path) == "csv":
        rows = read_rows(path)
        while chunk := tuple(islice(rows, CHUNK)):
            yield RowChunk(chunk)
    else:
        yield from _line_ranges(path)


def _line_ranges(path: str) -> Iterator[LineRange]:
    """The file cut after every CHUNK lines (sooner past CHUNK_BYTES), its line ends
    counted as the reader counts them. It is read in blocks, never whole; a line
    longer than LINE_BYTES ends the cutting: reading that line is refused."""
    start = line_start = size = count = 0
    first = 1
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below, as the ranges are consumed
    except OSError as error:
        raise _unreadable(path, error) from None
    with handle:
        for offset, block in _blocks(handle):
            for end in _line_ends(block, offset):
                count, line_start = count + 1, end
                if count == CHUNK or end - start >= CHUNK_BYTES:
                    yield LineRange(path, start, end, first, count)
                    start, first, count = end, first + count, 0
            size = offset + len(block)
            if size - line_start > LINE_BYTES:
                break
    if size > start:
        yield LineRange(path, start, size, first, count + (size > line_start))


def _blocks(handle) -> Iterator[tuple[int, bytes]]:
    """A binary file in blocks, each with its offset; a \r\n, one line end, is never
    split between two (the \r waits for the next block)."""
    held, offset = b"", 0
    while block := held + (more := handle.read(_BLOCK)):
        held = b""
        if more and block.endswith(b"\r"):
            block, held = block[:-1], b"\r"
        yield offset, block
        offset += len(block)


def _line_ends(block: bytes, offset: int) -> list[int]:
    """Where each line of the block ends (just after its line end), in the file."""
    if b"\r" in block:
        return [offset + found.end() for found in _LINE_END.finditer(block)]
    ends = []
    at = block.find(b"\n")
    while at >= 0:  # bytes.find is a fast scan; most files end their lines with \n alone
        ends.append(offset + at + 1)
        at = block.find(b"\n", at + 1)
    return ends


def _unreadable(path: str, error: Exception) -> UsageProblem:
    return UsageProblem(f"cannot read scenario file {path}: {getattr(error, 'strerror', None) or error}")


def read_rows(path: str) -> Iterator[Row]:
    """Every row of a scenario file, in order, with its line number."""
    try:
        handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115 -- closed below, as the rows are consumed
    except OSError as error:
        raise _unreadable(path, error) from None
    with handle:
        try:
            if scenario_format(path) == "csv":
                yield from _csv_rows(handle, path)
            else:
                yield from _json_lines(handle, path)
        except UnicodeDecodeError as error:
            raise _unreadable(path, error) from None


def _json_lines(handle, path: str, first: int = 1) -> Iterator[Row]:
    """The lines of a JSON Lines file (or of a part of one starting at line `first`),
    each at most SCENARIO_LINE_CHARACTERS long (read so, never more: a file without
    line breaks is refused, not loaded whole)."""
    number = first - 1
    while line := handle.readline(SCENARIO_LINE_CHARACTERS + 1):
        number += 1
        if len(line) > SCENARIO_LINE_CHARACTERS:
            raise FactProblem(f"line {number} is longer than {SCENARIO_LINE_CHARACTERS:,} characters",
                              Span(path, number, 1, number, 2), hint="one scenario a line, as a JSON object")
        if line.strip():
            yield number, line


def header(path: str) -> list[str]:
    """The names a CSV scenario file gives (empty for JSON Lines, whose keys vary)."""
    if scenario_format(path) != "csv":
        return []
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, error) from None


def _csv_rows(handle, path: str) -> Iterator[Row]:
    reader = csv.reader(handle)
    try:
        yield from _csv_cells(reader, path)
    except csv.Error as error:  # a cell beyond the csv module's limit, a NUL
        line = reader.line_num
        raise FactProblem(f"cannot read this row: {error}", Span(path, line, 1, line, 2),
                          hint="quote cells that hold commas or line breaks; keep cells short") from None


def _csv_cells(reader, path: str) -> Iterator[Row]:
    names = next(reader, None)
    if not names:
        raise UsageProblem(f"{path} is empty", hint="the first line names the inputs, one per column")
    names = [n.strip() for n in names]
    start = reader.line_num + 1
    for cells in reader:
        if not cells:  # a blank line; a row of empty cells is a scenario of the base facts alone
            start = reader.line_num + 1
            continue
        if len(cells) != len(names):
            # Reported when the row is typed, with its line, like any other bad row.
            yield start, {"": f"{len(cells)} cells where the header names {len(names)}"}
        else:
            yield start, dict(zip(names, cells, strict=True))
        start = reader.line_num + 1


def count_rows(path: str) -> int | None:
    """How many rows a file holds (lines, ended as the reader ends them, less a CSV
    header), for a progress bar."""
    lines, last = 0, b""
    try:
        with open(path, "rb") as handle:
            for _, block in _blocks(handle):
                lines += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
                last = block[-1:] or last
    except OSError:
        return None
    lines += last not in b"\r\n"  # a last line without its line end (an empty file has none)
    return max(lines - (scenario_format(path) == "csv"), 0)


def row_values(row: Row, file: str) -> tuple[dict[str, object], bool]:
    """The values a row gives, by name, as plain data — a JSON line's object as parsed
    (numbers kept as their text: 0.10 stays exact, never a float), or a CSV row's
    non-empty cells, stripped — and whether they are plain (unquoted) texts, as CSV
    cells are: a plain `none` is the absent value, a JSON string "none" is a text. An
    empty CSV cell (or a key left out) gives nothing: the base fact (or unknown) stands."""
    line, payload = row
    if isinstance(payload, dict):
        if "" in payload:
            raise FactProblem(f"row has {payload['']}", Span(file, line, 1, line, 2),
                              hint="quote cells that hold a comma")
        return {name: cell for name, text in payload.items() if (cell := text.strip())}, True
    # The (recursive) JSON reader sees a text only once its nesting is known to be within
    # the limit: a line with few brackets cannot nest deeply, and is not scanned.
    if payload.count("[") + payload.count("{") > YAML_DEPTH and (depth := _json_depth(payload)) > YAML_DEPTH:
        raise FactProblem(f"this line is nested {depth:,} levels deep; facts nest at most {YAML_DEPTH}",
                          Span(file, line, 1, line, 2), hint="facts are values, records and lists of them")
    try:
        data = _JSON.decode(payload.rstrip("\r\n"))
    except json.JSONDecodeError as error:
        raise FactProblem(f"malformed JSON: {error.msg}", Span(file, line, error.colno, line, error.colno + 1),
                          hint="one JSON object a line, e.g. {\"price\": \"12.50\"}") from None
    if not isinstance(data, dict):
        raise FactProblem("a line must be a JSON object of `name: value` pairs", Span(file, line, 1, line, 2))
    return data, False


def row_mark(file: str, line: int) -> yaml.Mark:
    """Where every value of a row is: the start of its line."""
    return yaml.Mark(file, 0, line - 1, 0, None, None)


def value_node(value: object, mark: yaml.Mark, plain: bool) -> yaml.Node:
    """A row's value (as `row_values` gives it) as the YAML node a fact file would hold."""
    if plain:
        return yaml.ScalarNode("tag:yaml.org,2002:str", value, mark, mark)
    return _node(value, mark)


def row_node(values: dict[str, object], mark: yaml.Mark, plain: bool) -> yaml.MappingNode:
    """A row's values as the mapping a fact file would hold, for `facts.read_facts`."""
    return yaml.MappingNode("tag:yaml.org,2002:map",
                            [(yaml.ScalarNode("tag:yaml.org,2002:str", name, mark, mark),
                              value_node(value, mark, plain)) for name, value in values.items()])


def _json_depth(text: str) -> int:
    """How deep the brackets of a JSON text nest, strings left out."""
    depth = deepest = 0
    for bracket in re.finditer(r"[\[\]{}]", re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _node(value, mark: yaml.Mark) -> yaml.Node:
    """A JSON value as the YAML node a fact file would hold."""
    if isinstance(value, dict):
        return yaml.MappingNode("tag:yaml.org,2002:map",
                                [(yaml.ScalarNode("tag:yaml.org,2002:str", k, mark, mark), _node(v, mark))
                                 for k, v in value.items()], mark, mark)
    if isinstance(value, list):
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(v, mark) for v in value], mark, mark)
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "null", mark, mark)
    if isinstance(value, bool):
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false", mark, mark)
    # A JSON string is quoted: "none" is then a text, not the absent value (JSON writes null).
    return yaml.ScalarNode("tag:yaml.org,2002:str", str(value), mark, mark,
                           style=None if isinstance(value, _Number) else '"')


class _Number(str):
    """A JSON number, kept as the text it was written as."""


_JSON = json.JSONDecoder(parse_float=_Number, parse_int=_Number)  # made once: json.loads makes one a call
