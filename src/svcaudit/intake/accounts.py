"""The intake's accounts: every row read is audited, rejected or folded, and each rejection says where.

The readers count the rows they read (`InputStats.rows_read`) and the assembly counts folds; a
rejection is counted here, on the input its row came from, and listed with its path, row and
field. Warnings are what the run says although no row was rejected (an empty file, a renamed
column, a decided date order).
"""

from __future__ import annotations

from svcaudit.intake.inputs import InputFile
from svcaudit.intake.model import Rejection, Ticket


class Accounts:
    """The inputs of one intake with their rejections, warnings and messages left out."""

    def __init__(self) -> None:
        self.inputs: list[InputFile] = []
        self.rejected: list[Rejection] = []
        # Things the run should say although no row was rejected (an empty file, a renamed column).
        self.warnings: list[str] = []
        self.messages_after_as_of = 0  # messages stamped after --as-of: not read into tickets
        self._by_path: dict[str, InputFile] = {}  # filled as `input_at` is asked

    def input_at(self, path: str) -> InputFile:
        """The input a row of `path` came from (every row carries its input's path)."""
        found = self._by_path.get(path)
        if found is None:
            found = self._by_path[path] = next(i for i in self.inputs if i.stats.path == path)
        return found

    def reject(self, item: InputFile, row: int, field_name: str | None, error: str, row_kept: bool = False) -> None:
        """A row (or, `row_kept`, one field of a row still audited) that cannot be audited."""
        if row_kept:
            item.stats.fields_rejected += 1
        else:
            item.stats.rows_rejected += 1
        self.rejected.append(Rejection(item.stats.path, row, field_name, error, row_kept))

    def reject_fields(self, ticket: Ticket) -> None:
        """Account the fields a ticket row lost (a reply stamped before creation): the row stays."""
        item = self.input_at(ticket.ref.path)
        for field_name, error in ticket.rejected_fields.items():
            self.reject(item, ticket.ref.row, field_name, error, row_kept=True)
