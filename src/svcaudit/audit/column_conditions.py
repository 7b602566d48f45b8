"""A rule's `when` for a batch of ticket rows: `conditions.conditions_unmet`, a column at a time.

The rows that do not meet the conditions are settled as not applicable, with the very reasons
`conditions_unmet` gives; the rows that meet them stay open for the rule's kernel.
"""

from __future__ import annotations

import numpy as np

from svcaudit.audit.conditions import (
    NEEDS_CREATED_AT,
    NEEDS_REOPENS,
    NEEDS_STATUS,
    first_reply_within,
    reopened_unmet,
    resolved_unmet,
    threshold_seconds,
)
from svcaudit.checks.columns import MISSING, US_PER_SECOND, ColumnVerdicts, TicketColumns, resolved_rows
from svcaudit.checks.timeline import DEFAULT_RESOLVED_STATUSES
from svcaudit.standard.model import Conditions


def settle_conditions(verdicts: ColumnVerdicts, when: Conditions, cols: TicketColumns, as_of_us: int) -> None:
    """Settle, as not applicable, the rows that do not meet `when` (in `conditions_unmet`'s order)."""
    if when.first_reply_over is not None:
        opened = cols.stamps["created_at"]
        verdicts.not_applicable(opened == MISSING, NEEDS_CREATED_AT)
        reply = cols.stamps["first_reply_at"]
        replied = np.where(reply == MISSING, as_of_us, reply)
        waited = np.maximum(replied - opened, 0) // US_PER_SECOND
        verdicts.not_applicable((opened != MISSING) & (waited <= threshold_seconds(when)), first_reply_within(when))
    if when.reopened is not None:
        reopens = cols.numbers["reopens"]
        verdicts.not_applicable(np.isnan(reopens), NEEDS_REOPENS)
        verdicts.not_applicable((reopens > 0) != when.reopened, reopened_unmet(when))
    if when.resolved is not None:
        known, resolved = resolved_rows(cols, DEFAULT_RESOLVED_STATUSES)
        verdicts.not_applicable(~known, NEEDS_STATUS)
        verdicts.not_applicable(resolved != when.resolved, resolved_unmet(when))
