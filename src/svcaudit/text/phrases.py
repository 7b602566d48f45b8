"""Phrase sets and the bank that scans a message for all of them at once.

The ``phrases`` check kind compiles each rule's ``require_any`` / ``forbid`` list into a
``PhraseSet``, adds every set to one ``PhraseBank``, and for each message calls
``bank.scan(text)`` once: the text is folded a single time and split at white space; each
chunk ("Здравствуйте,", "заказ", "№123.") is tokenised and each word stemmed once per bank, as
both repeat across messages far more than whole texts do (bounded caches).  Every plain phrase
of every set is found by one walk over the words that start one (a dict from first-word key to
candidate phrases), and every ``{regex: …}`` of every set by one ``re2.Set`` pass over the
chunks joined by single spaces (built once, of the patterns' relaxed forms; see regex.py), then
each reported pattern alone.  The rule then asks ``scan.hits(key, values=ticket_fields)`` or
``scan.any_hit(…)`` for its own set; placeholder entries such as ``"{customer_name}"`` are
filled from those values (remembered per distinct value), and word offsets are found only for
the hits that are reported.

Matching rules (see also words.py, names.py, regex.py):

* Words match on word boundaries and in other grammatical forms: two words match when their
  Snowball stems agree ("обращение" ~ "обращения", "delay" ~ "delays", "извините" ~ "извини");
  words of at most three letters must be equal ("hi" is not "his", "она" is not "они").
* A phrase of several words matches consecutive words of the text, whatever punctuation or
  white space lies between them ("спасибо за ваше обращение" ~ "Спасибо, за ваши обращения").
* ``{field}`` placeholders are filled from the values given to ``hits``.  Fields named ``name``
  or ``*_name`` are personal names: any word of the value, in any Russian case form, counts
  ("{customer_name}" with "Анна Петровна" finds "Анне", "Анной Петровной").  Other fields
  match their value's words like phrase words.  An entry whose value is missing or empty is
  skipped; when no entry is left to look for, ``hits`` raises ``MissingValue(fields)`` (see
  ``Scan.hits``); ``PhraseSet.missing(values)`` and ``all_need(fields)`` tell a check beforehand.
* Texts longer than ``MAX_SCAN_CHARS`` are scanned up to that length only (``scan.truncated``).
* A bank holds at most ``MAX_REGEXES`` regexes whose relaxed programs add up to at most
  ``MAX_REGEX_PROGRAM`` RE2 instructions: ``add`` refuses the entry that goes past either, so a
  standard's regex cost (compile time, the set's memory) is bounded before anything runs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress
from operator import itemgetter
from typing import cast

import re2

from svcaudit import reasons
from svcaudit.text.names import name_forms
from svcaudit.text.normalize import Folded, fold
from svcaudit.text.regex import (
    RE2_INSTRUCTION_BYTES,
    CompiledRegex,
    RegexSyntaxError,
    compile_user_regex,
    find_spans,
    re2_options,
)
from svcaudit.text.words import (
    DEFAULT_ANALYSERS,
    TOKEN_PATTERN,
    canonical_form,
    default_analyser,
    resolve_language,
    script_of,
    scripts_of_language,
    word_keys,
)

__all__ = ["Hit", "MissingValue", "PhraseBank", "PhraseError", "PhraseSet", "Scan", "snippet", "MAX_SCAN_CHARS"]

# Only the first million characters of a message are scanned.  RE2 and the token walk are
# linear, so this bounds the time any single (malformed or hostile) message can take.
MAX_SCAN_CHARS = 1_000_000
# The regex budget of one bank (one standard): how many regexes, and the size of the set they
# compile to together (relaxed RE2 instructions; a `\bword\w*` pattern is about 50).
MAX_REGEXES = 2_000
MAX_REGEX_PROGRAM = 200_000
# RE2 memory for the set: its program takes 2/3 (MAX_REGEX_PROGRAM needs a fifth of that), the DFA
# cache the rest. A set search never gives up for want of memory (RE2 would report that as "no
# match"), it rebuilds its cache; a larger cache keeps the states that similar messages share.
REGEX_SET_MEMORY = 20 * MAX_REGEX_PROGRAM * RE2_INSTRUCTION_BYTES
REGEX_DISPLAY_PREFIX = "regex:"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
NAME_FIELD = "name"
NAME_FIELD_SUFFIX = "_name"

Entry = str | Mapping[str, str]


class PhraseError(ValueError):
    """An entry of a phrase list cannot be compiled.  ``entry_index`` is 0-based (None: the set)."""

    def __init__(self, message: str, entry_index: int | None = None) -> None:
        super().__init__(message, entry_index)
        self.message = message
        self.entry_index = entry_index

    def __str__(self) -> str:
        if self.entry_index is None:
            return self.message
        return f"phrase #{self.entry_index + 1}: {self.message}"


class MissingValue(LookupError):
    """Placeholder entries need ticket fields that are missing or empty ("not applicable")."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = frozenset(fields)
        super().__init__(self.fields)

    def __str__(self) -> str:
        return reasons.NEEDS_FIELDS.text(fields=", ".join(sorted(self.fields)))


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of one entry; ``start``/``end`` index the original (un-normalised) text."""

    entry_index: int
    entry: str
    start: int
    end: int
    matched: str


# --- compiled entries ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _WordSlot:
    keys: frozenset[str]  # analyser-prefixed keys; a token matches when it shares one


@dataclass(frozen=True, slots=True)
class _FieldSlot:
    field: str


_Slot = _WordSlot | _FieldSlot


@dataclass(frozen=True, slots=True)
class _NameSlot:
    """A filled name placeholder: one or more consecutive words of the name."""

    forms: frozenset[str]


def is_name_field(field: str) -> bool:
    return field == NAME_FIELD or field.endswith(NAME_FIELD_SUFFIX)


def _word_slots(text: str, language: str | None) -> list[_WordSlot]:
    slots = []
    for token in TOKEN_PATTERN.finditer(fold(text).text):
        form = canonical_form(token.group())
        slots.append(_WordSlot(frozenset(word_keys(form, default_analyser(form, language)))))
    return slots


def _parse_phrase(text: str, language: str | None) -> tuple[_Slot, ...]:
    """A plain phrase -> slots; raises ValueError for malformed placeholders or no words."""
    slots: list[_Slot] = []
    position = 0
    for placeholder in _PLACEHOLDER.finditer(text):
        field = placeholder.group(1).strip()
        if not _FIELD_NAME.match(field):
            raise ValueError(
                f"malformed placeholder {placeholder.group()!r}: write a field name such as {{customer_name}}"
            )
        slots.extend(_word_slots(text[position : placeholder.start()], language))
        slots.append(_FieldSlot(field))
        position = placeholder.end()
    tail = text[position:]
    outside = _PLACEHOLDER.sub(" ", text)
    if "{" in outside or "}" in outside:
        raise ValueError("unbalanced brace: placeholders look like {customer_name}")
    slots.extend(_word_slots(tail, language))
    if not slots:
        raise ValueError("the phrase has no words to match")
    return tuple(slots)


class PhraseSet:
    """A compiled phrase list (one rule's ``require_any`` or ``forbid``).  Immutable.

    ``entries`` are strings (phrases, optionally with ``{field}`` placeholders) or
    ``{"regex": pattern}`` mappings.  ``language`` (a Snowball name such as "russian" or an
    ISO code such as "ru") stems the words of its script; None detects it per word from the
    script (Cyrillic -> russian, Latin -> english).
    """

    __slots__ = (
        "entries",
        "language",
        "placeholders",
        "entry_placeholders",
        "_phrases",
        "_regexes",
        "_private_bank",
        "_private_key",
        "_placeholder_order",
        "_filled_cache",
    )

    def __init__(self, entries: Sequence[Entry], language: str | None = None) -> None:
        if isinstance(entries, (str, bytes)) or not isinstance(entries, Sequence):
            raise PhraseError("a phrase list must be a list of phrases")
        try:
            self.language = resolve_language(language)
        except ValueError as exc:
            raise PhraseError(str(exc)) from None
        if not entries:
            raise PhraseError("the phrase list is empty")
        displays: list[str] = []
        phrases: list[tuple[int, tuple[_Slot, ...]]] = []
        regexes: list[tuple[int, CompiledRegex]] = []
        fields_per_entry: list[frozenset[str]] = []
        for index, entry in enumerate(entries):
            if isinstance(entry, str):
                try:
                    slots = _parse_phrase(entry, self.language)
                except ValueError as exc:
                    raise PhraseError(str(exc), index) from None
                phrases.append((index, slots))
                displays.append(entry)
                fields_per_entry.append(frozenset(slot.field for slot in slots if isinstance(slot, _FieldSlot)))
            elif isinstance(entry, Mapping) and set(entry) == {"regex"}:
                pattern = entry["regex"]
                if not isinstance(pattern, str):
                    raise PhraseError("regex must be a string", index)
                try:
                    regexes.append((index, compile_user_regex(pattern)))
                except RegexSyntaxError as exc:
                    raise PhraseError(str(exc), index) from None
                displays.append(REGEX_DISPLAY_PREFIX + pattern)
                fields_per_entry.append(frozenset())
            else:
                raise PhraseError(f'an entry is a phrase string or {{regex: "..."}}, not {entry!r}', index)
        self.entries: tuple[str, ...] = tuple(displays)
        self.entry_placeholders: tuple[frozenset[str], ...] = tuple(fields_per_entry)
        self.placeholders: frozenset[str] = frozenset().union(*fields_per_entry)
        self._phrases = tuple(phrases)
        self._regexes = tuple(regexes)
        self._private_bank: PhraseBank | None = None
        self._private_key = -1
        self._placeholder_order = tuple(sorted(self.placeholders))
        self._filled_cache: dict[tuple[str | None, ...], _Filled] = {}

    def __repr__(self) -> str:
        return f"PhraseSet({list(self.entries)!r}, language={self.language!r})"

    def __len__(self) -> int:
        return len(self.entries)

    def missing(self, values: Mapping[str, object] | None) -> frozenset[str]:
        """Placeholder fields with no usable value in ``values`` (empty when all are filled)."""
        return self._filled(values or {})[0]

    def _filled(self, values: Mapping[str, object]) -> _Filled:
        """The fields ``values`` cannot fill, and the entries with placeholders that they fill
        completely, as slots in entry order.  Remembered per distinct value, since every message
        and rule of a ticket asks with the same values."""
        texts = tuple(None if (value := values.get(field)) is None else str(value) for field in self._placeholder_order)
        filled = self._filled_cache.get(texts)
        if filled is None:
            fillings = {
                field: None if text is None else _fill(field, text, self.language)
                for field, text in zip(self._placeholder_order, texts, strict=True)
            }
            entries = []
            for entry_index, slots in self._phrases:
                needed = self.entry_placeholders[entry_index]
                if not needed or any(fillings[field] is None for field in needed):
                    continue
                entry_slots: list[object] = []
                for slot in slots:
                    if isinstance(slot, _FieldSlot):
                        entry_slots.extend(fillings[slot.field])  # type: ignore[arg-type]
                    else:
                        entry_slots.append(slot)
                entries.append((entry_index, tuple(entry_slots)))
            missing = frozenset(field for field, filling in fillings.items() if filling is None)
            if len(self._filled_cache) >= FILL_CACHE_SIZE:
                self._filled_cache.clear()
            filled = self._filled_cache[texts] = (missing, tuple(entries))
        return filled

    def all_need(self, fields: Iterable[str]) -> bool:
        """True when every entry needs at least one of ``fields`` (all unfillable without them)."""
        wanted = frozenset(fields)
        return all(not needed.isdisjoint(wanted) for needed in self.entry_placeholders)

    def search(self, text: str, values: Mapping[str, object] | None = None, *, strict: bool = False) -> list[Hit]:
        """Hits of this set alone in ``text`` (convenience; checks should share a bank)."""
        if self._private_bank is None:
            self._private_bank = PhraseBank()
            self._private_key = self._private_bank.add(self)
        return self._private_bank.scan(text).hits(self._private_key, values, strict=strict)


# Distinct placeholder values a set remembers the filled entries of; past this it starts afresh.
FILL_CACHE_SIZE = 4096
# (fields that cannot be filled, ((entry index, filled slots), …)) for one set and one ticket
_Filled = tuple[frozenset[str], tuple[tuple[int, tuple[object, ...]], ...]]


def _fill(field: str, text: str, language: str | None) -> tuple[object, ...] | None:
    """Slots that replace ``{field}`` for the value ``text``; None when it cannot fill it."""
    if is_name_field(field):
        forms = name_forms(text)
        return (_NameSlot(forms),) if forms else None
    slots = _word_slots(text, language)
    return tuple(slots) if slots else None


# --- the bank and its scans --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    set_key: int
    entry_index: int
    rest: tuple[frozenset[str], ...]  # keys of the words after the first


# What a bank knows of a word of the folded text: the word, its canonical form, its keys, and
# the fixed phrases that start with it.
_Analysed = tuple[str, str, frozenset[str], tuple[_Candidate, ...]]
_WORD, _FORM, _KEYS, _CANDIDATES = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)


class _Tokens:
    """The words of a scanned text.  Forms, keys and offsets are built only when asked for:
    most scans are answered from the fixed entries found while scanning."""

    __slots__ = ("_folded", "_analysed", "_forms", "_keys", "_starts", "_ends")

    def __init__(self, folded: str, analysed: list[_Analysed]) -> None:
        self._folded = folded
        self._analysed = analysed  # what the bank knows of each word, in text order
        self._forms: list[str] | None = None
        self._keys: list[frozenset[str]] | None = None
        self._starts: list[int] = []
        self._ends: list[int] = []

    def __len__(self) -> int:
        return len(self._analysed)

    @property
    def forms(self) -> list[str]:
        """Canonical forms of the words (names are compared on these)."""
        if self._forms is None:
            self._forms = list(map(_FORM, self._analysed))
        return self._forms

    @property
    def keys(self) -> list[frozenset[str]]:
        """Analyser-prefixed stem keys of the words."""
        if self._keys is None:
            self._keys = list(map(_KEYS, self._analysed))
        return self._keys

    def spaced(self, index: int) -> bool:
        """True when only white space separates word ``index`` from the next word."""
        end = self.span(index, index)[1]
        return self._folded[end : self.span(index + 1, index + 1)[0]].isspace()

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Folded-text span from the start of word ``first`` to the end of word ``last``."""
        starts, ends = self._starts, self._ends
        if last >= len(starts):
            # A word starts with a word character and the gap before it has none, so the next
            # occurrence of the word after the previous one is the word itself.  Offsets are
            # found up to the last word asked for.
            position = ends[-1] if ends else 0
            find = self._folded.find
            for word in map(_WORD, self._analysed[len(starts) : last + 1]):
                position = find(word, position)
                starts.append(position)
                position += len(word)
                ends.append(position)
        return starts[first], ends[last]


# A bank remembers the words and the white-space separated chunks of text ("Hello,", "заказ",
# "№123.") it has seen; past this many of each it starts afresh. Support text repeats its words
# and chunks so much that these few megabytes hit as often as caches ten times larger
# (benchmarks/README.md measures both).
TOKEN_CACHE_SIZE = 1 << 14
CHUNK_CACHE_SIZE = 1 << 14
# Longer chunks (pasted logs, links, base64) rarely repeat; they are analysed but not kept, so
# the chunk cache stays small whatever the texts.
MAX_CACHED_CHUNK_CHARS = 64


class PhraseBank:
    """All phrase sets of a run, compiled for one-pass scanning of each message."""

    def __init__(self) -> None:
        self._sets: list[PhraseSet] = []
        self._first_word: dict[str, list[_Candidate]] = {}
        self._analysers: dict[str, tuple[str, ...]] = {
            script: (analyser,) for script, analyser in DEFAULT_ANALYSERS.items()
        }
        self._regexes: list[tuple[int, int, CompiledRegex]] = []
        self._regex_program = 0  # relaxed instructions of all regexes (MAX_REGEX_PROGRAM)
        self._regex_set: re2.Set | None = None
        self._regex_set_stale = False
        # folded word -> its _Analysed, folded chunk -> its words' _Analysed; add() clears both
        self._token_cache: dict[str, _Analysed] = {}
        self._chunk_cache: dict[str, tuple[_Analysed, ...]] = {}

    def __len__(self) -> int:
        return len(self._sets)

    def add(self, phrase_set: PhraseSet) -> int:
        """Register a set; returns the key to ask ``Scan.hits`` with.  Same set -> same key.

        Raises PhraseError naming the entry whose regex goes past the bank's regex budget.
        """
        for key, known in enumerate(self._sets):
            if known is phrase_set:
                return key
        self._check_budget(phrase_set)
        key = len(self._sets)
        self._sets.append(phrase_set)
        self._token_cache.clear()
        self._chunk_cache.clear()
        if phrase_set.language is not None:
            for script in scripts_of_language(phrase_set.language):
                if phrase_set.language not in self._analysers[script]:
                    self._analysers[script] += (phrase_set.language,)
        for entry_index, slots in phrase_set._phrases:
            words = [slot for slot in slots if isinstance(slot, _WordSlot)]
            if len(words) != len(slots):
                continue  # a phrase with a field slot is filled per ticket in Scan.hits
            first, *rest = words
            candidate = _Candidate(key, entry_index, tuple(slot.keys for slot in rest))
            for lookup in first.keys:
                self._first_word.setdefault(lookup, []).append(candidate)
        for entry_index, compiled in phrase_set._regexes:
            self._regexes.append((key, entry_index, compiled))
            self._regex_program += compiled.program
            self._regex_set_stale = True
        return key

    def _check_budget(self, phrase_set: PhraseSet) -> None:
        count, program = len(self._regexes), self._regex_program
        for entry_index, compiled in phrase_set._regexes:
            count += 1
            program += compiled.program
            if count > MAX_REGEXES:
                raise PhraseError(
                    f"a standard has at most {MAX_REGEXES:,} regexes; this is "
                    f"regex number {count:,}: merge them (a|b) or use plain phrases",
                    entry_index,
                )
            if program > MAX_REGEX_PROGRAM:
                raise PhraseError(
                    f"the standard's regexes up to this one compile to {program:,} "
                    f"RE2 instructions together, more than {MAX_REGEX_PROGRAM:,}: "
                    f"simplify them or use plain phrases",
                    entry_index,
                )

    def prepare(self) -> None:
        """Compile the regex set now (a loaded standard is ready to scan, and forked workers
        inherit the set). Raises PhraseError if RE2 cannot build it within its budget."""
        if self._compiled_regex_set() is None and self._regexes:
            raise PhraseError(
                f"RE2 cannot compile the standard's {len(self._regexes):,} regexes "
                f"together within {REGEX_SET_MEMORY // 2**20} MB; simplify them"
            )

    def phrase_set(self, key: int) -> PhraseSet:
        return self._sets[key]

    def _compiled_regex_set(self) -> re2.Set | None:
        if self._regex_set_stale:
            self._regex_set_stale = False
            regex_set = re2.Set.SearchSet(re2_options(REGEX_SET_MEMORY))
            try:
                for _, _, compiled in self._regexes:
                    regex_set.Add(compiled.relaxed)
                regex_set.Compile()
                self._regex_set = regex_set
            except re2.error:
                # Beyond RE2's memory budget (`prepare` refuses such a standard; a bank built
                # directly may still get here): search each pattern alone.
                self._regex_set = None
        return self._regex_set

    def _analyse(self, word: str) -> _Analysed:
        form = canonical_form(word)
        analysers = self._analysers[script_of(form)]
        keys = frozenset(key for analyser in analysers for key in word_keys(form, analyser))
        # a phrase indexed under two keys of this word (иван: "ива" and "иван") counts once
        candidates = tuple(
            dict.fromkeys(candidate for key in sorted(keys) for candidate in self._first_word.get(key, ()))
        )
        if len(self._token_cache) >= TOKEN_CACHE_SIZE:
            self._token_cache.clear()
        analysed = self._token_cache[word] = (word, form, keys, candidates)
        return analysed

    def _analyse_chunk(self, chunk: str) -> tuple[_Analysed, ...]:
        cache_get = self._token_cache.get
        analysed = tuple(cache_get(word) or self._analyse(word) for word in TOKEN_PATTERN.findall(chunk))
        if len(chunk) <= MAX_CACHED_CHUNK_CHARS:
            if len(self._chunk_cache) >= CHUNK_CACHE_SIZE:
                self._chunk_cache.clear()
            self._chunk_cache[chunk] = analysed
        return analysed

    def scan(self, text: str) -> Scan:
        """Fold, tokenise and stem ``text`` once and find every set's fixed entries in it."""
        truncated = len(text) > MAX_SCAN_CHARS
        if truncated:
            text = text[:MAX_SCAN_CHARS]
        folded = fold(text)
        # No token contains white space, so the text's tokens are those of its white-space
        # separated chunks, one after another; chunks repeat far more than whole texts do.
        chunks = folded.text.split()
        cached = list(map(self._chunk_cache.get, chunks))
        if None in cached:
            analyse = self._analyse_chunk
            cached = [known or analyse(chunk) for chunk, known in zip(chunks, cached, strict=True)]
        analysed = list(chain.from_iterable(cast("list[tuple[_Analysed, ...]]", cached)))
        found: dict[int, list[tuple[int, int, int, int]]] = {}  # set -> (entry, kind, a, b)
        count = len(analysed)
        # Only words that start a fixed phrase are looked at; most words start none.
        for position in compress(range(count), map(_CANDIDATES, analysed)):
            for candidate in analysed[position][3]:
                rest = candidate.rest
                end = position + 1 + len(rest)
                if end > count:
                    continue
                offset = position + 1
                for wanted in rest:
                    if wanted.isdisjoint(analysed[offset][2]):
                        break
                    offset += 1
                else:
                    found.setdefault(candidate.set_key, []).append((candidate.entry_index, _TOKENS, position, end))
        if self._regexes:
            self._scan_regexes(folded.text, chunks, found)
        return Scan(self, text, truncated, folded, _Tokens(folded.text, analysed), found)

    def _scan_regexes(self, folded: str, chunks: list[str], found: dict[int, list[tuple[int, int, int, int]]]) -> None:
        """Regex hits in the folded text's chunks joined by single spaces (what
        `normalize.collapse_whitespace` makes of it), located back in the folded text."""
        normalized = " ".join(chunks)
        data = normalized.encode("utf-8")
        regex_set = self._compiled_regex_set()
        if regex_set is not None:
            candidates = regex_set.Match(data) or ()
        else:
            candidates = range(len(self._regexes))
        collapsed_map: _CollapsedMap | None = None  # built on the first regex hit only
        for regex_index in candidates:
            set_key, entry_index, compiled = self._regexes[regex_index]
            for start, end in find_spans(compiled, normalized, data):
                if collapsed_map is None:
                    collapsed_map = _CollapsedMap(folded)
                folded_start, folded_end = collapsed_map.to_folded(start, end)
                found.setdefault(set_key, []).append((entry_index, _FOLDED_SPAN, folded_start, folded_end))


_TOKENS, _FOLDED_SPAN = 0, 1  # how a raw hit is located: token range or folded-text span


# White space that collapsing changes: a run of two or more, or one character other than " ".
_IRREGULAR_SPACE = re.compile(r"\s{2,}|[^\S ]")


class _CollapsedMap:
    """Maps offsets in ``collapse_whitespace(folded)`` back to offsets in ``folded``.

    Only irregular white-space runs move offsets, so only those are recorded: for run ``k``,
    ``spaces[k]`` is the collapsed offset of the one space it became, ``runs[k]`` its span in
    the folded text and ``shifts[k]`` the offset difference after it.
    """

    def __init__(self, folded: str) -> None:
        self._lead = len(folded) - len(folded.lstrip())  # stripped, not collapsed to a space
        self._spaces: list[int] = []
        self._runs: list[tuple[int, int]] = []
        self._shifts: list[int] = []
        shift = self._lead
        for run in _IRREGULAR_SPACE.finditer(folded, self._lead):
            run_start, run_end = run.span()
            self._spaces.append(run_start - shift)
            self._runs.append((run_start, run_end))
            shift += run_end - run_start - 1
            self._shifts.append(shift)

    def _folded_offset(self, offset: int, at_end: bool) -> int:
        run = bisect_right(self._spaces, offset) - 1
        if run < 0:
            return offset + self._lead + at_end
        if offset == self._spaces[run]:  # the space standing for a whole white-space run
            return self._runs[run][1] if at_end else self._runs[run][0]
        return offset + self._shifts[run] + at_end

    def to_folded(self, start: int, end: int) -> tuple[int, int]:
        """The folded span of collapsed ``[start, end)`` (``end > start``)."""
        return self._folded_offset(start, False), self._folded_offset(end - 1, True)


class Scan:
    """The result of scanning one message text; ask it for each set's hits."""

    __slots__ = ("text", "truncated", "_bank", "_folded", "_tokens", "_found")

    def __init__(
        self,
        bank: PhraseBank,
        text: str,
        truncated: bool,
        folded: Folded,
        tokens: _Tokens,
        found: dict[int, list[tuple[int, int, int, int]]],
    ) -> None:
        self.text = text  # the scanned (possibly truncated) original text
        self.truncated = truncated
        self._bank = bank
        self._folded = folded
        self._tokens = tokens
        self._found = found

    @property
    def words(self) -> tuple[str, ...]:
        """The canonical words of the text, in order (for debugging and tests)."""
        return tuple(self._tokens.forms)

    def _hit(self, phrase_set: PhraseSet, entry_index: int, folded_start: int, folded_end: int) -> Hit:
        start, end = self._folded.original_span(folded_start, folded_end)
        return Hit(entry_index, phrase_set.entries[entry_index], start, end, self.text[start:end])

    def hits(self, key: int, values: Mapping[str, object] | None = None, *, strict: bool = False) -> list[Hit]:
        """Hits of set ``key`` in text order; ``values`` fill placeholder entries.

        An entry whose placeholder has no usable value (missing, None, empty, or without a
        single word) cannot be looked for and is skipped.  If that leaves *no* entry to look
        for, ``MissingValue`` is raised, so a rule cannot pass or fail on nothing; with
        ``strict=True`` it is raised as soon as any entry is unfillable.  The exception names
        the fields (``exc.fields``) for a "not applicable: needs customer_name" outcome.
        """
        phrase_set = self._bank.phrase_set(key)
        tokens = self._tokens
        hits = []
        for entry_index, kind, start, end in self._found.get(key, ()):
            if kind == _TOKENS:
                start, end = tokens.span(start, end - 1)
            hits.append(self._hit(phrase_set, entry_index, start, end))
        if phrase_set.placeholders:
            for entry_index, first, end in self._placeholder_matches(phrase_set, values or {}, strict):
                hits.append(self._hit(phrase_set, entry_index, *tokens.span(first, end - 1)))
        hits.sort(key=lambda hit: (hit.start, hit.end, hit.entry_index))
        return _without_overlaps(hits)

    def any_hit(self, key: int, values: Mapping[str, object] | None = None) -> bool:
        """Whether `hits(key, values)` would find anything, without locating the hits in the
        text (most rules pass on most messages, and a pass needs no evidence). Raises
        MissingValue exactly when `hits` would."""
        if self._found.get(key):
            return True  # a fixed entry matched: some entry needs no value, so nothing is missing
        phrase_set = self._bank.phrase_set(key)
        if not phrase_set.placeholders:
            return False
        return next(self._placeholder_matches(phrase_set, values or {}, False), None) is not None

    def _placeholder_matches(
        self, phrase_set: PhraseSet, values: Mapping[str, object], strict: bool
    ) -> Iterator[tuple[int, int, int]]:
        """(entry index, first word, end word) of each match of a filled entry, entry by entry.

        Raises MissingValue (before yielding anything) as `hits` documents."""
        missing, entries = phrase_set._filled(values)
        if missing and (strict or phrase_set.all_need(missing)):
            raise MissingValue(missing)
        tokens = self._tokens
        for entry_index, filled in entries:
            next_free = 0  # hits of one entry do not overlap
            for position in _first_slot_positions(filled[0], tokens):
                if position < next_free:
                    continue
                end = _match_slots(filled, tokens, position)
                if end is not None:
                    yield entry_index, position, end
                    next_free = end


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    """Drop a hit that overlaps an earlier hit of the same entry ("да да да" for "да да")."""
    free_from: dict[int, int] = {}
    kept = []
    for hit in hits:
        if hit.start >= free_from.get(hit.entry_index, 0):
            kept.append(hit)
            free_from[hit.entry_index] = hit.end
    return kept


def _first_slot_positions(slot: object, tokens: _Tokens) -> Iterator[int]:
    """Word positions where ``slot`` matches: the only places a filled entry can start."""
    if isinstance(slot, _NameSlot):
        forms = slot.forms
        if forms.isdisjoint(tokens.forms):
            return iter(())  # most texts do not name the customer at all
        return compress(range(len(tokens)), map(forms.__contains__, tokens.forms))
    assert isinstance(slot, _WordSlot)
    return compress(range(len(tokens)), map(slot.keys.intersection, tokens.keys))


def _match_slots(slots: Sequence[object], tokens: _Tokens, position: int) -> int | None:
    """End token index if ``slots`` match from ``position`` (name runs are greedy, backtrack)."""
    if not slots:
        return position
    if position >= len(tokens):
        return None
    slot, rest = slots[0], slots[1:]
    if isinstance(slot, _WordSlot):
        if slot.keys.isdisjoint(tokens.keys[position]):
            return None
        return _match_slots(rest, tokens, position + 1)
    assert isinstance(slot, _NameSlot)
    # A name is one word or several separated by white space only ("Анна Петровна"), so that
    # "Иван, Ивану" gives two hits, not one.
    if tokens.forms[position] not in slot.forms:
        return None
    run_end = position + 1
    while run_end < len(tokens) and tokens.forms[run_end] in slot.forms and tokens.spaced(run_end - 1):
        run_end += 1
    for end in range(run_end, position, -1):
        matched = _match_slots(rest, tokens, end)
        if matched is not None:
            return matched
    return None


# --- evidence ----------------------------------------------------------------------------

SNIPPET_ELLIPSIS = "…"
SNIPPET_MAX_MATCH_CHARS = 200  # a longer match (a greedy regex) is shortened in the middle
_WHITESPACE_RUN = re.compile(r"\s+")


def snippet(text: str, start: int, end: int, width: int = 40) -> str:
    """The matched text with up to ``width`` characters of context on each side.

    Context is cut at white space where possible (no half words), cuts are marked with "…",
    and newlines and other white-space runs are flattened to single spaces, so the result fits
    on one report line.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    matched = text[start:end]
    if len(matched) > SNIPPET_MAX_MATCH_CHARS:
        half = SNIPPET_MAX_MATCH_CHARS // 2
        matched = matched[:half] + SNIPPET_ELLIPSIS + matched[-half:]
    left_from = max(0, start - width)
    left = text[left_from:start]
    if left_from > 0:
        if not text[left_from - 1].isspace():  # cut inside a word: drop the word's tail
            cut = _WHITESPACE_RUN.search(left)
            left = left[cut.start() :] if cut is not None else ""
        left = SNIPPET_ELLIPSIS + left.lstrip()
    right_to = min(len(text), end + width)
    right = text[end:right_to]
    if right_to < len(text):
        if not text[right_to].isspace():  # cut inside a word: drop the word's head
            cuts = list(_WHITESPACE_RUN.finditer(right))
            right = right[: cuts[-1].end()] if cuts else ""
        right = right.rstrip() + SNIPPET_ELLIPSIS
    return _WHITESPACE_RUN.sub(" ", left + matched + right).strip()
