"""Two inspectors signing off one order at the same moment: one wins, the other is told
(409 conflict), and one sign-off is written. Real threads on PostgreSQL, each on its own
connection, released together (core/tests/threads.run_together)."""

import threading

import pytest

from linli.accounts.models import User
from linli.core.tests.threads import run_together
from linli.inspections import services
from linli.inspections.models import Order, OrderEvent, State
from linli.inspections.tests import orderkit
from linli.inspections.tests.factories import order
from linli.inspections.tests.orderkit import rectified

pytestmark = pytest.mark.postgres
# The order fixtures (orderkit), by name.
crew, media_root = orderkit.crew, orderkit.media_root


def signer(user_id: int, order_id: int):
    def job(barrier: threading.Barrier) -> str:
        actor = User.objects.get(pk=user_id)
        o = Order.objects.select_related("target").get(pk=order_id)
        barrier.wait()
        services.order_transition(actor=actor, order=o, action="sign_off")
        return "signed"
    return job


def test_two_sign_offs_at_once_one_wins(transactional_db, crew, media_root):
    o = rectified(crew, order(crew))
    outcomes = run_together(signer(crew.ivy.pk, o.pk), signer(crew.alice.pk, o.pk))
    kinds = sorted(kind for kind, _value in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert refusal.status == 409 and refusal.code == "conflict"
    o.refresh_from_db()
    assert o.state == State.CLOSED and o.version == 3
    assert OrderEvent.objects.filter(order=o, action="sign_off").count() == 1
