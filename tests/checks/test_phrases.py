"""phrases: positions, require_any / require_all / forbid, word forms, placeholders and scoping.

Each case is a row: rule options, conversation (minutes after START, role, text), ticket fields, and
the expected status, reason fragment, blamed message index (0-based) and evidence fragment.
"""

from __future__ import annotations

import pytest

from tests.checks.helpers import (
    FAILED,
    NA,
    PASSED,
    expect,
    judge,
    make_ticket,
    run,
    standard,
    tally,
)

GREETING = ["здравствуйте", "добрый день", "hello", "good morning"]
CLOSING = ["хорошего дня", "have a nice day"]
RUDE = ["это не моя проблема", "not my problem", {"regex": "\\bidiot\\w*"}]


def rule(position: str, mode: str, phrases: list, **options) -> dict:
    return {"check": "phrases", "in": position, mode: phrases, **options}


CHAT_RU = [
    (0, "customer", "Где мой заказ? Номер заказа 123"),
    (5, "agent", "Здравствуйте! Сейчас проверю."),
    (10, "agent", "Заказ в пути."),
    (15, "customer", "Спасибо"),
    (20, "agent", "Хорошего дня!"),
]
CHAT_EN = [
    (0, "customer", "Hi, my order is late"),
    (5, "agent", "One moment please"),
    (10, "agent", "Good morning! It ships today."),
    (15, "customer", "You idiots"),
    (20, "agent", "Sorry, that's not my problem."),
]

# (rule, conversation, ticket fields, status, reason fragment, blamed index, evidence fragment)
CASES = [
    # first_agent_message
    pytest.param(
        rule("first_agent_message", "require_any", GREETING),
        CHAT_RU,
        {},
        PASSED,
        "",
        None,
        None,
        id="first-agent-ru-greets",
    ),
    pytest.param(
        rule("first_agent_message", "require_any", GREETING),
        CHAT_EN,
        {},
        FAILED,
        "message #2 (agent, 2026-11-02T09:05:00Z) lacks any of 'здравствуйте'",
        1,
        "One moment please",
        id="first-agent-en-greets-too-late",
    ),
    pytest.param(
        rule("first_agent_message", "require_any", ["hello"]),
        [(0, "customer", "hi"), (1, "bot", "Hello, I am a bot"), (5, "agent", "One moment")],
        {},
        FAILED,
        "lacks",
        2,
        None,
        id="first-agent-skips-bot",
    ),
    pytest.param(
        rule("first_agent_message", "require_any", ["hello"], bots_are_agents=True),
        [(0, "customer", "hi"), (1, "bot", "Hello, I am a bot"), (5, "agent", "One moment")],
        {},
        PASSED,
        "",
        None,
        None,
        id="first-agent-bot-with-bots-are-agents",
    ),
    pytest.param(
        rule("first_agent_message", "require_any", ["hello"]),
        [(0, "customer", "hi"), (1, "agent", "  "), (5, "agent", "Hello!")],
        {},
        PASSED,
        "",
        None,
        None,
        id="first-agent-skips-blank-agent-event",
    ),
    # last_agent_message
    pytest.param(
        rule("last_agent_message", "require_any", CLOSING),
        CHAT_RU,
        {},
        PASSED,
        "",
        None,
        None,
        id="last-agent-ru-closes",
    ),
    pytest.param(
        rule("last_agent_message", "require_any", CLOSING),
        CHAT_EN,
        {},
        FAILED,
        "message #5 (agent",
        4,
        "not my problem",
        id="last-agent-en-no-closing",
    ),
    pytest.param(
        rule("last_agent_message", "require_any", ["здравствуйте"]),
        CHAT_RU,
        {},
        FAILED,
        "message #5",
        4,
        None,
        id="last-agent-only-the-last-counts",
    ),
    # every_agent_message
    pytest.param(
        rule("every_agent_message", "forbid", RUDE), CHAT_RU, {}, PASSED, "", None, None, id="every-agent-polite"
    ),
    pytest.param(
        rule("every_agent_message", "forbid", RUDE),
        CHAT_EN,
        {},
        FAILED,
        "message #5 (agent, 2026-11-02T09:20:00Z) says forbidden 'not my problem'",
        4,
        "not my problem",
        id="every-agent-forbid-en",
    ),
    pytest.param(
        rule("every_agent_message", "forbid", RUDE),
        [(0, "customer", "?"), (1, "agent", "Ну, это НЕ МОЯ проблема")],
        {},
        FAILED,
        "says forbidden 'это не моя проблема'",
        1,
        "это НЕ МОЯ проблема",
        id="every-agent-forbid-ru-case-folded",
    ),
    pytest.param(
        rule("every_agent_message", "require_any", ["заказ"]),
        CHAT_RU,
        {},
        FAILED,
        "message #2",
        1,
        "Здравствуйте! Сейчас проверю.",
        id="every-agent-require-blames-first-lacking",
    ),
    pytest.param(
        rule("every_agent_message", "require_all", ["hello", "thanks"]),
        [(0, "customer", "?"), (1, "agent", "Hello, thanks"), (2, "agent", "Hello")],
        {},
        FAILED,
        "lacks all of 'thanks'",
        2,
        None,
        id="every-agent-require-all-per-message",
    ),
    # any_agent_message
    pytest.param(
        rule("any_agent_message", "require_any", ["в пути"]),
        CHAT_RU,
        {},
        PASSED,
        "",
        None,
        None,
        id="any-agent-one-has-it",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["sorry"]),
        CHAT_RU,
        {},
        FAILED,
        "none of the 3 agent messages has 'sorry'",
        1,
        None,
        id="any-agent-none-has-it",
    ),
    pytest.param(
        rule("any_agent_message", "require_all", ["здравствуйте", "хорошего дня"]),
        CHAT_RU,
        {},
        PASSED,
        "",
        None,
        None,
        id="any-agent-require-all-across-messages",
    ),
    pytest.param(
        rule("any_agent_message", "require_all", ["номер заказа", "в пути"]),
        CHAT_RU,
        {},
        FAILED,
        "'номер заказа'",
        1,
        None,
        id="any-agent-require-all-ignores-customer",
    ),
    pytest.param(
        rule("any_agent_message", "forbid", ["idiot"]),
        CHAT_EN,
        {},
        PASSED,
        "",
        None,
        None,
        id="any-agent-forbid-ignores-customer",
    ),
    # transcript
    pytest.param(
        rule("transcript", "require_all", ["номер заказа", "спасибо"]),
        CHAT_RU,
        {},
        PASSED,
        "",
        None,
        None,
        id="transcript-require-all-across-sides",
    ),
    pytest.param(
        rule("transcript", "require_all", ["номер заказа", "извините"]),
        CHAT_RU,
        {},
        FAILED,
        "'извините'",
        0,
        None,
        id="transcript-require-all-lacking",
    ),
    pytest.param(
        rule("transcript", "forbid", RUDE),
        CHAT_EN,
        {},
        FAILED,
        "message #4 (customer",
        3,
        "You idiots",
        id="transcript-forbid-first-offender",
    ),
    # customer positions
    pytest.param(
        rule("first_customer_message", "require_any", ["номер заказа"]),
        CHAT_RU,
        {},
        PASSED,
        "",
        None,
        None,
        id="first-customer-has-order-number",
    ),
    pytest.param(
        rule("first_customer_message", "require_any", ["спасибо"]),
        CHAT_RU,
        {},
        FAILED,
        "message #1 (customer",
        0,
        None,
        id="first-customer-only-first",
    ),
    pytest.param(
        rule("any_customer_message", "require_any", ["спасибо"]),
        CHAT_RU,
        {},
        PASSED,
        "",
        None,
        None,
        id="any-customer-thanks",
    ),
    pytest.param(
        rule("any_customer_message", "forbid", RUDE),
        CHAT_EN,
        {},
        FAILED,
        "says forbidden 'regex:",
        3,
        "You idiots",
        id="any-customer-forbid-regex",
    ),
    pytest.param(
        rule("any_customer_message", "require_any", ["thanks"]),
        [(0, "agent", "We noticed a problem with your order")],
        {},
        NA,
        "no customer message",
        None,
        None,
        id="no-customer-message",
    ),
    # normalisation, word boundaries and word forms
    pytest.param(
        rule("any_agent_message", "require_any", ["спасибо за ваше обращение"]),
        [(0, "customer", "?"), (1, "agent", "Спасибо за ваши обращения!")],
        {},
        PASSED,
        "",
        None,
        None,
        id="ru-inflected-forms-match",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["apologize for the delay"]),
        [(0, "customer", "?"), (1, "agent", "We apologized for the delays.")],
        {},
        PASSED,
        "",
        None,
        None,
        id="en-inflected-forms-match",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["всё хорошо"]),
        [(0, "customer", "?"), (1, "agent", "ВСЕ   ХОРОШО")],
        {},
        PASSED,
        "",
        None,
        None,
        id="yo-case-and-white-space-normalised",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["добрый день"]),
        [(0, "customer", "?"), (1, "agent", "Добрый\n\tдень")],
        {},
        PASSED,
        "",
        None,
        None,
        id="line-breaks-are-white-space",
    ),
    pytest.param(
        rule("every_agent_message", "forbid", ["hell"]),
        [(0, "customer", "?"), (1, "agent", "Hello there"), (2, "agent", "Shell script")],
        {},
        PASSED,
        "",
        None,
        None,
        id="word-boundaries-hell-not-in-hello",
    ),
    pytest.param(
        rule("every_agent_message", "forbid", ["hell"]),
        [(0, "customer", "?"), (1, "agent", "Hello there"), (2, "agent", "What the hell?")],
        {},
        FAILED,
        "says forbidden 'hell'",
        2,
        "hell",
        id="word-boundaries-hell-alone",
    ),
    pytest.param(
        rule("every_agent_message", "forbid", ["idiot"]),
        [(0, "customer", "?"), (1, "agent", "Idiomatic code")],
        {},
        PASSED,
        "",
        None,
        None,
        id="word-boundaries-prefix-is-no-word",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["заказ"]),
        [(0, "customer", "?"), (1, "agent", "Ваш заказчик доволен")],
        {},
        FAILED,
        "lacks",
        1,
        None,
        id="stem-does-not-swallow-other-words",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["hello"]),
        [(0, "customer", "?"), (1, "agent", "ＨＥＬＬＯ!")],
        {},
        PASSED,
        "",
        None,
        None,
        id="nfkc-fullwidth",
    ),
    pytest.param(
        rule("every_agent_message", "forbid", ["не моя проблема"]),
        [(0, "customer", "?"), (1, "agent", "Это не мои проблемы")],
        {},
        FAILED,
        "says forbidden 'не моя проблема'",
        1,
        "не мои проблемы",
        id="forbid-matches-inflected-forms",
    ),
    pytest.param(
        rule("transcript", "require_any", ["назначен"]),
        [(0, "customer", "?"), (1, "system", "Тикет назначен")],
        {},
        PASSED,
        "",
        None,
        None,
        id="transcript-includes-system-messages",
    ),
    # placeholders
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Передайте Анне, что заказ готов")],
        {"customer_name": "Анна"},
        PASSED,
        "",
        None,
        None,
        id="name-dative-form",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Анна, добрый день")],
        {"customer_name": "Анна"},
        PASSED,
        "",
        None,
        None,
        id="name-nominative",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["спасибо, {customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Спасибо, Иван!")],
        {"customer_name": "Иван Петров"},
        PASSED,
        "",
        None,
        None,
        id="name-inside-a-phrase",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Жанна, добрый день")],
        {"customer_name": "Анна"},
        FAILED,
        "lacks",
        1,
        None,
        id="name-other-name",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Hi Anna!")],
        {"customer_name": "Anna"},
        PASSED,
        "",
        None,
        None,
        id="name-english",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Анна, добрый день")],
        {},
        NA,
        "needs customer_name",
        None,
        None,
        id="name-missing-column",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Анна, добрый день")],
        {"customer_name": None},
        NA,
        "needs customer_name",
        None,
        None,
        id="name-blank-cell",
    ),
    pytest.param(
        rule("any_agent_message", "require_all", ["{customer_name}", "добрый день"]),
        [(0, "customer", "?"), (1, "agent", "Анна, добрый день")],
        {},
        NA,
        "needs customer_name",
        None,
        None,
        id="name-missing-require-all",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}", "добрый день"]),
        [(0, "customer", "?"), (1, "agent", "Добрый день")],
        {},
        PASSED,
        "",
        None,
        None,
        id="name-missing-other-phrase-suffices",
    ),
    pytest.param(
        rule("every_agent_message", "forbid", ["{customer_name}", "idiot"]),
        [(0, "customer", "?"), (1, "agent", "you idiot")],
        {},
        FAILED,
        "says forbidden 'idiot'",
        1,
        "you idiot",
        id="name-missing-forbid-judges-the-rest",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{customer_name}"]),
        [(0, "customer", "?"), (1, "agent", "Добрый день")],
        {"customer_name": "Анна"},
        FAILED,
        "Анна",
        1,
        None,
        id="name-lacking-shows-the-value",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{order_id}"]),
        [(0, "customer", "?"), (1, "agent", "Заказ A-123 готов")],
        {"order_id": "A-123"},
        PASSED,
        "",
        None,
        None,
        id="placeholder-from-any-column",
    ),
    pytest.param(
        rule("any_agent_message", "require_any", ["{order_id}"]),
        [(0, "customer", "?"), (1, "agent", "Заказ A-123 готов")],
        {},
        NA,
        "needs order_id",
        None,
        None,
        id="placeholder-missing-column",
    ),
    # data the rule needs
    pytest.param(
        rule("any_agent_message", "require_any", ["hello"]),
        [],
        {},
        NA,
        "needs message rows",
        None,
        None,
        id="no-messages",
    ),
    pytest.param(
        rule("first_agent_message", "require_any", ["hello"]),
        [(0, "customer", "hello?"), (1, "bot", "Hello")],
        {},
        NA,
        "no agent message",
        None,
        None,
        id="no-agent-message",
    ),
    pytest.param(
        rule("every_agent_message", "forbid", ["hell"]),
        [(0, "customer", "go to hell")],
        {},
        NA,
        "no agent message",
        None,
        None,
        id="forbid-without-agent-message",
    ),
]


@pytest.mark.parametrize("rule_options, conversation, fields, status, reason, blamed, evidence", CASES)
def test_phrases(rule_options, conversation, fields, status, reason, blamed, evidence):
    outcome = judge(rule_options, make_ticket(conversation, **fields))
    expect(outcome, status, reason=reason, evidence=evidence)
    if blamed is not None:
        assert outcome.message is not None and outcome.message.index == blamed
    if status is not FAILED:
        assert outcome.message is None


def test_forbid_evidence_quotes_matched_text_inside_long_message():
    text = "Thank you for waiting. " * 5 + "Honestly this is not my problem at all. " + "Bye. " * 20
    outcome = judge(
        rule("every_agent_message", "forbid", RUDE),
        make_ticket([(0, "customer", "?"), (1, "agent", "fine"), (2, "agent", text)]),
    )
    expect(outcome, FAILED, evidence="not my problem")
    assert outcome.message is not None and outcome.message.index == 2
    assert len(outcome.evidence or "") < len(text)


def test_forbid_violation_points_at_the_message_row():
    std = standard(rule("every_agent_message", "forbid", RUDE))
    ticket = make_ticket(CHAT_EN, first_message_row=10)
    audit = run(std, [ticket])
    [violation] = audit.violations
    assert (violation.path, violation.row, violation.message_index) == ("messages.csv", 14, 5)
    assert "not my problem" in (violation.evidence or "")


# -- when and where, through the engine ----------------------------------------------------------

APOLOGY = rule(
    "first_agent_message",
    "require_any",
    ["извините за ожидание", "sorry for the wait"],
    when={"first_reply_over": "1h"},
)
CLOSING_WHEN_RESOLVED = rule("last_agent_message", "require_any", CLOSING, when={"resolved": True})
CHAT_ONLY = rule("any_agent_message", "require_any", GREETING, where={"channel": ["chat"]})

# (rule, conversation, ticket fields, as_of, expected tally, not-applicable reason)
ENGINE_CASES = [
    pytest.param(
        APOLOGY,
        [(0, "customer", "?"), (30, "agent", "Hello")],
        {},
        600,
        {"not_applicable": 1},
        "condition not met",
        id="first-reply-quick-no-apology-needed",
    ),
    pytest.param(
        APOLOGY,
        [(0, "customer", "?"), (60, "agent", "Hello")],
        {},
        600,
        {"not_applicable": 1},
        "condition not met",
        id="first-reply-exactly-1h-not-over",
    ),
    pytest.param(
        APOLOGY,
        [(0, "customer", "?"), (120, "agent", "Sorry for the wait!")],
        {},
        600,
        {"passed": 1},
        None,
        id="first-reply-late-apologised",
    ),
    pytest.param(
        APOLOGY,
        [(0, "customer", "?"), (120, "agent", "Извините за ожидание.")],
        {},
        600,
        {"passed": 1},
        None,
        id="first-reply-late-apologised-ru",
    ),
    pytest.param(
        APOLOGY,
        [(0, "customer", "?"), (120, "agent", "Hello")],
        {},
        600,
        {"failed": 1},
        None,
        id="first-reply-late-no-apology",
    ),
    pytest.param(
        APOLOGY,
        [(0, "customer", "?"), (5, "bot", "Hi"), (120, "agent", "Hello")],
        {},
        600,
        {"failed": 1},
        None,
        id="first-reply-over-ignores-bots",
    ),
    pytest.param(
        APOLOGY,
        [(0, "customer", "?")],
        {},
        30,
        {"not_applicable": 1},
        "condition not met",
        id="unanswered-not-yet-over",
    ),
    pytest.param(
        APOLOGY,
        [(0, "customer", "?")],
        {},
        180,
        {"not_applicable": 1},
        "no agent message",
        id="unanswered-over-no-agent-message",
    ),
    pytest.param(
        CLOSING_WHEN_RESOLVED,
        [(0, "customer", "?"), (5, "agent", "Have a nice day", "solved")],
        {},
        600,
        {"passed": 1},
        None,
        id="resolved-judged",
    ),
    pytest.param(
        CLOSING_WHEN_RESOLVED,
        [(0, "customer", "?"), (5, "agent", "Bye", "closed")],
        {},
        600,
        {"failed": 1},
        None,
        id="resolved-judged-fails",
    ),
    pytest.param(
        CLOSING_WHEN_RESOLVED,
        [(0, "customer", "?"), (5, "agent", "Bye")],
        {"status": "Solved"},
        600,
        {"failed": 1},
        None,
        id="resolved-from-status-column",
    ),
    pytest.param(
        CLOSING_WHEN_RESOLVED,
        [(0, "customer", "?"), (5, "agent", "Bye", "open")],
        {},
        600,
        {"not_applicable": 1},
        "condition not met",
        id="unresolved-not-judged",
    ),
    pytest.param(
        CLOSING_WHEN_RESOLVED,
        [(0, "customer", "?"), (5, "agent", "Bye")],
        {},
        600,
        {"not_applicable": 1},
        "needs status events",
        id="no-status-data",
    ),
    pytest.param(
        CHAT_ONLY,
        [(0, "customer", "?"), (5, "agent", "Hello")],
        {"channel": "chat"},
        600,
        {"passed": 1},
        None,
        id="in-scope",
    ),
    pytest.param(
        CHAT_ONLY,
        [(0, "customer", "?"), (5, "agent", "Hello")],
        {"channel": "Chat"},
        600,
        {"passed": 1},
        None,
        id="in-scope-case-insensitive",
    ),
    pytest.param(
        CHAT_ONLY,
        [(0, "customer", "?"), (5, "agent", "Bye")],
        {"channel": "chat"},
        600,
        {"failed": 1},
        None,
        id="in-scope-fails",
    ),
    pytest.param(
        CHAT_ONLY,
        [(0, "customer", "?"), (5, "agent", "Bye")],
        {"channel": "email"},
        600,
        {"not_applicable": 1},
        "not in scope (channel)",
        id="out-of-scope",
    ),
    pytest.param(
        CHAT_ONLY,
        [(0, "customer", "?"), (5, "agent", "Bye")],
        {},
        600,
        {"not_applicable": 1},
        "not in scope (channel)",
        id="no-channel-out-of-scope",
    ),
]


@pytest.mark.parametrize("rule_options, conversation, fields, as_of, counts, reason", ENGINE_CASES)
def test_when_and_where(rule_options, conversation, fields, as_of, counts, reason):
    audit = run(standard(rule_options), [make_ticket(conversation, **fields)], as_of)
    assert tally(audit) == counts
    if reason is not None:
        [(found, _)] = audit.results[0].reasons.items()
        assert reason in found
    assert len(audit.violations) == counts.get("failed", 0)


def test_where_scope_on_ticket_without_ticket_row():
    audit = run(standard(CHAT_ONLY), [make_ticket([(0, "customer", "?"), (5, "agent", "Bye")], ticket_row=False)])
    assert tally(audit) == {"not_applicable": 1}
    assert list(audit.results[0].reasons) == ["not in scope (channel)"]
