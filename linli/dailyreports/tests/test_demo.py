"""The daily reports demo: a month for every grid worker, a few items raised for real."""

import pytest

from linli.accounts.demo import demo_users
from linli.accounts.models import Role, RoleAssignment
from linli.cases.models import Channel
from linli.dailyreports.demo import demo_daily_reports
from linli.dailyreports.models import DailyReport, Item, ItemKind
from linli.disputes.models import Source
from linli.orgs.demo import demo_tree

pytestmark = pytest.mark.django_db


def test_a_month_for_every_grid_worker(django_assert_max_num_queries):
    from linli.cases.tests.factories import category

    category()
    tree = demo_tree()
    demo_users(tree)
    with django_assert_max_num_queries(600):
        written = demo_daily_reports()
    workers = set(RoleAssignment.objects.filter(role=Role.GRID_WORKER)
                  .values_list("user_id", flat=True))
    assert written == DailyReport.objects.count() > 15 * len(workers)
    assert set(DailyReport.objects.values_list("worker_id", flat=True)) == workers
    raised = Item.objects.exclude(kind=ItemKind.NOTHING)
    assert {i.kind for i in raised} == {ItemKind.PROBLEM, ItemKind.CONFLICT}
    assert {i.case.channel for i in raised if i.case} == {Channel.GRID_PATROL}
    assert {i.dispute.source for i in raised if i.dispute} == {Source.DAILY_REPORT}
    assert not DailyReport.objects.filter(items__isnull=True).exists()
