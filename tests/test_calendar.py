"""The working-day calendar, against cases counted by hand on a paper calendar.

Public holidays come from the ``holidays`` package. The dates relied on below:

- England 2026: Good Friday 3 April, Easter Monday 6 April; Christmas Day is a
  Friday, Boxing Day a Saturday, so Monday 28 December is the substitute day.
- England 2027: Christmas Day is a Saturday and Boxing Day a Sunday, so
  Monday 27 and Tuesday 28 December are both substitute days.
- Scotland 2026: 2 January (a Friday) is a holiday; in England it is not.
- New South Wales 2026: Australia Day, Monday 26 January.
- California 2026: Independence Day is a Saturday; Friday 3 July is observed.
- Ireland 2026: St Patrick's Day, Tuesday 17 March.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from plaint.core.calendar import Calendar, CalendarError, Clock, Closure, compile_duration
from plaint.core.durations import parse_duration

ENGLAND = Calendar(holidays="GB-ENG")
PLAIN = Calendar()  # Monday to Friday, no holidays


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- which days are working days ---------------------------------------------------------------

def test_weekends_and_english_holidays_are_not_working_days() -> None:
    assert ENGLAND.is_working_day(d("2026-01-09"))  # a Friday
    assert not ENGLAND.is_working_day(d("2026-01-10"))  # Saturday
    assert not ENGLAND.is_working_day(d("2026-01-11"))  # Sunday
    assert not ENGLAND.is_working_day(d("2026-04-03"))  # Good Friday
    assert not ENGLAND.is_working_day(d("2026-04-06"))  # Easter Monday
    assert not ENGLAND.is_working_day(d("2026-12-25"))  # Christmas Day
    assert not ENGLAND.is_working_day(d("2026-12-28"))  # Boxing Day, substitute day
    assert ENGLAND.is_working_day(d("2026-12-29"))
    assert not ENGLAND.is_working_day(d("2027-12-27"))  # Christmas Day, substitute day
    assert not ENGLAND.is_working_day(d("2027-12-28"))  # Boxing Day, substitute day
    assert ENGLAND.why_closed(d("2026-04-03")) == "Good Friday"
    assert ENGLAND.why_closed(d("2026-01-10")) == "Saturday"
    assert ENGLAND.why_closed(d("2026-01-09")) is None


def test_closures_are_not_working_days() -> None:
    shop = Calendar(holidays="GB-ENG", closures=[Closure(d("2026-12-24"), d("2027-01-02"), "Winter"),
                                                 Closure(d("2026-08-28"), d("2026-08-28"))])
    assert shop.why_closed(d("2026-12-30")) == "Winter"
    assert shop.why_closed(d("2026-08-28")) == "closure"
    assert shop.why_closed(d("2026-12-25")) == "Christmas Day"  # a holiday is named as one
    assert shop.is_working_day(d("2027-01-04"))


# -- adding working days -------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "expected", "why"), [
    ("2026-01-12", 0, "2026-01-12", "nothing to add"),
    ("2026-01-12", 3, "2026-01-15", "Monday + 3: Tue, Wed, Thu"),
    ("2026-01-09", 1, "2026-01-12", "Friday + 1 skips the weekend"),
    ("2026-01-10", 1, "2026-01-12", "from a Saturday: Monday is the first working day after it"),
    ("2026-01-11", 5, "2026-01-16", "Sunday + 5: Monday to Friday"),
    ("2026-04-02", 1, "2026-04-07", "Thursday before Easter + 1: Good Friday and Easter Monday skipped"),
    ("2026-03-27", 5, "2026-04-07", "Friday + 5 over Easter: Mon 30, Tue 31, Wed 1, Thu 2, Tue 7"),
    ("2026-12-24", 1, "2026-12-29", "Christmas 2026: Fri 25, weekend, Mon 28 (Boxing Day substitute)"),
    ("2026-12-23", 5, "2027-01-04", "Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 (1 January is a Friday)"),
    ("2027-12-24", 1, "2027-12-29", "Christmas 2027 on a Saturday: Mon 27 and Tue 28 are substitutes"),
])
def test_add_working_days_in_england(start: str, n: int, expected: str, why: str) -> None:
    assert ENGLAND.add_working_days(d(start), n) == d(expected), why


def test_scotland_england_ireland_australia_california_differ() -> None:
    new_year = d("2025-12-31")  # a Wednesday; 1 and 2 January 2026 are Thursday and Friday
    assert Calendar(holidays="GB-ENG").add_working_days(new_year, 1) == d("2026-01-02")
    assert Calendar(holidays="GB-SCT").add_working_days(new_year, 1) == d("2026-01-05")
    assert Calendar(holidays="IE").add_working_days(d("2026-03-16"), 1) == d("2026-03-18")
    assert Calendar(holidays="AU-NSW").add_working_days(d("2026-01-23"), 1) == d("2026-01-27")
    assert Calendar(holidays="US-CA").add_working_days(d("2026-07-02"), 1) == d("2026-07-06")


def test_a_sunday_to_thursday_week() -> None:
    week = Calendar(weekdays=["sun", "mon", "tue", "wed", "thu"])
    assert week.is_working_day(d("2026-01-11"))  # Sunday
    assert not week.is_working_day(d("2026-01-09"))  # Friday
    assert week.add_working_days(d("2026-01-08"), 1) == d("2026-01-11")  # Thu + 1: Sunday
    assert week.add_working_days(d("2026-01-08"), 5) == d("2026-01-15")  # Sun to Thu
    assert week.add_working_days(d("2026-01-09"), 1) == d("2026-01-11")  # from a Friday


def test_a_six_day_week_with_a_closure() -> None:
    shop = Calendar(weekdays=["mon", "tue", "wed", "thu", "fri", "sat"], holidays="GB-ENG",
                    closures=[Closure(d("2026-12-24"), d("2027-01-02"), "Winter")])
    assert shop.add_working_days(d("2026-01-09"), 1) == d("2026-01-10")  # Friday + 1: Saturday
    assert shop.add_working_days(d("2026-12-23"), 1) == d("2027-01-04")  # closed to 2 January


def test_working_days_between() -> None:
    assert ENGLAND.working_days_between(d("2026-12-18"), d("2027-01-08")) == 12
    assert ENGLAND.working_days_between(d("2026-01-12"), d("2026-01-12")) == 0


# -- other units ------------------------------------------------------------------------------------

def test_calendar_days_weeks_months_years_hours() -> None:
    assert PLAIN.add_calendar_days(d("2026-12-18"), 61) == d("2027-02-17")
    assert PLAIN.add_weeks(d("2026-12-18"), 8) == d("2027-02-12")
    assert PLAIN.add_months(d("2026-01-31"), 1) == d("2026-02-28")  # no 31 February
    assert PLAIN.add_months(d("2024-01-31"), 1) == d("2024-02-29")  # a leap year
    assert PLAIN.add_months(d("2026-08-31"), 6) == d("2027-02-28")
    assert PLAIN.add_months(d("2026-11-15"), 3) == d("2027-02-15")
    assert PLAIN.add_years(d("2024-02-29"), 3) == d("2027-02-28")
    assert PLAIN.add_hours(d("2026-01-09"), 24) == d("2026-01-10")  # 24 hours: one calendar day
    assert PLAIN.add_hours(d("2026-01-09"), 25) == d("2026-01-11")  # into the second day
    assert PLAIN.add_hours(d("2026-01-09"), 48) == d("2026-01-11")  # hours run over weekends


def test_deadline_by_the_receipt_convention() -> None:
    day0, day1 = Calendar(receipt="day-0"), Calendar(receipt="day-1")
    three = parse_duration("3 working days")
    assert day0.deadline(d("2026-01-12"), three) == d("2026-01-15")  # Monday: Thursday
    assert day1.deadline(d("2026-01-12"), three) == d("2026-01-14")  # Monday is day 1: Wednesday
    assert day0.deadline(d("2026-01-10"), three) == d("2026-01-14")  # Saturday: Mon, Tue, Wed
    assert day1.deadline(d("2026-01-10"), three) == d("2026-01-14")  # Monday is day 1 there too
    eight_weeks = parse_duration("8 weeks")
    assert day0.deadline(d("2026-12-18"), eight_weeks) == d("2027-02-12")  # FCA: end of 8 weeks
    assert day1.deadline(d("2026-12-18"), eight_weeks) == d("2027-02-11")
    assert day0.deadline(d("2026-01-15"), parse_duration("6 months")) == d("2026-07-15")
    assert day0.deadline(d("2026-03-02"), parse_duration("30 calendar days")) == d("2026-04-01")


# -- errors ---------------------------------------------------------------------------------------

def test_unknown_country_is_a_clear_error() -> None:
    with pytest.raises(CalendarError, match="no country 'XX'"):
        Calendar(holidays="XX")
    with pytest.raises(CalendarError, match=r"no country 'EN'.*GB, IE"):
        Calendar(holidays="EN-GB")


def test_unknown_subdivision_lists_the_known_ones() -> None:
    with pytest.raises(CalendarError, match=r"no subdivision 'SC'.*GB-ENG, GB-NIR, GB-SCT, GB-WLS"):
        Calendar(holidays="GB-SC")


def test_bad_calendar_settings_are_errors() -> None:
    with pytest.raises(CalendarError):
        Calendar(holidays="gb")
    with pytest.raises(CalendarError):
        Calendar(weekdays=["monday"])
    with pytest.raises(CalendarError):
        Calendar(receipt="day-2")
    with pytest.raises(CalendarError, match="ends before it starts"):
        Calendar(closures=[Closure(d("2027-01-02"), d("2026-12-24"))])


def test_from_spec_reads_the_process_calendar() -> None:
    spec = {"weekdays": ["tue", "wed", "thu", "fri", "sat"], "holidays": "GB-ENG",
            "receipt": "day-1",
            "closures": ["2026-08-31", {"from": "2026-12-24", "to": "2027-01-02", "reason": "Winter"}]}
    cal = Calendar.from_spec(spec)
    assert cal.weekdays == ("tue", "wed", "thu", "fri", "sat") and cal.receipt == "day-1"
    assert not cal.is_working_day(d("2026-08-31")) and cal.why_closed(d("2026-12-31")) == "Winter"
    assert Calendar.shared(spec) is Calendar.shared(dict(spec))  # one calendar per distinct spec
    assert Calendar.from_spec(None).describe() == "Mon-Fri, no public holidays, receipt day is day 0"


# -- the fast clock agrees with the plain date arithmetic ---------------------------------------------

@pytest.mark.parametrize("ticks", [1, 1440])
def test_clock_agrees_with_the_date_arithmetic(ticks: int) -> None:
    cal = Calendar(holidays="GB-ENG", closures=[Closure(d("2026-12-24"), d("2027-01-02"))])
    clock = Clock(cal, d("2026-01-01"), ticks)
    rng = random.Random(7)
    for _ in range(300):
        day = d("2026-01-01").toordinal() + rng.randrange(365)
        start = date.fromordinal(day)
        text = rng.choice(["{} working days", "{} calendar days", "{} weeks", "{} months"])
        duration = parse_duration(text.format(rng.randrange(0, 40)))
        t = clock.clock_start(start)
        ends = clock.advance(t, compile_duration(duration, ticks))
        assert clock.end_day(ends) == cal.deadline(start, duration), (start, duration)
        assert clock.advance_all([t], compile_duration(duration, ticks)) == [ends]


def test_clock_half_working_days_and_hours() -> None:
    clock = Clock(ENGLAND, d("2026-01-01"), 1440)
    half = compile_duration(parse_duration("0.5 working days"), 1440)
    friday = clock.day_start(d("2026-04-02"))  # the Thursday before Easter, at 00:00
    noon = clock.advance(friday, half)
    assert clock.moment(noon).isoformat() == "2026-04-02T12:00:00"
    # Another half: the end of Thursday; a third: noon on the Tuesday after Easter Monday.
    assert clock.moment(clock.advance(noon, half)).isoformat() == "2026-04-03T00:00:00"
    assert clock.moment(clock.advance(clock.advance(noon, half), half)).isoformat() \
        == "2026-04-07T12:00:00"
    # Hours run through the night and the holiday weekend.
    four = compile_duration(parse_duration("30 hours"), 1440)
    assert clock.moment(clock.advance(friday, four)).isoformat() == "2026-04-03T06:00:00"
    # A working day that starts on a holiday starts on the next working day.
    one = compile_duration(parse_duration("1 working day"), 1440)
    assert clock.moment(clock.advance(clock.day_start(d("2026-04-03")), one)).isoformat() \
        == "2026-04-08T00:00:00"


def test_clock_tables_grow_for_long_processes() -> None:
    clock = Clock(ENGLAND, d("2026-01-01"), 1)
    t = clock.advance(clock.clock_start(d("2026-06-01")),
                      compile_duration(parse_duration("2600 working days"), 1))
    assert clock.end_day(t).year in (2036, 2037)
    assert clock.end_day(t) == ENGLAND.add_working_days(d("2026-06-01"), 2600)
