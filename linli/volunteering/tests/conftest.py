import pytest

from linli.volunteering.tests.factories import hour_rule, volunteer


@pytest.fixture
def vw(world):
    """The standard world plus volunteers and an hourly earning rule in community A:
    vera and vic volunteer in A (vera also lives there), val volunteers in B."""
    world.vera = volunteer("vera", world.community_a, world.dwelling_a)
    world.vic = volunteer("vic", world.community_a)
    world.val = volunteer("val", world.community_b)
    world.rule_a = hour_rule(world.community_a)
    return world
