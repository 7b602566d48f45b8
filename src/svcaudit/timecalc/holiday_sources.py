"""Public holidays for business calendars, from the `holidays` package.

A calendar's `holidays: {country: RU, subdivision: …}` names a source; this module checks the source
once when the standard is loaded (an unknown country or subdivision is a standard error, not a crash)
and then hands out one year of closed dates at a time, cached. The package is imported lazily because
it is slow to import and most commands never touch a calendar with public holidays.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

_SUGGESTION_CUTOFF = 0.6
_SUBDIVISIONS_SHOWN = 12


@dataclass(frozen=True, slots=True)
class HolidaySource:
    """Public holidays of a country (ISO 3166-1 alpha-2 code) and optional subdivision."""

    country: str
    subdivision: str | None = None

    def __str__(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


class HolidaySourceError(ValueError):
    """A holiday source the `holidays` package does not know; `field` is the offending key."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_holiday_source(source: HolidaySource) -> None:
    """Raise HolidaySourceError unless the `holidays` package can compute this source."""
    import holidays

    try:
        _country_holidays(source, years=())
    except NotImplementedError:
        supported: dict[str, list[str]] = holidays.list_supported_countries()
        if source.country not in supported:
            raise HolidaySourceError(
                f"the holidays package knows no country {source.country!r}"
                + _suggest(source.country, supported)
                + " (use an ISO 3166-1 alpha-2 code such as RU, US, DE)",
                "country",
            ) from None
        subdivisions = [s for s in supported[source.country] if isinstance(s, str)]
        if not subdivisions:
            raise HolidaySourceError(
                f"the holidays package knows no subdivisions of {source.country}; "
                "remove `subdivision` (add regional days off under `dates`)",
                "subdivision",
            ) from None
        shown = ", ".join(subdivisions[:_SUBDIVISIONS_SHOWN])
        more = ", …" if len(subdivisions) > _SUBDIVISIONS_SHOWN else ""
        raise HolidaySourceError(
            f"{source.country} has no subdivision {source.subdivision!r}"
            + _suggest(source.subdivision or "", subdivisions)
            + f" (known: {shown}{more})",
            "subdivision",
        ) from None


class PublicHolidays:
    """The closed dates of one source, computed one year at a time and cached."""

    def __init__(self, source: HolidaySource) -> None:
        self.source = source
        self._years: dict[int, frozenset[date]] = {}

    def dates_in(self, year: int) -> frozenset[date]:
        cached = self._years.get(year)
        if cached is None:
            calendar = _country_holidays(self.source, years=(year,))
            cached = self._years[year] = frozenset(d for d in calendar if d.year == year)
        return cached

    def __contains__(self, day: date) -> bool:
        return day in self.dates_in(day.year)


def _country_holidays(source: HolidaySource, years: tuple[int, ...]) -> Any:
    import holidays

    return holidays.country_holidays(source.country, subdiv=source.subdivision, years=years)


def _suggest(word: str, choices: Any) -> str:
    matches = difflib.get_close_matches(
        word, [c for c in choices if isinstance(c, str)], n=1, cutoff=_SUGGESTION_CUTOFF
    )
    return f"; did you mean {matches[0]!r}?" if matches else ""
