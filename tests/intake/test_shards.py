"""Sharded CSV reading: the shards' rows, concatenated, are exactly the whole-file read's rows.

Each case is a file's bytes; every eligible one is cut into 2, 3 and 7 shards (with a tiny
`min_bytes`) and read shard by shard, each with a fresh ExportFile as a worker process would.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.errors import InputError
from svcaudit.intake.readers import ExportFile, Record, RecordError
from svcaudit.intake.shards import Shard, ShardMisaligned, ascii_transparent, plan_shards

TINY = 128  # min_bytes for the cases: every one of them is larger
COUNTS = (2, 3, 7)
ROWS = 30
RU = "Здравствуйте, ваш заказ готов к выдаче. Спасибо!"


def lines(rows: list[str], newline: str = "\n") -> str:
    return "".join(row + newline for row in rows)


def repeated(make, count: int = ROWS) -> list[str]:
    return [make(number) for number in range(1, count + 1)]


def multiline_row(number: int) -> str:
    if number % 3 == 0:
        return f'{number},"Subject {number}","first line\nsecond ""quoted"" line\n, third"'
    if number % 3 == 1:
        return f'{number},plain subject,"a ""doubled"" quote, and a comma"'
    return f'{number},"",""'


def crlf_row(number: int) -> str:
    return multiline_row(number).replace("\n", "\r\n")


CASES: list[tuple[str, bytes, str | None]] = [
    ("quoted newlines, LF", lines(["id,subject,body", *repeated(multiline_row)]).encode(), None),
    ("quoted newlines, CRLF", lines(["id,subject,body", *repeated(crlf_row)], "\r\n").encode(), None),
    (
        "BOM, non-ASCII UTF-8, a line starting with U+FEFF",
        codecs.BOM_UTF8
        + lines(
            [
                "id,name,body",
                *repeated(lambda n: f"\ufeff{n},Анна,ünïcödé 日本 {n}" if n % 7 == 0 else f'{n},Анна,"{RU}\nЁж"'),
            ]
        ).encode(),
        None,
    ),
    (
        "sep= line and semicolons",
        lines(
            ["sep=;", "id;subject;body", *repeated(lambda n: f'{n};"a;b";"x\ny"' if n % 2 else f"{n};plain;1,5")]
        ).encode(),
        None,
    ),
    (
        "semicolons sniffed, CRLF",
        lines(["id;subject;body", *repeated(lambda n: f'{n};"s;{n}";"b\r\nc"')], "\r\n").encode(),
        None,
    ),
    ("tabs", lines(["id\tsubject\tbody", *repeated(lambda n: f'{n}\t"t\tx"\tbody')]).encode(), None),
    (
        "blank lines and ;;; rows",
        lines(
            [
                "",
                "",
                "id;subject;body",
                "",
                *repeated(lambda n: ";;" if n % 5 == 0 else ("" if n % 4 == 0 else f"{n};s;b")),
            ]
        ).encode(),
        None,
    ),
    (
        "ragged rows",
        lines(
            [
                "id,subject,body",
                *repeated(
                    lambda n: f"{n},short" if n % 4 == 0 else (f'{n},"long\nrow",b,extra' if n % 5 == 0 else f"{n},s,b")
                ),
            ]
        ).encode(),
        None,
    ),
    (
        "bad quoting rows",
        lines(["id,subject,body", *repeated(lambda n: f'{n},"abc"x,2' if n % 6 == 0 else f'{n},"ok\nok",b')]).encode(),
        None,
    ),
    (
        "a quote never closed near the end",
        lines(["id,subject,body", *repeated(lambda n: f"{n},s,b"), '99,"open', "on,and", "on"]).encode(),
        None,
    ),
    (
        "no newline at the end of the file",
        ("id,subject,body\n" + lines(repeated(lambda n: f'{n},"s\ns",b')) + "last,row,here").encode(),
        None,
    ),
    (
        "header spanning two lines",
        lines(['id,"sub', 'ject",body', *repeated(lambda n: f'{n},"s\n{n}",b')]).encode(),
        None,
    ),
    ("quotes in the header", lines(['"id","sub""ject","body"', *repeated(lambda n: f'"{n}","s","b"')]).encode(), None),
    ("one column", lines(["id", *repeated(lambda n: f'"{n}\nline"' if n % 2 else str(n))]).encode(), None),
    ("cp1251, detected", lines(["id;name;body", *repeated(lambda n: f'{n};Анна;"{RU}\nЁлка"')]).encode("cp1251"), None),
    ("cp1251, declared", lines(["id;name;body", *repeated(lambda n: f"{n};Анна;{RU}")]).encode("cp1251"), "cp1251"),
    ("koi8-r, declared", lines(["id;name;body", *repeated(lambda n: f'{n};Анна;"{RU}\n"')]).encode("koi8_r"), "koi8_r"),
    (
        "NUL bytes and invalid UTF-8",
        b"id,subject,body\n"
        + b"".join(
            (b'%d,"nul\x00here",b\n' % n)
            if n % 5 == 0
            else ((b"%d,caf\xe9,b\n" % n) if n % 7 == 0 else (b'%d,"s\ns",b\n' % n))
            for n in range(1, ROWS + 1)
        ),
        None,
    ),
    ("repeated and blank column names", lines(["id,tag,tag,", *repeated(lambda n: f'{n},"a\nb",c,d')]).encode(), None),
]
CASE_IDS = [case[0] for case in CASES]


def write(tmp_path: Path, content: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def whole(path: Path, encoding: str | None) -> tuple[list[Record | RecordError], list[str]]:
    export = ExportFile(path, encoding)
    return list(export.records()), export.columns


def read_shards(path: Path, encoding: str | None, plan: list[Shard], fresh: bool) -> list[Record | RecordError]:
    """All shards' rows in order; `fresh`: each shard read by a new ExportFile, as by a worker
    that did not plan; else by one export, as by workers forked from the planner."""
    shared = ExportFile(path, encoding)
    rows: list[Record | RecordError] = []
    for shard in plan:
        export = ExportFile(path, encoding) if fresh else shared
        rows.extend(export.records(shard))
        assert export.columns == whole(path, encoding)[1]
    return rows


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("name, content, encoding", CASES, ids=CASE_IDS)
def test_shards_read_the_same_rows_as_the_whole_file(tmp_path, name, content, encoding, count):
    path = write(tmp_path, content)
    expected, _ = whole(path, encoding)
    plan = plan_shards(ExportFile(path, encoding), count, min_bytes=TINY)
    assert plan is not None and 2 <= len(plan) <= count
    assert read_shards(path, encoding, plan, fresh=count % 2 == 1) == expected


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("name, content, encoding", CASES, ids=CASE_IDS)
def test_shards_cover_the_data_rows_from_line_starts(tmp_path, name, content, encoding, count):
    path = write(tmp_path, content)
    export = ExportFile(path, encoding)
    plan = plan_shards(export, count, min_bytes=TINY)
    assert plan is not None
    layout = export.csv_layout()
    assert layout is not None
    header_end = layout[1]
    data_start = len(b"".join(content.splitlines(keepends=True)[:header_end]))
    assert plan[0].start == data_start and plan[0].first_line == header_end + 1
    assert plan[-1].end == len(content) and plan[-1].end_line is None
    assert [shard.index for shard in plan] == list(range(len(plan)))
    for shard, following in zip(plan, plan[1:], strict=False):
        assert shard.end == following.start > shard.start
        assert shard.end_line == following.first_line
        assert content[following.start - 1 : following.start] == b"\n"
    for shard in plan:
        assert shard.first_line == content[: shard.start].count(b"\n") + 1
        assert shard.path == path and shard.encoding == export.encoding


def test_the_data_start_is_after_bom_sep_line_blank_lines_and_header(tmp_path):
    prefix = codecs.BOM_UTF8 + b'sep=;\r\n\r\n"id";"sub\r\nject"\r\n'
    path = write(tmp_path, prefix + b"1;a\r\n2;b\r\n" * 50)
    plan = plan_shards(ExportFile(path), 2, min_bytes=TINY)
    assert plan is not None
    assert (plan[0].start, plan[0].first_line) == (len(prefix), 5)


INELIGIBLE = [
    ("gzip", "export.csv.gz", gzip.compress(CASES[0][1]), {}),
    ("UTF-16 with BOM", "export.csv", CASES[0][1].decode().encode("utf-16"), {}),
    ("UTF-16 without BOM", "export.csv", CASES[0][1].decode().encode("utf-16-le"), {}),
    (
        "Shift-JIS",
        "export.csv",
        lines(["id,text", *repeated(lambda n: f"{n},こんにちは、ご注文の準備ができました")]).encode("shift_jis"),
        {},
    ),
    ("lone CR line ends", "export.csv", CASES[0][1].replace(b"\n", b"\r"), {}),
    (
        "a lone CR in a quoted field",
        "export.csv",
        lines(["id,body", *repeated(lambda n: f'{n},"a\rb"' if n == 20 else f"{n},b")]).encode(),
        {},
    ),
    ("smaller than the default min_bytes", "export.csv", CASES[0][1], {"min_bytes": None}),
    ("count 1", "export.csv", CASES[0][1], {"count": 1}),
    ("JSON Lines", "export.jsonl", b'{"id": 1}\n' * 100, {}),
    ("a header and no rows", "export.csv", b"id,subject,body\n" + b" " * TINY * 2, {}),
    ("an empty file", "export.csv", b"", {}),
    ("all data in one quoted field", "export.csv", b'id,body\n1,"' + b"line\n" * 100 + b'"\n', {}),
]


@pytest.mark.parametrize("name, file_name, content, options", INELIGIBLE, ids=[case[0] for case in INELIGIBLE])
def test_ineligible_files_get_no_plan(tmp_path, name, file_name, content, options):
    path = write(tmp_path, content, file_name)
    count = options.get("count", 3)
    if options.get("min_bytes", TINY) is None:
        assert plan_shards(ExportFile(path), count) is None
    else:
        assert plan_shards(ExportFile(path), count, min_bytes=TINY) is None


@pytest.mark.parametrize(
    "encoding, transparent",
    [
        ("utf-8", True),
        ("UTF8", True),
        ("utf-8-sig", True),
        ("ascii", True),
        ("latin-1", True),
        ("cp1251", True),
        ("koi8_r", True),
        ("cp866", True),
        ("iso8859_5", True),
        ("cp1252", True),
        ("utf-16", False),
        ("utf-16-le", False),
        ("utf-32", False),
        ("utf-7", False),
        ("cp037", False),
        ("cp932", False),
        ("gb18030", False),
        ("iso2022_jp", False),
        ("unicode_escape", False),
        ("no-such-codec", False),
    ],
)
def test_ascii_transparent_encodings(encoding, transparent):
    assert ascii_transparent(encoding) is transparent


def misleading_file() -> bytes:
    """A stray quote in an unquoted field (a literal to the csv module) flips the quote parity,
    so every cut after it lands inside a quoted field of a multi-line row."""
    rows = repeated(lambda n: f'{n},"first line\nsecond line",x', 60)
    return lines(["id,body,other", '0,a 5" screen,x', *rows]).encode()


def test_a_stray_quote_misleads_the_plan_and_reading_says_so(tmp_path):
    path = write(tmp_path, misleading_file())
    plan = plan_shards(ExportFile(path), 3, min_bytes=TINY)
    assert plan is not None and len(plan) >= 2
    # The cut really is inside a row of the whole-file read: no row starts on its line.
    row_starts = {row.row for row in whole(path, None)[0]}
    assert plan[1].first_line not in row_starts
    with pytest.raises(ShardMisaligned) as raised:
        list(ExportFile(path).records(plan[0]))
    assert raised.value.shard == plan[0]
    assert f"line {plan[1].first_line}" in str(raised.value)


def test_a_shard_of_another_file_or_encoding_is_refused(tmp_path):
    path = write(tmp_path, CASES[0][1])
    plan = plan_shards(ExportFile(path), 2, min_bytes=TINY)
    assert plan is not None
    with pytest.raises(ValueError):
        list(ExportFile(path, "cp1251").records(plan[0]))
    other = write(tmp_path, CASES[0][1], "other.csv")
    with pytest.raises(ValueError):
        list(ExportFile(other).records(plan[0]))


def test_reading_a_shard_leaves_the_whole_file_read_alone(tmp_path):
    path = write(tmp_path, CASES[0][1])
    export = ExportFile(path)
    expected = list(export.records())
    plan = plan_shards(export, 3, min_bytes=TINY)
    assert plan is not None
    list(export.records(plan[1]))
    assert list(export.records()) == expected


# -- properties ---------------------------------------------------------------------------------

FIELD_TEXT = st.lists(st.sampled_from(["a", "é", ",", '"', "\n", "\r\n", " ", ";", "Ж"]), max_size=12).map("".join)
ROWS_OF_FIELDS = st.lists(st.lists(FIELD_TEXT, min_size=1, max_size=4), min_size=3, max_size=40)
RAW_LINES = st.lists(
    st.lists(st.sampled_from(["a", ",", '"', '""', " ", "\n"]), max_size=10).map("".join), min_size=3, max_size=40
)


def shards_or_misaligned(path: Path, count: int) -> list[Record | RecordError] | None:
    """The shards' rows, None when a shard raised ShardMisaligned or no plan was made."""
    plan = plan_shards(ExportFile(path), count, min_bytes=1)
    if plan is None:
        return None
    try:
        return read_shards(path, None, plan, fresh=False)
    except ShardMisaligned:
        return None


@settings(max_examples=150, deadline=None)
@given(rows=ROWS_OF_FIELDS, newline=st.sampled_from(["\n", "\r\n"]), count=st.sampled_from(COUNTS))
def test_csv_writer_output_reads_the_same_sharded(tmp_path_factory, rows, newline, count):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(["id", "subject", "body"])
    writer.writerows(rows)
    path = write(tmp_path_factory.getbasetemp(), buffer.getvalue().encode(), "written.csv")
    plan = plan_shards(ExportFile(path), count, min_bytes=1)
    if plan is not None:  # csv.writer quotes every quote, so the parity cannot be misled
        assert read_shards(path, None, plan, fresh=False) == whole(path, None)[0]


@settings(max_examples=300, deadline=None)
@given(raw=RAW_LINES, count=st.sampled_from(COUNTS))
def test_any_quoting_reads_the_same_sharded_or_is_refused(tmp_path_factory, raw, count):
    """Stray, unbalanced and doubled quotes anywhere: a plan is either read exactly or one of its
    shards raises ShardMisaligned, never different rows."""
    path = write(tmp_path_factory.getbasetemp(), lines(["id,body", *raw]).encode(), "raw.csv")
    sharded = shards_or_misaligned(path, count)
    if sharded is not None:
        assert sharded == whole(path, None)[0]


@pytest.mark.parametrize("name, content, encoding", CASES, ids=CASE_IDS)
def test_counting_in_worker_processes_plans_the_same_cuts(tmp_path, name, content, encoding):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    path = write(tmp_path, content)
    counted: list[tuple] = []

    def watched(function, parts):
        parts = list(parts)
        counted.extend(parts)
        return map(function, parts)

    here = plan_shards(ExportFile(path, encoding), 3, min_bytes=TINY, map_ranges=watched)
    assert [start for _, start, _ in counted][1:] == [end for _, _, end in counted][:-1]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        assert plan_shards(ExportFile(path, encoding), 3, min_bytes=TINY, map_ranges=pool.map) == here


@pytest.mark.parametrize(
    "name, content, encoding",
    [
        *CASES,
        (
            "a NUL in the first row and an escape in the last",
            b'id,body\n1,"a\x00b"\n' + b"".join(b"%d,x\n" % n for n in range(2, ROWS)) + b"%d,\xff\n" % ROWS,
            None,
        ),
        ("a NUL in the header", b"id,bo\x00dy\n1,a\n2,b\n", None),
        (
            "only an escape, far into the file",  # decoded long after the header
            b"id,body\n" + b"".join(b"%d,%s\n" % (n, b"x" * 200) for n in range(1, 400)) + b"400,\xff\n",
            "utf-8",
        ),
    ],
    ids=[*CASE_IDS, "nul-first-escape-last", "nul-in-header", "escape-only"],
)
def test_reading_lines_directly_gives_the_rows_of_marked_lines(tmp_path, monkeypatch, name, content, encoding):
    """On Python 3.11+ the csv reader takes the text's lines directly (`CSV_READS_NUL`): the rows,
    their values and their RecordErrors (NUL, undecodable bytes) are those of the searched lines."""
    from svcaudit.intake import readers

    path = write(tmp_path, content)

    def everything(direct: bool) -> tuple:
        monkeypatch.setattr(readers, "CSV_READS_NUL", direct)
        export = ExportFile(path, encoding)
        plan = plan_shards(export, 3, min_bytes=TINY)
        try:
            rows = whole(path, encoding)
        except InputError as exc:  # a header that cannot be used: the same error either way
            return str(exc), None
        return rows, None if plan is None else read_shards(path, encoding, plan, fresh=True)

    if not readers.CSV_READS_NUL:
        pytest.skip("Python before 3.11 always searches the lines")
    assert everything(True) == everything(False)
