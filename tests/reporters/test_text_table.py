"""`print_table` prints what rich's Table prints, whichever of the two lays the table out."""

from __future__ import annotations

import io

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.table import Column, Table
from rich.text import Text

from svcaudit.reporters import text_table
from svcaudit.reporters.text import console_for
from svcaudit.reporters.text_table import TableColumn, print_table

# Latin, Cyrillic, wide CJK, an emoji, a combining mark, digits and signs, and what makes rich
# lay a table out itself: a line break, a tab, a zero-width joiner.
CHARACTERS = st.sampled_from(list("ab zЖжё日本🙂\u0301 0.%+−Δ-") + ["\n", "\t", "\u200d"])
CELL = st.text(CHARACTERS, max_size=12)


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
