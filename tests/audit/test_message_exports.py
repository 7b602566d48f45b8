"""Whole message-row exports through `run_audit`: messages typed column-wise (`message_columns`,
read by Arrow) and the reference path (`RowParser.message`, the csv module) give byte-identical
JSON reports.

Where tests/audit/test_columnar_exports.py draws ticket-row exports, this draws message rows as
helpdesks export them: any subset and order of the message columns (now and then no author_role,
a public or private flag under one of its aliases), roles and flags in any case and language and
some that are no role or flag at all, timestamps of every form `stamp_texts` writes and dotted,
epoch, blank, null, junk and year-1 ones, statuses and names with spaces and null markers, texts
the standards' phrase rules look for (with line breaks and delimiters, quoted), blank and spaced
ticket ids, conversations in blocks, split or shuffled, blank lines, `;;;` rows and ragged rows,
`,` `;` or tab, a BOM. Half the examples join a ticket-row CSV of some of the same ids, in the
messages' order (the streamed join) or not (the in-memory join). A standard of the corpus
(tests/audit/corpus.py) or the built-in default judges them.

Plain tests hold a ragged row past Arrow's first batch of messages (`JOINED_BATCHES`): the csv
module reads on from there, and every row is counted once; and rows Arrow gave that cannot stand
(its line count did not add up): the run is made again on the reference path.
SVCAUDIT_EQUIVALENCE_EXAMPLES=2000 digs deeper.
"""

from __future__ import annotations

import inspect
import json
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import svcaudit.audit.run as run_module
from svcaudit.audit.explain import find_ticket
from svcaudit.audit.run import run_audit
from svcaudit.errors import SvcauditError
from svcaudit.intake import arrow_csv
from svcaudit.intake.arrow_csv import JOINED_BATCHES
from svcaudit.intake.fields import ROLE_SYNONYMS
from svcaudit.intake.readers import ColumnarUnfit
from svcaudit.reporters import reporter
from svcaudit.reporters.protocol import to_text
from svcaudit.standard.loader import load_standard
from svcaudit.standard.model import Standard
from tests.audit.corpus import CORPUS, corpus_standard
from tests.audit.test_columnar_exports import (
    ANCHORS,
    AS_OF_AFTER,
    DELIMITERS,
    EXPORTS,
    IDS,
    NULLS,
    UTC,
    assert_same_reports,
    exports,
    quoted,
    report,
    stamp_texts,
)
from tests.paths import REPO

DEFAULT = "builtin:default"
STANDARDS = (DEFAULT, *sorted(CORPUS))
# Conversations of tickets the ticket-row file may hold (IDS), and of tickets only messages know.
MESSAGE_ONLY_IDS = ("M-1", "M-2")
# Each canonical column under the names exports give it (`columns.FIELD_ALIASES` for the flags).
HEADERS = {
    "ticket_id": ("ticket_id", "Ticket ID"),
    "created_at": ("created_at", "Created At"),
    "author_role": ("author_role", "Author Role"),
    "author": ("author",),
    "text": ("text", "Text"),
    "status": ("status",),
    "team": ("team",),
    "public": ("public", "is_public", "visibility"),
    "private": ("private", "internal", "is_private"),
}
OPTIONAL = ("author", "team", "public", "private")
CUSTOMER_ROLES = ("customer", "клиент", " Customer ", "CLIENT")
AGENT_ROLES = ("agent", " Agent ", "оператор", "Оператор", "AGENT")
MACHINE_ROLES = ("bot", " Bot ", "бот", "system", "Система")
OTHER_ROLES = tuple(sorted(ROLE_SYNONYMS))  # every accepted word: requester, staff, бот, event …
NOT_ROLES = ("", "robot", "?", "-", "n/a", "agent smith")
FLAGS = ("", "true", "false", "TRUE", "public", "internal", "note", "1", "0", "?", "maybe", "yes", "no", " Note ")
# Statuses as messages set them (in the corpus: pause `pending`, `on-hold`; resolved `done`, `Closed`).
STATUS_WORDS = ("solved", " Solved ", "SOLVED", "open", "Open", "pending", " Pending", "on-hold", "done", "Closed")
STATUSES = (*STATUS_WORDS, *NULLS, "-")
AUTHORS = ("Ann", " Ann ", "Анна Петрова", "Bo  Boss", "?", "n/a", "", " ")
TEAMS = ("L1", " L2 support ", "Поддержка", "?", "-", "")
# Fragments of messages, joined one to three at a time: greetings, apologies, closings, rudeness and
# the trigger and response phrases of the corpus's rules, names the ticket rows hold, delimiters,
# quotes and line breaks.
TEXTS = (
    "Здравствуйте!",
    "Добрый день, Маша.",
    "Hello Bob,",
    "hi",
    "Извините за ожидание.",
    "sorry for the long wait",
    "Thank you for contacting us. Kind regards",
    "Спасибо за обращение, всего доброго!",
    "have a great day",
    "это не моя проблема",
    "not my problem, read the manual",
    "you idiots",
    "хочу оператора",
    "Соединяю с оператором",
    "talk to a human",
    "connecting you to an agent",
    "I want a refund; see the refund policy",
    "thank you",
    "заказ 4139441\nне пришёл",
    'he said "fine"',
    "a,b;c\td",
    "?",
    "",
)
# Timestamps the reference reads in a form of its own, or rejects.
ODD_STAMPS = (*NULLS, "-", "soon", "0001-01-01", "0001-01-01T00:00:00Z", "9999-12-31 23:59", "2026-02-30 10:00")
BOM = b"\xef\xbb\xbf"
DEEP_ROWS = 5_400  # the plain test's messages: more than one batch of JOINED_BATCHES
DEEP_RAGGED = 4_500  # its ragged row stands after this row
# Its messages, some 200 bytes a row: the rows a whole block of Arrow's reading past the first
# batch fill well under the file.
DEEP_QUESTION = (
    'Hello, my order 4139441 is late: it was promised for Monday, the tracking page has said "in transit" '
    "for a week, and nobody answers the phone. Can you check it?"
)
DEEP_REPLY = "Здравствуйте! Извините за ожидание: заказ 4139441 передан курьеру, он привезёт его завтра. Всего доброго!"


@st.composite
def message_stamps(draw, zone: str, anchor: datetime) -> str:
    """A message's created_at: mostly as `stamp_texts` writes it, or dotted day-first, epoch
    seconds, or one the reference reads oddly or not at all (`ODD_STAMPS`)."""
    pick = draw(st.integers(0, 9))
    if pick == 9:
        return draw(st.sampled_from(ODD_STAMPS))
    if pick == 8:
        moment = anchor + timedelta(seconds=draw(st.integers(-86400, 5 * 86400)))
        if draw(st.booleans()):
            return moment.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")
        return str(int(moment.timestamp()))
    return draw(stamp_texts(zone, anchor))


@st.composite
def roles(draw) -> str:
    """Mostly customers and agents, so that conversations have replies to judge."""
    pick = draw(st.integers(0, 9))
    if pick < 4:
        return draw(st.sampled_from(CUSTOMER_ROLES))
    if pick < 7:
        return draw(st.sampled_from(AGENT_ROLES))
    return draw(st.sampled_from((MACHINE_ROLES, OTHER_ROLES, NOT_ROLES)[pick - 7]))


@st.composite
def message_texts(draw) -> str:
    """One to three fragments of `TEXTS`, on one line or several."""
    parts = draw(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3))
    return draw(st.sampled_from((" ", "\n"))).join(parts)


@st.composite
def spelled_ids(draw, ticket_id: str) -> str:
    """A ticket id as a row writes it: mostly as is, now and then spaced, blank or a null marker."""
    pick = draw(st.integers(0, 11))
    if pick == 10:
        return f" {ticket_id} "
    if pick == 11:
        return draw(st.sampled_from(("", " ", "?")))
    return ticket_id


def message_cell(column: str, zone: str, anchor: datetime) -> st.SearchStrategy[str]:
    """The strategy of one cell of a message row, by its canonical column."""
    if column == "created_at":
        return message_stamps(zone, anchor)
    if column == "author_role":
        return roles()
    if column == "text":
        return message_texts()
    values = {
        "author": AUTHORS,
        "status": STATUSES,
        "team": TEAMS,
        "public": FLAGS,
        "private": FLAGS,
    }[column]
    return st.sampled_from(values)


@st.composite
def conversations(draw) -> list[str]:
    """The ticket id of each message, in file order: conversations in blocks (a ticket may come
    back in a later block), or every message shuffled."""
    blocks = draw(
        st.lists(st.tuples(st.sampled_from(IDS + MESSAGE_ONLY_IDS), st.integers(1, 4)), min_size=1, max_size=5)
    )
    order = [ticket_id for ticket_id, messages in blocks for _ in range(messages)]
    return draw(st.permutations(order)) if draw(st.integers(0, 3)) == 0 else order


@st.composite
def message_exports(draw, zone: str, anchor: datetime, order: list[str]) -> bytes:
    """A message-row CSV of the messages of `order`, with blank lines, `;;;` rows and ragged rows
    anywhere among them."""
    # Rare choices at the top of a range: hypothesis tries the bottom more often.
    chosen = ["ticket_id"] if draw(st.integers(0, 39)) < 39 else []
    chosen += ["created_at"] if draw(st.integers(0, 19)) < 19 else []
    has_role = draw(st.integers(0, 5)) < 5
    chosen += ["author_role"] if has_role else []
    # A message file is one with an author_role or a text column (`columns.MESSAGE_MARKERS`).
    chosen += ["text"] if not has_role or draw(st.integers(0, 5)) < 5 else []
    # Statuses are what pause and resolution rules read of messages: their column more often.
    chosen += ["status"] if draw(st.integers(0, 3)) < 3 else []
    chosen += [column for column in OPTIONAL if draw(st.booleans())]
    columns = draw(st.permutations(chosen))
    delimiter = draw(st.sampled_from(DELIMITERS))
    quote_all = draw(st.booleans())
    header = [draw(st.sampled_from(HEADERS[column])) for column in columns]
    rows = []
    for ticket_id in order:
        rows.append(
            [
                draw(spelled_ids(ticket_id)) if column == "ticket_id" else draw(message_cell(column, zone, anchor))
                for column in columns
            ]
        )
    lines = [delimiter.join(quoted(cell, delimiter, quote_all) for cell in row) for row in rows]
    for _ in range(draw(st.integers(0, 3))):
        odd = draw(st.sampled_from(("blank", "delimiters", "short", "long")))
        if odd == "blank":
            line = ""
        elif odd == "delimiters":
            line = delimiter * (len(columns) - 1)
        else:
            row = draw(st.sampled_from(rows)) if rows else ["T1"] * len(columns)
            row = row[:-1] if odd == "short" and len(row) > 1 else [*row, "extra"]
            line = delimiter.join(quoted(cell, delimiter, quote_all) for cell in row)
        lines.insert(draw(st.integers(0, len(lines))), line)
    lines.insert(0, delimiter.join(quoted(name, delimiter, quote_all) for name in header))
    text = draw(st.sampled_from(("\n", "\r\n"))).join(lines) + draw(st.sampled_from(("\n", "")))
    return (BOM if draw(st.booleans()) else b"") + text.encode("utf-8")


@st.composite
def json_message_value(draw, column: str, zone: str, anchor: datetime, ticket_id: str) -> object:
    """A message field as an API gives it: mostly the text a CSV cell holds, or null, a number
    (ids, epoch seconds, authors, a float text), a flag (public, private), a list."""
    pick = draw(st.integers(0, 9))
    if pick == 9:
        return None
    if pick == 8:
        if column == "created_at":
            moment = anchor + timedelta(seconds=draw(st.integers(-86400, 5 * 86400)))
            return draw(st.sampled_from((int(moment.timestamp()), moment.timestamp() + 0.5)))
        if column in ("public", "private"):
            return draw(st.booleans())
        return draw(st.sampled_from((7, 5.0, 2.5, True, ["a", 1])))
    if column == "ticket_id":
        return draw(spelled_ids(ticket_id))
    return draw(message_cell(column, zone, anchor))


@st.composite
def json_message_exports(draw, zone: str, anchor: datetime, order: list[str]) -> tuple[str, bytes]:
    """The messages of `order` as JSON Lines or a JSON array of objects (its suffix and bytes):
    keys in any order, each left out now and then, a nested object on some rows."""
    columns = ["ticket_id", "created_at", "text", *[c for c in ("author_role", *OPTIONAL) if draw(st.booleans())]]
    rows = []
    for ticket_id in order:
        row = {}
        for column in draw(st.permutations(columns)):
            if draw(st.integers(0, 7)) < 7:
                row[column] = draw(json_message_value(column, zone, anchor, ticket_id))
        if draw(st.integers(0, 3)) == 0:
            row["via"] = {"channel": draw(st.sampled_from(("web", "email"))), "source": {"rel": None}}
        rows.append(row)
    if draw(st.booleans()):
        return ".jsonl", "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    return ".json", json.dumps(rows, ensure_ascii=False).encode("utf-8")


@st.composite
def ticket_rows_of(draw, zone: str, anchor: datetime, order: list[str]) -> bytes:
    """A plain ticket-row CSV of the tickets of `order` the ticket file may hold, and maybe one
    without messages: in the messages' order (so the join streams) or shuffled."""
    ids = [ticket_id for ticket_id in dict.fromkeys(order) if ticket_id in IDS]
    ids += [ticket_id for ticket_id in IDS if ticket_id not in ids][: draw(st.integers(0, 1))]
    if draw(st.integers(0, 3)) == 0:
        ids = draw(st.permutations(ids))
    delimiter = draw(st.sampled_from(DELIMITERS))
    lines = [delimiter.join(("ticket_id", "created_at", "priority", "customer_name", "status", "reopens", "csat"))]
    for ticket_id in ids:
        row = (
            draw(spelled_ids(ticket_id)),
            draw(stamp_texts(zone, anchor)),
            draw(st.sampled_from(("urgent", "high", "normal", "", "?"))),
            draw(st.sampled_from(("Bob", "Маша", ""))),
            draw(st.sampled_from(("solved", "open", "pending", "", "Closed"))),
            draw(st.sampled_from(("0", "1", ""))),
            draw(st.sampled_from(("5", "2", ""))),
        )
        lines.append(delimiter.join(quoted(cell, delimiter, False) for cell in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


@st.composite
def drawn_inputs(draw) -> tuple[Standard, datetime, tuple[str, bytes], bytes | None]:
    """A standard (of the corpus, any `input.duplicates` and `input.date_order`, or the built-in
    default), the anchor its exports are stamped around, a message export (its suffix and bytes:
    a CSV, or JSON Lines or a JSON array a quarter of the time), and a ticket-row export or None
    (half the time; a quarter of those drawn by `exports`, any ids in any order)."""
    name = draw(st.sampled_from(STANDARDS), label="standard")
    if name == DEFAULT:
        standard = load_standard(DEFAULT)
    else:
        standard = corpus_standard(
            name,
            draw(st.sampled_from(("reject", "first")), label="duplicates"),
            draw(st.sampled_from((None, "day-first", "month-first")), label="date_order"),
        )
    anchor = draw(st.sampled_from(ANCHORS), label="anchor")
    order = draw(conversations(), label="conversations")
    if draw(st.integers(0, 3), label="json") == 0:
        messages = draw(json_message_exports(standard.timezone, anchor, order), label="messages")
    else:
        messages = (".csv", draw(message_exports(standard.timezone, anchor, order), label="messages"))
    tickets = None
    pick = draw(st.integers(0, 7), label="ticket file")
    if pick >= 5:
        tickets = draw(ticket_rows_of(standard.timezone, anchor, order), label="tickets")
    elif pick == 4:
        tickets = draw(exports(standard.timezone, anchor), label="tickets")
    return standard, anchor, messages, tickets


def joined_report(standard: Standard, paths: list[Path], as_of: datetime, columnar: bool) -> str:
    """`report` of exports read together."""
    try:
        result = run_audit(standard, paths, as_of, columnar=columnar)
    except SvcauditError as exc:
        return f"{type(exc).__name__}: {exc}"
    return to_text(reporter("json"), result)


@EXPORTS
@given(data=st.data())
def test_drawn_message_exports_report_alike_on_both_paths(data, tmp_path_factory):
    standard, anchor, messages, tickets = data.draw(drawn_inputs())
    as_of = anchor + data.draw(st.sampled_from(AS_OF_AFTER), label="as_of")
    folder = tmp_path_factory.mktemp("export")
    suffix, content = messages
    message_path = folder / f"messages{suffix}"
    message_path.write_bytes(content)
    if tickets is None:
        assert_same_reports(standard, message_path, as_of)
        return
    ticket_path = folder / "tickets.csv"
    ticket_path.write_bytes(tickets)
    paths = data.draw(st.permutations([ticket_path, message_path]), label="paths")
    assert joined_report(standard, paths, as_of, columnar=True) == joined_report(standard, paths, as_of, columnar=False)


def deep_ragged_export(path: Path) -> int:
    """A message CSV of `DEEP_ROWS` messages, one row a cell short: the first after `DEEP_RAGGED`
    that starts a whole Arrow block (`JOINED_BATCHES.block_bytes`) past the end of the first
    batch's rows, so that Arrow reads it only after that batch went out. Its rows, the ragged one
    included."""
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    lines = []
    for row in range(DEEP_ROWS):
        ticket, reply = divmod(row, 2)
        stamp = (start + timedelta(minutes=30 * row)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if reply:
            lines.append(f"T{ticket},{stamp},agent,{quoted(DEEP_REPLY, ',', False)},solved")
        else:
            lines.append(f"T{ticket},{stamp},customer,{quoted(DEEP_QUESTION, ',', False)},open")
    ends = np.cumsum([len(line.encode("utf-8")) + 1 for line in lines])
    past_a_block = int(np.searchsorted(ends, ends[JOINED_BATCHES.rows - 1] + JOINED_BATCHES.block_bytes)) + 1
    ragged = max(past_a_block, DEEP_RAGGED)
    assert ragged < DEEP_ROWS - 1
    lines[ragged] = lines[ragged].rsplit(",", 1)[0]
    path.write_text("\n".join(["ticket_id,created_at,author_role,text,status", *lines]) + "\n", encoding="utf-8")
    return len(lines)


def recorded_readings(monkeypatch) -> list[bool]:
    """Whether each intake `run_audit` makes reads by Arrow (`columnar`), as they are made."""
    make_intake = run_module.make_intake
    readings: list[bool] = []

    def recorded_intake(*args, **kwargs):
        readings.append(inspect.signature(make_intake).bind(*args, **kwargs).arguments.get("columnar", True))
        return make_intake(*args, **kwargs)

    monkeypatch.setattr(run_module, "make_intake", recorded_intake)
    return readings


def test_a_ragged_row_past_the_first_batch_is_read_on_by_the_csv_module(tmp_path, monkeypatch):
    path = tmp_path / "messages.csv"
    rows = deep_ragged_export(path)
    standard = load_standard(DEFAULT)
    as_of = datetime(2027, 1, 1, tzinfo=UTC)
    readings = recorded_readings(monkeypatch)
    columnar = report(standard, path, as_of, columnar=True)
    monkeypatch.undo()
    assert readings == [True]  # one reading: Arrow's batches, then the csv module's from the ragged row
    assert columnar == report(standard, path, as_of, columnar=False)
    (stats,) = json.loads(columnar)["inputs"]
    assert (stats["rows_read"], stats["rows_rejected"]) == (rows, 1)


def test_rows_arrow_gave_that_cannot_stand_make_the_run_again(tmp_path, monkeypatch):
    path = tmp_path / "messages.csv"
    rows = deep_ragged_export(path)
    standard = load_standard(DEFAULT)
    as_of = datetime(2027, 1, 1, tzinfo=UTC)
    real = arrow_csv.read_cell_batches

    def miscounted(export, shape):
        yield from islice(real(export, shape), 2)
        raise ColumnarUnfit("rows cover fewer lines than the file has", rows_trusted=False)

    monkeypatch.setattr(arrow_csv, "read_cell_batches", miscounted)
    readings = recorded_readings(monkeypatch)
    columnar = report(standard, path, as_of, columnar=True)
    assert readings == [True, False]
    monkeypatch.undo()
    assert columnar == report(standard, path, as_of, columnar=False)
    (stats,) = json.loads(columnar)["inputs"]
    assert (stats["rows_read"], stats["rows_rejected"]) == (rows, 1)
    last = f"T{DEEP_ROWS // 2 - 1}"
    monkeypatch.setattr(arrow_csv, "read_cell_batches", miscounted)
    assert find_ticket(standard, [path], last, as_of=as_of).ticket_id == last  # explain reads again too


def test_explain_finds_a_ticket_past_a_ragged_row_found_late(tmp_path):
    """`svcaudit explain` reads the inputs as `check` does, past a ragged row Arrow finds after a
    batch went out."""
    path = tmp_path / "messages.csv"
    deep_ragged_export(path)
    standard = load_standard(DEFAULT)
    as_of = datetime(2027, 1, 1, tzinfo=UTC)
    last = f"T{DEEP_ROWS // 2 - 1}"  # a conversation after the ragged row
    ticket = find_ticket(standard, [path], last, as_of=as_of)
    assert ticket.ticket_id == last and len(ticket.messages) == 2
    assert [m.ref.row for m in ticket.messages] == [DEEP_ROWS, DEEP_ROWS + 1]


REAL = REPO / "tests" / "intake" / "fixtures" / "real"
# (standard, exports): helpdesks' message exports with the standards that read them (their value
# tables included), and the samples with the default standard.
REAL_EXAMPLES = [
    (REAL / "zendesk-comments.yaml", [REAL / "zendesk-ticket-comments.csv"]),
    (REAL / "intercom-parts.yaml", [REAL / "intercom-conversation-parts.csv"]),
    (REAL / "jira-comments.yaml", [REAL / "jira-comments.csv"]),
    (REAL / "servicenow-journal.yaml", [REAL / "servicenow-journal.csv"]),
    (REAL / "servicenow-events.yaml", [REAL / "servicenow-incident-events.csv"]),
    (REAL / "freshdesk-conversations.yaml", [REAL / "freshdesk-conversations.json"]),
    (REPO / "samples" / "zendesk" / "svcaudit.yaml", sorted((REPO / "samples" / "zendesk").glob("*.csv"))),
    (DEFAULT, [REPO / "samples" / "tickets.csv", REPO / "samples" / "messages.csv"]),
]


def example_id(value: object) -> str | None:
    return value if isinstance(value, str) else getattr(value, "stem", None)


@pytest.mark.parametrize("standard_path, paths", REAL_EXAMPLES, ids=example_id)
def test_real_message_exports_report_alike_on_both_paths(standard_path, paths):
    standard = load_standard(str(standard_path))
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    columnar = joined_report(standard, paths, as_of, columnar=True)
    assert '"tickets": 0' not in columnar
    assert columnar == joined_report(standard, paths, as_of, columnar=False)
