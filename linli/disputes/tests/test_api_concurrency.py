"""Two people calling the disputes API on one dispute at the same moment: one wins, the
other is told (409), and one row or event is written. Real threads on PostgreSQL, each on
its own connection, released together (core/tests/threads.run_together)."""

import threading

import pytest
from django.test import Client

from linli.accounts.models import User
from linli.core.tests.threads import run_together
from linli.disputes.models import Agreement, Event, State
from linli.disputes.tests.factories import dispute, mediator
from linli.disputes.tests.test_api_moves import agreement_body

pytestmark = pytest.mark.postgres


@pytest.fixture
def mia(transactional_db, world):
    return mediator(world)


def poster(user_id: int, url: str, body: dict):
    def job(barrier: threading.Barrier) -> int:
        client = Client()
        client.force_login(User.objects.get(pk=user_id))
        barrier.wait()
        return client.post(url, body, content_type="application/json").status_code
    return job


def test_two_accept_at_once_one_wins(world, mia):
    d = dispute(world)
    url = f"/api/disputes/{d.pk}/actions/accept"
    outcomes = run_together(poster(world.alice.pk, url, {"version": 1}),
                            poster(mia.pk, url, {"version": 1}))
    assert sorted(value for _kind, value in outcomes) == [200, 409], outcomes
    d.refresh_from_db()
    assert (d.state, d.version) == (State.ACCEPTED, 2)
    assert Event.objects.filter(dispute=d, action="accept").count() == 1


def test_two_agreements_at_once_one_is_written(world, mia):
    d = dispute(world)
    client = Client()
    client.force_login(world.alice)
    for action in ("accept", "mediate"):
        assert client.post(f"/api/disputes/{d.pk}/actions/{action}", {},
                           content_type="application/json").status_code == 200
    url = f"/api/disputes/{d.pk}/agreement"
    outcomes = run_together(poster(world.alice.pk, url, agreement_body(terms="赔偿2000元")),
                            poster(mia.pk, url, agreement_body(terms="赔偿3000元")))
    assert sorted(value for _kind, value in outcomes) == [201, 409], outcomes
    assert Agreement.objects.filter(dispute=d).count() == 1
    assert Event.objects.filter(dispute=d, action="agreement").count() == 1
