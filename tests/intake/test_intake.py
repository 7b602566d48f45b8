"""Reading exports: formats, positions, shapes, joins, and row accounting (read = audited + rejected)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from svcaudit.errors import InputError
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import RowParser
from svcaudit.intake.intake import Intake
from svcaudit.intake.model import Role, Shape
from svcaudit.intake.timestamps import TimestampParser

UTC = timezone.utc


def intake(paths, columns=None, values=None, zone="UTC"):
    mapping = ColumnMapping(columns, values)
    return Intake(paths, RowParser(TimestampParser(ZoneInfo(zone)), mapping), mapping)


TICKETS_CSV = (
    "ticket_id,created_at,first_reply_at,status,priority,customer_name,csat\n"
    "T1,2026-11-02T09:00:00+03:00,2026-11-02T10:00:00+03:00,solved,High,Анна,5\n"
    "T2,2026-11-02 09:00,,open,normal,,\n"
)


def test_ticket_rows_stream_with_types(write):
    path = write("t.csv", TICKETS_CSV)
    source = intake([path], zone="Europe/Moscow")
    tickets = list(source.tickets())
    assert [t.ticket_id for t in tickets] == ["T1", "T2"]
    first, second = tickets
    assert first.created_at == datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    assert first.priority == "high" and first.csat == 5.0 and first.customer_name == "Анна"
    assert second.created_at == datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # naive: standard's zone
    assert first.ref.row == 2 and second.ref.row == 3
    assert source.inputs[0].shape is Shape.TICKETS
    assert source.inputs[0].rows_read == 2 and source.inputs[0].rows_rejected == 0


def test_messages_join_tickets_and_sort(write):
    tickets = write("t.csv", TICKETS_CSV)
    messages = write(
        "m.csv",
        "ticket_id,created_at,author_role,text,status\n"
        'T1,2026-11-02T07:00:00Z,agent,"Здравствуйте,\nАнна",\n'
        "T1,2026-11-02T06:00:00Z,customer,Помогите,\n"
        "T3,2026-11-03T06:00:00Z,customer,Hello,\n"
        "T1,2026-11-02T07:00:01Z,system,,solved\n",
    )
    source = intake([tickets, messages])
    found = {t.ticket_id: t for t in source.tickets()}
    assert list(found) == ["T1", "T2", "T3"]
    conversation = found["T1"].messages
    assert [m.role for m in conversation] == [Role.CUSTOMER, Role.AGENT, Role.SYSTEM]
    assert conversation[1].ref.row == 2 and conversation[0].ref.row == 4  # quoted newline: next row is line 4
    assert conversation[2].status == "solved"
    assert not found["T3"].has_ticket_row and found["T3"].opened_at == datetime(2026, 11, 3, 6, tzinfo=UTC)


def test_rows_are_conserved_and_rejections_located(write):
    tickets = write(
        "t.csv",
        "ticket_id,created_at,first_reply_at,csat\n"
        "T1,2026-11-02T09:00:00Z,2026-11-02T08:00:00Z,\n"  # reply before creation
        "T2,yesterday-ish,,\n"  # bad timestamp
        "T3,2026-11-02T09:00:00Z,,9\n"  # csat off scale
        "T4,2026-11-02T09:00:00Z,,\n"
        "T4,2026-11-02T09:00:00Z,,\n"  # duplicate id
        "T5,2026-11-02T09:00:00Z\n"  # ragged
        ",2026-11-02T09:00:00Z,,\n",
    )  # no id
    messages = write(
        "m.jsonl",
        '{"ticket_id": "T1", "created_at": "2026-11-02T09:30:00Z", "author_role": "agent", "text": "hi"}\n'
        '{"ticket_id": "T4", "created_at": "2026-11-02T08:00:00Z", "author_role": "agent", "text": "early"}\n'
        '{"ticket_id": "T4", "created_at": "2026-11-02T10:00:00Z", "author_role": "wizard", "text": "x"}\n'
        "not json\n"
        '{"ticket_id": "T4", "created_at": "2026-11-02T10:00:00Z", "author_role": "agent", "text": "ok"}\n',
    )
    source = intake([tickets, messages])
    audited = list(source.tickets())
    found = {(r.path.split("/")[-1], r.row): (r.field, r.error) for r in source.rejected}
    assert found[("t.csv", 2)][0] == "first_reply_at"  # the field only: T1 is still audited
    assert [r.row_kept for r in source.rejected if r.row == 2 and r.path.endswith("t.csv")] == [True]
    assert found[("t.csv", 3)][0] == "created_at"
    assert found[("t.csv", 4)] == ("csat", "9 is outside the csat scale 1-5")
    assert found[("t.csv", 6)][0] == "ticket_id" and "duplicate" in found[("t.csv", 6)][1]
    assert found[("t.csv", 7)] == (None, "row has 2 fields, the header has 4")
    assert found[("t.csv", 8)][0] == "ticket_id"
    assert ("m.jsonl", 1) not in found  # its ticket T1 was audited
    assert found[("m.jsonl", 2)][0] == "created_at" and "before its ticket" in found[("m.jsonl", 2)][1]
    assert found[("m.jsonl", 3)][0] == "author_role"
    assert "invalid JSON" in found[("m.jsonl", 4)][1]
    for stats in source.inputs:
        assert stats.rows_read == stats.rows_audited + stats.rows_rejected
    assert source.inputs[0].rows_read == 7 and source.inputs[1].rows_read == 5
    assert [t.ticket_id for t in audited] == ["T1", "T4"]
    assert len(audited[0].messages) == 1


def test_column_and_value_mapping(write):
    path = write(
        "export.csv",
        "Conversation,Sent At,Inbound,Body\nc1,2026-11-02T09:00:00Z,True,help\nc1,2026-11-02T09:05:00Z,False,hello\n",
    )
    source = intake(
        [path],
        columns={"ticket_id": "Conversation", "created_at": "Sent At", "author_role": "inbound", "text": "Body"},
        values={"author_role": {"True": "customer", "False": "agent"}},
    )
    (ticket,) = list(source.tickets())
    assert [m.role for m in ticket.messages] == [Role.CUSTOMER, Role.AGENT]


@pytest.mark.parametrize(
    "name, payload",
    [
        (
            "t.json",
            json.dumps(
                [{"ticket_id": 1, "created_at": "2026-11-02T09:00:00Z"}, {"ticket_id": 2, "created_at": 1762074000}]
            ).encode(),
        ),
        (
            "t.jsonl.gz",
            gzip.compress(
                b'{"ticket_id": "1", "created_at": "2026-11-02T09:00:00Z"}\n'
                b'{"ticket_id": "2", "created_at": "1762074000000"}\n'
            ),
        ),
        ("t.csv", "\ufeffticket_id;created_at\n1;02.11.2025 09:00\n2;2025-11-02 09:00\n".encode("utf-8")),
        (
            "t.csv",
            "ticket_id;created_at;customer_name\n1;02.11.2025 09:00;Анна\n2;02.11.2025 09:00;Ёж\n".encode("cp1251"),
        ),
    ],
)
def test_formats(tmp_path, name, payload):
    path = tmp_path / name
    path.write_bytes(payload)
    tickets = list(intake([path]).tickets())
    assert [t.ticket_id for t in tickets] == ["1", "2"]
    assert all(t.created_at.tzinfo is not None for t in tickets)


def test_file_without_ticket_id_is_an_input_error(write):
    path = write("t.csv", "id,created\n1,2026-11-02\n")
    with pytest.raises(InputError, match="no ticket_id column"):
        intake([path])


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        intake([tmp_path / "nope.csv"])
