import pytest

from linli.cases.services import case_report
from linli.cases.tests.factories import category, route
from linli.cases.tests.publictools import public_world


@pytest.fixture
def leak(world):
    cat = category()
    route(cat, world.community_a, world.unit_a)
    return cat


@pytest.fixture
def reported(world, leak):
    """A case reported by rita (resident) in her own dwelling."""
    return case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                       description="厨房水管漏水，地面积水")


@pytest.fixture
def pw(world):
    """The public case pages' setting (publictools.public_world)."""
    return public_world(world)
