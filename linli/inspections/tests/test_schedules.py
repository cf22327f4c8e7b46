"""Recurring campaigns: the rule's days (the first Monday of each month, the last Friday,
every third month) and the sweep that makes one campaign per schedule and day."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.inspections.models import Campaign, Schedule, Template, Weekday
from linli.inspections.services import (
    next_occurrence,
    schedule_create,
    schedule_update,
    schedules_run,
)
from linli.inspections.tests.factories import GAS

MON, FRI = Weekday.MONDAY, Weekday.FRIDAY


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=6))


@pytest.mark.parametrize(("after", "ordinal", "weekday", "every", "expected"), [
    (date(2026, 12, 6), 1, MON, 1, date(2026, 12, 7)),     # the first Monday of December
    (date(2026, 12, 7), 1, MON, 1, date(2027, 1, 4)),      # then January's
    (date(2026, 12, 31), 1, MON, 1, date(2027, 1, 4)),     # across the year
    (date(2026, 12, 7), 5, MON, 1, date(2026, 12, 28)),    # the last Monday
    (date(2027, 1, 28), 5, FRI, 1, date(2027, 1, 29)),
    (date(2027, 1, 29), 5, FRI, 1, date(2027, 2, 26)),     # the last Friday of February
    (date(2026, 12, 7), 1, MON, 3, date(2027, 3, 1)),      # every 3 months
    (date(2027, 3, 1), 1, MON, 3, date(2027, 6, 7)),
    (date(2026, 11, 30), 2, MON, 1, date(2026, 12, 14)),   # the second Monday
    (date(2026, 12, 1), 4, FRI, 12, date(2026, 12, 25)),   # once a year
    (date(2026, 12, 25), 4, FRI, 12, date(2027, 12, 24)),
])
def test_next_occurrence(after, ordinal, weekday, every, expected):
    assert next_occurrence(after, ordinal, weekday, every) == expected


def make(world, *, actor=None, now=date(2026, 12, 1), **kw) -> Schedule:
    fields: dict[str, Any] = {"name": "燃气安全排查", "template": Template.objects.get(name=GAS),
              "areas": [world.community_a], "ordinal": 1, "weekday": MON,
              "every_months": 1, "duration_days": 7} | kw
    return schedule_create(actor=actor or world.alice, now=at(now), **fields)


def test_a_new_schedule_starts_on_the_next_matching_day_today_included(world):
    assert make(world).next_on == date(2026, 12, 7)
    assert make(world, now=date(2026, 12, 7)).next_on == date(2026, 12, 7)
    # Every 3 months: the first is still the next matching day, then every third month.
    assert make(world, now=date(2026, 12, 8), every_months=3).next_on == date(2027, 1, 4)
    assert AuditEntry.objects.filter(action="inspection.schedule_create").count() == 3


@pytest.mark.parametrize(("change", "code"), [
    ({"ordinal": 6}, "bad_ordinal"), ({"ordinal": 0}, "bad_ordinal"),
    ({"weekday": 7}, "bad_weekday"), ({"every_months": 13}, "bad_every_months"),
    ({"duration_days": 0}, "bad_duration"), ({"duration_days": 91}, "bad_duration"),
    ({"name": ""}, "name_required"),
])
def test_a_bad_rule_is_refused(world, change, code):
    with pytest.raises(ValidationFailed) as refused:
        make(world, **change)
    assert refused.value.code == code
    assert Schedule.objects.count() == 0


def test_only_coordinators_of_every_area_make_schedules(world):
    for actor, areas in [(world.gina, [world.grid_a1]), (world.alice, [world.community_b])]:
        with pytest.raises(PermissionDenied):
            make(world, actor=actor, areas=areas)
    assert Schedule.objects.count() == 0


def test_the_sweep_makes_the_days_campaign_once_and_advances(world):
    s = make(world)
    assert schedules_run(now=at(date(2026, 12, 6))) == 0
    assert schedules_run(now=at(date(2026, 12, 7))) == 1
    assert schedules_run(now=at(date(2026, 12, 7))) == 0
    c = Campaign.objects.get()
    assert (c.name, c.starts_on, c.ends_on) == ("燃气安全排查 2026年12月", date(2026, 12, 7),
                                                date(2026, 12, 13))
    assert (c.schedule, c.created_by, c.area, c.topic) == (s, None, world.community_a, "gas")
    assert c.items.count() == 8
    s.refresh_from_db()
    assert s.next_on == date(2027, 1, 4)
    entry = AuditEntry.objects.get(action="inspection.campaign_create")
    assert entry.actor is None


def test_a_day_missed_while_no_sweep_ran_is_made_if_it_still_runs(world):
    make(world, duration_days=30)
    assert schedules_run(now=at(date(2027, 1, 5))) == 2  # December's (to 5 Jan) and January's
    assert sorted(Campaign.objects.values_list("starts_on", flat=True)) == [
        date(2026, 12, 7), date(2027, 1, 4)]


def test_a_day_whose_campaign_has_ended_is_skipped(world):
    s = make(world, duration_days=3)
    assert schedules_run(now=at(date(2026, 12, 20))) == 0
    s.refresh_from_db()
    assert s.next_on == date(2027, 1, 4)
    assert AuditEntry.objects.get(action="inspection.schedule_skip").changes == {
        "day": "2026-12-07", "reason": "ended"}


def test_a_retired_checklist_is_skipped_with_a_log_line_and_an_audit(world, caplog):
    s = make(world)
    Template.objects.filter(name=GAS).update(is_active=False)
    assert schedules_run(now=at(date(2026, 12, 7))) == 0
    assert Campaign.objects.count() == 0
    assert "skipped" in caplog.text
    assert AuditEntry.objects.get(action="inspection.schedule_skip").changes == {
        "day": "2026-12-07", "reason": "template_inactive"}
    s.refresh_from_db()
    assert s.next_on == date(2027, 1, 4)


def test_a_second_campaign_for_the_same_day_is_stopped_by_the_constraint(world):
    s = make(world)
    assert schedules_run(now=at(date(2026, 12, 7))) == 1
    # A rule change that lands on the same day again (the sweep already made it).
    Schedule.objects.filter(pk=s.pk).update(next_on=date(2026, 12, 7))
    assert schedules_run(now=at(date(2026, 12, 7))) == 0
    assert Campaign.objects.count() == 1


def test_a_paused_schedule_makes_nothing_and_resumes_from_today(world):
    s = make(world)
    schedule_update(actor=world.alice, schedule=s, is_active=False, now=at(date(2026, 12, 1)))
    assert schedules_run(now=at(date(2027, 2, 1))) == 0
    s = schedule_update(actor=world.alice, schedule=s, is_active=True,
                        now=at(date(2027, 2, 2)))
    assert s.next_on == date(2027, 3, 1)
    assert [e.changes.get("is_active") for e in AuditEntry.objects.filter(
        action="inspection.schedule_update").order_by("id")] == [
        ["True", "False"], ["False", "True"]]


def test_a_changed_rule_counts_from_today(world):
    s = make(world)
    s = schedule_update(actor=world.alice, schedule=s, ordinal=5, weekday=FRI,
                        now=at(date(2026, 12, 2)))
    assert (s.ordinal, s.weekday, s.next_on) == (5, FRI, date(2026, 12, 25))
    with pytest.raises(ValidationFailed):
        schedule_update(actor=world.alice, schedule=s, every_months=0)
    s.refresh_from_db()
    assert s.every_months == 1


def test_only_coordinators_change_a_schedule(world):
    s = make(world)
    for actor in (world.gina, world.bob):
        with pytest.raises(PermissionDenied):
            schedule_update(actor=actor, schedule=s, is_active=False)
    s.refresh_from_db()
    assert s.is_active is True


def test_the_task_runs_the_sweep(world):
    from linli.inspections import tasks

    make(world, now=timezone.localdate() - timedelta(days=1))
    assert tasks.schedules_run() in (0, 1)
