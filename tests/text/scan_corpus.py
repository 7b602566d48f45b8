"""Texts and phrase sets for the scan-identity tests: support-message words in many forms.

Shared by the hypothesis property test (which draws texts from these parts) and the recorded
corpus test (which builds a fixed, seeded corpus from them and compares its hits with the hits
recorded in fixtures/scan_hits.json).
"""

from __future__ import annotations

import random

# Words as agents and customers write them: cases, ё and е, inflections, short words that must
# not match longer ones, joined words, names in several case forms, digits, and characters that
# fold (combining marks, a soft hyphen, full-width letters, a ligature).
WORDS = (
    "Здравствуйте", "здравствуйте", "ЗДРАВСТВУЙТЕ", "Здравствуй", "Добрый", "добрый", "день", "дня",
    "вечер", "Спасибо", "спасибо", "за", "ваше", "ваши", "обращение", "обращения", "обращений",
    "извините", "Извини", "ожидание", "ожидания", "задержку", "ещё", "еще", "всё", "Всего", "доброго",
    "хорошего", "не", "моя", "мои", "моей", "проблема", "проблемы", "проблемой", "это", "заказ",
    "заказу", "№", "Hello", "hello", "HI", "hi", "his", "Hey", "thank", "thanks", "you", "for",
    "your", "patience", "sorry", "Sorry", "the", "wait", "delay", "delays", "not", "my", "problem",
    "problems", "customer's", "don't", "don’t", "follow-up", "кто-нибудь", "дурак-то", "дурак",
    "дураки", "idiot", "idiots", "Idiotic", "Анна", "Анне", "Анной", "Анну", "Петровна", "Петровной",
    "Иван", "Ивану", "Ивана", "Thomas", "Thomas's", "THOMAS", "123", "6145050", "ёлка", "Ёжик",
    "е\u0308ще", "спаси\u0301бо", "спа\u00adсибо", "ｈｅｌｌｏ", "ﬁx", "Straße", "İstanbul",
)  # fmt: skip
# What lies between words: nothing (words run together), spaces of several kinds, punctuation,
# joiners (which make one token of two words), line breaks.
SEPARATORS = (
    " ", " ", " ", "  ", ", ", ". ", "! ", "!\n", "\n\n", "\t", "\u00a0", " — ", "-", "'", "’",
    "", " \u0301", "\u200b", " (", ") ", "? ",
)  # fmt: skip

PHRASE_SETS = (
    ["здравствуйте", "добрый день", "hello", "hi", "good morning"],
    ["{customer_name}", "спасибо, {customer_name}"],
    ["извините за ожидание", "спасибо за ваше обращение", "sorry for the delay", "thank you for your patience"],
    ["не моя проблема", "not my problem", "дурак", "don't", "всего доброго"],
    ["заказ {order_id}", "{order_id}", "hello {customer_name}"],
)
# Sets with regexes: the recorded corpus covers them (the oracle of the property test has none).
REGEX_SETS = (
    ["not my problem", {"regex": r"\bidiot\w*"}, {"regex": r"\bдурак\w*"}],
    [{"regex": r"\bзаказ\w*\s+№?\s*\d+"}, "спасибо"],
)
NAMES = ("Анна Петровна", "Иван", "Thomas", "", None, "Анна-Мария")
ORDER_IDS = ("6145050", "123", None, "", "заказ")
MAX_WORDS = 30


def text_of(words: list[str], separators: list[str]) -> str:
    """``words`` with ``separators[i]`` after word ``i`` (separators may be fewer)."""
    return "".join(word + (separators[index] if index < len(separators) else "") for index, word in enumerate(words))


def corpus(size: int, seed: int) -> list[tuple[str, dict[str, str | None]]]:
    """A fixed list of (text, ticket values) built from the parts above."""
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        count = rng.randint(0, MAX_WORDS)
        words = [rng.choice(WORDS) for _ in range(count)]
        separators = [rng.choice(SEPARATORS) for _ in range(count)]
        values = {"customer_name": rng.choice(NAMES), "order_id": rng.choice(ORDER_IDS)}
        texts.append((text_of(words, separators), values))
    return texts
