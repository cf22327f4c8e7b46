"""Providers' services: organisations listed by staff of the place, skilled residents only
with consent (paper by staff of their areas, online by themselves), withdrawal, and the
partners' contributions (amount above zero, no future date, void with a reason)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.library import services
from linli.library.models import (
    Booking,
    BookingState,
    Contribution,
    Gives,
    Match,
    MatchOutcome,
    Mode,
    Provider,
    ProviderKind,
)
from linli.library.selectors_providers import home_tiles, provider_list, provider_record
from linli.library.tests.factories import booking, contribution, need, provider, service, slot


@pytest.fixture
def rita_person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def _org(world, **fields):
    values = {"name": "爱心家政", "kind": ProviderKind.AGENCY, "area": world.community_a,
              "service_kinds": ["housekeeping"], "skills": "保洁 收纳",
              "modes": [Mode.POINTS], "phone": "027-88886666"} | fields
    return services.ProviderData(**values)


SKILLS = services.SkillsData(title="老师", skills="数学辅导 作文", service_kinds=["tutoring"])


def test_staff_list_an_organisation_audited(world):
    from linli.core.models import AuditEntry

    made = services.provider_create(actor=world.alice, data=_org(world))
    assert made.community == world.community_a and made.area_path == world.community_a.path
    assert AuditEntry.objects.filter(action="provider.create", object_id=str(made.pk)).exists()


def test_organisation_outside_the_staff_places_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=world.bob, data=_org(world))
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=world.rita, data=_org(world))
    with pytest.raises(ValidationFailed):
        services.provider_create(actor=world.alice, data=_org(world, kind="skilled"))
    with pytest.raises(ValidationFailed):
        services.provider_create(actor=world.alice, data=_org(world, modes=["bribe"]))
    with pytest.raises(ValidationFailed):  # a unit not serving the community
        services.provider_create(actor=world.alice, data=_org(world, unit=world.unit_b))
    assert not Provider.objects.exists()


def test_linked_unit_must_serve_the_community(world):
    made = services.provider_create(actor=world.alice, data=_org(world, unit=world.unit_a))
    assert made.unit == world.unit_a


def test_skilled_resident_needs_the_paper_consent(world, rita_person):
    with pytest.raises(ValidationFailed) as refused:
        services.skilled_register(actor=world.alice, person=rita_person, data=SKILLS,
                                  consent=False)
    assert refused.value.code == "consent_required"
    assert not Provider.objects.exists()
    made = services.skilled_register(actor=world.alice, person=rita_person, data=SKILLS,
                                     consent=True)
    assert made.name == "李老师" and made.kind == ProviderKind.SKILLED
    assert made.consent_via == "paper" and made.consent_by == world.alice
    assert made.consent_at is not None and made.phone == ""


def test_skilled_resident_outside_the_staff_areas_is_refused(world, rita_person):
    with pytest.raises(PermissionDenied):
        services.skilled_register(actor=world.bob, person=rita_person, data=SKILLS,
                                  consent=True)
    assert not Provider.objects.exists()


def test_the_database_refuses_a_person_without_consent(world, rita_person):
    with pytest.raises(IntegrityError):
        Provider.objects.create(community=world.community_a, area=world.community_a,
                                area_path=world.community_a.path, kind="skilled", name="李老师",
                                resident=rita_person, created_by=world.alice)


def test_a_resident_offers_changes_and_withdraws(world, rita_person):
    with pytest.raises(ValidationFailed):
        services.skills_offer(actor=world.rita, data=SKILLS, consent=False)
    made = services.skills_offer(actor=world.rita, data=SKILLS, consent=True)
    assert made.consent_via == "self" and made.is_active
    assert [p.pk for p in provider_list(actor=world.rita, q="数学")] == [made.pk]
    again = services.skills_offer(
        actor=world.rita, data=services.SkillsData(title="老师", skills="数学 物理"),
        consent=True)
    assert again.pk == made.pk and Provider.objects.count() == 1
    services.skills_withdraw(actor=world.rita)
    made.refresh_from_db()
    assert not made.is_active and made.withdrawn_at is not None
    assert list(provider_list(actor=world.rita)) == []
    assert [t.key for t in home_tiles(world.rita)] == ["offer-skills"]


def test_no_registry_record_may_not_offer(world):
    with pytest.raises(PermissionDenied):
        services.skills_offer(actor=world.nobody, data=SKILLS, consent=True)


def test_withdraw_and_relist(world, rita_person):
    org = services.provider_create(actor=world.alice, data=_org(world))
    with pytest.raises(PermissionDenied):
        services.provider_withdraw(actor=world.rita, provider=org)
    services.provider_withdraw(actor=world.alice, provider=org)
    services.provider_relist(actor=world.alice, provider=org)
    person = services.skills_offer(actor=world.rita, data=SKILLS, consent=True)
    services.skills_withdraw(actor=world.rita)
    with pytest.raises(ValidationFailed):  # a person only with a new consent
        services.provider_relist(actor=world.alice, provider=person)
    services.provider_relist(actor=world.alice, provider=person, consent=True)
    person.refresh_from_db()
    assert person.is_active and person.consent_via == "paper"


def test_contribution_refuses_bad_amounts_and_future_dates(world):
    org = provider(world)
    today = timezone.localdate()
    for amount in (0, -3, "x"):
        with pytest.raises(ValidationFailed):
            services.contribution_record(actor=world.alice, provider=org, mode=Mode.SERVICE,
                                         gives=Gives.HOURS, amount=amount,
                                         description="义诊", given_on=today)
    with pytest.raises(ValidationFailed) as refused:
        services.contribution_record(actor=world.alice, provider=org, mode=Mode.SERVICE,
                                     gives=Gives.HOURS, amount=4, description="义诊",
                                     given_on=today + timedelta(days=1))
    assert refused.value.code == "future_date"
    with pytest.raises(PermissionDenied):
        services.contribution_record(actor=world.bob, provider=org, mode=Mode.SERVICE,
                                     gives=Gives.HOURS, amount=4, description="义诊",
                                     given_on=today)
    assert not Contribution.objects.exists()


def test_void_needs_a_reason_and_is_not_counted(world):
    org = provider(world)
    kept = contribution(org, by=world.alice, amount=4)
    wrong = contribution(org, by=world.alice, amount=10)
    with pytest.raises(ValidationFailed):
        services.contribution_void(actor=world.alice, contribution=wrong, reason=" ")
    services.contribution_void(actor=world.alice, contribution=wrong, reason="录错了")
    with pytest.raises(ValidationFailed):
        services.contribution_void(actor=world.alice, contribution=wrong, reason="again")
    record = provider_record(org)
    assert len(record.contributions) == 2
    assert record.totals == [("hours", "service hours", Decimal("4.00"), "hours")]
    assert kept.voided_at is None


def test_record_counts_served_ratings_and_matches(world, rita_person):
    org = provider(world)
    made = service(world, of=org)
    served = booking(slot(made), rita_person, by=world.rita, state=BookingState.COMPLETED,
                     rating=4)
    booking(slot(made, starts_at=timezone.now() + timedelta(days=3)), rita_person,
            by=world.rita)
    Booking.objects.filter(pk=served.pk).update(rating=5)
    now = timezone.now()
    Match.objects.create(need=need(world), provider=org, assigned_by=world.alice,
                         assigned_at=now, outcome=MatchOutcome.DELIVERED)
    Match.objects.create(need=need(world), provider=org, assigned_by=world.alice,
                         assigned_at=now, outcome=MatchOutcome.FAILED)
    record = provider_record(org)
    assert (record.served, record.rating, record.ratings) == (1, 5.0, 1)
    assert (record.delivered, record.failed, record.delivery_rate) == (1, 1, 50)


def test_list_filters(world):
    provider(world, name="巧手维修", kind=ProviderKind.SHOP, service_kinds=["repair"],
             skills="水电维修", modes=[Mode.POINTS])
    provider(world, name="乐龄助老", skills="助浴")
    names = lambda **f: [p.name for p in provider_list(actor=world.alice, **f)]  # noqa: E731
    assert names(q="水电") == ["巧手维修"]
    assert names(service_kind="repair") == ["巧手维修"]
    assert names(kind="social_org") == ["乐龄助老"]
    assert names(partners=True) == ["巧手维修"]
    assert sorted(names()) == sorted(["乐龄助老", "巧手维修"])
    assert [t.key for t in home_tiles(world.alice)] == ["providers"]
