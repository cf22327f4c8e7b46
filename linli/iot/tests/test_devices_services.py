"""The device registry's writes: what a device must be, who may register and change it,
help buttons and their residents, retiring, and the secret; each audited, and a refusal
changes nothing."""

from decimal import Decimal

import pytest
from django.utils import translation

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.iot import credentials
from linli.iot.models import Kind, Reason, Status
from linli.iot.services import devices as services
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.tests.devices_kit import prepare, written
from linli.iot.tests.factories import payload, topic
from linli.orgs.tests.factories import UnitFactory
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(world):
    return prepare(world)


def create(world, actor=None, **fields):
    values = {"identifier": "HL-MH-1", "kind": Kind.MANHOLE, "name": "花楼小区1号井盖",
              "area": world.estate_a, "owner_unit": world.unit_a} | fields
    return services.device_create(actor=actor or world.alice, **values)


def refusal(call) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value


def test_a_dispatcher_registers_a_device_in_their_community(reg):
    device = create(reg, lat="30.5751234", lng="114.29", heartbeat_seconds="120")
    assert (device.community, device.area, device.area_path) == (
        reg.community_a, reg.estate_a, reg.estate_a.path)
    assert (device.status, device.heartbeat_seconds) == (Status.ACTIVE, 120)
    assert (device.lat, device.lng) == (Decimal("30.575123"), Decimal("114.290000"))
    entry = AuditEntry.objects.get(action="device.create")
    assert entry.object_id == str(device.pk) and entry.area_path == reg.estate_a.path
    assert entry.changes["identifier"] == "HL-MH-1" and entry.actor == reg.alice
    assert services.device_warnings(device) == []


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"identifier": ""}, "identifier", "required"),
    ({"identifier": "井盖1"}, "identifier", "bad_identifier"),
    ({"identifier": "a/b"}, "identifier", "bad_identifier"),
    ({"identifier": "dev:1"}, "identifier", "bad_identifier"),  # Mosquitto's separator
    ({"identifier": "x" * 65}, "identifier", "bad_identifier"),
    ({"kind": "toaster"}, "kind", "bad_kind"),
    ({"name": "  "}, "name", "required"),
    ({"heartbeat_seconds": 29}, "heartbeat_seconds", "bad_heartbeat"),
    ({"heartbeat_seconds": 86_401}, "heartbeat_seconds", "bad_heartbeat"),
    ({"heartbeat_seconds": "often"}, "heartbeat_seconds", "bad_heartbeat"),
    ({"lat": "91", "lng": "114"}, "lat", "bad_position"),
    ({"lat": "30", "lng": "181"}, "lng", "bad_position"),
    ({"lat": "30"}, "lng", "bad_position"),
])
def test_bad_fields_are_refused_by_name_in_chinese(reg, fields, field, code):
    before = written()
    with translation.override("zh-hans"):
        exc = refusal(lambda: create(reg, **fields))
    assert (exc.code, exc.details[0]["field"]) == (code, field)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.message), exc.message
    assert written() == before


def test_an_identifier_is_registered_once(reg):
    create(reg)
    before = written()
    exc = refusal(lambda: create(reg, area=reg.grid_a1))
    assert exc.code == "identifier_taken" and "HL-MH-1" in exc.message
    assert written() == before


def test_the_place_lies_in_the_actors_community_and_in_a_community(reg):
    before = written()
    with pytest.raises(PermissionDenied):
        create(reg, actor=reg.bob)  # community A is not his
    with pytest.raises(PermissionDenied):
        create(reg, actor=reg.gina)  # a grid worker does not keep the registry
    with pytest.raises(PermissionDenied):
        create(reg, actor=reg.uma)
    assert refusal(lambda: create(reg, actor=reg.ada, area=reg.street)).code == "bad_place"
    assert written() == before
    assert create(reg, actor=reg.ada, area=reg.dwelling_b, identifier="B-1").community == \
        reg.community_b


def test_an_inactive_owner_unit_is_refused_and_one_serving_elsewhere_is_a_warning(reg):
    gone = UnitFactory(name="旧物业", service_areas=[reg.community_a], is_active=False)
    assert refusal(lambda: create(reg, owner_unit=gone)).code == "inactive_unit"
    device = create(reg, owner_unit=reg.unit_b)
    with translation.override("zh-hans"):
        warnings = services.device_warnings(device)
    assert len(warnings) == 1 and "水塔物业" in warnings[0]
    assert len(services.device_warnings(create(reg, identifier="X-2", owner_unit=None))) == 1


def test_a_help_button_belongs_to_a_resident_of_its_dwelling_and_takes_the_care_plan(reg):
    button = create(reg, identifier="HB-1", kind=Kind.HELP_BUTTON, area=reg.dwelling_a,
                    resident=reg.lonely, owner_unit=None)
    assert (button.resident, button.care_plan) == (reg.lonely, reg.plan)
    assert AuditEntry.objects.get(action="device.create").changes["resident"] == reg.lonely.pk


@pytest.mark.parametrize(("case", "field"), [
    ("no resident", "resident"), ("not a dwelling", "area"), ("elsewhere", "resident"),
    ("not a button", "resident"),
])
def test_help_button_rules_are_refused(reg, case, field):
    neighbour = resident(reg.bob, reg.dwelling_b, name="黄建国")
    fields = {"no resident": {"resident": None},
              "not a dwelling": {"area": reg.entrance_a},
              "elsewhere": {"resident": neighbour, "actor": reg.ada},
              "not a button": {"kind": Kind.SMOKE}}[case]
    before = written()
    exc = refusal(lambda: create(reg, **({"identifier": "HB-1", "kind": Kind.HELP_BUTTON,
                                          "area": reg.dwelling_a, "resident": reg.lonely}
                                         | fields)))
    assert exc.details[0]["field"] == field
    assert written() == before


def test_a_resident_without_a_care_plan_is_a_warning(reg):
    alone = resident(reg.alice, reg.dwelling_a, name="王二")
    button = create(reg, identifier="HB-2", kind=Kind.HELP_BUTTON, area=reg.dwelling_a,
                    resident=alone)
    assert button.care_plan is None and len(services.device_warnings(button)) == 1


def test_a_change_is_audited_field_by_field_and_the_identifier_is_fixed(reg):
    device = create(reg)
    services.device_update(actor=reg.alice, device=device, name="新名字", area=reg.grid_a2,
                           heartbeat_seconds=600, owner_unit=None)
    device.refresh_from_db()
    assert (device.name, device.area, device.area_path, device.heartbeat_seconds) == (
        "新名字", reg.grid_a2, reg.grid_a2.path, 600)
    changes = AuditEntry.objects.get(action="device.update").changes
    assert set(changes) == {"name", "area", "heartbeat_seconds", "owner_unit"}
    assert changes["name"] == ["花楼小区1号井盖", "新名字"]
    before = written()
    assert refusal(lambda: services.device_update(actor=reg.alice, device=device,
                                                  identifier="OTHER")).code == "unknown_field"
    with pytest.raises(PermissionDenied):
        services.device_update(actor=reg.bob, device=device, name="x")
    with pytest.raises(PermissionDenied):  # moving it needs the right at the new place too
        services.device_update(actor=reg.alice, device=device, area=reg.estate_b)
    assert written() == before


def test_a_new_heartbeat_timeout_counts_from_the_last_message(reg):
    device = create(reg)
    assert message_handle(topic(device, "heartbeat"), payload()) == HANDLED
    device.refresh_from_db()
    last = device.last_seen_at
    assert last is not None
    services.device_update(actor=reg.alice, device=device, heartbeat_seconds=60)
    device.refresh_from_db()
    assert (device.offline_due_at - last).total_seconds() == 60


def test_a_help_button_changed_to_another_kind_belongs_to_nobody(reg):
    button = create(reg, identifier="HB-1", kind=Kind.HELP_BUTTON, area=reg.dwelling_a,
                    resident=reg.lonely)
    services.device_update(actor=reg.alice, device=button, kind=Kind.SMOKE)
    button.refresh_from_db()
    assert (button.kind, button.resident, button.care_plan) == (Kind.SMOKE, None, None)


def test_a_retired_device_is_refused_its_messages_and_changes(reg):
    device = create(reg)
    services.device_secret_set(actor=reg.alice, device=device)
    before = written()
    assert refusal(lambda: services.device_retire(actor=reg.alice, device=device,
                                                  reason=" ")).code == "reason_required"
    with pytest.raises(PermissionDenied):
        services.device_retire(actor=reg.gina, device=device, reason="坏了")
    assert written() == before
    services.device_retire(actor=reg.alice, device=device, reason="换了新设备")
    device.refresh_from_db()
    assert (device.status, device.secret_hash, device.offline_due_at) == (
        Status.RETIRED, "", None)
    assert device.retired_at is not None
    entry = AuditEntry.objects.get(action="device.retire")
    assert entry.changes == {"status": [Status.ACTIVE, Status.RETIRED], "reason": "换了新设备"}
    assert message_handle(topic(device, "alarm"), payload(type="open")) == Reason.RETIRED
    for call in (lambda: services.device_retire(actor=reg.alice, device=device, reason="再次停用"),
                 lambda: services.device_update(actor=reg.alice, device=device, name="x"),
                 lambda: services.device_secret_set(actor=reg.alice, device=device)):
        assert refusal(call).code == "retired"


def test_a_secret_is_shown_once_and_kept_as_mosquittos_hash(reg):
    device = create(reg)
    with pytest.raises(PermissionDenied):
        services.device_secret_set(actor=reg.gina, device=device)
    secret = services.device_secret_set(actor=reg.alice, device=device)
    device.refresh_from_db()
    assert len(secret) >= 32 and secret not in device.secret_hash
    assert device.secret_hash.startswith("$7$101$")
    assert credentials.secret_matches(secret, device.secret_hash)
    assert not credentials.secret_matches(secret + "x", device.secret_hash)
    again = services.device_secret_set(actor=reg.alice, device=device)
    entries = list(AuditEntry.objects.filter(action="device.secret_set").order_by("pk"))
    assert [e.changes for e in entries] == [{"secret": "set"}, {"secret": "replaced"}]
    assert all(secret not in str(e.changes) and again not in str(e.changes) for e in entries)

