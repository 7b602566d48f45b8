"""Which text encoding an export is in, decided from a bounded sample of its first bytes.

Readers decode lazily, so the choice is made once from the head of the file: a byte-order mark
wins; else UTF-16 without a BOM (recognised by its NUL pattern); else UTF-8 when it explains the
sample's non-ASCII bytes (all of them, or all but a small share: stray bytes in a UTF-8 file damage
their rows, not the file); else the legacy code page charset-normalizer finds most plausible, with a
preference for the code pages exports are really written in (Excel's Russian CSV is cp1251). When
the evidence is not clean (a UTF-8 file with invalid bytes, a legacy file with lines of valid UTF-8)
the choice carries a note saying what was decided and why, which the report shows as a warning.
A wrong guess is never a crash: bytes the chosen encoding cannot decode are kept as escape
characters (`ESCAPE_ERRORS`), and the reader rejects the row holding them, naming the field and
suggesting `--encoding` (`undecodable_bytes`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# How much of a file the guess looks at: enough for a few thousand rows, bounded for huge files.
ENCODING_SAMPLE_BYTES = 1024 * 1024
UTF8 = "utf-8-sig"  # reads UTF-8 with or without a BOM alike
# What a tiny, undecidable sample of non-UTF-8 bytes is read as: Excel's Russian CSV.
FALLBACK_ENCODING = "cp1251"
# Code pages exports are written in, most likely first. charset-normalizer proposes; among its
# near-equal proposals (and the encodings it says decode the sample identically) the first of
# these wins, because a short sample rarely tells cp1251 from mac_cyrillic or cp1252 from cp1250.
LEGACY_ENCODINGS = (
    "cp1251",
    "cp1252",
    "koi8_r",
    "cp866",
    "cp1250",
    "mac_cyrillic",
    "koi8_u",
    "iso8859_5",
    "iso8859_15",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "cp874",
    "cp932",
    "gb18030",
    "big5",
    "euc_kr",
)
# Proposals whose "chaos" (mess ratio) is within this of the best are treated as equally good,
CHAOS_SLACK = 0.05
# and so are those whose language coherence is within this of the best. Coherence (how much the
# decoded words look like a language) is only trusted with this many non-ASCII bytes to judge:
# on a few names it happily reads Russian "Анна" in cp1252 as "Àííà", a Latin word.
COHERENCE_SLACK = 0.05
COHERENCE_MIN_BYTES = 100
# UTF-16 without a BOM: text that is mostly ASCII has a NUL in nearly every other byte.
UTF16_PROBE_BYTES = 4096
UTF16_NUL_SHARE = 0.5  # NULs in at least half of one parity of positions,
UTF16_OTHER_NUL_SHARE = 0.05  # and in almost none of the other parity
# A UTF-8 character cut by the end of the sample is at most this many bytes from the end.
UTF8_MAX_CHAR_BYTES = 4
# UTF-8 explains a sample when at most this share of its non-ASCII bytes are not valid UTF-8: a
# stray byte or a pasted legacy row. Legacy text decodes as UTF-8 only by chance (cp866's lowercase
# letters do so most often, yet leave most of their bytes invalid), so a genuine legacy file is far
# above it.
UTF8_INVALID_SHARE = 0.05
# A legacy file is said to mix in UTF-8 when at least this share of its non-ASCII lines decode as
# valid UTF-8: a chance-valid line in a legacy file is rare, a whole UTF-8 block is not.
MIXED_UTF8_LINE_SHARE = 0.05
# How many line numbers a note lists before it says "...".
NOTE_LINES_SHOWN = 5
# Every well-formed multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)

_NON_ASCII = bytes(range(0x80, 0x100))

ESCAPE_ERRORS = "svcaudit-escape"
# Undecodable byte b is read as the lone surrogate U+DC00 + b, which no decoded text can contain,
# so the row holding it can be found and rejected instead of the whole file failing.
ESCAPE_BASE = 0xDC00
NUL_STANDIN = chr(ESCAPE_BASE)  # a NUL byte in CSV text is marked the same way (see readers)
_ESCAPED = re.compile("[\udc00-\udcff]+")


_escapes_made = 0


def _escape(error: UnicodeError) -> tuple[str, int]:
    global _escapes_made
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _escapes_made += 1
    bad = error.object[error.start : error.end]
    return "".join(chr(ESCAPE_BASE + byte) for byte in bad), error.end


def escapes_made() -> int:
    """How many times any decoder has escaped bytes: a reader compares it before and after, so
    that it searches its text for escapes only once there can be some."""
    return _escapes_made


codecs.register_error(ESCAPE_ERRORS, _escape)


def undecodable_bytes(text: str) -> bytes | None:
    """The escaped bytes in a decoded value (None if there are none), for the rejection message."""
    found = _ESCAPED.findall(text)
    if not found:
        return None
    return bytes(ord(char) - ESCAPE_BASE for run in found for char in run)


def check_encoding_name(name: str) -> str | None:
    """None when Python knows the encoding; else why not (for an `--encoding` typo)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return f"unknown encoding {name!r}"
    # The same test io.TextIOWrapper makes: bytes-to-bytes codecs (hex, zlib, ...) cannot read text.
    if not getattr(info, "_is_text_encoding", True):
        return f"{name!r} is not a text encoding"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    probe = sample[:UTF16_PROBE_BYTES]
    half = len(probe) // 2
    if half < 2:
        return None
    even = probe[0::2].count(0) / half
    odd = probe[1::2].count(0) / half
    if odd >= UTF16_NUL_SHARE and even <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE and odd <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


@dataclass(frozen=True, slots=True)
class EncodingChoice:
    """The encoding a file is read in and, when the evidence was not clean, why (for a warning)."""

    name: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Utf8Evidence:
    """How well UTF-8 explains a sample's non-ASCII bytes."""

    non_ascii: int  # bytes >= 0x80
    valid: int  # of those, bytes inside well-formed multi-byte sequences

    @property
    def invalid(self) -> int:
        return self.non_ascii - self.valid


def _whole_characters(sample: bytes, complete: bool) -> bytes:
    """The sample without a multi-byte character cut by the end of the sample window (a file's
    last bytes are never cut: there, an incomplete character is an error)."""
    if complete:
        return sample
    for back in range(1, min(UTF8_MAX_CHAR_BYTES, len(sample)) + 1):
        byte = sample[-back]
        if byte < 0x80:
            return sample
        if byte >= 0xC0:  # the lead byte of the last character: is the character complete?
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return sample[:-back] if length > back else sample
    return sample


def _is_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_evidence(sample: bytes) -> _Utf8Evidence:
    non_ascii = len(sample) - len(sample.translate(None, _NON_ASCII))
    valid = sum(len(found) for found in _UTF8_MULTIBYTE.findall(sample)) if non_ascii else 0
    return _Utf8Evidence(non_ascii, valid)


def _lines_listed(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:NOTE_LINES_SHOWN]))
    return ("line " if len(lines) == 1 else "lines ") + shown + (", ..." if len(lines) > NOTE_LINES_SHOWN else "")


def _invalid_lines(sample: bytes) -> list[int]:
    """The 1-based lines of the sample holding bytes that are not valid UTF-8."""
    lines: list[int] = []
    for number, line in enumerate(sample.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(number)
    return lines


def _counted(evidence: _Utf8Evidence, complete: bool) -> str:
    count = evidence.invalid
    return (
        f"{count} of the {evidence.non_ascii} non-ASCII bytes in {_where(complete)} "
        f"{'is' if count == 1 else 'are'} not valid UTF-8"
    )


def _utf8_despite(sample: bytes, evidence: _Utf8Evidence, complete: bool) -> EncodingChoice:
    return EncodingChoice(
        UTF8,
        (
            f"read as UTF-8: {_counted(evidence, complete)} ({_lines_listed(_invalid_lines(sample))}), "
            f"so the rows holding such bytes are rejected; if the file is in another encoding, "
            f"pass --encoding"
        ),
    )


def _mixed_note(sample: bytes, legacy: str, evidence: _Utf8Evidence, complete: bool) -> str | None:
    """A warning when a file read in a legacy encoding also holds lines of valid UTF-8 text:
    those lines read garbled, and the user must choose (None when there are too few to tell)."""
    utf8_lines: list[int] = []
    non_ascii_lines = 0
    for number, line in enumerate(sample.split(b"\n"), start=1):
        if line.isascii():
            continue
        non_ascii_lines += 1
        if _is_utf8(line):
            utf8_lines.append(number)
    if not utf8_lines or len(utf8_lines) < MIXED_UTF8_LINE_SHARE * non_ascii_lines:
        return None
    return (
        f"read as {legacy}: {_counted(evidence, complete)}, too many for stray bytes, but "
        f"{len(utf8_lines)} of the {non_ascii_lines} lines with non-ASCII text are valid UTF-8 "
        f"({_lines_listed(utf8_lines)}): the file mixes encodings, and those lines read "
        f"garbled; pass --encoding utf-8 to read them and reject the others"
    )


def _where(complete: bool) -> str:
    """What the counts of a note were taken from."""
    return "the file" if complete else f"its first {ENCODING_SAMPLE_BYTES // (1024 * 1024)} MB"


def _legacy(sample: bytes) -> str:
    matches = list(from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        return FALLBACK_ENCODING
    least_chaos = min(match.chaos for match in matches)
    pool = [match for match in matches if match.chaos <= least_chaos + CHAOS_SLACK]
    non_ascii = len(sample) - len(sample.translate(None, _NON_ASCII))
    if non_ascii >= COHERENCE_MIN_BYTES:
        best_coherence = max(match.coherence for match in pool)
        pool = [match for match in pool if match.coherence >= best_coherence - COHERENCE_SLACK]
    fitting = {codecs.lookup(name).name for match in pool for name in (match.encoding, *match.could_be_from_charset)}
    for name in LEGACY_ENCODINGS:
        if codecs.lookup(name).name in fitting:
            return name
    return pool[0].encoding


def choose_encoding(sample: bytes, declared: str | None = None, complete: bool = False) -> str:
    """The encoding to read a file in, from its first bytes (see `decide_encoding`)."""
    return decide_encoding(sample, declared, complete).name


def decide_encoding(sample: bytes, declared: str | None = None, complete: bool = False) -> EncodingChoice:
    """The encoding to read a file in, from its first bytes; `declared` (--encoding) wins.

    `complete` says the sample is the whole file, so a character cut at its end is an error,
    not the edge of the sample window.
    """
    if declared:
        return EncodingChoice(declared)
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return EncodingChoice("utf-32")
    if sample.startswith(codecs.BOM_UTF8):
        return EncodingChoice(UTF8)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return EncodingChoice("utf-16")
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return EncodingChoice(utf16)
    sample = _whole_characters(sample, complete)
    if _is_utf8(sample):
        return EncodingChoice(UTF8)
    evidence = _utf8_evidence(sample)
    if evidence.valid and evidence.invalid <= UTF8_INVALID_SHARE * evidence.non_ascii:
        return _utf8_despite(sample, evidence, complete)
    legacy = _legacy(sample)
    return EncodingChoice(legacy, _mixed_note(sample, legacy, evidence, complete) if evidence.valid else None)
