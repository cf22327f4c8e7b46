"""Households and residents through the services: what is stored (ciphertext and keyed hashes
only), what is refused (bad numbers, duplicates, other areas), and what the audit log says."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from linli.core.crypto import blind_index
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.people import services
from linli.people.models import Household, Resident
from linli.people.services import KEEP
from linli.people.tests.conftest import BO_ID, KANG_ID, ROSA_ID, ROSA_PHONE
from linli.people.tests.factories import id_number, resident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_create_stores_only_ciphertext_and_keyed_hashes(people):
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert ROSA_ID not in rosa.id_number_cipher and ROSA_PHONE not in rosa.phone_cipher
    assert rosa.id_number_hash == blind_index(ROSA_ID)
    assert rosa.phone_hash == blind_index(ROSA_PHONE)
    assert rosa.id_number.reveal_unaudited() == ROSA_ID
    assert str(rosa.id_number) == "4201**********" + ROSA_ID[-4:]
    assert str(rosa.phone) == "136****8888"
    assert (rosa.birth_date, rosa.gender) == (date(1950, 3, 8), "female")
    assert rosa.area_path == people.dwelling_a.path
    assert rosa.household.dwelling == people.dwelling_a


def test_create_writes_an_audit_entry_without_clear_values(people):
    entry = AuditEntry.objects.get(action="resident.created", object_id=str(people.rosa.pk))
    assert entry.changes == {"household": people.rosa.household_id, "relation": "head",
                             "tenure": "owner", "id_number": "set", "phone": "set"}
    assert entry.area_path == people.dwelling_a.path
    assert entry.actor == people.alice


def test_the_dwelling_household_is_joined_or_started(people):
    spouse = resident(people.gina, people.dwelling_a, "王大明", relation="spouse")
    assert spouse.household_id == people.rosa.household_id
    services.resident_move_out(actor=people.alice, resident=people.rosa)
    services.resident_move_out(actor=people.alice, resident=spouse)
    newcomer = resident(people.alice, people.dwelling_a, "新住户")
    assert newcomer.household_id != people.rosa.household_id
    assert Household.objects.filter(dwelling=people.dwelling_a).count() == 2


def test_household_or_dwelling_exactly_one(people):
    with pytest.raises(ValidationFailed):
        services.resident_create(actor=people.alice, name="x", relation="head",
                                 tenure="owner")
    with pytest.raises(ValidationFailed):
        services.resident_create(actor=people.alice, household=people.rosa.household,
                                 dwelling=people.dwelling_a, name="x", relation="head",
                                 tenure="owner")


def test_duplicate_id_number_is_a_conflict_and_nothing_is_written(people):
    before = Resident.objects.count()
    with pytest.raises(Conflict) as caught:
        resident(people.bob, people.dwelling_b, "冒名", id_number=ROSA_ID.lower())
    assert caught.value.code == "duplicate_id_number"
    assert ROSA_ID not in caught.value.message
    assert Resident.objects.count() == before


def test_a_bad_id_number_says_what_is_wrong(people):
    wrong = KANG_ID[:17] + ("0" if KANG_ID[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as caught:
        resident(people.alice, people.dwelling_a, "错号", id_number=wrong)
    assert caught.value.code == "bad_id_number"
    assert "check digit" in caught.value.message


def test_bad_phone_and_mismatched_birth_date_are_refused(people):
    with pytest.raises(ValidationFailed) as caught:
        resident(people.alice, people.dwelling_a, "甲", phone="12345")
    assert caught.value.code == "bad_phone"
    with pytest.raises(ValidationFailed) as caught:
        resident(people.alice, people.dwelling_a, "乙", id_number=id_number(serial=5),
                 birth_date=date(1981, 1, 1))
    assert caught.value.code == "birth_date_mismatch"
    with pytest.raises(ValidationFailed) as caught:
        resident(people.alice, people.dwelling_a, "丙", id_number=id_number(serial=5),
                 gender="female")
    assert caught.value.code == "gender_mismatch"


@pytest.mark.parametrize("who", ["bob", "uma", "rita", "leo", "mia", "vic", "gary"])
def test_only_keepers_of_the_area_register_residents(people, who):
    before = Resident.objects.count()
    with pytest.raises(PermissionDenied):
        resident(getattr(people, who), people.dwelling_a, "外人")
    assert Resident.objects.count() == before


def test_a_dwelling_must_be_a_dwelling(people):
    with pytest.raises(ValidationFailed) as caught:
        resident(people.alice, people.building_a, "楼栋人")
    assert caught.value.code == "bad_dwelling"


def test_update_changes_given_fields_and_rehashes(people):
    new_id = id_number(born=date(1950, 3, 8), serial=126)
    services.resident_update(actor=people.gina, resident=people.rosa, name="王秀英（改）",
                             id_number=new_id, phone="13700001111")
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert rosa.name == "王秀英（改）"
    assert rosa.id_number_hash == blind_index(new_id)
    assert rosa.phone.reveal_unaudited() == "13700001111"
    entry = AuditEntry.objects.get(action="resident.updated")
    assert entry.changes == {"name": ["王秀英", "王秀英（改）"], "id_number": "changed",
                             "phone": "changed"}
    assert new_id not in str(entry.changes)


def test_update_keeps_what_is_not_given_and_clears_empty(people):
    services.resident_update(actor=people.alice, resident=people.rosa, phone="")
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert (rosa.phone_cipher, rosa.phone_hash) == ("", "")
    assert rosa.id_number.reveal_unaudited() == ROSA_ID
    assert rosa.birth_date == date(1950, 3, 8)


def test_update_to_another_residents_id_number_is_refused(people):
    with pytest.raises(Conflict):
        services.resident_update(actor=people.alice, resident=people.rosa, id_number=KANG_ID)
    assert Resident.objects.get(pk=people.rosa.pk).id_number_hash == blind_index(ROSA_ID)


def test_update_out_of_area_is_refused(people):
    with pytest.raises(PermissionDenied):
        services.resident_update(actor=people.bob, resident=people.rosa, name="x")
    with pytest.raises(PermissionDenied):
        services.resident_update(actor=people.gary, resident=people.rosa, name="x")
    assert Resident.objects.get(pk=people.rosa.pk).name == "王秀英"


def test_new_id_number_brings_its_birth_date(people):
    other = id_number(born=date(1960, 5, 5), serial=124)
    services.resident_update(actor=people.alice, resident=people.rosa, id_number=other,
                             birth_date=KEEP)
    assert Resident.objects.get(pk=people.rosa.pk).birth_date == date(1960, 5, 5)
    entry = AuditEntry.objects.get(action="resident.updated")
    assert entry.changes == {"birth_date": "changed", "id_number": "changed"}


def test_move_out_once(people):
    services.resident_move_out(actor=people.alice, resident=people.kang)
    assert Resident.objects.get(pk=people.kang.pk).moved_out == timezone.localdate()
    with pytest.raises(Conflict):
        services.resident_move_out(actor=people.alice, resident=people.kang)
    with pytest.raises(ValidationFailed):
        services.resident_move_out(actor=people.bob, resident=people.bo,
                                   moved_out=timezone.localdate() + timedelta(days=1))


def test_household_moves_out_together(people):
    resident(people.alice, people.dwelling_a, "王大明", relation="spouse")
    moved = services.household_move_out(actor=people.alice, household=people.rosa.household)
    assert moved == 2
    assert Resident.objects.filter(household=people.rosa.household,
                                   moved_out__isnull=True).count() == 0


def test_link_user_needs_a_resident_of_the_dwelling(people):
    with pytest.raises(ValidationFailed):
        services.resident_link_user(actor=people.alice, resident=people.kang, user=people.uma)
    with pytest.raises(Conflict):
        services.resident_create(actor=people.alice, dwelling=people.dwelling_a, name="另一个",
                                 relation="child", tenure="owner", user=people.rita)
    services.resident_link_user(actor=people.alice, resident=people.rosa, user=None)
    assert Resident.objects.get(pk=people.rosa.pk).user is None


def test_id_numbers_of_the_fixture_are_distinct():
    assert len({ROSA_ID, KANG_ID, BO_ID}) == 3
