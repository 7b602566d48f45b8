"""Tickets and messages cross to worker processes pickled as plain values (`__reduce__`): what
comes back equals what went, for every shape of input the samples have."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone

import pytest

from svcaudit.audit.engine import make_intake
from svcaudit.intake.model import Message, Role, RowRef, Ticket
from svcaudit.standard.loader import load_standard
from tests.paths import SAMPLES

INPUTS = [
    [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"],
    [SAMPLES / "tickets.jsonl"],
    [SAMPLES / "chatbot" / "messages.csv"],
]


@pytest.mark.parametrize("paths", INPUTS, ids=["helpdesk", "jsonl", "chatbot"])
def test_tickets_of_the_samples_come_back_equal(paths):
    tickets = list(make_intake(load_standard("builtin:default"), paths).tickets())
    assert tickets
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(tickets, protocol))
        assert back == tickets
        assert all(type(m.role) is Role for t in back for m in t.messages)


def test_odd_values_come_back_equal():
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    untimed = Message(
        created_at=moment, role=Role.BOT, text="", ref=None, status="pending", author=None, index=3, timed=False
    )  # type: ignore[arg-type]
    ticket = Ticket(
        ticket_id="T«1»",
        ref=None,
        fields={"язык": "ru"},
        reopens=0,
        csat=4.5,
        messages=[untimed],
        has_ticket_row=False,
        columns=frozenset({"a"}),
        timed=False,
    )
    assert pickle.loads(pickle.dumps(ticket)) == ticket
    message = Message(created_at=moment, role=Role.CUSTOMER, text="hi\n", ref=RowRef("m.csv", 2))
    assert pickle.loads(pickle.dumps(message)) == message
