"""`svcaudit init --from EXPORT`: a starter standard that reads a given export, proven by a dry run.

It reads the export's values, not only its names (`profile`): it decides the table's shape and its
ticket key, maps a column to a field only when the values fit (`vocab`, `propose`), proposes how to
read dates, null markers, time zone and repeated rows, writes the standard with two sample values
beside each mapping (`writer`), then audits the export with it and says per rule how many tickets
would be judged (`dryrun`). The rules are those of a built-in standard.
"""

from __future__ import annotations

from svcaudit.initfrom.dryrun import dry_run, summary_lines
from svcaudit.initfrom.profile import export_columns
from svcaudit.initfrom.propose import Proposal, propose
from svcaudit.initfrom.writer import notes, starter_standard

__all__ = ["Proposal", "dry_run", "export_columns", "notes", "propose", "starter_standard", "summary_lines"]
