"""Targets: adding, changing, retiring them, and the audited reveal of their contact.
Who may do what, and every bad input refused with nothing written."""

from decimal import Decimal

import pytest
from django.utils import translation

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.inspections import services
from linli.inspections.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def add(world, actor=None, **fields):
    given = {"area": world.estate_a, "name": "老王餐馆", "kind": "restaurant",
             "address": "花楼街 12 号", "operator": "王建国", "contact_name": "王建国",
             "contact_phone": "13800138000", "lat": "30.575", "lng": "114.29"} | fields
    return services.target_create(actor=actor or world.gina, **given)


def test_a_grid_worker_adds_a_target_found_on_patrol(world):
    t = add(world)
    assert (t.community, t.grid, t.area, t.area_path) == (
        world.community_a, world.grid_a1, world.estate_a, world.estate_a.path)
    assert t.lat == Decimal("30.575000") and t.created_by == world.gina
    # The contact is sealed: ciphertext and a keyed hash, shown masked.
    assert "王建国" not in t.contact_name_cipher and t.contact_phone_hash
    assert t.contact_name.masked != "王建国" and "8000" in t.contact_phone.masked
    entry = AuditEntry.objects.get(action="inspection.target_create")
    assert entry.changes["contact"] is True
    assert "13800138000" not in str(entry.changes)


def test_a_target_at_community_level_has_no_grid(world):
    t = add(world, actor=world.alice, area=world.community_a, contact_name="",
            contact_phone="")
    assert t.grid is None and t.community == world.community_a
    assert not t.contact_name and not t.contact_phone


@pytest.mark.parametrize("fields, code", [
    ({"name": "  "}, "required"),
    ({"name": "店" * 101}, "too_long"),
    ({"kind": "castle"}, "bad_kind"),
    ({"lat": "91"}, "bad_position"),
    ({"lat": "abc"}, "bad_position"),
    ({"lng": ""}, "bad_position"),            # a latitude without a longitude
    ({"contact_name": ""}, "name_required"),  # a phone without a name
    ({"contact_phone": "12345"}, "bad_phone"),
])
def test_bad_input_is_refused_and_nothing_is_written(world, fields, code):
    with pytest.raises(ValidationFailed) as caught:
        add(world, **fields)
    assert caught.value.code == code and caught.value.details
    assert Target.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_a_name_is_once_per_place_with_a_clear_refusal(world):
    add(world)
    with pytest.raises(ValidationFailed) as caught:
        add(world, actor=world.alice)
    assert caught.value.code == "name_taken" and "花楼小区" in caught.value.message
    add(world, area=world.building_a)  # the same name at another place is another premises
    assert Target.objects.count() == 2


def test_a_place_above_a_community_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        add(world, actor=world.leo, area=world.street)
    assert caught.value.code == "bad_place"


@pytest.mark.parametrize("who", ["rita", "uma", "bob", "nobody"])
def test_only_the_inspectors_of_the_place_add_targets(world, who):
    with pytest.raises(PermissionDenied):
        add(world, actor=getattr(world, who))
    assert Target.objects.count() == 0


def test_a_grid_worker_adds_nothing_in_another_grid(world):
    with pytest.raises(PermissionDenied):
        add(world, area=world.grid_a2)


def test_update_changes_fields_and_audits_only_what_changed(world):
    t = add(world)
    services.target_update(actor=world.alice, target=t, name="王记餐馆", address="花楼街 12 号",
                           contact_phone="13900139000")
    t.refresh_from_db()
    assert t.name == "王记餐馆" and t.contact_phone.reveal_unaudited() == "13900139000"
    assert t.contact_name.reveal_unaudited() == "王建国"  # the other half stays
    changes = AuditEntry.objects.get(action="inspection.target_update").changes
    assert set(changes) == {"name", "contact"} and changes["contact"] == "changed"
    assert "13900139000" not in str(changes)


def test_update_with_nothing_new_writes_nothing(world):
    t = add(world)
    services.target_update(actor=world.gina, target=t, name="老王餐馆")
    assert not AuditEntry.objects.filter(action="inspection.target_update").exists()


def test_retire_and_reactivate_never_delete(world):
    t = add(world)
    services.target_update(actor=world.gina, target=t, is_active=False)
    assert Target.objects.get(pk=t.pk).is_active is False
    services.target_update(actor=world.gina, target=t, is_active=True)
    assert Target.objects.get(pk=t.pk).is_active is True
    assert AuditEntry.objects.filter(action="inspection.target_update").count() == 2


def test_moving_a_target_rederives_its_community_and_grid(world):
    t = add(world)
    services.target_update(actor=world.alice, target=t, area=world.grid_a2)
    t.refresh_from_db()
    assert (t.grid, t.area_path) == (world.grid_a2, world.grid_a2.path)


def test_a_grid_worker_cannot_move_a_target_out_of_their_grid(world):
    t = add(world)
    with pytest.raises(PermissionDenied):
        services.target_update(actor=world.gina, target=t, area=world.grid_a2)
    assert Target.objects.get(pk=t.pk).area == world.estate_a


def test_update_to_a_taken_name_is_refused(world):
    add(world)
    other = add(world, name="小李商铺", kind="shop")
    with pytest.raises(ValidationFailed) as caught:
        services.target_update(actor=world.gina, target=other, name="老王餐馆")
    assert caught.value.code == "name_taken"
    assert Target.objects.get(pk=other.pk).name == "小李商铺"


def test_update_refuses_unknown_fields_and_outsiders(world):
    t = add(world)
    with pytest.raises(ValidationFailed):
        services.target_update(actor=world.gina, target=t, community=world.community_b)
    with pytest.raises(PermissionDenied):
        services.target_update(actor=world.bob, target=t, name="x")


def test_a_coordinator_reveals_the_contact_for_a_reason_audited(world):
    t = add(world)
    assert services.target_contact_reveal(actor=world.alice, target=t, reason="通知整改") == (
        "王建国", "13800138000")
    entry = AuditEntry.objects.get(action="inspection.contact_reveal")
    assert entry.changes == {"reason": "通知整改"} and entry.object_id == str(t.pk)


def test_a_reveal_needs_a_reason_and_a_coordinator(world):
    t = add(world)
    with pytest.raises(ValidationFailed) as caught:
        services.target_contact_reveal(actor=world.alice, target=t, reason=" 1 ")
    assert caught.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        services.target_contact_reveal(actor=world.gina, target=t, reason="通知整改")
    assert not AuditEntry.objects.filter(action="inspection.contact_reveal").exists()


def test_a_name_taken_between_the_check_and_the_write_is_the_same_refusal(world, monkeypatch):
    """Two people adding the same shop at once: the constraint answers, in the same words."""
    from linli.inspections.services import targets as module

    add(world)
    monkeypatch.setattr(module, "_name_free", lambda *args, **kwargs: None)
    with pytest.raises(ValidationFailed) as caught:
        add(world, actor=world.alice)
    assert caught.value.code == "name_taken"
    assert Target.objects.count() == 1
    assert AuditEntry.objects.filter(action="inspection.target_create").count() == 1
