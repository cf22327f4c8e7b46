"""The alarm pages through the Django test client: who may open the list and an alarm
page, the moves from its buttons (acknowledge, then clear with a note), refusals with
their status and reason and nothing changed, the home tile and the nav entry."""

import pytest
from django.test import Client
from django.utils import translation

from linli.cases.tests.viewtools import body, flashed, login_as
from linli.core.models import AuditEntry
from linli.iot.models import Alarm, AlarmEvent, AlarmState
from linli.iot.tests.alarms_world import alarms_world, raise_alarm
from linli.iot.workflow import ALARMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    w = alarms_world(world)
    w.open_a = raise_alarm(w.cover, "open")
    w.help = raise_alarm(w.button, "help")
    return w


def _page(alarm: Alarm) -> str:
    return f"/iot/alarms/{alarm.pk}/"


def _act(alarm: Alarm, action: str) -> str:
    return f"/iot/alarms/{alarm.pk}/act/{action}/"


def _v(alarm: Alarm, behind: int = 0) -> str:
    """The version the alarm's page carries now (`behind`: a page opened that many moves
    ago)."""
    return str(Alarm.objects.get(pk=alarm.pk).version - behind)


def _snapshot(alarm: Alarm) -> tuple:
    fresh = Alarm.objects.get(pk=alarm.pk)
    return (fresh.state, fresh.version, AlarmEvent.objects.filter(alarm=alarm).count(),
            AuditEntry.objects.filter(action__startswith="alarm.").count())


def test_anonymous_is_sent_to_login(client, w):
    for response in (client.get("/iot/alarms/"), client.get(_page(w.open_a)),
                     client.post(_act(w.open_a, "acknowledge"), {"version": "0"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert Alarm.objects.get(pk=w.open_a.pk).state == AlarmState.ACTIVE


@pytest.mark.parametrize("who", ["rita", "nobody"])
def test_residents_and_people_without_a_role_find_no_alarm_pages(client, w, who):
    login_as(client, getattr(w, who))
    before = _snapshot(w.open_a)
    assert client.get("/iot/alarms/").status_code == 404
    assert client.get(_page(w.open_a)).status_code == 404
    assert client.post(_act(w.open_a, "acknowledge"), {"version": "0"}).status_code == 404
    assert _snapshot(w.open_a) == before


def test_the_other_community_gets_404_and_nothing_changes(client, w):
    login_as(client, w.bob)
    before = _snapshot(w.open_a)
    assert client.get("/iot/alarms/").status_code == 200
    assert f'id="alarm-{w.open_a.pk}"' not in body(client.get("/iot/alarms/"))
    assert client.get(_page(w.open_a)).status_code == 404
    assert client.post(_act(w.open_a, "acknowledge"), {"version": "0"}).status_code == 404
    assert _snapshot(w.open_a) == before


@pytest.mark.parametrize("who", ["gina", "uma", "alice"])
def test_the_grid_worker_the_unit_and_the_dispatcher_act(client, w, who):
    login_as(client, getattr(w, who))
    listing = body(client.get("/iot/alarms/"))
    assert f'id="alarm-{w.open_a.pk}"' in listing
    page = body(client.get(_page(w.open_a)))
    assert 'id="act-acknowledge"' in page and 'id="details-clear"' in page
    assert f'name="version" value="{w.open_a.version}"' in page
    response = client.post(_act(w.open_a, "acknowledge"), {"version": _v(w.open_a)})
    assert response.status_code == 302 and response["Location"] == _page(w.open_a)
    assert flashed(response) == ["Alarm acknowledged."]
    alarm = Alarm.objects.get(pk=w.open_a.pk)
    assert alarm.state == AlarmState.ACKNOWLEDGED and alarm.acknowledged_at is not None
    assert 'id="act-acknowledge"' not in body(client.get(_page(alarm)))
    response = client.post(_act(alarm, "clear"), {"version": _v(alarm), "note": "井盖已复位"})
    assert response.status_code == 302 and flashed(response) == ["Alarm cleared."]
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLEARED and alarm.cleared_at is not None
    assert AlarmEvent.objects.get(alarm=alarm, action="clear").note == "井盖已复位"
    assert {e.action for e in AuditEntry.objects.filter(action__startswith="alarm.")} == {
        "alarm.acknowledge", "alarm.clear"}
    page = body(client.get(_page(alarm)))
    assert "井盖已复位" in page and 'id="alarm-actions"' not in page


def test_a_leader_reads_but_does_not_respond(client, w):
    login_as(client, w.leo)
    page = body(client.get(_page(w.open_a)))
    assert 'id="alarm-facts"' in page and 'id="alarm-actions"' not in page
    before = _snapshot(w.open_a)
    response = client.post(_act(w.open_a, "acknowledge"), {"version": "0"})
    assert response.status_code == 403
    assert 'data-code="forbidden"' in body(response)
    assert _snapshot(w.open_a) == before


def test_clear_without_a_note_is_refused_with_the_reason(client, w):
    login_as(client, w.gina)
    before = _snapshot(w.open_a)
    response = client.post(_act(w.open_a, "clear"), {"version": _v(w.open_a), "note": "  "})
    assert response.status_code == 400
    page = body(response)
    assert 'data-code="note_required"' in page
    with translation.override("en"):
        assert str(ALARMS.refusals.note_required) in page
    assert 'id="details-clear" open' in page or '<details class="action" open' in page
    assert _snapshot(w.open_a) == before


def test_the_refusal_reads_in_chinese_by_default(client, w):
    client.force_login(w.gina)
    response = client.post(_act(w.open_a, "clear"), {"version": _v(w.open_a)})
    with translation.override("zh-hans"):
        assert str(ALARMS.refusals.note_required) in body(response)


def test_a_stale_page_is_refused(client, w):
    login_as(client, w.gina)
    client.post(_act(w.open_a, "acknowledge"), {"version": _v(w.open_a)})
    before = _snapshot(w.open_a)
    response = client.post(_act(w.open_a, "clear"), {"version": _v(w.open_a, behind=1),
                                                      "note": "已处理"})
    assert response.status_code == 409
    page = body(response)
    assert 'data-code="stale"' in page and 'id="reload-link"' in page
    assert "已处理" in page  # the note is kept in the form
    assert _snapshot(w.open_a) == before


def test_a_second_acknowledge_gets_a_clear_conflict(client, w):
    other = Client()
    login_as(client, w.gina)
    login_as(other, w.alice)
    # Both opened the page; gina acknowledges first.
    seen = _v(w.open_a)
    assert client.post(_act(w.open_a, "acknowledge"), {"version": seen}).status_code == 302
    response = other.post(_act(w.open_a, "acknowledge"), {"version": seen})
    assert response.status_code == 409
    assert 'data-code="stale"' in body(response)
    assert "Reload the page" in body(response)
    assert AlarmEvent.objects.filter(alarm=w.open_a, action="acknowledge").count() == 1


def test_an_unknown_or_system_move_is_not_found(client, w):
    login_as(client, w.alice)
    for action in ("recover", "repeat", "nonsense"):
        assert client.post(_act(w.open_a, action), {"version": "0"}).status_code == 404
    assert client.get(_act(w.open_a, "acknowledge")).status_code == 405


def test_a_help_press_shows_who_and_where_in_large_print(client, w):
    login_as(client, w.gina)
    page = body(client.get(_page(w.help)))
    assert 'id="alarm-help"' in page and 'id="alarm-emergency"' in page
    assert "王*国" in page and "花楼小区1栋1单元101" in page and "王建国" not in page
    assert 'id="alarm-light"' in page and 'data-light="green"' in page
    assert f'href="/cases/{w.help.case_id}/"' in page
    listing = body(client.get("/iot/alarms/"))
    assert listing.index(f'id="alarm-{w.help.pk}"') < listing.index(f'id="alarm-{w.open_a.pk}"')


def test_the_list_filters(client, w):
    login_as(client, w.alice)
    page = body(client.get("/iot/alarms/?emergency=1"))
    assert f'id="alarm-{w.help.pk}"' in page and f'id="alarm-{w.open_a.pk}"' not in page
    assert client.get("/iot/alarms/?state=nonsense").status_code == 400
    assert client.get("/iot/alarms/?community=abc").status_code == 400
    page = body(client.get("/iot/alarms/?state=cleared&unknown=1"))
    assert 'id="alarm-list"' in page and f'id="alarm-{w.help.pk}"' not in page


def test_the_home_tile_and_the_nav_for_staff_only(client, w):
    login_as(client, w.alice)
    home = body(client.get("/"))
    assert 'id="alarm-home"' in home and 'id="nav-alarms"' in home
    assert 'id="alarm-tile-emergencies"' in home and 'href="/iot/alarms/?emergency=1"' in home
    login_as(client, w.uma)  # a unit member: the nav, no tile
    home = body(client.get("/"))
    assert 'id="alarm-home"' not in home and 'id="nav-alarms"' in home
    login_as(client, w.rita)
    home = body(client.get("/"))
    assert 'id="alarm-home"' not in home and 'id="nav-alarms"' not in home
