"""Sweepers and retrying phones at the same moment, on PostgreSQL with real threads."""

import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from linli.accounts.models import User
from linli.cases.models import Case
from linli.core.tests.threads import run_together
from linli.dailyreports import services
from linli.dailyreports.models import DailyReport, Item, Reminder
from linli.dailyreports.tests.factories import problem
from linli.notifications.models import Notification

pytestmark = pytest.mark.postgres


@pytest.fixture
def w(transactional_db, daily):
    return daily


def test_many_sweepers_send_one_reminder_each(w):
    now = datetime.combine(date(2026, 9, 30), time(17, 30), tzinfo=ZoneInfo(settings.TIME_ZONE))

    def sweeper(barrier: threading.Barrier):
        barrier.wait()
        return services.reminders_send(now=now)

    outcomes = run_together(sweeper, sweeper, sweeper)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert sum(sent for _, sent in outcomes) == 3
    assert Reminder.objects.count() == 3
    assert Notification.objects.filter(kind="daily_report.reminder").count() == 3


def test_a_retry_racing_the_first_submission_raises_one_case(w):
    def phone(barrier: threading.Barrier):
        actor = User.objects.get(pk=w.gina.pk)
        barrier.wait()
        return services.item_add(actor=actor, day=timezone.localdate(), details=problem(w),
                                 idempotency_key="same-tap")

    outcomes = run_together(phone, phone)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert sorted(out.replayed for _, out in outcomes) == [False, True]
    assert (DailyReport.objects.count(), Item.objects.count(), Case.objects.count()) == (1, 1, 1)
