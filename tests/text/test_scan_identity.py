"""PhraseBank.scan finds exactly what a plain word-by-word search finds, and what it found before.

Two guards for the scan's caches and shortcuts (chunk and word caches, lazy offsets, filled
placeholder entries remembered per value):

* a property test against an oracle written here without any of them: fold the text, take every
  token with its span from the tokenizer, stem each token, and try every phrase at every word;
* a recorded corpus (fixtures/scan_hits.json, regexes included): 400 seeded texts and the hits
  the scan gave before it had those caches.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.text import MissingValue, PhraseBank, PhraseSet, phrases
from svcaudit.text.names import name_forms
from svcaudit.text.normalize import fold
from svcaudit.text.words import DEFAULT_ANALYSERS, TOKEN_PATTERN, canonical_form, script_of, word_keys

from .scan_corpus import NAMES, ORDER_IDS, PHRASE_SETS, REGEX_SETS, SEPARATORS, WORDS, corpus, text_of

FIXTURE = Path(__file__).parent / "fixtures" / "scan_hits.json"
RECORDED_SIZE, RECORDED_SEED = 400, 20

Found = list[tuple[int, int, int, str]] | frozenset[str]  # hits, or the fields MissingValue names


def _keys(word: str) -> frozenset[str]:
    form = canonical_form(word)
    return frozenset(word_keys(form, DEFAULT_ANALYSERS[script_of(form)]))


def _phrase_keys(text: str) -> list[frozenset[str]]:
    return [_keys(word) for word in TOKEN_PATTERN.findall(fold(text).text)]


class _Oracle:
    """Every entry tried at every word of the text: slow and plain."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        matches = list(TOKEN_PATTERN.finditer(self.folded.text))
        self.spans = [match.span() for match in matches]
        self.forms = [canonical_form(match.group()) for match in matches]
        self.keys = [_keys(match.group()) for match in matches]

    def _gap_is_space(self, index: int) -> bool:
        return self.folded.text[self.spans[index][1] : self.spans[index + 1][0]].isspace()

    def _ends(self, slots: list[object], position: int) -> list[int]:
        """Every word index where ``slots`` matched from ``position`` can end, preferred first."""
        if not slots:
            return [position]
        if position >= len(self.keys):
            return []
        slot, rest = slots[0], slots[1:]
        if isinstance(slot, frozenset):  # a word: its keys
            return self._ends(rest, position + 1) if slot & self.keys[position] else []
        assert isinstance(slot, tuple)  # a name: its forms, one word or a run joined by spaces
        names = slot[0]
        runs = []
        end = position
        while end < len(self.forms) and self.forms[end] in names and (end == position or self._gap_is_space(end - 1)):
            end += 1
            runs.append(end)
        return [found for run_end in reversed(runs) for found in self._ends(rest, run_end)]

    def hits(self, entries: list[str], values: Mapping[str, object]) -> Found:
        slots_per_entry: list[list[object] | None] = []
        missing: set[str] = set()
        needs: list[set[str]] = []
        for entry in entries:
            slots: list[object] = []
            needed: set[str] = set()
            rest = entry
            while "{" in rest:
                before, _, after = rest.partition("{")
                field, _, rest = after.partition("}")
                slots.extend(_phrase_keys(before))
                needed.add(field)
                value = values.get(field)
                text = "" if value is None else str(value)
                if field.endswith("name"):
                    forms = name_forms(text)
                    filled: list[object] = [(forms,)] if forms else []
                else:
                    filled = list(_phrase_keys(text))
                if not filled:
                    missing.add(field)
                slots.extend(filled)
            slots.extend(_phrase_keys(rest))
            needs.append(needed)
            slots_per_entry.append(None if needed & missing else slots)
        if missing and all(needed & missing for needed in needs):
            return frozenset(missing)
        hits = []
        for entry_index, slots in enumerate(slots_per_entry):
            if slots is None:
                continue
            free_from = 0
            for position in range(len(self.keys)):
                ends = self._ends(slots, position) if position >= free_from else []
                if ends:
                    start, end = self.folded.original_span(self.spans[position][0], self.spans[ends[0] - 1][1])
                    hits.append((entry_index, start, end, self.text[start:end]))
                    free_from = ends[0]
        hits.sort()
        kept, free = [], {}
        for hit in hits:  # overlapping hits of one entry (from different filled forms) count once
            if hit[1] >= free.get(hit[0], 0):
                kept.append(hit)
                free[hit[0]] = hit[2]
        return sorted(kept, key=lambda hit: (hit[1], hit[2], hit[0]))


def _scan_hits(scan, key: int, values: Mapping[str, object]) -> Found:
    try:
        found = [(hit.entry_index, hit.start, hit.end, hit.matched) for hit in scan.hits(key, values)]
    except MissingValue as exc:
        with pytest.raises(MissingValue):
            scan.any_hit(key, values)
        return exc.fields
    assert scan.any_hit(key, values) == bool(found)
    return found


def _bank(sets) -> tuple[PhraseBank, list[int]]:
    bank = PhraseBank()
    return bank, [bank.add(PhraseSet(entries)) for entries in sets]


ORACLE_BANK, ORACLE_KEYS = _bank(PHRASE_SETS)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30),
    st.sampled_from(NAMES),
    st.sampled_from(ORDER_IDS),
)
def test_scan_finds_what_the_oracle_finds(parts, name, order_id) -> None:
    text = text_of([word for word, _ in parts], [separator for _, separator in parts])
    values = {"customer_name": name, "order_id": order_id}
    scan = ORACLE_BANK.scan(text)  # the one bank, its caches warm from the examples before
    oracle = _Oracle(text)
    for key, entries in zip(ORACLE_KEYS, PHRASE_SETS, strict=True):
        assert _scan_hits(scan, key, values) == oracle.hits(entries, values), (key, text)


def _scan_recorded(bank: PhraseBank, keys: list[int], after_each=None) -> None:
    """Scan the recorded corpus with `bank` and assert each text's hits are the recorded ones."""
    recorded = json.loads(FIXTURE.read_text(encoding="utf-8"))
    texts = corpus(RECORDED_SIZE, RECORDED_SEED)
    assert [record["text"] for record in recorded] == [text for text, _ in texts]
    for record, (text, values) in zip(recorded, texts, strict=True):
        scan = bank.scan(text)
        found = [_scan_hits(scan, key, values) for key in keys]
        expected = [
            frozenset(hits) if hits and isinstance(hits[0], str) else [tuple(hit) for hit in hits]
            for hits in record["hits"]
        ]
        assert found == expected, text
        if after_each is not None:
            after_each()


def test_the_recorded_hits_are_found_again() -> None:
    bank, keys = _bank(PHRASE_SETS + REGEX_SETS)
    for _ in range(2):  # cold caches, then warm ones
        _scan_recorded(bank, keys)


def test_caches_started_afresh_find_the_same_hits_and_stay_bounded(monkeypatch) -> None:
    """With room for a few words and chunks, the bank's caches are cleared over and over while the
    corpus is scanned: the hits are still the recorded ones, and neither cache outgrows its bound."""
    monkeypatch.setattr(phrases, "TOKEN_CACHE_SIZE", 7)
    monkeypatch.setattr(phrases, "CHUNK_CACHE_SIZE", 5)
    bank, keys = _bank(PHRASE_SETS + REGEX_SETS)

    def bounded() -> None:
        assert len(bank._token_cache) <= 7 and len(bank._chunk_cache) <= 5

    _scan_recorded(bank, keys, bounded)
