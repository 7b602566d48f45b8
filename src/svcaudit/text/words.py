"""Words: tokenising folded text and reducing words to the keys phrases are compared by.

Sits between ``normalize`` (which folds the text) and ``phrases`` (which looks keys up).  A
token is a run of letters, digits, combining marks and ``_``, possibly joined by inner hyphens
or apostrophes ("кто-нибудь", "follow-up", "don't").  A word's *key* is its Snowball stem,
chosen by the word's script (Cyrillic -> russian, Latin -> english) or by an explicit language.
Nothing here caches: a ``PhraseBank`` keeps each word it has analysed (its token cache), so a word
reaches these functions once per bank, not once per message.
"""

from __future__ import annotations

import re

import snowballstemmer

from svcaudit.text.normalize import MARK_CLASS

__all__ = [
    "EXACT",
    "LANGUAGE_ALIASES",
    "SHORT_WORD_MAX_LETTERS",
    "TOKEN_PATTERN",
    "canonical_form",
    "default_analyser",
    "resolve_language",
    "script_of",
    "word_keys",
]

# Word characters of the tokenizer.  The same set is used for ``\w`` and ``\b`` in user
# regular expressions (see regex.py), so "a word" means one thing throughout svcaudit.
_WORD = rf"[\w{MARK_CLASS}]"
# Hyphens and apostrophes *inside* a word keep it one token: "кто-нибудь" is not "кто",
# "don't" is not "don".  U+2010/U+2011 hyphens and U+2019/U+02BC apostrophes count too.
_JOINERS = "'\u2019\u02bc\\-\u2010\u2011"
TOKEN_PATTERN = re.compile(rf"{_WORD}+(?:[{_JOINERS}]{_WORD}+)*")
_PART_SEPARATOR = re.compile(rf"([{_JOINERS}])")
_CANONICAL_JOINERS = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})
_MARKS = re.compile(f"[{MARK_CLASS}]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]", re.IGNORECASE)

# Analyser name for words that are compared exactly (digits, mixed or other scripts).
EXACT = "exact"
CYRILLIC, LATIN, OTHER = "cyrillic", "latin", "other"
DEFAULT_ANALYSERS = {CYRILLIC: "russian", LATIN: "english", OTHER: EXACT}
# Scripts each Snowball language stems; languages not listed stem Latin-script words.
LANGUAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "russian": (CYRILLIC,),
    "serbian": (CYRILLIC, LATIN),
    "arabic": (OTHER,),
    "armenian": (OTHER,),
    "greek": (OTHER,),
    "hindi": (OTHER,),
    "nepali": (OTHER,),
    "persian": (OTHER,),
    "tamil": (OTHER,),
    "yiddish": (OTHER,),
}
LANGUAGE_ALIASES = {
    "ru": "russian",
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "sv": "swedish",
    "no": "norwegian",
    "da": "danish",
    "fi": "finnish",
    "pl": "polish",
    "cs": "czech",
    "tr": "turkish",
    "sr": "serbian",
    "ro": "romanian",
    "hu": "hungarian",
}

# Words of at most this many letters are compared exactly, never stemmed.  Snowball strips
# endings from short words so hard that distinct words collide: russian она/оно/они -> "он",
# моя -> "мо"; english its -> "it".  A 3-letter phrase word still matches longer forms whose
# stem is that word ("ваш" ~ "ваши", "fix" ~ "fixes").
SHORT_WORD_MAX_LETTERS = 3
# Closed-class exceptions to the rule above: the short forms of мой share the stem "мо" that
# Snowball gives its long forms (моей, моего, моих), so "не моя проблема" also catches
# "не мои проблемы" and "не моей проблемой".
SHORT_WORD_KEYS = {"мой": "мо", "моя": "мо", "мое": "мо", "мою": "мо", "мои": "мо"}
# Emphatic particles written after a hyphen; "дурак-то" is still the word "дурак".  (Not
# -нибудь/-либо: "кто-нибудь" is another word than "кто".)
RUSSIAN_ENCLITICS = frozenset({"то", "ка", "таки", "де"})
ENGLISH_POSSESSIVE = "'s"


def resolve_language(language: str | None) -> str | None:
    """The Snowball name for ``language`` (a name or ISO code); None stays None (auto).

    Raises ValueError for a language Snowball does not know.
    """
    if language is None:
        return None
    name = LANGUAGE_ALIASES.get(language.strip().lower(), language.strip().lower())
    if name not in snowballstemmer.algorithms():
        known = ", ".join(sorted(snowballstemmer.algorithms()))
        raise ValueError(f"unknown language {language!r}; known: {known}")
    return name


def scripts_of_language(language: str) -> tuple[str, ...]:
    return LANGUAGE_SCRIPTS.get(language, (LATIN,))


def script_of(form: str) -> str:
    """The script a word is stemmed by: Cyrillic or Latin letters only, else OTHER (exact)."""
    has_cyrillic = _CYRILLIC.search(form) is not None
    has_latin = _LATIN.search(form) is not None
    if has_cyrillic and not has_latin:
        return CYRILLIC
    if has_latin and not has_cyrillic:
        return LATIN
    return OTHER  # digits only, other scripts, or mixed (homoglyph tricks are matched exactly)


def default_analyser(form: str, language: str | None = None) -> str:
    """The analyser for a phrase word: ``language`` if it stems this script, else the default."""
    script = script_of(form)
    if language is not None and script in scripts_of_language(language):
        return language
    return DEFAULT_ANALYSERS[script]


def canonical_form(token: str) -> str:
    """A folded token with combining marks removed and joiners unified (’ -> ', ‐ -> -)."""
    if _MARKS.search(token):
        token = _MARKS.sub("", token)
    return token.translate(_CANONICAL_JOINERS)


_STEMMERS: dict[str, snowballstemmer.stemmer] = {}


def _stemmer(language: str) -> snowballstemmer.stemmer:
    stemmer = _STEMMERS.get(language)
    if stemmer is None:
        stemmer = _STEMMERS[language] = snowballstemmer.stemmer(language)
    return stemmer


def _part_keys(part: str, analyser: str) -> tuple[str, ...]:
    if analyser == EXACT or not part.isalpha():
        return (part,)
    if len(part) <= SHORT_WORD_MAX_LETTERS:
        return (SHORT_WORD_KEYS.get(part, part) if analyser == "russian" else part,)
    stem = _stemmer(analyser).stemWord(part)
    if (
        analyser == "russian"
        and stem[-1:] in ("а", "я")
        and part.startswith(stem)
        and part[len(stem) : len(stem) + 1] == "н"
    ):
        # Russian Snowball removes verb endings "-н/-на/-ны" after а/я, so nouns in -ан/-ян get
        # two stems: "иван", "ивана" -> "ива" but "ивану", "иваном" -> "иван" (also экран,
        # роман).  Giving such words both stems makes all their forms meet on "…ан".
        return (stem, stem + "н")
    return (stem,)


def word_keys(form: str, analyser: str) -> tuple[str, ...]:
    """Lookup keys of a canonical word under ``analyser``, each prefixed with the analyser.

    Hyphenated and apostrophe words are stemmed part by part ("по-моему" -> "по-мо").  Two
    words match when they share a key.
    """
    if analyser == "english" and form.endswith(ENGLISH_POSSESSIVE) and len(form) > 2:
        form = form[: -len(ENGLISH_POSSESSIVE)]  # "customer's" is a form of "customer"
    parts = _PART_SEPARATOR.split(form)
    if len(parts) == 1:
        return tuple(f"{analyser}:{key}" for key in _part_keys(form, analyser))
    # Joined words: stem each part; the first key of each part is enough here.
    joined = "".join(part if index % 2 else _part_keys(part, analyser)[0] for index, part in enumerate(parts))
    keys: tuple[str, ...] = (f"{analyser}:{joined}",)
    if analyser == "russian" and parts[-2] == "-" and parts[-1] in RUSSIAN_ENCLITICS:
        # "дурак-то", "подскажите-ка": the word itself plus an emphatic particle
        keys += word_keys("".join(parts[:-2]), analyser)
    return keys
