"""Notes for a care plan from outside the registers (a party member visiting a contact
household): kept encrypted, told to the plan's grid worker, shown on the plan to its
keepers only."""

import pytest

from linli.core.errors import ValidationFailed
from linli.notifications.models import Notification
from linli.people.models import CareNote
from linli.people.services import care_note_add
from linli.people.tests.factories import cared_for, resident


@pytest.fixture
def person(world):
    return resident(world.alice, world.dwelling_a, name="王秀英")


def test_a_note_is_encrypted_and_the_grid_worker_is_told(world, person):
    cared_for(world.alice, person, world.gina)
    note = care_note_add(author=world.rita, resident=person, text="最近血压高",
                         source="party_contact")
    assert "血压" not in note.text_cipher
    told = Notification.objects.get(recipient=world.gina, kind="people.care_note")
    assert "血压" not in told.body  # the inbox names no care detail


def test_a_note_needs_a_plan_and_text(world, person):
    with pytest.raises(ValidationFailed) as refused:
        care_note_add(author=world.rita, resident=person, text="x", source="party_contact")
    assert refused.value.code == "no_plan"
    cared_for(world.alice, person, world.gina)
    with pytest.raises(ValidationFailed) as refused:
        care_note_add(author=world.rita, resident=person, text="  ", source="party_contact")
    assert refused.value.code == "note_required"
    assert not CareNote.objects.exists()


def test_the_plan_shows_its_notes_to_its_keepers(world, person, client):
    cared_for(world.alice, person, world.gina)
    care_note_add(author=world.rita, resident=person, text="最近血压高", source="party_contact")
    client.force_login(world.alice)
    page = client.get(f"/people/residents/{person.pk}/")
    assert page.status_code == 200 and "最近血压高" in page.content.decode()
    client.force_login(world.bob)
    assert client.get(f"/people/residents/{person.pk}/").status_code == 404
