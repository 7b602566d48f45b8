"""Waivers: known exceptions to the standard, written down with a reason and an expiry date.

A waived violation is not dropped: it is counted and listed apart from the violations, and it no
longer counts as a failure in compliance. An expired waiver waives nothing and is reported, and so
is a waiver that matched nothing, so the file cannot silently rot.

```yaml
waivers:
  - ticket: T-10071          # a ticket id, or a pattern such as "T-100*" (shell-style)
    rule: first-reply         # a rule id or pattern; "*" for every rule
    reason: Customer asked us to call back after the holidays
    expires: 2026-12-31       # the last day the waiver holds (in the standard's time zone)
```
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from svcaudit.errors import Location, StandardError
from svcaudit.standard.yamlsource import load_yaml

WAIVER_KEYS = {"ticket", "rule", "reason", "expires"}


@dataclass
class Waiver:
    ticket: str
    rule: str
    reason: str
    expires: date | None
    location: Location

    def matches(self, ticket_id: str | None, rule_id: str) -> bool:
        return fnmatch.fnmatchcase(ticket_id or "", self.ticket) and fnmatch.fnmatchcase(rule_id, self.rule)

    def describe(self) -> str:
        until = f", expires {self.expires.isoformat()}" if self.expires else ""
        return f"{self.location}: ticket {self.ticket!r}, rule {self.rule!r} ({self.reason}{until})"


@dataclass
class Waivers:
    """The active waivers at --as-of, and those that expired before it."""

    active: list[Waiver] = field(default_factory=list)
    expired: list[Waiver] = field(default_factory=list)
    source: str | None = None

    def find(self, ticket_id: str | None, rule_id: str) -> int | None:
        """The position in `active` of the first waiver covering the finding, or None. What a
        run used is counted by its tally, so that the counts of parts of a run can be added."""
        for index, waiver in enumerate(self.active):
            if waiver.matches(ticket_id, rule_id):
                return index
        return None

    def unused(self, use: Sequence[int]) -> list[Waiver]:
        """The active waivers a run never used, given how often it used each (`Tally.waiver_use`)."""
        return [waiver for waiver, used in zip(self.active, use, strict=True) if used == 0]

    def report(self, use: Sequence[int]) -> dict[str, Any]:
        return {
            "source": self.source,
            "active": len(self.active),
            "expired": [w.describe() for w in self.expired],
            "unused": [w.describe() for w in self.unused(use)],
        }


def load_waivers(path: str | Path, as_of: datetime, timezone: str) -> Waivers:
    """Read a waiver file; every fault names file:line:column like a standard's."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StandardError(f"cannot read the waiver file: {exc.strerror}", Location(source)) from None
    document = load_yaml(text, source)
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        raise StandardError("a waiver file is a mapping with a `waivers:` list", document.locate(()))
    today = as_of.astimezone(ZoneInfo(timezone)).date()
    waivers = Waivers(source=source)
    for index, entry in enumerate(data["waivers"]):
        path_here = ("waivers", index)
        if not isinstance(entry, dict):
            raise StandardError("each waiver is a mapping (ticket, rule, reason, expires)", document.locate(path_here))
        unknown = set(entry) - WAIVER_KEYS
        if unknown:
            key = sorted(unknown)[0]
            from svcaudit.errors import closest

            raise StandardError(
                f"unknown key {key!r}", document.locate(path_here + (key,), key=True), closest(key, WAIVER_KEYS)
            )
        for key in ("ticket", "rule", "reason"):
            if not isinstance(entry.get(key), (str, int)) or not str(entry.get(key)).strip():
                raise StandardError(f"a waiver needs `{key}`", document.locate(path_here))
        expires = None
        if entry.get("expires") is not None:
            try:
                expires = date.fromisoformat(str(entry["expires"]))
            except ValueError:
                raise StandardError(
                    f"expires {entry['expires']!r} is not a date (YYYY-MM-DD)",
                    document.locate(path_here + ("expires",)),
                ) from None
        waiver = Waiver(
            str(entry["ticket"]), str(entry["rule"]), str(entry["reason"]), expires, document.locate(path_here)
        )
        (waivers.expired if expires is not None and expires < today else waivers.active).append(waiver)
    return waivers
