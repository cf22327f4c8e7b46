"""The rectification deadline on the working calendar and the overdue sweep: an order
issued before National Day with a 3-working-day limit is due after the holiday, not
overdue during it, overdue at the sweep after; each deadline claimed once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from linli.core.models import AuditEntry
from linli.core.tests.workdays import statutory
from linli.inspections import services
from linli.inspections.models import OrderEvent, State
from linli.inspections.supervision import supervise_overdue
from linli.inspections.tests import orderkit
from linli.inspections.tests.factories import campaign, order
from linli.inspections.tests.orderkit import rectified

pytestmark = pytest.mark.django_db
# The order fixtures (orderkit), by name.
crew, media_root = orderkit.crew, orderkit.media_root
SH = ZoneInfo("Asia/Shanghai")
MINOR = 8  # the gas checklist's minor item: 3 working days


def sh(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


@pytest.fixture(autouse=True)
def statutory_calendar(monkeypatch):
    statutory(monkeypatch)


def issued_before_national_day(world):
    c = campaign(world, starts_on=date(2026, 9, 28))
    return order(world, position=MINOR, campaign=c, now=sh(9, 30, 9, 0))


def test_the_deadline_skips_the_holiday_week(crew):
    o = issued_before_national_day(crew)
    # 30 Sep, then the week off; 8 Oct, 9 Oct and the make-up Saturday 10 Oct.
    assert o.due_at == sh(10, 10, 9, 0)
    assert sh(9, 30, 9, 0) < o.warn_at < o.due_at


def test_not_overdue_during_the_holiday_overdue_the_sweep_after(crew):
    o = issued_before_national_day(crew)
    assert supervise_overdue(now=sh(10, 5, 12, 0)) == 0
    assert supervise_overdue(now=sh(10, 10, 8, 59)) == 0
    o.refresh_from_db()
    assert o.state == State.ISSUED
    assert supervise_overdue(now=sh(10, 10, 9, 1)) == 1
    o.refresh_from_db()
    assert o.state == State.OVERDUE and o.overdue_for == o.due_at
    event = OrderEvent.objects.get(order=o, action="overdue")
    assert event.actor is None and event.from_state == State.ISSUED
    assert AuditEntry.objects.filter(action="inspection_order.overdue").count() == 1


def test_each_deadline_is_claimed_once(crew):
    issued_before_national_day(crew)
    assert supervise_overdue(now=sh(10, 12, 9, 0)) == 1
    assert supervise_overdue(now=sh(10, 12, 9, 5)) == 0
    assert OrderEvent.objects.filter(action="overdue").count() == 1


def test_a_rectified_order_is_not_swept(crew, media_root):
    o = issued_before_national_day(crew)
    rectified(crew, o)
    assert supervise_overdue(now=sh(10, 12, 9, 0)) == 0


def test_a_rejected_rectification_past_its_deadline_is_swept_again(crew, media_root):
    o = issued_before_national_day(crew)
    supervise_overdue(now=sh(10, 12, 9, 0))
    o.refresh_from_db()
    rectified(crew, o)
    services.order_transition(actor=crew.ivy, order=o, action="reject", note="没修好",
                              now=sh(10, 13, 9, 0))
    assert supervise_overdue(now=sh(10, 13, 10, 0)) == 1
    o.refresh_from_db()
    assert o.state == State.OVERDUE


