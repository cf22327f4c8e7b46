"""The demo registers: households, valid ID numbers, every care tag, plans, visits, and the
demo resident's own record."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from linli.accounts.demo import demo_users
from linli.accounts.models import Role, User
from linli.core.crypto import decrypt
from linli.orgs.demo import demo_tree
from linli.people import selectors, services
from linli.people.demo import demo_people
from linli.people.models import CarePlan, CareTag, Consent, Household, Resident, ResidentTag, Visit
from linli.people.permissions import is_grid_worker_for
from linli.people.sensitive import tag_hash
from linli.people.validators import id_number_birth_date, id_number_problem, phone_problem


class _Rollback(Exception):
    pass


def _load() -> tuple[int, float]:
    tree = demo_tree()
    demo_users(tree)
    started = time.perf_counter()
    count = demo_people(tree)
    return count, time.perf_counter() - started


def _fingerprint() -> list[tuple]:
    return [(r.name, decrypt(r.id_number_cipher), decrypt(r.phone_cipher), r.relation,
             r.moved_out is not None) for r in Resident.objects.order_by("id")]


@pytest.fixture
def demo(db):
    count, seconds = _load()
    return count, seconds


def test_demo_registers_a_few_hundred_residents_quickly(demo):
    count, seconds = demo
    assert count == Resident.objects.count()
    assert 300 <= count <= 700
    assert seconds < 10
    assert Household.objects.count() == Household.objects.filter(members__isnull=False
                                                                 ).distinct().count()
    assert Resident.objects.filter(moved_out__isnull=False).count() >= 1


def test_demo_id_numbers_are_valid_and_match_the_birth_date(demo):
    for resident in Resident.objects.all():
        number = decrypt(resident.id_number_cipher)
        assert number.startswith("420103")
        assert id_number_problem(number) is None
        assert id_number_birth_date(number) == resident.birth_date
        phone = decrypt(resident.phone_cipher)
        if phone:
            assert phone[:2] in {"13", "15", "18"}
            assert phone_problem(phone) is None
    # Stored as ciphertext only.
    assert not Resident.objects.filter(id_number_cipher__startswith="420103").exists()


def test_demo_has_every_standard_tag_with_a_basis_and_a_plan(demo):
    for tag in CareTag.objects.all():
        assert ResidentTag.objects.filter(tag_hash=tag_hash(tag.code)).count() >= 1, tag.code
    tagged = Resident.objects.filter(tags__isnull=False).distinct()
    for resident in tagged:
        assert Consent.objects.filter(resident=resident, withdrawn_at__isnull=True).count() == 1
        plan = CarePlan.objects.get(resident=resident)
        assert is_grid_worker_for(plan.grid_worker, resident.area_path)
    assert CarePlan.objects.count() == tagged.count()


def test_demo_visits_leave_some_plans_overdue_in_every_grid(demo):
    today = timezone.localdate()
    assert Visit.objects.count() >= CarePlan.objects.count()
    overdue = CarePlan.objects.filter(next_visit_due__lt=today)
    assert 0 < overdue.count() < CarePlan.objects.count()
    for user in User.objects.filter(assignments__role=Role.GRID_WORKER).distinct():
        mine = selectors.care_plan_list(actor=user, overdue=True, mine=True, today=today)
        assert mine.count() >= 1, user.username


def test_demo_resident_sees_her_own_record(demo):
    user = User.objects.get(username="resident")
    record = services.resident_self_view(actor=user)
    assert record is not None
    assert record.resident.name == "张秀兰"
    assert record.phone == "13800000001"
    assert record.tags == ["独居老人"]
    assert record.visits
    assert Resident.objects.filter(user__isnull=False).count() == 7


@pytest.mark.django_db
def test_demo_is_deterministic():
    with pytest.raises(_Rollback), transaction.atomic():
        _load()
        first = _fingerprint()
        raise _Rollback
    _load()
    assert _fingerprint() == first
