"""The bodies and meetings pages: who sees what, the forms and their refusals (the page
again with the reason, input kept), staff-only code, masked names."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.deliberation.models import (
    Attendance,
    Body,
    Meeting,
    MeetingState,
    Member,
    TopicState,
)
from linli.deliberation.tests.factories import body, person, topic, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(world):
    world.member_user = voter(world.alice, world.dwelling_a, "mem", name="李议员",
                              relation="spouse")
    world.council = body(world, members=[world.member_user])
    world.meeting = Meeting.objects.create(
        area=world.community_a, area_path=world.community_a.path, body=world.council,
        title="议事会议", starts_at=timezone.now(), place="活动室", check_in_code="2468",
        expected=1, created_by=world.alice)
    return world


def test_pages_for_a_resident_and_404_elsewhere(client, kit):
    client.force_login(kit.rita)
    for url in ("/deliberation/bodies/", f"/deliberation/bodies/{kit.council.pk}/",
                "/deliberation/meetings/", f"/deliberation/meetings/{kit.meeting.pk}/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/deliberation/meetings/{kit.meeting.pk}/").content.decode()
    assert "2468" not in page and 'id="minutes-form"' not in page
    assert ">mem<" in client.get(f"/deliberation/bodies/{kit.council.pk}/").content.decode()
    assert client.get("/deliberation/meetings/new/").status_code == 404
    client.force_login(kit.bob)
    assert client.get(f"/deliberation/meetings/{kit.meeting.pk}/").status_code == 404
    assert client.get(f"/deliberation/bodies/{kit.council.pk}/").status_code == 404
    assert client.post(f"/deliberation/meetings/{kit.meeting.pk}/act/cancel/",
                       {"reason": "x"}).status_code == 404


def test_staff_see_the_code_and_tick(client, kit):
    client.force_login(kit.gina)
    page = client.get(f"/deliberation/meetings/{kit.meeting.pk}/").content.decode()
    assert "2468" in page and 'id="tick-' in page
    member = kit.council.members.get()
    response = client.post(f"/deliberation/meetings/{kit.meeting.pk}/act/attend/",
                           {"member": member.pk})
    assert response.status_code == 302
    again = client.post(f"/deliberation/meetings/{kit.meeting.pk}/act/attend/",
                        {"member": member.pk})
    assert again.status_code == 409 and "already_present" in again.content.decode()


def test_member_checks_in_and_a_wrong_code_keeps_the_input(client, kit):
    client.force_login(kit.member_user)
    url = f"/deliberation/meetings/{kit.meeting.pk}/act/check_in/"
    wrong = client.post(url, {"code": "1357"})
    assert wrong.status_code == 400 and 'value="1357"' in wrong.content.decode()
    assert client.post(url, {"code": "2468"}).status_code == 302
    assert Attendance.objects.filter(meeting=kit.meeting).count() == 1
    assert 'id="checked-in"' in client.get(
        f"/deliberation/meetings/{kit.meeting.pk}/").content.decode()


def test_organiser_sets_up_a_body_adds_a_member_and_calls_a_meeting(client, kit):
    client.force_login(kit.alice)
    today = timezone.localdate()
    refused = client.post("/deliberation/bodies/new/", {
        "area": kit.community_a.pk, "name": "居民代表会议", "kind": "representatives",
        "term_start": today, "term_end": today, "quorum": ">1/2", "is_active": "on"})
    assert refused.status_code == 400 and "居民代表会议" in refused.content.decode()
    made = client.post("/deliberation/bodies/new/", {
        "area": kit.community_a.pk, "name": "居民代表会议", "kind": "representatives",
        "term_start": today, "term_end": today + timedelta(days=900), "quorum": ">=2/3",
        "is_active": "on"})
    assert made.status_code == 302
    b = Body.objects.get(name="居民代表会议")
    wang = person(kit.alice, kit.dwelling_a, "王建国")
    found = client.get(f"/deliberation/bodies/{b.pk}/?q=王建").content.decode()
    assert f'value="{wang.pk}"' in found
    assert client.post(f"/deliberation/bodies/{b.pk}/members/",
                       {"resident": wang.pk, "post": "召集人"}).status_code == 302
    twice = client.post(f"/deliberation/bodies/{b.pk}/members/", {"resident": wang.pk})
    assert twice.status_code == 409
    m = Member.objects.get(body=b)
    assert client.post(f"/deliberation/bodies/{b.pk}/members/{m.pk}/leave/",
                       {"left_on": today}).status_code == 302
    on = topic(kit, state=TopicState.AGENDA, title="加装电梯")
    form = client.get("/deliberation/meetings/new/").content.decode()
    assert "加装电梯" in form
    start = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/deliberation/meetings/new/", {
        "body": kit.council.pk, "title": "三月议事会", "starts_at": start, "place": "二楼",
        "topics": [on.pk], "invite": "1"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="三月议事会")
    assert meeting.invitations.count() == 1 and meeting.agenda.get().topic == on
    page = client.get(f"/deliberation/meetings/{meeting.pk}/").content.decode()
    assert f"/deliberation/topics/{on.pk}/" in page
    cancel = client.post(f"/deliberation/meetings/{meeting.pk}/act/cancel/", {"reason": "改期"})
    assert cancel.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED


def test_minutes_on_the_page(client, kit):
    client.force_login(kit.gina)
    url = f"/deliberation/meetings/{kit.meeting.pk}/act/minutes/"
    assert client.post(url, {"minutes": ""}).status_code == 400
    assert client.post(url, {"minutes": "到会成员一致同意。"}).status_code == 302
    kit.meeting.refresh_from_db()
    assert kit.meeting.state == MeetingState.HELD
    client.force_login(kit.rita)
    assert "到会成员一致同意" in client.get(
        f"/deliberation/meetings/{kit.meeting.pk}/").content.decode()
