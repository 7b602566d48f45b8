"""Arrow's reading and column-wise typing equal the reference reader and typer, or step aside.

Every CSV fixture of the repository and generated CSVs (quotes, line breaks of every kind inside
values, blank lines, `;;;` rows, BOM, odd timestamps, junk) are read both ways: `read_cell_batches`
either raises ColumnarUnfit or gives the rows and cells the reference reader gives, at the same
lines; every row `type_columns` calls exact has the values `RowParser.ticket` gives it.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.errors import InputError
from svcaudit.intake import arrow_csv
from svcaudit.intake.arrow_csv import _CONTENT, BATCH_ROWS, BatchShape, lined_batch, read_cell_batches
from svcaudit.intake.column_typer import MISSING, type_columns
from svcaudit.intake.fields import FieldError
from svcaudit.intake.model import RowRef
from svcaudit.intake.readers import ColumnarUnfit, ExportFile, RecordError, _has_content
from tests.intake.helpers import make_intake

ROOT = Path(__file__).resolve().parents[2]
CSV_FIXTURES = sorted(
    p for folder in ("tests", "samples") for p in (ROOT / folder).rglob("*") if p.suffix in (".csv", ".tsv", ".gz")
)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def arrow_rows(export: ExportFile) -> list[tuple[int, list[str]]]:
    rows = []
    for batch in read_cell_batches(export, BatchShape(BATCH_ROWS, 256)):  # small blocks: many batch edges
        columns = [cell.to_pylist() for cell in batch.cells]
        rows.extend((int(row), [column[i] for column in columns]) for i, row in enumerate(batch.rows))
    return rows


def assert_same(path: Path) -> None:
    """Arrow's reading of the file equals the reference's (or steps aside), and so does the typing."""
    try:
        reference = list(ExportFile(path).records(cells=True))
    except InputError:
        return
    try:
        got = arrow_rows(ExportFile(path))
    except ColumnarUnfit:
        return
    assert not any(isinstance(item, RecordError) for item in reference)
    assert got == [(row, cells) for row, cells in reference]
    try:
        intake = make_intake(path)
    except InputError:
        return
    typed_rows = 0
    for rows in intake.row_batches(0):
        batch, names = rows.cells, rows.names
        typed = type_columns(batch, names, intake.parser)
        columns = [cell.to_pylist() for cell in batch.cells]
        for i, row in enumerate(batch.rows):
            if not typed.exact[i]:
                continue
            typed_rows += 1
            ref = RowRef(intake.inputs[0].path, int(row))
            try:
                ticket = intake.parser.ticket(ref, dict(zip(names, [c[i] for c in columns], strict=False)))
            except FieldError as exc:
                raise AssertionError(f"row {row} is exact, the reference rejects it: {exc}") from None
            assert not ticket.rejected_fields
            for name in ("created_at", "first_reply_at", "resolved_at"):
                expected = getattr(ticket, name)
                expected = MISSING if expected is None else (expected - EPOCH) // _MICRO
                assert typed.stamps[name][i] == expected, (row, name)
            for name, (codes, values) in typed.coded.items():
                assert values[codes[i]] == getattr(ticket, name), (row, name)
            for name, numbers in typed.numbers.items():
                expected = getattr(ticket, name)
                assert (math.isnan(numbers[i]) and expected is None) or numbers[i] == expected, (row, name)
            assert typed.present == ticket.columns
    assert intake.inputs[0].rows_read == len(got)


_MICRO = datetime(2000, 1, 1, 0, 0, 0, 1) - datetime(2000, 1, 1)


@pytest.mark.parametrize("path", CSV_FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture(path: Path) -> None:
    assert_same(path)


def test_content_class_is_pythons_whitespace() -> None:
    """The regex that finds a non-blank cell matches every character but those str.strip() strips."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    found = pc.match_substring_regex(pa.array(chars), _CONTENT).to_pylist()
    assert [c for c, hit in zip(chars, found, strict=True) if not hit] == [c for c in chars if c.isspace()]


CELL = st.lists(
    st.sampled_from(
        ["", "a", "é", " ", "\t", "\n", "\r", "\r\n", "\x00", "\x01", "\x1c", "!", "\x7f", "\x85", "\xa0", "\u3000"]
    ),
    max_size=3,
).map("".join)
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
    skipped=st.integers(0, 2),
)
def test_lined_rows_are_the_reference_readers(rows: list[list[str]], skipped: int) -> None:
    """Each row at its first line (a line break in a value, universal newlines, moves the next
    row down) and blank rows dropped, as `readers._has_content` drops them; the arrays may start
    at an offset into their buffers."""
    import pyarrow as pa

    padded = [["x"] * 3] * skipped + rows
    columns = [pa.array([row[i] for row in padded], pa.string()).slice(skipped) for i in range(3)]
    batch, next_line = lined_batch("t.csv", columns, 2)
    lines, line = [], 2
    for row in rows:
        lines.append(line)
        line += 1 + sum(len(LINE_BREAK.findall(cell)) for cell in row)
    kept = [(at, row) for at, row in zip(lines, rows, strict=True) if _has_content(row)]
    assert next_line == line
    cells = [] if batch is None else list(zip(*(c.to_pylist() for c in batch.cells), strict=True))
    got = [] if batch is None else list(zip(batch.rows.tolist(), cells, strict=True))
    assert got == [(at, tuple(row)) for at, row in kept]


def test_bench_shaped_rows_are_exact(tmp_path: Path) -> None:
    """A clean export in the benchmark's shape is typed column-wise throughout."""
    source = (ROOT / "samples" / "tickets.csv").read_text(encoding="utf-8")
    path = tmp_path / "tickets.csv"
    path.write_text(source, encoding="utf-8")
    intake = make_intake(path)
    exact = np.concatenate([type_columns(b.cells, b.names, intake.parser).exact for b in intake.row_batches(0)])
    assert exact.mean() > 0.9
    assert_same(path)


def test_a_csv_arrow_refuses_at_once_is_read_by_the_reference_reader_into_batches(tmp_path: Path) -> None:
    """A ragged row in Arrow's first block: the reference reader reads the file, once, into the
    same batches (the ragged row rejected by it)."""
    path = tmp_path / "t.csv"
    path.write_text("ticket_id,created_at\n" + "T1,2026-01-01T00:00:00Z\n" * 50 + "T2,x,extra\n", encoding="utf-8")
    with pytest.raises(ColumnarUnfit):
        list(read_cell_batches(ExportFile(path)))
    intake = make_intake(path)
    batches = list(intake.row_batches(0))
    assert [len(batch.cells) for batch in batches] == [50]
    assert batches[0].cells.rows.tolist() == list(range(2, 52))
    assert intake.inputs[0].rows_read == 51
    assert [(r.row, r.field) for r in intake.rejected] == [(52, None)]


def test_a_ragged_row_after_batches_went_out_is_read_on_by_the_csv_module(tmp_path: Path) -> None:
    """A ragged row after Arrow handed batches out: the csv module reads on from the first row
    Arrow did not give (the rows before it are the same), so every row is read and counted once
    and the ragged one rejected where it stands."""
    path = tmp_path / "t.csv"
    rows = "".join(f"T{n},2026-01-01T00:00:00Z\n" for n in range(60_000))  # past a batch and an Arrow block
    path.write_text("ticket_id,created_at\n" + rows + "T2,x,extra\nT3,2026-01-02T00:00:00Z\n", encoding="utf-8")
    intake = make_intake(path)
    batches = list(intake.row_batches(0))
    ids = [ticket_id for batch in batches for ticket_id in batch.cells.cells[0].to_pylist()]
    lines = [line for batch in batches for line in batch.cells.rows.tolist()]
    assert ids == [f"T{n}" for n in range(60_000)] + ["T3"]
    assert lines == [*range(2, 60_002), 60_003]
    assert intake.inputs[0].rows_read == 60_002
    assert [(r.row, r.field) for r in intake.rejected] == [(60_002, None)]


def test_rows_arrow_gave_that_cannot_stand_are_uncounted(tmp_path: Path, monkeypatch) -> None:
    """When the rows Arrow gave cannot stand (its line count did not add up), they are uncounted
    and the caller is told to read the input again (the run is made again on the reference path)."""
    path = tmp_path / "t.csv"
    path.write_text("ticket_id,created_at\n" + "T1,2026-01-01T00:00:00Z\n" * 10, encoding="utf-8")
    real = arrow_csv.read_cell_batches

    def miscounted(export, shape):
        yield from real(export, shape)
        raise ColumnarUnfit("rows cover 9 lines after the header, the file has 10", rows_trusted=False)

    monkeypatch.setattr(arrow_csv, "read_cell_batches", miscounted)
    intake = make_intake(path)
    with pytest.raises(ColumnarUnfit):
        list(intake.row_batches(0))
    assert intake.inputs[0].rows_read == 0


STAMPS = st.one_of(
    st.sampled_from(["", " ", "?", "-", "n/a", "x", "2026-13-01", "2026-02-30T10:00:00", "1989-12-31T00:00:00Z"]),
    st.builds(
        "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}{}{}".format,
        st.sampled_from([2025, 2026, 2100, 2101]),
        st.integers(1, 12),
        st.integers(1, 31),
        st.sampled_from(["T", " ", "t"]),
        st.integers(0, 24),
        st.integers(0, 59),
        st.sampled_from(["", ":00", ":59", ":30.5", ":01.123456", ":02.1234567"]),
        st.sampled_from(["", "Z", "+03:00", "-05:30", "+0300", "+24:00", "z"]),
    ),
    # naive local times around Berlin's 2026 transitions (gap 03-29 02:00-03:00, fold 10-25 02:00-03:00)
    st.builds(
        "2026-{}T{:02d}:{:02d}:00".format,
        st.sampled_from(["03-29", "10-25", "03-28", "10-26"]),
        st.integers(0, 4),
        st.sampled_from([0, 30, 59]),
    ),
    st.builds("{:02d}/{:02d}/2026 10:00".format, st.integers(1, 13), st.integers(1, 13)),
    st.builds("{:02d}.{:02d}.2026 9:05".format, st.integers(1, 31), st.integers(1, 12)),
    st.sampled_from(["1767225600", "2026-01-05", " 2026-01-05T10:00:00Z ", "\xa02026-01-05T10:00:00"]),
)
TEXT = st.lists(st.sampled_from(list('ab ,;\t"\n\r\x85\xa0é') + ["\r\n"]), max_size=8).map("".join)
ROW = st.fixed_dictionaries(
    {
        "ticket_id": st.sampled_from(["T1", "T2", "", " T3 ", "?", "T-4"]),
        "created_at": STAMPS,
        "first_reply_at": STAMPS,
        "resolved_at": STAMPS,
        "status": st.sampled_from(["Open", "solved", " Closed ", "", "?", "NULL", "weird"]),
        "priority": st.sampled_from(["High", "", "-"]),
        "agent": st.sampled_from(["Ann", "", "n/a", " Bob "]),
        "reopens": st.sampled_from(["", "0", "2", "-1", "1.5", "3.0", "x", "99999999999999999999"]),
        "csat": st.sampled_from(["", "5", "4,5", "0", "x", " 3 "]),
        "note": TEXT,
    }
)


@st.composite
def exports(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(ROW, max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    names = list(ROW_NAMES)
    writer.writerow(names)
    for row in rows:
        extra = draw(st.sampled_from(["", "", "", "blank", "delims", "junk"]))
        if extra == "blank":
            out.write(ending)
        elif extra == "delims":
            out.write(delimiter * (len(names) - 1) + ending)
        elif extra == "junk":
            out.write(draw(st.sampled_from(['T9,"ab"c' + ending, 'T9,a"b' + ending, "  " + ending])))
        writer.writerow([row[name] for name in names])
    text = out.getvalue()
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + text).encode("utf-8")


ROW_NAMES = (
    "ticket_id",
    "created_at",
    "first_reply_at",
    "resolved_at",
    "status",
    "priority",
    "agent",
    "reopens",
    "csat",
    "note",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=exports())
def test_generated(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "gen.csv"
    path.write_bytes(data)
    assert_same(path)


def test_a_quoted_crlf_cut_at_a_block_edge_steps_aside(tmp_path: Path) -> None:
    """Arrow cut a quoted \\r\\n at a block's end and kept only the \\r (found by test_generated):
    a value ending in \\r sends the input to the reference reader, which keeps the \\r\\n."""
    path = tmp_path / "crlf.csv"
    path.write_bytes(b'ticket_id,note\nT1,"aaa\r\n"\nT2,"b\r\nc"\n')
    assert [cells for _, cells in ExportFile(path).records(cells=True)] == [["T1", "aaa\r\n"], ["T2", "b\r\nc"]]
    for block in (8, 16, 17, 18, 19, 20, 1 << 20):
        try:
            rows = [
                cells
                for batch in read_cell_batches(ExportFile(path), BatchShape(BATCH_ROWS, block))
                for cells in zip(*(c.to_pylist() for c in batch.cells), strict=True)
            ]
        except ColumnarUnfit:
            continue
        assert rows == [("T1", "aaa\r\n"), ("T2", "b\r\nc")], block
    assert_same(path)


def test_a_truncated_gzip_steps_aside_for_the_reference_reader(tmp_path: Path) -> None:
    """Found by the fuzz suite: the reference reader names where a cut gzip stream ends; Arrow's
    path must step aside for it rather than fail with EOFError."""
    import gzip

    path = tmp_path / "export.csv"
    whole = gzip.compress(b"ticket_id,created_at\n" + b"T1,2026-11-02T10:00:00Z\n" * 200)
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ColumnarUnfit):
        list(read_cell_batches(ExportFile(path)))


def test_a_file_name_that_is_not_utf8_is_read_by_arrow(tmp_path: Path) -> None:
    """A name of bytes that are not UTF-8 (as the file system gives it: a lone surrogate) has no
    text Arrow could encode; it is opened by its bytes."""
    path = tmp_path / os.fsdecode(b"tickets-\xff.csv")
    path.write_text("ticket_id,created_at\nT1,2026-01-01T00:00:00Z\nT2,2026-01-02T00:00:00Z\n", encoding="utf-8")
    (batch,) = read_cell_batches(ExportFile(path))
    assert batch.rows.tolist() == [2, 3]
    assert batch.cells[0].to_pylist() == ["T1", "T2"]


@pytest.mark.parametrize("ragged_at", [None, 3, 9_000], ids=["clean", "first-block", "past-batches"])
def test_ticket_ids_read_by_arrow_are_those_the_csv_module_reads(tmp_path: Path, ragged_at) -> None:
    """The join's pre-pass reads ids with Arrow; from a row Arrow cannot read on, the csv module
    reads them, so the ids are the readable rows' ids either way (a ragged row's id is none)."""
    lines = [f" T{n} ,2026-01-01T00:00:00Z,{'x' * (n % 50)}" for n in range(12_000)]
    lines[7] = ",,"  # a row without content: no row at all
    if ragged_at is not None:
        lines[ragged_at] = f"R{ragged_at},2026-01-01T00:00:00Z,extra,cells"
    path = tmp_path / "t.csv"
    path.write_text("ticket_id,created_at,note\n" + "\n".join(lines) + "\n", encoding="utf-8")
    ids = {}
    for columnar in (True, False):
        intake = make_intake(path, columnar=columnar)
        item = intake._accounts.inputs[0]
        ids[columnar] = list(intake._reader.ids(item))
        assert item.stats.rows_read == 0  # a pre-pass counts no row
    assert ids[True] == ids[False]
    expected = [f"T{n}" for n in range(12_000) if n not in (7, ragged_at)]
    assert ids[True] == expected


# -- reading ahead on a thread -------------------------------------------------------------------


def _reading_threads() -> list:
    import threading

    return [thread for thread in threading.enumerate() if thread.name == "svcaudit-read-ahead"]


def test_batches_read_ahead_come_in_order_and_the_thread_ends() -> None:
    batches = [[np.array([n])] for n in range(50)]
    got = list(arrow_csv._read_ahead(iter(batches)))
    assert got == batches
    assert _reading_threads() == []


def test_an_error_of_the_reading_comes_out_after_the_batches_before_it() -> None:
    def reading():
        yield "first"
        yield "second"
        raise ColumnarUnfit("a ragged row")

    got = []
    with pytest.raises(ColumnarUnfit, match="a ragged row"):
        for batch in arrow_csv._read_ahead(reading()):
            got.append(batch)
    assert got == ["first", "second"]
    assert _reading_threads() == []


def test_a_consumer_that_stops_early_stops_the_reading() -> None:
    read = []

    def reading():
        for n in range(1_000):
            read.append(n)
            yield n

    ahead = arrow_csv._read_ahead(reading())
    assert next(ahead) == 0
    ahead.close()
    assert _reading_threads() == []
    assert len(read) <= 2 + arrow_csv.READ_AHEAD  # the one handed out, those queued, the one being handed


def test_a_file_read_ahead_gives_every_row_once(tmp_path: Path) -> None:
    """Many batches through the thread: the rows and lines of the csv module, and no thread left."""
    path = tmp_path / "t.csv"
    path.write_text("ticket_id,created_at\n" + "".join(f"T{n},2026-01-01T00:00:00Z\n" for n in range(5_000)))
    batches = list(read_cell_batches(ExportFile(path), BatchShape(100, 1 << 10)))
    assert len(batches) > 10
    assert [row for batch in batches for row in batch.rows.tolist()] == list(range(2, 5_002))
    assert [cell for batch in batches for cell in batch.cells[0].to_pylist()] == [f"T{n}" for n in range(5_000)]
    assert _reading_threads() == []


# -- the pre-scan begun ahead ------------------------------------------------------------------------


def test_a_scan_begun_ahead_is_the_one_reading_takes_and_shares(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "t.csv"
    path.write_text("ticket_id,created_at\n" + "".join(f"T{n},2026-01-01T00:00:00Z\n" for n in range(500)))
    scans = []
    real = arrow_csv._prescan
    monkeypatch.setattr(arrow_csv, "_prescan", lambda *args: scans.append(args[1]) or real(*args))
    export = ExportFile(path)
    arrow_csv.scan_ahead(export)
    first = [row for batch in read_cell_batches(export) for row in batch.rows.tolist()]
    again = [row for batch in read_cell_batches(export, BatchShape(100, 1 << 10)) for row in batch.rows.tolist()]
    assert first == again == list(range(2, 502))
    assert len(scans) == 1  # begun ahead, taken by both readings


def test_what_a_scan_begun_ahead_refuses_is_refused_when_reading(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"ticket_id,created_at\nT1,2026-01-01T00:00:00Z\nT2,a\x00b\n")
    export = ExportFile(path)
    arrow_csv.scan_ahead(export)
    with pytest.raises(ColumnarUnfit, match="NUL"):
        list(read_cell_batches(export))
    intake = make_intake(path)  # the reference reader reads it, as without the scan ahead
    assert sum(len(batch.cells) for batch in intake.row_batches(0)) + len(intake.rejected) == 2


@pytest.mark.parametrize("content", [b"", b"ticket_id,created_at\n", b"\xff\xfe\x00", b'{"a": 1}\n'])
def test_nothing_is_begun_ahead_where_reading_stops_first(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    try:
        export = ExportFile(path)
    except InputError:
        return
    arrow_csv.scan_ahead(export)
    assert not arrow_csv._SCANS.get(export)
