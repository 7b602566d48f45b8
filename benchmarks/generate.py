#!/usr/bin/env python3
"""Generate large, realistic helpdesk exports for the svcaudit benchmarks (standard library only).

    python benchmarks/generate.py --tickets 100000 [--seed 2026] [--out benchmarks/data] [--shuffled]

Writes into ``OUT/N/`` (N = --tickets):

* ``tickets.csv``: one row per ticket, the canonical ticket-row header
  (ticket_id, created_at, first_reply_at, resolved_at, status, priority, channel, agent, team,
  customer_name, reopens, csat, nps, ces) followed by the extra columns a real export carries
  (language, customer_email, order_id, product, subject, tags, description, last_message), about
  650 bytes a row: 1M tickets make a file of about 650 MB;
* ``messages.csv``: one row per message or status event (ticket_id, created_at, author_role,
  author, text, status), about five per ticket, sorted by ticket and then by time;
* ``messages-shuffled.csv`` (with --shuffled): the same rows in a random order;
* ``manifest.json``: seed, generator version, row counts, sizes and the time the run took.

The output is byte-identical for the same seed and ticket count. The data describe a fictional
online shop over the year before ``--as-of 2026-11-23T12:00:00Z`` (15:00 in Moscow; all
timestamps carry the Moscow offset +03:00, which has no daylight saving): more tickets on weekdays
and in the daytime, fewer on Russian public holidays; Russian (two thirds) and English
conversations on e-mail, chat, the web form and the phone. Faults are mixed in at realistic rates: late
first replies (more at night and for urgent tickets), no greeting, the customer's name not used,
no apology after a wait, no polite closing, a rude phrase, reopened tickets, tickets still open or
never answered at --as-of. Every ticket row agrees with its messages (first_reply_at is the first
agent message, resolved_at the last entry into solved/closed, status the last status event).
Nothing is later than --as-of.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from bisect import bisect_right
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_SEED = 2026
CHUNK = 5000                # tickets per independently seeded chunk (fixed: part of the output)
FIRST_TICKET = 1000001      # T-1000001 is the first ticket
DEFAULT_OUT = Path(__file__).resolve().parent / "data"

TICKET_HEADER = ["ticket_id", "created_at", "first_reply_at", "resolved_at", "status", "priority",
                 "channel", "agent", "team", "customer_name", "reopens", "csat", "nps", "ces",
                 "language", "customer_email", "order_id", "product", "subject", "tags",
                 "description", "last_message"]
MESSAGE_HEADER = ["ticket_id", "created_at", "author_role", "author", "text", "status"]

# --- time -------------------------------------------------------------------------------------
# Seconds are counted from START, Monday 2025-11-24 00:00 in Moscow (+03:00, no DST).
START_DATE = date(2025, 11, 24)
DAYS = 365
AS_OF_SECOND = 364 * 86400 + 15 * 3600          # 2026-11-23T15:00:00+03:00 = 12:00Z
AS_OF = "2026-11-23T12:00:00Z"
RU_HOLIDAYS = {date(2025, 12, 31), *(date(2026, 1, d) for d in range(1, 9)), date(2026, 2, 23),
               date(2026, 3, 9), date(2026, 5, 1), date(2026, 5, 11), date(2026, 6, 12),
               date(2026, 11, 4)}
HOUR_WEIGHTS = [3, 2, 1, 1, 1, 2, 4, 8, 14, 20, 22, 22, 20, 20, 21, 20, 19, 18, 16, 14, 12, 10, 7, 5]
# "HH:MM:SS+03:00" for every second of a day, and "YYYY-MM-DDT" for every day (plus a margin):
# formatting a timestamp is then one list lookup and one concatenation.
_HMS = [f"{h:02d}:{m:02d}:{s:02d}+03:00" for h in range(24) for m in range(60) for s in range(60)]
_DAY_PREFIX = [(START_DATE + timedelta(days=d)).isoformat() + "T" for d in range(DAYS + 40)]


def stamp(second: int) -> str:
    day, rest = divmod(second, 86400)
    return _DAY_PREFIX[day] + _HMS[rest]


def _day_weights() -> list[float]:
    weights = []
    for d in range(DAYS):
        day = START_DATE + timedelta(days=d)
        weight = 1.0 if day.weekday() < 5 else 0.55
        if day in RU_HOLIDAYS:
            weight = 0.4
        weights.append(weight)
    return weights


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [c / total for c in out]


DAY_CUM = _cumulative(_day_weights())
HOUR_CUM = _cumulative([float(w) for w in HOUR_WEIGHTS])

# --- people -----------------------------------------------------------------------------------
RU_FEMALE = ["Анна", "Мария", "Екатерина", "Наталья", "Елена", "Татьяна", "Юлия", "Ирина",
             "Светлана", "Дарья", "Ксения", "Алёна", "Полина", "Ольга", "Вера", "Софья"]
RU_MALE = ["Алексей", "Сергей", "Андрей", "Михаил", "Артём", "Никита", "Павел", "Игорь", "Илья",
           "Кирилл", "Евгений", "Максим", "Антон", "Денис", "Роман", "Фёдор"]
RU_SURNAMES = ["Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков", "Морозов", "Фёдоров",
               "Орлов", "Белов", "Зайцев", "Никитин", "Ильин", "Гусев", "Медведев", "Егоров",
               "Павлов", "Семенов", "Виноградов", "Богданов", "Воробьёв", "Тарасов", "Киселёв"]
EN_FEMALE = ["Emily", "Sarah", "Jessica", "Laura", "Olivia", "Megan", "Hannah", "Rachel",
             "Sophie", "Charlotte", "Amelia", "Grace", "Chloe", "Lucy"]
EN_MALE = ["Michael", "David", "Daniel", "Thomas", "Chris", "Ryan", "Kevin", "Andrew", "Peter",
           "George", "Oliver", "Samuel", "Jack", "Harry"]
EN_SURNAMES = ["Johnson", "Brown", "Davis", "Wilson", "Taylor", "Moore", "Anderson", "Harris",
               "Thompson", "Scott", "Young", "Hughes", "Evans", "Robinson", "Wright", "Mitchell"]
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                     "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "",
                     "e", "yu", "ya"]))
MAIL_DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "outlook.com", "bk.ru", "icloud.com"]

TEAMS_RU = ["Первая линия", "Доставка", "Возвраты", "Оплата и счета", "Сервисный центр"]
TEAMS_EN = ["International", "International Returns"]
RU_AGENT_FIRST_F = ["Ольга", "Марина", "Наталья", "Екатерина", "Юлия", "Анастасия", "Виктория",
                    "Людмила", "Галина", "Оксана"]
RU_AGENT_FIRST_M = ["Дмитрий", "Иван", "Олег", "Владимир", "Николай", "Георгий", "Степан",
                    "Василий", "Ярослав", "Тимур"]
EN_AGENT_FIRST = ["Emma", "James", "Lily", "Noah", "Ava", "Liam", "Isla", "Ethan", "Mia", "Leo"]

PRODUCTS_RU = ["чайник Polaris PWK 1725", "кофемашина De'Longhi Magnifica S", "пылесос Dreame V12",
               "наушники JBL Tune 520BT", "утюг Philips DST 7020", "блендер Bosch ErgoMixx",
               "мультиварка Redmond RMC-M90", "увлажнитель Xiaomi Smart Humidifier 2",
               "фен Dyson Supersonic", "сковорода Tefal Ingenio 28 см", "робот-пылесос Roborock Q7",
               "электробритва Braun Series 5", "весы Redmond RS-736", "микроволновка Samsung MS23",
               "холодильник Atlant ХМ 4626", "стиральная машина LG F2J3HS", "телевизор Sber SDX-43",
               "смартфон Samsung Galaxy A55", "ноутбук Huawei MateBook D16", "роутер Keenetic Viva"]
PRODUCTS_EN = ["Polaris PWK 1725 kettle", "De'Longhi Magnifica S coffee machine",
               "Dreame V12 vacuum cleaner", "JBL Tune 520BT headset", "Philips DST 7020 iron",
               "Bosch ErgoMixx blender", "Redmond RMC-M90 multicooker",
               "Xiaomi Smart Humidifier 2", "Dyson Supersonic hair dryer",
               "Roborock Q7 robot vacuum", "Braun Series 5 shaver", "Samsung MS23 microwave",
               "LG F2J3HS washing machine", "Samsung Galaxy A55 phone", "Keenetic Viva router"]
CITIES_RU = ["Москва", "Санкт-Петербург", "Казань", "Екатеринбург", "Новосибирск", "Самара",
             "Нижний Новгород", "Краснодар", "Пермь", "Воронеж"]

# --- conversation content ------------------------------------------------------------------------
# Each topic: subject, tags, customer openings, agent answers, customer follow-ups, agent follow-up
# answers. Placeholders: {o} order number, {p} product, {a} amount, {d} date, {c} city, {n} days.
TOPICS = {
    "ru": [
        ("Где мой заказ {o}?", "доставка,статус-заказа",
         ["Добрый день! Заказ {o} должен был приехать {d}, но курьер так и не появился. Трек-номер не обновляется уже третий день. Подскажите, что с доставкой?",
          "Здравствуйте. Оформил(а) заказ {o} ({p}) с доставкой в {c}, по срокам он уже должен быть у меня, а в личном кабинете до сих пор «Передан в службу доставки». Когда его привезут?",
          "ГДЕ МОЙ ЗАКАЗ??? {o}, обещали {d}, прошла уже неделя, никто не звонит и не пишет."],
         ["Проверила заказ {o}: посылка задержалась на сортировочном центре в городе {c}, сейчас она снова в пути. Новая дата доставки — {d}, курьер позвонит за час до приезда.",
          "Заказ {o} уже на складе службы доставки. Я оформила приоритетную доставку, курьер привезёт его {d} с 10:00 до 18:00, смс с номером курьера придёт утром.",
          "По заказу {o} курьерская служба сообщила о задержке из-за высокой загрузки. Передали жалобу, доставка назначена на {d}. Стоимость доставки вернём на карту."],
         ["Спасибо, буду ждать. А можно перенести доставку на вечер после 19:00?",
          "Хорошо, а если курьер опять не приедет, что тогда?",
          "Спасибо за ответ!"],
         ["Да, перенесла доставку на вечер {d}, с 19:00 до 22:00. Если что-то пойдёт не так, просто ответьте на это письмо, и мы разберёмся в тот же день.",
          "Если доставка снова сорвётся, мы отменим заказ и вернём полную сумму {a} ₽ в течение дня, либо отправим товар другой службой за наш счёт.",
          "Рады помочь! Если появятся вопросы по заказу {o}, пишите."]),
        ("Возврат денег по заказу {o}", "возврат,деньги",
         ["Здравствуйте! Вернул(а) {p} по заказу {o} ещё {d}, а деньги ({a} ₽) так и не пришли на карту. Сколько ещё ждать?",
          "Добрый вечер. Отменила заказ {o}, оплаченный картой, прошло уже {n} рабочих дней, возврата нет. Банк говорит, что от вас ничего не поступало.",
          "Почему до сих пор не вернули деньги за {p}? Заказ {o}, сумма {a} ₽."],
         ["Возврат по заказу {o} на сумму {a} ₽ оформлен {d}. Деньги вернутся на карту в течение 3–5 рабочих дней — точный срок зависит от банка. Номер операции для банка: RRN {o}77.",
          "Проверил: возврат {a} ₽ был отправлен на карту, с которой оплачивался заказ {o}. Банк может зачислять деньги до 10 рабочих дней. Если к {d} деньги не придут, пришлём справку для банка.",
          "Возврат по заказу {o} задержался из-за ошибки платёжного шлюза. Мы отправили его повторно, деньги поступят до {d}."],
         ["Спасибо, подожду. Пришлите, пожалуйста, справку о возврате на почту.",
          "Прошло пять дней, денег всё ещё нет. Что делать?",
          "Деньги пришли, спасибо!"],
         ["Справку о возврате по заказу {o} отправили на вашу почту, в ней есть номер операции и дата. Её можно показать в банке.",
          "Запросили у банка-эквайера подтверждение, ответ будет в течение двух рабочих дней. Как только получим, сразу напишем вам.",
          "Отлично, рады, что всё решилось!"]),
        ("Пришёл не тот товар, заказ {o}", "пересорт,возврат",
         ["Добрый день! Заказывал(а) {p}, а в коробке совсем другая модель. Заказ {o}. Фото прикладываю.",
          "Здравствуйте, в заказе {o} прислали не тот цвет, нужен был чёрный, пришёл белый. Как обменять?"],
         ["По фото видно, что на складе перепутали товар. Курьер заберёт его {d} и сразу привезёт правильный {p}, ничего доплачивать не нужно.",
          "Оформила обмен по заказу {o}: правильный товар привезут {d}, курьер заберёт неподошедший на месте. Упаковку можно не сохранять."],
         ["Хорошо, а во сколько приедет курьер?", "Спасибо, а сколько ждать?"],
         ["Курьер приедет {d} с 12:00 до 16:00 и позвонит за 30 минут.",
          "Обмен займёт 2–3 дня, статус будет виден в личном кабинете."]),
        ("Сломался {p}", "гарантия,сервисный-центр",
         ["Здравствуйте. Купил(а) {p} в вашем магазине {d}, заказ {o}. Через две недели перестал включаться, индикатор мигает красным. Это гарантийный случай?",
          "Добрый день! {p} не работает после месяца использования, гарантия ещё действует. Куда обратиться?"],
         ["Да, это гарантийный случай. Можно сдать товар в любой наш пункт выдачи в городе {c} или вызвать курьера — диагностика займёт до 14 дней, а если ремонт невозможен, вернём {a} ₽.",
          "Оформил заявку на гарантийный ремонт по заказу {o}. Сервисный центр в городе {c} свяжется с вами в течение двух рабочих дней и согласует время."],
         ["А можно сразу заменить на новый, без ремонта?", "Хорошо, отвезу в пункт выдачи."],
         ["Замена без диагностики возможна только в первые 15 дней после покупки. Срок ещё не истёк, поэтому оформила замену: новый {p} привезут {d}.",
          "Отлично, при сдаче назовите номер заявки {o}-Г, квитанцию выдадут на месте."]),
        ("Не проходит оплата", "оплата,карта",
         ["Пытаюсь оплатить заказ {o} картой, пишет «Операция отклонена». Деньги при этом списались ({a} ₽)! Что происходит?",
          "Здравствуйте, оплатил(а) заказ {o} через СБП, деньги ушли, а заказ так и висит «Ожидает оплаты»."],
         ["Платёж по заказу {o} завис в банке. Списание отменится автоматически в течение суток, а заказ мы подтвердили вручную — оплачивать повторно не нужно.",
          "Вижу два платежа по заказу {o}. Второй отменили, деньги вернутся на карту в течение 3 рабочих дней. Заказ оплачен и передан на сборку."],
         ["То есть заказ точно оплачен и его привезут?", "Спасибо, всё понятно."],
         ["Да, заказ {o} оплачен, доставка {d}. Подтверждение оплаты пришло вам на почту.",
          "Пожалуйста! Если списание не отменится до {d}, напишите нам."]),
        ("Отмена заказа {o}", "отмена",
         ["Добрый день. Случайно оформил(а) два одинаковых заказа, {o} нужно отменить.",
          "Здравствуйте, хочу отменить заказ {o}, нашёл дешевле. Деньги уже списали."],
         ["Заказ {o} отменён. Деньги ({a} ₽) вернутся на карту в течение 3–5 рабочих дней.",
          "Отменил заказ {o}, подтверждение отправлено на почту. Возврат {a} ₽ уже оформлен."],
         ["Спасибо!", "А второй заказ остаётся в силе?"],
         ["Пожалуйста!", "Да, второй заказ остаётся, доставка по плану {d}."]),
        ("Промокод не применяется", "промокод,скидка",
         ["Здравствуйте! Промокод из рассылки не применяется к {p}, пишет «Условия акции не выполнены». Сумма заказа больше {a} ₽.",
          "Почему не работает промокод? Пробую уже полчаса, корзина больше {a} ₽."],
         ["Промокод действует только на товары без других скидок, а на {p} уже есть скидка 15%. Я начислила вам 500 бонусных баллов как компенсацию, ими можно оплатить до 30% заказа.",
          "Проверил промокод: он активен до {d} и работает в приложении. В веб-версии была ошибка, её уже исправили — попробуйте ещё раз."],
         ["Баллы вижу, спасибо.", "Всё равно не работает, вот скриншот."],
         ["Рада помочь!", "По скриншоту видно, что в корзине товар из маркетплейса. Оформил заказ {o} со скидкой вручную."]),
        ("Счёт для юрлица", "юрлица,документы",
         ["Добрый день! Нужен счёт на оплату для ООО «Ромашка», ИНН 7701234567, на {p}, 3 шт. Заказ {o}.",
          "Здравствуйте, для бухгалтерии нужны закрывающие документы по заказу {o}: УПД и счёт-фактура."],
         ["Счёт по заказу {o} выставлен и отправлен на вашу почту. Оплатить его нужно до {d}, после оплаты заказ передадим на сборку.",
          "Закрывающие документы по заказу {o} сформированы в ЭДО (Диадок), а скан-копии отправили на почту."],
         ["Получили, спасибо. Оригиналы пришлёте курьером?", "Спасибо."],
         ["Да, оригиналы придут вместе с товаром.", "Всегда рады помочь."]),
    ],
    "en": [
        ("Where is my order {o}?", "delivery,order-status",
         ["Hi, my order {o} was supposed to arrive on {d} but nobody came and the tracking has not moved for three days. Can you check what is going on?",
          "Hello, I ordered the {p} (order {o}) and it still says 'handed over to the carrier'. When will it be delivered?",
          "WHERE IS MY ORDER??? {o}. It is a week late and nobody answers."],
         ["I checked order {o}: the parcel was held at the sorting centre and is moving again. The new delivery date is {d}; the courier will call an hour before arriving.",
          "Your order {o} is at the courier's warehouse. I upgraded it to priority delivery, so it will arrive on {d} between 10:00 and 18:00."],
         ["Thanks. Could it come after 7 pm instead?", "And what if the courier does not show up again?", "Thanks for the update!"],
         ["Done, the delivery is moved to the evening of {d}, 19:00 to 22:00. If anything goes wrong just reply to this e-mail.",
          "If the delivery fails again we will cancel the order and refund the full {a} RUB the same day.",
          "You are welcome! Write to us any time about order {o}."]),
        ("Refund for order {o}", "refund,payment",
         ["Hello, I returned the {p} (order {o}) on {d} and I still have not received my refund of {a} RUB. How long does it take?",
          "Hi, I cancelled order {o} {n} business days ago and the money is not back on my card."],
         ["The refund for order {o} ({a} RUB) was issued on {d}. Banks usually take 3 to 5 business days to show it; the reference for your bank is RRN {o}77.",
          "I checked: the refund of {a} RUB went to the card used for order {o}. Some banks take up to 10 business days; if it has not arrived by {d} we will send a confirmation letter for your bank."],
         ["Thanks, could you e-mail me the refund confirmation?", "It has been five days and still nothing.", "Got it, thank you!"],
         ["The refund confirmation for order {o} is in your inbox; it has the transaction number and date.",
          "We have asked the acquiring bank to confirm the transfer and will get back to you within two business days.",
          "Great, glad it is sorted!"]),
        ("Wrong item received, order {o}", "wrong-item,exchange",
         ["Hi, I ordered the {p} but received a different model. Order {o}, photos attached.",
          "Hello, order {o} came in the wrong colour. How do I exchange it?"],
         ["The warehouse mixed up the items. A courier will collect it on {d} and bring the right {p} at the same time, free of charge.",
          "I have arranged an exchange for order {o}: the correct item will be delivered on {d} and the courier will take the wrong one back."],
         ["OK, what time will the courier come?", "Thanks, how long will it take?"],
         ["The courier will come on {d} between 12:00 and 16:00 and call 30 minutes ahead.",
          "The exchange takes 2 to 3 days; you can follow it in your account."]),
        ("My {p} stopped working", "warranty,repair",
         ["Hello, I bought the {p} from you on {d} (order {o}). It stopped switching on after two weeks and the light blinks red. Is this covered by the warranty?",
          "Hi, my {p} broke after a month. The warranty is still valid, where should I take it?"],
         ["Yes, it is covered. You can drop it at any of our pick-up points or book a courier; the diagnosis takes up to 14 days and if it cannot be repaired we refund {a} RUB.",
          "I have opened a warranty case for order {o}. The service centre will contact you within two business days."],
         ["Can you replace it with a new one instead?", "OK, I will drop it off."],
         ["A replacement without diagnosis is possible within 15 days of purchase, which still applies, so a new {p} will be delivered on {d}.",
          "Great, please quote case number {o}-W when you drop it off."]),
        ("Payment failed", "payment,card",
         ["I am trying to pay for order {o} and get 'Transaction declined', but {a} RUB was taken from my card!",
          "Hi, I paid for order {o} but it still says 'Awaiting payment'."],
         ["The payment for order {o} got stuck at the bank. The hold will be released within 24 hours and I confirmed the order manually, so there is no need to pay again.",
          "I can see two payments for order {o}. The second one is cancelled and will be back on your card within 3 business days."],
         ["So the order is definitely paid?", "Thanks, that makes sense."],
         ["Yes, order {o} is paid and will be delivered on {d}.", "You are welcome! Let us know if the hold is not released by {d}."]),
    ],
}
GREETINGS = {  # with the customer's first name
    "ru": ["Здравствуйте, {f}!", "Добрый день, {f}!", "{f}, добрый день!", "Добрый вечер, {f}!",
           "Доброе утро, {f}!", "Приветствую, {f}!", "здравствуйте, {f}!", "{f}, здравствуйте!"],
    "en": ["Hello {f},", "Hi {f},", "Good morning {f},", "Good afternoon {f},", "Dear {f},",
           "Hi {f}!"],
}
PLAIN_GREETINGS = {"ru": ["Здравствуйте!", "Добрый день!", "Доброе утро!"],
                   "en": ["Hello,", "Hi there,", "Good afternoon,"]}
NO_GREETING = {"ru": ["{f}, ", "Минуту, проверяю. ", ""], "en": ["{f}, ", "One moment, checking. ", ""]}
APOLOGIES = {
    "ru": ["Извините за долгое ожидание.", "Приносим извинения за задержку с ответом.",
           "Простите за ожидание.", "Спасибо за терпение!"],
    "en": ["Sorry for the delay.", "Apologies for the wait.", "Sorry for the long wait.",
           "Thank you for your patience."],
}
CLOSINGS = {
    "ru": ["Спасибо за обращение!", "Хорошего дня!", "Всего доброго!", "Обращайтесь, если будут вопросы.",
           "Спасибо за ваше обращение, хорошего вечера!", "Рады были помочь!"],
    "en": ["Thanks for reaching out!", "Have a great day!", "Take care!", "Happy to help.",
           "Thank you for contacting us, have a nice day!", "Kind regards."],
}
RUDE = {
    "ru": ["Как я уже писал, ", "Это не моя проблема, ", "Читайте инструкцию: "],
    "en": ["As I already said, ", "That is not my problem, ", "Calm down, "],
}
SIGNATURE = {
    "ru": "\n\nС уважением,\n{agent}\nСлужба поддержки «Домосфера»\n8 800 555-35-35",
    "en": "\n\nBest regards,\n{agent}\nDomosfera Customer Care",
}
BOT = {"ru": ("Бот-помощник", "Здравствуйте! Я бот-помощник «Домосферы». Оператор подключится через пару минут, а пока опишите, пожалуйста, вопрос подробнее."),
       "en": ("Domosfera Bot", "Hi! I am the Domosfera assistant. An agent will join in a couple of minutes; meanwhile please describe your question.")}
BOT_BUSY = {"ru": "Все операторы сейчас заняты. Мы ответим вам, как только освободимся.",
            "en": "All our agents are busy right now. We will answer as soon as possible."}
NUDGE = {"ru": ["Прошло уже два дня, ответа нет. Вы вообще работаете?", "Есть новости?",
                "Ау! Мне кто-нибудь ответит?"],
         "en": ["It has been two days and no answer. Is anyone there?", "Any news?",
                "Hello? Anyone?"]}
REOPEN = {"ru": ["Проблема не решена: всё повторилось, посмотрите ещё раз, пожалуйста.",
                 "Деньги так и не пришли, прошло уже пять рабочих дней.",
                 "Курьер снова не приехал!"],
          "en": ["It happened again, the problem is not solved.", "The refund still has not arrived.",
                 "The courier did not come again!"]}
FOLLOW_GENERIC = {"ru": ["Мы пришлём вам уведомление, когда статус изменится.",
                         "Всю информацию также продублировали вам на почту."],
                  "en": ["We will notify you as soon as the status changes.",
                         "We have also sent the details to your e-mail."]}
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]

# first-reply targets of the built-in default standard (used to make some replies late)
TARGETS = {"urgent": 3600, "high": 4 * 3600, "normal": 24 * 3600, "low": 24 * 3600}
RESOLVED = ("solved", "closed")


def _office_hours(t: int, rand) -> int:
    """E-mail and the web form are answered 09:00-21:00 (every day): later moves to next morning."""
    hour = (t % 86400) // 3600
    if 9 <= hour < 21:
        return t
    next_day = t // 86400 + (1 if hour >= 21 else 0)
    return next_day * 86400 + 9 * 3600 + int(rand() * 5400)


def _translit(text: str) -> str:
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower())


class Generator:
    """The shared pools of one seed (customers, agents, dates); ``ticket()`` makes one ticket."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.customers = {"ru": self._customers("ru", 4000), "en": self._customers("en", 2000)}
        self.agents = {"ru": self._agents("ru", 48), "en": self._agents("en", 12)}
        self.dates = {
            "ru": [f"{d.day} {MONTHS_RU[d.month - 1]}" for d in
                   (START_DATE + timedelta(days=k) for k in range(DAYS + 40))],
            "en": [f"{MONTHS_EN[d.month - 1]} {d.day}" for d in
                   (START_DATE + timedelta(days=k) for k in range(DAYS + 40))],
        }

    def _customers(self, lang: str, count: int) -> list[tuple[str, str, str]]:
        rng = self.rng
        people = []
        for _ in range(count):
            if lang == "ru":
                female = rng.random() < 0.55
                first = rng.choice(RU_FEMALE if female else RU_MALE)
                last = rng.choice(RU_SURNAMES)
                if female:
                    last = last + "а"
                full = f"{first} {last}"
                login = f"{_translit(first)}.{_translit(last)}{rng.randrange(100)}"
            else:
                first = rng.choice(EN_FEMALE if rng.random() < 0.5 else EN_MALE)
                last = rng.choice(EN_SURNAMES)
                full = f"{first} {last}"
                login = f"{first.lower()}.{last.lower()}{rng.randrange(100)}"
            email = f"{login}@{rng.choice(MAIL_DOMAINS)}"
            roll = rng.random()
            if roll < 0.06:
                full = ""           # no name in the export
            elif roll < 0.14:
                full = first        # first name only
            people.append((full, first, email))
        return people

    def _agents(self, lang: str, count: int) -> list[tuple[str, str, str]]:
        rng = self.rng
        agents = []
        for k in range(count):
            if lang == "ru":
                female = k % 2 == 0
                first = rng.choice(RU_AGENT_FIRST_F if female else RU_AGENT_FIRST_M)
                last = rng.choice(RU_SURNAMES) + ("а" if female else "")
                team = TEAMS_RU[k % len(TEAMS_RU)]
            else:
                first = EN_AGENT_FIRST[k % len(EN_AGENT_FIRST)]
                last = rng.choice(EN_SURNAMES)
                team = TEAMS_EN[k % len(TEAMS_EN)]
            agents.append((f"{first} {last}", first, team))
        return agents

    # --- one ticket ---------------------------------------------------------------------------

    def ticket(self, ticket_id: str, t0: int, rng: random.Random):
        """(ticket row, message rows) of one ticket created at second ``t0``."""
        rand = rng.random
        lang = "ru" if rand() < 0.66 else "en"
        roll = rand()
        channel = "email" if roll < 0.40 else "chat" if roll < 0.75 else "web" if roll < 0.90 else "phone"
        roll = rand()
        priority = "low" if roll < 0.20 else "normal" if roll < 0.75 else "high" if roll < 0.95 else "urgent"
        customers = self.customers[lang]
        full, first, email = customers[int(rand() * len(customers))]
        agents = self.agents[lang]
        agent, agent_first, team = agents[int(rand() * len(agents))]
        topics = TOPICS[lang]
        subject, tags, openings, answers, follows, follow_answers = topics[int(rand() * len(topics))]
        products = PRODUCTS_RU if lang == "ru" else PRODUCTS_EN
        day = t0 // 86400
        fill = {
            "o": str(3000000 + int(rand() * 6999999)),
            "p": products[int(rand() * len(products))],
            "a": f"{int(990 + rand() * 90000):,}".replace(",", "\u00a0" if lang == "ru" else ","),
            "d": self.dates[lang][day + 1 + int(rand() * 6)],
            "c": CITIES_RU[int(rand() * len(CITIES_RU))] if lang == "ru" else "Moscow",
            "n": str(3 + int(rand() * 9)),
        }
        customer_author = full or email
        opening = openings[int(rand() * len(openings))].format(**fill)
        if channel == "email" and rand() < 0.5:
            opening += f"\n\n--\n{full or first}\n{email}"
        chat_like = channel in ("chat", "phone")
        messages: list[tuple[int, str, str, str, str]] = [(t0, "customer", customer_author, opening, "")]
        if channel == "chat" and rand() < 0.5:
            messages.append((t0 + 2, "bot", BOT[lang][0], BOT[lang][1], ""))

        # first reply ------------------------------------------------------------------------
        unanswered = rand() < 0.025
        late = False
        if channel == "phone":
            t1 = t0 + 5 + int(rand() * 40)
        elif channel == "chat":
            t1 = t0 + 15 + int(rand() * 200) if rand() > 0.05 else t0 + 600 + int(rand() * 5400)
        else:
            t1 = t0 + 120 + int(rng.expovariate(1 / 2400))
            if rand() < 0.10:  # a late reply, beyond the default standard's target
                t1 = t0 + int(TARGETS[priority] * (1.05 + 2 * rand()))
                late = True
            t1 = _office_hours(t1, rand)
        if t1 - t0 > 3600:
            late = True

        if unanswered:
            if channel == "chat":
                messages.append((t0 + 30, "bot", BOT[lang][0], BOT_BUSY[lang], ""))
            if rand() < 0.5:
                messages.append((t0 + 86400 + int(rand() * 86400), "customer", customer_author,
                                 NUDGE[lang][int(rand() * 3)], ""))
        else:
            resolves = rand() < 0.90
            ask = not chat_like and rand() < 0.30          # the agent waits on the customer
            follow = not ask and rand() < 0.60              # the customer writes again
            closing_roll = rand()
            pair = int(rand() * len(follows))  # a follow-up and its answer
            if rand() < 0.90:  # greet, by name when the agent knows it
                if first and rand() < 0.88:
                    greeting = GREETINGS[lang][int(rand() * len(GREETINGS[lang]))].format(f=first)
                else:
                    greeting = PLAIN_GREETINGS[lang][int(rand() * len(PLAIN_GREETINGS[lang]))]
                greeting += "\n\n" if channel == "email" else " "
            else:
                greeting = NO_GREETING[lang][int(rand() * 3)]
                if "{f}" in greeting:
                    greeting = greeting.format(f=first) if first else ""
            apology = ""
            if late and t1 - t0 > 4 * 3600 and rand() < 0.7:
                apology = APOLOGIES[lang][int(rand() * 4)] + " "
            answer = answers[int(rand() * len(answers))].format(**fill)
            if not chat_like and rand() < 0.5:
                answer += " " + FOLLOW_GENERIC[lang][int(rand() * 2)]
            rest = apology + answer
            if greeting.endswith(", ") and not rest.startswith(("I ", "I'")):
                rest = rest[0].lower() + rest[1:]  # "Елена, извините…", "Emma, the parcel…"
            body = greeting + rest
            if resolves and not ask and not follow and closing_roll < 0.72:
                body += " " + CLOSINGS[lang][int(rand() * len(CLOSINGS[lang]))]
            if channel == "email":
                body += SIGNATURE[lang].format(agent=agent)
            messages.append((t1, "agent", agent, body, ""))
            t = t1
            if ask:
                messages.append((t + 1, "system", "", "", "pending"))
                if rand() < 0.75:
                    t += 3600 + int(rand() * 2 * 86400)
                    messages.append((t, "customer", customer_author,
                                     follows[pair].format(**fill), "open"))
                else:
                    resolves = False
            elif follow:
                t += (30 + int(rand() * 600)) if chat_like else (1800 + int(rand() * 86400))
                messages.append((t, "customer", customer_author,
                                 follows[pair].format(**fill), ""))
            if messages[-1][1] == "customer":
                reply = follow_answers[pair].format(**fill)
                if rand() < 0.02:
                    reply = RUDE[lang][int(rand() * 3)] + reply[0].lower() + reply[1:]
                if resolves and closing_roll < 0.88:
                    reply += " " + CLOSINGS[lang][int(rand() * len(CLOSINGS[lang]))]
                if channel == "email":
                    reply += SIGNATURE[lang].format(agent=agent)
                if chat_like:
                    t += 20 + int(rand() * 240)
                else:
                    t += 600 + int(rng.expovariate(1 / 7200))
                    if rand() < 0.05:
                        t += 86400 + int(rand() * 86400)
                    t = _office_hours(t, rand)
                messages.append((t, "agent", agent, reply, ""))
            elif resolves and 0.72 <= closing_roll < 0.87:  # the closing in a short last message
                t += 5 + int(rand() * 60)
                messages.append((t, "agent", agent, CLOSINGS[lang][int(rand() * len(CLOSINGS[lang]))], ""))
            if resolves:
                t += 1
                messages.append((t, "system", "", "", "closed" if channel == "chat" else "solved"))
                if rand() < 0.08:  # reopened, once or twice
                    for _ in range(1 if rand() < 0.75 else 2):
                        t += 86400 + int(rand() * 5 * 86400)
                        messages.append((t, "customer", customer_author,
                                         REOPEN[lang][int(rand() * 3)], "open"))
                        t += 1800 + int(rand() * 20 * 3600)
                        reply = answers[int(rand() * len(answers))].format(**fill)
                        if rand() < 0.8:
                            reply += " " + CLOSINGS[lang][int(rand() * len(CLOSINGS[lang]))]
                        messages.append((t, "agent", agent, reply, ""))
                        t += 1
                        messages.append((t, "system", "", "", "closed" if channel == "chat" else "solved"))
            elif rand() < 0.5:
                messages.append((t + 60, "system", "", "", "on-hold"))

        # an export made at --as-of holds nothing later
        if messages[-1][0] > AS_OF_SECOND:
            messages = [m for m in messages if m[0] <= AS_OF_SECOND]

        # the ticket row, derived from the conversation ---------------------------------------
        first_reply_at = ""
        status = "new"
        resolved_at = ""
        reopens = 0
        was_resolved = False
        last_text = ""
        for at, role, _, text, st in messages:
            if role == "agent":
                if not first_reply_at:
                    first_reply_at = stamp(at)
                    if status == "new":
                        status = "open"
            if text and role != "system":
                last_text = text
            if st:
                if st in RESOLVED:
                    if not was_resolved:
                        resolved_at = stamp(at)
                    was_resolved = True
                else:
                    if was_resolved:
                        reopens += 1
                    was_resolved = False
                status = st
        if status not in RESOLVED:
            resolved_at = ""
        csat = nps = ces = ""
        if status in RESOLVED:
            mood = rand() - (0.25 if late or reopens else 0.0)
            if rand() < 0.45:
                csat = "5" if mood > 0.35 else "4" if mood > 0.12 else str(1 + int(rand() * 3))
            if rand() < 0.40:
                nps = str(9 + int(rand() * 2)) if mood > 0.45 else str(7 + int(rand() * 2)) if mood > 0.2 else str(int(rand() * 7))
            if rand() < 0.35:
                ces = str(1 + int(rand() * 3)) if mood > 0.3 else str(3 + int(rand() * 5))
        shown_agent = agent if first_reply_at else ""
        row = [ticket_id, stamp(t0), first_reply_at, resolved_at, status, priority, channel,
               shown_agent, team, full, str(reopens), csat, nps, ces, lang, email, fill["o"],
               fill["p"], subject.format(**fill), tags + ("," + channel), opening,
               last_text[:120]]
        message_rows = [[ticket_id, stamp(at), role, author, text, st]
                        for at, role, author, text, st in messages]
        return row, message_rows


def _shuffle_file(source: Path, target: Path, seed: int, buckets: int = 64) -> None:
    """Write the data rows of ``source`` to ``target`` in a random order, in bounded memory.

    Each row goes to a random one of ``buckets`` temporary files; each bucket is then shuffled in
    memory and appended. That is a uniform random permutation, and memory holds one bucket only.
    """
    rng = random.Random(seed ^ 0x5EED)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        parts = [open(Path(tmp) / f"{k}.csv", "w", newline="", encoding="utf-8") for k in range(buckets)]
        writers = [csv.writer(p, lineterminator="\n") for p in parts]
        with source.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            rand = rng.random
            for row in reader:
                writers[int(rand() * buckets)].writerow(row)
        for p in parts:
            p.close()
        with target.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            for k in range(buckets):
                with open(Path(tmp) / f"{k}.csv", newline="", encoding="utf-8") as f:
                    rows = list(csv.reader(f))
                rng.shuffle(rows)
                writer.writerows(rows)


def data_dir(out: Path, tickets: int) -> Path:
    return out / str(tickets)


def creation_times(count: int, seed: int) -> list[int]:
    """When each ticket was created (seconds from START), sorted: tickets are numbered in order."""
    rand = random.Random(f"{seed}:created").random
    created = []
    for _ in range(count):
        day = bisect_right(DAY_CUM, rand())
        hour = bisect_right(HOUR_CUM, rand())
        second = day * 86400 + hour * 3600 + int(rand() * 3600)
        created.append(min(second, AS_OF_SECOND - 60))
    created.sort()
    return created


_WORKER_GENERATOR: Generator | None = None


def render_chunk(job: tuple[int, int, int, list[int]]) -> tuple[bytes, bytes, int, int]:
    """CSV bytes (no header) of tickets ``first_number ...``: ticket rows and message rows.

    Each chunk draws from its own generator seeded with (seed, chunk index), so the output does
    not depend on how many processes write it.
    """
    global _WORKER_GENERATOR
    seed, chunk_index, first_number, created = job
    if _WORKER_GENERATOR is None or _WORKER_GENERATOR.seed != seed:
        _WORKER_GENERATOR = Generator(seed)
        _WORKER_GENERATOR.seed = seed  # type: ignore[attr-defined]
    gen = _WORKER_GENERATOR
    rng = random.Random(f"{seed}:chunk:{chunk_index}")
    ticket_buf, message_buf = io.StringIO(), io.StringIO()
    tw = csv.writer(ticket_buf, lineterminator="\n")
    mw = csv.writer(message_buf, lineterminator="\n")
    tickets, messages = [], []
    for offset, t0 in enumerate(created):
        row, message_rows = gen.ticket(f"T-{first_number + offset}", t0, rng)
        tickets.append(row)
        messages.extend(message_rows)
    tw.writerows(tickets)
    mw.writerows(messages)
    return (ticket_buf.getvalue().encode("utf-8"), message_buf.getvalue().encode("utf-8"),
            len(tickets), len(messages))


def generate(tickets: int, seed: int = DEFAULT_SEED, out: Path = DEFAULT_OUT,
             shuffled: bool = False, quiet: bool = False, processes: int | None = None) -> Path:
    """Write the files for ``tickets`` tickets into ``out/tickets`` and return that folder."""
    folder = data_dir(out, tickets)
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    manifest_path = folder / "manifest.json"
    manifest_path.unlink(missing_ok=True)  # a half-written set never looks complete
    created = creation_times(tickets, seed)
    jobs = [(seed, k, FIRST_TICKET + start, created[start:start + CHUNK])
            for k, start in enumerate(range(0, tickets, CHUNK))]
    processes = processes or min(os.cpu_count() or 1, 4)
    ticket_count = message_count = 0
    with (folder / "tickets.csv").open("wb") as tf, (folder / "messages.csv").open("wb") as mf:
        tf.write((",".join(TICKET_HEADER) + "\n").encode())
        mf.write((",".join(MESSAGE_HEADER) + "\n").encode())
        pool = multiprocessing.Pool(processes) if processes > 1 and len(jobs) > 1 else None
        try:
            chunks = pool.imap(render_chunk, jobs) if pool else map(render_chunk, jobs)
            for ticket_bytes, message_bytes, n_tickets, n_messages in chunks:
                tf.write(ticket_bytes)
                mf.write(message_bytes)
                ticket_count += n_tickets
                message_count += n_messages
                if not quiet and ticket_count % 100000 == 0:
                    print(f"  {ticket_count:,} tickets, {time.perf_counter() - began:.1f} s",
                          file=sys.stderr)
        finally:
            if pool:
                pool.close()
                pool.join()
    files = {"tickets": "tickets.csv", "messages": "messages.csv"}
    if shuffled:
        _shuffle_file(folder / "messages.csv", folder / "messages-shuffled.csv", seed)
        files["messages_shuffled"] = "messages-shuffled.csv"
    elif (folder / "messages-shuffled.csv").exists():
        (folder / "messages-shuffled.csv").unlink()
    seconds = time.perf_counter() - began
    manifest = {
        "generator": "benchmarks/generate.py", "generator_version": GENERATOR_VERSION,
        "seed": seed, "tickets": ticket_count, "messages": message_count, "as_of": AS_OF,
        "files": {key: {"name": name, "bytes": (folder / name).stat().st_size}
                  for key, name in files.items()},
        "seconds": round(seconds, 2),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if not quiet:
        size = manifest["files"]["tickets"]["bytes"]
        print(f"wrote {folder}: {ticket_count:,} tickets ({size / 1e6:.1f} MB, "
              f"{size / max(ticket_count, 1):.0f} B/row), {message_count:,} messages "
              f"({manifest['files']['messages']['bytes'] / 1e6:.1f} MB) in {seconds:.1f} s",
              file=sys.stderr)
    return folder


def is_current(folder: Path, tickets: int, seed: int = DEFAULT_SEED, shuffled: bool = False) -> bool:
    """Whether ``folder`` already holds a complete set made by this generator version and seed."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if (manifest.get("generator_version"), manifest.get("seed"), manifest.get("tickets")) != (
            GENERATOR_VERSION, seed, tickets):
        return False
    if shuffled and "messages_shuffled" not in manifest.get("files", {}):
        return False
    return all((folder / f["name"]).is_file() and (folder / f["name"]).stat().st_size == f["bytes"]
               for f in manifest.get("files", {}).values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10000, help="tickets to write (default 10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="parent folder; files go to OUT/TICKETS/ (default benchmarks/data)")
    parser.add_argument("--shuffled", action="store_true",
                        help="also write messages-shuffled.csv, the message rows in random order")
    parser.add_argument("--force", action="store_true", help="regenerate even if up to date")
    parser.add_argument("--processes", type=int, default=None,
                        help="worker processes (default: CPUs, at most 4); the output is the same")
    args = parser.parse_args(argv)
    if args.tickets < 1:
        parser.error("--tickets must be at least 1")
    folder = data_dir(args.out, args.tickets)
    if not args.force and is_current(folder, args.tickets, args.seed, args.shuffled):
        print(f"{folder} is up to date (use --force to regenerate)", file=sys.stderr)
        return 0
    generate(args.tickets, args.seed, args.out, args.shuffled, processes=args.processes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
