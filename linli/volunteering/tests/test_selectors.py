"""Who sees what: wishes, tasks and claims by role and community; the volunteer search;
the monthly honour list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from linli.core.errors import PermissionDenied
from linli.volunteering import selectors
from linli.volunteering.demo.skills import skills_load
from linli.volunteering.models import Claim, ClaimState, Skill
from linli.volunteering.services_profiles import profile_update
from linli.volunteering.tests.factories import claim, task, wish, wish_task

pytestmark = pytest.mark.django_db


def _ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_wishes_are_seen_by_their_requester_and_staff_of_the_place(vw):
    w = wish(vw)
    for user, seen in [(vw.rita, {w.pk}), (vw.alice, {w.pk}), (vw.gina, {w.pk}),
                       (vw.leo, {w.pk}), (vw.bob, set()), (vw.vera, set()), (vw.uma, set())]:
        assert _ids(selectors.wish_list(actor=user)) == seen, user.username
    assert _ids(selectors.wish_inbox(actor=vw.gina)) == {w.pk}
    assert _ids(selectors.wish_inbox(actor=vw.leo)) == set()  # leaders do not publish


def test_drafts_are_for_staff_and_published_tasks_for_the_community(vw):
    draft, open_ = task(vw, publish=False), task(vw)
    for user, seen in [(vw.alice, {draft.pk, open_.pk}), (vw.rita, {open_.pk}),
                       (vw.vic, {open_.pk}), (vw.val, set()), (vw.bob, set()),
                       (vw.nobody, set())]:
        assert _ids(selectors.task_list(actor=user)) == seen, user.username
    with pytest.raises(Http404):
        selectors.task_get(actor=vw.val, task_id=open_.pk)


def test_claims_are_seen_by_the_volunteer_the_requester_and_staff(vw):
    c = claim(vw, wish_task(vw), state=ClaimState.REPORTED)
    for user, seen in [(vw.vera, {c.pk}), (vw.rita, {c.pk}), (vw.alice, {c.pk}),
                       (vw.vic, set()), (vw.bob, set())]:
        assert _ids(selectors.claim_list(actor=user)) == seen, user.username
    assert _ids(selectors.claim_list(actor=vw.rita, to_confirm=True)) == {c.pk}
    assert _ids(selectors.claim_list(actor=vw.vera, to_confirm=True)) == set()


def test_the_volunteer_search_is_for_staff_of_the_volunteers_areas(vw):
    skills_load()  # seeded by a migration; a transactional test elsewhere may have emptied it
    tutoring = Skill.objects.get(code="tutoring")
    profile_update(actor=vw.vic, skills=[tutoring], grid=vw.grid_a1)
    assert _ids(selectors.volunteer_search(actor=vw.alice)) == {vw.vera.pk, vw.vic.pk}
    assert _ids(selectors.volunteer_search(actor=vw.gina)) == {vw.vic.pk}  # by profile grid
    assert _ids(selectors.volunteer_search(actor=vw.bob)) == {vw.val.pk}
    assert _ids(selectors.volunteer_search(actor=vw.alice, skill=tutoring)) == {vw.vic.pk}
    for user in (vw.rita, vw.vera, vw.uma):
        with pytest.raises(PermissionDenied):
            selectors.volunteer_search(actor=user)
    with pytest.raises(Http404):
        selectors.profile_get(actor=vw.bob, user_id=vw.vic.pk)
    assert selectors.profile_get(actor=vw.alice, user_id=vw.vic.pk).grid == vw.grid_a1


def test_the_honour_list_counts_only_the_month_and_the_community(vw):
    now = timezone.localtime()
    claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="2")
    claim(vw, task(vw), user=vw.vic, state=ClaimState.CONFIRMED, hours="3")
    old = claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="8")
    Claim.objects.filter(pk=old.pk).update(confirmed_at=now.replace(day=1) - timedelta(days=3))
    rows = selectors.honour_list(actor=vw.rita, community_id=vw.community_a.pk,
                                 year=now.year, month=now.month)
    assert [(r.rank, r.volunteer, r.hours, r.tasks) for r in rows] == [
        (1, vw.vic, Decimal("3"), 1), (2, vw.vera, Decimal("2"), 1)]
    with pytest.raises(Http404):
        selectors.honour_list(actor=vw.bob, community_id=vw.community_a.pk, year=now.year,
                              month=now.month)
    assert selectors.honour_list(actor=vw.bob, community_id=vw.community_b.pk,
                                 year=now.year, month=now.month) == []
