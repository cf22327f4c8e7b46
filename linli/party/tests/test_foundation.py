"""The rules the issue's "bad input" names, at the service level: one organisation per
level, contact households inside the organisation's area and at most the maximum, visits by
the contact only, resolutions with an owner and a deadline, one property rating a household
a month, and party data seen only by party-work staff and the member."""

import pytest
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.party import selectors
from linli.party.models import Membership, OrgKind, PropertyRating, Resolution
from linli.party.services import (
    contact_assign,
    contact_visit_record,
    membership_join,
    property_rate,
    resolution_add,
)
from linli.party.tests import factories as f
from linli.people.models import Household
from linli.people.tests.factories import resident

SCORES = {"cleanliness": 4, "order": 4, "repairs": 3, "attitude": 5, "response": 4}


@pytest.fixture
def w(world):
    return f.party_world(world)


def test_a_member_is_in_one_organisation_of_each_level(w):
    membership_join(actor=w.pia, member=w.member_mark, organisation=w.branch_a1)
    other = f.organisation(w.grid_a2, "第二网格党支部", OrgKind.BRANCH, parent=w.committee_a)
    with pytest.raises(ValidationFailed) as refused:
        membership_join(actor=w.pia, member=w.member_mark, organisation=other)
    assert refused.value.code == "same_level"
    assert "第一网格党支部" in str(refused.value)
    membership_join(actor=w.pia, member=w.member_mark, organisation=w.group_a1)  # level 4
    assert Membership.objects.filter(member=w.member_mark).count() == 2


def test_only_party_staff_of_the_place_add_members(w):
    for actor in (w.alice, w.leo, w.ada, w.pete, w.mark):
        with pytest.raises(PermissionDenied):
            membership_join(actor=actor, member=w.member_mark, organisation=w.branch_a1)
    assert not Membership.objects.exists()


def test_a_contact_household_lies_in_the_organisations_area(w):
    household_b = resident(w.bob, w.dwelling_b, name="赵大爷").household
    with pytest.raises(ValidationFailed) as refused:
        contact_assign(actor=w.pia, member=w.member_mark, household=household_b,
                       organisation=w.branch_a1)
    assert refused.value.code == "outside_area"
    home = Household.objects.get(pk=w.member_mark.resident.household_id)
    contact_assign(actor=w.pia, member=w.member_mark, household=home,
                   organisation=w.branch_a1)
    with pytest.raises(ValidationFailed) as twice:
        contact_assign(actor=w.pia, member=w.member_mark, household=home,
                       organisation=w.branch_a1)
    assert twice.value.code == "already_assigned"


def test_a_member_keeps_at_most_the_maximum_of_households(w, settings):
    settings.PARTY_CONTACTS_MAX = 2
    homes = [resident(w.alice, d, name=f"住户{i}").household
             for i, d in enumerate(_dwellings(w, 3))]
    for home in homes[:2]:
        contact_assign(actor=w.pia, member=w.member_mark, household=home,
                       organisation=w.committee_a)
    with pytest.raises(ValidationFailed) as refused:
        contact_assign(actor=w.pia, member=w.member_mark, household=homes[2],
                       organisation=w.committee_a)
    assert refused.value.code == "too_many"


def _dwellings(w, n):
    from linli.orgs.tests.factories import make_area

    return [make_area("dwelling", f"30{i}", w.entrance_a) for i in range(1, n + 1)]


def test_only_the_contact_records_a_visit(w):
    home = Household.objects.get(pk=w.member_mark.resident.household_id)
    assignment = f.contact(w.member_mark, home, w.branch_a1)
    today = timezone.localdate()
    for actor in (w.pia, w.gina, w.rita, w.alice):
        with pytest.raises(PermissionDenied) as refused:
            contact_visit_record(actor=actor, assignment=assignment, visited_on=today,
                                 raised="楼道灯不亮")
        assert refused.value.code == "not_the_contact"
    visit = contact_visit_record(actor=w.mark, assignment=assignment, visited_on=today,
                                 raised="楼道灯不亮")
    assignment.refresh_from_db()
    assert assignment.last_visited_on == today
    assert visit.raised_cipher and "楼道灯" not in visit.raised_cipher  # encrypted


def test_a_resolution_needs_an_owner_and_a_deadline(w):
    joint = f.joint(w)
    held = f.meeting(w, joint)
    with pytest.raises(ValidationFailed) as no_owner:
        resolution_add(actor=w.pia, meeting=held, text="规划停车位", owner_unit=None,
                       working_days=10)
    assert no_owner.value.code == "no_owner"
    with pytest.raises(ValidationFailed) as no_deadline:
        resolution_add(actor=w.pia, meeting=held, text="规划停车位", owner_unit=w.unit_a,
                       working_days=None)
    assert no_deadline.value.code == "no_deadline"
    with pytest.raises(PermissionDenied):
        resolution_add(actor=w.alice, meeting=held, text="规划停车位", owner_unit=w.unit_a,
                       working_days=10)
    made = resolution_add(actor=w.pia, meeting=held, text="规划停车位", owner_unit=w.unit_a,
                          working_days=10)
    assert made.due_at > timezone.now() and made.warn_at < made.due_at
    assert Resolution.objects.count() == 1


def test_a_household_rates_its_property_once_a_month(w):
    resident(w.alice, w.dwelling_a, name="刘丽", user=w.rita)
    rating = property_rate(actor=w.rita, scores=SCORES, comment="保洁及时")
    assert rating.unit == w.unit_a and rating.estate == w.estate_a
    with pytest.raises(ValidationFailed) as twice:
        property_rate(actor=w.rita, scores=SCORES)
    assert twice.value.code == "already_rated"
    with pytest.raises(ValidationFailed):  # mark lives in the same household
        property_rate(actor=w.mark, scores=SCORES)
    with pytest.raises(ValidationFailed) as bad:
        property_rate(actor=w.mark, scores=SCORES | {"order": 6})
    assert bad.value.code == "bad_score"
    with pytest.raises(PermissionDenied):
        property_rate(actor=w.alice, scores=SCORES)
    assert PropertyRating.objects.count() == 1


def test_party_data_is_seen_by_party_staff_and_the_member_only(w):
    other = f.member(w, name="党员 王芳")
    for actor in (w.alice, w.leo, w.ada, w.gina, w.rita, w.uma, w.pete, w.nobody):
        assert not selectors.members_visible(actor).exists(), actor
    assert set(selectors.members_visible(w.pia)) == {w.member_mark, other}
    assert list(selectors.members_visible(w.mark)) == [w.member_mark]
