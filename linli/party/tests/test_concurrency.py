"""Party writes at the same instant, on PostgreSQL with real threads: one property rating
per household and month, one organisation per level, never more contact households than
the maximum."""

import threading

import pytest

from linli.accounts.models import User
from linli.core.tests.threads import run_together
from linli.party.models import (
    ContactAssignment,
    Member,
    Membership,
    Organisation,
    OrgKind,
    PropertyRating,
)
from linli.party.services import contact_assign, membership_join, property_rate
from linli.party.tests import factories as f
from linli.people.models import Household
from linli.people.tests.factories import resident

pytestmark = pytest.mark.postgres

SCORES = {"cleanliness": 2, "order": 2, "repairs": 2, "attitude": 2, "response": 2}


def test_two_taps_at_once_rate_once(transactional_db, world):
    w = f.party_world(world)
    resident(w.alice, w.dwelling_a, name="刘丽", user=w.rita)

    def rater(user_id: int):
        def job(barrier: threading.Barrier) -> int:
            actor = User.objects.get(pk=user_id)
            barrier.wait()
            return property_rate(actor=actor, scores=SCORES).pk
        return job

    outcomes = run_together(rater(w.rita.pk), rater(w.mark.pk), rater(w.rita.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused", "refused"], outcomes
    assert PropertyRating.objects.count() == 1


def test_two_branches_at_once_one_wins(transactional_db, world):
    w = f.party_world(world)
    second = f.organisation(w.grid_a2, "第二网格党支部", OrgKind.BRANCH, parent=w.committee_a)

    def joiner(org_id: int):
        def job(barrier: threading.Barrier) -> int:
            actor = User.objects.get(pk=w.pia.pk)
            member = Member.objects.get(pk=w.member_mark.pk)
            org = Organisation.objects.get(pk=org_id)
            barrier.wait()
            return membership_join(actor=actor, member=member, organisation=org).pk
        return job

    outcomes = run_together(joiner(w.branch_a1.pk), joiner(second.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Membership.objects.count() == 1


def test_never_above_the_most_households(transactional_db, world, settings):
    from linli.orgs.tests.factories import make_area

    settings.PARTY_CONTACTS_MAX = 3
    w = f.party_world(world)
    homes = [resident(w.alice, make_area("dwelling", f"40{i}", w.entrance_a),
                      name=f"住户{i}").household.pk for i in range(6)]

    def assigner(household_id: int):
        def job(barrier: threading.Barrier) -> int:
            actor = User.objects.get(pk=w.pia.pk)
            member = Member.objects.get(pk=w.member_mark.pk)
            barrier.wait()
            return contact_assign(actor=actor, member=member,
                                  household=Household.objects.get(pk=household_id),
                                  organisation=Organisation.objects.get(
                                      pk=w.committee_a.pk)).pk
        return job

    outcomes = run_together(*[assigner(h) for h in homes])
    assert sorted(kind for kind, _ in outcomes) == ["ok"] * 3 + ["refused"] * 3, outcomes
    assert ContactAssignment.objects.count() == 3
