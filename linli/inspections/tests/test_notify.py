"""Who hears of each order event (the actor never hears of their own act)."""

from datetime import timedelta

import pytest

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.inspections import notify, services
from linli.inspections.models import OrderEvent
from linli.inspections.supervision import supervise_overdue
from linli.inspections.tests import orderkit
from linli.inspections.tests.factories import order
from linli.inspections.tests.orderkit import rectified
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db
# The order fixtures (orderkit), by name.
crew, media_root = orderkit.crew, orderkit.media_root


def heard(o, action: str) -> set[str]:
    event = OrderEvent.objects.filter(order=o, action=action).latest("pk")
    notify.event_notify(event.pk)
    return set(Notification.objects.filter(source_key=f"inspection_order_event:{event.pk}")
               .values_list("recipient__username", flat=True))


@pytest.fixture
def staff(crew):
    crew.lina = UserFactory(username="lina")
    assign(crew.lina, Role.LEADER, crew.community_a)
    crew.otto = UserFactory(username="otto")  # a grid worker of the other grid: not told
    assign(crew.otto, Role.GRID_WORKER, crew.grid_a2)
    return crew


def test_issue_tells_the_responsible_partys_account(staff):
    o = order(staff, responsible_user_id=staff.perry.pk)
    assert heard(o, "issue") == {"perry"}


def test_issue_without_an_account_tells_nobody(staff):
    assert heard(order(staff), "issue") == set()


def test_rectify_tells_the_grids_inspectors_and_the_issuer(staff, media_root):
    o = order(staff, responsible_user_id=staff.perry.pk)
    rectified(staff, o, actor=staff.perry)
    assert heard(o, "rectify") == {"gina", "ivy"}


def test_reject_tells_the_responsible_party_and_the_rectifier(staff, media_root):
    o = order(staff, responsible_user_id=staff.perry.pk)
    rectified(staff, o, actor=staff.ivy)
    services.order_transition(actor=staff.alice, order=o, action="reject", note="没修好")
    assert heard(o, "reject") == {"perry", "ivy"}


def test_overdue_tells_the_issuer_grid_workers_and_dispatchers(staff):
    o = order(staff, actor=staff.ivy)
    supervise_overdue(now=o.due_at + timedelta(minutes=1))
    assert heard(o, "overdue") == {"ivy", "gina", "alice"}


def test_escalate_tells_leaders_dispatchers_and_the_competent_unit(staff):
    o = order(staff)
    supervise_overdue(now=o.due_at + timedelta(minutes=1))
    o.refresh_from_db()
    services.order_transition(actor=staff.lina, order=o, action="escalate", note="逾期",
                              competent_unit_id=staff.unit_a.pk)
    # lina acted; uma and perry are the competent unit's members
    assert heard(o, "escalate") == {"alice", "uma", "perry"}


def test_sign_off_tells_the_responsible_party(staff, media_root):
    o = order(staff, responsible_user_id=staff.perry.pk)
    rectified(staff, o)
    services.order_transition(actor=staff.ivy, order=o, action="sign_off")
    assert heard(o, "sign_off") == {"perry"}


def test_a_second_run_tells_nobody_twice(staff):
    o = order(staff, responsible_user_id=staff.perry.pk)
    heard(o, "issue")
    heard(o, "issue")
    assert Notification.objects.filter(recipient=staff.perry).count() == 1
