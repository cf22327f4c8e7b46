"""Reporting a problem: what is refused (and that a refusal writes nothing), idempotent
retries, photos, the routing suggestion and the duplicates offered."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.cases.models import Case, CaseEvent, Category, Channel, IdempotencyKey, Photo, State
from linli.cases.routing import nearby_open_cases, suggested_unit
from linli.cases.services import case_report, case_transition, request_fingerprint
from linli.cases.tests.factories import category
from linli.cases.tests.walking import case_in_state, leak_category, report
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.orgs.tests.factories import UnitFactory, make_area


def counts() -> dict[str, int]:
    return {"cases": Case.objects.count(), "events": CaseEvent.objects.count(),
            "photos": Photo.objects.count(), "keys": IdempotencyKey.objects.count(),
            "audit": AuditEntry.objects.count()}


NOTHING = {"cases": 0, "events": 0, "photos": 0, "keys": 0, "audit": 0}


def png(name: str = "leak.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def not_an_image() -> SimpleUploadedFile:
    return SimpleUploadedFile("leak.jpg", b"just some text, not pixels", content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- what is refused ---------------------------------------------------------------------

def _categories(world) -> dict[str, Any]:
    leak_category(world)
    return {"unknown": None, "group": Category.objects.get(code="L1"),
            "inactive": category("L1009", name_zh="停用分类", is_active=False)}


@pytest.mark.parametrize("kind", ["unknown", "group", "inactive"])
def test_a_report_needs_an_active_leaf_category(world, kind):
    cat = _categories(world)[kind]
    with pytest.raises(ValidationFailed) as refusal:
        case_report(actor=world.rita, category=cat, area=world.dwelling_a, description="漏水")
    assert refusal.value.code == "bad_category"
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("description", "title", "code"), [
    ("", "", "empty_description"), ("  \n ", "", "empty_description"),
    ("长" * 4001, "", "too_long"), ("漏水", "题" * 101, "too_long")])
def test_a_report_needs_a_description_of_sensible_length(world, description, title, code):
    with pytest.raises(ValidationFailed) as refusal:
        report(world, description=description, title=title)
    assert refusal.value.code == code
    assert counts() == NOTHING


def test_the_longest_allowed_description_is_kept_whole(world):
    case = report(world, description="长" * 4000, title="题" * 100)
    assert (len(case.description), len(case.title)) == (4000, 100)


def test_a_resident_reports_only_within_their_own_community(world):
    with pytest.raises(PermissionDenied) as refusal:
        report(world, world.rita, area=world.dwelling_b)
    assert refusal.value.code == "outside_community"
    assert counts() == NOTHING
    # Anywhere in her own community is fine, not only her own grid.
    assert report(world, world.rita, area=world.grid_a2).community == world.community_a


@pytest.mark.parametrize("who", ["nobody", "uma", "anonymous"])
def test_people_without_a_place_in_the_community_may_not_report(world, who):
    actor = AnonymousUser() if who == "anonymous" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        report(world, actor)
    assert counts() == NOTHING


@pytest.mark.parametrize("level", ["district", "street"])
def test_a_report_is_placed_within_a_community(world, level):
    with pytest.raises(ValidationFailed) as refusal:
        report(world, world.alice, area=getattr(world, level))
    assert refusal.value.code == "bad_area"
    assert counts() == NOTHING
    assert report(world, world.alice, area=world.community_a).community == world.community_a


def test_a_report_with_an_unknown_channel_or_priority_is_refused(world):
    with pytest.raises(ValidationFailed):
        report(world, channel="pigeon")
    with pytest.raises(ValidationFailed):
        report(world, priority="sky-high")
    assert counts() == NOTHING


def test_an_alarm_reports_without_a_person(world):
    case = report(world, AnonymousUser(), channel=Channel.IOT, reporter_name="烟感 #12")
    assert (case.reporter, case.reporter_name, case.channel) == (None, "烟感 #12", "iot")
    assert case.events.get().actor is None


def test_a_report_records_where_who_and_when(world):
    case = report(world, address="花楼街 1 栋 101", lat=Decimal("30.58"), lng=Decimal("114.28"))
    assert (case.district, case.community, case.area) == (
        world.district, world.community_a, world.dwelling_a)
    assert (case.state, case.version, case.reporter, case.channel) == (
        State.REPORTED, 1, world.rita, Channel.RESIDENT_WEB)
    assert (case.triage, case.priority, case.title) == ("major", "urgent", "管道漏水")
    event = case.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "report", "", State.REPORTED, world.rita)
    assert AuditEntry.objects.filter(action="case.reported", object_id=str(case.pk)).count() == 1


# --- idempotency -------------------------------------------------------------------------

def test_a_retry_with_the_same_key_and_body_returns_the_first_case(world):
    first = report(world, idempotency_key="k-1")
    again = report(world, idempotency_key="k-1")
    assert again.pk == first.pk
    assert counts() == {"cases": 1, "events": 1, "photos": 0, "keys": 1, "audit": 1}


@pytest.mark.parametrize("api_style", [True, False])
def test_the_same_key_with_another_body_is_a_conflict(world, api_style):
    def send(description):
        body = {"category": "L1003", "area_id": world.dwelling_a.pk,
                "description": description}
        fingerprint = request_fingerprint(body) if api_style else ""
        return report(world, description=description, idempotency_key="k-1",
                      fingerprint=fingerprint)

    send("厨房水管漏水")
    before = counts()
    with pytest.raises(Conflict) as conflict:
        send("卫生间水管漏水")
    assert conflict.value.code == "idempotency_mismatch"
    assert counts() == before


def test_keys_belong_to_one_person(world):
    mine = report(world, world.rita, idempotency_key="k-1")
    theirs = report(world, world.gina, idempotency_key="k-1")
    assert mine.pk != theirs.pk
    with pytest.raises(ValidationFailed):
        report(world, idempotency_key="k" * 129)


@pytest.mark.parametrize("problem", ["bad photo", "bad priority", "outside", "crash"])
def test_a_refused_report_writes_nothing_and_leaves_its_key_free(world, media, monkeypatch,
                                                                 problem):
    extra: dict[str, Any] = {}
    if problem == "bad photo":
        extra = {"photos": [png(), not_an_image()]}
    if problem == "bad priority":
        extra = {"priority": "sky-high"}
    area = world.dwelling_b if problem == "outside" else world.dwelling_a
    if problem == "crash":  # something fails after the rows were written
        def fail(**kwargs):
            raise RuntimeError("audit log unavailable")
        monkeypatch.setattr("linli.cases.services.report.audit_record", fail)
        extra = {"photos": [png()]}
    with pytest.raises((ValidationFailed, PermissionDenied, RuntimeError)):
        report(world, area=area, idempotency_key="k-1", **extra)
    assert counts() == NOTHING
    monkeypatch.undo()
    case = report(world, idempotency_key="k-1")
    assert case.state == State.REPORTED
    assert counts()["cases"] == 1


# --- photos ------------------------------------------------------------------------------

def test_photos_are_checked_before_anything_is_written(world, media):
    with pytest.raises(ValidationFailed) as refusal:
        report(world, photos=[png(), not_an_image()])
    assert refusal.value.code == "photo_type"
    with pytest.raises(ValidationFailed) as refusal:
        report(world, photos=[png(f"p{i}.png") for i in range(10)])
    assert refusal.value.code == "too_many_photos"
    assert counts() == NOTHING


def test_photos_hang_off_the_report_event(world, media):
    case = report(world, photos=[png("a.png"), png("b.png")])
    event = case.events.get()
    assert [(p.event_id, p.content_type, p.width, p.height) for p in case.photos.all()] == [
        (event.pk, "image/png", 64, 48)] * 2


# --- routing -------------------------------------------------------------------------------

def _units(world) -> dict:
    return {name: UnitFactory(name=name, service_areas=[world.community_a])
            for name in ("组路由", "类路由", "网格路由", "街道路由", "停业")}


def test_an_exact_category_route_beats_its_group_route_in_the_same_area(world):
    leak, units = leak_category(world), _units(world)
    group = Category.objects.get(code="L1")
    leak.routes.all().delete()
    group.routes.create(area=world.community_a, unit=units["组路由"])
    assert suggested_unit(leak, world.dwelling_a) == units["组路由"]
    leak.routes.create(area=world.community_a, unit=units["类路由"])
    assert suggested_unit(leak, world.dwelling_a) == units["类路由"]


def test_the_route_of_the_deepest_area_wins(world):
    leak, units = leak_category(world), _units(world)  # leak -> unit A at community A
    group = Category.objects.get(code="L1")
    group.routes.create(area=world.street, unit=units["街道路由"])
    assert suggested_unit(leak, world.dwelling_a) == world.unit_a
    leak.routes.create(area=world.grid_a1, unit=units["网格路由"])
    assert suggested_unit(leak, world.dwelling_a) == units["网格路由"]
    assert suggested_unit(leak, world.grid_a2) == world.unit_a
    # Deeper beats more exact: a group route set for the grid wins over the community's.
    group.routes.create(area=world.estate_a, unit=units["组路由"])
    assert suggested_unit(leak, world.dwelling_a) == units["组路由"]
    assert report(world).suggested_unit == units["组路由"]


def test_routes_to_inactive_units_and_other_places_are_ignored(world):
    leak, units = leak_category(world), _units(world)
    units["停业"].is_active = False
    units["停业"].save()
    leak.routes.create(area=world.grid_a1, unit=units["停业"])
    assert suggested_unit(leak, world.dwelling_a) == world.unit_a
    assert suggested_unit(leak, world.dwelling_b) is None
    assert suggested_unit(category("L2001", name_zh="垃圾"), world.dwelling_a) is None


# --- duplicates ----------------------------------------------------------------------------

@pytest.fixture
def block(world):
    """Dwelling 102 in building 1 beside rita's 101, and dwelling 301 in building 3."""
    world.dwelling_a2 = make_area("dwelling", "102", world.entrance_a)
    building3 = make_area("building", "3栋", world.estate_a)
    world.dwelling_c = make_area("dwelling", "301", make_area("entrance", "1单元", building3))
    return world


def _near(world, area, **kwargs):
    return nearby_open_cases(category=leak_category(world), area=area, **kwargs)


def test_an_open_case_in_the_same_building_is_offered(block):
    world = block
    existing = report(world)
    assert _near(world, world.dwelling_a2) == [existing]
    assert _near(world, world.dwelling_c) == []
    assert _near(world, world.dwelling_a2, exclude_id=existing.pk) == []


def test_an_open_case_within_the_radius_is_offered(block, settings):
    world = block
    existing = report(world, lat=Decimal("30.580000"), lng=Decimal("114.280000"))
    near = {"lat": Decimal("30.580800"), "lng": Decimal("114.280000")}   # about 89 m
    far = {"lat": Decimal("30.581200"), "lng": Decimal("114.280000")}    # about 133 m
    assert _near(world, world.dwelling_c, **near) == [existing]
    assert _near(world, world.dwelling_c, **far) == []
    settings.DUPLICATE_RADIUS_M = 150
    assert _near(world, world.dwelling_c, **far) == [existing]
    # Another community is never offered, however close.
    assert _near(world, world.dwelling_b, **near) == []


def test_other_categories_and_finished_cases_are_not_offered(block):
    world = block
    report(world, cat=category("L2001", name_zh="垃圾"))
    for state in (State.CLOSED, State.REJECTED, State.MERGED):
        case_in_state(world, state)
    merged_master = Case.objects.get(state=State.REPORTED, category__code="L1003")
    case_transition(actor=world.alice, case=merged_master, action="reject", note="重复")
    assert Case.objects.filter(state__in=["reported", "accepted"]).count() == 1
    assert _near(world, world.dwelling_a2) == []
