from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from linli.dailyreports import services
from linli.dailyreports.models import DailyReport, Reminder
from linli.notifications.models import Notification

TZ = ZoneInfo(settings.TIME_ZONE)


def at(day: str, clock: str = "17:30") -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=TZ)


def reminded(user) -> int:
    return Notification.objects.filter(recipient=user, kind="daily_report.reminder").count()


def filed(worker, grid, day: str) -> DailyReport:
    # A report of a past day, written directly: the services only file today's.
    return DailyReport.objects.create(worker=worker, grid=grid, community=grid.parent,
                                      area_path=grid.path, day=date.fromisoformat(day))


def test_fires_once_per_worker_and_day_skipping_who_reported(daily):
    w = daily
    filed(w.gina, w.grid_a1, "2026-09-30")
    assert services.reminders_send(now=at("2026-09-30", "16:59")) == 0  # not yet
    assert services.reminders_send(now=at("2026-09-30")) == 2  # gary and greta
    assert services.reminders_send(now=at("2026-09-30", "18:00")) == 0  # once a day
    assert (reminded(w.gina), reminded(w.gary), reminded(w.greta)) == (0, 1, 1)
    note = Notification.objects.filter(recipient=w.gary).get()
    assert note.link == "/daily/"


def test_across_a_holiday(daily):
    w = daily
    for day in ("2026-10-01", "2026-10-04", "2026-10-07"):  # National Day
        assert services.reminders_send(now=at(day)) == 0
    assert services.reminders_send(now=at("2026-10-08")) == 3  # the first working day
    assert services.reminders_send(now=at("2026-10-10")) == 3  # a make-up Saturday
    assert services.reminders_send(now=at("2026-10-11")) == 0  # a plain Sunday
    assert reminded(w.gina) == 2
    assert set(Reminder.objects.values_list("day", flat=True)) == {
        date(2026, 10, 8), date(2026, 10, 10)}


def test_an_inactive_worker_is_not_reminded(daily):
    w = daily
    w.greta.is_active = False
    w.greta.save()
    assert services.reminders_send(now=at("2026-09-30")) == 2
    assert reminded(w.greta) == 0
