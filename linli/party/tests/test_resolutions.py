"""Resolutions of joint meetings: the owner unit acknowledges and reports done, party staff
confirm, send back or cancel; overdue ones are supervised (督办) once per deadline; who
hears of what; the list, the page, the solved problems and the API in scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.notifications.models import Notification
from linli.party.models import Event, ResolutionState
from linli.party.notify import event_notify
from linli.party.services.meetings import (
    resolution_add,
    resolution_transition,
    resolutions_supervise,
)
from linli.party.tests import factories as f


@pytest.fixture
def w(world):
    w = f.party_world(world)
    w.joint_a = f.joint(w)
    f.seat(w.joint_a, f.organisation(w.community_a, "花楼物业党支部", unit=w.unit_a))
    w.held = f.meeting(w, w.joint_a)
    w.res = resolution_add(actor=w.pia, meeting=w.held, text="规划停车位",
                           owner_unit=w.unit_a, working_days=10)
    return w


def _act(w, actor, action, note=""):
    return resolution_transition(actor=actor, resolution=w.res, action=action, note=note)


def test_the_unit_acknowledges_reports_and_staff_confirm(w):
    with pytest.raises(PermissionDenied):
        _act(w, w.pia, "acknowledge")  # the unit's move, not staff's
    _act(w, w.uma, "acknowledge")
    assert w.res.state == ResolutionState.IN_PROGRESS and w.res.acknowledged_at
    with pytest.raises(ValidationFailed) as no_report:
        _act(w, w.uma, "report_done")
    assert no_report.value.code == "note_required"
    _act(w, w.uma, "report_done", "已划定30个车位")
    assert w.res.state == ResolutionState.DONE and w.res.report == "已划定30个车位"
    with pytest.raises(PermissionDenied):
        _act(w, w.uma, "confirm")
    _act(w, w.pia, "send_back", "车位标线未完成")
    assert w.res.state == ResolutionState.IN_PROGRESS
    _act(w, w.uma, "report_done", "标线已完成")
    _act(w, w.pia, "confirm")
    assert w.res.state == ResolutionState.CLOSED and w.res.closed_at
    assert AuditEntry.objects.filter(action="resolution.confirm").count() == 1


def test_cancel_needs_a_reason_and_stale_versions_conflict(w):
    from linli.core.errors import Conflict

    with pytest.raises(Conflict):
        resolution_transition(actor=w.pia, resolution=w.res, action="cancel", note="x",
                              expected_version=w.res.version + 1)
    with pytest.raises(ValidationFailed):
        _act(w, w.pia, "cancel")
    _act(w, w.pia, "cancel", "已由区里统筹")
    assert w.res.state == ResolutionState.CANCELLED
    for actor in (w.alice, w.leo, w.pete):
        with pytest.raises((PermissionDenied, ValidationFailed)):
            _act(w, actor, "acknowledge")


def test_an_overdue_resolution_is_supervised_once_per_deadline(w):
    after = w.res.due_at + timedelta(minutes=1)
    assert resolutions_supervise(now=w.res.due_at - timedelta(minutes=1)) == 0
    assert resolutions_supervise(now=after) == 1
    assert resolutions_supervise(now=after) == 0  # a second sweeper: no second notice
    w.res.refresh_from_db()
    assert w.res.supervised_for == w.res.due_at
    assert Event.objects.filter(subject="resolution", action="supervise").count() == 1
    assert AuditEntry.objects.filter(action="resolution.supervise").count() == 1
    _act(w, w.uma, "report_done", "完成")  # stopped: no more notices
    assert resolutions_supervise(now=after + timedelta(days=5)) == 0


def test_who_hears_of_what(w):
    add = Event.objects.get(subject="resolution", action="add")
    event_notify(add.pk)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"uma"}
    _act(w, w.uma, "report_done", "完成")
    event_notify(Event.objects.get(action="report_done").pk)
    assert Notification.objects.filter(recipient=w.pia, kind="party.resolution_report_done"
                                       ).count() == 1
    _act(w, w.pia, "send_back", "未完成")
    event_notify(Event.objects.get(action="send_back").pk)
    assert Notification.objects.filter(recipient=w.uma, kind="party.resolution_send_back"
                                       ).count() == 1
    resolutions_supervise(now=w.res.due_at + timedelta(minutes=1))
    event_notify(Event.objects.get(action="supervise").pk)
    heard = set(Notification.objects.filter(kind="party.resolution_supervise")
                .values_list("recipient__username", flat=True))
    assert heard == {"uma", "pia"}


# --- pages ------------------------------------------------------------------------------

def test_the_unit_member_sees_and_moves_their_resolution_on_the_page(client, w):
    client.force_login(w.uma)
    body = client.get(reverse("party:resolutions")).content.decode()
    assert "规划停车位" in body
    page = client.get(reverse("party:resolution", args=[w.res.pk])).content.decode()
    assert 'id="submit-acknowledge"' in page and 'id="submit-confirm"' not in page
    r = client.post(reverse("party:resolution_act", args=[w.res.pk, "acknowledge"]),
                    {"version": w.res.version})
    assert r.status_code == 302
    r = client.post(reverse("party:resolution_act", args=[w.res.pk, "confirm"]), {})
    assert r.status_code == 403
    client.force_login(w.pete)
    assert client.get(reverse("party:resolution", args=[w.res.pk])).status_code == 404
    client.force_login(w.rita)
    assert client.get(reverse("party:resolution", args=[w.res.pk])).status_code == 404


def test_the_list_filters_and_the_page_shows_supervision(client, w):
    resolutions_supervise(now=w.res.due_at + timedelta(minutes=1))
    client.force_login(w.pia)
    overdue = client.get(reverse("party:resolutions"), {"overdue": "1"}).content.decode()
    assert "规划停车位" not in overdue  # not overdue now: the sweep was told a later time
    open_ = client.get(reverse("party:resolutions"), {"state": "open",
                                                       "unit": w.unit_a.pk}).content.decode()
    assert "规划停车位" in open_
    closed = client.get(reverse("party:resolutions"), {"state": "closed"}).content.decode()
    assert "规划停车位" not in closed
    page = client.get(reverse("party:resolution", args=[w.res.pk])).content.decode()
    assert 'id="resolution-supervised"' in page


def test_problems_solved_jointly(client, w):
    _act(w, w.uma, "report_done", "完成")
    _act(w, w.pia, "confirm")
    client.force_login(w.pia)
    body = client.get(reverse("party:solved")).content.decode()
    assert "规划停车位" in body and "花楼物业" in body
    year = timezone.localdate().year
    last_year = client.get(reverse("party:solved"), {"year": year - 1}).content.decode()
    assert f'id="solved-{w.res.pk}"' not in last_year


# --- API --------------------------------------------------------------------------------

def test_the_api_records_and_moves_resolutions(client, w):
    client.force_login(w.pia)
    r = client.post("/api/party/resolutions", {"joint_meeting_id": w.held.pk,
                                               "text": "增设充电桩"},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "no_owner"
    r = client.post("/api/party/resolutions", {
        "joint_meeting_id": w.held.pk, "text": "增设充电桩", "owner_unit_id": w.unit_a.pk,
        "working_days": 15}, content_type="application/json")
    assert r.status_code == 201 and r.json()["allowed_actions"] == ["cancel"]
    client.force_login(w.uma)
    rid = r.json()["id"]
    r = client.post(f"/api/party/resolutions/{rid}/actions/acknowledge", {},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "in_progress"
    assert r.json()["allowed_actions"] == ["report_done"]
    assert client.get("/api/party/resolutions?state=open").json()["count"] == 2
    assert client.get("/api/party/resolutions?state=nope").status_code == 400
    client.force_login(w.pete)
    assert client.get(f"/api/party/resolutions/{rid}").status_code == 404
    client.force_login(w.alice)
    r = client.post(f"/api/party/resolutions/{rid}/actions/cancel", {"note": "x"},
                    content_type="application/json")
    assert r.status_code == 403
    client.logout()
    assert client.get("/api/party/resolutions").status_code == 401
