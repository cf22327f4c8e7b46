"""The demo's notices: every state, the urgent one read by some households and not by
`resident`'s, nobody notified."""

import pytest
from django.contrib.auth import get_user_model

from linli.community import selectors_notices as sel
from linli.community.models import Notice, NoticeKind, NoticeRead
from linli.notifications.models import Notification


@pytest.mark.django_db
def test_demo_notices(demo):
    shown = {sel.shown_state(n) for n in Notice.objects.all()}
    assert shown == {"shown", "scheduled", "expired", "withdrawn"}
    assert Notice.objects.filter(pinned=True).exists()
    assert Notice.objects.filter(care_tag__code="lonely_elderly").exists()
    urgent = Notice.objects.get(kind=NoticeKind.URGENT)
    rate = sel.read_rate(urgent)
    assert 0 < rate.read < rate.audience
    resident = get_user_model().objects.get(username="resident")
    assert not NoticeRead.objects.filter(
        notice=urgent, household=resident.resident_record.household).exists()
    assert urgent in sel.home_notices(resident)
    assert not Notification.objects.filter(kind="community.notice").exists()
