"""`print_table` prints what rich's Table prints, whichever of the two lays the table out."""

from __future__ import annotations

import io

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.table import Column, Table
from rich.text import Text

from svcaudit.reporters import text_table
from svcaudit.reporters.escaping import single_joiners, terminal
from svcaudit.reporters.text import console_for
from svcaudit.reporters.text_table import TableColumn, print_table

# Latin, Cyrillic, wide CJK, an emoji, a combining mark, digits and signs, and what makes rich
# lay a table out itself: a line break, a tab, a zero-width joiner.
CHARACTERS = st.sampled_from(list("ab zЖжё日本🙂\u0301 0.%+−Δ-") + ["\n", "\t", "\u200d"])
# A run of zero-width joiners is one in every cell the reporters print (`escaping.terminal`):
# rich 15 fails cutting a cell where two stand before a wide character.
CELL = st.text(CHARACTERS, max_size=12).map(single_joiners)


def _rich(title, columns, rows, width, color=False):
    """What rich prints for the table: the oracle, made from rich's own `Column`s."""
    buffer = io.StringIO()
    headers = [Column(c.name, justify=c.justify, overflow=c.overflow) for c in columns]
    table = Table(*headers, title=title, title_justify="left")
    for row in rows:
        table.add_row(*row)
    console_for(buffer, color, width).print(table)
    return buffer.getvalue()


def _ours(title, columns, rows, width, color=False):
    buffer = io.StringIO()
    print_table(console_for(buffer, color, width), title, columns, rows)
    return buffer.getvalue()


@st.composite
def tables(draw):
    count = draw(st.integers(1, 5))
    columns = [
        TableColumn(draw(CELL), draw(st.sampled_from(["left", "right"])), draw(st.sampled_from(["ellipsis", "fold"])))
        for _ in range(count)
    ]
    rows = draw(st.lists(st.lists(CELL, min_size=count, max_size=count), max_size=6))
    styled = [[Text(cell, style="green") if draw(st.booleans()) else cell for cell in row] for row in rows]
    return draw(st.text(CHARACTERS, max_size=20)), columns, styled, draw(st.integers(20, 120))


@settings(max_examples=400, deadline=None)
@given(tables())
def test_a_table_prints_as_rich_prints_it(table) -> None:
    title, columns, rows, width = table
    assert _ours(title, columns, rows, width) == _rich(title, columns, rows, width)


def test_long_tables_that_fit_are_laid_out_here_and_the_others_by_rich(monkeypatch) -> None:
    """The property above holds whoever lays a table out: these say who does."""
    columns = [TableColumn("Week"), TableColumn("Tickets", "right")]
    rows = [["2025-W48", str(n)] for n in range(3)]
    made = []
    original = text_table._laid_out

    def spy(*args):
        made.append(original(*args))
        return made[-1]

    monkeypatch.setattr(text_table, "_laid_out", spy)
    assert _ours("Compliance", columns, rows, 80) == _rich("Compliance", columns, rows, 80)
    assert made[-1] is not None  # fits: laid out here
    for title, cells, width, color in [
        ("Compliance", rows, 10, False),  # too wide for the console
        ("Compliance", [["two\nlines", "1"]], 80, False),  # a cell of two lines
        ("A title longer than the table is wide", rows, 80, False),  # rich wraps the title
        ("Compliance", rows, 80, True),  # colour
    ]:
        assert _ours(title, columns, cells, width, color) == _rich(title, columns, cells, width, color)
        assert made[-1] is None


FITTING_CELL = st.text(st.sampled_from(list("ab zЖжё日本🙂 0.%+−Δ-")), max_size=8).map(str.strip)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(FITTING_CELL, st.sampled_from(["left", "right"])), min_size=1, max_size=6),
    st.data(),
)
def test_a_table_that_fits_is_laid_out_here_as_rich_lays_it_out(header, data) -> None:
    columns = [TableColumn(name, justify) for name, justify in header]
    rows = data.draw(st.lists(st.lists(FITTING_CELL, min_size=len(columns), max_size=len(columns)), max_size=8))
    title = data.draw(FITTING_CELL)
    widths = [
        max(cell_len(cell) for cell in column) for column in zip(*([c.name for c in columns], *rows), strict=True)
    ]
    assume(cell_len(title) <= sum(widths) + 3 * len(widths) + 1)  # a longer title is rich's to wrap
    buffer = io.StringIO()
    assert text_table._laid_out(console_for(buffer, False, 200), title, columns, rows) is not None
    assert _ours(title, columns, rows, 200) == _rich(title, columns, rows, 200)


def _in_parts(title, columns, rows, width, naming, group):
    buffer = io.StringIO()
    text_table.print_table_in_parts(console_for(buffer, False, width), title, columns, rows, naming, group)
    return buffer.getvalue()


def _tables(printed):
    """Each printed table's title and its rows of cells (header first), read back from the text."""
    tables: list = []
    for line in printed.splitlines():
        if line.startswith(("┃", "│")):
            tables[-1][1].append([cell.strip() for cell in line[1:-1].split(line[0])])
        elif tables and not tables[-1][1] and not line.startswith("┏"):
            tables[-1] = (tables[-1][0] + " " + line.strip(), [])  # a title rich wrapped
        elif not line.startswith(("┏", "┡", "└")):
            tables.append((line.rstrip(), []))
    return tables


# A week, an agent and tickets name a row; pairs of a figure and its change follow.
WEEKLY = [TableColumn("Week"), TableColumn("Agent"), TableColumn("Tickets", "right")] + [
    TableColumn(name, justify)
    for figure in ("1st reply median", "1st reply p90", "Resolution median", "Resolution p90")
    for name, justify in ((figure, "right"), ("Δ", "left"))
]
WEEKLY_ROWS = [
    ["2026-W46", "Ann", "2", "30m", "", "2h", "", "2h", "", "1d 2h", ""],
    ["2026-W47", "Ann", "1", "30m", "=", "30m", "▼ -1h 30m", "1h", "▼ -1h", "23d 9h", "▲ +18d 10h"],
]


@pytest.mark.parametrize(
    ("width", "parts"),
    [
        (200, [["1st reply median", "1st reply p90", "Resolution median", "Resolution p90"]]),
        (100, [["1st reply median", "1st reply p90"], ["Resolution median", "Resolution p90"]]),
        (60, [["1st reply median"], ["1st reply p90"], ["Resolution median"], ["Resolution p90"]]),
    ],
)
def test_a_wide_table_is_printed_in_parts_that_each_name_their_rows(width, parts) -> None:
    printed = _in_parts("Response times", WEEKLY, WEEKLY_ROWS, width, naming=3, group=2)
    tables = _tables(printed)
    assert [[name for name in header[3::2]] for _, (header, *_) in tables] == parts
    if len(parts) == 1:
        assert printed == _ours("Response times", WEEKLY, WEEKLY_ROWS, width)
        return
    assert [title for title, _ in tables] == [
        f"Response times (part {k} of {len(parts)})" for k in range(1, len(parts) + 1)
    ]
    for _, (header, *rows) in tables:
        assert header[:3] == ["Week", "Agent", "Tickets"]
        assert [row[:3] for row in rows] == [row[:3] for row in WEEKLY_ROWS]  # nothing cut or wrapped
    assert all(cell_len(line) <= width for line in printed.splitlines())


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 3),
    st.integers(1, 3),
    st.integers(1, 9),
    st.data(),
)
def test_parts_hold_every_column_once_and_fit_when_each_group_fits(naming, group, figures, data) -> None:
    names = [f"c{index}" for index in range(naming + figures)]
    columns = [TableColumn(name) for name in names]
    row = data.draw(st.lists(st.text("abcdef", min_size=1, max_size=12), min_size=len(names), max_size=len(names)))
    width = data.draw(st.integers(20, 160))
    widths = [max(len(name), len(cell)) for name, cell in zip(names, row, strict=True)]
    alone = [
        sum(widths[:naming])
        + sum(widths[start : start + group])
        + 3 * (naming + len(widths[start : start + group]))
        + 1
        for start in range(naming, len(names), group)
    ]
    assume(max(alone) <= width)  # a group too wide even alone is rich's to squeeze
    printed = _in_parts("Title", columns, [row], width, naming, group)
    tables = _tables(printed)
    shown = [name for _, (header, *_) in tables for name in header[naming:]]
    assert shown == names[naming:]  # each figure column once, in order
    for _, (header, cells) in tables:
        assert header[:naming] == names[:naming]
        assert cells == [row[names.index(name)] for name in header]  # nothing cut
    whole = sum(widths) + 3 * len(widths) + 1
    assert (len(tables) == 1) == (whole <= width)
    assert all(len(line) <= width for line in printed.splitlines())


def test_a_run_of_joiners_is_printed_as_one_and_rich_cuts_the_cell() -> None:
    """Two zero-width joiners before a wide character made rich 15 fail (IndexError) when it cut
    the cell; the reporters print a run of them as one (found by the property test above)."""
    cell = terminal("\u200d\u200d日0000")
    assert cell == "\u200d日0000"
    columns = [TableColumn(""), TableColumn("00000"), TableColumn("")]
    assert _ours("", columns, [["", "", cell]], 20) == _rich("", columns, [["", "", cell]], 20)
