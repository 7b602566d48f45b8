"""Readers: export files in, numbered records out, lazily.

CSV (any common delimiter), JSON (an array of objects) and JSON Lines, each optionally gzip-compressed.
A record keeps its physical position (CSV line of the record's first line, the header being line 1;
JSONL line; 1-based index in a JSON array) so every finding can point back at it.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError, Location

CSV_DELIMITERS = ",;\t|"
SNIFF_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
FALLBACK_ENCODING = "cp1251"  # what Excel writes for Russian CSVs
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True, slots=True)
class Record:
    """One row of an export: its physical position and its values by (raw) column name."""

    row: int
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RecordError:
    """A row the reader could not turn into a record (ragged, bad JSON line)."""

    row: int
    field: str | None
    error: str


def detect_format(path: Path, head: bytes) -> str:
    """csv, json or jsonl: from the name first (.csv, .tsv, .json, .jsonl, .ndjson), else the content."""
    name = path.name.lower().removesuffix(".gz")
    for suffix, kind in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"),
                         (".csv", "csv"), (".tsv", "csv"), (".txt", "csv")):
        if name.endswith(suffix):
            return kind
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl"
    return "csv"


def _open_binary(path: Path) -> io.BufferedIOBase:
    raw = open(path, "rb")  # noqa: SIM115 - handed to the caller, closed there
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if magic == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw  # type: ignore[return-value]


def _choose_encoding(head: bytes, declared: str | None) -> str:
    if declared:
        return declared
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is still UTF-8.
        if exc.start < len(head) - 4:
            return FALLBACK_ENCODING
    return "utf-8-sig"


class ExportFile:
    """One input file opened for lazy reading. `records()` yields Records and RecordErrors."""

    def __init__(self, path: str | Path, encoding: str | None = None) -> None:
        self.path = Path(path)
        self.display = str(path)
        if not self.path.exists():
            raise InputError("no such file", Location(self.display))
        if self.path.is_dir():
            raise InputError("is a directory, not an export file", Location(self.display))
        try:
            with _open_binary(self.path) as stream:
                head = stream.read(SNIFF_BYTES)
        except (OSError, EOFError) as exc:
            raise InputError(f"cannot read: {exc}", Location(self.display)) from None
        self.format = detect_format(self.path, head)
        self.encoding = _choose_encoding(head, encoding)
        self._head = head
        self.columns: list[str] = []

    def _text(self) -> TextIO:
        return io.TextIOWrapper(_open_binary(self.path), encoding=self.encoding, newline="")

    def records(self) -> Iterator[Record | RecordError]:
        """Every row, in file order. Raises InputError when the file as a whole is unreadable."""
        try:
            if self.format == "csv":
                yield from self._csv_records()
            elif self.format == "jsonl":
                yield from self._jsonl_records()
            else:
                yield from self._json_records()
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot decode as {self.encoding} ({exc.reason}); pass --encoding",
                Location(self.display),
            ) from None
        except (OSError, EOFError) as exc:
            raise InputError(f"cannot read: {exc}", Location(self.display)) from None

    def _csv_records(self) -> Iterator[Record | RecordError]:
        sample = self._head.decode(self.encoding, errors="ignore")
        with self._text() as text:
            reader = csv.reader(text, dialect=_sniff_dialect(sample))
            header = next(reader, None)
            if header is None:
                raise InputError("the file is empty (no header row)", Location(self.display, 1))
            self.columns = _clean_header(header, self.display)
            width = len(self.columns)
            line_after = reader.line_num
            for fields in reader:
                first_line, line_after = line_after + 1, reader.line_num
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line is not a row
                if len(fields) != width:
                    yield RecordError(
                        first_line, None,
                        f"row has {len(fields)} fields, the header has {width}",
                    )
                    continue
                yield Record(first_line, dict(zip(self.columns, fields)))

    def _jsonl_records(self) -> Iterator[Record | RecordError]:
        with self._text() as text:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield RecordError(number, None, f"invalid JSON: {exc.msg} at column {exc.colno}")
                    continue
                if not isinstance(value, dict):
                    yield RecordError(number, None, "a JSON Lines row must be an object")
                    continue
                self._note_columns(value)
                yield Record(number, value)

    def _json_records(self) -> Iterator[Record | RecordError]:
        with self._text() as text:
            try:
                document = json.load(text)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"invalid JSON: {exc.msg}", Location(self.display, exc.lineno, exc.colno)
                ) from None
        if isinstance(document, dict):
            # Exports often wrap the rows: {"tickets": [...]} or {"results": [...]}.
            lists = [v for v in document.values() if isinstance(v, list)]
            if len(lists) != 1:
                raise InputError(
                    "expected a JSON array of objects (or an object holding exactly one array)",
                    Location(self.display, 1),
                )
            document = lists[0]
        if not isinstance(document, list):
            raise InputError("expected a JSON array of objects", Location(self.display, 1))
        for index, value in enumerate(document, start=1):
            if not isinstance(value, dict):
                yield RecordError(index, None, "array item is not an object")
                continue
            self._note_columns(value)
            yield Record(index, value)

    def _note_columns(self, value: dict[str, Any]) -> None:
        for key in value:
            if key not in self.columns:
                self.columns.append(key)

    def peek_columns(self) -> list[str]:
        """The column names, read from the header (CSV) or the first object (JSON, JSON Lines)."""
        for item in self.records():
            if isinstance(item, Record):
                return list(item.values) if self.format != "csv" else self.columns
            if self.format == "csv":
                return self.columns
        return self.columns


def _sniff_dialect(sample: str) -> type[csv.Dialect]:
    """The delimiter that splits the header line most often, outside quotes; comma on a tie."""
    header, in_quotes = [], False
    for char in sample:
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            break
        elif not in_quotes:
            header.append(char)
    counts = {d: header.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: (counts[d], d == ","))

    class Sniffed(csv.excel):
        delimiter = best if counts[best] else ","

    return Sniffed


def _clean_header(header: list[str], path: str) -> list[str]:
    names: list[str] = []
    for index, name in enumerate(header, start=1):
        name = name.strip().lstrip("\ufeff") or f"column_{index}"
        if name in names:
            raise InputError(
                f"duplicate column name {name!r} (columns {names.index(name) + 1} and {index})",
                Location(path, 1, index),
            )
        names.append(name)
    return names
