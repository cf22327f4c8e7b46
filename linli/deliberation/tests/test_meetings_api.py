"""The meetings API: anonymous 401, another community 404, wrong role 403, bad input 400 with
nothing changed, right role 200/201 on every operation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.deliberation.models import (
    Attendance,
    Body,
    Invitation,
    Meeting,
    MeetingState,
    Member,
    TopicState,
)
from linli.deliberation.tests.factories import body, person, topic, voter
from linli.people.models import Resident

pytestmark = pytest.mark.django_db
API = "/api/deliberation"


@pytest.fixture
def kit(world):
    member_user = voter(world.alice, world.dwelling_a, "mem", relation="spouse")
    b = body(world, members=[member_user])
    meeting = Meeting.objects.create(area=world.community_a, area_path=world.community_a.path,
                                     body=b, title="议事会议", starts_at=timezone.now(),
                                     place="活动室", check_in_code="2468", expected=1,
                                     created_by=world.alice)
    world.member_user, world.council, world.meeting = member_user, b, meeting
    world.member = b.members.get()
    return world


def operations(w):
    b, m, mem = w.council.pk, w.meeting.pk, w.member.pk
    later = (timezone.now() + timedelta(days=1)).isoformat()
    return [
        ("get", "/bodies", None), ("get", f"/bodies/{b}", None),
        ("post", "/bodies", {"area_id": w.community_a.pk, "name": "新议事会", "kind": "council",
                             "term_start": "2026-01-01", "term_end": "2029-01-01"}),
        ("patch", f"/bodies/{b}", {"name": "改名议事会"}),
        ("get", f"/bodies/{b}/members", None),
        ("post", f"/bodies/{b}/members", {"user_id": w.uma.pk, "post": "成员"}),
        ("post", f"/bodies/{b}/members/{mem}/leave", {}),
        ("get", "/meetings", None), ("get", f"/meetings/{m}", None),
        ("post", "/meetings", {"body_id": b, "title": "会议", "starts_at": later,
                               "place": "活动室"}),
        ("post", f"/meetings/{m}/invitations", {}),
        ("post", f"/meetings/{m}/attendance", {"member_id": mem}),
        ("post", f"/meetings/{m}/minutes", {"minutes": "纪要"}),
        ("post", f"/meetings/{m}/cancel", {"reason": "停电"}),
    ]


def call(client, method, path, body=None):
    if method == "get":
        return client.get(f"{API}{path}")
    return getattr(client, method)(f"{API}{path}", body or {}, content_type="application/json")


def snapshot():
    return (list(Body.objects.values_list("name", "quorum", "is_active")),
            list(Member.objects.values_list("pk", "left_on")),
            list(Meeting.objects.values_list("pk", "state", "minutes")),
            Attendance.objects.count(), Invitation.objects.count())


def test_anonymous_is_401_everywhere(client, kit):
    for method, path, body_ in operations(kit):
        assert call(client, method, path, body_).status_code == 401, path
    assert call(client, "post", f"/meetings/{kit.meeting.pk}/check-in",
                {"code": "2468"}).status_code == 401


def test_another_community_is_404_and_nothing_changes(client, kit):
    client.force_login(kit.bob)
    before = snapshot()
    for method, path, body_ in operations(kit):
        if "{" in path or path in ("/bodies", "/meetings"):
            continue
        response = call(client, method, path, body_)
        assert response.status_code == 404, (path, response.content)
    assert call(client, "get", "/bodies").json()["count"] == 0
    assert snapshot() == before


def test_a_resident_sees_but_may_not_organise(client, kit):
    client.force_login(kit.rita)
    assert call(client, "get", f"/bodies/{kit.council.pk}/members").json()["items"][0][
        "name"] == kit.member.name
    detail = call(client, "get", f"/meetings/{kit.meeting.pk}").json()
    assert detail["check_in_code"] is None
    before = snapshot()
    for method, path, body_ in operations(kit):
        if method == "get":
            assert call(client, method, path).status_code == 200, path
        else:
            response = call(client, method, path, body_)
            assert response.status_code == 403, (path, response.content)
    assert snapshot() == before


def test_bad_input_is_400_and_nothing_changes(client, kit):
    client.force_login(kit.alice)
    before = snapshot()
    bad = [("post", "/bodies", {"area_id": kit.community_a.pk, "name": "x", "kind": "council",
                                "term_start": "2026-01-02", "term_end": "2026-01-01"}),
           ("post", "/bodies", {"area_id": kit.community_a.pk, "name": "x", "kind": "nope",
                                "term_start": "2026-01-01", "term_end": "2027-01-01"}),
           ("patch", f"/bodies/{kit.council.pk}", {"quorum": "half"}),
           ("post", f"/bodies/{kit.council.pk}/members", {}),
           ("post", f"/bodies/{kit.council.pk}/members/{kit.member.pk}/leave",
            {"left_on": "2000-01-01"}),
           ("post", "/meetings", {"title": "x", "starts_at": timezone.now().isoformat(),
                                  "place": "x"}),
           ("post", f"/meetings/{kit.meeting.pk}/minutes", {"minutes": " "}),
           ("post", f"/meetings/{kit.meeting.pk}/cancel", {"reason": ""}),
           ("post", f"/meetings/{kit.meeting.pk}/attendance", {}),
           ("get", "/meetings?state=nope", None)]
    for method, path, body_ in bad:
        response = call(client, method, path, body_)
        assert response.status_code == 400, (path, response.content)
    assert snapshot() == before


def test_organiser_runs_a_meeting(client, kit):
    client.force_login(kit.alice)
    for method, path, body_ in operations(kit):
        if path.endswith("/cancel") or path.endswith("/leave"):
            continue
        response = call(client, method, path, body_)
        assert response.status_code in (200, 201), (path, response.content)
    detail = call(client, "get", f"/meetings/{kit.meeting.pk}").json()
    assert detail["check_in_code"] == "2468" and detail["state"] == MeetingState.HELD
    assert detail["quorum"] == {"present": 1, "expected": 1, "share": ">1/2", "met": True}
    assert call(client, "post", f"/bodies/{kit.council.pk}/members/{kit.member.pk}/leave",
                {}).status_code == 200
    fresh = call(client, "post", "/meetings", {
        "body_id": kit.council.pk, "title": "下次", "place": "x",
        "starts_at": (timezone.now() + timedelta(hours=1)).isoformat()}).json()
    assert call(client, "post", f"/meetings/{fresh['id']}/cancel",
                {"reason": "改期"}).json()["state"] == MeetingState.CANCELLED


def test_a_member_checks_in_by_code_once(client, kit):
    client.force_login(kit.member_user)
    path = f"/meetings/{kit.meeting.pk}/check-in"
    assert call(client, "post", path, {"code": "0000"}).json()["code"] == "bad_code"
    assert call(client, "post", path, {"code": "2468"}).status_code == 201
    assert call(client, "post", path, {"code": "2468"}).status_code == 409
    client.force_login(kit.rita)
    assert call(client, "post", path, {"code": "2468"}).status_code == 403


def test_residents_meeting_ticked_by_a_grid_worker_with_a_resident_id(client, kit):
    wang = person(kit.alice, kit.dwelling_a, "王建国")
    on = topic(kit, state=TopicState.AGENDA)
    client.force_login(kit.alice)
    made = call(client, "post", "/meetings", {
        "area_id": kit.estate_a.pk, "title": "居民会议", "place": "x", "attendees": "adults",
        "topic_ids": [on.pk], "starts_at": timezone.now().isoformat()}).json()
    assert made["agenda"][0]["topic_id"] == on.pk and made["expected"] == 2
    client.force_login(kit.gina)
    response = call(client, "post", f"/meetings/{made['id']}/attendance",
                    {"resident_id": wang.pk})
    assert response.status_code == 201
    client.force_login(kit.rita)
    names = [a["name"] for a in call(client, "get", f"/meetings/{made['id']}").json()[
        "attendance"]]
    assert names == ["王*国"] or names[0] != "王建国"
    assert Resident.objects.filter(pk=wang.pk).exists()
