"""Assembling conversations from imperfect files: orphans, disorder, ties, repeated and rejected ticket rows."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from svcaudit.intake.model import Role
from tests.intake.helpers import audit_json, make_intake

UTC = timezone.utc
TICKETS = "ticket_id,created_at\nT1,2026-03-02T09:00:00Z\n"


def test_messages_without_a_ticket_row_are_audited_as_their_own_ticket(write):
    tickets = write("t.csv", TICKETS)
    messages = write(
        "m.csv",
        "ticket_id,created_at,author_role,text\n"
        "T1,2026-03-02T09:10:00Z,agent,Hello\n"
        "T9,2026-03-02T11:00:00Z,customer,Anyone there?\n"
        'T9,2026-03-02T13:00:00Z,agent,"Hello, sorry"\n',
    )
    source = make_intake(tickets, messages)
    found = {t.ticket_id: t for t in source.tickets()}
    assert list(found) == ["T1", "T9"]
    orphan = found["T9"]
    assert not orphan.has_ticket_row and orphan.created_at is None
    assert orphan.opened_at == datetime(2026, 3, 2, 11, tzinfo=UTC)
    assert orphan.ref.row == 3 and len(orphan.messages) == 2
    assert source.rejected == []
    code, report, _ = audit_json(tickets, messages)
    assert code == 0  # the fixtures' standard passes any audit that runs
    assert report["summary"]["tickets"] == 2
    late = [v for v in report["violations"] if v["ticket_id"] == "T9"]
    assert late and late[0]["measured_seconds"] == 2 * 3600  # measured from its first message
    assert [i["rows_read"] for i in report["inputs"]] == [1, 3]


def test_events_out_of_order_are_sorted_by_time_and_ties_keep_file_order(write):
    messages = write(
        "m.csv",
        "ticket_id,created_at,author_role,text,status\n"
        "T1,2026-03-02T10:00:00Z,agent,second (tie: first in file),\n"  # line 2
        "T1,2026-03-02T09:00:00Z,customer,first,\n"  # line 3
        "T1,2026-03-02T10:00:00Z,system,,solved\n"  # line 4
        "T1,2026-03-02T09:30:00Z,bot,bot says hi,\n",
    )  # line 5
    (ticket,) = make_intake(messages).tickets()
    assert [m.ref.row for m in ticket.messages] == [3, 5, 2, 4]
    assert [m.role for m in ticket.messages] == [Role.CUSTOMER, Role.BOT, Role.AGENT, Role.SYSTEM]
    assert [m.index for m in ticket.messages] == [0, 1, 2, 3]


def test_ties_across_files_keep_the_order_the_files_were_given(write):
    first = write("a.csv", "ticket_id,created_at,author_role,text\nT1,2026-03-02T09:00:00Z,customer,from a\n")
    second = write("b.csv", "ticket_id,created_at,author_role,text\nT1,2026-03-02T09:00:00Z,agent,from b\n")
    (ticket,) = make_intake(first, second).tickets()
    assert [m.text for m in ticket.messages] == ["from a", "from b"]
    (ticket,) = make_intake(second, first).tickets()
    assert [m.text for m in ticket.messages] == ["from b", "from a"]


def test_repeated_ticket_rows_keep_the_first_and_reject_the_rest(write):
    tickets = write("t.csv", TICKETS + "T1,2026-03-02T08:00:00Z\nT1,2026-03-02T07:00:00Z\n")
    source = make_intake(tickets)
    (ticket,) = source.tickets()
    assert ticket.created_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert [(r.row, r.field) for r in source.rejected] == [(3, "ticket_id"), (4, "ticket_id")]
    assert all(f"duplicate ticket_id 'T1' (first at {tickets}:2)" in r.error for r in source.rejected)
    code, report, _ = audit_json(tickets)
    # No reply data: nothing judged (exit 2), but the report still accounts for every row.
    assert code == 2 and report["summary"]["verdict"] == "not-judged"
    assert report["inputs"][0]["rows_rejected"] == 2


def test_messages_of_a_rejected_ticket_row_are_rejected_unless_a_later_row_is_read(write):
    tickets = write("t.csv", "ticket_id,created_at\nT1,not a time\nT2,not a time\nT2,2026-03-02T09:00:00Z\n")
    messages = write(
        "m.csv",
        "ticket_id,created_at,author_role,text\n"
        "T1,2026-03-02T09:10:00Z,agent,Hello\n"
        "T2,2026-03-02T09:10:00Z,agent,Hello\n",
    )
    source = make_intake(tickets, messages)
    found = {t.ticket_id: t for t in source.tickets()}
    assert list(found) == ["T2"] and len(found["T2"].messages) == 1
    rejected = {(Path(r.path).name, r.row): r for r in source.rejected}
    assert set(rejected) == {("t.csv", 2), ("t.csv", 3), ("m.csv", 2)}
    assert rejected[("m.csv", 2)].error == f"its ticket row ({tickets}:2) was rejected"


def test_replies_before_creation_are_rejected_not_measured(write):
    tickets = write(
        "t.csv",
        "ticket_id,created_at,first_reply_at\nT1,2026-03-02T09:00:00Z,\nT2,2026-03-02T09:00:00Z,2026-03-02T08:59:59Z\n",
    )
    messages = write(
        "m.csv",
        "ticket_id,created_at,author_role,text\n"
        "T1,2026-03-02T08:00:00Z,agent,too early\n"
        "T1,2026-03-02T09:30:00Z,agent,Hello\n",
    )
    source = make_intake(tickets, messages)
    ticket, second = source.tickets()
    assert [m.text for m in ticket.messages] == ["Hello"]
    # A bad field is not a bad ticket: T2 is audited without its first_reply_at.
    assert second.first_reply_at is None and "first_reply_at" in second.rejected_fields
    found = {(Path(r.path).name, r.row): (r.field, r.error, r.row_kept) for r in source.rejected}
    assert found[("t.csv", 3)][0] == "first_reply_at" and found[("t.csv", 3)][2] is True
    found = {key: value[:2] for key, value in found.items()}
    assert found[("m.csv", 2)] == (
        "created_at",
        "message stamped 2026-03-02T08:00:00+00:00, before its ticket was created (2026-03-02T09:00:00+00:00)",
    )
    code, report, _ = audit_json(tickets, messages)
    assert code == 0
    for item in report["inputs"]:
        assert item["rows_read"] == item["rows_audited"] + item["rows_rejected"]
