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

Cost is bounded.  RE2 compiles the Unicode word class to some 1,450 instructions, so a pattern
with ``\\w`` or ``\\b`` costs about a millisecond and 150 KB to compile, and a thousand of them would
dominate loading a standard.  Each pattern is therefore also translated to a *relaxed* form in
which the word class is widened to "any non-ASCII character or ASCII word character" (and the
non-word class narrowed accordingly): it matches wherever the exact pattern does, and compiles
some 80 times smaller.  Loading validates and sizes the relaxed form only, the bank's ``re2.Set``
is built from relaxed forms, and the exact pattern (``CompiledRegex.regexp``) is compiled the
first time the set reports its relaxed form in a message.  A pattern is refused when it is longer
than ``MAX_PATTERN_CHARS`` or its relaxed program exceeds ``MAX_PATTERN_PROGRAM`` instructions,
which also bounds its exact program to what ``EXACT_MAX_MEMORY`` holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import re2

from svcaudit.text.normalize import fold_fragment

__all__ = ["CompiledRegex", "RegexSyntaxError", "compile_user_regex", "find_spans", "re2_options"]

WORD_CLASS_BODY = r"\pL\pN\pM_"  # the tokenizer's word characters, in RE2 syntax
_WORD = f"[{WORD_CLASS_BODY}]"
_NON_WORD = f"[^{WORD_CLASS_BODY}]"
LEADING_GUARD = f"(?:^|{_NON_WORD})"
TRAILING_GUARD = f"(?:$|{_NON_WORD})"
# The relaxed word class (see the module docstring): a superset of the word characters, ending in
# "_" as WORD_CLASS_BODY does, so that a range written next to it reads the same in both forms;
# inside a negated class, a subset (the ASCII word characters) keeps the negation a superset.
_RELAXED_WORD_BODY = r"\x{80}-\x{10FFFF}a-zA-Z0-9_"
_ASCII_WORD_BODY = "a-zA-Z0-9_"
_RELAXED_WORD = f"[{_RELAXED_WORD_BODY}]"
_RELAXED_NON_WORD = f"[^{_ASCII_WORD_BODY}]"
_RELAXED_LEADING_GUARD = f"(?:^|{_RELAXED_NON_WORD})"
_RELAXED_TRAILING_GUARD = f"(?:$|{_RELAXED_NON_WORD})"
# Limits on one pattern: its length, and the size of its relaxed RE2 program (`\w{500}` is about
# 4,500 instructions). The exact program replaces each relaxed word class (9 to 27 instructions) by
# the Unicode one (about 1,450), so it is at most EXACT_PER_RELAXED times the relaxed one; RE2 gives
# 2/3 of its memory to the forward program and 1/3 to the reverse one, and EXACT_MAX_MEMORY holds
# both for the largest pattern allowed.
MAX_PATTERN_CHARS = 5_000
MAX_PATTERN_PROGRAM = 5_000
EXACT_PER_RELAXED = 170
RE2_INSTRUCTION_BYTES = 16
EXACT_MAX_MEMORY = 4 * EXACT_PER_RELAXED * MAX_PATTERN_PROGRAM * RE2_INSTRUCTION_BYTES
# At most this many hits are collected per expression and message: evidence needs a few, and
# the cap bounds the work of a pathological pattern on a huge text to (cap x text length).
MAX_HITS_PER_EXPRESSION = 100

_ESCAPES_OUTSIDE_CLASS = {"w": _WORD, "W": _NON_WORD, "d": r"\p{Nd}", "D": r"\P{Nd}", "Z": r"\z"}
_RELAXED_OUTSIDE_CLASS = {"w": _RELAXED_WORD, "W": _RELAXED_NON_WORD}
_ESCAPES_INSIDE_CLASS = {"w": WORD_CLASS_BODY, "d": r"\p{Nd}", "D": r"\P{Nd}"}
_UNSUPPORTED_GROUPS = (  # longest prefixes first
    ("(?<=", "lookbehind (?<=...)"),
    ("(?<!", "negative lookbehind (?<!...)"),
    ("(?=", "lookahead (?=...)"),
    ("(?!", "negative lookahead (?!...)"),
    ("(?>", "atomic group (?>...)"),
    ("(?(", "conditional group (?(...)...)"),
    ("(?#", "comment group (?#...)"),
    ("(?P=", "backreference (?P=name)"),
    ("(?P>", "recursion (?P>name)"),
    ("(?&", "recursion (?&name)"),
    ("(?R", "recursion (?R)"),
    ("(?+", "recursion (?+n)"),
)
_NAMED_GROUP = re.compile(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>")
_REPEAT = re.compile(r"\{\d*(?:,\d*)?\}")
_RECURSION_NUMBER = re.compile(r"\(\?-?\d")
_INLINE_FLAGS = re.compile(r"\(\?[a-zA-Z]+\)")
_LINEAR_TIME = "RE2 matches in linear time and cannot do this"


class RegexSyntaxError(ValueError):
    """The pattern cannot be run; the message names the construct and what to do instead."""


def re2_options(max_memory: int | None = None) -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False  # the text is case folded; upper-case patterns still match
    options.log_errors = False
    if max_memory is not None:
        options.max_mem = max_memory
    return options


@dataclass(frozen=True)
class CompiledRegex:
    """A translated user pattern: ``full`` has the guards, group 1 is the reported match;
    ``relaxed`` matches wherever ``full`` does and is cheap to compile (for a ``re2.Set``);
    ``program`` is the size of the relaxed program, in RE2 instructions."""

    source: str
    full: str
    leading_guard: bool
    relaxed: str
    program: int

    @cached_property
    def regexp(self) -> object:  # re2._Regexp (private type)
        """The exact pattern, compiled when first needed (the relaxed form passed, so it can)."""
        return re2.compile(self.full, re2_options(EXACT_MAX_MEMORY))


def _error(construct: str, hint: str = _LINEAR_TIME) -> RegexSyntaxError:
    return RegexSyntaxError(f"unsupported {construct}: {hint}")


def _translate(pattern: str) -> tuple[list[str], list[str], list[str], bool]:
    """Pattern -> RE2 pieces, their relaxed forms, their kinds ("b" for \\b, "flags", "text")
    and top-level-| flag."""
    pieces: list[str] = []
    relaxed: list[str] = []
    kinds: list[str] = []
    depth = 0
    top_level_alternation = False
    index = 0
    length = len(pattern)

    def emit(piece: str, kind: str = "text", relaxed_piece: str | None = None) -> None:
        pieces.append(piece)
        relaxed.append(piece if relaxed_piece is None else relaxed_piece)
        kinds.append(kind)

    def check_possessive(after: int) -> None:
        if pattern.startswith("+", after):
            raise _error(f"possessive quantifier {pattern[index : after + 1]!r}")

    while index < length:
        ch = pattern[index]
        if ch == "\\":
            if index + 1 >= length:
                raise RegexSyntaxError("pattern ends with a lone backslash")
            escape = pattern[index + 1]
            if escape == "b":
                emit(r"\b", "b")
            elif escape == "B":
                raise _error(
                    r"\B (not a word boundary)", "RE2's \\B is ASCII-only and svcaudit cannot make it Unicode-aware"
                )
            elif escape in _ESCAPES_OUTSIDE_CLASS:
                emit(_ESCAPES_OUTSIDE_CLASS[escape], relaxed_piece=_RELAXED_OUTSIDE_CLASS.get(escape))
            elif escape in "123456789":
                raise _error(f"backreference \\{escape}")
            elif escape in "gk":
                raise _error(f"backreference \\{escape}<...>")
            elif escape == "Q":
                end = pattern.find(r"\E", index + 2)
                end = length if end < 0 else end
                emit(re2.escape(fold_fragment(pattern[index + 2 : end])))
                index = end + 2
                continue
            elif escape in "pPx" and pattern.startswith("{", index + 2):
                end = pattern.find("}", index + 2)
                if end < 0:
                    raise RegexSyntaxError(f"unclosed \\{escape}{{ in pattern")
                emit(pattern[index : end + 1])
                index = end + 1
                continue
            elif escape in "pP":
                emit(pattern[index : index + 3])
                index += 3
                continue
            else:
                emit(pattern[index : index + 2])
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
    return pieces, relaxed, kinds, top_level_alternation


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
    relaxed = ["["]  # the same class with the relaxed word class (a superset of `out`'s)
    index += 1
    negated = pattern.startswith("^", index)
    if negated:
        out.append("^")
        relaxed.append("^")
        index += 1
    first = index  # a "-" here is a literal, not a range
    if pattern.startswith("]", index):
        out.append(r"\]")
        relaxed.append(r"\]")
        index += 1
    while index < len(pattern):
        ch = pattern[index]
        if ch == "]":
            out.append("]")
            relaxed.append("]")
            emit("".join(out), relaxed_piece="".join(relaxed))
            return index + 1
        if ch == "[" and pattern.startswith("[:", index):
            end = pattern.find(":]", index + 2)
            if end >= 0:
                out.append(pattern[index : end + 2])
                relaxed.append(out[-1])
                index = end + 2
                continue
        if ch == "\\" and index + 1 < len(pattern):
            escape = pattern[index + 1]
            if escape == "W":
                raise _error(r"\W inside [...]", r"use a negated class such as [^\w...] instead")
            if escape == "b":
                raise _error(r"\b inside [...] (backspace)", "write \\x08 if you mean backspace")
            if escape in _ESCAPES_INSIDE_CLASS:
                if escape == "w" and (
                    (pattern.startswith("-", index + 2) and not pattern.startswith("-]", index + 2))
                    or (index - 1 > first and pattern[index - 1] == "-")
                ):
                    raise RegexSyntaxError(
                        r"a range cannot start or end at \w inside [...]; "
                        r"write - first or last in the class, or as \-"
                    )
                out.append(_ESCAPES_INSIDE_CLASS[escape])
                relaxed.append(
                    _ESCAPES_INSIDE_CLASS[escape]
                    if escape != "w"
                    else _ASCII_WORD_BODY
                    if negated
                    else _RELAXED_WORD_BODY
                )
                index += 2
                continue
            if escape in "pPx" and pattern.startswith("{", index + 2):
                end = pattern.find("}", index + 2)
                if end >= 0:
                    out.append(pattern[index : end + 1])
                    relaxed.append(pattern[index : end + 1])
                    index = end + 1
                    continue
            step = 3 if escape in "pP" else 2
            out.append(pattern[index : index + step])
            relaxed.append(pattern[index : index + step])
            index += step
            continue
        out.append({"ё": "е", "Ё": "Е"}.get(ch, ch))
        relaxed.append(out[-1])
        index += 1
    raise RegexSyntaxError("missing ] at the end of a character class")


def compile_user_regex(pattern: str) -> CompiledRegex:
    """Validate and translate ``pattern``; raise RegexSyntaxError with a clear message."""
    if not isinstance(pattern, str) or not pattern:
        raise RegexSyntaxError("the regex is empty")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RegexSyntaxError(
            f"the regex is {len(pattern):,} characters long; a regex has at "
            f"most {MAX_PATTERN_CHARS:,}: split it into several"
        )
    pieces, relaxed, kinds, top_level_alternation = _translate(pattern)
    content = [i for i, kind in enumerate(kinds) if kind != "flags"]
    leading = bool(content) and kinds[content[0]] == "b"
    trailing = bool(content) and kinds[content[-1]] == "b" and (len(content) > 1 or not leading)
    edges = {content[0]} if leading else set()
    if trailing:
        edges.add(content[-1])
    for position, kind in enumerate(kinds):
        if kind == "b" and position not in edges:
            raise _error(
                r"\b in the middle of a pattern",
                "RE2's \\b is ASCII-only; svcaudit makes \\b Unicode-aware only at the "
                "start or end of the whole pattern, e.g. \\b(?:foo|bar)\\b; for "
                "several words use a plain phrase",
            )
    if edges and top_level_alternation:
        raise _error(
            r"\b together with a top-level |", "group the alternatives so \\b applies to all: \\b(?:foo|bar)\\b"
        )
    body = "".join(piece for i, piece in enumerate(pieces) if i not in edges)
    if not body:
        raise RegexSyntaxError("the regex has nothing to match besides \\b")
    relaxed_body = "".join(piece for i, piece in enumerate(relaxed) if i not in edges)
    full = (LEADING_GUARD if leading else "") + f"({body})" + (TRAILING_GUARD if trailing else "")
    relaxed_full = (
        (_RELAXED_LEADING_GUARD if leading else "")
        + f"({relaxed_body})"
        + (_RELAXED_TRAILING_GUARD if trailing else "")
    )
    # The relaxed form has the exact one's syntax and structure (only the word class differs), so
    # it answers for both whether the pattern parses and whether it matches empty text.
    try:
        program = re2.compile(relaxed_full, re2_options()).programsize
        body_regexp = re2.compile(f"(?:{relaxed_body})", re2_options())
    except re2.error as exc:
        raise RegexSyntaxError(f"invalid regular expression: {exc}") from None
    if program > MAX_PATTERN_PROGRAM:
        raise RegexSyntaxError(
            f"the regex is too complex: it compiles to {program:,} RE2 "
            f"instructions, more than {MAX_PATTERN_PROGRAM:,}; simplify it or "
            f"split it into several"
        )
    if body_regexp.fullmatch("") is not None:
        raise RegexSyntaxError("the regex matches empty text, so it would match every message")
    return CompiledRegex(pattern, full, leading, relaxed_full, program)


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


def find_spans(compiled: CompiledRegex, text: str, data: bytes | None = None) -> list[tuple[int, int]]:
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
            following = (
                max(_previous_char(data, end), _next_char(data, byte_position)) if compiled.leading_guard else end
            )
        else:  # cannot happen for a validated pattern; never loop on an empty match
            following = _next_char(data, max(end, byte_position))
        if following <= byte_position:
            following = _next_char(data, byte_position)
        byte_position = following
    return spans
