"""{regex: …} entries: RE2 translation, Unicode-aware \\b and \\w, validation, no hangs."""

from __future__ import annotations

import re

import pytest

from svcaudit.text import MAX_SCAN_CHARS, PhraseBank, PhraseError, PhraseSet
from svcaudit.text.regex import MAX_HITS_PER_EXPRESSION

# (pattern, text, expected matched texts in order)
MATCH_CASES = [
    # \b and \w are Unicode-aware: RE2's own are ASCII-only
    (r"\bдурак\w*", "одурачить", []),
    (r"\bдурак\w*", "Ты дурак, дураки!", ["дурак", "дураки"]),
    (r"\bдурак\b", "дураки дурак дурака", ["дурак"]),
    (r"дурак\b", "одурак дураки", ["дурак"]),  # only a trailing \b
    (r"\bидиот", "полуидиот идиотский", ["идиот"]),
    (r"\bidiot\w*", "IDIOTS and idiot, semiidiot", ["IDIOTS", "idiot"]),
    (r"\b(?:тупой|тупая)\b", "тупой, тупая; тупоголовый", ["тупой", "тупая"]),
    (r"\bне\b", "небо не не", ["не", "не"]),
    (r"\bне\s+моя\s+проблема\b", "Это не  моя\nпроблема!", ["не  моя\nпроблема"]),
    (r"(?i)\bhell\b", "hello HELL", ["HELL"]),
    (r"\w+ский\b", "по-московски, московский", ["московский"]),
    (r"\d+", "заказ ١٢٣ и 45", ["١٢٣", "45"]),  # \d is Unicode, like Python's
    # adjacent and repeated matches are all found
    (r"\bab\b", "ab ab-ab", ["ab", "ab", "ab"]),
    (r"\bx", "x x xx", ["x", "x", "x"]),
    (r"\ba\w*", "a", ["a"]),
    # normalisation: case, ё, NFKC, collapsed white space
    ("ЕЩЁ", "ещё и ЕЩЕ", ["ещё", "ЕЩЕ"]),
    ("ещ[ё]", "ещё", ["ещё"]),
    (r"заказ\s*№\s*\d+", "Заказ № 12345", ["Заказ № 12345"]),
    ("ＩＤＩＯＴ", "idiot", ["idiot"]),
    ("not my problem", "Not\u00a0my\n\nproblem", ["Not\u00a0my\n\nproblem"]),
    (r"\Qa.b\E", "axb a.b", ["a.b"]),
    (r"(?P<word>ok)|(?<other>fine)", "ok fine", ["ok", "fine"]),
    ("[[:digit:]]+", "abc 42", ["42"]),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), MATCH_CASES)
def test_regex_matches(pattern: str, text: str, expected: list[str]) -> None:
    hits = PhraseSet([{"regex": pattern}]).search(text)
    assert [hit.matched for hit in hits] == expected
    assert all(text[hit.start : hit.end] == hit.matched for hit in hits)
    assert all(hit.entry == "regex:" + pattern for hit in hits)


# (pattern, fragment of the error message)
ERROR_CASES = [
    (r"(\w+) \1", "backreference \\1"),
    (r"(?P<x>a)(?P=x)", "backreference (?P=name)"),
    (r"(?<x>a)\k<x>", "backreference \\k"),
    (r"idiot(?=s)", "lookahead (?=...)"),
    (r"idiot(?!s)", "negative lookahead"),
    (r"(?<=не )проблема", "lookbehind (?<=...)"),
    (r"(?<!не )проблема", "negative lookbehind"),
    (r"(?>a+)b", "atomic group"),
    (r"a++", "possessive quantifier"),
    (r"a{2,3}+", "possessive quantifier"),
    (r"(a)(?(1)b|c)", "conditional group"),
    (r"(?R)", "recursion"),
    (r"a(?#comment)", "comment group"),
    (r"\Bfoo", "\\B"),
    (r"foo\bbar", "\\b in the middle"),
    (r"(\bfoo)", "\\b in the middle"),
    (r"\bfoo|bar", "top-level |"),
    (r"[\W]", "\\W inside [...]"),
    (r"[\b]", "backspace"),
    (r"\b", "nothing to match"),
    (r"a*", "matches empty text"),
    (r"(?:foo)?", "matches empty text"),
    (r"(unclosed", "invalid regular expression"),
    (r"[a-", "missing ]"),
    ("", "empty"),
    ("a\\", "lone backslash"),
]


@pytest.mark.parametrize(("pattern", "fragment"), ERROR_CASES)
def test_regex_validation(pattern: str, fragment: str) -> None:
    with pytest.raises(PhraseError) as caught:
        PhraseSet(["fine", {"regex": pattern}])
    assert fragment in caught.value.message
    assert caught.value.entry_index == 1


PATHOLOGICAL_CASES = [
    # (pattern, text): catastrophic for a backtracking engine, linear for RE2
    (r"(a+)+$", "a" * 50_000 + "!"),
    (r"(a|aa)+b", "a" * 50_000),
    (r"(.*a){12}", "a" * 20_000),
    (r"\b\w+\b", "а" * 200_000),  # one huge word
    (r"\bа", "а" * 200_000),  # a candidate at every position, all but one rejected
    (r"\w+\s", "слово " * 100_000),  # more matches than the per-expression cap
]


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL_CASES)
def test_pathological_patterns_finish(pattern: str, text: str) -> None:
    hits = PhraseSet([{"regex": pattern}]).search(text)
    assert len(hits) <= MAX_HITS_PER_EXPRESSION


def test_hits_per_expression_are_capped() -> None:
    hits = PhraseSet([{"regex": r"\bок\b"}]).search("ок " * (MAX_HITS_PER_EXPRESSION + 50))
    assert len(hits) == MAX_HITS_PER_EXPRESSION


def test_long_texts_are_scanned_up_to_the_cap() -> None:
    bank = PhraseBank()
    key = bank.add(PhraseSet(["спасибо", {"regex": "конец"}]))
    text = "x " * (MAX_SCAN_CHARS // 2) + "спасибо конец"
    scan = bank.scan(text)
    assert scan.truncated
    assert scan.hits(key) == []
    assert not bank.scan("спасибо конец").truncated


def test_regexes_of_many_sets_share_one_pass() -> None:
    bank = PhraseBank()
    rude = bank.add(PhraseSet([{"regex": r"\bидиот\w*"}, "дурак"]))
    money = bank.add(PhraseSet([{"regex": r"\d+\s*(?:руб|₽)"}]))
    nothing = bank.add(PhraseSet([{"regex": "never-here"}]))
    scan = bank.scan("Идиоты! Верните 500 руб, дураки")
    assert [hit.matched for hit in scan.hits(rude)] == ["Идиоты", "дураки"]
    assert [hit.matched for hit in scan.hits(money)] == ["500 руб"]
    assert scan.hits(nothing) == []


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"[\w-z]", r"a range cannot start or end at \w inside [...]"),
        (r"[a-\w]", r"a range cannot start or end at \w inside [...]"),
    ],
)
def test_a_range_at_the_word_class_is_refused(pattern, message):
    with pytest.raises(PhraseError, match=re.escape(message)):
        PhraseSet([{"regex": pattern}])


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"[^\w\s]+", "ага!!! ну?", ["!!!", "?"]),  # a negated class with \w keeps its meaning
        (r"\W\w+", "a,бв", [",бв"]),
        (r"[\w-]+ка\b", "из-за какая-то ручка", ["ручка"]),
    ],
)
def test_the_relaxed_set_finds_what_the_exact_pattern_finds(pattern, text, expected):
    assert [hit.matched for hit in PhraseSet([{"regex": pattern}]).search(text)] == expected
