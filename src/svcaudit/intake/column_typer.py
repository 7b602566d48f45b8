"""Ticket fields typed a column at a time: a `CellBatch` of text in, arrays of canonical values out.

The columnar audit's counterpart of `RowParser.ticket`. Every value it gives equals what `ticket`
gives that row; a row it cannot vouch for (one `ticket` would reject, or whose field it would reject
as stamped before creation, or a value no column-wise form covers and the reference refuses) is
marked not `exact`, and the caller types that row with `RowParser.ticket` as always.

Timestamps in ISO 8601 (date, or date and time with T or a space, optional seconds and fraction,
optional Z or +HH:MM) are read column-wise, the common fixed-width forms from the string array's
bytes and the others by regex (`iso_parts`); naive ones in the standard's zone, from the zone's
offsets (a local time in a daylight-saving gap or fold is read by the reference parser). Any other
form (dotted and slash dates, epoch seconds, free text, null markers) is read by the reference
parser once per distinct value. Enumerated and name fields, and numbers, are read by the reference
code once per distinct value (`dictionary_encode`), so the standard's value mapping and null markers
apply as they do to a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from svcaudit.intake.arrow_csv import SPACE_CHARS, CellBatch
from svcaudit.intake.fields import FieldError, RowParser, survey_score, whole_number
from svcaudit.intake.iso_parts import IsoParts, fixed_width_parts, regex_parts
from svcaudit.intake.timestamps import MAX_YEAR, MIN_YEAR
from svcaudit.timecalc.worktable import NAT

# A missing timestamp (blank, a null marker, no such column) in `TypedColumns.stamps`.
MISSING = NAT  # as the work table marks a missing instant
STAMP_FIELDS = ("created_at", "first_reply_at", "resolved_at")
FOLDED_FIELDS = ("status", "priority", "channel")  # casefolded, as `RowParser.ticket` does
NAME_FIELDS = ("agent", "team", "customer_name")
NUMBER_FIELDS = ("reopens", "csat", "nps", "ces")
LATER_STAMPS = ("first_reply_at", "resolved_at")  # rejected when before created_at
EXACT_FLOAT = 2**53  # a whole number above it may not survive float64
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MICROS = timedelta(microseconds=1)
SECOND = 1_000_000
HOUR = 3600 * SECOND
DAY = 24 * HOUR
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


@dataclass
class TypedColumns:
    """One batch's ticket fields, row-aligned with the batch.

    `exact[i]`: row i's values below equal `RowParser.ticket`'s, which neither raises nor rejects
    a field for it; other rows are the caller's to type with the reference. `stamps`: epoch
    microseconds UTC, MISSING where empty. `coded`: (codes, values), the row's value being
    `values[codes[i]]` (None: empty), codes per batch. `numbers`: NaN where empty. `present`: the
    input's canonical column names (`Ticket.columns`).
    """

    size: int
    exact: np.ndarray
    stamps: dict[str, np.ndarray]
    coded: dict[str, tuple[np.ndarray, list[str | None]]]
    numbers: dict[str, np.ndarray]
    present: frozenset[str]


class Refused(Exception):
    """A value the reference would not give a row (it raises, or the float is not exact)."""


def typed_alike(names: list[str]) -> bool:
    """Whether rows under these column names can be typed column-wise into the objects the
    reference makes of each (`message_columns`, `ticket_columns`): not when a name stands twice
    (a row's mapping keeps the last of them, in the place of the first)."""
    return len(set(names)) == len(names)


def type_columns(batch: CellBatch, names: list[str], parser: RowParser) -> TypedColumns:
    """The ticket fields of a batch's rows, typed as `parser.ticket` types them."""
    size = len(batch)
    exact = np.ones(size, dtype=bool)
    position = {name: index for index, name in enumerate(names)}  # the last, as a row's mapping keeps
    columns = {name: batch.cells[index] for name, index in position.items()}
    coded: dict[str, tuple[np.ndarray, list[str | None]]] = {}
    for name in FOLDED_FIELDS + NAME_FIELDS:
        coded[name] = per_value(columns.get(name), size, _text_reader(parser, name), exact)
    coded["ticket_id"] = ticket_ids(columns.get("ticket_id"), size, parser, exact)
    numbers = {
        name: _numbers(per_value(columns.get(name), size, _number_reader(parser, name), exact))
        for name in NUMBER_FIELDS
    }
    stamps = {name: timestamp_micros(columns.get(name), size, name, batch.path, parser, exact) for name in STAMP_FIELDS}
    created = stamps["created_at"]
    for name in LATER_STAMPS:
        later = stamps[name]
        exact &= ~((created != MISSING) & (later != MISSING) & (later < created))
    return TypedColumns(size, exact, stamps, coded, numbers, frozenset(names))


def _text_reader(parser: RowParser, name: str) -> Callable[[str], str | None]:
    if name == "ticket_id":
        return lambda raw: parser.read_ticket_id({name: raw})
    folded = name in FOLDED_FIELDS

    def text(raw: str) -> str | None:
        value = parser.field_text(name, raw)
        return value.casefold() if folded and value is not None else value

    return text


def ticket_ids(
    column: pa.Array | None, size: int, parser: RowParser, exact: np.ndarray
) -> tuple[np.ndarray, list[str | None]]:
    """Ticket ids, trimmed; column-wise unless the standard maps their values (ids are distinct:
    reading them per distinct value is reading them per row). A row whose id is empty, or keeps
    white space at an end after ASCII trimming (str.strip() would take it), is not exact."""
    if column is None or "ticket_id" in parser.mapping.mapped_fields:
        return per_value(column, size, _text_reader(parser, "ticket_id"), exact)
    trimmed = pc.ascii_trim_whitespace(column)
    odd = pc.or_(
        pc.equal(pc.utf8_length(trimmed), 0),
        pc.match_substring_regex(trimmed, f"^[{SPACE_CHARS}]|[{SPACE_CHARS}]$"),
    )
    exact &= ~odd.to_numpy(zero_copy_only=False)
    return np.arange(size, dtype=np.int32), trimmed.to_pylist()


def _number_reader(parser: RowParser, name: str) -> Callable[[str], float | None]:
    def number(raw: str) -> float | None:
        text = parser.field_text(name, raw)
        if text is None:
            return None
        if name != "reopens":
            return survey_score(name, text)
        whole = whole_number(text)
        if whole > EXACT_FLOAT:
            raise Refused(text)
        return float(whole)

    return number


def per_value(column: pa.Array | None, size: int, read: Callable[[str], object], exact: np.ndarray) -> tuple:
    """(codes, values) of a column read once per distinct text; rows whose text `read` refuses
    are marked not exact (their code points at None). A missing column, or a null entry, is read
    as None."""
    if column is None:  # as a row without the column: its value is None
        try:
            value = read(None)  # type: ignore[arg-type]
        except (FieldError, Refused):
            exact[:] = False
            value = None
        return np.zeros(size, dtype=np.int32), [value]
    encoded = pc.dictionary_encode(column, null_encoding="encode")
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    values: list = []
    where: dict = {}
    remap = np.empty(len(encoded.dictionary), dtype=np.int32)
    refused = []
    for index, raw in enumerate(encoded.dictionary.to_pylist()):
        try:
            value = read(raw)
        except (FieldError, Refused):
            value = None
            refused.append(index)
        code = where.get(value)
        if code is None:
            code = where[value] = len(values)
            values.append(value)
        remap[index] = code
    if refused:
        exact &= ~np.isin(indices, refused)
    return remap[indices], values


def listed(codes: np.ndarray, values: list) -> list:
    """A coded column (`per_value`) as a list of its rows' values."""
    table = np.empty(len(values), dtype=object)
    table[:] = values
    return table[codes].tolist()


def figures(numbers: np.ndarray, name: str) -> list[float | int | None]:
    """A `TypedColumns.numbers` column as the reference's values: reopens a whole number, the
    scores floats; None where empty (NaN)."""
    whole = name == "reopens"
    return [None if value != value else int(value) if whole else value for value in numbers.tolist()]


def moments(stamps: np.ndarray) -> list[datetime | None]:
    """Epoch microseconds (`timestamp_micros`) as the aware UTC datetimes the reference parser
    gives; None where MISSING."""
    return [None if micros == MISSING else EPOCH + timedelta(microseconds=micros) for micros in stamps.tolist()]


def _numbers(coded: tuple[np.ndarray, list]) -> np.ndarray:
    codes, values = coded
    table = np.array([np.nan if value is None else value for value in values], dtype=np.float64)
    return table[codes]


def timestamp_micros(
    column: pa.Array | pa.ChunkedArray | None, size: int, name: str, path: str, parser: RowParser, exact: np.ndarray
) -> np.ndarray:
    """A timestamp column as epoch microseconds: ISO 8601 column-wise (its fixed-width forms from
    the bytes, the others by regex), the rest per distinct value by the reference
    (`RowParser.timestamp`)."""
    stamps = np.full(size, MISSING, dtype=np.int64)
    if column is None:
        return stamps
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    rows, parts, blank = _iso_texts(column)
    read = np.zeros(size, dtype=bool)
    if rows.size:
        micros, ok = _iso_micros(parts, parser.timestamps.zone)
        stamps[rows[ok]] = micros[ok]
        read[rows[ok]] = True
    rest = np.flatnonzero(~read & ~blank)
    if rest.size:

        def reference(raw: str) -> int | None:
            moment = parser.timestamp({name: raw}, name, path)
            return None if moment is None else (moment - EPOCH) // MICROS

        exact_rest = np.ones(rest.size, dtype=bool)
        codes, values = per_value(column.take(pa.array(rest)), rest.size, reference, exact_rest)
        table = np.array([MISSING if value is None else value for value in values], dtype=np.int64)
        stamps[rest] = table[codes]
        exact[rest[~exact_rest]] = False
    return stamps


def _iso_texts(column: pa.Array) -> tuple[np.ndarray, IsoParts, np.ndarray]:
    """The rows of a column whose trimmed text is ISO 8601, their fields, and which rows are blank
    once trimmed. Texts of a fixed-width form are read from the bytes as they are (they have
    nothing to trim); only the other rows are trimmed and read by regex."""
    size = len(column)
    fixed_rows, fixed = fixed_width_parts(column)
    blank = np.zeros(size, dtype=bool)
    if fixed_rows.size == size:
        return fixed_rows, fixed, blank
    if fixed_rows.size:
        other = np.ones(size, dtype=bool)
        other[fixed_rows] = False
        other_rows = np.flatnonzero(other)
        others = column.take(pa.array(other_rows))
    else:
        other_rows, others = np.arange(size), column
    trimmed = pc.ascii_trim_whitespace(others)
    blank[other_rows] = pc.equal(pc.utf8_length(trimmed), 0).fill_null(False).to_numpy(zero_copy_only=False)
    regex_rows, matched = regex_parts(trimmed)
    return np.concatenate([fixed_rows, other_rows[regex_rows]]), IsoParts.joined([fixed, matched]), blank


def _iso_micros(parts: IsoParts, zone: tzinfo) -> tuple[np.ndarray, np.ndarray]:
    """Epoch microseconds of ISO 8601 fields, and which rows are certain (a valid date and time,
    the year in range, a naive time clear of the zone's gaps and folds)."""
    year, month, day = parts.year, parts.month, parts.day
    hour, minute, second = parts.hour, parts.minute, parts.second
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    ok = (
        (year >= MIN_YEAR)
        & (year <= MAX_YEAR)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
        & (parts.zone_hours <= 23)
        & (parts.zone_minutes <= 59)
    )
    local = (
        _days_from_civil(year, month, day) * DAY + hour * HOUR + minute * 60 * SECOND + second * SECOND + parts.fraction
    )
    offset = (parts.zone_hours * HOUR + parts.zone_minutes * 60 * SECOND) * parts.zone_sign
    naive = parts.naive & ok  # the zone is asked only of dates in range
    if naive.any():
        local_offset, clear = _zone_offsets(zone, local[naive], year[naive])
        offset[naive] = local_offset
        ok[naive] &= clear
    return local - offset, ok


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm), column-wise."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _zone_offsets(zone: tzinfo, local: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The UTC offset (microseconds) of naive local times in `zone`, and which are clear of its
    transitions (not in a gap or a fold, nor a zone this cannot tabulate): those are the reference's."""
    if isinstance(zone, timezone):
        return np.full(local.size, zone.utcoffset(None) // MICROS, dtype=np.int64), np.ones(local.size, dtype=bool)
    if not isinstance(zone, ZoneInfo):
        return np.zeros(local.size, dtype=np.int64), np.zeros(local.size, dtype=bool)
    low, high = int(years.min()), int(years.max())
    at, before, after = _transitions(zone, low - 1, high + 1)
    start = _offset_at(zone, datetime(low - 1, 1, 1, tzinfo=timezone.utc))
    if at.size == 0:  # a zone without changes over these years (UTC, or a zone that kept its offset)
        return np.full(local.size, start, dtype=np.int64), np.ones(local.size, dtype=bool)
    # The offset after the last transition whose wall time (either side) lies at or before `local`.
    walls_after = at + np.maximum(before, after)
    index = np.searchsorted(walls_after, local, side="right")
    offsets = np.where(index > 0, after[np.maximum(index - 1, 0)], start)
    # A local time between a transition's two wall times is in its gap or its fold.
    clear = np.ones(local.size, dtype=bool)
    for moment, first, second in zip(at, before, after, strict=True):
        clear &= ~((local >= moment + min(first, second)) & (local < moment + max(first, second)))
    return offsets.astype(np.int64), clear


def _offset_at(zone: tzinfo, moment: datetime) -> int:
    offset = moment.astimezone(zone).utcoffset()
    return 0 if offset is None else offset // MICROS


@lru_cache(maxsize=64)
def _transitions(zone: ZoneInfo, first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(UTC instants, offset before, offset after) of the zone's offset changes over the years,
    in microseconds: found by probing every hour, then to the second."""
    times, befores, afters = [], [], []
    for year in range(first_year, last_year + 1):
        for moment, before, after in _year_transitions(zone, year):
            times.append(moment)
            befores.append(before)
            afters.append(after)
    return (np.array(times, dtype=np.int64), np.array(befores, dtype=np.int64), np.array(afters, dtype=np.int64))


@lru_cache(maxsize=512)
def _year_transitions(zone: ZoneInfo, year: int) -> list[tuple[int, int, int]]:
    found = []
    start = datetime(year, 1, 1, tzinfo=timezone.utc)
    hours = int((datetime(year + 1, 1, 1, tzinfo=timezone.utc) - start) / timedelta(hours=1))
    hour = timedelta(hours=1)
    previous = _offset_at(zone, start)
    for step in range(1, hours + 1):
        moment = start + step * hour
        offset = _offset_at(zone, moment)
        if offset != previous:
            low, high = moment - hour, moment  # the change happens in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset_at(zone, middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append(((high - EPOCH) // MICROS, previous, offset))
            previous = offset
    return found
