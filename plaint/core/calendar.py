"""Working-day calendars, and the clock that timing analysis runs on.

A :class:`Calendar` says which days are working days: the days of the week in
``weekdays``, less the public holidays of a country (and optionally one of its
subdivisions) as the `holidays` package lists them, less the organisation's
own closures. It adds durations to dates the way deadlines are counted:

- ``add_working_days(d, n)``: the day on which the n-th working day *after*
  ``d`` ends (``d`` itself never counts; 0 gives ``d``).
- ``add_calendar_days``, ``add_weeks``: plain date arithmetic.
- ``add_months``, ``add_years``: the same day of the month, or the month's
  last day when it has no such day (31 January + 1 month = 28 February).
- ``add_hours``: hours run on the clock, day and night, weekends included;
  24 hours are one calendar day (there is no model of opening hours).

``deadline(d, duration)`` is the last day of a period that starts on the day
an event happens (a complaint is received), with the process's ``receipt``
convention: ``day-0`` (the FCA's way: the day of receipt does not count, so
"3 working days" from a Monday ends on Thursday) or ``day-1`` (the day of
receipt is the first day, when it is a working day: Monday + 3 working days
ends on Wednesday).

:class:`Clock` is the same arithmetic on integer ticks (minutes, or whole days
when every duration is a whole number of days) over tables that grow a year
at a time, fast enough to move hundreds of start dates through a process of
thousands of steps (see :mod:`plaint.core.timing`).
"""

from __future__ import annotations

import calendar as _stdcal
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from plaint.core import cache as disk_cache
from plaint.core.durations import Duration, Unit

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
RECEIPT_CONVENTIONS = ("day-0", "day-1")
MINUTES_PER_DAY = 1440
MONTH_DAYS = 365.25 / 12  # the length of the fractional part of a month (1.5 months)
YEAR_DAYS = 365.25
_REGION = re.compile(r"^([A-Z]{2})(?:-([A-Z0-9]{1,4}))?$")
MAX_YEAR = 9000  # the clock refuses to run past this year (dates end at 9999)


class CalendarError(ValueError):
    """A calendar that cannot be built: an unknown country or subdivision, a bad closure."""


def parse_region(code: str) -> tuple[str, str | None]:
    """'GB-ENG' -> ('GB', 'ENG'); 'IE' -> ('IE', None)."""
    match = _REGION.match(code)
    if not match:
        raise CalendarError(f"holidays '{code}' is not a country code such as 'GB-ENG', 'IE' or "
                            "'AU-NSW' (two capital letters, then optionally '-' and a subdivision)")
    return match.group(1), match.group(2)


def _country_holidays(country: str, subdiv: str | None, years: Iterable[int]) -> Mapping[date, str]:
    import holidays  # imported only when a calendar names holidays: it takes ~50 ms

    try:
        return holidays.country_holidays(country, subdiv=subdiv, years=list(years))
    except NotImplementedError:
        supported = holidays.list_supported_countries()
        if country not in supported:
            raise CalendarError(
                f"holidays '{country}{'-' + subdiv if subdiv else ''}': the holidays package "
                f"(version {holidays.__version__}) has no country '{country}'. Use an ISO 3166 "
                "country code it supports, such as GB, IE, AU, US, CA or NZ") from None
        subdivisions = supported[country]
        listing = ", ".join(f"{country}-{s}" for s in subdivisions[:12])
        more = f" and {len(subdivisions) - 12} more" if len(subdivisions) > 12 else ""
        raise CalendarError(
            f"holidays '{country}-{subdiv}': country '{country}' has no subdivision '{subdiv}' in "
            f"the holidays package (version {holidays.__version__}). "
            + (f"Its subdivisions: {listing}{more}; or give just '{country}'."
               if subdivisions else f"It has no subdivisions: give just '{country}'.")) from None


@cache
def _holidays_release() -> str | None:
    """The installed holidays package's version, read from its metadata folder's name
    (importing the package or importlib.metadata to ask would cost what the cache saves)."""
    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    site = Path(spec.origin).parent.parent
    found = sorted(p.name for p in site.glob("holidays-*.dist-info"))
    if len(found) != 1:
        return None  # an unusual install: no cache rather than a wrong one
    return found[0].removeprefix("holidays-").removesuffix(".dist-info")


def _holiday_table(country: str, subdiv: str | None, year: int) -> dict[date, str]:
    """One year's public holidays of a region, through the on-disk cache.

    The table depends only on the holidays release, the region and the year, and
    building it imports every country the package knows (about 100 ms).
    """
    release = _holidays_release()
    name = f"holidays-{release}-{country}-{subdiv or ''}-{year}.json" if release else None
    stored = disk_cache.read(name) if name else None
    if isinstance(stored, list):
        try:
            return {date.fromisoformat(day): str(title) for day, title in stored}
        except (TypeError, ValueError):
            pass  # a damaged entry: build the table again
    found = _country_holidays(country, subdiv, [year])
    table = {d: str(title) for d, title in sorted(found.items()) if d.year == year}
    if name:
        disk_cache.write(name, [[d.isoformat(), title] for d, title in table.items()])
    return table


@dataclass(frozen=True)
class Closure:
    first: date
    last: date
    reason: str | None = None


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CalendarError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from None


_SHARED: dict[Any, Any] = {}


class Calendar:
    """Working days: ``weekdays`` less public holidays (by region) less closures."""

    def __init__(self, weekdays: Sequence[str] = DEFAULT_WEEKDAYS, holidays: str | None = None,
                 closures: Iterable[Closure] = (), receipt: str = "day-0") -> None:
        unknown = [d for d in weekdays if d not in WEEKDAY_NAMES]
        if unknown or not weekdays:
            raise CalendarError(f"weekdays must be some of {', '.join(WEEKDAY_NAMES)}; "
                                f"got {list(weekdays)}")
        if receipt not in RECEIPT_CONVENTIONS:
            raise CalendarError(f"receipt must be 'day-0' or 'day-1', not '{receipt}'")
        self.weekdays = tuple(d for d in WEEKDAY_NAMES if d in weekdays)
        self._workdays = frozenset(WEEKDAY_NAMES.index(d) for d in weekdays)
        self.region = holidays
        self.country, self.subdiv = parse_region(holidays) if holidays else (None, None)
        self.closures = tuple(closures)
        for c in self.closures:
            if c.last < c.first:
                raise CalendarError(f"closure from {c.first} to {c.last} ends before it starts")
        self.receipt = receipt
        self._holidays: dict[int, dict[date, str]] = {}
        if self.country:
            self.holidays_in(date.today().year)  # fail now for an unknown country or subdivision

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any] | None) -> Calendar:
        """The calendar of ``process.calendar`` (schema-valid); defaults: Mon-Fri, no holidays."""
        spec = spec or {}
        closures = []
        for i, item in enumerate(spec.get("closures", ())):
            where = f"closures[{i}]"
            if isinstance(item, Mapping):
                closures.append(Closure(_as_date(item["from"], where), _as_date(item["to"], where),
                                        item.get("reason")))
            else:
                day = _as_date(item, where)
                closures.append(Closure(day, day))
        return cls(weekdays=spec.get("weekdays", DEFAULT_WEEKDAYS), holidays=spec.get("holidays"),
                   closures=closures, receipt=spec.get("receipt", "day-0"))

    @classmethod
    def shared(cls, spec: Mapping[str, Any] | None) -> Calendar:
        """Like :meth:`from_spec`, but one calendar (with its tables) per distinct calendar.

        Many specs in one run usually share a calendar; building its holiday tables once
        keeps a check of a thousand specs fast.
        """
        spec = spec or {}
        closures = tuple(
            (str(c["from"]), str(c["to"]), c.get("reason")) if isinstance(c, Mapping) else str(c)
            for c in spec.get("closures", ()))
        key = (tuple(spec.get("weekdays", DEFAULT_WEEKDAYS)), spec.get("holidays"), closures,
               spec.get("receipt", "day-0"))
        found = _SHARED.get(key)
        if found is None:
            if len(_SHARED) >= 256:
                _SHARED.clear()
            try:
                found = _SHARED[key] = cls.from_spec(spec)
            except CalendarError as err:
                found = _SHARED[key] = err
        if isinstance(found, CalendarError):
            raise found
        return found

    # -- which days are working days --------------------------------------------------
    def holidays_in(self, year: int) -> dict[date, str]:
        """Public holidays of ``year`` (observed substitute days included), by date."""
        if year not in self._holidays:
            if self.country is None:
                self._holidays[year] = {}
            else:
                self._holidays[year] = _holiday_table(self.country, self.subdiv, year)
        return self._holidays[year]

    @cached_property
    def _closed(self) -> dict[date, str]:
        closed: dict[date, str] = {}
        for c in self.closures:
            day = c.first
            while day <= c.last:
                closed.setdefault(day, c.reason or "closure")
                day += timedelta(days=1)
        return closed

    def why_closed(self, day: date) -> str | None:
        """Why ``day`` is not a working day ('Saturday', 'Christmas Day', ...), or None."""
        if day.weekday() not in self._workdays:
            return DAY_NAMES[day.weekday()]
        holiday = self.holidays_in(day.year).get(day)
        if holiday:
            return holiday
        return self._closed.get(day)

    @property
    def workday_numbers(self) -> frozenset[int]:
        """The working days of the week as numbers (Monday is 0)."""
        return self._workdays

    def closed_in(self, year: int) -> frozenset[int]:
        """Ordinals of the holidays and closure days of ``year`` (weekends aside)."""
        days = set(self.holidays_in(year))
        days.update(d for d in self._closed if d.year == year)
        return frozenset(d.toordinal() for d in days)

    def is_working_day(self, day: date) -> bool:
        return self.why_closed(day) is None

    def describe(self) -> str:
        """'Mon-Fri, holidays GB-ENG, 2 closures, receipt day is day 0'."""
        days = ", ".join(d.capitalize() for d in self.weekdays)
        if self.weekdays == DEFAULT_WEEKDAYS:
            days = "Mon-Fri"
        parts = [days, f"holidays {self.region}" if self.region else "no public holidays"]
        if self.closures:
            parts.append(f"{len(self.closures)} closure{'s' if len(self.closures) != 1 else ''}")
        parts.append(f"receipt day is day {self.receipt[-1]}")
        return ", ".join(parts)

    # -- adding durations to dates ----------------------------------------------------------
    def add_working_days(self, day: date, n: int) -> date:
        """The day the n-th working day after ``day`` (not counting ``day``) ends on."""
        if n < 0 or n != int(n):
            raise ValueError("a whole number of working days, 0 or more")
        for _ in range(int(n)):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Working days after ``first``, up to and including ``last``."""
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    @staticmethod
    def add_calendar_days(day: date, n: int) -> date:
        return day + timedelta(days=n)

    @staticmethod
    def add_weeks(day: date, n: int) -> date:
        return day + timedelta(weeks=n)

    @staticmethod
    def add_months(day: date, n: int) -> date:
        """The same day ``n`` months later, or the last day of that month."""
        index = day.year * 12 + day.month - 1 + n
        year, month = divmod(index, 12)
        last = _stdcal.monthrange(year, month + 1)[1]
        return date(year, month + 1, min(day.day, last))

    @classmethod
    def add_years(cls, day: date, n: int) -> date:
        return cls.add_months(day, 12 * n)

    @staticmethod
    def add_hours(day: date, hours: float) -> date:
        """The day on which ``hours`` after the end of ``day`` falls (24 hours = 1 day)."""
        return day + timedelta(days=math.ceil(hours / 24))

    def add(self, day: date, duration: Duration) -> date:
        """``day`` plus a whole-number duration, counted from the end of ``day``."""
        n = duration.amount
        if n != int(n):
            raise ValueError(f"{duration}: whole numbers only here (the Clock takes fractions)")
        n = int(n)
        unit = duration.unit
        if unit is Unit.WORKING_DAYS:
            return self.add_working_days(day, n)
        if unit is Unit.CALENDAR_DAYS:
            return self.add_calendar_days(day, n)
        if unit is Unit.WEEKS:
            return self.add_weeks(day, n)
        if unit is Unit.MONTHS:
            return self.add_months(day, n)
        if unit is Unit.YEARS:
            return self.add_years(day, n)
        return self.add_hours(day, n)

    def deadline(self, received: date, duration: Duration) -> date:
        """The last day of ``duration`` from an event on ``received``, by the receipt convention.

        day-0: counting starts the day after; day-1: the day itself is the first day
        (for working days: when it is a working day; else the next working day is).
        """
        start = received if self.receipt == "day-0" else received - timedelta(days=1)
        return self.add(start, duration)

    def clock(self, origin_year: int, ticks_per_day: int = MINUTES_PER_DAY) -> Clock:
        return Clock(self, date(origin_year, 1, 1), ticks_per_day)


# -- the clock ------------------------------------------------------------------------------
#
# A moment is an int: ticks since 00:00 on the clock's origin date. Day i covers
# [i*T, (i+1)*T); the moment (i+1)*T is both the end of day i and the start of day
# i+1, and the dates shown for an *end* are those of the day it ends.

# A compiled duration: a tuple of operations applied in turn.
CLOCK, WORK, MONTHS = "clock", "work", "months"
Ops = tuple[tuple[str, int], ...]


def compile_duration(duration: Duration | None, ticks_per_day: int) -> Ops:
    """The operations that advance a moment by ``duration`` (none for no duration)."""
    if duration is None or duration.amount == 0:
        return ()
    t, a, unit = ticks_per_day, duration.amount, duration.unit
    if unit is Unit.HOURS:
        return ((CLOCK, round(a * t / 24)),)
    if unit is Unit.CALENDAR_DAYS:
        return ((CLOCK, round(a * t)),)
    if unit is Unit.WEEKS:
        return ((CLOCK, round(a * 7 * t)),)
    if unit is Unit.WORKING_DAYS:
        return ((WORK, round(a * t)),)
    whole = math.floor(a)
    months, days = (whole, MONTH_DAYS) if unit is Unit.MONTHS else (12 * whole, YEAR_DAYS)
    ops: list[tuple[str, int]] = [(MONTHS, months)] if months else []
    if a != whole:
        ops.append((CLOCK, round((a - whole) * days * t)))
    return tuple(ops)


def whole_days(duration: Duration | None) -> bool:
    """The duration is a whole number of days in its unit (so the clock can count in days)."""
    if duration is None:
        return True
    a = duration.amount
    if duration.unit is Unit.HOURS:
        return a % 24 == 0
    return a == int(a)


class Clock:
    """Fast date arithmetic on integer moments, over tables that grow as needed."""

    def __init__(self, calendar: Calendar, origin: date, ticks_per_day: int = MINUTES_PER_DAY) -> None:
        self.calendar = calendar
        self.origin = origin
        self.base = origin.toordinal()
        self.T = ticks_per_day
        if MINUTES_PER_DAY % ticks_per_day:
            raise ValueError("ticks per day must divide 1440")
        self._origin_moment = datetime.combine(origin, datetime.min.time())
        self.working: list[bool] = []  # by day index
        self.wcount: list[int] = [0]  # wcount[i]: working days among days 0..i-1
        self.wdays: list[int] = []  # day indexes of the working days, in order
        self.wend: list[int] = []  # wend[j]: index of the day after the j-th working day (j >= 1)
        self._months: dict[int, dict[int, int]] = {}
        self._starts: dict[int, tuple[list[date], list[int]]] = {}
        self._from_starts: dict[tuple[Any, ...], list[int]] = {}
        self._grow()

    # -- tables ------------------------------------------------------------------------------
    def _grow(self) -> None:
        """Add one calendar year to the tables."""
        first = self.base + len(self.working)
        year = date.fromordinal(first).year
        if year > MAX_YEAR:
            raise CalendarError(f"timing runs past the year {MAX_YEAR}: the durations are too long "
                                "for a calendar")
        closed = self.calendar.closed_in(year)
        workdays = self.calendar.workday_numbers
        working, wcount, wdays, wend = self.working, self.wcount, self.wdays, self.wend
        count = wcount[-1]
        for ordinal in range(first, date(year + 1, 1, 1).toordinal()):
            # date.weekday() is (ordinal + 6) % 7
            ok = (ordinal + 6) % 7 in workdays and ordinal not in closed
            working.append(ok)
            if ok:
                index = ordinal - self.base
                count += 1
                wdays.append(index)
                wend.append(index + 1)
            wcount.append(count)

    def _days(self, index: int) -> None:
        while index >= len(self.working):
            self._grow()

    def _work(self, count: int) -> None:
        """Grow until the tables hold more than ``count`` working days."""
        idle = 0
        while count >= len(self.wdays):
            before = len(self.wdays)
            self._grow()
            idle = idle + 1 if len(self.wdays) == before else 0
            if idle >= 10:
                raise CalendarError("the calendar has no working day in ten years")

    # -- moments -------------------------------------------------------------------------------
    def day_start(self, day: date) -> int:
        return (day.toordinal() - self.base) * self.T

    def clock_start(self, day: date) -> int:
        """The moment a clock starts for an event on ``day``, by the receipt convention."""
        offset = 1 if self.calendar.receipt == "day-0" else 0
        return (day.toordinal() - self.base + offset) * self.T

    def moment(self, t: int) -> datetime:
        return self._origin_moment + timedelta(minutes=t * (MINUTES_PER_DAY // self.T))

    def end_day(self, t: int) -> date:
        """The date of a moment seen as an end: midnight belongs to the day before."""
        return date.fromordinal(self.base + max(0, -(-t // self.T) - 1))

    def working_before(self, t: int) -> int:
        """Working ticks from the origin up to ``t``."""
        d, f = divmod(t, self.T)
        self._days(d)
        return self.wcount[d] * self.T + (f if self.working[d] else 0)

    def working_all(self, ts: list[int]) -> list[int]:
        """``working_before`` of each moment."""
        self._days(max(ts) // self.T)
        wcount, working, T = self.wcount, self.working, self.T
        if T == 1:
            return [wcount[t] for t in ts]
        out = []
        for t in ts:
            d, f = divmod(t, T)
            out.append(wcount[d] * T + (f if working[d] else 0))
        return out

    def calendar_days(self, a: int, b: int) -> float:
        return (b - a) / self.T

    def working_days(self, a: int, b: int) -> float:
        return (self.working_before(b) - self.working_before(a)) / self.T

    # -- advancing one moment ------------------------------------------------------------------
    def _add_work(self, t: int, w: int) -> int:
        T = self.T
        target = self.working_before(t) + w
        k, r = divmod(target, T)
        if r == 0:
            self._work(k)
            result = self.wend[k - 1] * T
        else:
            self._work(k)
            result = self.wdays[k] * T + r
        return max(result, t)

    def _add_months(self, t: int, m: int) -> int:
        d, f = divmod(t, self.T)
        if f == 0:  # the end of day d-1: count months from that day, and end where it ends
            return (self._month_day(d - 1, m) + 1) * self.T
        return self._month_day(d, m) * self.T + f

    def _month_day(self, index: int, m: int) -> int:
        table = self._months.setdefault(m, {})
        if index not in table:
            day = Calendar.add_months(date.fromordinal(self.base + index), m)
            table[index] = day.toordinal() - self.base
        return table[index]

    def advance(self, t: int, ops: Ops) -> int:
        for kind, amount in ops:
            if kind == CLOCK:
                t += amount
            elif kind == WORK:
                if amount:
                    t = self._add_work(t, amount)
            else:
                t = self._add_months(t, amount)
        return t

    def year_starts(self, year: int) -> tuple[list[date], list[int]]:
        """Every day of ``year``, and the moment a clock starts for an event on it."""
        if year not in self._starts:
            first = date(year, 1, 1)
            days = [first + timedelta(days=i)
                    for i in range((date(year + 1, 1, 1) - first).days)]
            self._starts[year] = (days, [self.clock_start(d) for d in days])
        return self._starts[year]

    def from_starts(self, year: int, ops: Ops) -> list[int]:
        """The clock starts of every day of ``year``, advanced by ``ops`` (remembered)."""
        key = (year, ops)
        if key not in self._from_starts:
            self._from_starts[key] = self.advance_all(self.year_starts(year)[1], ops)
        return self._from_starts[key]

    def working_from_starts(self, year: int, ops: Ops) -> list[int]:
        """``working_all`` of ``from_starts(year, ops)`` (remembered)."""
        key = (year, ops, "work")
        if key not in self._from_starts:
            self._from_starts[key] = self.working_all(self.from_starts(year, ops))
        return self._from_starts[key]

    # -- advancing many moments at once (one per start date) --------------------------------------
    def advance_all(self, ts: list[int], ops: Ops) -> list[int]:
        for kind, amount in ops:
            if kind == CLOCK:
                ts = [t + amount for t in ts]
            elif kind == WORK:
                if not amount:
                    continue
                T = self.T
                top = max(ts) // T
                self._days(top)
                self._work(self.wcount[top] + amount // T + 1)
                wend, wcount = self.wend, self.wcount
                if T == 1:
                    ts = [wend[wcount[t] + amount - 1] for t in ts]
                    continue
                # Start dates soon fall into step (a weekend's starts end together), so
                # each distinct moment is worked out once: in long processes only a few
                # percent of them are distinct.
                working, wdays = self.working, self.wdays
                ends = {}
                for t in set(ts):
                    d, f = divmod(t, T)
                    k, r = divmod(wcount[d] * T + (f if working[d] else 0) + amount, T)
                    ends[t] = wend[k - 1] * T if r == 0 else wdays[k] * T + r
                ts = [ends[t] for t in ts]
            else:
                add = self._add_months
                months = {t: add(t, amount) for t in set(ts)}
                ts = [months[t] for t in ts]
        return ts
