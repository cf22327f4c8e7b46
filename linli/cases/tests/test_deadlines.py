"""Case deadlines on the working calendar: which limit applies, where the deadlines fall
across the 2026 holidays, and the traffic light at 79 %, 80 %, 100 % and 101 %."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine

from linli.cases.deadlines import PRIORITY_DEFAULTS, Limits, limits_for
from linli.cases.models import Priority, State, TimeLimit
from linli.cases.services import case_transition
from linli.cases.tests.factories import category
from linli.cases.tests.walking import case_in_state, report
from linli.cases.transitions import CLOCKS
from linli.core.clocks import Light
from linli.core.tests.workdays import statutory
from linli.core.workcalendar import add_working_time

SH = ZoneInfo("Asia/Shanghai")
traffic_light = CLOCKS.light


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


@pytest.fixture(autouse=True)
def statutory_calendar(monkeypatch):
    statutory(monkeypatch)


def two_day_category():
    """A normal-priority category with two working days to accept and three to handle."""
    return category("L9003", name_zh="路灯不亮", priority=Priority.NORMAL,
                    accept_limit=Decimal(2), handle_limit=Decimal(3), limit_unit="work_days")


# --- which limit applies -------------------------------------------------------------------

def test_a_time_limit_row_beats_the_category_and_the_priority_defaults(db):
    leak = category()  # urgent: 1 h / 8 h working hours on the category itself
    TimeLimit.objects.create(category=leak, priority=Priority.URGENT, accept_limit=2,
                             handle_limit=16, limit_unit="work_hours")
    TimeLimit.objects.create(category=leak, priority=Priority.EMERGENCY,
                             accept_limit=Decimal("0.25"), handle_limit=1,
                             limit_unit="clock_hours")
    assert limits_for(leak, Priority.URGENT) == Limits(Decimal(2), Decimal(16), "work_hours")
    assert limits_for(leak, Priority.EMERGENCY) == Limits(Decimal("0.25"), Decimal(1),
                                                          "clock_hours")


def test_the_category_default_applies_to_its_own_priority_only(db):
    leak = category()
    assert limits_for(leak, Priority.URGENT) == Limits(Decimal(1), Decimal(8), "work_hours")
    assert limits_for(leak, Priority.NORMAL) == Limits(*PRIORITY_DEFAULTS[Priority.NORMAL])
    assert limits_for(leak, Priority.EMERGENCY) == Limits(
        Decimal("0.5"), Decimal(2), "clock_hours")


def test_a_category_without_its_own_limits_uses_the_priority_defaults(db):
    bare = category("L9004", name_zh="其他", accept_limit=None, handle_limit=None,
                    limit_unit="")
    half = category("L9005", name_zh="半设", handle_limit=None)
    for cat in (bare, half):
        assert limits_for(cat, Priority.URGENT) == Limits(Decimal(1), Decimal(8), "work_hours")
        assert limits_for(cat, Priority.NORMAL) == Limits(Decimal(2), Decimal(3), "work_days")


# --- deadlines across the holidays --------------------------------------------------------

def test_a_report_on_the_eve_of_spring_festival_is_due_after_it(world):
    # The facts the deadline rests on: 15-23 Feb off, Saturday 14 Feb worked.
    assert chinese_calendar.is_workday(date(2026, 2, 14))
    assert not any(chinese_calendar.is_workday(date(2026, 2, d)) for d in range(15, 24))
    with time_machine.travel(sh(2026, 2, 13, 17, 0), tick=False):
        case = report(world, cat=two_day_category())
    assert case.reported_at == sh(2026, 2, 13, 17, 0)
    # Friday 0.5 h + make-up Saturday 7 h + Tuesday 6.5 h = 14 h, the festival skipped.
    assert case.accept_due_at == sh(2026, 2, 24, 17, 0)
    assert case.accept_warn_at == sh(2026, 2, 24, 14, 12)  # 80 %: 11.2 h
    assert (case.handle_limit, case.limit_unit) == (Decimal(3), "work_days")


def test_handling_dispatched_before_national_day_is_due_after_it(world):
    cat = two_day_category()
    with time_machine.travel(sh(2026, 9, 30, 9, 0), tick=False):
        case = report(world, cat=cat)
        case = case_transition(actor=world.alice, case=case, action="accept")
        case = case_transition(actor=world.alice, case=case, action="dispatch",
                               unit=world.unit_a)
    # 6.5 h on 30 Sep, the holiday week off, 7 h on 8 Oct, 7 h on the 9th, 0.5 h on the
    # 10th (a make-up Saturday).
    assert case.handle_due_at == sh(2026, 10, 10, 9, 0)


def test_an_emergency_runs_on_the_clock_through_the_holiday(world):
    with time_machine.travel(sh(2026, 2, 16, 22, 0), tick=False):  # a holiday night
        case = report(world, priority=Priority.EMERGENCY)
        case = case_transition(actor=world.alice, case=case, action="accept")
        case = case_transition(actor=world.alice, case=case, action="dispatch",
                               unit=world.unit_a)
    assert case.accept_due_at == sh(2026, 2, 16, 22, 30)
    assert case.handle_due_at == sh(2026, 2, 17, 0, 0)


# --- the traffic light ---------------------------------------------------------------------

def _at(start: datetime, limit_hours: Decimal, percent: int) -> datetime:
    return add_working_time(start, limit_hours * percent / 100)


@pytest.mark.parametrize(("percent", "light"), [
    (0, Light.GREEN), (79, Light.GREEN), (80, Light.YELLOW), (100, Light.YELLOW),
    (101, Light.RED)])
def test_the_acceptance_light(world, percent, light):
    start = sh(2026, 2, 13, 17, 0)
    with time_machine.travel(start, tick=False):
        case = report(world, cat=two_day_category())
    assert traffic_light(case, _at(start, Decimal(14), percent)) == light


@pytest.mark.parametrize(("percent", "light"), [
    (79, Light.GREEN), (80, Light.YELLOW), (100, Light.YELLOW), (101, Light.RED)])
def test_the_handling_light(world, percent, light):
    start = sh(2026, 2, 13, 16, 0)  # 8 working hours: Friday 1.5 h, Saturday 6.5 h
    with time_machine.travel(start, tick=False):
        case = case_in_state(world, State.IN_PROGRESS)
    assert case.handle_due_at == sh(2026, 2, 14, 17, 0)
    assert traffic_light(case, _at(start, Decimal(8), percent)) == light


def test_a_resolved_case_keeps_the_light_it_was_resolved_under(world):
    start = sh(2026, 3, 2, 9, 0)  # 8 working hours: due Tuesday 10:00
    with time_machine.travel(start, tick=False) as clock:
        on_time = case_in_state(world, State.RESOLVED)
        late = case_in_state(world, State.IN_PROGRESS)
        clock.move_to(sh(2026, 3, 3, 10, 1))
        late = case_transition(actor=world.uma, case=late, action="resolve", note="修好")
    much_later = sh(2026, 3, 20, 9, 0)
    assert traffic_light(on_time, much_later) == Light.GREEN
    assert (traffic_light(late, much_later), late.resolved_late) == (Light.RED, True)


@pytest.mark.parametrize("state", [State.ACCEPTED, State.REJECTED, State.CLOSED,
                                   State.ON_HOLD, State.MERGED])
def test_no_light_where_no_clock_runs(world, state):
    case = case_in_state(world, state)
    assert traffic_light(case, case.reported_at + timedelta(days=30)) is None
