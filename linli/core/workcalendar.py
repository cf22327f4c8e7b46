"""The working calendar: Chinese statutory holidays and make-up workdays
(`chinese-calendar`), configurable working hours, and deadline arithmetic over them.

Limits come in three units: clock hours (emergencies: the clock never stops), working
hours, and working days. A working day counts as one full day of working hours, so
"2 working days" from Friday 17:00 ends Tuesday 17:00, skipping the weekend or holiday.
Years the package does not cover yet (the State Council publishes each year's arrangement
in the autumn before) fall back to Monday-Friday less the statutory holidays, which the law
fixes for every year (`statutory_holidays`); the make-up workdays and bridged days are
not known before they are published. LINLI_EXTRA_HOLIDAYS / LINLI_EXTRA_WORKDAYS
(comma-separated ISO dates) add them, and override any day.
"""

import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings

from linli.core.env import env_list, env_str

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def working_windows() -> tuple[tuple[time, time], ...]:
    """LINLI_WORK_HOURS, e.g. "08:30-12:00,14:00-17:30" (the default)."""
    raw = env_str("LINLI_WORK_HOURS", "08:30-12:00,14:00-17:30")
    windows = []
    for part in raw.split(","):
        start, end = (time.fromisoformat(p.strip()) for p in part.split("-"))
        if end <= start:
            raise ValueError(f"LINLI_WORK_HOURS window {part!r} ends before it starts")
        windows.append((start, end))
    return tuple(sorted(windows))


def hours_per_day() -> Decimal:
    seconds = sum(
        (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds
        for start, end in working_windows()
    )
    return Decimal(seconds) / 3600


@lru_cache(maxsize=1)
def _overrides() -> tuple[frozenset[date], frozenset[date]]:
    holidays = frozenset(date.fromisoformat(d) for d in env_list("LINLI_EXTRA_HOLIDAYS"))
    workdays = frozenset(date.fromisoformat(d) for d in env_list("LINLI_EXTRA_WORKDAYS"))
    return holidays, workdays


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    holidays, workdays = _overrides()
    if day in workdays:
        return True
    if day in holidays:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_uncovered(day.year)
        return day.weekday() < 5 and day not in statutory_holidays(day.year)


@lru_cache(maxsize=16)
def _warn_uncovered(year: int) -> None:
    # Once per year and process: a deadline sweep asks about hundreds of days of that year.
    log.warning("no published holiday arrangement for %s; counting Monday-Friday less the "
                "statutory holidays (set LINLI_EXTRA_HOLIDAYS / LINLI_EXTRA_WORKDAYS)", year)


def _date(solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=16)
def statutory_holidays(year: int) -> frozenset[date]:
    """The 13 days the law makes holidays in `year` (全国年节及纪念日放假办法, as revised
    in 2024): New Year's Day; the Spring Festival's eve and first three days; Qingming;
    1 and 2 May; the Dragon Boat and Mid-Autumn festivals; 1 to 3 October. The lunar ones
    come from the lunar calendar, Qingming from its solar term."""
    from lunar_python import Lunar  # here: only a year not yet published needs it (16 ms)

    def lunar(month: int, day: int) -> date:
        return _date(Lunar.fromYmd(year, month, day).getSolar())

    new_year = lunar(1, 1)
    spring = {new_year + timedelta(days=n) for n in (-1, 0, 1, 2)}  # from the eve
    qingming = _date(Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"])
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2),
             date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    lunar_days = {lunar(5, 5), lunar(8, 15)}  # Dragon Boat, Mid-Autumn
    return frozenset(fixed | spring | lunar_days | {qingming})


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def add_working_time(start: datetime, hours: Decimal | float) -> datetime:
    """The moment `hours` of working time after `start` have passed."""
    tz = _tz()
    local = start.astimezone(tz)
    remaining = timedelta(seconds=float(hours) * 3600)
    day = local.date()
    for _ in range(3660):  # ten years of days: a safety stop, never reached in practice
        if is_workday(day):
            for w_start, w_end in working_windows():
                begin = datetime.combine(day, w_start, tz)
                end = datetime.combine(day, w_end, tz)
                begin = max(begin, local)
                if begin >= end:
                    continue
                if begin + remaining <= end:
                    return begin + remaining
                remaining -= end - begin
        day += timedelta(days=1)
    raise ValueError("deadline more than ten years away")


def _hours_within(day: date, tz, lo_bound: datetime | None, hi_bound: datetime | None
                  ) -> timedelta:
    """Working time on `day`, clipped to [lo_bound, hi_bound] where given."""
    total = timedelta()
    if not is_workday(day):
        return total
    for w_start, w_end in working_windows():
        lo, hi = datetime.combine(day, w_start, tz), datetime.combine(day, w_end, tz)
        lo = max(lo, lo_bound) if lo_bound else lo
        hi = min(hi, hi_bound) if hi_bound else hi
        if hi > lo:
            total += hi - lo
    return total


def working_hours_between(start: datetime, end: datetime) -> Decimal:
    """Working hours elapsed from `start` to `end` (0 if end is before start). Only the
    first and the last day are clipped; the days between count whole, so a long span
    costs one workday lookup per day (the indicators sum this over every resolved row)."""
    if end <= start:
        return Decimal(0)
    tz = _tz()
    a, b = start.astimezone(tz), end.astimezone(tz)
    first, last = a.date(), b.date()
    if first == last:
        return Decimal(_hours_within(first, tz, a, b).total_seconds()) / 3600
    edges = _hours_within(first, tz, a, None) + _hours_within(last, tz, None, b)
    whole = sum(1 for n in range(1, (last - first).days)
                if is_workday(first + timedelta(days=n)))
    return Decimal(edges.total_seconds()) / 3600 + whole * hours_per_day()


def deadline(start: datetime, amount: Decimal, unit: str) -> datetime:
    """`start` plus a limit of `amount` in `unit` (clock_hours, work_hours, work_days)."""
    if unit == "clock_hours":
        return start + timedelta(seconds=float(amount) * 3600)
    if unit == "work_hours":
        return add_working_time(start, amount)
    if unit == "work_days":
        return add_working_time(start, amount * hours_per_day())
    raise ValueError(f"unknown limit unit {unit!r}")
