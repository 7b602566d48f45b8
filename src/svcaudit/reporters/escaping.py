"""Escaping of values from the input, one function per output format.

Ticket ids, agent names, message text, evidence, file paths and the reasons that quote them come
from exports nobody vetted: a ticket text can hold `ESC ]0;title BEL` (retitles the terminal), a
name `<script>` (runs in a wiki that renders HTML), an id `=HYPERLINK(…)` (runs in a spreadsheet).
Every reporter passes each such value through its format's one function here (`terminal`,
`markdown`, `csv_cell`) or its own (`github.escape_data`, `junit.xml_safe`, `tables_html._e`), which
all start from `visible_controls`. JSON keeps values exactly: `json_text` escapes what its encoder
leaves raw, after encoding.
"""

from __future__ import annotations

import re

# Control characters: C0, DEL, C1, and the bidirectional overrides and isolates that make a
# terminal or a page show text in another order than it is stored ("Trojan Source"); and lone
# surrogates, which no UTF-8 output can carry (Python names an undecodable byte of a file name so).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Layout controls a value may legitimately hold (a multi-line message): one space each, so the
# words stay apart; CR LF is one break.
_BREAK = re.compile("\r\n|[\t\n\v\f\r]")
_BREAK_CHARS = frozenset("\t\n\v\f\r")
ZERO_WIDTH_JOINER = "\u200d"
_JOINER_RUN = re.compile(ZERO_WIDTH_JOINER + "{2,}")
BREAK_STANDIN = " "

# Markdown: what would end a table cell (`|`), open HTML or an entity (`<` `>` `&`), a code span
# (backtick) or a link or image (`[` `]`); the backslash first, so no escape is escaped again.
_MARKDOWN_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "`": "\\`",
        "[": "\\[",
        "]": "\\]",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)

# OWASP CSV injection: a spreadsheet reads a cell starting with one of these as a formula (tab
# and CR because Excel skips them before one). A leading apostrophe makes the cell text.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_FORMULA_GUARD = "'"
_CSV_BREAK = re.compile("\r\n?")

# What Python's JSON encoder writes raw with ensure_ascii=False (it escapes only C0): DEL, C1, the
# bidirectional controls, and lone surrogates (which no UTF-8 stream can even write). These
# characters cannot stand outside a JSON string, so escaping them in the encoded text is exact.
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _shown(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_controls(value: object, keep: str = "") -> str:
    """`value` as text with no control character left raw, except those in `keep`.

    Tabs and line breaks become a space; every other control is shown as its escape (`\\x1b`,
    `\\x9b`, `\\u202e`, `\\udcff`), so the reader sees that the export holds one and no
    terminal obeys it.
    """
    text = "" if value is None else str(value)
    if not _CONTROL.search(text):
        return text  # the common case: one scan, no copy

    def replace(match: re.Match[str]) -> str:
        found = match.group()
        if found in keep:
            return found
        return BREAK_STANDIN if found in _BREAK_CHARS else _shown(found)

    if not keep:
        text = _BREAK.sub(BREAK_STANDIN, text)
    return _CONTROL.sub(replace, text)


def terminal(value: object) -> str:
    """A value for the text reports: no control character, one line, and a run of zero-width
    joiners as one (two in a row join nothing more, and rich 15 fails with an IndexError when it
    cuts a cell where they stand before a wide character). Rich markup in it stays literal
    because the text renderers' consoles do not read markup at all."""
    return single_joiners(visible_controls(value))


def single_joiners(text: str) -> str:
    """`text` with each run of zero-width joiners as one."""
    return _JOINER_RUN.sub(ZERO_WIDTH_JOINER, text) if ZERO_WIDTH_JOINER in text else text


def markdown(value: object) -> str:
    """A value for a Markdown line or table cell: one line, no control character, and `|`, `<`,
    `>`, `&`, backticks, brackets and backslashes escaped, so it can neither leave its cell nor
    become HTML, code or a link."""
    return visible_controls(value).translate(_MARKDOWN_ESCAPES)


def csv_cell(value: object, formulas: bool = False) -> object:
    """A CSV cell from the input: text that a spreadsheet would read as a formula gets a leading
    apostrophe unless `formulas`; no control character but tab and line breaks, each break a line
    feed, which the CSV writer quotes (it would leave a lone CR bare, and a reader would start a
    row there: a value could add rows, formulas included). Numbers pass as they are: a negative
    figure is not a formula."""
    if value is None or isinstance(value, (int, float)):
        return value
    text = visible_controls(value, keep="\t\n\r")
    guarded = not formulas and text.startswith(CSV_FORMULA_STARTS)
    if "\r" in text:
        text = _CSV_BREAK.sub("\n", text)
    return CSV_FORMULA_GUARD + text if guarded else text


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def has_json_raw(text: str) -> bool:
    """Whether `json_text` would escape anything in the text. ASCII text is answered from its
    kind, without a scan, unless it holds a DEL."""
    if text.isascii():
        return "\x7f" in text
    return _JSON_RAW.search(text) is not None


def json_text(encoded: str) -> str:
    """Encoded JSON with no raw control character: DEL, C1, bidirectional controls and lone
    surrogates written as `\\u00XX` escapes, which every JSON reader decodes to the same value."""
    if not _JSON_RAW.search(encoded):
        return encoded  # the common case: one scan, no copy
    return _JSON_RAW.sub(_json_escape, encoded)
