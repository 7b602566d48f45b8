"""User regular expressions (``{regex: "…"}`` phrase entries), run by RE2 in linear time.

``phrases`` compiles every entry through ``compile_user_regex`` and runs all of a bank's
expressions against the normalised text of a message in one ``re2.Set`` pass; only expressions
the set reports go on to ``find_spans``.  Patterns are written in the familiar Python/PCRE
dialect and translated for RE2, which differs in ways that would silently change results:

* ``\\w`` / ``\\W`` / ``\\d`` / ``\\D`` are ASCII in RE2; they are rewritten to Unicode classes
  (``[\\pL\\pN\\pM_]``, ``\\p{Nd}``), so ``\\w+`` spans Cyrillic words.
* ``\\b`` is ASCII in RE2 and RE2 has no lookaround to emulate it.  svcaudit supports ``\\b`` at
  the *start* and/or *end* of a pattern, where it is rewritten to a consuming guard
  ("preceded by start of text or a non-word character", resp. "followed by …") around a
  capture group that becomes the reported match.  (A leading ``\\b`` thus means "no word
  character just before"; that is exactly ``\\b`` whenever the pattern starts with a word
  character, which is what ``\\b`` is written for; likewise at the end.)  ``\\b`` anywhere
  else, ``\\B``, and ``\\b`` combined with a top-level ``|`` are rejected with a message saying
  how to write it: RE2 could only emulate them with lookaround or backtracking.
* Backreferences, lookahead/lookbehind, atomic groups, possessive quantifiers, conditionals,
  recursion and comment groups cannot run in linear time and are rejected by name.
* The text is normalised (NFKC, case folded, ё -> е, white space collapsed to single spaces),
  so matching is case-insensitive and literal characters of a pattern are folded the same way
  ("ё" -> "е", "№" -> "no", full-width "ｆ" -> "f"); inside ``[...]`` only ё/Ё are rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import re2

from svcaudit.text.normalize import fold_fragment

__all__ = ["CompiledRegex", "RegexSyntaxError", "compile_user_regex", "find_spans", "re2_options"]

WORD_CLASS_BODY = r"\pL\pN\pM_"  # the tokenizer's word characters, in RE2 syntax
_WORD = f"[{WORD_CLASS_BODY}]"
_NON_WORD = f"[^{WORD_CLASS_BODY}]"
LEADING_GUARD = f"(?:^|{_NON_WORD})"
TRAILING_GUARD = f"(?:$|{_NON_WORD})"
# At most this many hits are collected per expression and message: evidence needs a few, and
# the cap bounds the work of a pathological pattern on a huge text to (cap x text length).
MAX_HITS_PER_EXPRESSION = 100

_ESCAPES_OUTSIDE_CLASS = {"w": _WORD, "W": _NON_WORD, "d": r"\p{Nd}", "D": r"\P{Nd}",
                          "Z": r"\z"}
_ESCAPES_INSIDE_CLASS = {"w": WORD_CLASS_BODY, "d": r"\p{Nd}", "D": r"\P{Nd}"}
_UNSUPPORTED_GROUPS = (  # longest prefixes first
    ("(?<=", "lookbehind (?<=...)"), ("(?<!", "negative lookbehind (?<!...)"),
    ("(?=", "lookahead (?=...)"), ("(?!", "negative lookahead (?!...)"),
    ("(?>", "atomic group (?>...)"), ("(?(", "conditional group (?(...)...)"),
    ("(?#", "comment group (?#...)"), ("(?P=", "backreference (?P=name)"),
    ("(?P>", "recursion (?P>name)"), ("(?&", "recursion (?&name)"), ("(?R", "recursion (?R)"),
    ("(?+", "recursion (?+n)"),
)
_NAMED_GROUP = re.compile(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>")
_REPEAT = re.compile(r"\{\d*(?:,\d*)?\}")
_RECURSION_NUMBER = re.compile(r"\(\?-?\d")
_INLINE_FLAGS = re.compile(r"\(\?[a-zA-Z]+\)")
_LINEAR_TIME = "RE2 matches in linear time and cannot do this"


class RegexSyntaxError(ValueError):
    """The pattern cannot be run; the message names the construct and what to do instead."""


def re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False  # the text is case folded; upper-case patterns still match
    options.log_errors = False
    return options


@dataclass(frozen=True)
class CompiledRegex:
    """A translated user pattern: ``full`` has the guards, group 1 is the reported match."""

    source: str
    full: str
    leading_guard: bool
    regexp: object  # re2._Regexp (private type)


def _error(construct: str, hint: str = _LINEAR_TIME) -> RegexSyntaxError:
    return RegexSyntaxError(f"unsupported {construct}: {hint}")


def _translate(pattern: str) -> tuple[list[str], list[str], bool]:
    """Pattern -> RE2 pieces, their kinds ("b" for \\b, "flags", "text") and top-level-| flag."""
    pieces: list[str] = []
    kinds: list[str] = []
    depth = 0
    top_level_alternation = False
    index = 0
    length = len(pattern)

    def emit(piece: str, kind: str = "text") -> None:
        pieces.append(piece)
        kinds.append(kind)

    def check_possessive(after: int) -> None:
        if pattern.startswith("+", after):
            raise _error(f"possessive quantifier {pattern[index:after + 1]!r}")

    while index < length:
        ch = pattern[index]
        if ch == "\\":
            if index + 1 >= length:
                raise RegexSyntaxError("pattern ends with a lone backslash")
            escape = pattern[index + 1]
            if escape == "b":
                emit(r"\b", "b")
            elif escape == "B":
                raise _error(r"\B (not a word boundary)",
                             "RE2's \\B is ASCII-only and svcaudit cannot make it Unicode-aware")
            elif escape in _ESCAPES_OUTSIDE_CLASS:
                emit(_ESCAPES_OUTSIDE_CLASS[escape])
            elif escape in "123456789":
                raise _error(f"backreference \\{escape}")
            elif escape in "gk":
                raise _error(f"backreference \\{escape}<...>")
            elif escape == "Q":
                end = pattern.find(r"\E", index + 2)
                end = length if end < 0 else end
                emit(re2.escape(fold_fragment(pattern[index + 2:end])))
                index = end + 2
                continue
            elif escape in "pPx" and pattern.startswith("{", index + 2):
                end = pattern.find("}", index + 2)
                if end < 0:
                    raise RegexSyntaxError(f"unclosed \\{escape}{{ in pattern")
                emit(pattern[index:end + 1])
                index = end + 1
                continue
            elif escape in "pP":
                emit(pattern[index:index + 3])
                index += 3
                continue
            else:
                emit(pattern[index:index + 2])
            index += 2
        elif ch == "[":
            index = _translate_class(pattern, index, emit)
        elif ch == "(":
            for prefix, construct in _UNSUPPORTED_GROUPS:
                if pattern.startswith(prefix, index):
                    raise _error(construct)
            if _RECURSION_NUMBER.match(pattern, index):
                raise _error("recursion (?n)")
            named = _NAMED_GROUP.match(pattern, index)
            flags = _INLINE_FLAGS.match(pattern, index)
            if named:  # (?<name>...) -> (?P<name>...), which every RE2 release accepts
                emit(f"(?P<{named.group(1)}>")
                index = named.end()
                depth += 1
            elif flags:
                emit(flags.group(), "flags")
                index = flags.end()
            else:
                emit("(")
                index += 1
                depth += 1
        elif ch == ")":
            emit(")")
            depth -= 1
            index += 1
        elif ch == "|":
            top_level_alternation |= depth == 0
            emit("|")
            index += 1
        elif ch in "*+?":
            end = index + 1
            if pattern.startswith("?", end):
                end += 1  # lazy
            else:
                check_possessive(end)
            emit(pattern[index:end])
            index = end
        elif ch == "{" and (repeat := _REPEAT.match(pattern, index)):
            end = repeat.end()
            if pattern.startswith("?", end):
                end += 1
            else:
                check_possessive(end)
            emit(pattern[index:end])
            index = end
        else:
            emit(_literal(ch))
            index += 1
    return pieces, kinds, top_level_alternation


def _literal(ch: str) -> str:
    """A literal pattern character, folded like the text it will meet ("№" -> "no", "Ё" -> "е")."""
    if ch.isascii():
        return ch  # ASCII folds only in case (matching ignores case) and may be syntax: (?P<
    folded = fold_fragment(ch)
    if folded == ch or folded == ch.lower():
        return folded  # unchanged apart from case: keep it (it may be a metacharacter)
    if len(folded) == 1:
        return re2.escape(folded)
    return f"(?:{re2.escape(folded)})" if folded else ""


def _translate_class(pattern: str, index: int, emit) -> int:
    """Translate the character class starting at ``pattern[index] == "["``; return its end."""
    out = ["["]
    index += 1
    if pattern.startswith("^", index):
        out.append("^")
        index += 1
    if pattern.startswith("]", index):
        out.append(r"\]")
        index += 1
    while index < len(pattern):
        ch = pattern[index]
        if ch == "]":
            out.append("]")
            emit("".join(out))
            return index + 1
        if ch == "[" and pattern.startswith("[:", index):
            end = pattern.find(":]", index + 2)
            if end >= 0:
                out.append(pattern[index:end + 2])
                index = end + 2
                continue
        if ch == "\\" and index + 1 < len(pattern):
            escape = pattern[index + 1]
            if escape == "W":
                raise _error(r"\W inside [...]", r"use a negated class such as [^\w...] instead")
            if escape == "b":
                raise _error(r"\b inside [...] (backspace)", "write \\x08 if you mean backspace")
            if escape in _ESCAPES_INSIDE_CLASS:
                out.append(_ESCAPES_INSIDE_CLASS[escape])
                index += 2
                continue
            if escape in "pPx" and pattern.startswith("{", index + 2):
                end = pattern.find("}", index + 2)
                if end >= 0:
                    out.append(pattern[index:end + 1])
                    index = end + 1
                    continue
            step = 3 if escape in "pP" else 2
            out.append(pattern[index:index + step])
            index += step
            continue
        out.append({"ё": "е", "Ё": "Е"}.get(ch, ch))
        index += 1
    raise RegexSyntaxError("missing ] at the end of a character class")


def compile_user_regex(pattern: str) -> CompiledRegex:
    """Validate and translate ``pattern``; raise RegexSyntaxError with a clear message."""
    if not isinstance(pattern, str) or not pattern:
        raise RegexSyntaxError("the regex is empty")
    pieces, kinds, top_level_alternation = _translate(pattern)
    content = [i for i, kind in enumerate(kinds) if kind != "flags"]
    leading = bool(content) and kinds[content[0]] == "b"
    trailing = bool(content) and kinds[content[-1]] == "b" and (len(content) > 1 or not leading)
    edges = {content[0]} if leading else set()
    if trailing:
        edges.add(content[-1])
    for position, kind in enumerate(kinds):
        if kind == "b" and position not in edges:
            raise _error(r"\b in the middle of a pattern",
                         "RE2's \\b is ASCII-only; svcaudit makes \\b Unicode-aware only at the "
                         "start or end of the whole pattern, e.g. \\b(?:foo|bar)\\b; for "
                         "several words use a plain phrase")
    if edges and top_level_alternation:
        raise _error(r"\b together with a top-level |",
                     "group the alternatives so \\b applies to all: \\b(?:foo|bar)\\b")
    body = "".join(piece for i, piece in enumerate(pieces) if i not in edges)
    if not body:
        raise RegexSyntaxError("the regex has nothing to match besides \\b")
    full = (LEADING_GUARD if leading else "") + f"({body})" + (TRAILING_GUARD if trailing else "")
    try:
        regexp = re2.compile(full, re2_options())
        body_regexp = re2.compile(f"(?:{body})", re2_options())
    except re2.error as exc:
        raise RegexSyntaxError(f"invalid regular expression: {exc}") from None
    if body_regexp.fullmatch("") is not None:
        raise RegexSyntaxError("the regex matches empty text, so it would match every message")
    return CompiledRegex(pattern, full, leading, regexp)


def _next_char(data: bytes, position: int) -> int:
    position += 1
    while position < len(data) and 0x80 <= data[position] < 0xC0:
        position += 1
    return position


def _previous_char(data: bytes, position: int) -> int:
    position -= 1
    while position > 0 and 0x80 <= data[position] < 0xC0:
        position -= 1
    return position


def find_spans(compiled: CompiledRegex, text: str,
               data: bytes | None = None) -> list[tuple[int, int]]:
    """Non-overlapping match spans (character offsets into ``text``), in order, capped.

    ``data`` may pass ``text.encode()`` when the caller already has it.  Each search starts
    where the previous match's group ended; with a leading guard it starts one character
    earlier so that the guard can re-read the character that ended the previous match
    ("idiot idiot" yields both words), and never before the previous search position + 1.
    """
    data = text.encode("utf-8") if data is None else data
    regexp = compiled.regexp
    spans: list[tuple[int, int]] = []
    byte_position = 0
    last_byte = last_char = 0  # incremental byte -> character offset conversion
    while byte_position <= len(data) and len(spans) < MAX_HITS_PER_EXPRESSION:
        match = regexp.search(data, byte_position)  # type: ignore[attr-defined]
        if match is None:
            break
        start, end = match.span(1)
        if end > start:
            last_char += len(data[last_byte:start].decode("utf-8"))
            start_char = last_char
            last_char += len(data[start:end].decode("utf-8"))
            last_byte = end
            spans.append((start_char, last_char))
            following = max(_previous_char(data, end), _next_char(data, byte_position)) \
                if compiled.leading_guard else end
        else:  # cannot happen for a validated pattern; never loop on an empty match
            following = _next_char(data, max(end, byte_position))
        if following <= byte_position:
            following = _next_char(data, byte_position)
        byte_position = following
    return spans
