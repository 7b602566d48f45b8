"""Placeholders: {customer_name} filled per ticket, in the forms an agent writes a name."""

from __future__ import annotations

import pytest

from svcaudit.text import MissingValue, PhraseBank, PhraseSet
from svcaudit.text.names import name_forms

# (entry, value, text, expected matched texts)
NAME_CASES = [
    # Russian first names in every case
    ("{customer_name}", "Анна", "Анна, добрый день", ["Анна"]),
    ("{customer_name}", "Анна", "Передайте Анне", ["Анне"]),
    ("{customer_name}", "Анна", "Спасибо, Анну услышали", ["Анну"]),
    ("{customer_name}", "Анна", "с Анной", ["Анной"]),
    ("{customer_name}", "Анна", "для Анны", ["Анны"]),
    ("{customer_name}", "Иван", "Иван, Ивану, Ивана, Иваном, об Иване", ["Иван", "Ивану", "Ивана", "Иваном", "Иване"]),
    ("{customer_name}", "Мария", "Марии и Марию, Марией", ["Марии", "Марию", "Марией"]),
    ("{customer_name}", "Ольга", "для Ольги", ["Ольги"]),
    ("{customer_name}", "Наталья", "Наталье и Натальей", ["Наталье", "Натальей"]),
    ("{customer_name}", "Игорь", "Игорю", ["Игорю"]),
    ("{customer_name}", "Любовь", "Любови Петровне", ["Любови"]),
    ("{customer_name}", "Андрей", "Андрею и Андреем", ["Андрею", "Андреем"]),
    ("{customer_name}", "Дмитрий", "о Дмитрии", ["Дмитрии"]),
    ("{customer_name}", "Павел", "Павлу", ["Павлу"]),
    ("{customer_name}", "Саша", "с Сашей", ["Сашей"]),
    ("{customer_name}", "Яна", "Яне и Яну", ["Яне", "Яну"]),  # short names decline too
    ("{customer_name}", "Артём", "Артему", ["Артему"]),  # ё/е
    ("{customer_name}", "АННА", "анна", ["анна"]),  # case-insensitive
    # multi-word values: any word of the name, consecutive words as one hit
    ("{customer_name}", "Анна Петровна", "Анна Петровна, здравствуйте", ["Анна Петровна"]),
    ("{customer_name}", "Анна Петровна", "Уважаемая Анна!", ["Анна"]),
    ("{customer_name}", "Анна Петровна", "Анне Петровне", ["Анне Петровне"]),
    ("{customer_name}", "Петрова Анна Сергеевна", "Анна Сергеевна, добрый день", ["Анна Сергеевна"]),
    ("{customer_name}", "Петрова Анна Сергеевна", "госпоже Петровой", ["Петровой"]),
    ("{customer_name}", "Иванов Иван", "Иванову Ивану", ["Иванову Ивану"]),
    ("{customer_name}", "Анна-Мария", "для Анны-Марии", ["Анны-Марии"]),
    ("{customer_name}", "А. Смирнова", "А. Б. Смирновой", ["Смирновой"]),  # initials skipped
    # English names: exact words, case-insensitive, possessive
    ("{customer_name}", "Anna", "Hi anna!", ["anna"]),
    ("{customer_name}", "Anna Smith", "Dear Ms Smith", ["Smith"]),
    ("{customer_name}", "Anna", "Anna's order", ["Anna's"]),
    ("{customer_name}", "Anna", "Annabel", []),
    ("{customer_name}", "Chris", "Christmas", []),
    # no false friends: only this ticket's value, exact name forms
    ("{customer_name}", "Вера", "Мы верим, что вопрос решён", []),
    ("{customer_name}", "Вера", "Вера, мы верим", ["Вера"]),
    ("{customer_name}", "Роман", "Романа и романтика", ["Романа"]),
    ("{customer_name}", "Олег", "Ольга", []),
    ("{customer_name}", "Ян", "Янка", []),
    ("{customer_name}", "Ян", "нет Яна", ["Яна"]),  # genitive of Ян (and also the name Яна)
    ("{customer_name}", "Анна", "Аня", []),  # diminutives are not generated
    ("{customer_name}", "Анна", "Жанна", []),
    # placeholders inside phrases
    ("спасибо, {customer_name}", "Анна", "Спасибо, Анна!", ["Спасибо, Анна"]),
    ("спасибо, {customer_name}", "Анна Петровна", "Спасибо, Анна Петровна!", ["Спасибо, Анна Петровна"]),
    ("{customer_name}, спасибо за обращение", "Иван", "Ивану спасибо за обращения", ["Ивану спасибо за обращения"]),
    ("thank you, {customer_name}", "Anna", "Thank you Anna.", ["Thank you Anna"]),
    ("thank you, {customer_name}", "Anna", "Thank you! Bob", []),
    # other fields are matched like phrase words (stems), as a whole
    ("заказ {order_id}", "12345", "Ваш заказ 12345 готов, заказа 12345", ["заказ 12345", "заказа 12345"]),
    ("заказ {order_id}", "12345", "заказ 123456", []),
    ("{product} доставлен", "холодильник", "Холодильники доставлены", ["Холодильники доставлены"]),
]


@pytest.mark.parametrize(("entry", "value", "text", "expected"), NAME_CASES)
def test_placeholder_matches(entry: str, value: str, text: str, expected: list[str]) -> None:
    field = entry[entry.index("{") + 1 : entry.index("}")]
    hits = PhraseSet([entry]).search(text, {field: value})
    assert [hit.matched for hit in hits] == expected
    assert all(hit.entry == entry for hit in hits)


@pytest.mark.parametrize("value", [None, "", "   ", "-", "A.", "N/A"])
def test_unusable_value_raises_missing_value(value: str | None) -> None:
    phrases = PhraseSet(["{customer_name}", "спасибо, {customer_name}"])
    assert phrases.missing({"customer_name": value}) == {"customer_name"}
    with pytest.raises(MissingValue) as caught:
        phrases.search("Спасибо, Анна", {"customer_name": value})
    assert caught.value.fields == {"customer_name"}
    assert str(caught.value) == "needs customer_name"


def test_missing_field_entirely() -> None:
    with pytest.raises(MissingValue):
        PhraseSet(["{customer_name}"]).search("Анна")
    with pytest.raises(MissingValue):
        PhraseSet(["{customer_name}"]).search("Анна", {"other": "x"})


def test_partially_fillable_set_skips_unfilled_entries() -> None:
    phrases = PhraseSet(["{customer_name}", "здравствуйте"])
    assert not phrases.all_need({"customer_name"})
    hits = phrases.search("Здравствуйте, Анна", {"customer_name": ""})
    assert [hit.matched for hit in hits] == ["Здравствуйте"]
    with pytest.raises(MissingValue):
        phrases.search("Здравствуйте, Анна", {"customer_name": ""}, strict=True)
    hits = phrases.search("Здравствуйте, Анна", {"customer_name": "Анна"}, strict=True)
    assert [hit.matched for hit in hits] == ["Здравствуйте", "Анна"]


def test_missing_and_all_need() -> None:
    phrases = PhraseSet(["{customer_name}", "{agent_name} на связи", {"regex": "x"}])
    assert phrases.placeholders == {"customer_name", "agent_name"}
    assert phrases.missing({"customer_name": "Анна"}) == {"agent_name"}
    assert phrases.missing({"customer_name": "Анна", "agent_name": "Ivan"}) == frozenset()
    assert not phrases.all_need({"customer_name", "agent_name"})  # the regex needs nothing
    assert PhraseSet(["{customer_name}", "hi {agent_name}"]).all_need({"customer_name", "agent_name"})


def test_values_are_per_call_on_one_scan() -> None:
    bank = PhraseBank()
    key = bank.add(PhraseSet(["{customer_name}"]))
    scan = bank.scan("Анна и Иван")
    assert [hit.matched for hit in scan.hits(key, {"customer_name": "Анна"})] == ["Анна"]
    assert [hit.matched for hit in scan.hits(key, {"customer_name": "Иван"})] == ["Иван"]
    assert scan.hits(key, {"customer_name": "Пётр"}) == []


def test_non_string_values_are_text() -> None:
    hits = PhraseSet(["ticket {ticket_id}"]).search("your ticket 42 is open", {"ticket_id": 42})
    assert [hit.matched for hit in hits] == ["ticket 42"]


@pytest.mark.parametrize(
    ("value", "forms"),
    [
        ("Анна", {"анна", "анны", "анне", "анну", "анной", "анною"}),
        ("Иван", {"иван", "ивана", "ивану", "иваном", "иване"}),
        ("Пьеро", {"пьеро"}),  # indeclinable
    ],
)
def test_name_forms_include_the_paradigm(value: str, forms: set[str]) -> None:
    assert forms <= name_forms(value)
