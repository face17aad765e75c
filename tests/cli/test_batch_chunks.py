"""A JSON Lines scenario file is cut into ranges of whole lines (`scenarios.LineRange`)
that whoever evaluates a chunk reads for itself: the rows of the ranges, taken in
order, must be exactly the rows the file reader gives — the same texts at the same
line numbers, whatever the line ends (\\n, \\r\\n, a lone \\r), wherever a block of the
file or a chunk ends — and a line over the limit or an undecodable byte must be the
same one clear message."""
from __future__ import annotations

import io
from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from dsl.errors import FactProblem, UsageProblem
from interpreter.batch import scenarios
from interpreter.batch.scenarios import LineRange, count_rows, read_rows, scenario_chunks


@contextmanager
def small(chunk: int = 3, block: int = 7, chunk_bytes: int = 40, limit: int | None = None):
    """Chunks, blocks (and the line limit) small enough for a few lines to cross them."""
    with mock.patch.multiple(scenarios, CHUNK=chunk, _BLOCK=block, CHUNK_BYTES=chunk_bytes):
        if limit is None:
            yield
        else:
            with mock.patch.multiple(scenarios, SCENARIO_LINE_CHARACTERS=limit, LINE_BYTES=4 * limit + 4):
                yield


def chunked(path) -> tuple[list[LineRange], list]:
    ranges = list(scenario_chunks(str(path)))
    return ranges, [row for part in ranges for row in part.rows()]


LINE = st.lists(st.sampled_from(['{"a": 1}', " ", "é", "€", "x", "\t", '"']), max_size=6).map("".join)
END = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(LINE, END), max_size=25), last=LINE, chunk=st.integers(1, 5),
       block=st.integers(1, 9), chunk_bytes=st.integers(1, 60))
def test_the_ranges_give_the_rows_the_reader_gives(tmp_path, lines, last, chunk, block, chunk_bytes):
    path = tmp_path / "s.jsonl"
    text = "".join(line + end for line, end in lines) + last
    path.write_bytes(text.encode("utf-8"))
    with small(chunk, block, chunk_bytes):
        ranges, rows = chunked(path)
    assert rows == list(read_rows(str(path)))
    # The ranges tile the file, and each starts at the line after the last one's.
    assert [r.start for r in ranges] == [0, *(r.end for r in ranges)][: len(ranges)]
    assert (ranges[-1].end if ranges else 0) == path.stat().st_size
    assert [r.first for r in ranges] == [1 + sum(r.lines for r in ranges[:i]) for i in range(len(ranges))]
    assert sum(r.lines for r in ranges) == len(io.StringIO(text, newline="").readlines())
    with small(chunk, block, chunk_bytes):
        assert count_rows(str(path)) == sum(r.lines for r in ranges)  # the progress bar's total
    assert all(0 < r.lines <= chunk for r in ranges)


def test_a_crlf_line_end_split_between_blocks_is_one_line_end(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": 1}\r\n{"a": 2}\r\n{"a": 3}\r\n')
    with small(chunk=1, block=9):  # the first block ends between \r and \n
        ranges, rows = chunked(path)
    assert [(r.start, r.end, r.first) for r in ranges] == [(0, 10, 1), (10, 20, 2), (20, 30, 3)]
    assert [n for n, _ in rows] == [1, 2, 3]


def test_a_file_of_lone_carriage_returns_is_cut_into_chunks(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": 1}\r' * 10)
    with small(chunk=4, block=1000):
        ranges, rows = chunked(path)
    assert [r.lines for r in ranges] == [4, 4, 2]
    assert [n for n, _ in rows] == list(range(1, 11))


def test_a_chunk_of_long_lines_ends_sooner(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": "' + b"x" * 30 + b'"}\n' * 1 + (b'{"a": 1}\n' * 5))
    with small(chunk=100, block=8, chunk_bytes=20):
        ranges, _ = chunked(path)
    assert ranges[0].lines == 1  # 41 bytes: past 20 at its first line end
    assert sum(r.lines for r in ranges) == 6


def test_a_line_over_the_limit_is_refused_without_reading_the_rest(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": 1}\n' + b"x" * 5000 + b"\n" + b'{"a": 2}\n')
    with small(chunk=100, block=16, chunk_bytes=1000, limit=10):
        ranges = list(scenario_chunks(str(path)))
        with pytest.raises(FactProblem) as refused:
            [part.rows() for part in ranges]
        with pytest.raises(FactProblem) as read:
            list(read_rows(str(path)))
    assert str(refused.value) == str(read.value) and "line 2 is longer than 10 characters" in str(read.value)
    assert refused.value.span == read.value.span
    # The cutting stopped within the long line: no range runs on through the file.
    assert ranges[-1].end - ranges[-1].start <= 1000 + 44 + 16


def test_an_undecodable_byte_is_one_message(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": "\xff"}\n')
    with pytest.raises(UsageProblem, match="cannot read scenario file .*s.jsonl: 'utf-8' codec can't decode"):
        [part.rows() for part in scenario_chunks(str(path))]


def test_a_file_that_is_not_there_when_its_range_is_read(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"a": 1}\n')
    [part] = scenario_chunks(str(path))
    path.unlink()
    with pytest.raises(UsageProblem, match="cannot read scenario file .*No such file"):
        part.rows()
