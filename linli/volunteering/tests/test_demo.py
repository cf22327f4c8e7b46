"""The volunteering demo: every state present, totals that agree with the ledger, fast."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum

from linli.accounts.demo import demo_users
from linli.accounts.models import Role, User
from linli.orgs.demo import demo_tree
from linli.points.models import Account, AccountKind, EarningRule, Entry
from linli.volunteering.demo import demo_volunteering
from linli.volunteering.models import (
    Claim,
    ClaimState,
    Task,
    TaskState,
    VolunteerProfile,
    Wish,
    WishState,
)

pytestmark = pytest.mark.django_db
VOLUNTEERS = {"volunteer", "volunteer_a2", "volunteer_a3", "volunteer_b", "volunteer_b2"}


@pytest.fixture
def loaded():
    tree = demo_tree()
    logins = demo_users(tree)
    demo_volunteering(tree)
    return tree, logins


# Loading the demo takes seconds, so each test checks several things about one load.

def test_the_demo_has_every_state_and_its_volunteers_live_in_the_community(loaded):
    tree, logins = loaded
    assert {login.username for login in logins if login.role == Role.VOLUNTEER} == VOLUNTEERS
    for username in VOLUNTEERS:
        user = User.objects.get(username=username)
        roles = {(a.role, a.area.ancestor_of_kind("community"))
                 for a in user.assignments.select_related("area")}
        volunteer_in = next(area for role, area in roles if role == Role.VOLUNTEER)
        assert (Role.RESIDENT, volunteer_in) in roles, username
    for community in tree.communities:
        rules = {r.action: (r.points_per_unit, r.cap)
                 for r in EarningRule.objects.filter(community=community)}
        assert rules == {"volunteer_hour": (10, 200), "activity_attendance": (5, None),
                         "adopted_proposal": (20, None), "mediation_help": (15, None)}
    for community in tree.communities:
        assert set(Wish.objects.filter(community=community).values_list(
            "state", flat=True)) == set(WishState.values)
        assert set(Task.objects.filter(community=community).values_list(
            "state", flat=True)) == set(TaskState.values)
    assert set(Claim.objects.values_list("state", flat=True)) == set(ClaimState.values)


def test_confirmed_work_paid_points_and_hours_that_agree_requesters_confirmed_wishes(loaded):
    confirmed = Claim.objects.filter(state=ClaimState.CONFIRMED)
    assert confirmed.count() == 9
    assert confirmed.exclude(rating=None).count() == 8
    for claim in confirmed:
        entry = claim.points_entry
        assert entry is not None and claim.points > 0 and entry.amount == claim.points
    for profile in VolunteerProfile.objects.select_related("user"):
        hours = confirmed.filter(volunteer=profile.user).aggregate(h=Sum("confirmed_hours"))
        assert profile.total_hours == (hours["h"] or Decimal(0)), profile.user.username
    balances = {str(a.owner and a.owner.username): a.balance for a in Account.objects.filter(
        kind=AccountKind.RESIDENT).select_related("owner")}
    assert balances == {"volunteer": 70, "volunteer_a2": 70, "volunteer_a3": 40,
                        "volunteer_b": 50, "volunteer_b2": 20}
    assert Entry.objects.count() == 9
    for claim in Claim.objects.filter(state=ClaimState.CONFIRMED,
                                      task__source_wish__isnull=False):
        wish = claim.task.source_wish
        assert wish is not None and claim.confirmed_by == wish.requester
    assert Counter(Claim.objects.values_list("state", flat=True))[ClaimState.REPORTED] == 2
