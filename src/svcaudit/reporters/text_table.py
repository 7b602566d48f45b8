"""Titled text tables, laid out as rich lays them out, without rich's cost for a long table.

`svcaudit report --by week,agent` prints tables of thousands of rows. rich's `Table` renders every
cell as a measured, wrapped and styled text, about 0.7 ms a row, so the weekly tables of a year took
half a minute to print. A table that fits the console with every cell on one line, printed without
colour, has one layout: each column as wide as its widest cell plus a space either side, in the
heavy-head box, the title on its own line as wide as the table. `print_table` writes that layout
itself and hands every other table to rich (wider than the console, a cell of several lines or with
a tab, a title longer than the table, colour); a property test holds the two equal
(tests/reporters/test_text_table.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text

Cell = str | Text


class TableColumn(NamedTuple):
    name: str
    justify: Literal["left", "right"] = "left"
    overflow: Literal["ellipsis", "fold"] = "ellipsis"  # a cell too wide for its column: cut, or wrapped


def print_table(console: Console, title: str, columns: Sequence[TableColumn], rows: Sequence[Sequence[Cell]]) -> None:
    """`title`, then the table of `rows` under `columns`, as `console.print` prints rich's Table.

    A table laid out here is written straight to the console's file, so call it as the reporters
    do, between prints, never inside `with console:` (where rich holds printed output back)."""
    lines = _laid_out(console, title, columns, rows)
    if lines is not None:
        console.file.write("".join(line + "\n" for line in lines))
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column.name, justify=column.justify, overflow=column.overflow)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _laid_out(
    console: Console, title: str, columns: Sequence[TableColumn], rows: Sequence[Sequence[Cell]]
) -> list[str] | None:
    """The table's lines as rich would print them, or None for a table rich lays out otherwise."""
    if console.color_system is not None or console.record:
        return None
    header = [column.name for column in columns]
    if not all(map(_one_line, header)) or not _one_line(title):
        return None
    texts = [[cell.plain if isinstance(cell, Text) else cell for cell in row] for row in rows]
    if any(len(row) != len(columns) for row in texts):
        return None
    if not all(_one_line(text) for row in texts for text in row):
        return None
    # Each cell's width, measured once: a column is as wide as its widest cell.
    sizes = [list(map(cell_len, row)) for row in [header, *texts]]
    widths = [max(column) for column in zip(*sizes, strict=True)]
    table_width = sum(widths) + 3 * len(widths) + 1
    if table_width > console.width or cell_len(title) > table_width:
        return None
    right = [column.justify == "right" for column in columns]

    def line(cells: list[str], cell_sizes: list[int], edge: str, inner: str) -> str:
        parts = []
        for text, size, width, to_right in zip(cells, cell_sizes, widths, right, strict=True):
            room = " " * (width - size)
            parts.append(f" {room}{text} " if to_right else f" {text}{room} ")
        return edge + inner.join(parts) + edge

    def rule(left: str, fill: str, cross: str, end: str) -> str:
        return left + cross.join(fill * (width + 2) for width in widths) + end

    lines = [title + " " * (table_width - cell_len(title))] if title else []  # rich prints no empty title
    lines += [rule("┏", "━", "┳", "┓"), line(header, sizes[0], "┃", "┃"), rule("┡", "━", "╇", "┩")]
    lines.extend(line(row, row_sizes, "│", "│") for row, row_sizes in zip(texts, sizes[1:], strict=True))
    lines.append(rule("└", "─", "┴", "┘"))
    return lines


def _one_line(text: str) -> bool:
    """Whether rich prints `text` as it is, on one line: printable characters only (no line break,
    tab, control or format character), no space at either end (rich trims a justified line's), and
    none of no width (rich drops a combining mark that follows no letter)."""
    if not text.isprintable() or text != text.strip():
        return False
    return text.isascii() or cell_len(text) == len(text) or all(map(get_character_cell_size, text))
