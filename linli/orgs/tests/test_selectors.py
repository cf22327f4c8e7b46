"""Reads of the org tree that other apps build on."""

import pytest

from linli.orgs.models import Area, AreaKind
from linli.orgs.selectors import community_path

pytestmark = pytest.mark.django_db


def test_community_from_the_path_agrees_with_the_query_for_every_kind(world):
    areas = list(Area.objects.all())
    assert {a.kind for a in areas} == set(AreaKind.values)
    for area in areas:
        community = area.ancestor_of_kind(AreaKind.COMMUNITY)
        assert community_path(area) == (community.path if community else None), area.kind


def test_community_of_a_dwelling_a_community_and_a_street(world):
    assert community_path(world.dwelling_a) == world.community_a.path
    assert community_path(world.dwelling_b) == world.community_b.path
    assert community_path(world.community_a) == world.community_a.path
    assert community_path(world.street) is None
    assert community_path(world.district) is None
