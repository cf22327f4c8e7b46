"""The working calendar over the 2026 Spring Festival and National Day, its three units of
time, the environment's overrides, and a year the holiday package does not know yet."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from linli.core.tests.workdays import clear_caches, statutory
from linli.core.workcalendar import (
    add_working_time,
    deadline,
    hours_per_day,
    is_workday,
    working_hours_between,
)

SH = ZoneInfo("Asia/Shanghai")


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


@pytest.fixture(autouse=True)
def fresh_calendar(monkeypatch):
    """Every test reads the environment afresh, and leaves no cached overrides behind."""
    statutory(monkeypatch)
    yield monkeypatch
    monkeypatch.undo()
    clear_caches()


# --- the statutory calendar ----------------------------------------------------------------

SPRING_FESTIVAL_OFF = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]  # 15..23
MAKE_UP_DAYS = [date(2026, 2, 14), date(2026, 2, 28)]  # Saturdays worked
NATIONAL_DAY_OFF = [date(2026, 10, 1) + timedelta(days=n) for n in range(7)]


def test_the_package_knows_the_2026_holidays_and_make_up_days():
    # The test relies on these facts: if the package's data changes, look again.
    assert not any(chinese_calendar.is_workday(d) for d in SPRING_FESTIVAL_OFF)
    assert all(chinese_calendar.is_workday(d) for d in MAKE_UP_DAYS)
    assert all(d.weekday() == 5 for d in MAKE_UP_DAYS)
    assert not any(chinese_calendar.is_workday(d) for d in NATIONAL_DAY_OFF)


def test_working_days_follow_the_statutory_calendar():
    assert [is_workday(d) for d in SPRING_FESTIVAL_OFF] == [False] * 9
    assert [is_workday(d) for d in MAKE_UP_DAYS] == [True, True]
    assert [is_workday(d) for d in NATIONAL_DAY_OFF] == [False] * 7
    assert is_workday(date(2026, 2, 13)) and is_workday(date(2026, 2, 24))
    assert not is_workday(date(2026, 3, 7))  # an ordinary Saturday


# --- working hours -----------------------------------------------------------------------

def test_a_working_day_is_seven_hours_by_default():
    assert hours_per_day() == Decimal(7)


def test_two_working_days_from_friday_evening_span_the_spring_festival():
    start = sh(2026, 2, 13, 17, 0)
    # Friday 0.5 h, make-up Saturday 7 h, nine days off, Tuesday 6.5 h.
    assert deadline(start, Decimal(2), "work_days") == sh(2026, 2, 24, 17, 0)
    assert working_hours_between(start, sh(2026, 2, 24, 17, 0)) == Decimal(14)


def test_working_hours_continue_on_the_make_up_saturday():
    assert add_working_time(sh(2026, 2, 13, 16, 0), Decimal(3)) == sh(2026, 2, 14, 10, 0)


def test_the_make_up_saturday_after_the_holiday_counts_too():
    # Friday 27 Feb 17:00 + 1 working day: 0.5 h Friday, 6.5 h on Saturday the 28th.
    assert deadline(sh(2026, 2, 27, 17, 0), Decimal(1), "work_days") == sh(2026, 2, 28, 17, 0)


def test_national_day_is_skipped():
    # Wednesday 30 Sep 16:00 + 1 working day: 1.5 h, a week off, 5.5 h on 8 October.
    assert deadline(sh(2026, 9, 30, 16, 0), Decimal(1), "work_days") == sh(2026, 10, 8, 16, 0)


def test_time_outside_working_hours_does_not_count():
    # Asked during the holiday: the clock starts on the first working morning.
    assert add_working_time(sh(2026, 2, 21, 10, 0), Decimal(1)) == sh(2026, 2, 24, 9, 30)
    # Asked over lunch: the clock starts at 14:00.
    assert add_working_time(sh(2026, 3, 2, 12, 30), Decimal(1)) == sh(2026, 3, 2, 15, 0)
    # Asked after hours: the next morning.
    assert add_working_time(sh(2026, 3, 2, 20, 0), Decimal("0.5")) == sh(2026, 3, 3, 9, 0)
    assert working_hours_between(sh(2026, 3, 2, 12, 0), sh(2026, 3, 2, 14, 0)) == 0
    assert working_hours_between(sh(2026, 3, 3), sh(2026, 3, 2)) == 0


def test_a_limit_that_ends_at_closing_time_ends_that_day():
    assert add_working_time(sh(2026, 3, 2, 14, 0), Decimal("3.5")) == sh(2026, 3, 2, 17, 30)


def test_clock_hours_never_stop():
    start = sh(2026, 2, 13, 17, 0)
    assert deadline(start, Decimal(48), "clock_hours") == sh(2026, 2, 15, 17, 0)
    assert deadline(start, Decimal("0.5"), "clock_hours") == sh(2026, 2, 13, 17, 30)


def test_an_unknown_unit_is_an_error():
    with pytest.raises(ValueError):
        deadline(sh(2026, 3, 2, 9, 0), Decimal(1), "fortnights")


def test_working_hours_come_from_the_environment(fresh_calendar):
    fresh_calendar.setenv("LINLI_WORK_HOURS", "09:00-13:00, 14:00-18:00")
    clear_caches()
    assert hours_per_day() == Decimal(8)
    assert deadline(sh(2026, 3, 2, 9, 0), Decimal(1), "work_days") == sh(2026, 3, 2, 18, 0)


def test_working_hours_that_end_before_they_start_are_refused(fresh_calendar):
    fresh_calendar.setenv("LINLI_WORK_HOURS", "17:00-09:00")
    clear_caches()
    with pytest.raises(ValueError):
        hours_per_day()


# --- overrides and unknown years -------------------------------------------------------------

def test_extra_holidays_and_workdays_override_the_package(fresh_calendar):
    fresh_calendar.setenv("LINLI_EXTRA_HOLIDAYS", "2026-03-02")        # a Monday off
    fresh_calendar.setenv("LINLI_EXTRA_WORKDAYS", "2026-03-07,2026-02-16")  # worked
    clear_caches()
    assert not is_workday(date(2026, 3, 2))
    assert is_workday(date(2026, 3, 7)) and is_workday(date(2026, 2, 16))
    # Make-up Saturday 17:00 + 1 working hour with Monday 2 March off: Tuesday 09:00.
    assert add_working_time(sh(2026, 2, 28, 17, 0), Decimal(1)) == sh(2026, 3, 3, 9, 0)


def test_the_caches_do_not_keep_an_override_once_it_is_gone(fresh_calendar):
    fresh_calendar.setenv("LINLI_EXTRA_HOLIDAYS", "2026-03-02")
    clear_caches()
    assert not is_workday(date(2026, 3, 2))
    fresh_calendar.delenv("LINLI_EXTRA_HOLIDAYS")
    clear_caches()
    assert is_workday(date(2026, 3, 2))


def test_a_year_the_package_does_not_know_falls_back_to_the_statutory_days(fresh_calendar):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))
    assert is_workday(date(2027, 1, 4)) and is_workday(date(2027, 1, 8))       # Mon, Fri
    assert not is_workday(date(2027, 1, 9)) and not is_workday(date(2027, 1, 10))
    # New Year's Day is a holiday by law whatever the year: Thursday 31 Dec 2026 17:00 plus
    # a working day is Monday, not Friday 1 January.
    assert not is_workday(date(2027, 1, 1))
    assert deadline(sh(2026, 12, 31, 17, 0), Decimal(1), "work_days") == sh(2027, 1, 4, 17, 0)
    # The Spring Festival of 2027 (the eve, Friday 5 February, to Monday 8 February).
    assert [is_workday(date(2027, 2, d)) for d in (4, 5, 8, 9)] == [True, False, False, True]
    # The published arrangement, once known, is set by the deployment.
    fresh_calendar.setenv("LINLI_EXTRA_HOLIDAYS", "2027-02-09")
    fresh_calendar.setenv("LINLI_EXTRA_WORKDAYS", "2027-02-08")
    clear_caches()
    assert [is_workday(date(2027, 2, d)) for d in (8, 9)] == [True, False]


def test_the_statutory_days_are_holidays_in_every_published_year_since_the_2024_law():
    from linli.core.workcalendar import statutory_holidays

    year = 2025  # the revised law (13 days) took effect on 1 January 2025
    while True:
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            break
        days = statutory_holidays(year)
        assert len(days) == 13
        assert [d for d in sorted(days) if chinese_calendar.is_workday(d)] == [], year
        year += 1
    assert year > 2025  # the package knew at least one such year


def _hours_day_by_day(start: datetime, end: datetime) -> Decimal:
    """The plain definition: every working window of every day, clipped to the span."""
    from linli.core.workcalendar import working_windows

    total = timedelta()
    day = start.date()
    while day <= end.date():
        if is_workday(day):
            for w_start, w_end in working_windows():
                lo = max(datetime.combine(day, w_start, SH), start)
                hi = min(datetime.combine(day, w_end, SH), end)
                total += max(hi - lo, timedelta())
        day += timedelta(days=1)
    return Decimal(total.total_seconds()) / 3600


def test_working_hours_between_agrees_with_the_day_by_day_count():
    """Whole days in the middle are counted without clipping; the result is the same over
    spans across the Spring Festival, make-up Saturdays, National Day and odd minutes."""
    import random

    rng = random.Random(13)
    for _ in range(400):
        start = sh(2026, 1, 1) + timedelta(minutes=rng.randint(0, 330 * 24 * 60))
        end = start + timedelta(minutes=rng.randint(0, 60 * 24 * 60))
        assert working_hours_between(start, end) == _hours_day_by_day(start, end), (start, end)
    assert working_hours_between(sh(2026, 3, 2, 10), sh(2026, 3, 2, 9)) == 0
