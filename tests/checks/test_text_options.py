"""Noise removal before matching (the standard's text.strip) and bot positions."""

from __future__ import annotations

from tests.checks.helpers import FAILED, NA, PASSED, evaluate, expect, make_ticket, standard

QUOTED_RUDE = "Sorry for the wait!\n\nOn Mon, 2 Nov 2026, Bob wrote:\n> this is not my problem"


def test_quoted_history_is_ignored_when_stripped():
    rule = {"check": "phrases", "in": "every_agent_message", "forbid": ["not my problem"]}
    ticket = make_ticket([(0, "customer", "hi"), (5, "agent", QUOTED_RUDE)])
    expect(evaluate(standard(rule), ticket, 60), FAILED)
    stripped = standard(rule, text={"strip": ["quoted", "signature"]})
    expect(evaluate(stripped, ticket, 60), PASSED)


def test_urls_are_stripped_before_matching():
    rule = {"check": "phrases", "in": "every_agent_message", "forbid": ["idiot"]}
    ticket = make_ticket([(0, "customer", "hi"), (5, "agent", "See https://example.com/idiot")])
    expect(evaluate(standard(rule), ticket, 60), FAILED)
    expect(evaluate(standard(rule, text={"strip": ["urls"]}), ticket, 60), PASSED)


def test_bot_positions():
    rule = {"check": "phrases", "in": "first_bot_message", "require_any": ["здравствуйте"]}
    with_bot = make_ticket([(0, "bot", "Здравствуйте! Я бот."), (1, "customer", "оператора")])
    expect(evaluate(standard(rule), with_bot, 60), PASSED)
    without_bot = make_ticket([(0, "customer", "hi"), (1, "agent", "hello")])
    expect(evaluate(standard(rule), without_bot, 60), NA, reason="no bot message")
    every = {"check": "phrases", "in": "every_bot_message", "forbid": ["idiot"]}
    rude_bot = make_ticket([(0, "bot", "hello"), (1, "customer", "x"), (2, "bot", "you idiot")])
    outcome = evaluate(standard(every), rude_bot, 60)
    expect(outcome, FAILED, evidence="idiot")
    assert outcome.message.index == 2
