"""`reported_counts_under`: a bare count of cases per place and time, for the community
building rating."""

from datetime import timedelta

from django.utils import timezone

from linli.cases.models import Case, State
from linli.cases.selectors import reported_counts_under
from linli.cases.tests.walking import case_in_state, report


def test_counts_cases_under_each_path_in_the_time_without_merged_duplicates(world):
    report(world)
    report(world)
    case_in_state(world, State.MERGED)  # two more reported: the merged one is not counted
    old = report(world)
    now = timezone.now()
    Case.objects.filter(pk=old.pk).update(reported_at=now - timedelta(days=40))
    since, until = now - timedelta(days=1), now + timedelta(minutes=1)
    counts = reported_counts_under([world.building_a.path, world.dwelling_b.path,
                                    world.community_a.path], since, until)
    assert counts == {world.building_a.path: 3, world.dwelling_b.path: 0,
                      world.community_a.path: 3}
    assert reported_counts_under([world.building_a.path], since - timedelta(days=60),
                                 since) == {world.building_a.path: 1}
