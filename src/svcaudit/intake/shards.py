"""Shards: one large CSV export cut into byte ranges that worker processes read in parallel.

`plan_shards` cuts; `ExportFile.records(shard)` reads one range with the same row loop as a
whole-file read, so the shards' rows, concatenated, are the whole-file rows: same physical line
numbers, same values, same RecordErrors. A file that cannot be cut safely gets no plan (None) and
is read whole.

Where to cut. The csv module reads a record per call, pulling whole lines until the record is
complete; the next record starts on the next line (also after a quoting error, which drops the rest
of its line). A cut is therefore correct exactly when it falls at the start of a line on which the
whole-file read starts a record: a row boundary. Near each nominal offset `size * k / count` the
planner takes the first line start that is outside quotes, judged by the parity of the `"` bytes
counted from the first data row (RFC 4180: a doubled quote inside a quoted field keeps the parity).
Counting runs over the raw bytes with `bytes.count` and `find`, never byte by byte in Python; it is
only sound when a byte b'"', b'\\n' or b'\\r' always is that character (UTF-8 and single-byte
ASCII-based code pages, not UTF-16 or CJK multi-byte ones) and every line ends in b'\\n' (a lone
CR is a line break to the reader's universal newlines but not to the count). Where the first data
row starts comes from the reader's own header logic (`ExportFile.csv_layout`: BOM, `sep=` line,
blank lines, a header spanning lines), so the dialect and the columns are the whole-file read's.

Why cuts are checked, and why that suffices. Parity can be wrong: to the csv module a quote inside
an unquoted field (`5" screen`) is a literal character, yet it flips the parity, and the planner
may then cut inside a quoted field. So every shard but the last reads one extra line after its
range, one no file line can equal. After a line, the reader is either between records or inside a
quoted field (the only state a line end leaves a record open in). Between records, it reads the
extra line as a row of its own; inside a quoted field, it takes the extra line (which holds no
quote) into the field and then fails at the end of input, as the dialect is strict. The reader
raises `ShardMisaligned` on the second outcome. By induction, every shard's rows are the
whole-file rows once no shard raised: shard 0 starts where the whole-file read starts its first
row; if shard k starts at a row boundary, its reader is in step with the whole-file reader over its
lines, so ending between records means the whole-file read also starts a record where shard k+1
starts. The proof needs every shard, so a caller that meets ShardMisaligned in any shard discards
all shards' output and reads the file whole.
"""

from __future__ import annotations

import codecs
import csv
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from svcaudit.errors import InputError

if TYPE_CHECKING:
    from svcaudit.intake.readers import ExportFile

# `map` or a process pool's `map`: how `plan_shards` runs its counting over the file's ranges.
MapRanges = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]

# Below this a file is read whole: starting workers costs more than reading a few MB.
DEFAULT_MIN_BYTES = 8 * 1024 * 1024
# How far past a nominal offset a row start is looked for. A cut without one (a quoted field this
# long, or a stray quote that keeps the parity wrong) is dropped and its neighbours merge.
SEARCH_WINDOW = 1024 * 1024
# The whole-file count of quotes, newlines and CRs goes by blocks of this size.
SCAN_BLOCK = 4 * 1024 * 1024
QUOTE = b'"'
NEWLINE = b"\n"
CR = b"\r"
CRLF = b"\r\n"
# Python codecs without a decoding table whose bytes below 0x80 are always those ASCII characters
# (in UTF-8 every byte of a multi-byte character is 0x80 or above).
_ASCII_TRANSPARENT = frozenset({"utf-8", "utf-8-sig", "ascii", "iso8859-1"})
_ASCII = "".join(map(chr, range(128)))
_TABLE_SIZE = 256


@dataclass(frozen=True, slots=True)
class Shard:
    """One worker's part of a CSV export: the lines in bytes [start, end).

    `start` is the first byte of a line (the first data row's, for shard 0); `first_line` is that
    line's physical number, the header being line 1 (csv `line_num`). `end_line` is the next
    shard's `first_line`: the range holds lines first_line..end_line-1, and the reader checks
    that they end between rows. None for the last shard, which runs to the end of the file.
    `encoding` is the one the plan assumed.
    """

    path: Path
    start: int
    end: int
    first_line: int
    index: int
    end_line: int | None
    encoding: str


class ShardMisaligned(Exception):
    """A shard's range did not end where a row of the whole-file read ends: the cut fell inside a
    quoted field. The rows of every shard of the plan are then suspect; read the file whole."""

    def __init__(self, shard: Shard, end_line: int, why: str) -> None:
        super().__init__(
            f"shard {shard.index} of {shard.path} (bytes {shard.start}-{shard.end}) does not end "
            f"between rows at line {end_line}: {why}; a quote inside an unquoted field probably "
            f"misled the split"
        )
        self.shard = shard
        self.end_line = end_line
        self.why = why

    def __reduce__(self):
        # Met in a worker process, it crosses back to the one that planned the cuts.
        return type(self), (self.shard, self.end_line, self.why)


def plan_shards(
    export: ExportFile, count: int, min_bytes: int = DEFAULT_MIN_BYTES, map_ranges: MapRanges = map
) -> list[Shard] | None:
    """At most `count` shards covering the export's data rows, in order; None when the file
    should be read whole: fewer than two shards, a file under `min_bytes`, not CSV, gzip, an
    encoding whose bytes are not ASCII-transparent, a lone CR, or an unusual quoting dialect.

    Counting the whole file's quotes and newlines is most of the planning (about 1 s for 650 MB):
    it goes by `count` ranges through `map_ranges`, which may be a process pool's `map`.
    A file whose header cannot be read also gets None: the whole-file read reports it.
    """
    if count < 2 or export.format != "csv" or export.empty:
        return None
    if not ascii_transparent(export.encoding):
        return None
    try:
        size = export.path.stat().st_size
        if size == 0 or size < min_bytes or export.compressed:
            return None
        layout = export.csv_layout()
        if layout is None or not _plain_quoting(layout[0]):
            return None
        with open(export.path, "rb") as file:
            data = _FileBytes(file, os.fstat(file.fileno()).st_size, export.path)
            size = len(data)
            starts = _row_starts(data, layout[1], count, map_ranges)
    except (OSError, InputError):
        return None
    if starts is None or len(starts) < 2:
        return None
    ends = [*starts[1:], (size, None)]
    return [
        Shard(export.path, start, end, first_line, index, end_line, export.encoding)
        for index, ((start, first_line), (end, end_line)) in enumerate(zip(starts, ends, strict=False))
    ]


@cache
def ascii_transparent(encoding: str) -> bool:
    """Whether, in this encoding, a byte below 0x80 is always that ASCII character: UTF-8 and the
    single-byte code pages built on ASCII (cp1251, koi8-r, latin-1, ...), not UTF-16/32, EBCDIC,
    the CJK multi-byte encodings (whose second bytes can fall below 0x80) or the *escape codecs."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):
        return False
    if info.name in _ASCII_TRANSPARENT:
        return True
    # Python's single-byte code pages are charmap codecs generated with a 256-character table.
    module = sys.modules.get(getattr(info.decode, "__module__", None) or "")
    table = getattr(module, "decoding_table", None)
    return isinstance(table, str) and len(table) == _TABLE_SIZE and table[: len(_ASCII)] == _ASCII


def _plain_quoting(dialect: type[csv.Dialect]) -> bool:
    """RFC 4180 quoting, the one quote parity describes, with the strict reader the check needs."""
    return (
        dialect.quotechar == '"'
        and dialect.escapechar is None
        and bool(dialect.doublequote)
        and dialect.quoting != csv.QUOTE_NONE
        and bool(dialect.strict)
        and dialect.delimiter not in '"\r\n'
    )


def _row_starts(data: _FileBytes, header_end: int, count: int, map_ranges: MapRanges) -> list[tuple[int, int]] | None:
    """(offset, physical line) of each shard's first line, the first data row's first; None
    when the file has no data row or a lone CR."""
    size = len(data)
    data_start = _after_lines(data, header_end)
    if data_start is None or data_start >= size:
        return None
    header = _Tally()
    header.add(data, 0, data_start)
    # The nominal cuts; the ranges between them are counted independently (in parallel, with a
    # pool), and the parity and line at each cut are the sums of the ranges before it.
    cuts = [cut for cut in (size * k // count for k in range(1, count)) if cut > data_start]
    bounds = [data_start, *cuts, size]
    ranges = [(data.path, start, end) for start, end in zip(bounds, bounds[1:], strict=False)]
    tallies = list(map_ranges(_count_range, ranges))
    starts = [(data_start, header_end + 1)]
    before = _Tally()  # quotes and newlines from the data start to the cut
    for cut, tally in zip(cuts, tallies, strict=False):
        before.merge(tally)
        if cut <= starts[-1][0]:
            continue  # the previous shard's search already ran past this cut
        start = _next_row_start(data, cut, inside_quotes=before.quotes % 2 == 1)
        if start is None:
            continue
        if start >= size:
            break
        line = header_end + 1 + before.newlines + data[cut:start].count(NEWLINE)
        starts.append((start, line))
    whole = _Tally(crs=header.crs, crlfs=header.crlfs)
    for tally in tallies:
        whole.merge(tally)
    if whole.crs != whole.crlfs:
        return None
    return starts


def _count_range(part: tuple[Path, int, int]) -> _Tally:
    """The counts of the bytes [start, end) of the file at `path` (a task of `map_ranges`)."""
    path, start, end = part
    with open(path, "rb") as file:
        data = _FileBytes(file, os.fstat(file.fileno()).st_size, path)
        tally = _Tally()
        tally.add(data, start, end)
    return tally


def _after_lines(data: _FileBytes, lines: int) -> int | None:
    """The offset just past the `lines`-th newline; None when the file has fewer."""
    position = 0
    for _ in range(lines):
        newline = data.find(NEWLINE, position)
        if newline < 0:
            return None
        position = newline + 1
    return position


def _next_row_start(data: _FileBytes, cut: int, inside_quotes: bool) -> int | None:
    """The offset just past the first newline at or after `cut` that lies outside quotes, given
    whether `cut` is inside them; None when there is none within SEARCH_WINDOW.

    Steps from quote to quote (inside quotes no newline counts), so it costs one step per quote
    passed, not per byte.
    """
    limit = min(len(data), cut + SEARCH_WINDOW)
    position = cut
    while position < limit:
        if inside_quotes:
            quote = data.find(QUOTE, position, limit)
            if quote < 0:
                return None
            position, inside_quotes = quote + 1, False
            continue
        newline = data.find(NEWLINE, position, limit)
        quote = data.find(QUOTE, position, newline if newline >= 0 else limit)
        if quote < 0:
            return newline + 1 if newline >= 0 else None
        position, inside_quotes = quote + 1, True
    return None


class _FileBytes:
    """A file's bytes, read on demand a block at a time. Not mmap: scanning a large export
    through a mapping would count every page of it in the process's resident memory."""

    __slots__ = ("_file", "_size", "path")

    def __init__(self, file: BinaryIO, size: int, path: Path) -> None:
        self._file = file
        self._size = size
        self.path = path

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, part: slice) -> bytes:
        start, stop = part.start or 0, min(self._size if part.stop is None else part.stop, self._size)
        self._file.seek(start)
        return self._file.read(max(0, stop - start))

    def find(self, sub: bytes, start: int, end: int | None = None) -> int:
        """Like bytes.find over [start, end), reading SCAN_BLOCK bytes at a time."""
        end = self._size if end is None else min(end, self._size)
        position = start
        while position < end:
            block = self[position : min(end, position + SCAN_BLOCK + len(sub) - 1)]
            found = block.find(sub)
            if found >= 0:
                return position + found
            position += SCAN_BLOCK
        return -1


@dataclass(slots=True)
class _Tally:
    """Counts over the bytes scanned so far: quotes and newlines (for parity and line numbers),
    CRs and CR LF pairs (a lone CR makes the file ineligible)."""

    quotes: int = 0
    newlines: int = 0
    crs: int = 0
    crlfs: int = 0

    def merge(self, other: _Tally) -> None:
        self.quotes += other.quotes
        self.newlines += other.newlines
        self.crs += other.crs
        self.crlfs += other.crlfs

    def add(self, data: _FileBytes, start: int, end: int) -> None:
        """Count the bytes [start, end), a block at a time at C speed."""
        for block_start in range(start, end, SCAN_BLOCK):
            length = min(SCAN_BLOCK, end - block_start)
            # One byte past the block, so that a CR LF pair split by the block end is seen; a pair
            # is counted in the block its CR is in.
            block = data[block_start : block_start + length + 1]
            self.quotes += block.count(QUOTE, 0, length)
            self.newlines += block.count(NEWLINE, 0, length)
            if block.find(CR, 0, length) >= 0:  # memchr: LF-only files skip both counts
                self.crs += block.count(CR, 0, length)
                self.crlfs += block.count(CRLF, 0, length + 1)
