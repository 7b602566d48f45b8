"""Fuzzing `svcaudit check`: random bytes and random rows in, never a traceback, rows always conserved."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.helpers import AS_OF, EXAMPLES, STANDARD, check_report, invoke
from tests.fuzz.test_validate import mutated_standard

FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

TICKETS = (
    "ticket_id,created_at,first_reply_at,resolved_at,status,priority,customer_name,reopens,csat,nps\n"
    "T1,2026-03-02 09:00,2026-03-02 09:30,2026-03-03 10:00,solved,urgent,Анна,0,5,10\n"
    "T2,02.03.2026 10:00,,,open,normal,Bob,1,2,3\n"
)
MESSAGES = (
    "ticket_id,created_at,author_role,text,status\n"
    "T1,2026-03-02T09:00:00+01:00,customer,Помогите,\n"
    'T1,2026-03-02T09:30:00+01:00,agent,"Здравствуйте, Анна! Sorry",pending\n'
    "T1,2026-03-02T10:00:00+01:00,customer,ok,\n"
    "T1,2026-03-03T10:00:00+01:00,system,,solved\n"
    "T3,1772442000,customer,hello?,\n"
    "T3,1772449200000,agent,hello dumbo,\n"
)
SEEDS = {"tickets.csv": TICKETS, "messages.csv": MESSAGES}


def run_check(folder: str, *names: str):
    standard = Path(folder, "standard.yaml")
    standard.write_text(STANDARD, encoding="utf-8")
    return invoke(
        "check", *(Path(folder, n) for n in names), "--standard", standard, "--as-of", AS_OF, "--format", "json"
    )


@st.composite
def mutated(draw, seed: str) -> bytes:
    """A valid export, re-encoded and then damaged: bytes inserted, cut out, or the tail lost."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251", "utf-16-le"]))
    data = bytearray(seed.encode(encoding))
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(
            st.binary(min_size=1, max_size=8)
            | st.sampled_from(
                [b"\x00", b'"', b"\n", b"\r", b",", b";", b"\xff\xfe", b"\xd0", b"\xef\xbb\xbf", b"[", b"{"]
            )
        )
        if action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        else:
            data[position : position + len(chunk)] = chunk
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@FUZZ
@given(
    payload=st.one_of(st.binary(max_size=600), mutated(TICKETS), mutated(MESSAGES)),
    name=st.sampled_from(["export.csv", "export.tsv", "export.jsonl", "export.json", "export.txt", "export"]),
    compress=st.sampled_from(["no", "gzip", "truncated gzip"]),
)
def test_random_bytes_never_crash_check(payload, name, compress):
    if compress != "no":
        payload = gzip.compress(payload, mtime=0)
        name += ".gz"
        if compress == "truncated gzip":
            payload = payload[: max(1, len(payload) * 2 // 3)]
    with TemporaryDirectory() as folder:
        Path(folder, name).write_bytes(payload)
        check_report(run_check(folder, name))


@FUZZ
@given(ticket_bytes=mutated(TICKETS), message_bytes=mutated(MESSAGES))
def test_damaged_ticket_and_message_files_together(ticket_bytes, message_bytes):
    with TemporaryDirectory() as folder:
        Path(folder, "tickets.csv").write_bytes(ticket_bytes)
        Path(folder, "messages.csv").write_bytes(message_bytes)
        check_report(run_check(folder, "tickets.csv", "messages.csv"))


cells = st.one_of(
    st.sampled_from(
        [
            "",
            "T1",
            "T2",
            "T3",
            "2026-03-02 09:00",
            "2026-03-02T12:00:00Z",
            "02.03.2026 18:30",
            "1772442000",
            "0001-01-01",
            "2026-03-29 02:30",
            "2026-10-25 02:30",
            "agent",
            "customer",
            "bot",
            "system",
            "solved",
            "pending",
            "closed",
            "urgent",
            "5",
            "10",
            "-1",
            "1e999",
            "nan",
            "Анна",
            "hello idiot",
            "Здравствуйте, Анна! Sorry",
            "{customer_name}",
        ]
    ),
    st.text(max_size=10),
)
json_cells = st.one_of(
    cells,
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**13),
    st.floats(),
    st.lists(cells, max_size=2),
    st.dictionaries(st.text(max_size=3), cells, max_size=2),
)
TICKET_COLUMNS = [
    "ticket_id",
    "created_at",
    "first_reply_at",
    "resolved_at",
    "status",
    "priority",
    "customer_name",
    "reopens",
    "csat",
    "nps",
]
MESSAGE_COLUMNS = ["ticket_id", "created_at", "author_role", "text", "status"]


def csv_bytes(columns: list[str], rows: list[list[str]]) -> tuple[bytes, int]:
    """A CSV of the rows, and how many of them hold anything but blanks (the rows svcaudit reads)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    text = buffer.getvalue()
    read_back = list(csv.reader(io.StringIO(text, newline="")))[1:]
    return text.encode("utf-8"), sum(1 for fields in read_back if any(v.strip() for v in fields))


@FUZZ
@given(
    ticket_rows=st.lists(st.lists(cells, min_size=9, max_size=11), max_size=10),
    message_rows=st.lists(st.lists(cells, min_size=4, max_size=6), max_size=15),
    message_objects=st.lists(
        st.dictionaries(st.sampled_from(MESSAGE_COLUMNS + ["Ticket ID", "extra"]), json_cells, max_size=6), max_size=8
    ),
)
def test_random_rows_are_conserved(ticket_rows, message_rows, message_objects):
    with TemporaryDirectory() as folder:
        tickets, ticket_count = csv_bytes(TICKET_COLUMNS, ticket_rows)
        messages, message_count = csv_bytes(MESSAGE_COLUMNS, message_rows)
        Path(folder, "tickets.csv").write_bytes(tickets)
        Path(folder, "messages.csv").write_bytes(messages)
        Path(folder, "more.jsonl").write_text("".join(json.dumps(o) + "\n" for o in message_objects), encoding="utf-8")
        result = run_check(folder, "tickets.csv", "messages.csv", "more.jsonl")
        report = check_report(result)
        if report is None:  # an input error: only a clash of keys in the first JSON object can cause one
            assert "would both be read as" in result.stderr or "no ticket_id column" in result.stderr, result.stderr
            return
        read = {Path(i["path"]).name: i["rows_read"] for i in report["inputs"]}
        assert read["tickets.csv"] == ticket_count
        assert read["messages.csv"] == message_count
        assert read["more.jsonl"] == len(message_objects)


# Raw YAML scalars at the edges of what a standard may hold: huge and tiny numbers, durations
# beyond any clock, YAML's own spellings of infinity and NaN, shares beyond 100%.
RAW_SCALARS = [
    "9" * 5000,
    "-" + "9" * 400,
    "99999999999999999999d",
    "P99999999999999999999D",
    "36526bd",
    "1e400",
    "-1e400",
    "5e-324",
    ".nan",
    ".inf",
    "-.inf",
    "0x7fffffffffffffffffff",
    "1_000_000_000_000_000_000",
    "0o777777777777777777777",
    "-0",
    "101%",
    "1e-400%",
    "99999999999999999999%",
    "0s",
    "-1h",
    "~",
    "''",
    "!!binary aGk=",
    "2026-02-30",
]
STANDARD_VALUE = re.compile(r"(?<=[\s:\[{,])(?:\d[\w.%]*|\"[^\"\n]*\")")


@st.composite
def hostile_standard(draw) -> str:
    """The fuzz standard (or one changed as `validate`'s fuzzing changes it) with a value replaced
    by a raw scalar, deep nesting spliced into a rule, or random characters inserted: shapes only
    text can give (yaml.safe_dump would quote them)."""
    text = draw(st.just(STANDARD) | mutated_standard())
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["scalar", "nesting", "characters"]))
        if kind == "scalar":
            spots = list(STANDARD_VALUE.finditer(text))
            if spots:
                spot = draw(st.sampled_from(spots))
                text = text[: spot.start()] + draw(st.sampled_from(RAW_SCALARS)) + text[spot.end() :]
        elif kind == "nesting":
            depth = draw(st.integers(1, 300))
            opener = draw(st.sampled_from(["[", "{a: "]))
            closer = "]" if opener == "[" else "}"
            nested = opener * depth + "x" + closer * depth
            text += f"  - {{id: deep, check: phrases, in: transcript, require_any: {nested}}}\n"
        else:
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(st.text(max_size=4)) + text[position:]
    return text


@FUZZ
@given(text=hostile_standard())
def test_hostile_standards_never_crash_check(text):
    with TemporaryDirectory() as folder:
        for name, seed in SEEDS.items():
            Path(folder, name).write_text(seed, encoding="utf-8")
        standard = Path(folder, "standard.yaml")
        standard.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = invoke(
            "check", *(Path(folder, n) for n in SEEDS), "--standard", standard, "--as-of", AS_OF, "--format", "json"
        )
        if check_report(result) is None:  # refused: one line naming the standard's file
            assert "standard.yaml" in result.stderr, result.stderr
