"""Which text encoding an export is in, decided from a bounded sample of its first bytes.

Readers decode lazily, so the choice is made once from the head of the file: a byte-order mark
wins; else valid UTF-8; else UTF-16 without a BOM (recognised by its NUL pattern); else the legacy
code page charset-normalizer finds most plausible, with a preference for the code pages exports are
really written in (Excel's Russian CSV is cp1251). A wrong guess is never a crash: bytes the chosen
encoding cannot decode are kept as escape characters (`ESCAPE_ERRORS`), and the reader rejects the
row holding them, naming the field and suggesting `--encoding` (`undecodable_bytes`).
"""
from __future__ import annotations

import codecs
import re

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
    "cp1251", "cp1252", "koi8_r", "cp866", "cp1250", "mac_cyrillic", "koi8_u", "iso8859_5",
    "iso8859_15", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256", "cp874",
    "cp932", "gb18030", "big5", "euc_kr",
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
    bad = error.object[error.start:error.end]
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


def _is_utf8(sample: bytes, complete: bool) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        return not complete and exc.start >= len(sample) - UTF8_MAX_CHAR_BYTES and exc.reason in (
            "unexpected end of data",
        )
    return True


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
    fitting = {codecs.lookup(name).name for match in pool
               for name in (match.encoding, *match.could_be_from_charset)}
    for name in LEGACY_ENCODINGS:
        if codecs.lookup(name).name in fitting:
            return name
    return pool[0].encoding


def choose_encoding(sample: bytes, declared: str | None = None, complete: bool = False) -> str:
    """The encoding to read a file in, from its first bytes; `declared` (--encoding) wins.

    `complete` says the sample is the whole file, so a character cut at its end is an error,
    not the edge of the sample window.
    """
    if declared:
        return declared
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return utf16
    if _is_utf8(sample, complete):
        return UTF8
    return _legacy(sample)
