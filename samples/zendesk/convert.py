"""Write samples/zendesk/tickets.csv: the sample tickets as a Zendesk Support CSV export would hold them.

Deterministic (stdlib only): it reads samples/tickets.csv and writes Zendesk's column names and
value spellings (`Solved`, `Normal`, `Web Form`, satisfaction `Good`/`Bad`), with Zendesk's own
metric columns. Those are rounded to whole minutes as Zendesk rounds them; for every 25th solved
ticket the "Full resolution time in minutes" is deliberately off by 47 minutes, so that a
`helpdesk_agreement` rule has a disagreement to find. Run: python samples/zendesk/convert.py
"""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "tickets.csv"
TARGET = HERE / "tickets.csv"
OFF_EVERY = 25  # every 25th solved ticket carries a wrong resolution figure
OFF_BY_MINUTES = 47
STATUS = {"new": "New", "open": "Open", "pending": "Pending", "on-hold": "Hold", "solved": "Solved",
          "closed": "Closed"}
VIA = {"email": "Mail", "chat": "Chat", "phone": "Voice", "web": "Web Form"}
HEADER = ["Id", "Requester", "Assignee", "Group", "Subject", "Status", "Priority", "Via",
          "Created at", "Solved at", "Satisfaction Score", "Reopens",
          "First reply time in minutes", "Full resolution time in minutes"]


def minutes(start: str, end: str) -> str:
    if not start or not end:
        return ""
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return str(round(delta.total_seconds() / 60))


def zendesk_time(stamp: str) -> str:
    """Zendesk's CSV writes local times without an offset; the sample standard says UTC+3."""
    return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M:%S") if stamp else ""


def main() -> None:
    with SOURCE.open(encoding="utf-8") as source, TARGET.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(HEADER)
        solved = 0
        for row in csv.DictReader(source):
            full = minutes(row["created_at"], row["resolved_at"])
            if full:
                solved += 1
                if solved % OFF_EVERY == 0:
                    full = str(int(full) + OFF_BY_MINUTES)
            csat = row["csat"]
            satisfaction = "" if not csat else ("Good" if float(csat) >= 4 else "Bad")
            writer.writerow([
                row["ticket_id"].removeprefix("T-"), row["customer_name"], row["agent"], row["team"],
                f"Request {row['ticket_id']}", STATUS[row["status"]], row["priority"].capitalize(),
                VIA[row["channel"]], zendesk_time(row["created_at"]), zendesk_time(row["resolved_at"]),
                satisfaction or "Unoffered", row["reopens"],
                minutes(row["created_at"], row["first_reply_at"]), full,
            ])


if __name__ == "__main__":
    main()
