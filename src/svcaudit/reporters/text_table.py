"""Titled text tables, laid out as rich lays them out, without rich's cost for a long table.

`svcaudit report --by week,agent` prints tables of thousands of rows. rich's `Table` renders every
cell as a measured, wrapped and styled text, about 0.7 ms a row, so the weekly tables of a year took
half a minute to print. A table that fits the console with every cell on one line, printed without
colour, has one layout: each column as wide as its widest cell plus a space either side, in the
heavy-head box, the title on its own line as wide as the table. `print_table` writes that layout
itself and hands every other table to rich (wider than the console, a cell of several lines or with
a tab, a title longer than the table, colour); a property test holds the two equal
(tests/reporters/test_text_table.py).

A table of figures too wide for the console (`svcaudit report`'s response times by week and agent)
would have rich squeeze its columns until headers are cut ("Resolut…" twice) and week labels read
"2026…". `print_table_in_parts` prints it as several tables instead, each as wide as the console
allows, each repeating the columns that name a row.
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


def print_table_in_parts(
    console: Console,
    title: str,
    columns: Sequence[TableColumn],
    rows: Sequence[Sequence[Cell]],
    naming: int,
    group: int,
) -> None:
    """The table, or when it is wider than the console, as many tables as it takes: each holds
    the first `naming` columns (what names a row) and as many of the following groups of `group`
    columns (a figure and its change) as fit, titled "title (part k of n)". A group that does not
    fit even alone is printed alone, and rich fits it as it can."""
    widths = [_natural_width(column.name, [row[index] for row in rows]) for index, column in enumerate(columns)]
    parts = _parts(widths, naming, group, console.width)
    if len(parts) == 1:
        print_table(console, title, columns, rows)
        return
    for number, part in enumerate(parts, 1):
        chosen = list(range(naming)) + part
        part_title = f"{title} (part {number} of {len(parts)})"
        print_table(console, part_title, [columns[i] for i in chosen], [[row[i] for i in chosen] for row in rows])


def _natural_width(name: str, cells: Sequence[Cell]) -> int:
    """How wide a column is when no cell of it wraps: its widest line."""
    texts = [name, *(cell.plain if isinstance(cell, Text) else cell for cell in cells)]
    return max(cell_len(line) for text in texts for line in text.splitlines() or [""])


def _parts(widths: list[int], naming: int, group: int, room: int) -> list[list[int]]:
    """The columns after the first `naming`, in as few tables no wider than `room` (each with the
    `naming` columns first) as a group at a time fills them, the groups then spread evenly over
    those tables when they still fit: the indices of each table's columns."""
    groups = [list(range(start, min(start + group, len(widths)))) for start in range(naming, len(widths), group)]

    def fits(indices: list[int]) -> bool:
        chosen = list(range(naming)) + indices
        return sum(widths[i] for i in chosen) + 3 * len(chosen) + 1 <= room

    filled: list[list[int]] = [[]]
    for block in groups:
        if filled[-1] and not fits(filled[-1] + block):
            filled.append([])
        filled[-1] += block
    count = len(filled)
    even = [sum(groups[k * len(groups) // count : (k + 1) * len(groups) // count], []) for k in range(count)]
    return even if all(map(fits, even)) else filled


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
