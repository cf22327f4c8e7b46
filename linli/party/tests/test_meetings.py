"""Joint meetings: planning, the agenda (free text or from a case, a topic, a dispute),
attendance per seat, hold and cancel; who may do each; the pages and the API in scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.party.models import AgendaItem, Attendance, JointMeeting, MeetingState, OrgKind
from linli.party.services.meetings import owner_units, resolution_add
from linli.party.services.meetings_plan import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    attendance_record,
    meeting_create,
    meeting_transition,
)
from linli.party.tests import factories as f


@pytest.fixture
def w(world):
    w = f.party_world(world)
    w.joint_a = f.joint(w)
    w.property_org = f.organisation(w.community_a, "花楼物业党支部", unit=w.unit_a)
    w.seat_a = f.seat(w.joint_a, w.property_org)
    w.joint_b = f.joint(w, w.community_b, name="水塔社区联合党委")
    return w


def _plan(w, **kw):
    return meeting_create(actor=w.pia, joint=kw.get("joint", w.joint_a), title="十二月联席会议",
                          scheduled_at=kw.get("at", timezone.now()), venue="社区会议室")


def test_party_staff_plan_a_meeting_and_it_is_audited(w):
    meeting = _plan(w)
    assert meeting.state == MeetingState.PLANNED
    assert meeting.area_path == w.community_a.path
    assert AuditEntry.objects.filter(action="meeting.create").count() == 1
    for actor in (w.alice, w.leo, w.uma, w.pete, w.mark):
        with pytest.raises(PermissionDenied):
            meeting_create(actor=actor, joint=w.joint_a, title="x",
                           scheduled_at=timezone.now(), venue="y")
    with pytest.raises(ValidationFailed) as not_joint:
        meeting_create(actor=w.pia, joint=w.committee_a, title="x",
                       scheduled_at=timezone.now(), venue="y")
    assert not_joint.value.code == "not_joint"
    with pytest.raises(ValidationFailed) as no_title:
        meeting_create(actor=w.pia, joint=w.joint_a, title=" ", scheduled_at=timezone.now(),
                       venue="y")
    assert no_title.value.code == "empty_title"


def test_the_agenda_is_built_reordered_and_trimmed_while_planned(w):
    meeting = _plan(w)
    one = agenda_item_add(actor=w.pia, meeting=meeting, title="停车难")
    two = agenda_item_add(actor=w.pia, meeting=meeting, title="垃圾分类")
    three = agenda_item_add(actor=w.pia, meeting=meeting, title="加装电梯")
    agenda_item_move(actor=w.pia, item=three, up=True)
    assert [i.title for i in meeting.agenda.order_by("position")] == ["停车难", "加装电梯",
                                                                       "垃圾分类"]
    agenda_item_move(actor=w.pia, item=one, up=True)  # already first: nothing moves
    agenda_item_remove(actor=w.pia, item=two)
    assert list(meeting.agenda.order_by("position").values_list("title", flat=True)) == [
        "停车难", "加装电梯"]
    with pytest.raises(PermissionDenied):
        agenda_item_add(actor=w.alice, meeting=meeting, title="x")
    meeting_transition(actor=w.pia, meeting=meeting, action="hold", minutes="议定三项")
    with pytest.raises(ValidationFailed) as held:
        agenda_item_add(actor=w.pia, meeting=meeting, title="x")
    assert held.value.code == "not_planned"
    with pytest.raises(ValidationFailed):
        agenda_item_remove(actor=w.pia, item=one)


def test_an_agenda_item_comes_from_one_case_topic_or_dispute_of_the_place(w):
    from linli.disputes.tests.factories import dispute

    meeting = _plan(w)
    mine = dispute(w, area=w.dwelling_a)
    item = agenda_item_add(actor=w.pia, meeting=meeting, dispute=mine)
    assert item.dispute_id == mine.pk and item.title == str(mine)  # number and kind only
    theirs = dispute(w, area=w.dwelling_b, actor=w.bob)
    with pytest.raises(ValidationFailed) as other:
        agenda_item_add(actor=w.pia, meeting=meeting, dispute=theirs)
    assert other.value.code == "other_place"


def test_attendance_is_per_seat(w):
    meeting = _plan(w)
    row = attendance_record(actor=w.pia, meeting=meeting, organisation=w.property_org,
                            present=True, attendee="王经理")
    assert row.present and row.attendee == "王经理"
    attendance_record(actor=w.pia, meeting=meeting, organisation=w.property_org,
                      present=False, attendee="王经理")
    assert Attendance.objects.get().attendee == ""
    with pytest.raises(ValidationFailed) as no_seat:
        attendance_record(actor=w.pia, meeting=meeting, organisation=w.committee_a,
                          present=True)
    assert no_seat.value.code == "no_seat"


def test_hold_not_before_its_day_cancel_with_a_reason(w):
    later = _plan(w, at=timezone.now() + timedelta(days=7))
    with pytest.raises(ValidationFailed) as early:
        meeting_transition(actor=w.pia, meeting=later, action="hold")
    assert early.value.code == "not_yet"
    with pytest.raises(ValidationFailed) as no_reason:
        meeting_transition(actor=w.pia, meeting=later, action="cancel")
    assert no_reason.value.code == "note_required"
    meeting_transition(actor=w.pia, meeting=later, action="cancel", note="改期")
    assert later.state == MeetingState.CANCELLED and later.cancelled_at
    today = _plan(w)
    with pytest.raises(PermissionDenied):
        meeting_transition(actor=w.alice, meeting=today, action="hold")
    meeting_transition(actor=w.pia, meeting=today, action="hold", minutes="纪要")
    assert today.state == MeetingState.HELD and today.minutes == "纪要"


def test_owner_units_are_the_seats_then_the_units_serving_the_community(w):
    held = f.meeting(w, w.joint_a)
    assert [u.name for u in owner_units(held)] == ["花楼物业"]
    with pytest.raises(ValidationFailed) as outside:
        resolution_add(actor=w.pia, meeting=held, text="规划停车位", owner_unit=w.unit_b,
                       working_days=5)
    assert outside.value.code == "bad_unit"


# --- pages ------------------------------------------------------------------------------

def test_pages_render_for_joint_work_staff_and_hide_from_others(client, w):
    meeting = _plan(w)
    agenda_item_add(actor=w.pia, meeting=meeting, title="停车难")
    pages = [reverse("party:joint"), reverse("party:meetings"),
             reverse("party:meeting", args=[meeting.pk]), reverse("party:resolutions"),
             reverse("party:solved")]
    for user in (w.pia, w.alice):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(w.pia)
    body = client.get(reverse("party:meeting", args=[meeting.pk])).content.decode()
    assert "停车难" in body and 'id="agenda-form"' in body and 'id="submit-cancel"' in body
    client.force_login(w.alice)  # a dispatcher reads but does not keep
    assert 'id="agenda-form"' not in client.get(
        reverse("party:meeting", args=[meeting.pk])).content.decode()
    client.force_login(w.pete)
    assert client.get(reverse("party:meeting", args=[meeting.pk])).status_code == 404
    assert "十二月联席会议" not in client.get(reverse("party:meetings")).content.decode()
    client.logout()
    assert client.get(reverse("party:meetings")).status_code == 302


def test_staff_plan_and_build_the_agenda_on_the_page(client, w):
    client.force_login(w.pia)
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    r = client.post(reverse("party:meeting_new"), {"joint": w.joint_a.pk, "title": "联席会议",
                                                   "scheduled_at": when, "venue": "会议室"})
    meeting = JointMeeting.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("party:meeting",
                                                             args=[meeting.pk])
    client.post(reverse("party:meeting_agenda_add", args=[meeting.pk]), {"title": "停车难"})
    client.post(reverse("party:meeting_agenda_add", args=[meeting.pk]), {"title": "电梯"})
    second = AgendaItem.objects.get(title="电梯")
    client.post(reverse("party:meeting_agenda_edit", args=[meeting.pk]),
                {"item": second.pk, "op": "up"})
    assert list(meeting.agenda.order_by("position").values_list("title", flat=True)) == [
        "电梯", "停车难"]
    r = client.post(reverse("party:meeting_attendance", args=[meeting.pk]),
                    {"organisation": w.property_org.pk, "present": "1", "attendee": "王经理"})
    assert r.status_code == 302 and Attendance.objects.get().present
    r = client.post(reverse("party:meeting_act", args=[meeting.pk, "hold"]),
                    {"minutes": "纪要", "version": meeting.version})
    assert r.status_code == 302
    r = client.post(reverse("party:meeting_resolution_add", args=[meeting.pk]),
                    {"text": "规划停车位", "unit": w.unit_a.pk, "working_days": ""})
    assert r.status_code == 400 and "deadline" in r.content.decode()
    r = client.post(reverse("party:meeting_resolution_add", args=[meeting.pk]),
                    {"text": "规划停车位", "unit": w.unit_a.pk, "working_days": "10",
                     "item": second.pk})
    assert r.status_code == 302 and meeting.resolutions.get().agenda_item_id == second.pk
    assert client.get(reverse("party:resolution_due"), {"working_days": "10"}
                      ).content.decode().startswith("Due ")


def test_a_dispatcher_may_not_write_on_the_page(client, w):
    meeting = _plan(w)
    client.force_login(w.alice)
    r = client.post(reverse("party:meeting_agenda_add", args=[meeting.pk]), {"title": "x"})
    assert r.status_code == 403 and not meeting.agenda.exists()
    r = client.post(reverse("party:meeting_new"), {
        "joint": w.joint_a.pk, "title": "x", "venue": "y",
        "scheduled_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 403


# --- API --------------------------------------------------------------------------------

def test_the_api_plans_holds_and_lists(client, w):
    client.force_login(w.pia)
    r = client.post("/api/party/meetings", {
        "joint_id": w.joint_a.pk, "title": "联席会议", "venue": "会议室",
        "scheduled_at": timezone.now().isoformat()}, content_type="application/json")
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    assert r.json()["allowed_actions"] == ["hold", "cancel"]
    r = client.post(f"/api/party/meetings/{mid}/agenda", {"title": "停车难"},
                    content_type="application/json")
    assert [a["title"] for a in r.json()["agenda"]] == ["停车难"]
    r = client.post(f"/api/party/meetings/{mid}/attendance", {
        "organisation_id": w.property_org.pk, "present": True, "attendee": "王经理"},
        content_type="application/json")
    assert r.json()["attendance"][0]["present"] is True
    r = client.post(f"/api/party/meetings/{mid}/actions/hold", {"minutes": "纪要"},
                    content_type="application/json")
    assert r.json()["state"] == "held"
    assert client.get("/api/party/meetings?state=held").json()["count"] == 1
    assert client.get("/api/party/meetings?state=bogus").status_code == 400
    client.force_login(w.pete)
    assert client.get(f"/api/party/meetings/{mid}").status_code == 404
    assert client.get("/api/party/meetings").json()["count"] == 0
    client.force_login(w.alice)
    r = client.post(f"/api/party/meetings/{mid}/agenda", {"title": "x"},
                    content_type="application/json")
    assert r.status_code == 403
    client.logout()
    assert client.get("/api/party/meetings").status_code == 401


def test_a_unit_member_does_not_see_meetings(client, w):
    meeting = f.meeting(w, w.joint_a)
    client.force_login(w.uma)
    assert client.get(reverse("party:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(f"/api/party/meetings/{meeting.pk}").status_code == 404
    assert w.joint_a.kind == OrgKind.JOINT
