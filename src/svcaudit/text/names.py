"""Personal names for ``{customer_name}``-style placeholders: the forms an agent writes them in.

Used by ``phrases`` when a placeholder is filled from a ticket.  Snowball is not used for names:
it splits one name across stems (иван -> "ива" but ивану -> "иван"; роман -> "рома" but
романом -> "роман") and merges names with ordinary words (вера, верим -> "вер").  Instead the
case forms of a Russian name are *generated* from its nominative by the regular declension
patterns, and a text word must be exactly one of them; Latin-script names match as written
(case-insensitive) or with a possessive "'s".  Diminutives (Анна -> Аня) are not generated.
"""

from __future__ import annotations

from functools import lru_cache

from svcaudit.text.normalize import fold
from svcaudit.text.words import CYRILLIC, LATIN, TOKEN_PATTERN, canonical_form, script_of

__all__ = ["NAME_PARTICLES", "name_forms", "name_words"]

# Words of a full name that are not addressed on their own ("Ludwig van Beethoven").
NAME_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "del",
        "della",
        "du",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "фон",
        "ван",
        "де",
        "дер",
        "оглы",
        "кызы",
        "ибн",
    }
)
# Initials ("А.", "J.") are one letter; a name word needs at least this many.
MIN_NAME_WORD_LETTERS = 2
# After these consonants the genitive of an -а name is -и (Ольга -> Ольги), not -ы.
_VELARS_AND_HUSHING = frozenset("гкхжчшщ")
# After these, the instrumental of an -а name may be -ей (Саша -> Сашей, Маша -> Машей).
_HUSHING_AND_TS = frozenset("жчшщц")
_CYRILLIC_CONSONANTS = frozenset("бвгджзклмнпрстфхцчшщ")
# Names that lose a vowel when declined (Павел -> Павла, Лев -> Льва).  A general rule would
# turn Олег into "Ольга", so only known names get a second stem.
FLEETING_VOWEL_STEMS = {"павел": "павл", "лев": "льв"}

_ADJECTIVAL_MASCULINE = ("ский", "цкий", "ской", "цкой")
_ADJECTIVAL_FEMININE = ("ская", "цкая")


def _with_endings(base: str, endings: tuple[str, ...]) -> set[str]:
    return {base + ending for ending in endings}


def _russian_forms(word: str) -> set[str]:
    """Singular case forms of a Russian name (first name, patronymic or surname)."""
    forms = {word}
    if word.endswith(_ADJECTIVAL_MASCULINE):  # Достоевский, Толстой-like -ской
        return forms | _with_endings(word[:-2], ("ого", "ому", "им", "ом"))
    if word.endswith(_ADJECTIVAL_FEMININE):  # Достоевская
        return forms | _with_endings(word[:-2], ("ой", "ую"))
    last = word[-1]
    base = word[:-1]
    if word.endswith("ия"):  # Мария, Юлия
        forms |= _with_endings(base, ("и", "ю", "ей", "ею"))
    elif last == "я":  # Таня, Наталья, Илья
        forms |= _with_endings(base, ("и", "е", "ю", "ей", "ею"))
    elif last == "а":  # Анна, Ольга, Никита, Петровна, Иванова
        genitive = "и" if base[-1:] in _VELARS_AND_HUSHING else "ы"
        forms |= _with_endings(base, (genitive, "е", "у", "ой", "ою"))
        if base[-1:] in _HUSHING_AND_TS:
            forms |= _with_endings(base, ("ей", "ею"))
    elif last == "ь":  # Игорь (Игоря, Игорем) and Любовь (Любови, Любовью)
        forms |= _with_endings(base, ("я", "ю", "ем", "е", "и", "ью"))
    elif last == "й":  # Андрей, Дмитрий, Толстой
        forms |= _with_endings(base, ("я", "ю", "ем", "е", "и"))
        if word.endswith(("ой", "ый")):
            forms |= _with_endings(word[:-2], ("ого", "ому", "ым", "ом"))
    elif last in _CYRILLIC_CONSONANTS:  # Иван, Олег, Петрович, Иванов, Пушкин
        for stem in (word, FLEETING_VOWEL_STEMS.get(word, word)):
            forms |= _with_endings(stem, ("а", "у", "ом", "ем", "е"))
        if word.endswith(("ов", "ев", "ин", "ын")):  # surnames: Ивановым, Пушкиной
            forms |= _with_endings(word, ("ым", "ой", "ых"))
    # Names ending in о, е, и, у, ю, э (Пьеро, Мари, Шоу) do not decline.
    return forms


def _word_forms(word: str) -> set[str]:
    script = script_of(word)
    if script == CYRILLIC and word.isalpha():
        return _russian_forms(word)
    if script == LATIN:
        return {word, word + "'s"}
    return {word}


def name_words(value: str) -> tuple[str, ...]:
    """The addressable words of a name value (canonical, folded); empty when none."""
    words = []
    for token in TOKEN_PATTERN.finditer(fold(value).text):
        word = canonical_form(token.group())
        letters = sum(ch.isalpha() for ch in word)
        if letters >= MIN_NAME_WORD_LETTERS and word not in NAME_PARTICLES:
            words.append(word)
    return tuple(words)


@lru_cache(maxsize=4096)
def name_forms(value: str) -> frozenset[str]:
    """Every canonical token form that counts as writing (part of) the name ``value``.

    Any word of the name counts, in any case form: "Анна Петровна" is addressed by "Анна",
    "Анне", "Анна Петровна"; a CRM's "Петрова Анна Сергеевна" by "Анна Сергеевна".  Hyphenated
    names decline part by part ("Анна-Мария" -> "Анны-Марии") and each part also counts alone.
    """
    forms: set[str] = set()
    for word in name_words(value):
        parts = word.split("-")
        for part in parts:
            if len(part) >= MIN_NAME_WORD_LETTERS:
                forms |= _word_forms(part)
        if len(parts) > 1:
            combined = {""}
            for part in parts:
                part_forms = _word_forms(part)
                combined = {f"{head}-{form}" if head else form for head in combined for form in part_forms}
            forms |= combined
    return frozenset(forms)
