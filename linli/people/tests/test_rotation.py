"""`linli rotate_field_key`: every cipher column re-encrypted, every keyed hash recomputed,
batch by batch; a bad value stops the run with its batch untouched."""

import pytest
from django.core.management import CommandError, call_command

from linli.accounts.services import user_create
from linli.core.crypto import blind_index, decrypt, encrypt
from linli.people import services
from linli.people.models import CarePlan, Resident, ResidentTag, Visit
from linli.people.rotation import RotationError, rotate_field_key
from linli.people.sensitive import tag_hash
from linli.people.tests.conftest import KANG_ID, ROSA_ID, ROSA_PHONE
from linli.people.tests.factories import cared_for

pytestmark = pytest.mark.django_db
OLD, NEW = "old-field-key-for-tests", "new-field-key-for-tests"


@pytest.fixture
def old_key(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    return settings


def _care(people):
    from django.utils import timezone

    cared_for(people.alice, people.rosa, people.gina, "subsistence", emergency_contact="甲",
              needs="乙")
    services.visit_record(actor=people.gina, resident=people.rosa,
                               visited_on=timezone.localdate(), kind="home", findings="丙")


def test_rotation_reencrypts_and_rehashes_everything(old_key, people, capsys):
    _care(people)
    user = user_create(actor=people.ada, username="phoneuser", password="Linli-Test-2026",
                       phone="13511112222")
    old_key.FIELD_ENCRYPTION_KEY = NEW
    call_command("rotate_field_key", "--old-key", OLD, "--batch-size", "2")
    out = capsys.readouterr().out
    assert "people.Resident: 3 rows re-encrypted" in out and "Done." in out
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert decrypt(rosa.id_number_cipher) == ROSA_ID and decrypt(rosa.phone_cipher) == ROSA_PHONE
    assert rosa.id_number_hash == blind_index(ROSA_ID) == blind_index(ROSA_ID, secret=NEW)
    assert Resident.objects.get(id_number_hash=blind_index(KANG_ID)).pk == people.kang.pk
    row = ResidentTag.objects.get()
    assert row.tag_hash == tag_hash("subsistence")
    plan = CarePlan.objects.get()
    assert (decrypt(plan.emergency_contact_cipher), decrypt(plan.needs_cipher)) == ("甲", "乙")
    assert decrypt(Visit.objects.get().findings_cipher) == "丙"
    user.refresh_from_db()
    assert decrypt(user.phone_cipher) == "13511112222"
    assert user.phone_hash == blind_index("13511112222")
    with pytest.raises(Exception):  # noqa: B017 - the old key no longer opens anything
        decrypt(rosa.id_number_cipher, secret=OLD)


def test_a_second_run_is_harmless(old_key, people):
    rotate_field_key(old=OLD, new=NEW)
    rotate_field_key(old=OLD, new=NEW)
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert decrypt(rosa.id_number_cipher, secret=NEW) == ROSA_ID


def test_a_value_under_neither_key_stops_the_batch(old_key, people):
    stranger = encrypt("13000000000", secret="some-other-key")
    Resident.objects.filter(pk=people.kang.pk).update(phone_cipher=stranger)
    before = dict(Resident.objects.values_list("pk", "id_number_cipher"))
    with pytest.raises(RotationError):
        rotate_field_key(old=OLD, new=NEW, batch=10)
    assert dict(Resident.objects.values_list("pk", "id_number_cipher")) == before


def test_the_command_needs_an_old_key(old_key, monkeypatch):
    monkeypatch.delenv("LINLI_FIELD_KEY_OLD", raising=False)
    with pytest.raises(CommandError):
        call_command("rotate_field_key")
    with pytest.raises(CommandError):
        call_command("rotate_field_key", "--old-key", OLD, "--new-key", OLD)


def test_the_command_reads_the_old_key_from_the_environment(old_key, people, monkeypatch):
    monkeypatch.setenv("LINLI_FIELD_KEY_OLD", OLD)
    old_key.FIELD_ENCRYPTION_KEY = NEW
    call_command("rotate_field_key")
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert services.resident_reveal(actor=people.alice, resident=rosa, field="id_number",
                                    purpose="核对身份") == ROSA_ID
