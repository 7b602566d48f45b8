#!/usr/bin/env python3
"""Generate the chatbot sample: a week of chats with the «Домосфера» shop's support bot.

    python samples/chatbot/generate.py [--out samples/chatbot] [--seed 11]

Writes messages.csv (canonical message rows: ticket_id, created_at, author_role, author, text,
status) and faults.json (which conversation has which fault, and which rule of
`builtin:chatbot` should find it). Standard library only, deterministic: the same seed gives
byte-identical files. It does not import svcaudit. Audit with --as-of 2026-11-23T12:00:00Z: one
conversation is still running at that moment and every other row is earlier.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

MSK = timezone(timedelta(hours=3))
FIRST_DAY = datetime(2026, 11, 16, tzinfo=MSK)  # Monday; conversations run to Sunday 22 November
DAYS = 7
AS_OF = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
RUNNING_STARTS = (AS_OF - timedelta(seconds=40)).astimezone(MSK)  # the one conversation still open at --as-of
HEADER = ["ticket_id", "created_at", "author_role", "author", "text", "status"]
FIRST_ID = 3001

BOT = {"ru": "Бот «Домосфера»", "en": "Domosfera Bot"}
AGENTS = {"ru": ["Ольга Смирнова", "Марина Волкова"], "en": ["Emma Clark", "Ivan Petrov"]}
CUSTOMERS = {
    "ru": ["Анна Кузнецова", "Сергей Попов", "Мария Соколова", "Алексей Лебедев", "Елена Новикова",
           "Игорь Белов", "Дарья Морозова", "Никита Орлов", "Юлия Зайцева", "Павел Никитин",
           "Ирина Ильина", "Максим Гусев", "Алёна Фёдорова", "Денис Егоров"],
    "en": ["Emily Carter", "James Brown", "Sarah Wilson", "Oliver Smith", "Laura Davis",
           "Daniel Moore", "Sophie Taylor", "Kevin Hughes", "Megan Clarke", "Thomas Wright"],
}

# fault tag -> (what it is, the rule of builtin:chatbot that must find it)
FAULTS = {
    "slow-first-reply": ("the bot's first reply came 9-30 s after the customer's first message",
                         "bot-first-reply"),
    "slow-reply": ("one later bot reply came 7-25 s after the customer's message", "bot-reply-latency"),
    "missing-greeting": ("the bot's first message starts with the answer, no greeting", "bot-greeting"),
    "rude-phrase": ("the bot says something dismissive ('read the manual', 'not our fault')",
                    "bot-polite-language"),
    "template-leak": ("an unrendered {{first_name}} placeholder or 'undefined' in a bot message",
                      "bot-no-template-leaks"),
    "no-handoff": ("the customer asks for a person and the bot never hands off", "handoff-when-asked"),
    "late-handoff": ("the bot hands off only after a second request (not in its next message)",
                     "handoff-when-asked"),
    "no-apology": ("the customer complains and the bot's next message does not apologise",
                   "apology-on-complaint"),
    "running": ("still running at --as-of: the last request for a person is seconds old (pending)",
                None),
}

# --------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------
GREET = {"ru": ["Здравствуйте! Я бот-помощник «Домосферы».", "Добрый день! Я бот «Домосферы».",
                "Здравствуйте!"],
         "en": ["Hello! I'm the Domosfera assistant.", "Hi there! I'm Domosfera's support bot.",
                "Hello!"]}
MENU = {"ru": "Я могу помочь с заказом, доставкой и возвратом. Выберите тему из списка ниже.",
        "en": "I can help you with orders, delivery and returns. Please pick a topic below."}
NOT_UNDERSTOOD = {"ru": "Не понял вас. Выберите тему из списка: «Заказ», «Доставка», «Возврат».",
                  "en": "Sorry, I didn't get that. Please pick a topic: Orders, Delivery, Returns."}
HANDOFF = {"ru": ["Соединяю вас с оператором, это займёт пару минут.",
                  "Переключаю вас на специалиста, оставайтесь в чате.",
                  "Передаю ваш вопрос оператору, он подключится через минуту."],
           "en": ["Connecting you to an agent, it will take a couple of minutes.",
                  "Transferring you to a human agent, please stay in the chat.",
                  "I'll connect you with one of our agents in a moment."]}
TRANSFERRED = {"ru": "Диалог передан оператору", "en": "Conversation transferred to an agent"}
TIMEOUT = {"ru": "Чат закрыт: клиент не отвечает", "en": "Chat closed: customer inactive"}
THANKS = {"ru": ["Спасибо!", "Понятно, спасибо", "Отлично, спасибо большое"],
          "en": ["Thanks!", "Got it, thank you", "Great, thanks a lot"]}
BYE = {"ru": ["Рад помочь! Всего доброго.", "Пожалуйста! Всего хорошего.", "Обращайтесь, будем рады помочь!"],
       "en": ["Happy to help! Take care.", "You're welcome! Have a good one.",
              "Glad I could help. Bye for now!"]}


def _order(rng: random.Random) -> str:
    return str(rng.randint(4100000, 4899999))


def _date(rng: random.Random, lang: str, day: datetime) -> str:
    when = day + timedelta(days=rng.randint(1, 3))
    if lang == "ru":
        return f"{when.day} ноября"
    return f"November {when.day}"


# --------------------------------------------------------------------------------------------
# Conversations
# --------------------------------------------------------------------------------------------
@dataclass
class Step:
    role: str
    text: str
    status: str = ""
    delay: float | None = None  # seconds after the previous row; None: the usual for the role
    at: datetime | None = None  # set when the conversation is stamped


@dataclass
class Plan:
    scenario: str
    lang: str
    faults: tuple[str, ...] = ()
    variant: str = ""  # agent | transferred | direct (hand-off scenarios)


@dataclass
class Conversation:
    ticket_id: str
    lang: str
    customer: str
    steps: list[Step] = field(default_factory=list)
    faults: tuple[str, ...] = ()


def order_status(rng: random.Random, plan: Plan, day: datetime) -> list[Step]:
    lang, order = plan.lang, _order(rng)
    date = _date(rng, lang, day)
    if lang == "ru":
        ask = rng.choice([f"Где мой заказ {order}?", f"Подскажите, когда привезут заказ №{order}?",
                          f"здравствуйте, какой статус у заказа {order}"])
        answer = f"Заказ {order} передан в доставку, курьер привезёт его {date} с 10:00 до 18:00."
        follow = rng.choice(["А курьер позвонит заранее?", "Можно перенести на вечер?"])
        follow_answer = ("Да, курьер позвонит за час до приезда." if "позвонит" in follow else
                         "Да, выбрать вечерний интервал можно в разделе «Мои заказы» до 20:00 накануне.")
    else:
        ask = rng.choice([f"Where is my order {order}?", f"When will order #{order} arrive?",
                          f"hi, what's the status of order {order}"])
        answer = f"Order {order} is out for delivery, the courier will bring it on {date} between 10 am and 6 pm."
        follow = rng.choice(["Will the courier call first?", "Can I move it to the evening?"])
        follow_answer = ("Yes, the courier calls an hour before arriving." if "call" in follow else
                         "Yes, you can pick an evening slot under My orders until 8 pm the day before.")
    first = f"{rng.choice(GREET[lang])} {answer}"
    if "missing-greeting" in plan.faults:
        first = answer
    if "template-leak" in plan.faults:
        first = (f"Здравствуйте, {{{{first_name}}}}! {answer}" if lang == "ru"
                 else f"Hello, {{{{first_name}}}}! {answer}")
        follow_answer = ("Интервал доставки: undefined. Курьер позвонит за час до приезда." if lang == "ru"
                         else "Delivery slot: undefined. The courier calls an hour before arriving.")
    return [Step("customer", ask), Step("bot", first), Step("customer", follow),
            Step("bot", follow_answer), Step("customer", rng.choice(THANKS[lang])),
            Step("bot", rng.choice(BYE[lang])), Step("system", "", "closed")]


def handoff(rng: random.Random, plan: Plan, day: datetime) -> list[Step]:
    lang = plan.lang
    if lang == "ru":
        question = rng.choice(["Хочу вернуть деньги за чайник, он протекает",
                               "У меня списали деньги два раза за один заказ",
                               "Курьер привёз не тот цвет холодильника, что делать?"])
        asks = ["Позовите оператора, пожалуйста", "Хочу поговорить с живым человеком",
                "Соедините меня с оператором"]
        again = "ОПЕРАТОР!!!"
        direct = "Оператор"
        agent_text = ("Здравствуйте, меня зовут {agent}. Вижу ваш вопрос, уже оформила заявку "
                      "№{case}: ответ придёт на почту в течение дня.")
    else:
        question = rng.choice(["I want a refund for the kettle, it leaks",
                               "I was charged twice for one order",
                               "The courier brought the wrong colour of fridge, what now?"])
        asks = ["Can I talk to a human please?", "I want to speak to a real person",
                "Let me speak to an agent"]
        again = "HUMAN!!!"
        direct = "Operator"
        agent_text = ("Hi, this is {agent}. I can see your question and I've opened case "
                      "#{case}: you'll get an answer by e-mail within a day.")
    greet = rng.choice(GREET[lang])
    if plan.variant == "direct":  # the customer asks for a person in the first message
        steps = [Step("customer", direct), Step("bot", f"{greet} {rng.choice(HANDOFF[lang])}")]
    else:
        steps = [Step("customer", question), Step("bot", f"{greet} {MENU[lang]}"),
                 Step("customer", rng.choice(asks), delay=rng.randint(15, 60))]
        if "no-handoff" in plan.faults:
            steps += [Step("bot", NOT_UNDERSTOOD[lang]), Step("customer", again),
                      Step("bot", NOT_UNDERSTOOD[lang]),
                      Step("system", TIMEOUT[lang], "closed", delay=600)]
            return steps
        if "late-handoff" in plan.faults:
            steps += [Step("bot", NOT_UNDERSTOOD[lang]), Step("customer", again)]
        steps.append(Step("bot", rng.choice(HANDOFF[lang])))
    if plan.variant == "agent":
        agent = rng.choice(AGENTS[lang])
        first_name = agent.split()[0]
        steps += [Step("system", "", "transferred"),
                  Step("agent", agent_text.format(agent=first_name, case=rng.randint(52000, 58999)),
                       delay=rng.randint(40, 150)),
                  Step("customer", rng.choice(THANKS[lang])),
                  Step("system", "", "closed", delay=rng.randint(30, 90))]
    else:
        steps.append(Step("system", TRANSFERRED[lang], "transferred"))
    return steps


def complaint(rng: random.Random, plan: Plan, day: datetime) -> list[Step]:
    lang, order = plan.lang, _order(rng)
    date = _date(rng, lang, day)
    if lang == "ru":
        angry = rng.choice([f"Это безобразие! Курьер не приехал с заказом {order}, я весь день ждал дома.",
                            f"Хочу подать жалобу: заказ {order} пришёл с разбитой коробкой.",
                            f"Я очень недовольна: заказ {order} уже третий раз переносят."])
        apology = rng.choice(["Приносим извинения за неудобства.", "Нам очень жаль, что так вышло.",
                              "Извините за доставленные неудобства."])
        fix = (f"Я передал заказ {order} в службу доставки с высоким приоритетом, "
               f"курьер привезёт его {date} и позвонит за час.")
        rude = "Это не наша вина, все вопросы к службе доставки."
        reply = "Хорошо, буду ждать."
    else:
        angry = rng.choice([f"This is unacceptable! The courier never showed up with order {order}.",
                            f"I want to make a complaint: order {order} arrived with a crushed box.",
                            f"I'm really disappointed, order {order} has been rescheduled three times."])
        apology = rng.choice(["We apologize for the inconvenience.", "I'm so sorry to hear that.",
                              "Sorry for the trouble with your order."])
        fix = (f"I've flagged order {order} with the courier company as urgent, "
               f"it will arrive on {date} and the courier will call an hour before.")
        rude = "That's not our fault, please contact the courier company."
        reply = "Ok, I'll wait."
    greet = rng.choice(GREET[lang])
    first = f"{greet} {fix}" if "no-apology" in plan.faults else f"{greet} {apology} {fix}"
    if "rude-phrase" in plan.faults:
        first = f"{greet} {apology} {rude}"
    return [Step("customer", angry), Step("bot", first), Step("customer", reply),
            Step("bot", rng.choice(BYE[lang])), Step("system", "", "closed")]


def faq(rng: random.Random, plan: Plan, day: datetime) -> list[Step]:
    lang = plan.lang
    if lang == "ru":
        pairs = rng.choice([
            [("Сколько стоит доставка?", "Доставка по Москве стоит 290 ₽, от 3 000 ₽ — бесплатно."),
             ("А в выходные возите?", "Да, курьеры работают без выходных с 9:00 до 21:00.")],
            [("Можно вернуть товар, если он не подошёл?",
              "Да, в течение 14 дней, если сохранены упаковка и чек. Оформить возврат можно в разделе «Мои заказы»."),
             ("А деньги когда вернут?", "Деньги вернутся на карту в течение 3–5 рабочих дней после приёмки товара.")],
            [("Не приходит код для входа в приложение",
              "Проверьте, что номер указан без восьмёрки в начале, и запросите код ещё раз через минуту."),
             ("Всё равно не приходит", "Тогда выберите «Получить код звонком»: последние 4 цифры номера и будут кодом.")],
        ])
        rude = "Читайте инструкцию в разделе «Помощь», там всё написано."
    else:
        pairs = rng.choice([
            [("How much is delivery?", "Delivery within Moscow costs 290 RUB, and it's free from 3,000 RUB."),
             ("Do you deliver at weekends?", "Yes, couriers work every day from 9 am to 9 pm.")],
            [("Can I return an item if it doesn't fit?",
              "Yes, within 14 days if you keep the box and the receipt. Start a return under My orders."),
             ("When do I get my money back?", "The money is back on your card within 3-5 business days.")],
            [("The login code for the app doesn't come",
              "Please check the number has no leading 8 and request a new code in a minute."),
             ("Still nothing", "Then choose \"Get the code by call\": the last 4 digits of the number are the code.")],
        ])
        rude = "Please read the manual in the Help section, it's all there."
    (q1, a1), (q2, a2) = pairs
    if "rude-phrase" in plan.faults:
        a2 = rude
    return [Step("customer", q1), Step("bot", f"{rng.choice(GREET[lang])} {a1}"),
            Step("customer", q2), Step("bot", a2), Step("customer", rng.choice(THANKS[lang])),
            Step("bot", rng.choice(BYE[lang])), Step("system", "", "closed")]


def running(rng: random.Random, plan: Plan, day: datetime) -> list[Step]:
    """Still open at --as-of: the customer asked for a person seconds ago."""
    return [Step("customer", "Не могу оплатить заказ картой, пишет «ошибка 51»"),
            Step("bot", f"Здравствуйте! {MENU['ru']}", delay=2),
            Step("customer", "Позовите оператора, пожалуйста", delay=34)]


SCENARIOS = {"order": order_status, "handoff": handoff, "complaint": complaint, "faq": faq,
             "running": running}

# One row per conversation: what it is about, its language and its faults. Shuffled (with the seed)
# across the week, so faults are not clustered.
PLANS = [
    *[Plan("order", "ru") for _ in range(3)],
    Plan("order", "ru", ("missing-greeting",)),
    Plan("order", "ru", ("template-leak",)),
    Plan("order", "ru", ("slow-first-reply",)),
    Plan("order", "ru", ("slow-reply",)),
    Plan("handoff", "ru", variant="agent"), Plan("handoff", "ru", variant="agent"),
    Plan("handoff", "ru", variant="transferred"), Plan("handoff", "ru", variant="direct"),
    Plan("handoff", "ru", ("no-handoff",)), Plan("handoff", "ru", ("no-handoff",)),
    Plan("handoff", "ru", ("late-handoff",), variant="transferred"),
    *[Plan("complaint", "ru") for _ in range(2)],
    Plan("complaint", "ru", ("no-apology",)), Plan("complaint", "ru", ("no-apology",)),
    Plan("complaint", "ru", ("slow-reply",)),
    *[Plan("faq", "ru") for _ in range(4)],
    Plan("faq", "ru", ("rude-phrase",)),
    Plan("faq", "ru", ("slow-reply",)),
    *[Plan("order", "en") for _ in range(3)],
    Plan("order", "en", ("missing-greeting",)),
    Plan("order", "en", ("template-leak",)),
    Plan("order", "en", ("slow-first-reply",)),
    Plan("handoff", "en", variant="agent"), Plan("handoff", "en", variant="agent"),
    Plan("handoff", "en", variant="direct"), Plan("handoff", "en", ("no-handoff",)),
    Plan("handoff", "en", ("late-handoff",), variant="agent"),
    Plan("handoff", "en", variant="transferred"),
    *[Plan("complaint", "en") for _ in range(3)],
    Plan("complaint", "en", ("no-apology",)),
    Plan("complaint", "en", ("rude-phrase",)),
    *[Plan("faq", "en") for _ in range(3)],
    Plan("faq", "en", ("slow-reply",)),
    Plan("faq", "en", ("rude-phrase",)),
]
RUNNING_PLAN = Plan("running", "ru", ("running",))


def _usual_delay(rng: random.Random, role: str) -> float:
    if role == "bot":
        return rng.uniform(0.8, 3.2)  # the bot answers in about two seconds
    if role == "customer":
        return rng.uniform(8, 75)  # reading and typing
    return 1.0  # a status event follows what caused it


def build(seed: int) -> list[Conversation]:
    rng = random.Random(seed)
    plans = list(PLANS)
    rng.shuffle(plans)
    starts = sorted(
        FIRST_DAY + timedelta(days=rng.randrange(DAYS), hours=rng.randint(8, 22),
                              minutes=rng.randrange(60), seconds=rng.randrange(60))
        for _ in plans
    )
    conversations = []
    for number, (plan, start) in enumerate([*zip(plans, starts), (RUNNING_PLAN, RUNNING_STARTS)]):
        lang = plan.lang
        steps = SCENARIOS[plan.scenario](rng, plan, start)
        _slow_down(rng, steps, plan.faults)
        conversation = Conversation(f"C-{FIRST_ID + number}", lang, rng.choice(CUSTOMERS[lang]),
                                    steps, plan.faults)
        conversation.steps[0].delay = 0.0
        conversations.append((conversation, start))
    return [_stamp(rng, conversation, start) for conversation, start in conversations]


def _slow_down(rng: random.Random, steps: list[Step], faults: tuple[str, ...]) -> None:
    bot_replies = [i for i, s in enumerate(steps) if s.role == "bot" and steps[i - 1].role == "customer"]
    if "slow-first-reply" in faults:
        steps[bot_replies[0]].delay = rng.randint(9, 30)
    if "slow-reply" in faults:
        steps[rng.choice(bot_replies[1:])].delay = rng.randint(7, 25)


def _stamp(rng: random.Random, conversation: Conversation, start: datetime) -> Conversation:
    moment = start
    for step in conversation.steps:
        delay = step.delay if step.delay is not None else _usual_delay(rng, step.role)
        moment = moment + timedelta(seconds=round(delay))
        step.at = moment
    return conversation


def rows(conversations: list[Conversation]) -> list[list[str]]:
    out = []
    for conversation in conversations:
        for step in conversation.steps:
            if step.role == "customer":
                author = conversation.customer
            elif step.role == "bot":
                author = BOT[conversation.lang]
            elif step.role == "agent":
                author = _agent_of(step.text, conversation.lang)
            else:
                author = ""
            assert step.at is not None
            out.append([conversation.ticket_id, step.at.isoformat(), step.role, author, step.text,
                        step.status])
    return out


def _agent_of(text: str, lang: str) -> str:
    """The agent who signed a message with their first name."""
    for name in AGENTS[lang]:
        if name.split()[0] in text:
            return name
    raise ValueError(f"no agent named in {text!r}")


def faults_json(conversations: list[Conversation], seed: int) -> dict:
    tickets = {c.ticket_id: list(c.faults) for c in conversations}
    counts = {tag: sum(tag in tags for tags in tickets.values()) for tag in FAULTS}
    return {
        "generator": "samples/chatbot/generate.py", "seed": seed, "as_of": AS_OF.isoformat().replace("+00:00", "Z"),
        "standard": "builtin:chatbot",
        "tags": {tag: {"meaning": meaning, "rule": rule} for tag, (meaning, rule) in FAULTS.items()},
        "counts": counts,
        "tickets": tickets,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    conversations = build(args.seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(conversations))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "messages.csv").write_text(buffer.getvalue(), encoding="utf-8")
    (args.out / "faults.json").write_text(
        json.dumps(faults_json(conversations, args.seed), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    print(f"{len(conversations)} conversations, {sum(len(c.steps) for c in conversations)} rows -> {args.out}")


if __name__ == "__main__":
    main()
