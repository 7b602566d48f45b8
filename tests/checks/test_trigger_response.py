"""trigger_response: a customer trigger answered by the right staff response, in time and in turn.

Each case is a row: rule options, conversation (minutes after START, or `secs(n)`, role, text[,
status]), ticket fields, as-of (minutes after START), and the expected status, reason fragment,
blamed message index (0-based) and evidence fragment.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from svcaudit.audit.run import run_audit
from svcaudit.errors import StandardError
from svcaudit.standard.loader import load_standard
from tests.checks.helpers import (
    FAILED,
    NA,
    PASSED,
    PENDING,
    expect,
    judge,
    make_ticket,
    run,
    secs,
    standard,
    tally,
)
from tests.paths import SAMPLES

HANDOFF_TRIGGER = [
    "хочу оператора",
    "позовите оператора",
    "talk to a human",
    "real person",
    {"regex": "\\bоператор\\w*"},
]
HANDOFF_RESPONSE = ["соединяю с оператором", "переключаю на специалиста", "connecting you to an agent"]
COMPLAINT_TRIGGER = ["жалоба", "безобразие", "complaint", "unacceptable"]
APOLOGY_RESPONSE = ["извините за неудобства", "приносим извинения", "sorry for the inconvenience", "we apologize"]


def handoff(**options) -> dict:
    return {
        "check": "trigger_response",
        "trigger": HANDOFF_TRIGGER,
        "response": HANDOFF_RESPONSE,
        "bots_are_agents": True,
        **options,
    }


def apology(**options) -> dict:
    return {"check": "trigger_response", "trigger": COMPLAINT_TRIGGER, "response": APOLOGY_RESPONSE, **options}


ASKED_RU = (0, "customer", "Хочу оператора!")
ASKED_EN = (0, "customer", "I want to talk to a human, please")
HANDED_OFF_RU = "Соединяю с оператором, подождите минуту."
HANDED_OFF_EN = "Connecting you to an agent now."
ROBOTIC_RU = "Я могу помочь с заказом, доставкой и возвратом. Выберите тему."
ROBOTIC_EN = "I can help you with orders, delivery and returns."

# (rule, conversation, ticket fields, as_of, status, reason fragment, blamed index, evidence fragment)
CASES = [
    # answered correctly, in the next staff message
    pytest.param(
        handoff(),
        [ASKED_RU, (secs(3), "bot", HANDED_OFF_RU)],
        {},
        60,
        PASSED,
        "",
        None,
        "1 trigger answered",
        id="ru-handoff-next-bot-message",
    ),
    pytest.param(
        handoff(),
        [ASKED_EN, (secs(3), "bot", HANDED_OFF_EN)],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="en-handoff-next-bot-message",
    ),
    pytest.param(
        apology(),
        [
            (0, "customer", "Это безобразие, заказ опять потеряли"),
            (5, "agent", "Анна, приносим извинения. Сейчас разберёмся."),
        ],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="ru-complaint-apology",
    ),
    # answered wrongly: the next staff message lacks the response; evidence names both messages
    pytest.param(
        handoff(),
        [ASKED_RU, (secs(3), "bot", ROBOTIC_RU)],
        {},
        60,
        FAILED,
        "message #2 (bot, 2026-11-02T09:00:03Z) does not respond to the trigger in "
        "message #1 (customer, 2026-11-02T09:00:00Z): lacks any of 'соединяю с оператором'",
        1,
        "trigger: message #1 (customer, 2026-11-02T09:00:00Z) says 'Хочу оператора'; "
        "staff: message #2 (bot, 2026-11-02T09:00:03Z) 'Я могу помочь",
        id="ru-handoff-robotic-reply",
    ),
    pytest.param(
        handoff(),
        [ASKED_EN, (secs(2), "bot", ROBOTIC_EN)],
        {},
        60,
        FAILED,
        "does not respond to the trigger in message #1",
        1,
        "says 'talk to a human'; staff: message #2 (bot",
        id="en-handoff-robotic-reply",
    ),
    pytest.param(
        apology(),
        [(0, "customer", "I want to file a complaint"), (5, "agent", "Please send your order number.")],
        {},
        60,
        FAILED,
        "lacks any of 'извините за неудобства'",
        1,
        "says 'complaint'",
        id="en-complaint-no-apology",
    ),
    # inflected forms and regexes
    pytest.param(
        apology(),
        [(0, "customer", "Я напишу на вас жалобу!"), (5, "agent", "Извините за неудобство, мы всё исправим.")],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="ru-inflected-trigger-and-response",
    ),
    pytest.param(
        apology(),
        [
            (0, "customer", "I have two complaints about this order"),
            (5, "agent", "Sorry for the inconveniences, we are on it."),
        ],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="en-inflected-trigger-and-response",
    ),
    pytest.param(
        handoff(),
        [(0, "customer", "Дайте живого ОПЕРАТОРА"), (secs(5), "bot", ROBOTIC_RU)],
        {},
        60,
        FAILED,
        "does not respond",
        1,
        "says 'ОПЕРАТОРА'",
        id="ru-regex-trigger",
    ),
    pytest.param(
        handoff(),
        [(0, "customer", "Позовите, пожалуйста, оператора"), (secs(5), "bot", "Переключаю на специалиста.")],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="ru-punctuation-inside-trigger",
    ),
    # never answered
    pytest.param(
        handoff(),
        [ASKED_RU, (secs(5), "system", "", "closed")],
        {},
        60,
        FAILED,
        "no staff message followed the trigger in message #1 (customer, "
        "2026-11-02T09:00:00Z), and the ticket was resolved without a response",
        0,
        "no staff message followed",
        id="never-answered-chat-closed",
    ),
    pytest.param(
        handoff(within="2m"),
        [ASKED_EN],
        {},
        10,
        FAILED,
        "breached: no staff message followed the trigger in message #1",
        0,
        "trigger: message #1 (customer",
        id="never-answered-past-within",
    ),
    pytest.param(
        handoff(within="2m"),
        [ASKED_EN],
        {},
        1,
        PENDING,
        "awaiting a response to the trigger in message #1",
        None,
        "no staff message followed",
        id="never-answered-inside-within-pending",
    ),
    pytest.param(
        handoff(),
        [ASKED_RU],
        {},
        600,
        PENDING,
        "awaiting a response",
        None,
        None,
        id="never-answered-no-within-open-pending",
    ),
    pytest.param(
        handoff(within_messages=2),
        [ASKED_RU, (secs(3), "bot", ROBOTIC_RU), (secs(9), "system", "", "closed")],
        {},
        60,
        FAILED,
        "message #2 (bot, 2026-11-02T09:00:03Z) does not respond to the trigger in message #1 "
        "(customer, 2026-11-02T09:00:00Z), and the ticket was resolved",
        1,
        "staff: message #2",
        id="window-not-used-up-then-closed",
    ),
    # answered too late: by time
    pytest.param(
        handoff(within="2m"),
        [ASKED_RU, (5, "bot", HANDED_OFF_RU)],
        {},
        60,
        FAILED,
        "message #2 (bot, 2026-11-02T09:05:00Z) responds to the trigger in message #1 "
        "(customer, 2026-11-02T09:00:00Z) only after 5m, over the limit 2m",
        1,
        "late response: message #2 (bot",
        id="late-by-time",
    ),
    pytest.param(
        handoff(within="2m"),
        [ASKED_RU, (secs(120), "bot", HANDED_OFF_RU)],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="exactly-at-the-limit",
    ),
    pytest.param(
        handoff(within="2m"),
        [ASKED_RU, (secs(121), "bot", HANDED_OFF_RU)],
        {},
        60,
        FAILED,
        "only after 2m 1s",
        1,
        None,
        id="one-second-over-the-limit",
    ),
    pytest.param(
        handoff(within="2m"),
        [ASKED_RU, (secs(30), "bot", "Понимаю вас."), (secs(200), "bot", ROBOTIC_RU)],
        {},
        60,
        FAILED,
        "no response within 2m: message #2 (bot, 2026-11-02T09:00:30Z) does not respond",
        1,
        "staff: message #2 (bot, 2026-11-02T09:00:30Z) 'Понимаю вас.'",
        id="nothing-within-time",
    ),
    pytest.param(
        handoff(within="5m"),
        [ASKED_RU, (secs(3), "bot", ROBOTIC_RU)],
        {},
        10,
        FAILED,
        "breached: message #2 (bot, 2026-11-02T09:00:03Z) does not respond to the trigger in "
        "message #1 (customer, 2026-11-02T09:00:00Z) within 5m",
        1,
        "staff: message #2",
        id="wrong-reply-then-silence-past-within",
    ),
    pytest.param(
        handoff(within="2m", within_messages=1),
        [ASKED_RU, (3, "bot", HANDED_OFF_RU)],
        {},
        60,
        FAILED,
        "only after 3m",
        1,
        None,
        id="next-message-responds-but-late",
    ),
    # answered too late: by message count
    pytest.param(
        handoff(),
        [
            ASKED_RU,
            (secs(3), "bot", ROBOTIC_RU),
            (secs(40), "customer", "оператора!!!"),
            (secs(45), "bot", HANDED_OFF_RU),
        ],
        {},
        60,
        FAILED,
        "message #2 (bot, 2026-11-02T09:00:03Z) does not respond",
        1,
        "a response came only in message #4",
        id="late-by-count",
    ),
    pytest.param(
        handoff(within_messages=2),
        [ASKED_RU, (secs(3), "bot", ROBOTIC_RU), (secs(9), "bot", HANDED_OFF_RU)],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="second-staff-message-allowed",
    ),
    pytest.param(
        handoff(within_messages=2),
        [ASKED_EN, (secs(3), "bot", ROBOTIC_EN), (secs(9), "bot", "Anything else?"), (1, "bot", HANDED_OFF_EN)],
        {},
        60,
        FAILED,
        "none of the 2 staff messages (#2, #3) responds",
        1,
        "a response came only in message #4",
        id="count-used-up",
    ),
    pytest.param(
        handoff(within="2m"),
        [ASKED_RU, (secs(20), "bot", "Понимаю вас."), (secs(50), "bot", "Минуту."), (secs(90), "bot", HANDED_OFF_RU)],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="within-time-any-number-of-messages",
    ),
    # several triggers in a row are one, timed from the first; every later trigger is checked
    pytest.param(
        handoff(),
        [ASKED_RU, (secs(10), "customer", "Позовите оператора"), (secs(20), "bot", HANDED_OFF_RU)],
        {},
        60,
        PASSED,
        "",
        None,
        "1 trigger answered",
        id="triggers-in-a-row-count-once",
    ),
    pytest.param(
        handoff(within="1m"),
        [ASKED_RU, (secs(50), "customer", "Позовите оператора"), (secs(70), "bot", HANDED_OFF_RU)],
        {},
        60,
        FAILED,
        "only after 1m 10s",
        2,
        "trigger: message #1",
        id="triggers-in-a-row-timed-from-first",
    ),
    pytest.param(
        apology(),
        [
            (0, "customer", "Безобразие!"),
            (2, "agent", "Приносим извинения."),
            (30, "customer", "Опять безобразие, курьер не приехал"),
            (32, "agent", "Уточните адрес."),
        ],
        {},
        60,
        FAILED,
        "message #4 (agent, 2026-11-02T09:32:00Z) does not respond to the trigger in message #3",
        3,
        "says 'безобразие'",
        id="second-trigger-unanswered",
    ),
    pytest.param(
        apology(),
        [
            (0, "customer", "Безобразие!"),
            (2, "agent", "Приносим извинения."),
            (30, "customer", "Опять безобразие"),
            (32, "agent", "Извините за неудобства."),
        ],
        {},
        60,
        PASSED,
        "",
        None,
        "2 triggers answered",
        id="every-trigger-answered",
    ),
    # bots and agents
    pytest.param(
        handoff(bots_are_agents=False),
        [ASKED_RU, (secs(3), "bot", HANDED_OFF_RU), (2, "agent", "Здравствуйте!")],
        {},
        60,
        FAILED,
        "message #3 (agent",
        2,
        None,
        id="bots-are-not-agents-by-default",
    ),
    pytest.param(
        handoff(),
        [ASKED_RU, (secs(3), "bot", HANDED_OFF_RU), (2, "agent", "Здравствуйте!")],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="bots-as-staff",
    ),
    pytest.param(
        handoff(),
        [ASKED_RU, (secs(1), "system", "Чат передан в очередь"), (secs(2), "bot", HANDED_OFF_RU)],
        {},
        60,
        PASSED,
        "",
        None,
        None,
        id="system-messages-are-not-staff",
    ),
    pytest.param(
        handoff(),
        [
            (0, "bot", "Если нужен живой человек, напишите «хочу оператора»."),
            (1, "customer", "Где мой заказ?"),
            (2, "bot", ROBOTIC_RU),
        ],
        {},
        60,
        NA,
        "no trigger message",
        None,
        None,
        id="staff-saying-the-trigger-is-no-trigger",
    ),
    # placeholders, and what the rule needs
    pytest.param(
        apology(response=["извините, {customer_name}"]),
        [(0, "customer", "Это безобразие!"), (3, "agent", "Извините, Анна, это наша ошибка.")],
        {"customer_name": "Анна Петрова"},
        60,
        PASSED,
        "",
        None,
        None,
        id="placeholder-filled",
    ),
    pytest.param(
        apology(response=["извините, {customer_name}"]),
        [(0, "customer", "Это безобразие!"), (3, "agent", "Извините, это наша ошибка.")],
        {"customer_name": "Анна Петрова"},
        60,
        FAILED,
        "lacks 'извините, {customer_name}'",
        1,
        None,
        id="placeholder-not-used",
    ),
    pytest.param(
        apology(response=["извините, {customer_name}"]),
        [(0, "customer", "Это безобразие!"), (3, "agent", "Извините, Анна.")],
        {},
        60,
        NA,
        "needs customer_name",
        None,
        None,
        id="placeholder-missing-field",
    ),
    pytest.param(
        apology(),
        [(0, "customer", "Где мой заказ?"), (3, "agent", "В пути.")],
        {},
        60,
        NA,
        "no trigger message",
        None,
        None,
        id="no-trigger",
    ),
    pytest.param(apology(), [], {}, 60, NA, "needs message rows", None, None, id="no-messages"),
]


@pytest.mark.parametrize("rule_options, conversation, fields, as_of, status, reason, blamed, evidence", CASES)
def test_trigger_response(rule_options, conversation, fields, as_of, status, reason, blamed, evidence):
    outcome = judge(rule_options, make_ticket(conversation, **fields), as_of)
    expect(outcome, status, reason=reason or None, evidence=evidence)
    if blamed is not None:
        assert outcome.message is not None and outcome.message.index == blamed
    if status is not FAILED:
        assert outcome.message is None


# (rule, conversation, as_of, measured seconds, target seconds); times are about the trigger's window
TIMING_CASES = [
    pytest.param(handoff(within="2m"), [ASKED_RU, (5, "bot", HANDED_OFF_RU)], 60, 300, 120, id="late"),
    pytest.param(handoff(within="2m"), [ASKED_RU, (secs(45), "bot", HANDED_OFF_RU)], 60, 45, 120, id="in-time"),
    pytest.param(handoff(within="2m"), [ASKED_RU], 1, 60, 120, id="pending-elapsed-so-far"),
    pytest.param(handoff(), [ASKED_RU, (secs(7), "bot", HANDED_OFF_RU)], 60, 7, None, id="no-time-limit"),
    pytest.param(
        handoff(within="2m"),
        [ASKED_RU, (secs(30), "bot", "Понимаю вас."), (3, "bot", ROBOTIC_RU)],
        60,
        180,
        120,
        id="nothing-within-time-is-about-time",
    ),
    # content failures carry no numbers: a measured 3s beside a target 1m would read as a pass
    pytest.param(
        handoff(within="1m", within_messages=1),
        [ASKED_RU, (secs(3), "bot", ROBOTIC_RU), (secs(9), "bot", HANDED_OFF_RU)],
        60,
        None,
        None,
        id="wrong-reply-is-about-content",
    ),
    pytest.param(
        handoff(within="1m"),
        [ASKED_RU, (secs(5), "system", "", "closed")],
        60,
        None,
        None,
        id="resolved-without-response-is-about-content",
    ),
]


@pytest.mark.parametrize("rule_options, conversation, as_of, measured, target", TIMING_CASES)
def test_measured_and_target_seconds(rule_options, conversation, as_of, measured, target):
    outcome = judge(rule_options, make_ticket(conversation), as_of)
    expect(outcome, outcome.status, measured=measured, target=target)


OFFICE = {"office": {"timezone": "UTC", "week": {"mon-fri": ["09:00-18:00"]}}}
FRIDAY_EVENING = datetime(2026, 10, 30, 17, 30, tzinfo=timezone.utc)  # START is Monday 09:00


def test_within_counts_on_the_rule_calendar():
    conversation = [
        (FRIDAY_EVENING, "customer", "This is unacceptable"),
        (20, "agent", "We apologize, here is what happened."),
    ]  # Monday 09:20
    outcome = judge(apology(within="1h", calendar="office"), make_ticket(conversation), 60, calendars=OFFICE)
    expect(outcome, PASSED, measured=50 * 60, target=3600)
    late = judge(apology(within="1h"), make_ticket(conversation), 60)
    expect(late, FAILED, reason="only after 2d 15h 50m, over the limit 1h")


def test_working_day_limit():
    conversation = [
        (FRIDAY_EVENING, "customer", "This is unacceptable"),
        (8 * 60 + 10, "agent", "We apologize."),
    ]  # Monday 17:10, before Mon 17:30
    outcome = judge(apology(within="1bd", calendar="office"), make_ticket(conversation), 600, calendars=OFFICE)
    expect(outcome, PASSED)


def test_violation_points_at_the_staff_message_row():
    std = standard(handoff())
    ticket = make_ticket([ASKED_RU, (secs(3), "bot", ROBOTIC_RU)], first_message_row=20)
    audit = run(std, [ticket], 60)
    [violation] = audit.violations
    assert (violation.path, violation.row, violation.message_index) == ("messages.csv", 21, 2)
    assert "trigger: message #1" in (violation.evidence or "")


def test_no_staff_message_points_at_the_trigger_row():
    audit = run(standard(handoff(within="2m")), [make_ticket([ASKED_EN], first_message_row=5)], 10)
    [violation] = audit.violations
    assert (violation.row, violation.message_index) == (5, 1)
    assert "no staff message followed" in (violation.evidence or "")


def test_tallies_through_the_engine():
    tickets = [
        make_ticket([ASKED_RU, (secs(3), "bot", HANDED_OFF_RU)], ticket_id="ok"),
        make_ticket([ASKED_RU, (secs(3), "bot", ROBOTIC_RU)], ticket_id="robotic"),
        make_ticket([(0, "customer", "Где заказ?"), (secs(3), "bot", ROBOTIC_RU)], ticket_id="no-trigger"),
        make_ticket([(8, "customer", "Хочу оператора")], ticket_id="waiting"),
    ]
    audit = run(standard(handoff(within="5m")), tickets, 10)
    assert tally(audit) == {"passed": 1, "failed": 1, "pending": 1, "not_applicable": 1}
    assert dict(audit.results[0].reasons) == {"no trigger message": 1}


def test_phrase_sets_share_the_bank():
    std = standard(
        [handoff(), apology(), {"check": "phrases", "in": "every_agent_message", "forbid": ["not my problem"]}]
    )
    assert len(std.phrase_bank) == 5  # trigger and response of two rules, and the forbid list


# (rule, fragment of the error, which also names test-standard.yaml:line:column)
BAD_RULES = [
    pytest.param(
        {"check": "trigger_response", "trigger": ["x"]}, "missing required key 'response'", id="response-required"
    ),
    pytest.param(handoff(withn="2m"), "unknown key 'withn'", id="typo"),
    pytest.param(handoff(within="soon"), "not a duration", id="bad-within"),
    pytest.param(handoff(within_messages=0), "less than the minimum of 1", id="zero-messages"),
    pytest.param(handoff(calendar="office"), "unknown calendar 'office'", id="unknown-calendar"),
    pytest.param(apology(trigger=[{"regex": "(a)\\1"}]), "unsupported backreference", id="unsafe-regex"),
    pytest.param(apology(response=["{customer name}"]), "malformed placeholder", id="bad-placeholder"),
]


@pytest.mark.parametrize("rule_options, fragment", BAD_RULES)
def test_bad_options_are_refused_with_a_place(rule_options, fragment):
    with pytest.raises(StandardError) as caught:
        standard(rule_options)
    assert fragment in str(caught.value)
    assert "test-standard.yaml:" in str(caught.value)


def test_typo_gets_a_suggestion():
    with pytest.raises(StandardError) as caught:
        standard(handoff(withn="2m"))
    assert caught.value.suggestion == "within"


# -- the chatbot sample: builtin:chatbot finds exactly the faults its generator recorded ----------

CHATBOT_SAMPLE = SAMPLES / "chatbot"
CHATBOT_AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def chatbot_audit():
    return run_audit(load_standard("builtin:chatbot"), [CHATBOT_SAMPLE / "messages.csv"], CHATBOT_AS_OF)


@pytest.fixture(scope="module")
def chatbot_faults():
    return json.loads((CHATBOT_SAMPLE / "faults.json").read_text(encoding="utf-8"))


def test_chatbot_sample_faults_are_found_exactly(chatbot_audit, chatbot_faults):
    expected: dict[str, set[str]] = {result.rule.id: set() for result in chatbot_audit.rules}
    for ticket, tags in chatbot_faults["tickets"].items():
        for tag in tags:
            rule = chatbot_faults["tags"][tag]["rule"]
            if rule is not None:
                expected[rule].add(ticket)
    found: dict[str, set[str]] = {rule: set() for rule in expected}
    for violation in chatbot_audit.violations:
        found[violation.rule].add(violation.ticket_id)
    assert found == expected


def test_chatbot_sample_running_conversation_is_pending(chatbot_audit, chatbot_faults):
    running = [t for t, tags in chatbot_faults["tickets"].items() if "running" in tags]
    pending = {r.rule.id: r.pending for r in chatbot_audit.rules}
    assert len(running) == 1
    assert pending["handoff-when-asked"] == 1 and pending["bot-reply-latency"] == 1
    assert all(v.ticket_id not in running for v in chatbot_audit.violations)
    for item in chatbot_audit.inputs:
        assert item.rows_read == item.rows_audited and item.rows_rejected == 0
