"""Readers: export files in, numbered records out, lazily.

CSV (any common delimiter), JSON (an array of objects, an API's envelope holding one, or a single
object) and JSON Lines, each optionally gzip-compressed. JSON rows are read flat: nested objects'
values are columns named by their dotted path (`paths.flatten`).
A record keeps its physical position (CSV line of the record's first line, the header being line 1;
JSONL line; 1-based index in a JSON array) so every finding can point back at it. A row the reader
cannot take apart (ragged, bad quoting, a NUL byte, undecodable bytes, a bad JSON line) is a
`RecordError` at its position, never an exception; only a file that cannot be read at all raises
`InputError`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import math
import re
import sys
import zlib
from collections.abc import Generator, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO, cast, final, overload

from svcaudit import reasons
from svcaudit.errors import InputError, Location
from svcaudit.intake.encodings import (
    ENCODING_SAMPLE_BYTES,
    ESCAPE_ERRORS,
    NUL_STANDIN,
    check_encoding_name,
    decide_encoding,
    escapes_made,
    undecodable_bytes,
)
from svcaudit.intake.paths import at_path, flatten, is_nested
from svcaudit.intake.spool import readable

CSV_DELIMITERS = ",;\t|"  # in order of preference when the evidence is even
SNIFF_BYTES = 64 * 1024  # what the format and the delimiter are judged on
SNIFF_ROWS = 50  # rows of the sample whose width the delimiter must agree with
READ_CHUNK = 64 * 1024
PEEK_OBJECTS = 100  # JSON objects whose keys name a JSON input's columns
GZIP_MAGIC = b"\x1f\x8b"
# Spreadsheets rather than exports: named so the user knows to save the sheet as CSV.
SPREADSHEET_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an Excel .xlsx workbook?)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook",
}
# Excel's text-based .xls files: the XML Spreadsheet 2003 format (SpreadsheetML) and a web page
# holding the sheet as an HTML table. Told by their opening markup, whatever the file is called.
SPREADSHEET_XML_NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
MARKUP_SNIFF_BYTES = 4096  # the root element, which names the namespace, opens within these
SPREADSHEET_MARKUP = (
    ("<?xml", "an Excel XML spreadsheet (SpreadsheetML .xls)"),
    ("<html", "an HTML page (an Excel .xls saved as a web page?)"),
    ("<!doctype html", "an HTML page (an Excel .xls saved as a web page?)"),
    ("<table", "an HTML table (an Excel .xls saved as a web page?)"),
)
# Long message bodies are legitimate; the limit is the largest value every platform's C long holds.
FIELD_SIZE_LIMIT = 2**31 - 1
# Excel's own hint on the first line of a CSV: `sep=;`.
_EXCEL_SEP = re.compile(r'^\ufeff?"?sep=([^"\r\n])"?\r?$', re.IGNORECASE)
# Any surrogate code point in a value: bytes the encoding could not decode (escaped by
# encodings.ESCAPE_ERRORS), a NUL byte (NUL_STANDIN), or a lone surrogate escape in JSON.
_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON escape of a surrogate (\ud800 to \udfff). Searched for apart from `_SURROGATE`, a lone
# character class that `re` scans a line for quickly, which an alternation of the two is not.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

csv.field_size_limit(FIELD_SIZE_LIMIT)
# Keys only a record has, never an API's envelope: a JSON object holding one is one row.
RECORD_KEYS = frozenset({"id", "ticket_id"})


class ColumnarUnfit(Exception):
    """An input holds something only the reference reader reads exactly (`arrow_csv`); `reason`
    says what. `rows_trusted`: the rows Arrow handed out before are those the reference reader
    gives first, at the same lines (Arrow stopped at a row it cannot read); False when their lines
    may be wrong (the line count did not add up), so nothing read by Arrow can stand."""

    def __init__(self, reason: str, rows_trusted: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.rows_trusted = rows_trusted


@dataclass(frozen=True, slots=True)
class Record:
    """One row of an export: its physical position and its values by (raw) column name."""

    row: int
    values: dict[str, Any]


@final  # readers on the hot path test `type(record) is RecordError`, which mypy narrows for a final class
@dataclass(frozen=True, slots=True)
class RecordError:
    """A row the reader could not turn into a record (ragged, bad JSON line)."""

    row: int
    field: str | None
    error: str


@dataclass(frozen=True, slots=True)
class RenamedColumn:
    """A header name that repeats: the later column is read under `name` (`Tags_2`)."""

    original: str
    name: str
    first_column: int  # 1-based
    column: int  # 1-based


def detect_format(path: Path, head: bytes) -> str:
    """csv, json or jsonl: from the name first (.csv, .tsv, .json, .jsonl, .ndjson), else the content.

    A `.json` file that holds one object per line is read as JSON Lines when the JSON parse finds
    more than one document (`ExportFile._json_records`).
    """
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    name = path.name.lower().removesuffix(".gz")
    for suffix, kind in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "json"),
        (".csv", "csv"),
        (".tsv", "csv"),
        (".txt", "csv"),
    ):
        if name.endswith(suffix):
            return kind
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl"
    return "csv"


def _open_binary(path: Path) -> io.BufferedReader | gzip.GzipFile:
    """The file's bytes, decompressed when its content (not its name) says gzip."""
    raw = open(path, "rb")  # noqa: SIM115 - handed to the caller, closed there
    if raw.peek(len(GZIP_MAGIC))[: len(GZIP_MAGIC)] != GZIP_MAGIC:
        return raw
    raw.close()
    # gzip.open owns the file it opens and closes it with the stream (GzipFile(fileobj=) would not).
    return gzip.open(path, "rb")


def _read_head(path: Path, limit: int) -> tuple[bytes, bool, bool]:
    """The first `limit` bytes (decompressed), whether that is the whole file, and whether a gzip
    stream ended early within them.

    Reads in chunks so that a truncated gzip stream still yields what it holds; the truncation
    itself is reported by `ExportFile.records` with the rows read before it.
    """
    chunks: list[bytes] = []
    size = 0
    with _open_binary(path) as stream:
        try:
            while size < limit:
                chunk = stream.read1(min(READ_CHUNK, limit - size))
                if not chunk:
                    return b"".join(chunks), True, False
                chunks.append(chunk)
                size += len(chunk)
        except EOFError:
            return b"".join(chunks), True, True
        try:
            return b"".join(chunks), not stream.read1(1), False
        except EOFError:
            return b"".join(chunks), True, True


def _value_problem(value: str, encoding: str | None) -> str | None:
    """Why a decoded text value cannot be audited (NUL or undecodable bytes), or None.

    `encoding` None says the text decoded cleanly, so a surrogate came from a JSON `\\u` escape.
    """
    if not _SURROGATE.search(value):
        return None
    if encoding is None:
        return reasons.SURROGATE_ESCAPE.text()
    escaped = undecodable_bytes(value) or b""
    if escaped and set(escaped) == {0}:
        return reasons.NUL_BYTE.text()
    if escaped:
        shown = escaped[:8].hex(" ")
        return reasons.UNDECODABLE_BYTES.text(encoding=encoding.removesuffix("-sig"), bytes=shown)
    return reasons.LONE_SURROGATE.text()


def _row_problem(values: Iterable[tuple[str, Any]], encoding: str | None) -> tuple[str, str] | None:
    """The first (field, reason) of a row whose text cannot be audited, or None."""
    for key, value in values:
        problem = _value_problem(key, encoding) if isinstance(key, str) else None
        if problem is not None:
            return "", reasons.KEY_NOT_TEXT.text(problem=problem)
        if isinstance(value, str):
            problem = _value_problem(value, encoding)
            if problem is not None:
                return key, problem
    return None


# From Python 3.11 the csv module reads NUL like any other character; before, it refuses a line
# holding one, so every line is searched first (`ExportFile._marked_lines`). With 3.11 the reader
# takes the text's lines directly, at C speed, and rows are searched only once a NUL byte or an
# undecodable one has gone by (`_NulWatch`, `encodings.escapes_made`).
CSV_READS_NUL = sys.version_info >= (3, 11)


class _NulWatch(io.BufferedIOBase):
    """A binary stream that notes whether a NUL byte went through it. The text decoder reads
    ahead of the csv reader, so a row holding a NUL is parsed only after `seen` is set."""

    def __init__(self, stream: io.BufferedReader | gzip.GzipFile) -> None:
        super().__init__()
        self._stream = stream
        self.seen = False

    @property
    def name(self) -> str:
        """The file's name, as TextIOWrapper asks of the stream it wraps."""
        return str(self._stream.name)

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._note(self._stream.read(size))

    def read1(self, size: int = -1) -> bytes:
        return self._note(self._stream.read1(size))

    def _note(self, data: bytes) -> bytes:
        if not self.seen and b"\x00" in data:
            self.seen = True
        return data

    def close(self) -> None:
        self._stream.close()
        super().close()


class ExportFile:
    """One input file opened for lazy reading. `records()` yields Records and RecordErrors."""

    def __init__(
        self,
        path: str | Path,
        encoding: str | None = None,
        records: str | None = None,
        records_default: str | None = None,
    ) -> None:
        self.path = readable(path)  # a pipe or standard input: its copy, read as often as needed
        self.display = str(path)
        # The dotted path of the rows' array in a JSON document: the standard's `input.records`
        # (it must be there), or a preset's (used where the document has it).
        self.records_path = records
        self.records_default = records_default
        # JSON rows are read flat (`paths.flatten`); a nested transcript is read as it is.
        self.flatten = True
        # A path every row holds (a nested transcript's messages): an object holding it is a row.
        self.row_marker: str | None = None
        if not self.path.exists():
            raise InputError("no such file", Location(self.display))
        if self.path.is_dir():
            raise InputError("is a directory, not an export file", Location(self.display))
        if encoding:
            problem = check_encoding_name(encoding)
            if problem is not None:
                raise InputError(f"{problem} (from --encoding)", Location(self.display))
        try:
            head, complete, truncated = _read_head(self.path, ENCODING_SAMPLE_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"cannot read: {exc}", Location(self.display)) from None
        for magic, what in SPREADSHEET_MAGIC.items():
            if head.startswith(magic):
                raise InputError(f"is {what}, not a CSV or JSON export; save the sheet as CSV", Location(self.display))
        self.format = detect_format(self.path, head[:SNIFF_BYTES])
        choice = decide_encoding(head, encoding, complete)
        self.encoding = choice.name
        self.encoding_note = choice.note  # how an unclear choice was made, for a warning
        markup = _spreadsheet_markup(head[:MARKUP_SNIFF_BYTES].decode(self.encoding, errors="ignore"))
        if markup is not None:
            raise InputError(f"is {markup}, not a CSV or JSON export; save the sheet as CSV", Location(self.display))
        # Whitespace only (or nothing): zero rows, not an error; intake warns about it. A truncated
        # gzip stream is not empty: reading it reports the truncation.
        self.empty = not truncated and not head.decode(self.encoding, errors="ignore").strip(" \t\r\n\ufeff")
        self._head = head[:SNIFF_BYTES]
        self._complete = complete and len(head) <= SNIFF_BYTES
        self.columns: list[str] = []
        self._known_keys: set[str] = set()
        self.renamed: list[RenamedColumn] = []
        self._position = 0  # the last physical line read, for the message of a truncated file
        self._suspect = False  # a line of the CSV record being read holds a surrogate
        self._rows = 0

    def _text(self, binary: _NulWatch | None = None, newline: str = "") -> TextIO:
        """The file's text (through `binary`, a stream of its bytes, when given). Lines end at
        any line break (CSV: the csv module reads them as its own), or with `newline` only at that
        one (JSON Lines)."""
        return io.TextIOWrapper(
            binary or _open_binary(self.path), encoding=self.encoding, errors=ESCAPE_ERRORS, newline=newline
        )

    def byte_chunks(self) -> Iterator[bytes]:
        """The file's content in chunks, decompressed, in an ASCII-compatible form (UTF-16 and
        UTF-32 text re-encoded as UTF-8), for whole-file searches of digits and punctuation."""
        wide = codecs.lookup(self.encoding).name.startswith(("utf-16", "utf-32"))
        try:
            if wide:
                with self._text() as text:
                    while text_chunk := text.read(READ_CHUNK):
                        yield text_chunk.encode("utf-8", "replace")
                return
            with _open_binary(self.path) as stream:
                while chunk := stream.read(READ_CHUNK * 16):
                    yield chunk
        except (OSError, EOFError, zlib.error):
            return  # reading the rows reports it, with the rows read before it

    @property
    def compressed(self) -> bool:
        """Whether the file is gzip-compressed (by its content, as `records` decides)."""
        with open(self.path, "rb") as raw:
            return raw.read(len(GZIP_MAGIC)) == GZIP_MAGIC

    @overload
    def records(self, cells: Literal[False] = False) -> Generator[Record | RecordError, None, None]: ...

    @overload
    def records(self, cells: bool) -> Generator[Record | RecordError | tuple[int, list[str]], None, None]: ...

    def records(self, cells: bool = False) -> Generator[Record | RecordError | tuple[int, list[str]], None, None]:
        """Every row, in file order. With `cells`, a CSV row comes as (row, its values in
        `columns` order) rather than as a Record, for a reader that types cells by position.
        Raises InputError when the file as a whole is unreadable."""
        self._position = self._rows = 0
        if self.empty:
            return
        if self.format == "csv":
            items = self._csv_records(cells)
        elif self.format == "jsonl":
            items = self._jsonl_records()
        else:
            items = self._json_records()
        try:
            if self.format == "csv":
                yield from items  # counts its own rows: one generator less on the hot path
            else:
                for item in items:
                    self._rows += 1
                    yield item
        except EOFError:
            read = (
                f"after {self._rows} rows (up to line {self._position})"
                if self._rows
                else "before any row could be read"
            )
            raise InputError(
                f"the gzip stream ends early (the file is truncated) {read}; the rest cannot "
                f"be read: re-export or re-download the file",
                Location(self.display, self._position + 1 if self._rows else None),
            ) from None
        except (OSError, zlib.error) as exc:
            raise InputError(
                f"cannot read after line {self._position}: {exc}", Location(self.display, self._position + 1)
            ) from None
        except UnicodeError as exc:  # only a codec that refuses the escape handler gets here
            raise InputError(
                f"cannot decode as {self.encoding} ({exc}); pass --encoding", Location(self.display, self._position + 1)
            ) from None
        finally:
            items.close()

    def cell_records(self) -> Iterator[RecordError | tuple[int, list[str]]]:
        """A CSV's rows as `records(cells=True)` gives them: (row, cells), or a RecordError."""
        if self.format != "csv":
            raise ValueError(f"{self.display}: only a CSV's rows come as cells, not a {self.format}'s")
        # What `records` yields with cells for a CSV; no row is a Record.
        return cast(Iterator["RecordError | tuple[int, list[str]]"], self.records(cells=True))

    def _csv_records(self, cells: bool = False) -> Generator[Record | RecordError | tuple[int, list[str]], None, None]:
        direct = CSV_READS_NUL and "escape" not in codecs.lookup(self.encoding).name
        escapes_before = escapes_made()  # before anything is decoded, the header included
        with ExitStack() as files:
            watch = _NulWatch(_open_binary(self.path)) if direct else None
            text = files.enter_context(self._text(watch))
            start = self._csv_start(self._marked_lines(text))
            if start is None:
                return
            reader, dialect = start
            width = len(self.columns)
            line_after, line_base = reader.line_num, 0  # physical line = reader.line_num + base
            if watch is not None:  # past the header (read line by line), the reader takes the text itself
                reader, line_base = csv.reader(text, dialect=dialect), line_after
            careful = False  # direct reading: rows are searched for NUL and escapes from now on
            while True:
                self._suspect = False
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    first_line, line_after = line_after + 1, reader.line_num + line_base
                    self._position = line_after
                    self._rows += 1
                    yield RecordError(first_line, None, _quoting_problem(str(exc), first_line, line_after))
                    continue
                first_line, line_after = line_after + 1, reader.line_num + line_base
                self._position = line_after
                if not _has_content(fields):
                    continue  # a blank line, or Excel's `;;;`, is not a row
                if len(fields) != width:
                    if line_after > first_line:
                        reason = reasons.ROW_WIDTH_QUOTE.text(
                            count=len(fields), width=width, first=first_line, last=line_after
                        )
                    else:
                        reason = reasons.ROW_WIDTH.text(count=len(fields), width=width)
                    self._rows += 1
                    yield RecordError(first_line, None, reason)
                    continue
                if watch is not None:
                    if not careful:
                        careful = watch.seen or escapes_made() != escapes_before
                    if careful:
                        fields = self._searched(fields)
                if self._suspect:
                    problem = _row_problem(zip(self.columns, fields, strict=False), self.encoding)
                    if problem is not None:
                        self._rows += 1
                        yield RecordError(first_line, problem[0] or None, problem[1])
                        continue
                self._rows += 1
                if cells:
                    yield first_line, fields
                else:
                    yield Record(first_line, dict(zip(self.columns, fields, strict=False)))

    def _searched(self, fields: list[str]) -> list[str]:
        """A row read directly, marked as `_marked_lines` marks the lines of one: NUL replaced by
        NUL_STANDIN, `_suspect` set when a value holds NUL or an escaped byte."""
        if any("\x00" in value for value in fields):
            self._suspect = True
            return [value.replace("\x00", NUL_STANDIN) for value in fields]
        if any(_SURROGATE.search(value) for value in fields):
            self._suspect = True
        return fields

    def _csv_start(self, lines: Iterable[str]) -> tuple[Any, type[csv.Dialect]] | None:
        """A csv reader over `lines` that has read the header (setting `columns`), and the
        sniffed dialect; None when the file holds no header.

        Past the header, the reader's `line_num` is the physical line the header ends on.
        """
        sample = self._head.decode(self.encoding, errors="replace")
        dialect, skip = sniff_dialect(sample, self._complete)
        reader = csv.reader(lines, dialect=dialect)
        for _ in range(skip):
            next(reader, None)
        header = self._csv_header(reader)
        if header is None:
            return None
        self.columns = self._clean_header(header, reader.line_num)
        return reader, dialect

    def csv_layout(self) -> tuple[type[csv.Dialect], int] | None:
        """The CSV dialect and the physical line the header ends on (rows start on the next),
        read as `records` reads them; None for an empty or non-CSV file."""
        if self.format != "csv" or self.empty:
            return None
        with self._text() as text:
            start = self._csv_start(self._marked_lines(text))
        if start is None:
            return None
        reader, dialect = start
        return dialect, reader.line_num

    def _marked_lines(self, lines: Iterable[str]) -> Iterator[str]:
        """The text's lines, NUL replaced by NUL_STANDIN (Python before 3.11 refuses NUL in csv
        input), noting in `_suspect` that the record being read needs its values checked.

        Decoded text holds surrogates only where the decoder escaped bytes (or with an *escape
        codec the user chose), so lines are searched for them only from the first escape on; the
        decoder works ahead of the lines handed out, so no affected line is missed.
        """
        before = escapes_made()
        careful = "escape" in codecs.lookup(self.encoding).name
        for line in lines:
            if "\x00" in line:
                line = line.replace("\x00", NUL_STANDIN)
                self._suspect = True
            elif careful or escapes_made() != before:
                careful = True
                if _SURROGATE.search(line):
                    self._suspect = True
            yield line

    def _csv_header(self, reader: Iterator[list[str]]) -> list[str] | None:
        """The first non-blank row; None when the file holds only blank lines."""
        while True:
            try:
                header = next(reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                raise InputError(
                    f"cannot read the header: {exc}", Location(self.display, getattr(reader, "line_num", 1))
                ) from None
            if any(name.strip() for name in header):
                return header

    def _clean_header(self, header: list[str], line: int) -> list[str]:
        """Column names: trimmed, blank ones named `column_N`, repeated ones `name_2` (noted in
        `renamed`, the same however often the header is read)."""
        names: list[str] = []
        renamed: list[RenamedColumn] = []
        first_index: dict[str, int] = {}
        for index, raw in enumerate(header, start=1):
            problem = _value_problem(raw, self.encoding)
            if problem is not None:
                raise InputError(
                    f"the header's column {index} {problem}"
                    + ("; is the file UTF-16 or UTF-32 without a byte-order mark?" if "NUL" in problem else ""),
                    Location(self.display, line, index),
                )
            name = raw.strip().lstrip("\ufeff").strip() or f"column_{index}"
            if name in first_index:
                original, suffix = name, 2
                while f"{original}_{suffix}" in first_index:
                    suffix += 1
                name = f"{original}_{suffix}"
                renamed.append(RenamedColumn(original, name, first_index[original], index))
            first_index[name] = index
            names.append(name)
        self.renamed = renamed
        return names

    def _jsonl_records(self) -> Generator[Record | RecordError, None, None]:
        # JSON Lines rows end at LF only: a CR inside a row (a raw one in a string) must not cut
        # it in two, which would shift the error's column and the line numbers after it.
        with self._text(newline=JSONL_LINE_END) as text:
            for number, line in enumerate(text, start=1):
                self._position = number
                if not line.strip():
                    continue
                clean = not _SURROGATE.search(line)
                # Without its line break: an error at the end of the row is in the row's last
                # column, not in column 1 of a next line. A line with no surrogate, decoded or
                # escaped, gives values with none: they need no search.
                searched = not clean or _SURROGATE_ESCAPE.search(line) is not None
                yield self._json_item(number, _parse_json_line(line.rstrip("\r\n")), clean, searched)

    def _json_item(self, row: int, value: Any, clean: bool, searched: bool = True) -> Record | RecordError:
        """A parsed JSON value as a record, or why it cannot be one; its values searched for
        surrogates unless the text it came from holds none (not `searched`)."""
        if isinstance(value, RecordError):
            return RecordError(row, value.field, value.error)
        if not isinstance(value, dict):
            where = "a JSON Lines row" if self.format == "jsonl" else "an array item"
            return RecordError(row, None, reasons.NOT_AN_OBJECT.text(where=where, found=_json_type(value)))
        if self.flatten and is_nested(value):
            value = flatten(value)
        problem = _row_problem(value.items(), None if clean else self.encoding) if searched else None
        if problem is not None:
            return RecordError(row, problem[0] or None, problem[1])
        self._note_columns(value)
        return Record(row, value)

    def _json_records(self) -> Generator[Record | RecordError, None, None]:
        before = escapes_made()
        with self._text() as text:
            try:
                document = _decode_json(text.read())
            except json.JSONDecodeError as exc:
                if exc.msg == "Extra data":
                    # More than one document: one object per line, whatever the file is called.
                    self.format = "jsonl"
                    yield from self._jsonl_records()
                    return
                raise InputError(
                    f"invalid JSON: {_json_reason(exc)}", Location(self.display, exc.lineno, exc.colno)
                ) from None
            except RecursionError:
                raise InputError("invalid JSON: nested too deeply", Location(self.display)) from None
            except ValueError as exc:  # not expected: numbers of any size are read (`_decode_json`)
                raise InputError(f"invalid JSON: {exc}", Location(self.display)) from None
        document = self._rows_of(document)
        clean = escapes_made() == before
        for index, value in enumerate(document, start=1):
            self._position = index
            yield self._json_item(index, value, clean)

    def _rows_of(self, document: Any) -> list[Any]:
        """The rows of a JSON document: the array `input.records` names, else the document's own.

        An array's items are the rows. An object is one row (an API's answer for one ticket),
        unless it is an envelope: it has no `id` (nor the path `row_marker`) and holds exactly one
        array of objects (`{"tickets": [...], "next_page": ...}`), whose objects are the rows, or
        nothing but one object (`{"ticket": {...}}`), which is the row. A preset's records path
        is taken first where the document has it (`{"tickets": [...], "users": [...]}`).
        """
        if self.records_path is not None:
            found = at_path(document, self.records_path)
            if found is None:
                keys = (
                    ", ".join(repr(k) for k in list(document)[:10])
                    if isinstance(document, dict)
                    else _json_type(document)
                )
                raise InputError(
                    f"input.records {self.records_path!r} is not in the document (its top level: {keys})",
                    Location(self.display, 1),
                )
            if isinstance(found, dict):
                return [found]
            if not isinstance(found, list):
                raise InputError(
                    f"input.records {self.records_path!r} leads to {_json_type(found)}, not an array of objects",
                    Location(self.display, 1),
                )
            return found
        if isinstance(document, list):
            return document
        default = at_path(document, self.records_default) if self.records_default else None
        if isinstance(default, list):
            return default
        if not isinstance(document, dict):
            raise InputError(
                f"expected a JSON array of objects, found {_json_type(document)}", Location(self.display, 1)
            )
        if any(key.casefold() in RECORD_KEYS for key in document) or (
            self.row_marker is not None and at_path(document, self.row_marker) is not None
        ):
            return [document]
        arrays = [
            key
            for key, value in document.items()
            if isinstance(value, list) and all(isinstance(item, dict) for item in value)
        ]
        if len(arrays) == 1:
            return document[arrays[0]]
        if len(arrays) > 1:
            raise InputError(
                "a JSON object holding several arrays ("
                + ", ".join(repr(k) for k in arrays[:10])
                + f"); name the one that holds the rows with input.records (`records: {arrays[0]}`; "
                f"a dotted path when it is nested)",
                Location(self.display, 1),
            )
        if len(document) == 1 and isinstance(only := next(iter(document.values())), dict):
            return [only]
        return [document]

    def _note_columns(self, value: dict[str, Any]) -> None:
        """Every key any object has had, in order of first sight (a set keeps it linear)."""
        for key in value:
            if key not in self._known_keys:
                self._known_keys.add(key)
                self.columns.append(key)

    def peek_columns(self) -> list[str]:
        """The column names: the header's (CSV), or every key of the first `PEEK_OBJECTS` objects
        in the order first seen (JSON, JSON Lines: an object has no header to hold its columns,
        so a first row without a ticket id, or holding an object for it, is a bad row, not a file
        without a ticket_id column)."""
        seen: dict[str, None] = {}
        objects = 0
        items = self.records()
        try:
            for item in items:
                if self.format == "csv":
                    return self.columns  # read with the first record
                if isinstance(item, Record):
                    seen.update(dict.fromkeys(item.values))
                    objects += 1
                    if objects == PEEK_OBJECTS:
                        break
        finally:
            items.close()
        return list(seen) if objects else self.columns


def _spreadsheet_markup(text: str) -> str | None:
    """What kind of Excel markup file the text opens, if it is one (see SPREADSHEET_MARKUP)."""
    opening = text.lstrip(" \t\r\n\ufeff")[: len("<!doctype html")].casefold()
    for start, what in SPREADSHEET_MARKUP:
        if opening.startswith(start):
            # Other XML is not a spreadsheet; it is left to the readers' own messages.
            if start != "<?xml" or SPREADSHEET_XML_NAMESPACE in text:
                return what
    return None


def _has_content(fields: list[str]) -> bool:
    """Whether a CSV row holds anything but blanks (the first field decides for nearly all rows)."""
    if not fields:
        return False
    return bool(fields[0].strip()) or any(value.strip() for value in fields)


def _json_float(text: str) -> float | str:
    """A JSON number with a fraction or exponent; one beyond a float's range (`1e999`) is kept
    as written rather than read as infinity: a field that needs a number rejects its row."""
    value = float(text)
    return value if math.isfinite(value) else text


def _json_int(text: str) -> int | str:
    """A JSON integer; one of more digits than Python converts (`sys.get_int_max_str_digits`,
    4,300 by default) is kept as written, so that it fails only where a field reads it."""
    try:
        return int(text)
    except ValueError:
        return text


_JSON = json.JSONDecoder(parse_float=_json_float)
# Integers through `_json_int` cost a Python call each (a third more time for a typical row), so
# this one decodes only the documents the plain decoder refused for an integer's length.
_JSON_LONG_INTEGERS = json.JSONDecoder(parse_float=_json_float, parse_int=_json_int)
JSONL_LINE_END = "\n"


def _decode_json(text: str) -> Any:
    """A JSON document whose numbers are all read, whatever their size: a number too large for
    a float or too long for an int stays its text (see `_json_float`, `_json_int`)."""
    try:
        return _JSON.decode(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer longer than int() converts
        return _JSON_LONG_INTEGERS.decode(text)


def _json_reason(exc: json.JSONDecodeError) -> str:
    """The decoder's reason, without the dangling "at" of some ("Invalid control character at")."""
    return exc.msg.removesuffix(" at")


def _parse_json_line(line: str) -> Any:
    """One JSON Lines row parsed, or a RecordError saying why it is not JSON (row set later)."""
    try:
        return _decode_json(line)
    except json.JSONDecodeError as exc:
        return RecordError(0, None, reasons.INVALID_JSON_ROW.text(detail=f"{_json_reason(exc)} at column {exc.colno}"))
    except RecursionError:
        return RecordError(0, None, reasons.INVALID_JSON_ROW.text(detail="nested too deeply"))
    except ValueError as exc:
        return RecordError(0, None, reasons.INVALID_JSON_ROW.text(detail=exc))


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return "an object"


def _quoting_problem(message: str, first_line: int, last_line: int) -> str:
    if "unexpected end of data" in message:
        return reasons.UNCLOSED_QUOTE.text(first=first_line, last=last_line)
    return reasons.MALFORMED_QUOTING.text(detail=message)


def sniff_dialect(sample: str, complete: bool = False) -> tuple[type[csv.Dialect], int]:
    """The CSV dialect of a sample, and how many lines precede the header (Excel's `sep=`).

    Among the delimiters the header line holds, the one that gives the sample's rows the header's
    width wins, then the one the header holds most, then , ; tab | in that order. A header with
    none of them is one column: the delimiter is then one the rows do not hold either, so that
    they are not split.
    """
    first_line = sample.split("\n", 1)[0]
    sep = _EXCEL_SEP.match(first_line)
    if sep is not None:
        return _dialect(sep.group(1)), 1
    header_counts = _count_outside_quotes(_first_record(sample))
    present = [d for d in CSV_DELIMITERS if header_counts[d]]
    if not present:
        body = sample.split("\n", 1)[1] if "\n" in sample else ""
        least = min(CSV_DELIMITERS, key=lambda d: (body.count(d), CSV_DELIMITERS.index(d)))
        return _dialect(least), 0
    if len(present) == 1:
        return _dialect(present[0]), 0

    def score(delimiter: str) -> tuple[int, int, int]:
        widths = _record_widths(sample, delimiter, complete)
        agreeing = sum(1 for width in widths[1:] if width == header_counts[delimiter] + 1)
        return agreeing, header_counts[delimiter], -CSV_DELIMITERS.index(delimiter)

    return _dialect(max(present, key=score)), 0


def _first_record(sample: str) -> str:
    """The header line, up to the first line break outside quotes."""
    in_quotes = False
    for index, char in enumerate(sample):
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            return sample[:index]
    return sample


def _count_outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(CSV_DELIMITERS, 0)
    in_quotes = False
    for char in line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    return counts


def _record_widths(sample: str, delimiter: str, complete: bool) -> list[int]:
    widths: list[int] = []
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    try:
        for fields in reader:
            if fields:
                widths.append(len(fields))
            if len(widths) > SNIFF_ROWS:
                break
    except csv.Error:
        pass
    if not complete and len(widths) <= SNIFF_ROWS and widths:
        widths.pop()  # the sample may cut the last record short
    return widths


def _dialect(delimiter: str) -> type[csv.Dialect]:
    class Sniffed(csv.excel):
        pass

    Sniffed.delimiter = delimiter
    # Malformed quoting becomes a rejected row (csv.Error per record) instead of a silent merge
    # of the following lines into one field.
    Sniffed.strict = True
    return Sniffed
