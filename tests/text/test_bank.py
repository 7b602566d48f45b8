"""PhraseBank: many sets, one scan per message, results identical to scanning set by set."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.text import Hit, PhraseBank, PhraseSet

RULE_SETS = [
    ["здравствуйте", "добрый день", "hello", "good morning"],
    ["извините за ожидание", "sorry for the wait", "sorry for the delay"],
    ["это не моя проблема", "not my problem", {"regex": r"\bidiot\w*"}],
    ["спасибо за обращение", "хорошего дня", {"regex": r"\bзаказ\w*\s+№?\s*\d+"}],
    ["{customer_name}", "спасибо, {customer_name}"],
]
MESSAGE = (
    "Добрый день, Анна! Извините за ожидание. Ваш заказ № 123 в пути. "
    "Это не моя проблема, idiots. Спасибо за обращение, хорошего дня!"
)
VALUES = {"customer_name": "Анна"}


def test_one_scan_serves_every_set() -> None:
    bank = PhraseBank()
    keys = [bank.add(PhraseSet(entries)) for entries in RULE_SETS]
    scan = bank.scan(MESSAGE)
    matched = [[hit.matched for hit in scan.hits(key, VALUES)] for key in keys]
    assert matched == [
        ["Добрый день"],
        ["Извините за ожидание"],
        ["Это не моя проблема", "idiots"],
        ["заказ № 123", "Спасибо за обращение", "хорошего дня"],
        ["Анна"],
    ]


@pytest.mark.parametrize("entries", RULE_SETS)
def test_bank_agrees_with_each_set_alone(entries: list) -> None:
    bank = PhraseBank()
    for other in RULE_SETS:
        bank.add(PhraseSet(other))
    key = bank.add(PhraseSet(entries))
    assert bank.scan(MESSAGE).hits(key, VALUES) == PhraseSet(entries).search(MESSAGE, VALUES)


def test_keys() -> None:
    bank = PhraseBank()
    first, second = PhraseSet(["a b"]), PhraseSet(["a b"])
    assert bank.add(first) == 0
    assert bank.add(second) == 1
    assert bank.add(first) == 0  # the same set object is compiled once
    assert len(bank) == 2
    assert bank.phrase_set(1) is second


def test_sets_added_after_a_scan_are_found_in_later_scans() -> None:
    bank = PhraseBank()
    greeting = bank.add(PhraseSet(["hello"]))
    assert bank.scan("hello, idiot").hits(greeting)
    rude = bank.add(PhraseSet([{"regex": "idiot"}, "hello there"]))
    scan = bank.scan("hello there, idiot")
    assert [hit.matched for hit in scan.hits(rude)] == ["hello there", "idiot"]
    assert [hit.matched for hit in scan.hits(greeting)] == ["hello"]


def test_scan_exposes_words_and_text() -> None:
    scan = PhraseBank().scan("Всё — ОК, don’t worry; кто-нибудь?")
    assert scan.words == ("все", "ок", "don't", "worry", "кто-нибудь")
    assert scan.text == "Всё — ОК, don’t worry; кто-нибудь?"
    assert not scan.truncated


def test_hits_are_frozen() -> None:
    hit = Hit(0, "x", 0, 1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.start = 2  # type: ignore[misc]


def test_same_entry_twice_in_a_row() -> None:
    hits = PhraseSet(["спасибо"]).search("Спасибо, спасибо, СПАСИБО")
    assert [(hit.start, hit.end) for hit in hits] == [(0, 7), (9, 16), (18, 25)]


WORDS = [
    "спасибо",
    "за",
    "ваше",
    "обращение",
    "ваши",
    "обращения",
    "hello",
    "hell",
    "sorry",
    "for",
    "the",
    "delays",
    "Анна",
    "Анне",
    "не",
    "моя",
    "проблема",
    "ёлка",
]
SEPARATORS = [" ", ", ", "!\n", "\u00a0", " — ", "...", "\t"]


PROPERTY_BANK = PhraseBank()
PROPERTY_KEYS = [PROPERTY_BANK.add(PhraseSet(entries)) for entries in RULE_SETS] + [
    PROPERTY_BANK.add(
        PhraseSet(
            ["спасибо за ваше обращение", "sorry for the delay", "не моя проблема", "елка", {"regex": r"\bhell\w*"}]
        )
    )
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=12))
def test_hits_quote_the_original_text(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in parts)
    scan = PROPERTY_BANK.scan(text)
    for key in PROPERTY_KEYS:
        hits = scan.hits(key, VALUES)
        assert hits == sorted(hits, key=lambda hit: (hit.start, hit.end, hit.entry_index))
        for hit in hits:
            assert text[hit.start : hit.end] == hit.matched
            assert hit.matched == hit.matched.strip()


ANY_HIT_SETS = [*RULE_SETS, ["{customer_name}"], ["{customer_name}, добрый день", "{order_id}"]]
ANY_HIT_TEXTS = [MESSAGE, "", "Спасибо, Анна Петровна", "добрый день", "idiot", "Анна, добрый день"]
ANY_HIT_VALUES = [VALUES, {}, {"customer_name": ""}, {"customer_name": "Анна", "order_id": None}]


@pytest.mark.parametrize("entries", ANY_HIT_SETS)
@pytest.mark.parametrize("values", ANY_HIT_VALUES)
def test_any_hit_says_whether_hits_finds_anything(entries: list, values: dict) -> None:
    from svcaudit.text import MissingValue

    bank = PhraseBank()
    for other in RULE_SETS:
        bank.add(PhraseSet(other))
    key = bank.add(PhraseSet(entries))
    for text in ANY_HIT_TEXTS:
        scan = bank.scan(text)
        try:
            expected: object = bool(scan.hits(key, values))
        except MissingValue as exc:
            expected = exc.fields
        try:
            found: object = scan.any_hit(key, values)
        except MissingValue as exc:
            found = exc.fields
        assert found == expected, (entries, values, text)
