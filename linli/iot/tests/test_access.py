"""Door access and the welfare watch: openings counted per door and hour (nothing personal),
a watch set up only by the place's dispatchers and grid workers with consent on a door of
the resident's building, a quiet door raising one welfare check per quiet spell (the care
visit due today, the grid worker told with masked details), a withdrawn watch silent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.iot.models import AccessCount, Kind, WelfareWatch
from linli.iot.services import access
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.tests.factories import make_device, payload, ready, topic
from linli.notifications.models import Notification
from linli.people.models import CarePlan
from linli.people.tests.factories import cared_for, resident

PHONE = "13912345678"


@pytest.fixture
def watched(world):
    """Grid A1's 张秀兰 in care (grid worker gina), the door of her entrance (unit A's),
    a door in community B, and a smoke detector at her dwelling."""
    ready()
    world.elder = resident(world.alice, world.dwelling_a, name="张秀兰", phone=PHONE)
    world.plan = cared_for(world.alice, world.elder, world.gina,
                           emergency_contact="女儿 王丽 13800001111",
                           next_visit_due=timezone.localdate() + timedelta(days=20))
    world.door = make_device(world.entrance_a, kind=Kind.DOOR, identifier="DOOR-A",
                             unit=world.unit_a, name="花楼小区1栋1单元门禁")
    world.door_b = make_device(world.estate_b, kind=Kind.DOOR, identifier="DOOR-B",
                               unit=world.unit_b, name="水塔小区大门门禁")
    world.smoke = make_device(world.dwelling_a, kind=Kind.SMOKE, identifier="SMOKE-A")
    return world


def watch_for(w, actor=None, quiet_hours: int = 12,
              consent_reference: str = "书面同意 2026-12-01") -> WelfareWatch:
    return access.watch_create(actor=actor or w.alice, resident=w.elder, device=w.door,
                               quiet_hours=quiet_hours, consent_reference=consent_reference)


def opens(device, n: int = 1, at=None) -> str:
    return message_handle(topic(device, "telemetry"), payload(values={"opens": n}, at=at),
                          at)


# --- counts ----------------------------------------------------------------------------------

def test_door_openings_are_counted_per_hour_and_nothing_else(watched):
    assert opens(watched.door, 3) == HANDLED
    assert opens(watched.door, 2) == HANDLED
    assert opens(watched.door, 0) == HANDLED  # a message without openings counts nothing
    row = AccessCount.objects.get()
    assert (row.device_id, row.count) == (watched.door.pk, 5)
    assert row.hour.minute == row.hour.second == 0
    # A count, a door and an hour: the table has no place for anything personal.
    assert {f.name for f in AccessCount._meta.get_fields()} == {"id", "device", "hour",
                                                                  "count"}


# --- setting up a watch ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["alice", "gina"])
def test_the_places_dispatcher_or_grid_worker_sets_up_a_watch(watched, who):
    before = timezone.now()
    watch = watch_for(watched, getattr(watched, who))
    assert watch.consent_by == getattr(watched, who)
    assert watch.area_path == watched.elder.area_path
    assert watch.due_at is not None and watch.due_at >= before + timedelta(hours=12)
    entry = AuditEntry.objects.get(action="welfare_watch.created")
    assert entry.changes["consent"] == "书面同意 2026-12-01"
    assert "张秀兰" not in str(entry.changes) and entry.object_label == f"#{watch.pk}"


@pytest.mark.parametrize("who", ["bob", "leo", "uma", "rita", "ada", "nobody"])
def test_nobody_else_sets_up_a_watch(watched, who):
    with pytest.raises(PermissionDenied):
        watch_for(watched, getattr(watched, who))
    assert not WelfareWatch.objects.exists()


def test_a_watch_needs_a_care_plan_a_door_of_the_building_and_consent(watched):
    cases = [
        ({"device": watched.smoke}, "not_a_door"),
        ({"device": watched.door_b}, "wrong_door"),
        ({"consent_reference": "  "}, "consent_required"),
        ({"consent_reference": "x" * 201}, "too_long"),
        ({"quiet_hours": 0}, "bad_quiet_hours"),
        ({"quiet_hours": 169}, "bad_quiet_hours"),
    ]
    for changes, code in cases:
        values = {"resident": watched.elder, "device": watched.door, "quiet_hours": 12,
                  "consent_reference": "书面同意"} | changes
        with pytest.raises(ValidationFailed) as refused:
            access.watch_create(actor=watched.alice, **values)
        assert refused.value.code == code, changes
    # A door above the building (the estate's gate) is not the resident's door either.
    gate = make_device(watched.estate_a, kind=Kind.DOOR, identifier="GATE-A")
    with pytest.raises(ValidationFailed) as refused:
        access.watch_create(actor=watched.alice, resident=watched.elder, device=gate,
                            quiet_hours=12, consent_reference="书面同意")
    assert refused.value.code == "wrong_door"
    neighbour = resident(watched.alice, watched.dwelling_a, name="李明")
    with pytest.raises(ValidationFailed) as refused:
        access.watch_create(actor=watched.alice, resident=neighbour, device=watched.door,
                            quiet_hours=12, consent_reference="书面同意")
    assert refused.value.code == "no_plan"
    assert not WelfareWatch.objects.exists()


def test_one_open_watch_per_resident_and_door(watched):
    watch_for(watched)
    with pytest.raises(Conflict):
        watch_for(watched, watched.gina)
    assert WelfareWatch.objects.count() == 1


# --- the quiet door --------------------------------------------------------------------------

def test_a_quiet_door_raises_one_welfare_check_per_quiet_spell(
        watched, django_capture_on_commit_callbacks):
    watch = watch_for(watched)
    assert access.welfare_sweep(timezone.now()) == 0  # not quiet long enough yet
    opened = timezone.now() - timedelta(hours=1)
    opens(watched.door, 1, at=opened)
    watch.refresh_from_db()
    assert watch.last_activity_at == opened and watch.due_at == opened + timedelta(hours=12)
    later = opened + timedelta(hours=13)
    with django_capture_on_commit_callbacks(execute=True):
        assert access.welfare_sweep(later) == 1
    assert access.welfare_sweep(later + timedelta(hours=5)) == 0  # once per quiet spell
    plan = CarePlan.objects.get(pk=watched.plan.pk)
    assert plan.next_visit_due == timezone.localdate(later)
    note = Notification.objects.get(kind="iot.welfare")
    assert note.recipient == watched.gina
    assert "张*兰" in note.body and "139****5678" in note.body and "101" in note.body
    assert "张秀兰" not in note.title + note.body and PHONE not in note.body
    # The door opens again: a new spell, and a new check when it is quiet once more.
    opens(watched.door, 2, at=later + timedelta(hours=6))
    assert access.welfare_sweep(later + timedelta(hours=19)) == 1


def test_a_withdrawn_watch_stops_at_once(watched):
    watch = watch_for(watched)
    stopped = access.watch_withdraw(actor=watched.gina, watch=watch,
                                    reason="本人撤回同意")
    assert stopped.withdrawn_at is not None and stopped.due_at is None
    assert access.welfare_sweep(timezone.now() + timedelta(days=3)) == 0
    opens(watched.door, 1)
    stopped.refresh_from_db()
    assert stopped.last_activity_at is None  # a stopped watch follows the door no more
    entry = AuditEntry.objects.get(action="welfare_watch.withdrawn")
    assert entry.changes == {"reason": "本人撤回同意"}
    with pytest.raises(Conflict):
        access.watch_withdraw(actor=watched.alice, watch=watch, reason="再次")
    # Consent may be given again: a new watch.
    assert watch_for(watched).pk != watch.pk


def test_withdrawing_needs_the_places_staff_and_a_reason(watched):
    watch = watch_for(watched)
    for who in ("bob", "leo", "uma", "rita"):
        with pytest.raises(PermissionDenied):
            access.watch_withdraw(actor=getattr(watched, who), watch=watch, reason="撤回")
    with pytest.raises(ValidationFailed):
        access.watch_withdraw(actor=watched.alice, watch=watch, reason=" ")
    watch.refresh_from_db()
    assert watch.withdrawn_at is None


def test_a_resident_without_a_plan_any_more_raises_nothing(watched):
    watch = watch_for(watched)
    CarePlan.objects.filter(pk=watched.plan.pk).delete()  # consent for care withdrawn
    assert watch.due_at is not None
    assert access.welfare_sweep(watch.due_at + timedelta(minutes=1)) == 1
    assert not Notification.objects.filter(kind="iot.welfare").exists()
