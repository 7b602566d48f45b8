#!/usr/bin/env python3
"""Generate the svcaudit sample exports: a fictional online shop's helpdesk, three weeks of it.

    python samples/generate.py [--out samples] [--tickets 300] [--seed 7]

Writes tickets.csv, tickets.jsonl, messages.csv and faults.json into --out (default: the directory
this script lives in). Standard library only and deterministic: the same seed and ticket count give
byte-identical files. It does not import svcaudit; the ground truth in faults.json is measured from
the generated conversations with the reference phrase lists and targets written into faults.json,
and cross-checked against what the generator meant to inject (a mismatch aborts the run).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import re
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

MSK = timezone(timedelta(hours=3))
START = datetime(2026, 11, 2, tzinfo=MSK)            # Monday of ISO week 2026-W45
END = datetime(2026, 11, 23, tzinfo=MSK)             # Monday of 2026-W48 (exclusive)
AS_OF = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)   # the `--as-of` of `make demo`
HOLIDAY = datetime(2026, 11, 4, tzinfo=MSK).date()   # Unity Day, a public holiday in Russia

TICKET_HEADER = ["ticket_id", "created_at", "first_reply_at", "resolved_at", "status", "priority",
                 "channel", "agent", "team", "customer_name", "reopens", "csat", "nps", "ces",
                 "language"]
MESSAGE_HEADER = ["ticket_id", "created_at", "author_role", "author", "text", "status"]
RESOLVED = ("solved", "closed")

# --------------------------------------------------------------------------------------------
# Reference standard used for the ground truth (also written into faults.json)
# --------------------------------------------------------------------------------------------
FIRST_REPLY_TARGETS = {"urgent": 3600, "high": 4 * 3600, "normal": 8 * 3600, "low": 24 * 3600}
NEXT_REPLY_TARGET = 4 * 3600
APOLOGY_AFTER = 3600

GREETINGS = ["здравствуйте", "добрый день", "доброе утро", "добрый вечер", "приветствую",
             "hello", "hi", "hey", "good morning", "good afternoon", "good evening"]
APOLOGIES = ["извините за ожидание", "извините за долгое ожидание", "извините за задержку",
             "простите за задержку", "приносим извинения за долгое ожидание",
             "приносим извинения за задержку", "извиняемся за ожидание",
             "sorry for the wait", "sorry for the long wait", "sorry for the delay",
             "apologies for the delay", "apologies for the wait", "we apologize for the delay"]
CLOSINGS = ["спасибо за обращение", "спасибо за ваше обращение", "спасибо за ваши обращения",
            "благодарим за обращение", "хорошего дня", "хорошего вечера", "доброй ночи",
            "всего доброго", "всего хорошего", "рады были помочь", "будем рады помочь",
            "обращайтесь",
            "thanks for reaching out", "thank you for reaching out", "thank you for contacting us",
            "thanks for contacting us", "have a great day", "have a nice day", "have a good day",
            "have a great evening", "have a good evening", "have a great weekend", "take care",
            "glad i could help", "happy to help"]
FORBIDDEN = ["это не моя проблема", "not my problem", "читайте инструкцию", "как я уже писал",
             "как я уже писала", "calm down"]
# Word stems that must not appear in a "no apology" first reply, so that no reasonable phrase list
# (however generous) can find an apology there.
APOLOGY_STEMS = ["извин", "прост", "sorry", "apolog"]

FAULT_TAGS = {
    "late-first-reply": "first agent reply later than the reference target for the ticket's "
                        "priority (24/7 clock): urgent 1h, high 4h, normal 8h, low 24h",
    "late-next-reply": "a customer message that followed an agent reply waited more than 4h "
                       "(24/7 clock) for the next agent reply, or is still unanswered after 4h",
    "next-reply-pending": "a customer message that followed an agent reply is unanswered at "
                          "--as-of but still inside the 4h next-reply target",
    "no-apology-after-wait": "first reply took over 1h and the first agent message has no apology",
    "missing-greeting": "the first agent message has no greeting",
    "name-not-used": "customer_name is set but no agent message uses the first name in any case",
    "missing-closing": "the ticket ends solved/closed and its last agent message has no "
                       "thanks/farewell closing",
    "rude-phrase": "an agent message contains a forbidden phrase (see evidence)",
    "reopened": "reopened after being solved (reopens >= 1; status events solved -> open)",
    "unanswered-breached": "no agent reply at --as-of, and the first-reply target has passed",
    "unanswered-pending": "no agent reply at --as-of, still inside the first-reply target",
    "unresolved": "the ticket does not end in solved/closed at --as-of (informational)",
}

# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------
AGENTS = [
    {"name": "Ольга Смирнова", "ru": "Ольга", "en": "Olga", "g": "f", "team": "Первая линия",
     "langs": ("ru",)},
    {"name": "Дмитрий Козлов", "ru": "Дмитрий", "en": "Dmitry", "g": "m", "team": "Первая линия",
     "langs": ("ru",)},
    {"name": "Марина Волкова", "ru": "Марина", "en": "Marina", "g": "f", "team": "Возвраты",
     "langs": ("ru",)},
    {"name": "Ivan Petrov", "ru": "Иван", "en": "Ivan", "g": "m", "team": "Возвраты",
     "langs": ("ru", "en"), "sign_ru": "Иван Петров"},
    {"name": "Emma Clark", "ru": "Эмма", "en": "Emma", "g": "f", "team": "International",
     "langs": ("en",)},
    {"name": "James Walker", "ru": "Джеймс", "en": "James", "g": "m", "team": "International",
     "langs": ("en",)},
]
RUDE_AGENTS = ("Дмитрий Козлов", "James Walker")   # most rude replies come from these two

# first name -> (nominative, genitive, dative, accusative, instrumental)
RU_FEMALE = {
    "Анна": ("Анна", "Анны", "Анне", "Анну", "Анной"),
    "Мария": ("Мария", "Марии", "Марии", "Марию", "Марией"),
    "Екатерина": ("Екатерина", "Екатерины", "Екатерине", "Екатерину", "Екатериной"),
    "Наталья": ("Наталья", "Натальи", "Наталье", "Наталью", "Натальей"),
    "Елена": ("Елена", "Елены", "Елене", "Елену", "Еленой"),
    "Татьяна": ("Татьяна", "Татьяны", "Татьяне", "Татьяну", "Татьяной"),
    "Юлия": ("Юлия", "Юлии", "Юлии", "Юлию", "Юлией"),
    "Ирина": ("Ирина", "Ирины", "Ирине", "Ирину", "Ириной"),
    "Светлана": ("Светлана", "Светланы", "Светлане", "Светлану", "Светланой"),
    "Дарья": ("Дарья", "Дарьи", "Дарье", "Дарью", "Дарьей"),
    "Ксения": ("Ксения", "Ксении", "Ксении", "Ксению", "Ксенией"),
    "Алёна": ("Алёна", "Алёны", "Алёне", "Алёну", "Алёной"),
    "Полина": ("Полина", "Полины", "Полине", "Полину", "Полиной"),
}
RU_MALE = {
    "Алексей": ("Алексей", "Алексея", "Алексею", "Алексея", "Алексеем"),
    "Сергей": ("Сергей", "Сергея", "Сергею", "Сергея", "Сергеем"),
    "Андрей": ("Андрей", "Андрея", "Андрею", "Андрея", "Андреем"),
    "Михаил": ("Михаил", "Михаила", "Михаилу", "Михаила", "Михаилом"),
    "Артём": ("Артём", "Артёма", "Артёму", "Артёма", "Артёмом"),
    "Никита": ("Никита", "Никиты", "Никите", "Никиту", "Никитой"),
    "Павел": ("Павел", "Павла", "Павлу", "Павла", "Павлом"),
    "Игорь": ("Игорь", "Игоря", "Игорю", "Игоря", "Игорем"),
    "Илья": ("Илья", "Ильи", "Илье", "Илью", "Ильёй"),
    "Кирилл": ("Кирилл", "Кирилла", "Кириллу", "Кирилла", "Кириллом"),
    "Евгений": ("Евгений", "Евгения", "Евгению", "Евгения", "Евгением"),
    "Максим": ("Максим", "Максима", "Максиму", "Максима", "Максимом"),
    "Антон": ("Антон", "Антона", "Антону", "Антона", "Антоном"),
    "Денис": ("Денис", "Дениса", "Денису", "Дениса", "Денисом"),
}
RU_SURNAMES = ["Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков", "Морозов", "Фёдоров",
               "Орлов", "Белов", "Зайцев", "Никитин", "Ильин", "Ковальский", "Жуковский", "Гусев",
               "Медведев", "Егоров", "Павлов", "Семенов", "Виноградов"]
EN_FEMALE = ["Emily", "Sarah", "Jessica", "Laura", "Olivia", "Megan", "Hannah", "Rachel", "Sophie",
             "Charlotte", "Amelia", "Grace"]
EN_MALE = ["Michael", "David", "Daniel", "Thomas", "Chris", "Ryan", "Kevin", "Andrew", "Peter",
           "George", "Oliver", "Samuel"]
EN_SURNAMES = ["Johnson", "Brown", "Davis", "Wilson", "Taylor", "Moore", "Anderson", "Harris",
               "Thompson", "Scott", "Young", "Hughes", "Evans", "Robinson", "Wright", "Mitchell"]


def surname_forms(base: str, g: str) -> tuple[str, str, str, str, str]:
    """Russian surname in nominative, genitive, dative, accusative, instrumental."""
    if base.endswith("ский"):
        st = base[:-4]
        if g == "m":
            return base, st + "ского", st + "скому", st + "ского", st + "ским"
        return st + "ская", st + "ской", st + "ской", st + "скую", st + "ской"
    if g == "m":
        return base, base + "а", base + "у", base + "а", base + "ым"
    return base + "а", base + "ой", base + "ой", base + "у", base + "ой"


# --------------------------------------------------------------------------------------------
# Shop content
# --------------------------------------------------------------------------------------------
# ru nominative, accusative, genitive, grammatical gender (m/f/pl), English name
PRODUCTS = [
    ("чайник Polaris PWK 1725", "чайник Polaris PWK 1725", "чайника Polaris PWK 1725", "m",
     "Polaris PWK 1725 kettle"),
    ("кофемашина De'Longhi Magnifica S", "кофемашину De'Longhi Magnifica S",
     "кофемашины De'Longhi Magnifica S", "f", "De'Longhi Magnifica S coffee machine"),
    ("пылесос Dreame V12", "пылесос Dreame V12", "пылесоса Dreame V12", "m",
     "Dreame V12 vacuum cleaner"),
    ("наушники JBL Tune 520BT", "наушники JBL Tune 520BT", "наушников JBL Tune 520BT", "pl",
     "JBL Tune 520BT headset"),
    ("утюг Philips DST 7020", "утюг Philips DST 7020", "утюга Philips DST 7020", "m",
     "Philips DST 7020 iron"),
    ("блендер Bosch ErgoMixx", "блендер Bosch ErgoMixx", "блендера Bosch ErgoMixx", "m",
     "Bosch ErgoMixx blender"),
    ("мультиварка Redmond RMC-M90", "мультиварку Redmond RMC-M90", "мультиварки Redmond RMC-M90",
     "f", "Redmond RMC-M90 multicooker"),
    ("увлажнитель Xiaomi Smart Humidifier 2", "увлажнитель Xiaomi Smart Humidifier 2",
     "увлажнителя Xiaomi Smart Humidifier 2", "m", "Xiaomi Smart Humidifier 2"),
    ("фен Dyson Supersonic", "фен Dyson Supersonic", "фена Dyson Supersonic", "m",
     "Dyson Supersonic hair dryer"),
    ("сковорода Tefal Ingenio 28 см", "сковороду Tefal Ingenio 28 см", "сковороды Tefal Ingenio 28 см",
     "f", "Tefal Ingenio 28 cm frying pan"),
    ("робот-пылесос Roborock Q7", "робот-пылесос Roborock Q7", "робота-пылесоса Roborock Q7", "m",
     "Roborock Q7 robot vacuum"),
    ("электробритва Braun Series 5", "электробритву Braun Series 5", "электробритвы Braun Series 5",
     "f", "Braun Series 5 shaver"),
    ("весы Redmond RS-736", "весы Redmond RS-736", "весов Redmond RS-736", "pl",
     "Redmond RS-736 kitchen scale"),
]
GENDERED = {  # agreement with the product's grammatical gender
    "m": {"came": "пришёл", "broke": "сломался", "fit": "подошёл", "works": "работает",
          "switch": "включается", "it": "он", "new": "новый", "new_acc": "новый",
          "same": "такой же"},
    "f": {"came": "пришла", "broke": "сломалась", "fit": "подошла", "works": "работает",
          "switch": "включается", "it": "она", "new": "новая", "new_acc": "новую",
          "same": "такая же"},
    "pl": {"came": "пришли", "broke": "сломались", "fit": "подошли", "works": "работают",
           "switch": "включаются", "it": "они", "new": "новые", "new_acc": "новые",
           "same": "такие же"},
}
WRONG_ITEMS_RU = ["набор кухонных полотенец", "электрическая зубная щётка", "детский ночник",
                  "коврик для ванной"]
WRONG_ITEMS_EN = ["a set of kitchen towels", "an electric toothbrush", "a kids' night light",
                  "a bath mat"]
STREETS = ["ул. Лесная, д. 12, кв. 45", "Ленинградский пр-т, д. 31, кв. 8", "ул. Гагарина, д. 5, "
           "корп. 2, кв. 117", "ул. Садовая, д. 40, кв. 3", "Кутузовский пр-т, д. 18, кв. 76"]
STREETS_EN = ["12 Lesnaya St, apt 45", "31 Leningradsky Ave, apt 8", "5 Gagarina St, bldg 2, apt 117",
              "40 Sadovaya St, apt 3"]
PROMOS = ["SALE15", "HOME500", "BLACKFRIDAY", "WELCOME10"]
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]

BOT_RU = ("Здравствуйте! Я бот-помощник «Домосферы». Опишите, пожалуйста, ваш вопрос — оператор "
          "подключится в течение нескольких минут.")
BOT_EN = "Hi! I'm the Domosfera virtual assistant. Please describe your question and an agent will join shortly."
BOT_BUSY_RU = ("Все операторы сейчас заняты. Мы сохранили ваше сообщение и ответим в этом чате или "
               "по электронной почте.")
BOT_BUSY_EN = "All our agents are busy right now. We have saved your message and will reply here or by email."

# Per topic and language: what the customer opens with, what the agent answers.
#   open      the customer's request
#   ask       the agent asks for something (status pending on email/web), answer: customer's answer
#   hold      the agent waits on a third party (status on-hold), hold_update: the later answer
#   resolve   the answer that resolves the request
#   push      a customer's pushback after the answer; calm: polite reply; rude: dismissive reply
#   reopen    the customer writes again after the ticket was solved; reopen_fix: the agent's answer
# Slots: {order} {prod} {prod_acc} {prod_gen} {Prod} {came} {broke} {fit} {works} {it} {new} {date}
# {date14} {amount} {code} {track} {phone} {promo} {bonus} {street} {other} {a} (customer's
# past-tense ending) {ag} (agent's past-tense ending) {ag_lo} (agent: -ёл/-ела style, see below).
TOPICS = {
    "delivery": {
        "team": "Первая линия", "priority": {"urgent": 2, "high": 25, "normal": 63, "low": 10},
        "ru": {
            "open": [
                "Здравствуйте! Заказ {order} должен был приехать вчера, но курьер так и не появился, даже смс не было. Подскажите, где он?",
                "Добрый день. Оформил{a} заказ {order} неделю назад, статус \"Передан в доставку\" не меняется уже четыре дня. Когда привезут?",
                "ГДЕ МОЙ ЗАКАЗ??? {order}, обещали доставить в субботу, я весь день просидел{a} дома!",
                "Подскажите, пожалуйста, по заказу {order}: в трекинге СДЭК написано «Прибыл в сортировочный центр», и всё. Сколько ещё ждать?",
                "Курьер должен был привезти заказ {order} сегодня, но так и не приехал, а его телефон не отвечает. Что делать?",
                "Здравствуйте. Уточните, пожалуйста, когда будет доставка заказа {order}? В личном кабинете дата доставки всё время сдвигается.",
                "Заказ {order} — когда доставка? Жду уже вторую неделю.",
            ],
            "ask": ["Чтобы уточнить статус у службы доставки, подскажите, пожалуйста, номер телефона, который вы указывали при оформлении заказа."],
            "answer": ["Телефон {phone}, на него и оформлял{a}.", "{phone}. Только побыстрее, пожалуйста."],
            "hold": ["Я отправил{ag} запрос в службу доставки, как только получу ответ — сразу напишу вам. Обычно это занимает несколько часов."],
            "hold_update": ["Служба доставки ответила: посылка задержалась на сортировочном центре в Подольске, сейчас она уже у курьера. Заказ {order} привезут {date} с 10:00 до 18:00, курьер позвонит за час."],
            "resolve": [
                "Проверил{ag} заказ {order}: посылка задержалась на сортировочном центре, сейчас она передана курьеру. Доставка запланирована на {date}, с 10:00 до 18:00, курьер позвонит за час до приезда.",
                "Заказ {order} уже в пути, трек-номер {track} — отследить его можно на сайте СДЭК. Ожидаемая дата доставки — {date}. За задержку начислили вам {bonus} бонусных баллов.",
            ],
            "push": ["То есть ещё ждать до {date}? Мне обещали доставку вчера!",
                     "Я специально взял{a} отгул, чтобы принять курьера, а он так и не приехал. Это не моя проблема, что у вас бардак с доставкой, верните хотя бы деньги за неё!"],
            "calm": ["Понимаю, как это неприятно. Ускорить доставку, к сожалению, уже не получится, но стоимость доставки мы вернём на карту, а курьер точно приедет {date}."],
            "rude": ["Как я уже писал{ag}, заказ привезут {date}. Это не моя проблема, что служба доставки задержала посылку, — все вопросы к ним.",
                     "Как я уже писал{ag} выше, доставка {date}. Раньше не получится."],
            "reopen": ["Здравствуйте, снова пишу по заказу {order}: курьер так и не приехал, а в приложении статус «Доставлен». Что происходит?"],
            "reopen_fix": ["Проверил{ag} ещё раз: курьер по ошибке отметил заказ доставленным. Мы связались со службой доставки, посылку привезут завтра до 14:00, а стоимость доставки вернём на карту."],
        },
        "en": {
            "open": [
                "Hi, my order {order} was supposed to arrive yesterday, but the courier never showed up and I didn't even get a text. Where is it?",
                "Hello, I placed order {order} a week ago and the tracking has said \"In transit\" for four days now. When will it be delivered?",
                "WHERE IS MY ORDER?? {order} was due on Saturday and I stayed home all day!",
                "The courier was supposed to bring order {order} today, but nobody came and the courier's phone is off. What now?",
                "Hi, could you tell me when order {order} will be delivered? The delivery date in my account keeps moving.",
            ],
            "ask": ["To check with the courier company, could you please confirm the phone number you used when placing the order?"],
            "answer": ["It's {phone}.", "{phone}, same as on my account."],
            "hold": ["I've sent a request to the courier company and will get back to you as soon as they reply. This usually takes a few hours."],
            "hold_update": ["The courier company got back to me: the parcel was held up at the sorting center and is now with the courier. Order {order} will be delivered on {date} between 10 am and 6 pm, and the courier will call an hour before."],
            "resolve": [
                "I checked order {order}: the parcel was held up at the sorting center and has now been handed over to the courier. Delivery is scheduled for {date}, between 10 am and 6 pm, and the courier will call an hour before arriving.",
                "Order {order} is on its way, tracking number {track}. The expected delivery date is {date}. We've added {bonus} bonus points to your account for the delay.",
            ],
            "push": ["So I have to wait until {date}? I was promised delivery yesterday!",
                     "I took a day off to wait for the courier and nobody came. Your delivery mess is not my problem, I want my delivery fee back!"],
            "calm": ["I completely understand how frustrating this is. We can't speed up the delivery any more, but we'll refund the delivery fee to your card, and the courier will definitely come on {date}."],
            "rude": ["As I said, it will be delivered on {date}. The courier company is not my problem.",
                     "Please calm down. The order will arrive on {date}, there is nothing else I can do."],
            "reopen": ["Hi, it's me again about order {order}: the courier never came, but the app says \"Delivered\". What's going on?"],
            "reopen_fix": ["I checked again: the courier marked the order as delivered by mistake. We've contacted the courier company, the parcel will be delivered tomorrow before 2 pm, and we'll refund the delivery fee."],
        },
    },
    "return": {
        "team": "Возвраты", "priority": {"urgent": 0, "high": 10, "normal": 65, "low": 25},
        "ru": {
            "open": [
                "Здравствуйте. Хочу вернуть {prod_acc} из заказа {order}: {it} мне не {fit}, упаковку даже не вскрывал{a}. Как оформить возврат?",
                "Добрый день! Как вернуть товар? Купил{a} {prod_acc}, а оказалось, что дома уже есть {same} — подарили на день рождения.",
                "Хочу оформить возврат по заказу {order}, товар не понравился. Деньги вернёте на карту?",
                "Здравствуйте! {Prod} не {fit} — хочу вернуть. Заказ {order}, получил{a} три дня назад.",
            ],
            "ask": ["Подскажите, пожалуйста, товар не был в использовании и сохранилась ли заводская упаковка?"],
            "answer": ["Да, всё в коробке, даже плёнку не снимал{a}.", "Ни разу не {used}, упаковка целая, чек есть."],
            "hold": ["Передал{ag} заявку на возврат в отдел логистики, они подтвердят пункт приёма. Вернусь к вам с ответом в течение дня."],
            "hold_update": ["Возврат по заказу {order} подтверждён. Сдайте товар в любой пункт выдачи «Домосферы» в течение 14 дней и назовите код возврата {code}. Деньги ({amount}) вернём на карту, с которой оплачивался заказ, в течение 3–5 рабочих дней после приёмки."],
            "resolve": ["Оформил{ag} возврат по заказу {order}, код возврата — {code}. Упакуйте, пожалуйста, товар в оригинальную коробку и сдайте его в любой пункт выдачи в течение 14 дней. Деньги ({amount}) придут на карту в течение 3–5 рабочих дней после приёмки."],
            "push": ["А почему так долго? Пять дней на возврат денег — это слишком.",
                     "Мне неудобно ехать в пункт выдачи, курьер может забрать?"],
            "calm": ["Срок зачисления зависит от банка: мы отправляем деньги в день приёмки товара, но банку нужно несколько дней на обработку. Если удобнее, курьер может забрать товар бесплатно — напишите, и я оформлю вызов."],
            "rude": ["Как я уже писал{ag}, сроки зависят от банка. Читайте инструкцию по возврату на сайте, там всё написано."],
            "reopen": ["Здравствуйте! Товар по заказу {order} сдал{a} в пункт выдачи ещё на прошлой неделе, а деньги так и не пришли."],
            "reopen_fix": ["Проверил{ag}: возврат задержался из-за технического сбоя при передаче данных в банк. Сегодня деньги отправлены повторно, они поступят на карту в течение 1–2 рабочих дней."],
        },
        "en": {
            "open": [
                "Hello, I'd like to return the {prod_en} from order {order}. It's not what I expected, and I haven't even opened the box. How do I do that?",
                "Hi, how do I return an item? I bought the {prod_en}, but it turns out we already have one, got it as a birthday present.",
                "Hi, I want to return order {order}, the {prod_en} isn't right for me. I got it three days ago.",
            ],
            "ask": ["Could you please confirm that the item hasn't been used and that the original packaging is intact?"],
            "answer": ["Yes, it's still sealed in the box.", "Never used it, the box is intact and I have the receipt."],
            "hold": ["I've passed your return request to our logistics team, they'll confirm the drop-off point. I'll get back to you within a day."],
            "hold_update": ["Your return for order {order} is confirmed. Please drop the item off at any Domosfera pickup point within 14 days and give them return code {code}. We'll refund {amount} to the card you paid with within 3–5 business days after we receive it."],
            "resolve": ["I've set up a return for order {order}, your return code is {code}. Please pack the item in its original box and drop it off at any pickup point within 14 days. The refund of {amount} will reach your card within 3–5 business days after we receive it."],
            "push": ["Why does it take so long? Five days for a refund is too much.",
                     "It's not convenient for me to go to a pickup point, can a courier collect it?"],
            "calm": ["The timing depends on your bank: we send the money on the day we receive the item, but banks take a few days to process it. If it's easier, a courier can collect the item for free, just let me know and I'll book it."],
            "rude": ["As I said, it depends on your bank. That's not my problem."],
            "reopen": ["Hello, I dropped off the item from order {order} last week and still haven't got my money back."],
            "reopen_fix": ["I checked: the refund was delayed by a technical error when sending the data to the bank. We resent it today, and the money will reach your card within 1–2 business days."],
        },
    },
    "damaged": {
        "team": "Возвраты", "priority": {"urgent": 3, "high": 30, "normal": 60, "low": 7},
        "ru": {
            "open": [
                "Здравствуйте! Сегодня привезли {prod_acc}, а корпус треснул, коробка вся мятая. Что делать?",
                "Здравствуйте. {Prod} {came} с дефектом — вообще не {switch}. Заказ {order}.",
                "Здравствуйте, в заказе {order} {prod} {came} с царапинами и вмятиной сбоку. Так и должно быть???",
                "Добрый день! Курьер привёз {prod_acc}, открыл{a} коробку, а там сколы на корпусе. Заказ {order}.",
            ],
            "ask": ["Очень жаль, что покупка пришла в таком виде. Пришлите, пожалуйста, фото повреждения и упаковки — так мы быстрее оформим замену."],
            "answer": ["Отправил{a} фото во вложении.", "Фото прикрепил{a}, посмотрите. Коробку тоже сфотографировал{a}."],
            "hold": ["Передал{ag} запрос на склад, чтобы проверить наличие замены. Напишу вам, как только будет ответ."],
            "hold_update": ["Склад подтвердил замену: {new_acc} {prod_acc} привезут {date}, курьер заберёт повреждённый товар в тот же день. Доставка бесплатная."],
            "lead": "Очень жаль, что покупка пришла в таком виде.",
            "resolve": ["Оформил{ag} замену: {new_acc} {prod_acc} привезут {date}, курьер заберёт повреждённый товар при доставке. Ничего доплачивать не нужно."],
            "push": ["А можно не замену, а сразу вернуть деньги? Больше не хочу рисковать.",
                     "Почему нельзя привезти раньше? Мне нужно успеть до выходных."],
            "calm": ["Конечно, можно и так. Оформил{ag} возврат денег вместо замены: курьер заберёт товар {date}, деньги ({amount}) придут на карту в течение 3–5 рабочих дней.",
                     "Раньше, к сожалению, не получится: замена едет с центрального склада. Но я отметил{ag} заказ как приоритетный, и если он приедет раньше, курьер сразу свяжется с вами."],
            "rude": ["Как я уже писал{ag}, замену привезут {date}. Это не моя проблема, что товар повредили при перевозке.",
                     "Читайте инструкцию на сайте: сначала замена, потом всё остальное."],
            "reopen": ["Здравствуйте, {new} {prod} тоже {came} с дефектом, {it} не {works}. Это уже второй раз!"],
            "reopen_fix": ["Проверил{ag} ещё раз: похоже, брак во всей партии. Оформил{ag} возврат денег: курьер заберёт товар завтра, деньги ({amount}) придут на карту в течение 3–5 рабочих дней."],
        },
        "en": {
            "open": [
                "Hi! The {prod_en} arrived today with a cracked case, and the box is all crushed. What should I do?",
                "Hello. The {prod_en} from order {order} is faulty, it doesn't switch on at all.",
            ],
            "ask": ["That's not how your order should have arrived. Could you please send photos of the damage and of the packaging? That way we can arrange a replacement faster."],
            "answer": ["Photos attached.", "I've attached the photos, including the box."],
            "hold": ["I've asked the warehouse to check stock for a replacement and will write as soon as I hear back."],
            "hold_update": ["The warehouse has confirmed a replacement: a new {prod_en} will be delivered on {date}, and the courier will collect the damaged one on the same day. Delivery is free."],
            "lead": "That's not how your order should have arrived.",
            "resolve": ["I've arranged a replacement: a new {prod_en} will be delivered on {date}, and the courier will collect the damaged one on delivery. There's nothing extra to pay."],
            "push": ["Can I just get a refund instead? I don't want to risk it again.",
                     "Why can't you deliver it sooner? I need it for the weekend."],
            "calm": ["Of course. I've switched it to a refund: the courier will collect the item on {date}, and {amount} will be back on your card within 3–5 business days.",
                     "Unfortunately we can't deliver before {date}, as the replacement ships from our central warehouse. I've marked it as a priority, so if it arrives earlier, the courier will contact you right away."],
            "rude": ["As I already said, the replacement comes on {date}. Damage in transit is not my problem.",
                     "Calm down, please. You'll get the replacement on {date}."],
            "reopen": ["Hi, the replacement {prod_en} is faulty too, it doesn't work. This is the second time!"],
            "reopen_fix": ["I checked again, and it looks like the whole batch is defective. I've arranged a full refund: the courier will collect the item tomorrow, and {amount} will be back on your card within 3–5 business days."],
        },
    },
    "wrong_item": {
        "team": "Возвраты", "priority": {"urgent": 0, "high": 20, "normal": 65, "low": 15},
        "ru": {
            "open": ["Здравствуйте! В заказе {order} вместо {prod_gen} привезли совсем другое — {other}. Как обменять?",
                     "Добрый день, мне пришёл не тот товар. Заказывал{a} {prod_acc}, а в коробке {other}."],
            "ask": ["Подскажите, пожалуйста, на коробке есть наклейка с номером заказа? Пришлите, пожалуйста, её фото, чтобы мы нашли, где произошла ошибка."],
            "answer": ["Да, наклейка с номером {order_no}, фото прикрепил{a}."],
            "hold": ["Передал{ag} информацию на склад, там проверят комплектацию заказа. Вернусь к вам с ответом."],
            "hold_update": ["Склад подтвердил ошибку при сборке заказа. {Prod_acc} привезут {date}, а курьер заберёт то, что доставили по ошибке."],
            "resolve": ["Видим ошибку при сборке заказа. Оформил{ag} обмен: {prod_acc} привезут {date}, курьер заберёт ошибочный товар в момент доставки. Для вас это бесплатно."],
            "push": ["А раньше никак? Я покупал{a} в подарок, праздник уже завтра."],
            "calm": ["Понимаю, что ситуация неприятная. Раньше {date} доставить, к сожалению, не получится, но можно забрать товар уже завтра в нашем пункте выдачи на Тверской — я его там зарезервировал{ag}."],
            "rude": ["Как я уже писал{ag}, привезут {date}. Быстрее не получится."],
            "reopen": ["Здравствуйте. Обмен по заказу {order} так и не привезли, курьер не приехал в назначенный день."],
            "reopen_fix": ["Проверил{ag}: доставку перенесли из-за загрузки курьерской службы, но вас не предупредили. Новая дата — завтра с 12:00 до 16:00, курьер позвонит заранее."],
        },
        "en": {
            "open": ["Hi, order {order} arrived, but instead of the {prod_en} I got {other}. How do I exchange it?"],
            "ask": ["Is there a sticker with the order number on the box? Could you send us a photo of it so we can find where the mix-up happened?"],
            "answer": ["Yes, the sticker says {order}, photo attached."],
            "hold": ["I've passed this on to the warehouse so they can check how the order was packed. I'll get back to you."],
            "hold_update": ["The warehouse has confirmed a packing error. The {prod_en} will be delivered on {date}, and the courier will take back the wrong item."],
            "resolve": ["I can see there was a packing error. I've arranged an exchange: the {prod_en} will be delivered on {date}, and the courier will take back the wrong item at the same time. It's free of charge."],
            "push": ["Is there any way to get it sooner? It's a gift and the party is tomorrow."],
            "calm": ["I understand, that's really bad timing. We can't deliver before {date}, but I've reserved one for you at our Tverskaya pickup point, so you can collect it tomorrow."],
            "rude": ["As I said, it comes on {date}. Not my problem that you ordered it so late."],
            "reopen": ["Hello, the exchange for order {order} never arrived, the courier didn't come on the agreed day."],
            "reopen_fix": ["I checked: the delivery was rescheduled because the courier service was overloaded, and nobody told you. The new slot is tomorrow between 12 and 4 pm, and the courier will call in advance."],
        },
    },
    "payment": {
        "team": "Первая линия", "priority": {"urgent": 15, "high": 45, "normal": 40, "low": 0},
        "ru": {
            "open": ["Добрый день! За заказ {order} деньги списали дважды — в банке две операции по {amount}. Верните, пожалуйста, лишнее.",
                     "Здравствуйте, оплатил{a} заказ картой, на сайте пишет «Не оплачен», а деньги с карты ушли. Что делать?"],
            "ask": ["Пришлите, пожалуйста, скриншот операции из банковского приложения (номер карты можно закрыть) — так мы быстрее найдём платёж."],
            "answer": ["Скриншот во вложении.", "Отправил{a}, посмотрите, пожалуйста."],
            "hold": ["Передал{ag} данные в финансовый отдел, они проверят платёж в банке. Ответ обычно приходит в течение рабочего дня."],
            "hold_update": ["Финансовый отдел проверил платёж: вторая операция была технической блокировкой, а не списанием. Мы её отменили, деньги станут доступны на карте в течение 3 рабочих дней."],
            "resolve": ["Вижу две попытки оплаты: вторая не прошла на нашей стороне, поэтому деньги по ней только заблокированы банком, а не списаны. Блокировка снимется автоматически в течение 3 рабочих дней, а заказ {order} оплачен и уже собирается."],
            "push": ["Три дня?! Это мои деньги, почему я {dolzhen} ждать из-за вашей ошибки?"],
            "calm": ["Понимаю ваше возмущение. Я отправил{ag} в банк запрос на досрочную отмену блокировки — обычно так получается быстрее, в течение суток."],
            "rude": ["Как я уже писал{ag}, это блокировка банка. Это не моя проблема, все вопросы к вашему банку."],
            "reopen": ["Здравствуйте, прошло уже три рабочих дня, а деньги по второй операции так и не вернулись."],
            "reopen_fix": ["Проверил{ag} ещё раз: банк не получил нашу отмену из-за сбоя. Сегодня отправили её повторно, деньги вернутся в течение 1–2 рабочих дней. Номер операции для банка — {code}."],
        },
        "en": {
            "open": ["Hello, I was charged twice for order {order}, there are two payments of {amount} in my banking app. Please refund the extra one.",
                     "Hi, I paid for my order by card, the website says \"Not paid\" but the money has left my account. What should I do?"],
            "ask": ["Could you please send a screenshot of the payment from your banking app? You can hide the card number. It will help us find the payment faster."],
            "answer": ["Screenshot attached.", "Sent it, please have a look."],
            "hold": ["I've passed the details to our finance team so they can check the payment with the bank. They usually reply within one business day."],
            "hold_update": ["Our finance team checked the payment: the second charge was a temporary hold, not an actual charge. We've cancelled it, and the money will be available on your card within 3 business days."],
            "resolve": ["I can see two payment attempts: the second one failed on our side, so that money is only on hold at your bank, not charged. The hold will be released automatically within 3 business days, and order {order} is paid and being packed."],
            "push": ["Three days?! It's my money, why should I wait because of your mistake?"],
            "calm": ["I understand, that's annoying. I've asked the bank to release the hold early, which usually takes less than a day."],
            "rude": ["Calm down. It's a bank hold, not my problem, talk to your bank."],
            "reopen": ["Hi, it's been three business days and the second payment still hasn't been returned."],
            "reopen_fix": ["I checked again: the bank never received our cancellation because of a system error. We resent it today, and the money will be back within 1–2 business days. The transaction number for your bank is {code}."],
        },
    },
    "promo": {
        "team": "Первая линия", "priority": {"urgent": 0, "high": 5, "normal": 60, "low": 35},
        "ru": {
            "open": ["Здравствуйте! Промокод {promo} не применяется, пишет \"Промокод недействителен\". Хотел{a} купить {prod_acc}.",
                     "Добрый день. Почему не работает промокод {promo}? Его прислали в рассылке, срок действия до конца месяца."],
            "ask": ["Подскажите, пожалуйста, какие товары лежат в корзине? Промокод действует не на все категории."],
            "answer": ["Только {prod}, больше ничего."],
            "resolve": ["Промокод {promo} действует только на товары без скидки, а на {prod_acc} сейчас уже действует акционная цена, поэтому код не применился. Чтобы вы не остались без выгоды, я начислил{ag} вам {bonus} бонусных баллов — их можно списать при оформлении этого же заказа."],
            "push": ["Ну и зачем тогда присылать такие промокоды, если они не работают?"],
            "calm": ["{agree}, условия в письме были написаны мелко — я передал{ag} это коллегам из маркетинга. Бонусные баллы уже на вашем счёте, их можно использовать сразу."],
            "rude": ["Читайте инструкцию к промокоду, условия указаны в письме."],
            "reopen": ["Здравствуйте, баллы, которые вы начислили, так и не появились в личном кабинете."],
            "reopen_fix": ["Проверил{ag}: баллы ушли на другой аккаунт с похожим номером телефона. Мы перенесли их на ваш аккаунт, сейчас они уже отображаются в разделе «Бонусы»."],
        },
        "en": {
            "open": ["Hi! The promo code {promo} doesn't work, it says \"Invalid code\". I wanted to buy the {prod_en}.",
                     "Hello, why doesn't the code {promo} work? It came in your newsletter and is valid until the end of the month."],
            "ask": ["Could you tell me what's in your cart? The code only works for some categories."],
            "answer": ["Just the {prod_en}, nothing else."],
            "resolve": ["The code {promo} only applies to full-price items, and the {prod_en} is already on sale, so the code wasn't accepted. So you don't miss out, I've added {bonus} bonus points to your account, and you can use them on this order."],
            "push": ["Then why send codes that don't work?"],
            "calm": ["Fair point, the conditions in the email were in small print, and I've passed that on to our marketing team. The bonus points are already in your account."],
            "rude": ["The conditions are in the email. Not my problem if you didn't read them."],
            "reopen": ["Hi, the bonus points you added never showed up in my account."],
            "reopen_fix": ["I checked: the points went to another account with a similar phone number. We've moved them to yours, and they now show in the Bonuses section."],
        },
    },
    "address": {
        "team": "Первая линия", "priority": {"urgent": 0, "high": 25, "normal": 65, "low": 10},
        "ru": {
            "open": ["Добрый день! Можно изменить адрес доставки по заказу {order}? Новый адрес: {street}.",
                     "Здравствуйте, не успеваю домой к доставке. Можно перенести заказ {order} на другой день?",
                     "Здравствуйте! Заказ {order} хочу получить не дома, а на работе: {street}. Можно поменять адрес?"],
            "ask": ["Подскажите, пожалуйста, какой интервал доставки вам удобен: с 10:00 до 14:00 или с 14:00 до 18:00?"],
            "answer": ["Лучше с 14:00 до 18:00.", "С 10 до 14, пожалуйста."],
            "resolve": ["Изменил{ag} данные доставки по заказу {order}: заказ привезут {date}, курьер позвонит за час до приезда."],
            "push": ["А можно, чтобы курьер позвонил заранее, а не за час?"],
            "calm": ["Конечно, добавил{ag} комментарий для курьера: он позвонит накануне вечером и ещё раз за час до приезда."],
            "rude": ["Как я уже писал{ag}, курьер звонит за час. Так работает служба доставки."],
            "reopen": ["Здравствуйте! Курьер всё равно поехал по старому адресу и звонит мне оттуда."],
            "reopen_fix": ["Проверил{ag}: изменения не дошли до службы доставки. Мы связались с курьером напрямую, он привезёт заказ на новый адрес сегодня до 20:00."],
        },
        "en": {
            "open": ["Hi! Can I change the delivery address for order {order}? The new address is {street}.",
                     "Hello, I won't be home for the delivery. Can order {order} be moved to another day?"],
            "ask": ["Which delivery slot works best for you: 10 am to 2 pm or 2 pm to 6 pm?"],
            "answer": ["2 to 6 pm would be better.", "10 to 2, please."],
            "resolve": ["I've updated the delivery details for order {order}: it will be delivered on {date}, and the courier will call an hour before."],
            "push": ["Could the courier call earlier than an hour before?"],
            "calm": ["Sure, I've added a note for the courier: they'll call the evening before and again an hour before arriving."],
            "rude": ["As I said, couriers call an hour before. Not my problem."],
            "reopen": ["Hi! The courier went to the old address anyway and is calling me from there."],
            "reopen_fix": ["I checked: the change never reached the courier company. We've contacted the courier directly, and they'll bring the order to the new address today before 8 pm."],
        },
    },
    "login": {
        "team": "Первая линия", "priority": {"urgent": 0, "high": 15, "normal": 70, "low": 15},
        "ru": {
            "open": ["Не могу войти в личный кабинет, код из смс не приходит уже полчаса.",
                     "Здравствуйте. Не получается зайти в приложение — пишет «Слишком много попыток, попробуйте позже». Что делать?"],
            "ask": ["Подскажите, пожалуйста, номер телефона, на который зарегистрирован аккаунт."],
            "answer": ["{phone}", "Номер {phone}."],
            "resolve": ["Сбросил{ag} блокировку: после нескольких неверных попыток вход временно ограничивается на сутки. Сейчас код должен прийти — попробуйте, пожалуйста, войти ещё раз."],
            "push": ["Я уже трижды перезагружал{a} телефон, ничего не помогает!"],
            "calm": ["Понимаю, это раздражает. Включил{ag} для вашего номера вход по звонку: последние четыре цифры входящего номера и будут кодом."],
            "rude": ["Как я уже писал{ag}, блокировку я снял{ag}. Читайте инструкцию в приложении, раздел «Вход»."],
            "reopen": ["Снова не могу войти, код опять не приходит."],
            "reopen_fix": ["Проверил{ag}: ваш оператор связи блокировал смс с нашего короткого номера. Включили отправку кода через звонок — последние четыре цифры номера, с которого вам позвонят, и будут кодом."],
        },
        "en": {
            "open": ["I can't log in to my account, the SMS code hasn't come for half an hour.",
                     "Hello, the app says \"Too many attempts, try again later\" and won't let me log in. What do I do?"],
            "ask": ["Could you tell me the phone number your account is registered to?"],
            "answer": ["{phone}", "It's {phone}."],
            "resolve": ["I've reset the lock: after several wrong attempts, login is blocked for 24 hours. The code should come through now, please try logging in again."],
            "push": ["I've restarted my phone three times already, nothing helps!"],
            "calm": ["I understand, that's annoying. I've switched your number to call-based login: the last four digits of the incoming number will be your code."],
            "rude": ["Calm down, I already reset it. Just try again."],
            "reopen": ["I can't log in again, the code isn't coming."],
            "reopen_fix": ["I checked: your mobile operator was blocking texts from our short number. We've switched you to codes by phone call, so the last four digits of the calling number are your code."],
        },
    },
    "warranty": {
        "team": "Возвраты", "priority": {"urgent": 0, "high": 15, "normal": 65, "low": 20},
        "ru": {
            "open": ["Здравствуйте! {Prod} {broke} через два месяца после покупки. Гарантия ещё действует, что делать?",
                     "Добрый день. Купил{a} у вас {prod_acc} в сентябре, а теперь {it} не {works}. Это гарантийный случай?"],
            "ask": ["Подскажите, пожалуйста, номер заказа или пришлите фото чека — проверим гарантийный срок."],
            "answer": ["Заказ {order}, чек тоже сохранился."],
            "hold": ["Передал{ag} заявку в сервисный центр, они согласуют дату, когда курьер заберёт товар. Вернусь к вам с ответом."],
            "hold_update": ["Сервисный центр подтвердил приём: курьер заберёт {prod_acc} {date}, диагностика займёт до 14 дней. Если ремонт невозможен, вернём деньги или заменим товар."],
            "resolve": ["Оформил{ag} гарантийное обращение по заказу {order}. Курьер заберёт {prod_acc} {date} и отвезёт в сервисный центр, диагностика займёт до 14 дней. Доставка за наш счёт."],
            "push": ["14 дней без техники? А подменный на время ремонта можно?"],
            "calm": ["Подменный фонд у нас, к сожалению, не предусмотрен, но я попросил{ag} сервисный центр провести диагностику в приоритетном порядке — обычно это 3–5 дней."],
            "rude": ["Как я уже писал{ag}, диагностика до 14 дней. Это не моя проблема."],
            "reopen": ["Здравствуйте, курьер так и не забрал {prod_acc} в сервис, я прождал{a} весь день."],
            "reopen_fix": ["Проверил{ag}: заявку на забор не передали курьерской службе. Оформил{ag} её повторно, курьер приедет завтра с 10:00 до 14:00 и позвонит за час."],
        },
        "en": {
            "open": ["Hi! My {prod_en} broke two months after I bought it. It's still under warranty, what should I do?"],
            "ask": ["Could you give me the order number or send a photo of the receipt? We'll check the warranty period."],
            "answer": ["Order {order}, I have the receipt too."],
            "hold": ["I've sent a request to the service center, they'll agree a date for the courier to collect the item. I'll get back to you."],
            "hold_update": ["The service center has confirmed: the courier will collect the {prod_en} on {date}, and the diagnostics take up to 14 days. If it can't be repaired, we'll refund or replace it."],
            "resolve": ["I've opened a warranty claim for order {order}. The courier will collect the {prod_en} on {date} and take it to the service center; diagnostics take up to 14 days. Shipping is on us."],
            "push": ["14 days without it? Can I get a loaner in the meantime?"],
            "calm": ["We don't have loaners, unfortunately, but I've asked the service center to prioritise your repair, which usually takes 3–5 days."],
            "rude": ["As I said, up to 14 days. Not my problem."],
            "reopen": ["Hi, the courier never came to collect the {prod_en}, I waited in all day."],
            "reopen_fix": ["I checked: the pickup request never reached the courier company. I've booked it again, and the courier will come tomorrow between 10 am and 2 pm and call an hour before."],
        },
    },
    "cancel": {
        "team": "Первая линия", "priority": {"urgent": 3, "high": 20, "normal": 62, "low": 15},
        "ru": {
            "open": ["Здравствуйте, отмените, пожалуйста, заказ {order}, я передумал{a}.",
                     "Добрый день! Случайно оформил{a} два одинаковых заказа, {order} нужно отменить.",
                     "Можно ещё отменить заказ {order}? Он уже не нужен."],
            "resolve": ["Заказ {order} отменён. Деньги ({amount}) вернутся на карту в течение 3–5 рабочих дней — точный срок зависит от банка."],
            "push": ["А побыстрее никак? Мне эти деньги нужны сейчас."],
            "calm": ["Со своей стороны мы уже отправили возврат, дальше срок зависит только от банка. Обычно деньги приходят на второй-третий день."],
            "rude": ["Как я уже писал{ag}, это зависит от банка."],
            "reopen": ["Здравствуйте! Прошло уже пять рабочих дней после отмены заказа {order}, а деньги так и не вернулись."],
            "reopen_fix": ["Проверил{ag}: возврат завис из-за сбоя платёжной системы. Сегодня деньги отправлены повторно, номер операции для банка — {code}."],
        },
        "en": {
            "open": ["Hi, please cancel order {order}, I changed my mind.",
                     "Hello! I accidentally placed the same order twice, please cancel {order}.",
                     "Can I still cancel order {order}? I don't need it anymore."],
            "resolve": ["Order {order} has been cancelled. The {amount} will be back on your card within 3–5 business days, depending on your bank."],
            "push": ["Can't it be faster? I need that money now."],
            "calm": ["We've already sent the refund on our side, so the rest depends on your bank. The money usually arrives in two or three days."],
            "rude": ["As I said, it depends on your bank. Not my problem."],
            "reopen": ["Hi! It's been five business days since I cancelled order {order} and the money still hasn't come back."],
            "reopen_fix": ["I checked: the refund got stuck because of a payment system error. We resent it today, and the transaction number for your bank is {code}."],
        },
    },
    "bonus": {
        "team": "Первая линия", "priority": {"urgent": 0, "high": 0, "normal": 60, "low": 40},
        "ru": {
            "open": ["Добрый день! Не начислились бонусы за заказ {order}, а получил{a} я его ещё на прошлой неделе."],
            "resolve": ["Бонусы начисляются через 14 дней после получения заказа — столько длится срок возврата. По заказу {order} баллы придут автоматически {date14}."],
            "push": ["Странно, в прошлый раз пришли сразу."],
            "calm": ["Правила поменялись в октябре, раньше баллы действительно начислялись сразу. Я проверил{ag}: по вашему заказу всё в порядке, баллы придут {date14}."],
            "rude": ["Читайте инструкцию программы лояльности, там всё написано."],
            "reopen": ["Здравствуйте! Посмотрел{a} в личном кабинете: заказа {order} вообще нет в истории покупок. Боюсь, баллы так и не придут."],
            "reopen_fix": ["Проверил{ag}: заказ не был привязан к вашей карте лояльности. Привязал{ag} его вручную, теперь он есть в истории, и баллы придут в срок."],
        },
        "en": {
            "open": ["Hello! I didn't get bonus points for order {order}, and I received it last week."],
            "resolve": ["Bonus points are added 14 days after you receive an order, once the return period is over. For order {order} they'll arrive automatically on {date14}."],
            "push": ["Strange, last time they came straight away."],
            "calm": ["The rules changed in October; before that, points were indeed added immediately. I checked your order and everything's fine, the points will arrive on {date14}."],
            "rude": ["It's in the loyalty program rules. Not my problem."],
            "reopen": ["Hi! I checked my account and order {order} isn't in my purchase history at all. I'm worried the points will never come."],
            "reopen_fix": ["I checked: the order wasn't linked to your loyalty card. I've linked it manually, it now shows in your history, and the points will arrive on time."],
        },
    },
}
# hours between the solve and the customer's reopening message (the reopen texts depend on it)
REOPEN_GAP = {"delivery": (20, 50), "return": (110, 160), "damaged": (30, 70),
              "wrong_item": (24, 50), "payment": (72, 100), "promo": (3, 30), "address": (2, 8),
              "login": (20, 50), "warranty": (20, 50), "cancel": (110, 160), "bonus": (48, 120)}
# reopenings about a courier visit happen on (or the day after) the promised delivery date:
# topic -> (days after the date, earliest hour, latest hour)
REOPEN_AT_DATE = {"delivery": (0, 18.5, 21), "address": (0, 11, 16), "wrong_item": (1, 9, 13),
                  "warranty": (0, 18, 21)}
# on the phone an agent can only ask for things the caller can say (no photos or screenshots)
PHONE_ASK_OK = ("delivery", "return", "promo", "address", "login", "warranty")
TOPIC_WEIGHTS = {"delivery": 22, "return": 13, "damaged": 9, "wrong_item": 5, "payment": 9,
                 "promo": 8, "address": 8, "login": 7, "warranty": 7, "cancel": 8, "bonus": 4}

# Written on behalf of the account holder (a relative): the agent then names the customer in the
# third person, in genitive, dative, accusative and instrumental cases.
ON_BEHALF = {
    "delivery": {
        "open": "Здравствуйте! Пишу за {rel_acc}: заказ {order} оформлен на {N_acc} {S_acc}, доставка должна была быть вчера, но курьер так и не приехал. Где заказ?",
        "resolve": "Нашли заказ {order}, оформленный на {N_acc} {S_acc}: посылка задержалась на сортировочном центре, сейчас она уже у курьера. Заказ привезут {date} с 10:00 до 18:00, курьер позвонит {N_dat} за час до приезда. Если удобнее, можем договориться о доставке напрямую с {N_ins}.",
    },
    "address": {
        "open": "Добрый день. Пишу по заказу {rel_gen}, {N_gen} {S_gen}: заказ {order} нужно перенести на другой день, {pron} в отъезде и вернётся только через три дня.",
        "resolve": "Перенесли доставку заказа {order}, оформленного на {N_acc} {S_acc}, на {date}. Курьер позвонит {N_dat} утром в день доставки. Если {N} не сможет встретить курьера, заказ можно получить по доверенности.",
    },
}
RELATIVES = {"f": [("маму", "мамы"), ("жену", "жены"), ("сестру", "сестры"), ("бабушку", "бабушки")],
             "m": [("папу", "папы"), ("мужа", "мужа"), ("брата", "брата"), ("дедушку", "дедушки")]}

REOPEN2 = {
    "ru": ("И снова здравствуйте. Вопрос так и не решён, пишу уже второй раз!",
           "Разобрались окончательно: ошибка была в нашей системе, сейчас всё исправлено. В качестве компенсации начислили вам {bonus} бонусных баллов."),
    "en": ("Hello again. This still isn't fixed, and it's the second time I'm writing!",
           "We've got to the bottom of it: the error was in our system, and it's fixed now. We've added {bonus} bonus points to your account to make up for it."),
}
THANKS = {
    "ru": ["Хорошо, спасибо за информацию!", "Понял{a}, спасибо.",
           "Отлично, спасибо! Всё понятно.", "Спасибо большое за помощь!",
           "Ок, спасибо.", "Спасибо, хорошего дня!"],
    "en": ["Great, thanks for the info!", "Got it, thank you.",
           "Perfect, thanks!", "Thanks a lot for your help!", "Ok, thanks. Have a nice day!"],
}
THANKS_WAIT = {"ru": ["Спасибо, буду ждать.", "Спасибо, жду."], "en": ["Thanks, I'll wait.", "OK, I'll be waiting."]}
WAIT_TOPICS = ("delivery", "damaged", "wrong_item", "warranty", "address", "return")
THANKS_BEHALF = ["Спасибо, передам {pron_dat}.", "Хорошо, спасибо, передам."]
CHAT_EXTRA = {"ru": ["Заказ {order}, если что.", "Есть кто-нибудь?", "Это срочно!"],
              "en": ["Order {order}, by the way.", "Hello? Anyone there?", "It's urgent!"]}
NUDGE = {"ru": ["Прошло уже два дня, ответа нет. Вы вообще работаете?",
                "Ау! Есть кто живой? Жду ответа со вчерашнего дня.",
                "Напоминаю о своём вопросе, ответа до сих пор нет."],
         "en": ["It's been two days and still no answer. Is anyone there?",
                "Hello?? Still waiting for a reply since yesterday.",
                "Just following up, I still haven't heard back."]}
CHAT_INTRO = {"ru": ["Меня зовут {me}, сейчас посмотрю.", "Меня зовут {me}, минуту, проверяю.",
                     "Сейчас всё проверю."],
              "en": ["My name is {me}, let me check that for you.", "This is {me}, one moment please.",
                     "Let me look into that."]}
CHAT_INTRO_BARE = {"ru": ["Минуту, проверяю.", "Сейчас посмотрю."],
                   "en": ["One moment, checking.", "Let me check."]}
APOLOGY_TEXT = {
    "ru": ["Извините за долгое ожидание.", "Извините за долгое ожидание!", "Извините за ожидание!",
           "Простите за задержку с ответом.",
           "Приносим извинения за долгое ожидание.", "Извиняемся за ожидание.",
           "Приносим извинения за задержку с ответом."],
    "en": ["Sorry for the wait!", "Sorry for the delay in getting back to you.",
           "Apologies for the delay.", "We apologize for the delay.", "Sorry for the long wait."],
}
LATE_NEXT_APOLOGY = {"ru": ["Извините за задержку с ответом.", "Простите, что долго не отвечал{ag}."],
                     "en": ["Sorry for the slow reply.", "Apologies for the delay."]}
REOPEN_OPENER = {"ru": ["Очень жаль, что так вышло.", "Понимаю, как это неприятно."],
                 "en": ["I'm really sorry this happened.", "That's frustrating, I understand."]}
CLOSING = {
    "ru": {"day": ["Спасибо за обращение! Хорошего дня.", "Спасибо за обращение, всего доброго!",
                   "Если появятся вопросы — пишите, будем рады помочь. Хорошего дня!",
                   "Благодарим за обращение, хорошего дня!", "Всего доброго!",
                   "Ещё раз спасибо за обращение, хорошего дня!"],
           "evening": ["Спасибо за обращение! Хорошего вечера.", "Всего доброго и хорошего вечера!",
                       "Спасибо за ваше обращение, всего хорошего!"],
           "night": ["Спасибо за обращение! Доброй ночи.", "Всего доброго!"],
           "after_thanks": ["Рады были помочь{, N}! {wish}", "Пожалуйста! Спасибо за обращение, всего хорошего.",
                            "Обращайтесь! {wish}", "Спасибо за ваше обращение! Всего доброго."],
           "reopened": ["Спасибо за ваши обращения и за терпение! Всего хорошего.",
                        "Ещё раз спасибо за терпение и за обращение. Всего доброго!"]},
    "en": {"day": ["Thanks for reaching out, have a great day!", "Thank you for contacting us. Have a nice day!",
                   "Take care and have a great day!", "Thanks for reaching out!"],
           "evening": ["Have a great evening!", "Thanks for reaching out, and have a good evening!"],
           "night": ["Thanks for reaching out, take care!"],
           "after_thanks": ["You're welcome{, N}! Have a great day.", "Glad I could help! Take care.",
                            "Happy to help, thanks for reaching out!"],
           "reopened": ["Thank you for your patience, and thanks for reaching out again. Have a great day!"]},
}
WISH = {"ru": {"day": "Хорошего дня!", "evening": "Хорошего вечера!", "night": "Доброй ночи!"},
        "en": {"day": "Have a great day!", "evening": "Have a great evening!", "night": "Take care!"}}
SHOP_SIGNATURE = {"ru": "Служба поддержки «Домосфера»\n8 800 555-35-35", "en": "Domosfera Customer Care"}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def iso(dt: datetime) -> str:
    return dt.astimezone(MSK).isoformat()


def wchoice(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def loguniform(rng: random.Random, lo: float, hi: float) -> int:
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def lcfirst(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not s[:2].isupper() else s


def deyo(s: str) -> str:
    return s.replace("ё", "е").replace("Ё", "Е")


def daypart(dt: datetime) -> str:
    h = dt.astimezone(MSK).hour
    return "day" if 5 <= h < 18 else ("evening" if 18 <= h < 23 else "night")


def to_working_hours(rng: random.Random, dt: datetime) -> datetime:
    """Late replies are typically written the next morning rather than at 3 am."""
    local = dt.astimezone(MSK)
    if local.hour < 8:
        return local.replace(hour=9, minute=0, second=0) + timedelta(seconds=rng.randint(0, 3000))
    if local.hour >= 22:
        nxt = (local + timedelta(days=1)).replace(hour=9, minute=0, second=0)
        return nxt + timedelta(seconds=rng.randint(0, 3000))
    return local


def fmt_date(d: datetime, lang: str) -> str:
    d = d.astimezone(MSK)
    return f"{d.day} {MONTHS_RU[d.month - 1]}" if lang == "ru" else f"{MONTHS_EN[d.month - 1]} {d.day}"


def norm(text: str) -> str:
    """The normalisation STANDARD.md prescribes: NFKC, case fold, ё as е, white space collapsed."""
    t = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return re.sub(r"\s+", " ", t).strip()


def find_phrase(text: str, phrases) -> str | None:
    """First phrase found in `text` on word boundaries (exact word forms, no stemming)."""
    t = norm(text)
    for p in phrases:
        m = re.search(r"(?<!\w)" + re.escape(norm(p)) + r"(?!\w)", t)
        if m:
            return m.group(0)
    return None


# --------------------------------------------------------------------------------------------
# Planning: who, when, what, and which faults
# --------------------------------------------------------------------------------------------
class Plan:
    """Everything decided about one ticket before its conversation is written."""

    def __init__(self, **kw):
        self.bot = False
        self.kind = "normal"             # normal | unanswered-pending | unanswered-breached
        self.first_kind = "resolve"      # resolve | ask | hold | ask_hold
        self.stall = None                # None | pending | hold | open: the ticket is left unresolved
        self.push = None                 # None | calm | rude
        self.ending = "A"                # A: closing in the answer; B: customer thanks, agent closes
        self.reopens = 0
        self.late_first = False
        self.apology = True
        self.greet = True
        self.name_used = True
        self.name_in_greeting = True
        self.closing = True
        self.late_next = None            # None | ask | push | thanks | reopen
        self.on_behalf = False
        self.chat_extra = False
        self.nudge = False
        self.__dict__.update(kw)


def pick_created(rng: random.Random) -> datetime:
    days = []
    d = START
    while d < END:
        w = 1.0 if d.weekday() < 5 else (0.55 if d.weekday() == 5 else 0.45)
        if d.date() == HOLIDAY:
            w = 0.5
        days.append((d, w))
        d += timedelta(days=1)
    day = rng.choices([x[0] for x in days], weights=[x[1] for x in days])[0]
    hour_w = [0.15, 0.1, 0.08, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.8, 1.8, 1.6, 1.6, 1.6, 1.5,
              1.4, 1.3, 1.1, 1.0, 0.9, 0.7, 0.5, 0.3]
    hour = rng.choices(range(24), weights=hour_w)[0]
    return day + timedelta(hours=hour, seconds=rng.randint(0, 3599))


def make_customer(rng: random.Random, lang: str):
    g = rng.choice(["f", "m"])
    if lang == "ru":
        first = rng.choice(list(RU_FEMALE if g == "f" else RU_MALE))
        sur = rng.choice(RU_SURNAMES)
        sforms = surname_forms(sur, g)
    else:
        first = rng.choice(EN_FEMALE if g == "f" else EN_MALE)
        sur = rng.choice(EN_SURNAMES)
        sforms = (sur,) * 5
    r = rng.random()
    if r < 0.12:
        display = ""                                  # no name in the export
    elif r < 0.27:
        display = first                               # first name only
    else:
        display = f"{first} {sforms[0]}"
    return g, first, sforms, display


def pick_agent(rng: random.Random, lang: str, topic: str) -> dict:
    by = {a["name"]: a for a in AGENTS}
    team = TOPICS[topic]["team"]
    if lang == "ru":
        if team == "Первая линия":
            return by[rng.choice(["Ольга Смирнова", "Дмитрий Козлов"])]
        return by["Марина Волкова"] if rng.random() < 0.6 else by["Ivan Petrov"]
    if team == "Возвраты" and rng.random() < 0.35:
        return by["Ivan Petrov"]
    return by["Emma Clark"] if rng.random() < 0.53 else by["James Walker"]


def plan_tickets(rng: random.Random, n: int) -> list[Plan]:
    n_unans = max(2, round(n * 0.05))
    n_unans_pending = max(1, n_unans // 3)
    plans = []
    for _ in range(n):
        lang = "ru" if rng.random() < 0.6 else "en"
        topic = wchoice(rng, TOPIC_WEIGHTS)
        channel = wchoice(rng, {"email": 34, "chat": 34, "web": 21, "phone": 11})
        g, first, sforms, display = make_customer(rng, lang)
        prio = wchoice(rng, TOPICS[topic]["priority"])
        plans.append(Plan(lang=lang, topic=topic, channel=channel, gender=g, first=first,
                          sforms=sforms, customer_name=display, priority=prio,
                          product=rng.choice(PRODUCTS), created=pick_created(rng),
                          agent=pick_agent(rng, lang, topic)))
    # unanswered tickets: a few created in the last hours before --as-of (still pending), the rest
    # older than any target (breached)
    idx = rng.sample(range(n), n_unans)
    for k, i in enumerate(idx):
        p = plans[i]
        p.agent = None
        if k < n_unans_pending:
            p.kind = "unanswered-pending"
            p.channel = rng.choice(["email", "web"])
            p.priority = rng.choice(["normal", "normal", "low"])
            p.created = AS_OF.astimezone(MSK) - timedelta(seconds=rng.randint(20 * 60, 140 * 60))
        else:
            p.kind = "unanswered-breached"
            p.channel = rng.choice(["email", "web", "chat", "chat"])
            p.bot = p.channel == "chat"
            p.created = START + timedelta(days=rng.randint(0, 18), hours=rng.randint(8, 21),
                                          seconds=rng.randint(0, 3599))
            p.nudge = rng.random() < 0.5
    plans.sort(key=lambda p: p.created)
    answered = [p for p in plans if p.kind == "normal"]
    late_cut = datetime(2026, 11, 20, tzinfo=MSK)
    reopen_cut = datetime(2026, 11, 17, tzinfo=MSK)

    for p in answered:
        ch = p.channel
        t = TOPICS[p.topic][p.lang]
        kinds = ["resolve"]
        if "ask" in t and (ch != "phone" or p.topic in PHONE_ASK_OK):
            kinds += ["ask", "ask"]
        if "hold" in t and ch in ("email", "web"):
            kinds += ["hold", "ask_hold"] if "ask" in t else ["hold"]
        p.first_kind = rng.choice(kinds)
        p.bot = ch == "chat" and rng.random() < 0.45
        p.chat_extra = ch == "chat" and rng.random() < 0.2
        p.ending = "B" if rng.random() < 0.4 else "A"
        if rng.random() < 0.12:
            p.push = "calm"
        p.name_in_greeting = rng.random() < 0.75

    def pick(pool, share_of, k=None, share=None):
        k = round(len(share_of) * share) if k is None else k
        pool = list(pool)
        return rng.sample(pool, min(k, len(pool)))

    # on behalf of a relative (ru, full name, simple flows)
    for p in pick([p for p in answered if p.lang == "ru" and " " in p.customer_name
                   and p.topic in ON_BEHALF and p.channel != "phone"], answered, k=max(1, round(len(answered) * 0.03))):
        p.on_behalf, p.first_kind, p.push, p.name_in_greeting = True, "resolve", None, False
        p.rel = rng.choice(RELATIVES[p.gender])
    # reopened (~8% of all tickets)
    for p in pick([p for p in answered if p.channel in ("email", "web") and not p.on_behalf
                   and p.created < reopen_cut - timedelta(hours=REOPEN_GAP[p.topic][1])],
                  plans, share=0.08):
        p.reopens = 2 if rng.random() < 0.25 else 1
    # stalled: the agent asked and the customer went silent (pending), or a third party is slow
    for p in pick([p for p in answered if p.channel in ("email", "web") and not p.reopens
                   and "ask" in TOPICS[p.topic][p.lang] and not p.on_behalf], plans, share=0.05):
        p.stall, p.first_kind, p.push = "pending", "ask", None
    for p in pick([p for p in answered if p.channel in ("email", "web") and not p.reopens
                   and not p.stall and "hold" in TOPICS[p.topic][p.lang] and not p.on_behalf
                   and p.created > END - timedelta(days=5)], plans, share=0.02):
        p.stall, p.first_kind, p.push = "hold", "hold", None
    # answered, but the agent set no status: the ticket stays open
    for p in pick([p for p in answered if p.channel in ("email", "web") and not p.reopens
                   and not p.stall and not p.on_behalf], plans, share=0.015):
        p.stall, p.push, p.ending = "open", None, "A"
        if p.first_kind in ("hold", "ask_hold"):
            p.first_kind = "resolve"
    # late first replies (~15% of answered), most with an apology, some without
    late = pick([p for p in answered if p.channel in ("email", "web") and p.created < late_cut],
                answered, share=0.15)
    for p in late:
        p.late_first = True
        p.apology = rng.random() < 0.62
    # late next replies
    for p in pick([p for p in answered if p.channel in ("email", "web") and not p.stall
                   and p.created < late_cut], answered, share=0.06):
        slots = []
        if p.first_kind in ("ask", "ask_hold"):
            slots.append("ask")
        if p.reopens:
            slots.append("reopen")
        if not slots:
            p.ending = "B"
            slots.append("thanks")
        p.late_next = rng.choice(slots)
    # rude replies (~4% of all tickets), mostly from two agents
    rude_pool = [p for p in answered if not p.stall and not p.on_behalf and p.channel != "phone"]
    k_rude = round(n * 0.04)
    from_rude = pick([p for p in rude_pool if p.agent["name"] in RUDE_AGENTS], plans,
                     k=round(k_rude * 0.7))
    others = pick([p for p in rude_pool if p.agent["name"] not in RUDE_AGENTS], plans,
                  k=k_rude - len(from_rude))
    for p in from_rude + others:
        p.push = "rude"
        p.ending = "A"
        if p.late_next == "thanks":
            p.late_next = None
    # missing greeting (~10% of answered)
    for p in pick(answered, answered, share=0.10):
        p.greet = False
    # name never used (~20% of answered tickets that have a name)
    named = [p for p in answered if p.customer_name and not p.on_behalf]
    for p in pick(named, [p for p in answered if p.customer_name], share=0.20):
        p.name_used = False
    # missing closing (~10% of answered; only where the closing would sit in the answer itself)
    for p in pick([p for p in answered if not p.stall], answered, share=0.10):
        p.closing = False
        if p.late_next == "thanks":
            p.late_next = None
        p.ending = "A"
    return plans


# --------------------------------------------------------------------------------------------
# Writing a conversation
# --------------------------------------------------------------------------------------------
class Conversation:
    def __init__(self, rng: random.Random, p: Plan, tid: str):
        self.rng, self.p, self.tid = rng, p, tid
        self.rows: list[dict] = []
        self.cur = p.created
        self.memo: dict[str, str] = {}
        self.date_dt: datetime | None = None
        lang = p.lang
        self.lang = lang
        a = p.agent
        self.me = (a[lang] if a else "")
        self.ag = "а" if a and a["g"] == "f" else ""
        self.cust_author = p.customer_name or f"user{rng.randint(1000, 99999)}@" + rng.choice(
            ["mail.ru", "yandex.ru", "gmail.com", "bk.ru"] if lang == "ru" else ["gmail.com", "outlook.com", "icloud.com"])
        pr = p.product
        order_no = rng.randint(4100000, 4999999)
        if lang == "ru":
            order = rng.choice([f"№ {order_no}", f"№{order_no}", f"{order_no}"])
        else:
            order = rng.choice([f"#{order_no}", f"{order_no}"])
        amount = rng.choice([1290, 2490, 3990, 5490, 7990, 12990, 18490, 27990, 34990, 45990])
        self.slots = {
            "order": order, "order_no": str(order_no), "prod": pr[0], "prod_acc": pr[1], "prod_gen": pr[2],
            "Prod": pr[0][:1].upper() + pr[0][1:], "Prod_acc": pr[1][:1].upper() + pr[1][1:], "prod_en": pr[4], **GENDERED[pr[3]],
            "amount": (f"{amount:,}".replace(",", " ") + " ₽") if lang == "ru" else f"{amount:,} RUB",
            "code": f"R-{rng.randint(10000, 99999)}", "track": str(rng.randint(10**9, 10**10 - 1)),
            "phone": f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            "promo": rng.choice(PROMOS), "bonus": rng.choice(["300", "500", "1000"]),
            "street": rng.choice(STREETS if lang == "ru" else STREETS_EN),
            "other": rng.choice(WRONG_ITEMS_RU if lang == "ru" else WRONG_ITEMS_EN),
            "a": "а" if p.gender == "f" else "", "ag": self.ag, "me": self.me,
            "dolzhen": "должна" if p.gender == "f" else "должен",
            "used": "пользовалась" if p.gender == "f" else "пользовался",
            "agree": "Согласна" if self.ag else "Согласен",
        }
        f = (RU_FEMALE if p.gender == "f" else RU_MALE).get(p.first) if lang == "ru" else None
        forms = f or (p.first,) * 5
        self.name_forms = list(dict.fromkeys(forms))
        self.N = p.first
        if lang == "ru" and p.on_behalf:
            s = p.sforms
            self.slots.update({"N": forms[0], "N_gen": forms[1], "N_dat": forms[2], "N_acc": forms[3],
                               "N_ins": forms[4], "S": s[0], "S_gen": s[1], "S_acc": s[3],
                               "rel_acc": p.rel[0], "rel_gen": p.rel[1],
                               "pron": "она" if p.gender == "f" else "он",
                               "pron_dat": "ей" if p.gender == "f" else "ему"})
        self.has_name = bool(p.customer_name)

    # ---- text -------------------------------------------------------------------------------
    def fill(self, template: str) -> str:
        if "{date}" in template and "date" not in self.memo:
            base = self.cur.astimezone(MSK)
            self.date_dt = (base + timedelta(days=1 if base.hour < 14 else 2)).replace(
                hour=0, minute=0, second=0)
            self.memo["date"] = fmt_date(self.date_dt, self.lang)
        if "{date14}" in template and "date14" not in self.memo:
            self.memo["date14"] = fmt_date(self.cur + timedelta(days=self.rng.randint(6, 9)), self.lang)
        return template.format(**self.slots, **self.memo)

    def pick(self, key: str) -> str:
        pool = TOPICS[self.p.topic][self.lang][key]
        return self.fill(self.rng.choice(pool))

    def greeting(self, at: datetime, with_name: bool) -> str:
        rng, lang = self.rng, self.lang
        part = daypart(at)
        N = deyo(self.N) if rng.random() < 0.4 else self.N
        if lang == "ru":
            tod = {"day": "добрый день", "evening": "добрый вечер", "night": "здравствуйте"}[part]
            if part == "day" and at.astimezone(MSK).hour < 11:
                tod = rng.choice(["доброе утро", "добрый день"])
            if with_name:
                g = rng.choice([f"Здравствуйте, {N}!", f"{N}, {tod}!", f"{tod.capitalize()}, {N}!",
                                f"{N}, здравствуйте!"])
            else:
                g = rng.choices(["Здравствуйте!", f"{tod.capitalize()}!", "Приветствую!"], weights=[50, 42, 8])[0]
        else:
            tod = {"day": "Good afternoon" if at.astimezone(MSK).hour >= 12 else "Good morning",
                   "evening": "Good evening", "night": "Hello"}[part]
            if with_name:
                g = rng.choice([f"Hello {N}!", f"Hi {N},", f"Hi {N}!", f"{tod}, {N}!"])
            else:
                g = rng.choice(["Hello!", "Hi there!", f"{tod}!"])
        r = rng.random()
        if self.p.channel == "chat" and r < 0.12:
            g = g.lower()                       # typed in a hurry
        elif r < 0.015:
            g = g.upper()                       # caps lock
        return g

    def closing(self, at: datetime, kind: str = None) -> str:
        pools = CLOSING[self.lang]
        if kind == "reopened":
            return self.rng.choice(pools["reopened"])
        return self.rng.choice(pools[daypart(at)])

    def agent_text(self, parts: list[str], at: datetime, head: str | None = None,
                   signature: bool = True) -> str:
        """Join an agent message; e-mails often put the greeting on its own line and a signature."""
        rng = self.rng
        body = " ".join(x for x in parts if x)
        if self.p.channel == "email" and rng.random() < 0.6:
            text = (head + "\n\n" + body) if head else body
            if signature and rng.random() < 0.5:
                a = self.p.agent
                name = a.get("sign_ru", a["name"]) if self.lang == "ru" else a["name"]
                text += f"\n\n--\n{name}\n{SHOP_SIGNATURE[self.lang]}"
        else:
            if head and head.endswith(","):          # "Hi Anna," only starts a letter
                head = head[:-1] + "!"
            text = f"{head} {body}" if head else body
        if self.lang == "ru" and rng.random() < 0.2:
            text = deyo(text)
        return text

    # ---- rows -------------------------------------------------------------------------------
    def add(self, at: datetime, role: str, text: str = "", status: str = "") -> int:
        author = {"customer": self.cust_author, "agent": self.p.agent["name"] if self.p.agent else "",
                  "bot": "Бот-помощник" if self.lang == "ru" else "Domosfera Bot", "system": ""}[role]
        if role == "customer" and self.lang == "ru" and self.rng.random() < 0.5:
            text = deyo(text)
        self.rows.append({"at": at, "role": role, "author": author, "text": text, "status": status})
        self.cur = at
        return len(self.rows) - 1

    def status(self, st: str, after: int = 1):
        self.add(self.cur + timedelta(seconds=after), "system", "", st)

    def cust_gap(self, long: bool = False) -> timedelta:
        ch = self.p.channel
        if ch == "chat":
            return timedelta(seconds=self.rng.randint(25, 200))
        if ch == "phone":
            return timedelta(seconds=self.rng.randint(10, 80))
        if long:
            return timedelta(seconds=loguniform(self.rng, 600, 18 * 3600))
        return timedelta(seconds=loguniform(self.rng, 300, 5 * 3600))

    def agent_gap(self, late: bool = False) -> timedelta:
        ch, rng = self.p.channel, self.rng
        if late:
            return timedelta(seconds=rng.randint(5 * 3600, 30 * 3600))
        if ch == "chat":
            return timedelta(seconds=rng.randint(20, 170))
        if ch == "phone":
            return timedelta(seconds=rng.randint(8, 60))
        return timedelta(seconds=loguniform(rng, 180, 40 * 60))

    def agent_at(self, late: bool) -> datetime:
        at = self.cur + self.agent_gap(late)
        return to_working_hours(self.rng, at) if late else at

    # ---- the conversation ---------------------------------------------------------------
    def build(self):
        p, rng, lang = self.p, self.rng, self.lang
        t0 = p.created
        t = TOPICS[p.topic][lang]
        if p.bot:
            self.add(t0, "bot", BOT_RU if lang == "ru" else BOT_EN)
            self.cur += timedelta(seconds=rng.randint(15, 70))
        opening = self.fill(ON_BEHALF[p.topic]["open"]) if p.on_behalf else self.pick("open")
        self.add(self.cur, "customer", opening)
        if p.chat_extra:
            self.add(self.cur + timedelta(seconds=rng.randint(15, 60)), "customer",
                     self.fill(rng.choice(CHAT_EXTRA[lang])))
        if p.kind != "normal":
            return self.build_unanswered()

        # ---- first agent reply
        if p.late_first:
            lo, hi = {"urgent": (2, 8), "high": (5, 20), "normal": (9, 36), "low": (25, 48)}[p.priority]
            fr = to_working_hours(rng, t0 + timedelta(seconds=rng.randint(lo * 3600, hi * 3600)))
        else:
            fr = t0 + {"chat": timedelta(seconds=rng.randint(30, 200)),
                       "phone": timedelta(seconds=rng.randint(10, 45))}.get(
                p.channel, timedelta(seconds=loguniform(rng, 240, 45 * 60)))
        fr = max(fr, self.cur + timedelta(seconds=12))
        self.cur = fr
        name_ok = p.name_used and self.has_name
        head = None
        if p.greet:
            head = self.greeting(fr, name_ok and p.name_in_greeting and not p.on_behalf)
        used_name = bool(head) and name_ok and p.name_in_greeting
        apology = rng.choice(APOLOGY_TEXT[lang]) if p.late_first and p.apology else ""

        if p.on_behalf:
            if p.topic == "address":    # the holder is away: the new date is a few days later
                self.memo["date"] = fmt_date(fr + timedelta(days=4), lang)
            first_body = self.fill(ON_BEHALF[p.topic]["resolve"])
        else:
            first_body = self.pick({"resolve": "resolve", "ask": "ask", "hold": "hold",
                                    "ask_hold": "ask"}[p.first_kind])
            if p.first_kind == "resolve" and "lead" in t:
                first_body = f"{t['lead']} {first_body}"
        if name_ok and not used_name and not p.on_behalf:
            first_body = f"{self.N}, {lcfirst(first_body)}"
            used_name = True

        last_agent = None
        if p.channel == "chat":
            intro = rng.choice(CHAT_INTRO[lang] if head else CHAT_INTRO_BARE[lang]).format(me=self.me)
            self.add(fr, "agent", f"{head} {intro}" if head else intro)
            last_agent = self.add(self.cur + timedelta(seconds=rng.randint(40, 150)), "agent", first_body)
        else:
            last_agent = self.add(fr, "agent", self.agent_text([apology, first_body], fr, head))
        email_like = p.channel in ("email", "web")

        # ---- ask for something, wait for the answer
        if p.first_kind in ("ask", "ask_hold"):
            if email_like:
                self.status("pending")
            if p.stall == "pending":
                return
            self.add(self.cur + self.cust_gap(long=True), "customer", self.pick("answer"))
            if email_like:
                self.status("open")
            late = p.late_next == "ask"
            at = self.cur = self.agent_at(late)
            pre = rng.choice(LATE_NEXT_APOLOGY[lang]).format(ag=self.ag) if late and rng.random() < 0.5 else ""
            thanks = ("Спасибо!" if lang == "ru" else "Thank you!")
            if name_ok and rng.random() < 0.35:
                thanks = (f"Спасибо, {self.N}!" if lang == "ru" else f"Thanks, {self.N}!")
            nxt = "hold" if p.first_kind == "ask_hold" else "resolve"
            last_agent = self.add(at, "agent", self.agent_text([pre, thanks, self.pick(nxt)], at))

        # ---- wait on a third party
        if p.first_kind in ("hold", "ask_hold"):
            self.status("on-hold")
            if p.stall == "hold":
                return
            at = self.cur = to_working_hours(
                rng, self.cur + timedelta(seconds=rng.randint(3 * 3600, 30 * 3600)))
            head2 = None
            if rng.random() < 0.6:
                head2 = self.greeting(at, name_ok and rng.random() < 0.5)
            last_agent = self.add(at, "agent", self.agent_text([self.pick("hold_update")], at, head2))

        # ---- pushback
        if p.push:
            push_i = rng.randrange(len(t["push"]))
            self.add(self.cur + self.cust_gap(), "customer", self.fill(t["push"][push_i]))
            at = self.cur = self.agent_at(False)
            if p.push == "rude":
                reply = self.pick("rude")
            else:
                calm = t["calm"]
                reply = self.fill(calm[push_i] if len(calm) == len(t["push"]) else calm[0])
            last_agent = self.add(at, "agent", self.agent_text([reply], at))

        # ---- ending
        if p.stall == "open":
            return
        self.finish(last_agent, final=not p.reopens)
        for k in range(p.reopens):
            lo, hi = REOPEN_GAP[p.topic] if k == 0 else (20, 50)
            when = to_working_hours(rng, self.cur + timedelta(seconds=rng.randint(lo * 3600, hi * 3600)))
            if k == 0 and p.topic in REOPEN_AT_DATE and self.date_dt is not None:
                dd, h0, h1 = REOPEN_AT_DATE[p.topic]
                at_date = self.date_dt + timedelta(days=dd, seconds=rng.randint(int(h0 * 3600), int(h1 * 3600)))
                if at_date > self.cur + timedelta(hours=1):
                    when = at_date
            self.cur = when
            text = self.pick("reopen") if k == 0 else REOPEN2[lang][0]
            self.add(self.cur, "customer", text)
            self.status("open")
            late = p.late_next == "reopen" and k == 0
            at = self.cur = self.agent_at(late)
            head = self.greeting(at, name_ok and rng.random() < 0.7) if rng.random() < 0.8 else None
            fix = self.pick("reopen_fix") if k == 0 else self.fill(REOPEN2[lang][1])
            last_agent = self.add(at, "agent", self.agent_text(
                [rng.choice(REOPEN_OPENER[lang]), fix], at, head))
            self.finish(last_agent, final=(k == p.reopens - 1), reopened=True, force_a=True)

    def finish(self, last_agent: int, final: bool, reopened: bool = False, force_a: bool = False):
        """Close the conversation: closing phrase in the last answer (A) or after thanks (B)."""
        p, rng, lang = self.p, self.rng, self.lang
        closed = "closed" if p.channel == "chat" else "solved"
        want_closing = p.closing or not final
        if p.ending == "A" or force_a:
            if want_closing:
                row = self.rows[last_agent]
                kind = "reopened" if reopened and final and rng.random() < 0.6 else None
                cl = self.closing(row["at"], kind)
                sep = "\n\n" if "\n" in row["text"] and "\n--\n" not in row["text"] else " "
                if "\n--\n" in row["text"]:
                    body, sig = row["text"].split("\n\n--\n", 1)
                    row["text"] = f"{body}\n\n{cl}\n\n--\n{sig}"
                else:
                    row["text"] = f"{row['text']}{sep}{cl}"
        else:
            thanks = THANKS_BEHALF if p.on_behalf else THANKS[lang] + (
                THANKS_WAIT[lang] if p.topic in WAIT_TOPICS else [])
            self.add(self.cur + self.cust_gap(), "customer", self.fill(rng.choice(thanks)))
            late = p.late_next == "thanks"
            at = self.agent_at(late)
            cl = rng.choice(CLOSING[lang]["after_thanks"])
            N = self.N if (p.name_used and self.has_name and not p.on_behalf and rng.random() < 0.5) else None
            cl = cl.replace("{, N}", f", {N}" if N else "").replace("{wish}", WISH[lang][daypart(at)])
            self.add(at, "agent", cl)
        if p.channel == "chat":
            self.status(closed, after=rng.randint(30, 180))
        else:
            self.status(closed)

    def build_unanswered(self):
        p, rng, lang = self.p, self.rng, self.lang
        if p.channel == "chat":
            self.add(self.cur + timedelta(seconds=rng.randint(60, 240)), "bot",
                     BOT_BUSY_RU if lang == "ru" else BOT_BUSY_EN)
        if p.nudge:
            i = rng.randrange(3)
            gap = [(44, 50), (20, 30), (24, 72)][i]
            self.add(self.cur + timedelta(seconds=rng.randint(gap[0] * 3600, gap[1] * 3600)),
                     "customer", NUDGE[lang][i])


# --------------------------------------------------------------------------------------------
# Ground truth: measured from the written conversation, then checked against the plan
# --------------------------------------------------------------------------------------------
def measure(p: Plan, conv: Conversation, tid: str) -> tuple[list[str], dict]:
    rows = conv.rows
    created = p.created
    agents = [r for r in rows if r["role"] == "agent"]
    tags: list[str] = []
    ev: dict = {}
    target = FIRST_REPLY_TARGETS[p.priority]
    as_of = AS_OF
    # status history
    final_status = None
    reopens = 0
    resolved_at = None
    was_resolved = False
    for r in rows:
        if r["role"] == "system":
            if r["status"] in RESOLVED:
                was_resolved = True
                resolved_at = r["at"]
            elif r["status"] == "open" and was_resolved:
                reopens += 1
                was_resolved = False
            final_status = r["status"]
    if final_status is None:
        final_status = "open" if agents else "new"
    if final_status not in RESOLVED:
        resolved_at = None
    ev["status"] = final_status
    ev["reopens"] = reopens
    if not agents:
        elapsed = (as_of - created).total_seconds()
        tags.append("unanswered-breached" if elapsed > target else "unanswered-pending")
        ev["first_reply_seconds"] = None
        ev["elapsed_seconds_at_as_of"] = int(elapsed)
    else:
        first = agents[0]
        fr = int((first["at"] - created).total_seconds())
        ev["first_reply_seconds"] = fr
        if fr > target:
            tags.append("late-first-reply")
        # next replies
        waits = []
        seen_agent = False
        pending_next = False
        for i, r in enumerate(rows):
            if r["role"] == "agent":
                seen_agent = True
            elif r["role"] == "customer" and seen_agent:
                nxt = next((x for x in rows[i + 1:] if x["role"] == "agent"), None)
                if nxt is None:
                    w = int((as_of - r["at"]).total_seconds())
                    if w <= NEXT_REPLY_TARGET:
                        pending_next = True
                        continue
                else:
                    w = int((nxt["at"] - r["at"]).total_seconds())
                waits.append(w)
        ev["next_reply_seconds"] = waits
        if any(w > NEXT_REPLY_TARGET for w in waits):
            tags.append("late-next-reply")
        if pending_next:
            tags.append("next-reply-pending")
        if fr > APOLOGY_AFTER:
            if not find_phrase(first["text"], APOLOGIES):
                tags.append("no-apology-after-wait")
                low = norm(first["text"])
                assert not any(re.search(r"(?<!\w)" + st, low) for st in APOLOGY_STEMS), (tid, low)
        if not find_phrase(first["text"], GREETINGS):
            tags.append("missing-greeting")
        if p.customer_name:
            forms = conv.name_forms
            if not any(find_phrase(a["text"], forms) for a in agents):
                tags.append("name-not-used")
        if final_status in RESOLVED and not find_phrase(agents[-1]["text"], CLOSINGS):
            tags.append("missing-closing")
        hits = [h for a in agents for f in FORBIDDEN if (h := find_phrase(a["text"], [f]))]
        if hits:
            tags.append("rude-phrase")
            ev["forbidden"] = list(dict.fromkeys(hits))
    if reopens:
        tags.append("reopened")
    if final_status not in RESOLVED:
        tags.append("unresolved")
    if resolved_at is not None:
        ev["resolution_seconds"] = int((resolved_at - created).total_seconds())
    ev["_resolved_at"] = resolved_at
    ev["_first_reply_at"] = agents[0]["at"] if agents else None
    return tags, ev


def check_plan(p: Plan, tags: list[str], tid: str) -> list[str]:
    """The injected faults must be exactly what the measurement finds (no accidental faults)."""
    if p.kind != "normal":
        expect = {p.kind, "unresolved"}
        return [] if set(tags) == expect else [f"{tid}: {tags} != {sorted(expect)}"]
    expect = set()
    if p.late_first:
        expect.add("late-first-reply")
        if not p.apology:
            expect.add("no-apology-after-wait")
    if p.late_next:
        expect.add("late-next-reply")
    if not p.greet:
        expect.add("missing-greeting")
    if p.customer_name and not p.name_used:
        expect.add("name-not-used")
    if not p.closing and not p.stall:
        expect.add("missing-closing")
    if p.push == "rude":
        expect.add("rude-phrase")
    if p.reopens:
        expect.add("reopened")
    if p.stall:
        expect.add("unresolved")
    got = set(tags)
    # a conversation cut off by --as-of may legitimately lose its end
    if p.created > AS_OF - timedelta(days=3):
        got -= {"unresolved", "next-reply-pending"}
        expect -= {"unresolved", "missing-closing", "rude-phrase", "late-next-reply"}
        got -= {"missing-closing", "rude-phrase"} - expect
    return [] if got == expect else [f"{tid}: measured {sorted(got)} != planned {sorted(expect)}"]


def survey(rng: random.Random, n_faults: int) -> tuple:
    """CSAT 1-5, NPS 0-10, CES 1-7 (lower is better); worse when the service was worse."""
    bad = min(n_faults, 3)
    csat = rng.choices([1, 2, 3, 4, 5], weights=[[1, 1, 3, 20, 45], [4, 6, 12, 20, 14],
                                                 [10, 10, 10, 8, 4], [16, 8, 6, 3, 1]][bad])[0]
    nps_w = [[1] * 5 + [2, 2, 4, 10, 18, 24], [3, 3, 3, 4, 5, 7, 8, 8, 8, 6, 5],
             [8, 6, 6, 6, 6, 6, 5, 4, 3, 2, 1], [12, 8, 6, 5, 4, 3, 2, 1, 1, 1, 1]][bad]
    nps = rng.choices(range(11), weights=nps_w)[0]
    ces = rng.choices(range(1, 8), weights=[[30, 30, 16, 8, 3, 1, 1], [8, 14, 18, 16, 10, 6, 3],
                                            [3, 5, 10, 14, 16, 14, 10], [1, 2, 5, 10, 16, 20, 20]][bad])[0]
    return csat, (nps if rng.random() < 0.92 else None), (ces if rng.random() < 0.85 else None)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------
def generate(n: int, seed: int):
    rng = random.Random(seed)
    plans = plan_tickets(rng, n)
    tickets, messages, faults, evidence, problems = [], [], {}, {}, []
    for i, p in enumerate(plans):
        tid = f"T-{10001 + i}"
        conv = Conversation(rng, p, tid)
        conv.build()
        conv.rows = [r for r in conv.rows if r["at"] <= AS_OF]
        conv.rows.sort(key=lambda r: r["at"])           # stable: ties keep conversation order
        tags, ev = measure(p, conv, tid)
        problems += check_plan(p, tags, tid)
        faults[tid] = tags
        resolved_at, first_at = ev.pop("_resolved_at"), ev.pop("_first_reply_at")
        evidence[tid] = ev
        csat = nps = ces = None
        if ev["status"] in RESOLVED and rng.random() < 0.58:
            csat, nps, ces = survey(rng, len([t for t in tags if t != "unresolved"]))
        tickets.append({
            "ticket_id": tid, "created_at": iso(p.created),
            "first_reply_at": iso(first_at) if first_at else None,
            "resolved_at": iso(resolved_at) if resolved_at else None,
            "status": ev["status"], "priority": p.priority, "channel": p.channel,
            "agent": p.agent["name"] if p.agent else None,
            "team": p.agent["team"] if p.agent else TOPICS[p.topic]["team"] if p.lang == "ru"
            else "International",
            "customer_name": p.customer_name or None, "reopens": ev["reopens"],
            "csat": csat, "nps": nps, "ces": ces, "language": p.lang,
        })
        for r in conv.rows:
            messages.append({"ticket_id": tid, "created_at": iso(r["at"]), "author_role": r["role"],
                             "author": r["author"], "text": r["text"], "status": r["status"]})
    if problems:
        raise SystemExit("generator self-check failed:\n  " + "\n  ".join(problems))
    return tickets, messages, faults, evidence


def csv_text(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if r[h] is None else r[h] for h in header])
    return buf.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                    help="output directory (default: the directory of this script)")
    ap.add_argument("--tickets", type=int, default=300, help="number of tickets (default 300)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = ap.parse_args(argv)
    if args.tickets < 20:
        ap.error("--tickets must be at least 20")
    tickets, messages, faults, evidence = generate(args.tickets, args.seed)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "tickets.csv").write_text(csv_text(TICKET_HEADER, tickets), encoding="utf-8", newline="")
    (out / "messages.csv").write_text(csv_text(MESSAGE_HEADER, messages), encoding="utf-8",
                                      newline="")
    (out / "tickets.jsonl").write_text(
        "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tickets), encoding="utf-8")
    counts = {tag: sum(tag in v for v in faults.values()) for tag in FAULT_TAGS}
    doc = {
        "generator": "samples/generate.py", "seed": args.seed, "tickets": len(tickets),
        "as_of": AS_OF.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reference": {
            "calendar": "24/7",
            "first_reply_targets_seconds": FIRST_REPLY_TARGETS,
            "next_reply_target_seconds": NEXT_REPLY_TARGET,
            "apology_when_first_reply_over_seconds": APOLOGY_AFTER,
            "resolved_statuses": list(RESOLVED),
            "greetings": GREETINGS, "apologies": APOLOGIES, "closings": CLOSINGS,
            "forbidden": FORBIDDEN,
            "name_rule": "any case form of the first word of customer_name, ё read as е",
            "matching": "NFKC, case folded, ё as е, white space collapsed, whole words, exact forms",
        },
        "tags": FAULT_TAGS,
        "counts": counts,
        "tickets": faults,
        "evidence": evidence,
    }
    (out / "faults.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    print(f"{len(tickets)} tickets, {len(messages)} messages -> {out}")
    for tag, c in counts.items():
        print(f"  {tag:24} {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
