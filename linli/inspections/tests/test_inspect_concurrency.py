"""The same inspection sent twice at the same moment (a double tap that beat the disabled
button, a phone retrying while the first send is still running): one inspection and one
order per failed item are written, and both sends are answered with it. Real threads on
PostgreSQL, each on its own connection, released together (core/tests/threads)."""

import threading

import pytest
from django.test import Client

from linli.accounts.models import User
from linli.core.tests.threads import run_together
from linli.inspections.models import Inspection, Order
from linli.inspections.tests.factories import campaign, target
from linli.inspections.tests.test_inspect_api import body, url

pytestmark = pytest.mark.postgres


def poster(user_id: int, path: str, data: dict, key: str):
    def job(barrier: threading.Barrier) -> tuple[int, int]:
        client = Client()
        client.force_login(User.objects.get(pk=user_id))
        barrier.wait()
        response = client.post(path, data, content_type="application/json",
                               headers={"Idempotency-Key": key})
        return response.status_code, response.json().get("id", 0)
    return job


def test_the_same_send_twice_at_once_records_once(transactional_db, world):
    c, t = campaign(world), target(world)
    data = body(c, fail=(1,))
    outcomes = run_together(poster(world.gina.pk, url(c, t), data, "k1"),
                            poster(world.gina.pk, url(c, t), data, "k1"))
    inspection = Inspection.objects.get()
    answers = sorted(value for _kind, value in outcomes)
    assert answers == [(200, inspection.pk), (201, inspection.pk)], outcomes
    assert Order.objects.count() == 1


def test_two_inspectors_at_once_one_records(transactional_db, world):
    c, t = campaign(world), target(world)
    data = body(c)
    outcomes = run_together(poster(world.gina.pk, url(c, t), data, "gina-1"),
                            poster(world.alice.pk, url(c, t), data, "alice-1"))
    assert sorted(value[0] for _kind, value in outcomes) == [201, 409], outcomes
    assert Inspection.objects.count() == 1
