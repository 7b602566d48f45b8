"""Plain phrases: word boundaries, inflected forms, multi-word runs, offsets into the original."""

from __future__ import annotations

import pytest

from svcaudit.text import Hit, PhraseBank, PhraseError, PhraseSet, snippet

# (phrase, text, expected matched text or None)
MATCH_CASES = [
    # case, ё/е, NFKC
    ("здравствуйте", "Здравствуйте!", "Здравствуйте"),
    ("ЗДРАВСТВУЙТЕ", "здравствуйте", "здравствуйте"),
    ("всё хорошо", "Все хорошо", "Все хорошо"),
    ("все хорошо", "ВСЁ ХОРОШО!", "ВСЁ ХОРОШО"),
    ("ещё", "е\u0308ще раз", "е\u0308ще"),
    ("hello", "ｈｅｌｌｏ there", "ｈｅｌｌｏ"),
    ("спасибо за ожидание", "Спасибо\u00a0за\u00a0ожидание", "Спасибо\u00a0за\u00a0ожидание"),
    ("спасибо", "спа\u00adсибо!", "спа\u00adсибо"),
    ("привет", "приве\u0301т, Анна", "приве\u0301т"),  # stress mark
    # word boundaries
    ("hell", "hello there", None),
    ("hell", "what the hell!", "hell"),
    ("hell", "HELL.", "HELL"),
    ("дурак", "не надо одурачить клиента", None),
    ("дурак", "Вы дурак?", "дурак"),
    ("дурак", "вы дураки", "дураки"),
    ("дурак", "с дураками", "дураками"),
    ("не моя проблема", "это не моя проблема", "не моя проблема"),
    ("не моя проблема", "это не мои проблемы", "не мои проблемы"),
    ("не моя проблема", "не моей проблемой", "не моей проблемой"),
    ("не моя проблема", "это небо моя проблема", None),
    ("не моя проблема", "не твоя проблема", None),
    ("кто", "кто-нибудь поможет?", None),  # hyphenated words are one word
    ("кто-нибудь", "Кто-нибудь поможет?", "Кто-нибудь"),
    ("follow-up", "a follow‑up call", "follow‑up"),  # U+2011 non-breaking hyphen
    ("дурак", "ну ты дурак-то", "дурак-то"),  # emphatic particles after a hyphen
    ("подскажите", "Подскажите-ка, где заказ", "Подскажите-ка"),
    ("кто-то", "кто-то звонил", "кто-то"),
    ("idiot", "idiot_proof", None),  # "_" is a word character, as in \w
    ("24/7", "we work 24/7!", "24/7"),
    # inflected forms (Snowball)
    ("спасибо за ваше обращение", "Спасибо за ваши обращения!", "Спасибо за ваши обращения"),
    ("спасибо за ваше обращение", "спасибо за ваше обращенье", "спасибо за ваше обращенье"),
    ("sorry for the delay", "Sorry for the delays.", "Sorry for the delays"),
    ("sorry for the delay", "sorry for delay", None),  # a word missing
    ("извините", "извини, пожалуйста", "извини"),
    ("извините за ожидание", "Извините за долгое ожидание", None),  # not consecutive
    ("извините за ожидание", "извиняемся за ожидание", None),  # a different verb form family
    ("хорошего дня", "Хорошего дня!", "Хорошего дня"),
    ("благодарим за терпение", "Благодарю за терпение", "Благодарю за терпение"),
    ("ваша заявка", "по вашей заявке", "вашей заявке"),
    ("экран", "на экране и экраном", "экране"),
    ("экран", "к экрану", "экрану"),  # Snowball's -ан quirk (экран -> экра, экрану -> экран)
    ("thank you for contacting us", "Thanks you for contacting us", "Thanks you for contacting us"),
    ("apologize", "We apologise", None),  # British spelling stems differently
    ("customer", "the customer's order", "customer's"),
    ("wait", "thanks for waiting", "waiting"),
    # short words are compared exactly
    ("hi", "his order", None),
    ("hi", "Hi!", "Hi"),
    ("она", "они сказали", None),
    ("its", "it is", None),
    ("fix", "we fixes it", "fixes"),  # a 3-letter phrase word meets the stem of a longer form
    ("ваш", "ваши данные", "ваши"),
    # multi-word phrases across punctuation and line breaks
    ("спасибо за обращение", "Спасибо — за обращение", "Спасибо — за обращение"),
    ("not my problem", "Not... my\nproblem!", "Not... my\nproblem"),
    ("добрый день", "Добрый\n\nдень, Анна", "Добрый\n\nдень"),
    ("добрый день", "добрый, добрый день", "добрый день"),
    # scripts
    ("hello", "хелло", None),
    ("привет", "privet", None),
    ("спасибо", "спасибo", None),  # Latin "o": mixed-script words are compared exactly
]


@pytest.mark.parametrize(("phrase", "text", "expected"), MATCH_CASES)
def test_phrase_match(phrase: str, text: str, expected: str | None) -> None:
    hits = PhraseSet([phrase]).search(text)
    if expected is None:
        assert hits == []
    else:
        assert [hit.matched for hit in hits][:1] == [expected]
        assert text[hits[0].start : hits[0].end] == expected


def test_hits_are_in_text_order_with_all_occurrences() -> None:
    phrases = PhraseSet(["спасибо", "добрый день", "thank you"])
    text = "Добрый день! Спасибо. Thank you! спасибо"
    hits = phrases.search(text)
    assert [(hit.entry_index, hit.matched) for hit in hits] == [
        (1, "Добрый день"),
        (0, "Спасибо"),
        (2, "Thank you"),
        (0, "спасибо"),
    ]
    assert all(isinstance(hit, Hit) for hit in hits)
    assert hits[1] == Hit(0, "спасибо", 13, 20, "Спасибо")


@pytest.mark.parametrize(
    ("phrase", "text", "count"),
    [
        ("иван", "Ивана", 1),
        ("экран", "экрана", 1),
        ("экран экран", "экрана экрану", 1),
        ("спасибо", "спасибо спасибо", 2),
        ("да да", "да да да", 1),
        ("да да", "да да да да", 2),
    ],
)
def test_one_hit_per_place(phrase: str, text: str, count: int) -> None:
    assert len(PhraseSet([phrase]).search(text)) == count


def test_offsets_survive_expanding_normalisation() -> None:
    # "ﬁ" becomes two letters and "№" three characters in the folded text
    text = "№ 5: ﬁnal answer, спасибо"
    (hit,) = PhraseSet(["спасибо"]).search(text)
    assert (hit.start, hit.end, hit.matched) == (18, 25, "спасибо")
    (hit,) = PhraseSet(["final answer"]).search(text)
    assert hit.matched == "ﬁnal answer"


def test_explicit_language() -> None:
    german = PhraseSet(["danke für ihre geduld"], language="de")
    assert [h.matched for h in german.search("Danke für Ihre Geduld!")] == ["Danke für Ihre Geduld"]
    assert PhraseSet(["обращение"], language="ru").search("обращения")
    # the explicit language stems only its own script; other words keep the default
    assert PhraseSet(["delay"], language="russian").search("delays")


def test_explicit_and_default_language_share_a_bank() -> None:
    bank = PhraseBank()
    german = bank.add(PhraseSet(["kunden"], language="german"))
    english = bank.add(PhraseSet(["customers"]))
    scan = bank.scan("Kunde and customer")
    assert [h.matched for h in scan.hits(german)] == ["Kunde"]
    assert [h.matched for h in scan.hits(english)] == ["customer"]


ERROR_CASES = [
    # (entries, language, message fragment, entry index)
    ([], None, "empty", None),
    (["ok", ""], None, "no words", 1),
    (["ok", "!!!"], None, "no words", 1),
    (["{customer name}"], None, "malformed placeholder", 0),
    (["hello {customer_name"], None, "unbalanced brace", 0),
    (["a", 5], None, "phrase string", 1),
    ([{"regex": "a", "flags": "i"}], None, "phrase string", 0),
    ([{"regex": 5}], None, "must be a string", 0),
    (["ok"], "klingon", "unknown language", None),
]


@pytest.mark.parametrize(("entries", "language", "fragment", "index"), ERROR_CASES)
def test_phrase_errors(entries: list, language: str | None, fragment: str, index: int | None) -> None:
    with pytest.raises(PhraseError) as caught:
        PhraseSet(entries, language=language)
    assert fragment in caught.value.message
    assert caught.value.entry_index == index


def test_phrase_error_is_a_value_error_with_position() -> None:
    error = PhraseError("bad", 2)
    assert isinstance(error, ValueError)
    assert str(error) == "phrase #3: bad"


def test_phrase_set_describes_itself() -> None:
    phrases = PhraseSet(["Hello, {customer_name}", {"regex": r"\bidiot\w*"}, "bye"])
    assert phrases.entries == ("Hello, {customer_name}", r"regex:\bidiot\w*", "bye")
    assert phrases.placeholders == frozenset({"customer_name"})
    assert phrases.entry_placeholders == (frozenset({"customer_name"}), frozenset(), frozenset())
    assert len(phrases) == 3


SNIPPET_CASES = [
    # (text, start, end, width, expected)
    ("short text here", 6, 10, 40, "short text here"),
    ("one two three four five six seven", 14, 18, 8, "…three four five…"),
    ("line one\nline two\r\nline three", 9, 17, 40, "line one line two line three"),
    ("a" * 10 + " hit " + "b" * 10, 11, 14, 5, "…hit…"),
    ("Это не моя проблема, обратитесь в банк", 4, 19, 12, "Это не моя проблема, обратитесь…"),
    ("Это не моя проблема, обратитесь в банк", 4, 19, 10, "Это не моя проблема,…"),
    ("x" * 300, 0, 300, 10, "x" * 100 + "…" + "x" * 100),
]


@pytest.mark.parametrize(("text", "start", "end", "width", "expected"), SNIPPET_CASES)
def test_snippet(text: str, start: int, end: int, width: int, expected: str) -> None:
    assert snippet(text, start, end, width) == expected
