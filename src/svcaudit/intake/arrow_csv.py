"""Ticket-row CSV read by Apache Arrow: batches of string columns, each row at its physical line.

The columnar audit reads a plain CSV ticket-row export (`Intake.row_batches`) in ~1 MB blocks
with `pyarrow.csv.open_csv` instead of row by row with the csv module. A batch holds exactly the
rows and cell texts `ExportFile.records(cells=True)` gives: the same dialect, encoding, header and
`sep=` lines skipped, rows without content dropped, and each row's `RowRef.row` (its first physical
line) computed from the line breaks its values hold. What Arrow would read differently (a quote
closed mid-field, a quote inside an unquoted field, a ragged row, a NUL byte, bytes the encoding
does not decode, a multi-byte legacy encoding) raises `ColumnarUnfit`; the caller then reads that
input with the reference reader, which reads or rejects every row as always.

A pre-scan of the raw bytes (numpy, one pass, begun on a thread of its own when the intake is
made: `scan_ahead`) settles the quoting, NUL and encoding questions before the first batch is
handed out; only a ragged row or undecodable bytes (found by Arrow's parser: the rows handed out
before are the reference reader's first rows, and it reads on from there, `RowReader.row_batches`)
and the closing line-count check (after which nothing Arrow read can stand:
`ColumnarUnfit.rows_trusted`) can raise after batches went out.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import queue
import re
import threading
import weakref
import zlib
from collections.abc import Generator, Iterator
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from svcaudit.intake.readers import ColumnarUnfit, ExportFile

T = TypeVar("T")


@dataclass(frozen=True)
class BatchShape:
    """How an input is read: Arrow's parse unit (`block_bytes`; its streaming reader reads blocks
    ahead, so its memory grows with the block) and the rows handed on together (`rows`; Arrow's
    blocks are joined into batches of about this many)."""

    rows: int
    block_bytes: int


# Ticket rows: the column-wise typing and judging pay a fixed cost a batch, so Arrow's blocks are
# joined into large batches. The next batch is parsed while one is audited (`_read_ahead`), and
# Arrow's streaming reader reads blocks ahead of that, so memory grows with the block: 256 KB
# blocks keep a million-row export's peak flat.
TICKET_BATCHES = BatchShape(rows=16_384, block_bytes=1 << 18)
# Rows made into objects the message join holds until it hands them on (messages, and ticket rows
# joined to them): smaller batches, and smaller blocks, as message texts make Arrow's read-ahead
# the larger part of memory.
JOINED_BATCHES = BatchShape(rows=1_024, block_bytes=1 << 16)
BATCH_ROWS = TICKET_BATCHES.rows
SCAN_BYTES = 1 << 20  # what the header search reads at a time
# What the pre-scan reads at a time: its thread's allocator keeps the arrays of a chunk's checks.
PRESCAN_BYTES = 1 << 18
QUOTE = ord('"')
LF, CR = ord("\n"), ord("\r")
FIRST_PRINTABLE, FIRST_NON_ASCII = ord("!"), 0x80  # bytes from `!` to DEL are characters, never blank
UTF8_NAMES = frozenset({"utf-8", "utf-8-sig"})
_LINE_END = re.compile(rb"\r\n|\r|\n")
# Python's str.strip() / isspace() set, as an RE2 class body: a cell holding only these is blank
# (`readers._has_content`).
SPACE_CHARS = (
    "\\t\\n\\x{0b}\\x{0c}\\r\\x{1c}-\\x{1f} \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"
)
_CONTENT = f"[^{SPACE_CHARS}]"


@dataclass
class CellBatch:
    """Rows of one input: their first physical lines and their cells, one string array per column
    in the order of the names they come with (a CSV's `inputs.cell_names`: the csv module's text
    of each cell, "" for an empty one; a JSON input's keys: `row_batches`)."""

    path: str
    rows: np.ndarray  # int64, one per row
    cells: list[pa.StringArray]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class _Scan:
    """What the pre-scan learnt of the data after the header."""

    lines: int  # physical lines, as the csv module counts them (universal newlines)


def read_cell_batches(export: ExportFile, shape: BatchShape = TICKET_BATCHES) -> Iterator[CellBatch]:
    """The rows of a CSV export after its header, in batches; ColumnarUnfit where Arrow's reading
    could differ from `ExportFile.records` (raised before the first batch, except for a ragged row
    or a failed line-count check)."""
    if export.format != "csv":
        raise ColumnarUnfit(f"{export.format} is not CSV")
    try:
        start = _data_start(export)
        if start is None:
            return  # no header, or nothing after it
        dialect, header_line, of = start
        width = len(export.columns)
        encoding = of.encoding
        scan = _scanned(export, of)
    except (EOFError, OSError, zlib.error):
        # A truncated or corrupt gzip stream: the reference reader says where it breaks.
        raise ColumnarUnfit("the file cannot be read to its end") from None
    if scan.lines == 0:
        return
    names = [f"c{i}" for i in range(width)]
    read_options = pacsv.ReadOptions(
        column_names=names,
        block_size=shape.block_bytes,
        encoding="utf8" if encoding in UTF8_NAMES else encoding,
    )
    parse_options = pacsv.ParseOptions(
        delimiter=dialect.delimiter,
        quote_char='"',
        double_quote=True,
        escape_char=False,
        newlines_in_values=True,
        ignore_empty_lines=False,  # a blank line is a row of blanks: dropped below, its line counted
    )
    convert_options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    stream = _open_at(export, of.offset, of.compressed)
    next_line = header_line + 1
    try:
        reader = pacsv.open_csv(
            stream, read_options=read_options, parse_options=parse_options, convert_options=convert_options
        )
        lined = _lined_batches(export.display, _joined_blocks(reader, width, shape.rows), next_line)
        # Closed before the stream is: the reading thread is stopped first.
        with closing(_read_ahead(lined)) as batches:
            for cells, line_after in batches:
                next_line = line_after
                if cells is not None:
                    yield cells
    except pa.ArrowInvalid as exc:
        raise ColumnarUnfit(f"Arrow could not read it as the csv module does: {exc}") from None
    except (EOFError, OSError) as exc:
        raise ColumnarUnfit(f"the file cannot be read to its end: {exc}") from None
    finally:
        stream.close()
    if next_line - header_line - 1 != scan.lines:
        raise ColumnarUnfit(
            f"rows cover {next_line - header_line - 1} lines after the header, the file has {scan.lines}",
            rows_trusted=False,
        )


READ_AHEAD = 1  # joined batches Arrow's reading runs ahead of the audit, on a thread of its own
_END = object()


def _read_ahead(batches: Iterator[T]) -> Generator[T, None, None]:
    """`batches`, produced on a thread of their own up to READ_AHEAD ahead of the consumer:
    Arrow parses a block and numpy scans its bytes for line breaks without the GIL, so the next
    batch is read while this one is audited.
    An exception of the reading comes out where its batch would have; the thread is stopped and
    joined when the consumer stops early."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=READ_AHEAD)
    stop = threading.Event()

    def hand(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not hand(batch):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            hand(_Failed(exc))
            return
        hand(_END)

    reading = threading.Thread(target=produce, name="svcaudit-read-ahead", daemon=True)
    reading.start()
    try:
        while True:
            item = ready.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        reading.join()


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def _joined_blocks(reader: pacsv.CSVStreamingReader, width: int, batch_rows: int) -> Iterator[list[pa.Array]]:
    """Arrow's blocks joined into batches of about `batch_rows` rows, as one string array a column:
    the rows are lined and handed on a joined batch at a time, so that the fixed costs of a call
    are paid per batch, not per block."""
    held: list[pa.RecordBatch] = []
    rows = 0
    while True:
        try:
            block = reader.read_next_batch()
        except StopIteration:
            break
        if block.num_rows:
            held.append(block)
            rows += block.num_rows
        if rows >= batch_rows:
            yield _joined(held, width)
            held, rows = [], 0
    if held:
        yield _joined(held, width)


def _joined(blocks: list[pa.RecordBatch], width: int) -> list[pa.Array]:
    """The columns of consecutive blocks of one input, each as one string array."""
    if len(blocks) == 1:
        return [blocks[0].column(i) for i in range(width)]
    return [pa.concat_arrays([block.column(i) for block in blocks]) for i in range(width)]


def _lined_batches(
    path: str, batches: Iterator[list[pa.Array]], first_line: int
) -> Iterator[tuple[CellBatch | None, int]]:
    """`lined_batch` of each batch in turn, each with the line after its last row."""
    next_line = first_line
    for columns in batches:
        cells, next_line = lined_batch(path, columns, next_line)
        yield cells, next_line


def lined_batch(path: str, columns: list[pa.Array], first_line: int) -> tuple[CellBatch | None, int]:
    """Rows read from physical line `first_line` on, as the core takes them: each row at its first
    line (a row covers one line plus the line breaks its values hold), rows without content
    dropped (None when no row has any); and the line after the last row. `columns` are string
    arrays (32-bit offsets) of at least one row, "" for an empty cell."""
    spans = _spans(columns)
    starts = first_line + np.concatenate(([0], np.cumsum(spans[:-1])))
    next_line = int(starts[-1] + spans[-1])
    keep = _has_content(columns)
    if keep is None:
        return CellBatch(path, starts, columns), next_line
    if not keep.any():
        return None, next_line
    mask = pa.array(keep)
    return CellBatch(path, starts[keep], [column.filter(mask) for column in columns]), next_line


@lru_cache(maxsize=32)
def _single_byte(encoding: str) -> bool:
    """Whether every byte is one character and bytes below 0x80 are ASCII: then the quotes, line
    breaks and delimiters of the raw bytes are those of the text."""
    try:
        text = bytes(range(256)).decode(encoding, errors="replace")
    except LookupError:
        return False
    return len(text) == 256 and text[:128] == bytes(range(128)).decode("ascii")


@dataclass(frozen=True)
class _ScanOf:
    """What a pre-scan of an export's data reads it with."""

    offset: int
    delimiter: int
    encoding: str
    compressed: bool


# Each export's pre-scans, begun or done, by what they read it with: an input read twice (the ids
# of a message join, then its rows) is scanned once, and a scan begun ahead is taken when reading.
_SCANS: weakref.WeakKeyDictionary[ExportFile, dict[_ScanOf, Future[_Scan]]] = weakref.WeakKeyDictionary()


def scan_ahead(export: ExportFile) -> None:
    """Begin the byte pre-scan of a CSV export on a thread of its own, for `read_cell_batches` to
    take: it reads the file while the intake decides the date orders, both mostly outside the GIL
    (numpy, RE2 and file reads). Nothing is begun where reading would refuse the export before
    the scan, or could not find where its data starts; reading then says why, as always."""
    if export.format != "csv":
        return
    try:
        start = _data_start(export)
    except Exception:  # noqa: BLE001 - reading the export raises it again, where it is accounted
        return
    if start is None:
        return
    of = start[2]
    future: Future[_Scan] = Future()
    _SCANS.setdefault(export, {})[of] = future
    threading.Thread(target=_scan_into, args=(future, export, of), name="svcaudit-prescan", daemon=True).start()


def _data_start(export: ExportFile) -> tuple[type[csv.Dialect], int, _ScanOf] | None:
    """Where a CSV export's data starts: its dialect, the header's last line, and what its
    pre-scan reads it with; None when there is no data after a header. ColumnarUnfit for an
    encoding Arrow cannot read byte for byte; EOFError, OSError or zlib.error where the file
    cannot be read."""
    if export.empty:
        return None
    encoding = codecs.lookup(export.encoding).name
    if encoding not in UTF8_NAMES and not _single_byte(encoding):
        raise ColumnarUnfit(f"encoding {export.encoding} is not ASCII-compatible byte by byte")
    layout = export.csv_layout()
    if layout is None:
        return None
    dialect, header_line = layout
    compressed = export.compressed
    offset = _data_offset(export, header_line, compressed)
    if offset is None:
        return None
    return dialect, header_line, _ScanOf(offset, ord(dialect.delimiter), encoding, compressed)


def _scanned(export: ExportFile, of: _ScanOf) -> _Scan:
    """The pre-scan of `export` read with `of`: one begun ahead or done before, else made now."""
    scans = _SCANS.setdefault(export, {})
    future = scans.get(of)
    if future is None:
        future = scans[of] = Future()
        _scan_into(future, export, of)
    return future.result()


def _scan_into(future: Future[_Scan], export: ExportFile, of: _ScanOf) -> None:
    try:
        future.set_result(_prescan(export, of.offset, of.delimiter, of.encoding, of.compressed, PRESCAN_BYTES))
    except BaseException as exc:  # raised again by whoever takes the result
        future.set_exception(exc)


def _open_binary(export: ExportFile, compressed: bool) -> io.BufferedIOBase:
    import gzip

    if compressed:
        return gzip.GzipFile(export.path, "rb")
    return open(export.path, "rb")  # noqa: SIM115 - closed by the caller


def _data_offset(export: ExportFile, header_line: int, compressed: bool) -> int | None:
    """The byte offset (in the decompressed stream) of the line after the header's last line,
    counting line breaks as universal newlines do; None when nothing follows it."""
    with _open_binary(export, compressed) as stream:
        head = b""
        while True:
            more = stream.read(SCAN_BYTES)
            head += more
            ends = [match.end() for match in _LINE_END.finditer(head)]
            # A line break at the very end of what was read may be the \r of a \r\n: read on.
            if len(ends) >= header_line and (not more or ends[header_line - 1] < len(head)):
                end = ends[header_line - 1]
                return end if end < len(head) else None
            if not more:
                return None


def _open_at(export: ExportFile, offset: int, compressed: bool) -> pa.NativeFile:
    """Arrow's stream of the file from `offset` on (decompressed). The path goes as the file
    system's bytes: a name that is not valid UTF-8 has no text Arrow could encode."""
    path = os.fsencode(export.path)
    if compressed:
        stream = pa.CompressedInputStream(pa.OSFile(path), "gzip")
        stream.read(offset)
        return stream
    stream = pa.OSFile(path)
    stream.seek(offset)
    return stream


def _prescan(
    export: ExportFile, offset: int, delimiter: int, encoding: str, compressed: bool, block_size: int
) -> _Scan:
    """One pass over the data's bytes: NUL, strict decoding, quoting as both readers read it alike,
    and the physical line count.

    Quotes are paired by their parity in the file: an opening quote (even count before it) must
    start a field (after a delimiter, a line break, or the closing quote of an escaped pair), a
    closing one must end it (before a delimiter, a line break, the end, or a quote: the escaped
    pair). Then the csv module and Arrow split every row alike; a quote elsewhere (`ab"c`, which
    the csv module reads literally, or `"ab"c`, which it rejects and Arrow reads as `abc`) is
    left to the reference reader.
    """
    # Arrow checks UTF-8 itself (a bad byte ends the read with ColumnarUnfit); a legacy encoding
    # is decoded here strictly, as Arrow's transcoding would not report what it cannot decode.
    decoder = None if encoding in UTF8_NAMES else codecs.getincrementaldecoder(encoding)("strict")
    bounds = _field_bounds(delimiter)
    quotes = 0
    previous = LF  # the data starts a line
    pending_close = False  # the chunk ended on a closing quote: the next byte must end the field
    pending_cr = False
    lines = 0
    last = None
    # One buffer read into again and again: a scan on a thread of its own (`scan_ahead`) would
    # otherwise leave its allocator's arena holding chunks after it ends.
    buffer = bytearray(block_size)
    with _open_binary(export, compressed) as stream:
        stream.seek(offset)
        while size := stream.readinto(buffer):
            data = np.frombuffer(buffer, dtype=np.uint8, count=size)
            if pending_close and not bounds[data[0]]:
                raise ColumnarUnfit("a quoted field is closed before its end")
            if pending_cr and data[0] == LF:
                lines -= 1  # the \r counted last chunk and this \n are one line break
            if buffer.find(b"\x00", 0, size) >= 0:
                raise ColumnarUnfit("a NUL byte")
            if decoder is not None and not buffer[:size].isascii():
                try:
                    decoder.decode(memoryview(buffer)[:size])
                except UnicodeDecodeError:
                    raise ColumnarUnfit(f"bytes that are not valid {encoding}") from None
            at = np.flatnonzero(data == QUOTE)
            _check_quotes(data, at, quotes % 2, previous, bounds)
            pending_close = bool(at.size) and (quotes + at.size) % 2 == 0 and at[-1] == data.size - 1
            quotes += at.size
            lines += int(np.count_nonzero(data == LF))
            if buffer.find(b"\r", 0, size) >= 0:
                returns = np.flatnonzero(data == CR)
                lines += returns.size - buffer.count(b"\r\n", 0, size)
                # Arrow can lose the \n of a quoted \r\n that its block edge cuts: values holding
                # a carriage return are left to the reference reader.
                quotes_before = np.searchsorted(at, returns) + (quotes - at.size)
                if (quotes_before % 2).any():
                    raise ColumnarUnfit("a quoted value holds a carriage return")
            pending_cr = data[-1] == CR
            previous = int(data[-1])
            last = previous
    if quotes % 2:
        raise ColumnarUnfit("a quote is never closed")
    if last is not None and last not in (LF, CR):
        lines += 1  # the last line has no line break
    return _Scan(lines)


def _field_bounds(delimiter: int) -> np.ndarray:
    """A table of the 256 byte values: True for those that may stand next to a field's quotes
    (before an opening one, after a closing one): a delimiter, a line break, or a quote."""
    bounds = np.zeros(256, dtype=bool)
    bounds[[delimiter, LF, CR, QUOTE]] = True
    return bounds


def _check_quotes(data: np.ndarray, at: np.ndarray, parity: int, previous: int, bounds: np.ndarray) -> None:
    """ColumnarUnfit unless every quote of a chunk opens or closes a field (`_prescan`): `at` are
    the quotes' positions, `parity` the count of quotes before the chunk modulo 2 (a quote opens
    when the count before it is even), `previous` the byte before the chunk. A closing quote at
    the chunk's end is settled with the next chunk."""
    opening = at[parity::2]
    if opening.size:
        before = data[opening - 1]
        if opening[0] == 0:
            before[0] = previous
        if not bounds[before].all():
            raise ColumnarUnfit("a quote inside an unquoted field")
    closing = at[1 - parity :: 2]
    if closing.size and closing[-1] == data.size - 1:
        closing = closing[:-1]
    if not bounds[data[closing + 1]].all():
        raise ColumnarUnfit("a quoted field is closed before its end")


def _spans(columns: list[pa.Array]) -> np.ndarray:
    """Physical lines each row covers: one, plus the line breaks its values hold (\\r\\n, lone \\r
    and \\n each one, as universal newlines count them).

    Line breaks are looked for among a value's control bytes (those up to \\r): one pass over a
    column's bytes finds them, and a column without any (most columns) is done with."""
    size = len(columns[0])
    spans = np.ones(size, dtype=np.int64)
    for column in columns:
        data, offsets = _value_bytes(column)
        controls = np.flatnonzero(data <= CR)
        if not controls.size:
            continue
        kinds = data[controls]
        breaks = controls[kinds == LF]
        returns = controls[kinds == CR]
        if returns.size:
            # A \r followed by \n in the same value is one break with it; one at a value's end
            # is a break of its own (the next value's bytes follow it in the buffer).
            value_ends = offsets[np.searchsorted(offsets, returns, side="right")]
            following = returns + 1
            paired = (following < value_ends) & (data[np.minimum(following, data.size - 1)] == LF)
            breaks = np.concatenate((breaks, returns[~paired]))
        if breaks.size:
            spans += np.bincount(np.searchsorted(offsets, breaks, side="right") - 1, minlength=size)
    return spans


def _value_bytes(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of a string array's values and its offsets into them, without copying."""
    _, offsets_buffer, data_buffer = column.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[column.offset : column.offset + len(column) + 1]
    if data_buffer is None:
        return np.empty(0, dtype=np.uint8), offsets - offsets[0]
    return np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]], offsets - offsets[0]


def _has_content(columns: list[pa.Array]) -> np.ndarray | None:
    """Which rows hold a non-blank cell (`readers._has_content`); None when all of them do.

    The first column settles nearly every row, most by its first byte alone (`_plainly_filled`);
    only the rest are matched against the blank characters, column by column."""
    keep = _plainly_filled(columns[0])
    for column in columns:
        open_rows = np.flatnonzero(~keep)
        if not open_rows.size:
            return None
        found = pc.match_substring_regex(column.take(pa.array(open_rows)), _CONTENT).to_numpy(zero_copy_only=False)
        keep[open_rows[found]] = True
    return None if keep.all() else keep


def _plainly_filled(column: pa.Array) -> np.ndarray:
    """Which values start with a printable ASCII character (`!` to DEL): none of them is blank.
    A value that starts otherwise may still hold content; `_has_content` looks at it further."""
    data, offsets = _value_bytes(column)
    starts = offsets[:-1]
    filled = offsets[1:] > starts
    if not data.size:
        return filled
    first = data[np.minimum(starts, data.size - 1)]
    return filled & (first >= FIRST_PRINTABLE) & (first < FIRST_NON_ASCII)
