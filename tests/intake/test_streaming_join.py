"""Messages ordered by ticket are joined streaming; the report equals the in-memory join's."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.intake import joins
from tests.paths import SAMPLES

AS_OF = "2026-11-23T12:00:00Z"


def check(*files):
    result = CliRunner().invoke(app, ["check", *map(str, files), "--as-of", AS_OF, "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def shuffled_messages(tmp_path):
    lines = (SAMPLES / "messages.csv").read_text(encoding="utf-8")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(lines)))
    header, body = rows[0], rows[1:]
    random.Random(5).shuffle(body)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    path = tmp_path / "shuffled.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def without_rows(report):
    """The report less what names physical rows (a shuffled file has other row numbers)."""
    for violation in report["violations"]:
        violation.pop("row")
    report["summary"].pop("message_grouping")
    report["inputs"][1].pop("path")
    return report


def test_ordered_messages_stream(monkeypatch):
    files = (SAMPLES / "tickets.csv", SAMPLES / "messages.csv")
    streamed = check(*files)
    assert streamed["summary"]["message_grouping"].startswith("streamed")
    monkeypatch.setattr(joins.MessageJoin, "streamable", lambda self, *a: False)
    in_memory = check(*files)
    assert in_memory["summary"]["message_grouping"].startswith("in memory")
    in_memory["summary"]["message_grouping"] = streamed["summary"]["message_grouping"]
    assert streamed == in_memory


def test_unordered_messages_are_grouped_in_memory(tmp_path):
    ordered = check(SAMPLES / "tickets.csv", SAMPLES / "messages.csv")
    shuffled = check(SAMPLES / "tickets.csv", shuffled_messages(tmp_path))
    assert shuffled["summary"]["message_grouping"].startswith("in memory")
    ordered_ids = [(v["rule"], v["ticket_id"]) for v in ordered["violations"]]
    assert [(v["rule"], v["ticket_id"]) for v in shuffled["violations"]] == ordered_ids
    assert without_rows(shuffled)["rules"] == without_rows(ordered)["rules"]


@pytest.mark.parametrize(
    "tickets, messages, grouping",
    [
        # message-only ticket between others, and a rejected ticket row whose messages come after it
        (
            "ticket_id,created_at\nA,2026-11-02T09:00:00Z\nB,bad\nC,2026-11-02T09:00:00Z\n",
            "ticket_id,created_at,author_role,text\nA,2026-11-02T09:01:00Z,customer,hi\nX,2026-11-02T09:00:00Z,customer,only\n"
            "B,2026-11-02T09:02:00Z,customer,b\nC,2026-11-02T09:03:00Z,customer,c\n",
            "streamed",
        ),
        # messages of A come again after B's: not one block
        (
            "ticket_id,created_at\nA,2026-11-02T09:00:00Z\nB,2026-11-02T09:00:00Z\n",
            "ticket_id,created_at,author_role,text\nA,2026-11-02T09:01:00Z,customer,a\nB,2026-11-02T09:02:00Z,customer,b\n"
            "A,2026-11-02T09:03:00Z,agent,a2\n",
            "in memory",
        ),
    ],
)
def test_join_paths_give_the_same_accounting(tmp_path, monkeypatch, tickets, messages, grouping):
    (tmp_path / "t.csv").write_text(tickets)
    (tmp_path / "m.csv").write_text(messages)
    first = check(tmp_path / "t.csv", tmp_path / "m.csv")
    assert first["summary"]["message_grouping"].startswith(grouping)
    monkeypatch.setattr(joins.MessageJoin, "streamable", lambda self, *a: False)
    second = check(tmp_path / "t.csv", tmp_path / "m.csv")
    first["summary"].pop("message_grouping")
    second["summary"].pop("message_grouping")
    assert first == second
    for item in first["inputs"]:
        assert item["rows_read"] == item["rows_audited"] + item["rows_rejected"]


def test_unordered_messages_spill_to_disk_with_the_same_report(tmp_path, monkeypatch):
    messages = shuffled_messages(tmp_path)
    in_memory = check(SAMPLES / "tickets.csv", messages)
    monkeypatch.setattr(joins, "SPILL_BYTES", 0)
    on_disk = check(SAMPLES / "tickets.csv", messages)
    assert on_disk["summary"]["message_grouping"].startswith("on disk")
    on_disk["summary"]["message_grouping"] = in_memory["summary"]["message_grouping"]
    assert on_disk == in_memory


def test_spilled_join_keeps_rejections_and_message_only_tickets(tmp_path, monkeypatch):
    (tmp_path / "t.csv").write_text("ticket_id,created_at\nA,2026-11-02T09:00:00Z\nB,bad\n")
    (tmp_path / "m.csv").write_text(
        "ticket_id,created_at,author_role,text\nB,2026-11-02T09:02:00Z,customer,b\n"
        "X,2026-11-02T09:00:00Z,customer,only\nA,2026-11-02T09:01:00Z,customer,hi\n"
        "A,2026-11-02T08:00:00Z,agent,before creation\n"
    )
    in_memory = check(tmp_path / "t.csv", tmp_path / "m.csv")
    monkeypatch.setattr(joins, "SPILL_BYTES", 0)
    on_disk = check(tmp_path / "t.csv", tmp_path / "m.csv")
    for report in (in_memory, on_disk):
        report["summary"].pop("message_grouping")
    assert on_disk == in_memory
    assert on_disk["summary"]["tickets"] == 2 and len(on_disk["rejected"]) == 3


def test_ids_made_one_by_a_value_table_are_still_rejected_as_repeats(tmp_path):
    """The streamed join remembers no ids (the pre-pass found them distinct), unless a value table
    for ticket_id can make two ids one: then the repeat is rejected by position as always."""
    (tmp_path / "tickets.csv").write_text(
        "ticket_id,created_at,first_reply_at\n"
        "A-1,2026-11-02T09:00:00Z,2026-11-02T09:10:00Z\n"
        "a1,2026-11-02T10:00:00Z,2026-11-02T10:10:00Z\n"
        "B-2,2026-11-02T11:00:00Z,2026-11-02T11:10:00Z\n",
        encoding="utf-8",
    )
    (tmp_path / "messages.csv").write_text(
        "ticket_id,created_at,author_role,text\n"
        "A-1,2026-11-02T09:00:00Z,customer,hello\n"
        "A-1,2026-11-02T09:10:00Z,agent,Hello!\n"
        "B-2,2026-11-02T11:00:00Z,customer,hi\n",
        encoding="utf-8",
    )
    (tmp_path / "svcaudit.yaml").write_text(
        "svcaudit: 1\nname: mapped ids\ninput:\n  values:\n    ticket_id: {a1: A-1}\n"
        "rules:\n  - {id: reply, check: response_time, metric: first_reply, target: 1h}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(tmp_path / "tickets.csv"),
            str(tmp_path / "messages.csv"),
            "--as-of",
            AS_OF,
            "-f",
            "json",
            "--standard",
            str(tmp_path / "svcaudit.yaml"),
        ],
    )
    report = json.loads(result.stdout)
    assert report["summary"]["message_grouping"].startswith("streamed")
    assert report["summary"]["tickets"] == 2
    assert [(r["row"], r["field"]) for r in report["rejected"]] == [(3, "ticket_id")]
    assert "duplicate ticket_id 'A-1'" in report["rejected"][0]["error"]


def test_the_ticket_id_set_answers_membership_once_frozen():
    from svcaudit.intake.ids import TicketIdSet

    ids = TicketIdSet()
    for number in range(5000):
        ids.add(f"T-{number}")
    ids.add("Заявка №7")
    assert not ids.has_repeats()
    ids.freeze()
    assert all(f"T-{number}" in ids for number in range(0, 5000, 7))
    assert "Заявка №7" in ids and "T-5000" not in ids and "" not in ids and 7 not in ids
    ids.add("T-1")
    assert ids.has_repeats()


def _runs(ids):
    """Consecutive equal ids as one run each, in order."""
    runs = []
    for ticket_id in ids:
        if not runs or runs[-1] != ticket_id:
            runs.append(ticket_id)
    return runs


def _streamable_oracle(ticket_ids, message_ids):
    """What `streamable` decides, written plainly: distinct ticket ids; each conversation's
    messages in one run; the runs of ticket rows' conversations in the ticket rows' order."""
    if len(set(ticket_ids)) != len(ticket_ids):
        return False
    runs = _runs(message_ids)
    if len(set(runs)) != len(runs):
        return False
    positions = [ticket_ids.index(run) for run in runs if run in ticket_ids]
    return positions == sorted(positions)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from("ABCDEF"), max_size=6),
    st.lists(st.sampled_from("ABCDEFXY"), max_size=12),
)
def test_the_order_proof_decides_as_a_plain_reading_of_it(tmp_path_factory, ticket_ids, message_ids):
    """Tickets in any order (repeats too), messages in any order, with conversations known only from
    messages (X, Y): the streamed join is taken exactly when the plain definition allows it."""
    from svcaudit.audit.engine import make_intake
    from svcaudit.standard.loader import load_standard

    folder = tmp_path_factory.mktemp("order")
    tickets = folder / "t.csv"
    messages = folder / "m.csv"
    tickets.write_text("ticket_id,created_at\n" + "".join(f"{t},2026-11-02T09:00:00Z\n" for t in ticket_ids))
    messages.write_text(
        "ticket_id,created_at,author_role,text\n"
        + "".join(f"{m},2026-11-02T09:01:00Z,customer,hi\n" for m in message_ids)
    )
    intake = make_intake(load_standard("builtin:default"), [tickets, messages])
    inputs = intake._accounts.inputs
    join = intake._join
    decided = join.streamable(inputs[:1], inputs[1:])
    assert decided == _streamable_oracle(ticket_ids, message_ids), (ticket_ids, message_ids)
