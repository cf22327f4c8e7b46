"""The demo's inspections: about 150 targets, an ended campaign whose orders are in every
state and a running one half done, made by the real services; the grid worker has targets
left to inspect and the ledger has something to count."""

from collections import Counter

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.inspections import selectors
from linli.inspections.models import (
    Campaign,
    Inspection,
    Order,
    OrderEvent,
    Schedule,
    State,
    Target,
)
from linli.notifications.models import Notification


@pytest.mark.django_db
def test_demo_inspections_cover_every_order_state_with_a_consistent_history(demo):
    now = timezone.now()
    assert 140 <= Target.objects.count() <= 160
    ended, running = (Campaign.objects.get(name="冬季燃气安全排查"),
                      Campaign.objects.get(name="消防安全排查"))
    assert ended.ends_on < timezone.localdate() <= running.ends_on
    in_ended = selectors.campaign_targets(ended).count()
    assert Inspection.objects.filter(campaign=ended).count() == in_ended
    assert 0 < Inspection.objects.filter(campaign=running).count() < (
        selectors.campaign_targets(running).count())
    states = Counter(Order.objects.values_list("state", flat=True))
    assert set(states) == set(State.values), states
    assert OrderEvent.objects.filter(action="reject").exists()
    assert Order.objects.filter(case__isnull=False).count() == 1
    assert Schedule.objects.filter(is_active=True).exists()
    for order in Order.objects.all():
        assert order.issued_at <= now
        events = list(order.events.values_list("at", flat=True))
        assert events == sorted(events) and events[-1] <= now
        if order.state in (State.RECTIFIED, State.CLOSED):
            assert order.photos.filter(phase="after").exists()
        if order.state == State.CLOSED:
            assert order.rechecked_by_id not in (order.rectified_by_id,
                                                 order.responsible_user_id)
    # The grid worker of grid A1 still has targets to inspect in the running campaign.
    grid = User.objects.get(username="grid")
    mine = selectors.campaign_targets(running).filter(selectors.placed_q(grid))
    assert mine.exclude(inspections__campaign=running).exists()
    # Weeks-old history is not news: loading it notifies nobody.
    assert not Notification.objects.filter(created_at__gte=now).exists()
