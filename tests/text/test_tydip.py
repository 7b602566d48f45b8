"""Real Russian (TyDiP ru_test.csv): the matcher agrees with a hand-checked reading.

Skips when ../shared/data is absent (the data is not part of the product repository).
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache, lru_cache
from pathlib import Path

import pytest

from svcaudit.text import PhraseBank, PhraseSet

TESTS_TEXT = Path(__file__).resolve().parent
DATA_FILE = (TESTS_TEXT.parents[1] / ".." / "shared" / "data" / "tydip_ru_test.csv").resolve()
EXPECTED = json.loads((TESTS_TEXT / "fixtures" / "tydip_expected.json").read_text("utf-8"))
SENTENCES_IN_FILE = 500

pytestmark = pytest.mark.skipif(not DATA_FILE.exists(), reason=f"{DATA_FILE} is absent")


@lru_cache(maxsize=1)
def sentences() -> tuple[str, ...]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(row["sentence"] for row in csv.DictReader(handle))


@cache
def found(phrase: str) -> dict[int, list[str]]:
    """Sentence index -> matched texts, for every sentence where ``phrase`` is found."""
    bank = PhraseBank()
    key = bank.add(PhraseSet([phrase]))
    result = {}
    for index, sentence in enumerate(sentences()):
        hits = bank.scan(sentence).hits(key)
        for hit in hits:
            assert sentence[hit.start : hit.end] == hit.matched
        if hits:
            result[index] = [hit.matched for hit in hits]
    return result


def test_the_data_file_is_the_expected_one() -> None:
    assert len(sentences()) == SENTENCES_IN_FILE


@pytest.mark.parametrize("phrase", sorted(EXPECTED["phrases"]))
def test_hits_match_the_hand_checked_list(phrase: str) -> None:
    assert sorted(found(phrase)) == EXPECTED["phrases"][phrase]["found"]


@pytest.mark.parametrize("phrase", sorted(EXPECTED["phrases"]))
def test_every_sentence_with_a_form_of_the_word_is_found(phrase: str) -> None:
    expectation = EXPECTED["phrases"][phrase]
    pattern = re.compile(expectation["recall_pattern"], re.IGNORECASE)
    misses = {int(index) for index in expectation["deliberate_misses"]}
    candidates = {index for index, sentence in enumerate(sentences()) if pattern.search(sentence)}
    assert candidates - misses <= set(found(phrase))
    assert not misses & set(found(phrase)), "a deliberate miss is now found: update the fixture"


@pytest.mark.parametrize("case", EXPECTED["not_found"], ids=lambda case: f"{case['index']}")
def test_look_alike_words_are_not_found(case: dict) -> None:
    assert case["index"] not in found(case["phrase"]), case["why"]


@pytest.mark.parametrize("phrase", sorted(EXPECTED["multi_word"]))
def test_phrases_and_word_forms_in_real_sentences(phrase: str) -> None:
    expected = {int(index): [matched] for index, matched in EXPECTED["multi_word"][phrase].items()}
    actual = found(phrase)
    assert {index: actual.get(index) for index in expected} == expected
    if len(expected) > 3:  # the complete list was read for these
        assert set(actual) == set(expected)


def test_one_bank_scans_all_phrases_at_once() -> None:
    bank = PhraseBank()
    keys = {phrase: bank.add(PhraseSet([phrase])) for phrase in EXPECTED["phrases"]}
    for index, sentence in enumerate(sentences()):
        scan = bank.scan(sentence)
        for phrase, key in keys.items():
            assert bool(scan.hits(key)) == (index in found(phrase))
