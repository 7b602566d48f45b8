"""The JSON report's findings, encoded a key at a time (`reporters.json.encode_findings`), are the
text `json.dumps` gives each finding's item (the raw controls it leaves escaped by `json_text`),
whatever the values of a batch: texts that need escaping, numbers of mixed types in one column (1
and 1.0 must stay apart), missing values, due times with and without microseconds, waived findings
and a mix of waived and unwaived ones."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.reporters.escaping import json_text
from svcaudit.reporters.json import ITEM_SEPARATOR, encode_findings
from svcaudit.results.model import VIOLATION_FIELDS, Violation, violation_as_row

TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["", "%s", '"', "\\", "ё\n\t"])
MAYBE_TEXT = st.none() | TEXTS
NUMBERS = st.none() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True, allow_infinity=True) | st.booleans()
SECONDS = st.none() | st.integers(-(10**9), 10**9)
DUE = st.none() | st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)
).map(lambda moment: moment if moment.microsecond % 2 else moment.replace(microsecond=0))


@st.composite
def findings(draw, waived: bool | None) -> Violation:
    waiver = {True: TEXTS, False: st.none(), None: MAYBE_TEXT}[waived]
    return Violation(
        rule=draw(TEXTS),
        ticket_id=draw(MAYBE_TEXT),
        severity=draw(st.sampled_from(["error", "warning"])),
        message=draw(TEXTS),
        measured_seconds=draw(SECONDS),
        target_seconds=draw(SECONDS),
        due_at=draw(DUE),
        evidence=draw(MAYBE_TEXT),
        path=draw(MAYBE_TEXT),
        row=draw(st.none() | st.integers(1, 10**9)),
        field=draw(MAYBE_TEXT),
        message_index=draw(st.none() | st.integers(1, 100)),
        measured_value=draw(NUMBERS),
        target_value=draw(NUMBERS),
        agent=draw(MAYBE_TEXT),
        team=draw(MAYBE_TEXT),
        channel=draw(MAYBE_TEXT),
        priority=draw(MAYBE_TEXT),
        waiver=draw(waiver),
    )


def expected_item(finding: Violation) -> dict:
    """The item as the report contract describes it, written here independently of the code."""
    item: dict = {}
    for name in VIOLATION_FIELDS:
        value = getattr(finding, name)
        if name == "due_at" and value is not None:
            value = value.isoformat().replace("+00:00", "Z")
        if name == "waiver" and value is None:
            continue
        item[name] = value
        if name == "target_seconds":
            measured, target = finding.measured_seconds, finding.target_seconds
            item["overrun_seconds"] = None if measured is None or target is None else measured - target
    return item


def expected_text(batch: list[Violation]) -> str:
    """Each item as `json.dumps` encodes it, with the raw controls it leaves escaped (`json_text`)."""
    return json_text(ITEM_SEPARATOR.join(json.dumps(expected_item(finding), ensure_ascii=False) for finding in batch))


@settings(max_examples=150, deadline=None)
@given(waived=st.sampled_from([True, False, None]), data=st.data())
def test_a_batch_of_findings_is_encoded_as_json_dumps_encodes_each_item(waived, data):
    batch = data.draw(st.lists(findings(waived), max_size=8))
    assert encode_findings([violation_as_row(finding) for finding in batch]) == expected_text(batch)


def test_whole_and_fractional_numbers_of_one_column_stay_apart():
    due = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    batch = [
        Violation("r", "T1", "error", "m", measured_value=1, target_value=True),
        Violation("r", "T2", "error", "m", measured_value=1.0, target_value=1, due_at=due),
        Violation("r", "T3", "error", "m", measured_value=None, due_at=due + timedelta(microseconds=5)),
    ]
    text = encode_findings([violation_as_row(finding) for finding in batch])
    assert text == expected_text(batch)
    assert '"measured_value": 1, ' in text and '"measured_value": 1.0, ' in text
    assert '"target_value": true' in text and '"due_at": "2026-11-02T09:00:00.000005Z"' in text


@pytest.mark.parametrize("stream_kind", ["utf-8 file", "text only", "latin-1 file"])
def test_chunks_given_as_utf8_are_written_in_their_place(stream_kind):
    """A chunk of items given as UTF-8 (a chunk kept as columns) goes out after what the stream
    holds, the same text as a chunk given as a string, whatever the stream."""
    import io

    from svcaudit.reporters.json import write_object

    head = {"before": "ё", "violations": [], "after": 1}
    chunks = ['{"a": "ё"}', b'{"b": 2}', '{"c": "ж"}'.encode()]
    expected = io.StringIO()
    write_object(expected, head, {"violations": [c if isinstance(c, str) else c.decode() for c in chunks]})
    if stream_kind == "text only":
        stream = io.StringIO()
        write_object(stream, head, {"violations": chunks})
        written = stream.getvalue()
    else:
        encoding = "utf-8" if stream_kind == "utf-8 file" else "latin-1"
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="backslashreplace", newline="\n")
        write_object(stream, head, {"violations": chunks})
        stream.flush()
        written = raw.getvalue().decode(encoding)
        if encoding != "utf-8":
            expected = io.StringIO(expected.getvalue().encode(encoding, "backslashreplace").decode(encoding))
    assert written == expected.getvalue()
