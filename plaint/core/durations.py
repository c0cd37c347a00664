"""Durations as written in a spec: '3 working days', '8 weeks', '24 hours'."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache


class Unit(enum.Enum):
    HOURS = "hours"
    WORKING_DAYS = "working days"
    CALENDAR_DAYS = "calendar days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


# "business days" and "working days" mean the same; so do "days" and "calendar days".
_UNITS = {
    "hour": Unit.HOURS, "hours": Unit.HOURS,
    "working day": Unit.WORKING_DAYS, "working days": Unit.WORKING_DAYS,
    "business day": Unit.WORKING_DAYS, "business days": Unit.WORKING_DAYS,
    "calendar day": Unit.CALENDAR_DAYS, "calendar days": Unit.CALENDAR_DAYS,
    "day": Unit.CALENDAR_DAYS, "days": Unit.CALENDAR_DAYS,
    "week": Unit.WEEKS, "weeks": Unit.WEEKS,
    "month": Unit.MONTHS, "months": Unit.MONTHS,
    "year": Unit.YEARS, "years": Unit.YEARS,
}
_PATTERN = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s+([a-z ]+?)\s*$")


@dataclass(frozen=True)
class Duration:
    amount: float
    unit: Unit

    def __str__(self) -> str:
        amount = int(self.amount) if self.amount == int(self.amount) else self.amount
        unit = self.unit.value
        return f"{amount} {unit[:-1] if amount == 1 else unit}"


@lru_cache(maxsize=4096)  # specs repeat a handful of durations; a Duration is immutable
def parse_duration(text: str) -> Duration:
    """Parse a duration; the schema has already checked the form."""
    match = _PATTERN.match(text.lower())
    if not match or match.group(2) not in _UNITS:
        raise ValueError(f"not a duration: {text!r}")
    return Duration(float(match.group(1)), _UNITS[match.group(2)])


@dataclass(frozen=True)
class StepDuration:
    """How long a step takes: at most ``max``; optionally at least ``min``, usually ``typical``."""

    max: Duration
    min: Duration | None = None
    typical: Duration | None = None
