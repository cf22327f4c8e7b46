"""Helpers of the order tests: photos, a responsible party's account, and an order moved
along the table by the usual actors."""

import pytest

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.tests.apitools import jpeg_upload
from linli.inspections import services
from linli.inspections.models import Order, OrderEvent, OrderPhoto


@pytest.fixture
def media_root(settings, tmp_path):
    """Photos go to a throw-away directory, never to the developer's data dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path


@pytest.fixture
def crew(world):
    """The world with ivy, a second grid worker of grid A1 (another re-checker), and
    perry, the property company's staff member responsible for an order."""
    world.ivy = UserFactory(username="ivy")
    assign(world.ivy, Role.GRID_WORKER, world.grid_a1)
    world.perry = UserFactory(username="perry")
    assign(world.perry, Role.UNIT_MEMBER, world.community_a, unit=world.unit_a)
    return world


def photo(name: str = "after.jpg"):
    return jpeg_upload(name)


def rectified(world, o: Order, actor=None) -> Order:
    services.order_transition(actor=actor or world.gina, order=o, action="rectify",
                              after=[photo()], note="已更换波纹管")
    return o


def snapshot(o: Order) -> tuple:
    """What a refused move must leave untouched."""
    fresh = Order.objects.get(pk=o.pk)
    return (fresh.state, fresh.version, fresh.due_at, fresh.case_id,
            OrderEvent.objects.filter(order=o).count(),
            OrderPhoto.objects.filter(order=o).count())
