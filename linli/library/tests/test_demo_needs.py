"""The demo's needs: a delivery record for several providers, a need met through a task, a
request of the `resident` login, the walk's open need suggested 急; notifying nobody."""

import pytest

from linli.library.demo_needs import RESIDENT_TEXT, WALK_TEXT
from linli.library.models import Match, Need, Provider
from linli.library.services.matching import suggest_providers
from linli.notifications.models import Notification


@pytest.mark.django_db
def test_demo_needs(demo):
    walk = Need.objects.get(text=WALK_TEXT)
    assert walk.state == "open" and walk.urgency == "" and walk.urgency_suggested == "urgent"
    found = {s.provider.name: s for s in suggest_providers(walk, limit=50)}
    assert found["江汉区乐龄助老服务中心"].delivered == 4
    failing = Provider.objects.get(name="花楼物业服务中心")
    assert Match.objects.filter(provider=failing, outcome="failed").count() == 3
    assert Need.objects.filter(outcome="task", state="met").exists()
    own = Need.objects.get(text=RESIDENT_TEXT)
    assert own.resident is not None and own.resident.user is not None
    assert own.resident.user.username == "resident"
    assert own.state == "matched"
    assert not Notification.objects.filter(link__startswith="/library/needs/").exists()
