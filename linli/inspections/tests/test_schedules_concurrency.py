"""Three sweepers at once on the same due schedules make one campaign per schedule and day:
the claim (a conditional update of `next_on`) lets one worker win. PostgreSQL, real
threads."""

import threading
from datetime import date, datetime

import pytest
from django.utils import timezone

from linli.core.tests.threads import run_together
from linli.inspections.models import Campaign, Template
from linli.inspections.services import schedule_create, schedules_run
from linli.inspections.tests.factories import GAS, ship

pytestmark = pytest.mark.postgres

NOW = timezone.make_aware(datetime(2026, 12, 7, 6, 0))


def sweeper(barrier: threading.Barrier) -> int:
    barrier.wait()
    return schedules_run(now=NOW)


def test_three_sweepers_at_once_make_each_days_campaign_once(transactional_db, world):
    ship()
    for name, areas in [("花楼燃气", [world.community_a]), ("一网格燃气", [world.grid_a1])]:
        schedule_create(actor=world.alice, name=name, template=Template.objects.get(name=GAS),
                        areas=areas, ordinal=1, weekday=0, every_months=1, duration_days=7,
                        now=timezone.make_aware(datetime(2026, 12, 1, 9, 0)))
    outcomes = run_together(sweeper, sweeper, sweeper)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert sum(made for _, made in outcomes) == 2
    assert sorted(Campaign.objects.values_list("name", "starts_on")) == [
        ("一网格燃气 2026年12月", date(2026, 12, 7)), ("花楼燃气 2026年12月", date(2026, 12, 7))]
    assert schedules_run(now=NOW) == 0
