"""Who sees which alarms (staff of the place, the owner unit, the help press's grid worker;
never residents or another community), the list's filters and order, and the home tile's
counts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from linli.iot import selectors_alarms as selectors
from linli.iot.models import Alarm, AlarmState, Device, Kind, Status
from linli.iot.selectors_alarms import AlarmFilters
from linli.iot.services.alarms import alarm_transition
from linli.iot.tests.alarms_world import alarms_world, raise_alarm


@pytest.fixture
def w(world):
    w = alarms_world(world)
    w.open_a = raise_alarm(w.cover, "open")
    w.help = raise_alarm(w.button, "help")
    w.open_b = raise_alarm(w.cover_b, "open")
    return w


def _seen(actor, **filters) -> set[int]:
    return set(selectors.alarm_list(actor=actor, filters=AlarmFilters(**filters))
               .values_list("pk", flat=True))


def test_staff_of_the_place_and_the_owner_unit_see_it_others_do_not(w):
    a, h, b = w.open_a.pk, w.help.pk, w.open_b.pk
    assert _seen(w.alice) == {a, h}        # dispatcher of community A
    assert _seen(w.gina) == {a, h}         # grid worker of grid A1, where both are
    assert _seen(w.bob) == {b}             # the other community's dispatcher
    assert _seen(w.uma) == {a}             # member of unit A, which owns the cover only
    assert _seen(w.leo) == {a, h, b}       # leader of the street
    assert _seen(w.ada) == {a, h, b}       # administrator of the district
    for nobody in (w.gary, w.rita, w.nobody, AnonymousUser()):
        assert _seen(nobody) == set()      # another grid, a resident, no role, anonymous
    with pytest.raises(Http404):
        selectors.alarm_get(actor=w.bob, alarm_id=a)


def test_the_care_plans_grid_worker_reads_the_help_press_from_another_grid(w):
    w.plan.grid_worker = w.gary
    w.plan.save(update_fields=["grid_worker"])
    assert _seen(w.gary) == {w.help.pk}
    assert selectors.is_reader(w.gary)


def test_open_emergencies_come_first_then_the_newest(w):
    Alarm.objects.filter(pk=w.help.pk).update(opened_at=timezone.now() - timedelta(hours=1))
    assert raise_alarm(w.cover, "open").pk == w.open_a.pk  # a repeat: the same alarm
    order = list(selectors.alarm_list(actor=w.alice).values_list("pk", flat=True))
    assert order == [w.help.pk, w.open_a.pk]
    alarm_transition(actor=w.gina, alarm=w.help, action="clear", note="误按，老人平安")
    order = list(selectors.alarm_list(actor=w.alice, filters=AlarmFilters(state="all"))
                 .values_list("pk", flat=True))
    assert order == [w.open_a.pk, w.help.pk]  # cleared, the help press is the older


def test_filters(w):
    alarm_transition(actor=w.alice, alarm=w.open_a, action="clear", note="已盖好")
    assert _seen(w.alice) == {w.help.pk}
    assert _seen(w.alice, state="cleared") == {w.open_a.pk}
    assert _seen(w.alice, state="all") == {w.open_a.pk, w.help.pk}
    assert _seen(w.alice, state="all", emergency=True) == {w.help.pk}
    assert _seen(w.alice, state="all", emergency=False) == {w.open_a.pk}
    assert _seen(w.alice, state="all", kind=Kind.MANHOLE) == {w.open_a.pk}
    assert _seen(w.alice, state="all", alarm_type="help") == {w.help.pk}
    assert _seen(w.leo, community_id=w.community_b.pk) == {w.open_b.pk}
    Alarm.objects.filter(pk=w.open_a.pk).update(opened_at=timezone.now() - timedelta(days=3))
    assert _seen(w.alice, state="all", period="24h") == {w.help.pk}
    assert _seen(w.alice, state="all", period="7d") == {w.open_a.pk, w.help.pk}


def test_overdue_and_the_home_counts(w):
    later = timezone.now() + timedelta(minutes=6)  # the help rule: acknowledge within 5
    assert _seen(w.alice, overdue=True) == set()
    counts = selectors.alarm_counts(actor=w.alice, now=later)
    assert (counts.open, counts.emergencies, counts.overdue, counts.offline) == (2, 1, 1, 0)
    assert selectors.light(w.help, later) == "red"
    alarm_transition(actor=w.gina, alarm=w.help, action="acknowledge")
    w.help.refresh_from_db()
    assert w.help.state == AlarmState.ACKNOWLEDGED and selectors.light(w.help, later) is None
    assert selectors.alarm_counts(actor=w.alice, now=later).overdue == 0
    Device.objects.filter(pk__in=[w.cover.pk, w.cover_b.pk]).update(status=Status.OFFLINE)
    assert selectors.alarm_counts(actor=w.alice).offline == 1
    assert selectors.alarm_counts(actor=w.uma).offline == 1
    assert selectors.alarm_counts(actor=w.leo).offline == 2
    assert selectors.alarm_counts(actor=w.rita).open == 0


def test_the_timeline_and_the_help_details(w):
    events = [e.action for e in selectors.event_list(alarm=w.help)]
    assert events[:2] == ["raise", "case"]
    details = selectors.help_details(selectors.alarm_get(actor=w.gina, alarm_id=w.help.pk))
    assert details is not None
    assert details.who == "王*国" and details.place == "花楼小区1栋1单元101"
    assert "王*国" in details.text and "王建国" not in details.text
    assert selectors.help_details(w.open_a) is None
