"""Property: whatever mix of good and broken rows the inputs hold, no exception escapes intake and
every row read is either audited or rejected, counted per input and checked against what was written."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.intake.helpers import make_intake

# Examples per run: small for the suite; SVCAUDIT_FUZZ_EXAMPLES=5000 for a deep search.
EXAMPLES = int(os.environ.get("SVCAUDIT_FUZZ_EXAMPLES", "80"))
TICKET_COLUMNS = ["ticket_id", "created_at", "first_reply_at", "csat", "reopens", "subject"]
MESSAGE_KEYS = ["ticket_id", "created_at", "author_role", "text", "status"]

ticket_ids = st.sampled_from(["T1", "T2", "T3", "T4", "", "  ", "T1 "])
timestamps = st.sampled_from(
    [
        "2026-03-02T09:00:00Z",
        "2026-03-02 10:00",
        "02.03.2026 11:00",
        "03/02/2026 9:00 AM",
        "1772442000",
        "1772442000000",
        "",
        "yesterday",
        "0001-01-01",
        "2150-01-01",
        "10:00",
        "2026-03-29 02:30",
        "2026-10-25 02:30",
        "2026-02-30",
        "2026-03-02 09:00 EST",
    ]
)
# Free text: delimiters, quotes, line breaks, NUL, Cyrillic, and anything else.
free_text = st.text(alphabet=st.sampled_from(list(",;|\t\"'\n\r\x00 abcАбв\u2028\ufeff")), max_size=12) | st.text(
    max_size=8
)
scores = st.sampled_from(["", "5", "4,5", "9", "x", "nan", "inf", "-1"])
reopens = st.sampled_from(["", "0", "2", "-1", "1.5", "1e999", "nan", "many"])
roles = st.sampled_from(["customer", "agent", "bot", "system", "Клиент", "wizard", "", None])
json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def ticket_row(draw) -> list[str]:
    row = [draw(ticket_ids), draw(timestamps), draw(timestamps), draw(scores), draw(reopens), draw(free_text)]
    shape = draw(st.sampled_from(["whole"] * 6 + ["short", "long", "blank"]))
    if shape == "short":
        return row[: draw(st.integers(1, len(row) - 1))]
    if shape == "long":
        return row + [draw(free_text)]
    if shape == "blank":
        return [""] * draw(st.integers(0, len(row)))
    return row


@st.composite
def message_line(draw) -> str:
    kind = draw(st.sampled_from(["good"] * 5 + ["odd values", "not json", "not an object", "blank"]))
    if kind == "not json":
        return draw(st.sampled_from(['{"ticket_id": ', "not json", "{'single': 'quotes'}", "[" * 3000]))
    if kind == "not an object":
        return json.dumps(draw(st.lists(st.integers(), max_size=3)))
    if kind == "blank":
        return "   "
    message = {
        "ticket_id": draw(ticket_ids),
        "created_at": draw(timestamps),
        "author_role": draw(roles),
        "text": draw(free_text),
        "status": draw(st.sampled_from([None, "solved", "pending"])),
    }
    if kind == "odd values":
        key = draw(st.sampled_from(MESSAGE_KEYS))
        message[key] = draw(json_values)
    return json.dumps(message)


def has_content(fields: list[str]) -> bool:
    """What the reader counts as a row: a record with anything but blanks in it."""
    return any(value.strip() for value in fields)


def write_tickets(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> int:
    """Write the rows as a CSV; return how many of them are rows (not blank)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(TICKET_COLUMNS)
    for row in rows:
        writer.writerow(row)
    data = buffer.getvalue()
    if encoding == "cp1251":
        data = data.encode("cp1251", errors="replace").decode("cp1251")
        path.write_bytes(data.encode("cp1251"))
    else:
        path.write_bytes(data.encode(encoding))
    parsed = list(csv.reader(io.StringIO(data, newline=""), delimiter=delimiter))[1:]
    return sum(1 for fields in parsed if has_content(fields))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tickets=st.lists(ticket_row(), max_size=12),
    messages=st.lists(message_line(), max_size=12),
    delimiter=st.sampled_from(",;\t|"),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]),
)
def test_rows_read_equal_audited_plus_rejected(tickets, messages, delimiter, encoding):
    with TemporaryDirectory() as folder:
        ticket_path, message_path = Path(folder, "tickets.csv"), Path(folder, "messages.jsonl")
        written_tickets = write_tickets(ticket_path, tickets, delimiter, encoding)
        message_path.write_text("".join(line + "\n" for line in messages), encoding="utf-8")
        written_messages = sum(1 for line in messages if line.strip())

        source = make_intake(ticket_path, message_path)
        audited = list(source.tickets())

        by_path = {stats.path: stats for stats in source.inputs}
        ticket_stats, message_stats = by_path[str(ticket_path)], by_path[str(message_path)]
        assert ticket_stats.rows_read == written_tickets
        assert message_stats.rows_read == written_messages
        for path, stats in by_path.items():
            from_rows = sum(1 for t in audited if t.has_ticket_row and t.ref.path == path)
            from_messages = sum(1 for t in audited for m in t.messages if m.ref.path == path)
            rejected = [r for r in source.rejected if r.path == path and not r.row_kept]
            assert stats.rows_read == from_rows + from_messages + stats.rows_rejected
            assert len(rejected) == stats.rows_rejected
            assert all(r.row >= 1 and r.error for r in rejected)
        # No ticket is audited twice, and every conversation is in time order.
        ids = [t.ticket_id for t in audited]
        assert len(ids) == len(set(ids))
        for ticket in audited:
            stamps = [m.created_at for m in ticket.messages]
            assert stamps == sorted(stamps)
            if ticket.created_at is not None:
                assert all(stamp >= ticket.created_at for stamp in stamps)


GOOD_MESSAGE = {"ticket_id": "T-1", "created_at": "2026-03-02T09:00:00Z", "author_role": "customer", "text": "hi"}


@pytest.mark.parametrize(
    "first",
    [
        {**GOOD_MESSAGE, "ticket_id": {}},
        {**GOOD_MESSAGE, "ticket_id": {"0": 0}},  # read as the column ticket_id.0
        {key: value for key, value in GOOD_MESSAGE.items() if key != "ticket_id"},
    ],
    ids=["empty object", "object", "no key"],
)
def test_a_first_json_row_without_an_id_rejects_that_row_not_the_file(tmp_path, first):
    """A row without a ticket id is rejected wherever it stands. The first row of a JSON Lines file
    used to name the file's columns alone, so an object for the id (read as `ticket_id.0`, or as
    nothing when empty) or a missing key refused the whole file (found by the property test
    above, two of them in two sessions)."""
    path = tmp_path / "messages.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(GOOD_MESSAGE) + "\n", encoding="utf-8")
    source = make_intake(path)
    audited = list(source.tickets())
    assert [ticket.ticket_id for ticket in audited] == ["T-1"]
    (stats,) = source.inputs
    assert (stats.rows_read, stats.rows_rejected) == (2, 1)
    assert [(r.row, r.field) for r in source.rejected] == [(1, "ticket_id")]
