"""normalize / fold / strip_noise: the canonical text every phrase is matched against."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svcaudit.text import normalize, strip_noise
from svcaudit.text.normalize import collapse_whitespace, fold
from svcaudit.text.phrases import _CollapsedMap

NORMALIZE_CASES = [
    # (input, expected)
    ("Здравствуйте", "здравствуйте"),
    ("ЁЛКА ёлка Ёж", "елка елка еж"),
    ("е\u0308лка", "елка"),  # decomposed ё (е + combining diaeresis)
    ("Hello   World", "hello world"),
    ("  \t spaced\n\nout \r\n ", "spaced out"),
    ("ｈｅｌｌｏ　ＷＯＲＬＤ", "hello world"),  # full-width letters and ideographic space
    ("спасибо\u00a0за\u202fвсё", "спасибо за все"),  # no-break and narrow no-break spaces
    ("ﬁle", "file"),  # ligature
    ("Straße", "strasse"),  # case folding, not lower()
    ("спа\u00adсибо", "спасибо"),  # soft hyphen
    ("zero\u200bwidth", "zerowidth"),
    ("\ufeffBOM", "bom"),
    ("№ 5", "no 5"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=st.sampled_from(list("аАёЁеЕ xyzXYZ\u00a0\u0308\u0301\u00adﬁ№ß\n\t—…ＡＢ")), max_size=40))
def test_fold_offsets_point_into_the_original(text: str) -> None:
    folded = fold(text)
    for start in range(len(folded.text)):
        for end in range(start + 1, len(folded.text) + 1):
            original_start, original_end = folded.original_span(start, end)
            assert 0 <= original_start < original_end <= len(text)
    # each folded character comes from an original stretch that folds to contain it
    for index, char in enumerate(folded.text):
        original_start, original_end = folded.original_span(index, index + 1)
        assert char in fold(text[original_start:original_end]).text


def test_fold_keeps_identity_offsets_for_plain_text() -> None:
    folded = fold("Спасибо, Анна!")
    assert folded.segments == ()
    assert folded.original_span(9, 13) == (9, 13)


NOISE_CASES = [
    # (id, text, options, expected)
    ("reply above quote", "Thanks, fixed.\n\n> old question\n> more", {}, "Thanks, fixed."),
    (
        "on ... wrote",
        "Done!\nOn Mon, 3 Jun 2024 at 10:00, Ann <ann@example.com> wrote:\nplease help\nthanks",
        {},
        "Done!",
    ),
    (
        "wrapped on ... wrote",
        "Done!\nOn Mon, 3 Jun 2024 at 10:00, Ann Long-Name <\nann@example.com> wrote:\nold",
        {},
        "Done!",
    ),
    ("russian пишет", "Готово.\n3 июня 2024 г., Анна <anna@example.ru> пишет:\nстарое письмо", {}, "Готово."),
    ("russian написал(а)", "Готово.\nИван Петров написал(а):\nстарое", {}, "Готово."),
    (
        "gmail russian attribution",
        "Готово.\nпн, 3 июн. 2024 г. в 10:00, Анна <anna@example.ru>:\n\n> старое",
        {},
        "Готово.",
    ),
    ("original message", "See below.\n-----Original Message-----\nFrom: a\nold", {}, "See below."),
    ("исходное сообщение", "Смотрите ниже.\n-----Исходное сообщение-----\nОт: a", {}, "Смотрите ниже."),
    ("outlook header block", "Fixed.\nFrom: Ann <ann@example.com>\nSent: Monday\nTo: support\nold text", {}, "Fixed."),
    ("from: alone is kept", "From: the billing team we heard back.", {}, "From: the billing team we heard back."),
    ("signature delimiter", "Hello!\n-- \nAnn, Support\n+1 555", {}, "Hello!"),
    ("device line", "Ок, спасибо\nSent from my iPhone", {}, "Ок, спасибо"),
    ("russian device line", "Ок\nОтправлено из мобильной Почты Mail.ru", {}, "Ок"),
    ("ordinary sentence kept", "Отправлено с курьером сегодня.", {}, "Отправлено с курьером сегодня."),
    ("sign-off kept", "Всё готово.\nС уважением,\nАнна", {}, "Всё готово.\nС уважением,\nАнна"),
    ("url removed, punctuation kept", "See https://example.com/a?b=1. Thanks", {}, "See  . Thanks"),
    ("url in parentheses", "(см. https://example.ru/x) спасибо", {}, "(см.  ) спасибо"),
    ("www url", "Go to www.example.com now", {}, "Go to   now"),
    ("mention removed, e-mail kept", "@AmazonHelp write to help@example.com", {}, "write to help@example.com"),
    (
        "options off",
        "> quoted\n@bob https://x.example\n-- \nsig",
        {"quoted": False, "signature": False, "urls": False, "mentions": False},
        "> quoted\n@bob https://x.example\n-- \nsig",
    ),
    ("only urls", "> quoted https://x.example", {"quoted": False, "signature": False, "mentions": False}, "> quoted"),
]


@pytest.mark.parametrize(
    ("text", "options", "expected"), [case[1:] for case in NOISE_CASES], ids=[case[0] for case in NOISE_CASES]
)
def test_strip_noise(text: str, options: dict[str, bool], expected: str) -> None:
    assert strip_noise(text, **options) == expected


@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\u00a0\u2003\x1c")), max_size=30))
def test_collapsed_offsets_map_back_to_the_folded_text(text: str) -> None:
    collapsed = collapse_whitespace(text)
    mapping = _CollapsedMap(text)
    for start in range(len(collapsed)):
        for end in range(start + 1, len(collapsed) + 1):
            folded_start, folded_end = mapping.to_folded(start, end)
            piece = text[folded_start:folded_end]
            assert collapse_whitespace(piece) == collapsed[start:end].strip()
            assert piece[0].isspace() == collapsed[start].isspace()
            assert piece[-1].isspace() == collapsed[end - 1].isspace()
