"""ISO 8601 timestamp texts of a string column split into integer fields, for `column_typer`.

Two readers give the same fields (`IsoParts`) for the rows they read, so one validation and one
arithmetic turn either into instants. `fixed_width_parts` reads the common forms of a fixed length
(`YYYY-MM-DDTHH:MM:SS`, then nothing, `Z` or `+HH:MM`) straight from the array's bytes, the bulk
of an export's timestamps; `regex_parts` reads every ISO 8601 form the typer knows (fractions,
dates alone, times without seconds) with a regular expression and its captured groups, which costs
several times more per value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.lib.stride_tricks import sliding_window_view

ISO_PATTERN = (
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
    r"(?P<z>Z|(?P<zs>[+-])(?P<zh>\d{2}):(?P<zm>\d{2}))?)?$"
)
FRACTION_DIGITS = 6  # microseconds
# The fixed-width forms, a character a byte: 9 an ASCII digit (as RE2's \d), T one of "Tt ",
# + one of "+-", anything else itself. Each is a form ISO_PATTERN reads, with seconds and no fraction.
FIXED_FORMS = ("9999-99-99T99:99:99", "9999-99-99T99:99:99Z", "9999-99-99T99:99:99+99:99")
_CLASSES = {"9": b"0123456789", "T": b"Tt ", "+": b"+-"}
_ZERO = np.uint8(ord("0"))
_TEN = np.uint16(10)
_WEST = ord("-")
_NAIVE_WIDTH, _, _OFFSET_WIDTH = (len(form) for form in FIXED_FORMS)
# Where each field's digits start in a fixed-width text, and how many there are.
_YEAR, _MONTH, _DAY = (0, 4), (5, 2), (8, 2)
_HOUR, _MINUTE, _SECOND = (11, 2), (14, 2), (17, 2)
_ZONE_SIGN, _ZONE_HOURS, _ZONE_MINUTES = 19, (20, 2), (23, 2)


@dataclass
class IsoParts:
    """The fields of ISO 8601 texts, an entry a row, as int64 (bool for `naive`). A field the text
    lacks is 0 (a date alone is at midnight); `zone_sign` is -1 west of UTC, else 1; `naive` marks
    a text without a zone (its zone fields are 0)."""

    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    hour: np.ndarray
    minute: np.ndarray
    second: np.ndarray
    fraction: np.ndarray  # microseconds
    zone_sign: np.ndarray
    zone_hours: np.ndarray
    zone_minutes: np.ndarray
    naive: np.ndarray

    @classmethod
    def joined(cls, parts: list[IsoParts]) -> IsoParts:
        """The parts one after the other, as one."""
        parts = [part for part in parts if part.year.size]
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls.empty()
        return cls(
            **{field.name: np.concatenate([getattr(part, field.name) for part in parts]) for field in fields(cls)}
        )

    @classmethod
    def empty(cls) -> IsoParts:
        numbers = {field.name: np.zeros(0, dtype=np.int64) for field in fields(cls)}
        return cls(**{**numbers, "naive": np.zeros(0, dtype=bool)})


def regex_parts(texts: pa.Array) -> tuple[np.ndarray, IsoParts]:
    """The rows of `texts` that are ISO 8601 as a whole (ISO_PATTERN), and their fields."""
    parts = pc.extract_regex(texts, ISO_PATTERN)
    matched = parts.is_valid().to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(matched)
    if rows.size == 0:
        return rows, IsoParts.empty()
    parts = parts.filter(pa.array(matched))

    def number(field: str) -> np.ndarray:
        text = parts.field(field)
        text = pc.if_else(pc.equal(pc.utf8_length(text), 0), "0", text)
        return pc.cast(text, pa.int64()).to_numpy(zero_copy_only=False)

    fraction = pc.utf8_rpad(parts.field("f"), width=FRACTION_DIGITS, padding="0")
    west = pc.equal(parts.field("zs"), "-").to_numpy(zero_copy_only=False)
    return rows, IsoParts(
        year=number("y"),
        month=number("m"),
        day=number("d"),
        hour=number("H"),
        minute=number("M"),
        second=number("S"),
        fraction=pc.cast(fraction, pa.int64()).to_numpy(zero_copy_only=False),
        zone_sign=np.where(west, -1, 1),
        zone_hours=number("zh"),
        zone_minutes=number("zm"),
        naive=pc.equal(pc.utf8_length(parts.field("z")), 0).to_numpy(zero_copy_only=False),
    )


def fixed_width_parts(texts: pa.Array) -> tuple[np.ndarray, IsoParts]:
    """The rows of `texts` whose text is, byte for byte, one of FIXED_FORMS, and their fields
    (in the order of FIXED_FORMS, then of the rows). Such a text has no white space at either end,
    so it is its own trimmed text, and ISO_PATTERN would read it to the same fields. A text of
    another type than string or large string is left to `regex_parts`."""
    none = np.zeros(0, dtype=np.int64), IsoParts.empty()
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        return none
    _, offsets_buffer, data_buffer = texts.buffers()
    if data_buffer is None or data_buffer.size == 0:
        return none
    offset_type = np.dtype(np.int64 if pa.types.is_large_string(texts.type) else np.int32)
    offsets = np.frombuffer(
        offsets_buffer, dtype=offset_type, count=len(texts) + 1, offset=texts.offset * offset_type.itemsize
    ).astype(np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    lengths = np.diff(offsets)
    if texts.null_count:
        lengths[~texts.is_valid().to_numpy(zero_copy_only=False)] = 0
    found: list[np.ndarray] = []
    parts: list[IsoParts] = []
    for form in _FORMS:
        rows = np.flatnonzero(lengths == form.width)
        if rows.size == 0:
            continue
        # Position-major (a row of the matrix per character position) keeps each position's
        # bytes contiguous for the checks and sums below.
        positions = np.ascontiguousarray(sliding_window_view(data, form.width)[offsets[rows]].T)
        fits = form.fits(positions)
        if not fits.all():
            rows, positions = rows[fits], positions[:, fits]
        found.append(rows)
        parts.append(_fixed_fields(positions))
    if not found:
        return none
    return np.concatenate(found), IsoParts.joined(parts)


@dataclass(frozen=True)
class _Form:
    """A fixed-width form as byte checks: at each position a byte in [low, low + span], and at the
    positions whose bytes are not one range (a class of "Tt ", "+-"), a lookup of the byte."""

    width: int
    low: tuple[np.uint8, ...]
    span: tuple[np.uint8, ...]
    lookups: tuple[tuple[int, np.ndarray], ...]

    @classmethod
    def of(cls, form: str) -> _Form:
        allowed = [_CLASSES.get(char, char.encode("ascii")) for char in form]
        lookups = []
        for position, chars in enumerate(allowed):
            if max(chars) - min(chars) + 1 != len(chars):
                table = np.zeros(256, dtype=bool)
                table[list(chars)] = True
                lookups.append((position, table))
        return cls(
            width=len(form),
            low=tuple(np.uint8(min(chars)) for chars in allowed),
            span=tuple(np.uint8(max(chars) - min(chars)) for chars in allowed),
            lookups=tuple(lookups),
        )

    def fits(self, positions: np.ndarray) -> np.ndarray:
        """Which texts (columns of the position-major bytes) are of this form."""
        fits = np.ones(positions.shape[1], dtype=bool)
        for column, low, span in zip(positions, self.low, self.span, strict=True):
            fits &= column - low <= span  # a byte below `low` wraps above any span
        for position, table in self.lookups:
            fits &= table[positions[position]]
        return fits


_FORMS = tuple(_Form.of(form) for form in FIXED_FORMS)


def _fixed_fields(positions: np.ndarray) -> IsoParts:
    """The fields of fixed-width texts of one form, given position-major (a row per position)."""
    width, count = positions.shape

    def number(where: tuple[int, int]) -> np.ndarray:
        start, digits = where
        value = np.zeros(count, dtype=np.uint16)  # four digits at most
        for position in range(start, start + digits):
            value = value * _TEN + (positions[position] - _ZERO)
        return value.astype(np.int64)

    offset = width == _OFFSET_WIDTH
    return IsoParts(
        year=number(_YEAR),
        month=number(_MONTH),
        day=number(_DAY),
        hour=number(_HOUR),
        minute=number(_MINUTE),
        second=number(_SECOND),
        fraction=np.zeros(count, dtype=np.int64),
        zone_sign=np.where(positions[_ZONE_SIGN] == _WEST, -1, 1) if offset else np.ones(count, dtype=np.int64),
        zone_hours=number(_ZONE_HOURS) if offset else np.zeros(count, dtype=np.int64),
        zone_minutes=number(_ZONE_MINUTES) if offset else np.zeros(count, dtype=np.int64),
        naive=np.full(count, width == _NAIVE_WIDTH, dtype=bool),
    )
