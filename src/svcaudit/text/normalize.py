"""Text normalisation: the first step of every phrase check.

``normalize`` gives the canonical form that phrases and user regular expressions are matched
against (Unicode NFKC, case folding, ``ё`` read as ``е``, invisible format characters removed,
white space collapsed).  ``fold`` does the same minus the white-space collapsing and remembers,
for every character of the result, which characters of the *original* text it came from, so
that evidence can quote what the agent actually wrote.  ``strip_noise`` optionally removes
quoted e-mail history, signatures, URLs and @mentions before a text is audited.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from svcaudit.text import unicode_marks

__all__ = ["Folded", "fold", "fold_fragment", "normalize", "strip_noise"]

# Invisible format characters that split or glue words without being seen: soft hyphen,
# zero-width space / non-joiner / joiner, word joiner, BOM.  They are deleted, because an agent
# who pastes "спа\u00adсибо" has still written "спасибо" (and they are a classic filter evasion).
INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_DELETE_INVISIBLE = {ord(ch): None for ch in INVISIBLE_CHARS}

# Code-point ranges searched for "simple" characters (see _is_simple).  They cover Latin,
# Greek, Cyrillic and general punctuation, i.e. virtually all support text svcaudit expects.
_SIMPLE_CANDIDATE_RANGES = ((0x0000, 0x052F), (0x2000, 0x206F))


def fold_fragment(chunk: str) -> str:
    """NFKC, case fold, NFKC again, drop invisibles, ``ё`` -> ``е`` (any length in and out)."""
    # NFC then NFKC (as the standard words it) is the same as NFKC alone: NFKC already
    # composes canonically.  Case folding can un-normalise a few characters (e.g. "ǰ"), so
    # NFKC is applied again, as Unicode's NFKC_Casefold does.
    folded = unicodedata.normalize("NFKC", chunk).casefold()
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    return folded.translate(_DELETE_INVISIBLE).replace("ё", "е")


def _is_simple(ch: str) -> bool:
    """A character that folds to exactly one character on its own and never composes.

    For a text made only of such characters the fold is a per-character map, so offsets in the
    folded text equal offsets in the original and the fast path needs no offset table.
    """
    if unicodedata.combining(ch) or ch in INVISIBLE_CHARS:
        return False
    if unicodedata.normalize("NFKC", ch) != ch:
        return False
    folded = ch.casefold()
    return len(folded) == 1 and unicodedata.normalize("NFKC", folded) == folded


def _runs(code_points: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending code points as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for cp in code_points:
        if runs and cp == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return runs


def _char_class(runs: Iterable[tuple[int, int]]) -> str:
    """A regex character-class body for (first, last) runs of code points."""
    return "".join(
        re.escape(chr(first)) if first == last else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
        for first, last in runs
    )


def derive_mark_runs() -> list[tuple[int, int]]:
    """The combining marks (category M) of the Basic Multilingual Plane from U+0300, as runs, from
    the Unicode database of the running Python."""
    return _runs(cp for cp in range(0x0300, 0x10000) if unicodedata.category(chr(cp)).startswith("M"))


def mark_runs() -> Sequence[tuple[int, int]]:
    """`derive_mark_runs()`: the stored table under the Unicode version it was derived on."""
    if unicodedata.unidata_version == unicode_marks.UNIDATA_VERSION:
        return unicode_marks.MARK_RUNS
    return derive_mark_runs()


_SIMPLE_CLASS = _char_class(
    _runs(cp for lo, hi in _SIMPLE_CANDIDATE_RANGES for cp in range(lo, hi + 1) if _is_simple(chr(cp)))
)
_MARK_CLASS = _char_class(mark_runs())
_NOT_SIMPLE = re.compile(f"[^{_SIMPLE_CLASS}]")
_MARKS_AFTER = re.compile(f"[{_MARK_CLASS}]*")
# Combining marks left after NFKC (e.g. a Russian stress mark on a letter with no precomposed
# form) belong to the word they sit in; the tokenizer uses this class.
MARK_CLASS = _MARK_CLASS


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and the way back to the original.

    ``segment_starts[i]`` is where segment ``i`` begins in ``text``; ``segments[i]`` is
    ``(original_start, None)`` for a run folded character by character, or
    ``(original_start, original_end)`` for a cluster folded as a unit (all its folded
    characters come from that whole original span).  Both are empty when the whole text folded
    character by character (the common case): folded offsets then *are* original offsets.
    """

    text: str
    segment_starts: tuple[int, ...] = ()
    segments: tuple[tuple[int, int | None], ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded ``text[start:end]`` (``end > start``)."""
        if not self.segments:
            return start, end
        index = bisect_right(self.segment_starts, start) - 1
        original_start, cluster_end = self.segments[index]
        if cluster_end is None:
            original_start += start - self.segment_starts[index]
        index = bisect_right(self.segment_starts, end - 1) - 1
        segment_start, cluster_end = self.segments[index]
        if cluster_end is None:
            original_end = segment_start + (end - self.segment_starts[index])
        else:
            original_end = cluster_end
        return original_start, original_end


FOLD_CACHE_SIZE = 4096


@lru_cache(maxsize=FOLD_CACHE_SIZE)
def _marks_end(text: str, start: int) -> int:
    """Where the run of combining marks from `start` ends (the pattern matches empty text too)."""
    found = _MARKS_AFTER.match(text, start)
    return start if found is None else found.end()


def _fold_cluster(cluster: str) -> str:
    return fold_fragment(cluster)


def fold(text: str) -> Folded:
    """Fold ``text`` (normalise without collapsing white space), keeping the offset map."""
    if not _NOT_SIMPLE.search(text):
        # Fast path: every character is simple, so case folding is one-to-one and NFKC is a
        # no-op; only ё needs replacing.
        return Folded(text.casefold().replace("ё", "е"))
    pieces: list[str] = []
    segment_starts: list[int] = []
    segments: list[tuple[int, int | None]] = []
    folded_length = 0
    position = 0
    for odd in _NOT_SIMPLE.finditer(text):
        # Fold as a unit the cluster around each non-simple character: the character with the
        # combining marks after it, plus the base character before it when it is itself a mark
        # (е + U+0308 composes to ё).  Combining marks are never simple.
        cluster_start = odd.start()
        if cluster_start < position:
            continue  # already part of the previous cluster
        if cluster_start > position and _marks_end(text, cluster_start) > cluster_start:
            cluster_start -= 1
        cluster_end = max(_marks_end(text, odd.start() + 1), odd.start() + 1)
        if cluster_start > position:
            pieces.append(text[position:cluster_start].casefold().replace("ё", "е"))
            segment_starts.append(folded_length)
            segments.append((position, None))
            folded_length += cluster_start - position
        folded = _fold_cluster(text[cluster_start:cluster_end])
        if folded:  # an invisible character folds to nothing and needs no segment
            pieces.append(folded)
            segment_starts.append(folded_length)
            segments.append((cluster_start, cluster_end))
            folded_length += len(folded)
        position = cluster_end
    if position < len(text):
        pieces.append(text[position:].casefold().replace("ё", "е"))
        segment_starts.append(folded_length)
        segments.append((position, None))
    if not segments:
        return Folded("")
    return Folded("".join(pieces), tuple(segment_starts), tuple(segments))


def collapse_whitespace(text: str) -> str:
    """Runs of white space (``str.isspace``) become one space; ends are stripped."""
    return " ".join(text.split())


def normalize(text: str) -> str:
    """The canonical form phrases and ``{regex: …}`` entries are matched against.

    Unicode NFKC (full-width letters, ligatures, non-breaking spaces become plain ones), case
    folding, ``ё`` read as ``е``, invisible format characters (soft hyphen, zero-width space and
    joiners, BOM) removed, runs of white space collapsed to one space, ends stripped.
    Idempotent: ``normalize(normalize(t)) == normalize(t)``.
    """
    return collapse_whitespace(fold(text).text)


# --- noise removal -----------------------------------------------------------------------

# An attribution line ("On … wrote:") is at most this long; longer lines are the agent's text.
MAX_ATTRIBUTION_CHARS = 300
_BOUNDED = f".{{0,{MAX_ATTRIBUTION_CHARS}}}"
# Lines that start quoted e-mail history.  Everything from the first of them to the end of the
# text is removed.  Kept deliberately narrow: an agent's own sentence never looks like these.
_ATTRIBUTION_LINES = (
    # "On Mon, 3 Jun 2024 at 10:00, Ann <ann@example.com> wrote:" (Gmail, Apple Mail, Thunderbird)
    re.compile(rf"^\s*On\s{_BOUNDED}\swrote:\s*$", re.IGNORECASE),
    # "3 июня 2024 г., Анна <anna@example.ru> пишет:" / "… написал(а):" (Yandex, Mail.ru)
    re.compile(rf"^{_BOUNDED}\s(?:пишет|писал|писала|написал|написала|написал\(а\)):\s*$", re.IGNORECASE),
    # "пн, 3 июн. 2024 г. в 10:00, Анна <anna@example.ru>:" (Gmail in Russian): an address in
    # angle brackets closing the line with a colon.
    re.compile(rf"^{_BOUNDED}<[^<>\s@]+@[^<>\s]+>\s*:\s*$"),
    # Outlook and others
    re.compile(
        r"^\s*-{2,}\s*(?:original message|forwarded message|исходное сообщение|"
        r"пересылаемое сообщение|пересланное сообщение)\s*-{2,}\s*$",
        re.IGNORECASE,
    ),
)
# Outlook's header block: "From: …" followed within a few lines by "Sent: …" / "Date: …".
_HEADER_FROM = re.compile(r"^\s*(?:from|от)\s*:\s*\S", re.IGNORECASE)
_HEADER_SENT = re.compile(r"^\s*(?:sent|date|отправлено|дата)\s*:\s*\S", re.IGNORECASE)
HEADER_BLOCK_LOOKAHEAD = 3  # lines after "From:" in which "Sent:"/"Date:" must appear
# A wrapped English attribution: "On … Ann <" / "ann@example.com> wrote:".
_ATTRIBUTION_START = re.compile(r"^\s*On\s", re.IGNORECASE)
_ATTRIBUTION_END = re.compile(r"\swrote:\s*$", re.IGNORECASE)

# The signature delimiter of RFC 3676 is "-- " alone on a line; many clients drop the space.
SIGNATURE_DELIMITERS = ("-- ", "--")
# Lines a mail client appends by itself.  Removed one by one (not everything after them).
_DEVICE_LINES = re.compile(
    r"^\s*(?:"
    r"sent from my \S.{0,40}"
    r"|sent from (?:mail|outlook|yahoo mail) for \S.{0,30}"
    r"|get outlook for (?:ios|android)"
    r"|отправлено (?:с|со|из) (?:моего |моей )?"
    r"(?:iphone|ipad|android|samsung|galaxy|huawei|honor|xiaomi|мобильн\w* .{0,40}"
    r"|яндекс.{0,30}|mail\.ru.{0,30}|почты.{0,30})"
    r")\s*$",
    re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^\s*>")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)
URL_TRAILING_PUNCTUATION = ".,;:!?"
# "@AmazonHelp", "@anna_k"; not e-mail addresses (the "@" there follows a word character).
_MENTION = re.compile(r"(?<![\w.@])@\w+")


def _history_start(lines: list[str]) -> int | None:
    """Index of the first line of quoted history, or None."""
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if any(pattern.match(body) for pattern in _ATTRIBUTION_LINES):
            return index
        if (
            index + 1 < len(lines)
            and _ATTRIBUTION_START.match(body)
            and _ATTRIBUTION_END.search(lines[index + 1].rstrip("\r\n"))
            and len(body) + len(lines[index + 1]) <= MAX_ATTRIBUTION_CHARS
        ):
            return index
        if _HEADER_FROM.match(body) and any(
            _HEADER_SENT.match(following) for following in lines[index + 1 : index + 1 + HEADER_BLOCK_LOOKAHEAD]
        ):
            return index
    return None


def _without_url(match: re.Match[str]) -> str:
    url = match.group()
    kept = url.rstrip(URL_TRAILING_PUNCTUATION)
    if kept.endswith(")") and "(" not in kept:
        kept = kept[:-1]  # "(see https://x.example/a)" - the parenthesis is the sentence's
    return " " + url[len(kept) :]


def strip_noise(
    text: str, *, quoted: bool = True, signature: bool = True, urls: bool = True, mentions: bool = True
) -> str:
    """Remove what an agent did not write for this message.  Conservative by design.

    ``quoted``: lines starting with ``>``; and everything from the first history marker on:
    an attribution line ("On … wrote:", also wrapped over two lines; "… пишет:",
    "… написал(а):"; "… <addr@host>:" as Gmail writes it in Russian), a
    "-----Original Message-----" / "-----Исходное сообщение-----" / forwarded-message rule,
    or an Outlook header block ("From:"/"От:" followed within three lines by
    "Sent:"/"Date:"/"Отправлено:"/"Дата:").
    ``signature``: everything from a line that is exactly ``-- `` (or ``--``) on; and single
    lines a mail client appends ("Sent from my iPhone", "Get Outlook for Android",
    "Отправлено с iPhone", "Отправлено из мобильной Почты Mail.ru").  Sign-offs such as
    "Best regards" or "С уважением" are *kept*: closing rules look for them.
    ``urls``: ``http(s)://``, ``ftp://`` and ``www.`` addresses (trailing punctuation kept).
    ``mentions``: ``@handle`` (not e-mail addresses).
    Removed URLs and mentions are replaced by a space so the words around them stay apart.
    The result is stripped of surrounding white space.
    """
    lines = text.splitlines(keepends=True)
    if quoted:
        cut = _history_start(lines)
        if cut is not None:
            lines = lines[:cut]
        lines = [line for line in lines if not _QUOTED_LINE.match(line)]
    if signature:
        for index, line in enumerate(lines):
            if line.rstrip("\r\n") in SIGNATURE_DELIMITERS:
                lines = lines[:index]
                break
        lines = [line for line in lines if not _DEVICE_LINES.match(line.rstrip("\r\n"))]
    result = "".join(lines)
    if urls:
        result = _URL.sub(_without_url, result)
    if mentions:
        result = _MENTION.sub(" ", result)
    return result.strip()
