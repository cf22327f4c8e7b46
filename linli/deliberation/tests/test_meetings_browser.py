"""A council meeting at phone width (375 px) in real Chromium: the dispatcher calls it with
an agenda, a member checks in with the code, the grid worker ticks another member, and the
minutes are recorded. Every page fits the phone and nothing is fetched from elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.deliberation.models import Attendance, CheckIn, Meeting, MeetingState, TopicState
from linli.deliberation.tests.factories import body, dwellings, topic, voter

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _no_error(page) -> None:
    errors = page.locator("#meeting-error")
    assert errors.count() == 0, errors.inner_text()


def test_call_check_in_tick_and_minutes(new_page, live_server, world):
    homes = dwellings(world.entrance_a, 2)
    mei = voter(world.alice, homes[0], "mei", name="李美")
    kai = voter(world.alice, homes[1], "kai", name="张凯")
    council = body(world, members=[mei, kai])
    on = topic(world, state=TopicState.AGENDA, title="加装电梯")

    alice = new_page(phone=True)
    elsewhere = offsite_requests(alice, live_server.url)
    log_in(alice, "alice", PASSWORD)
    alice.goto("/deliberation/meetings/new/")
    fits_phone(alice, "the new meeting form")
    alice.select_option("#meeting-body", str(council.pk))
    assert alice.locator("#meeting-area-label").is_hidden()  # the page's script
    alice.fill("input[name=title]", "三月议事会议")
    start = timezone.localtime() + timedelta(minutes=30)
    alice.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    alice.fill("input[name=place]", "社区二楼会议室")
    alice.check(f"input[name=topics][value='{on.pk}']")
    _shot(alice, "meeting-new")
    submit(alice, "#submit-meeting")
    _no_error(alice)
    meeting = Meeting.objects.get(title="三月议事会议")
    assert meeting.invitations.count() == 2 and meeting.expected == 2
    code = alice.locator("#check-in-code").inner_text().strip()
    assert code == meeting.check_in_code
    fits_phone(alice, "the meeting page for its organiser")

    member = new_page(phone=True)
    elsewhere += offsite_requests(member, live_server.url)
    log_in(member, "mei", PASSWORD)
    member.goto(f"/deliberation/meetings/{meeting.pk}/")
    fits_phone(member, "the meeting page for a member")
    assert member.locator("#check-in-code").count() == 0
    member.fill("#check-in-input", code)
    _shot(member, "meeting-check-in")
    submit(member, "#submit-check_in")
    _no_error(member)
    assert member.locator("#checked-in").count() == 1

    gina = new_page(phone=True)
    elsewhere += offsite_requests(gina, live_server.url)
    log_in(gina, "gina", PASSWORD)
    gina.goto(f"/deliberation/meetings/{meeting.pk}/")
    kai_member = council.members.get(user=kai)
    submit(gina, f"#tick-{kai_member.pk}")
    _no_error(gina)
    fits_phone(gina, "the meeting page after ticking")
    assert gina.locator("#meeting-quorum").get_attribute("data-met") == "1"
    _shot(gina, "meeting-roll")
    assert set(Attendance.objects.filter(meeting=meeting).values_list("via", flat=True)) == {
        CheckIn.CODE, CheckIn.STAFF}

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    alice.goto(f"/deliberation/meetings/{meeting.pk}/")
    alice.locator("#details-minutes summary").click()
    alice.fill("#minutes-text", "到会2人，达到法定人数。")
    alice.fill(f"textarea[name=decision_{meeting.agenda.get().pk}]", "同意提交居民表决")
    _shot(alice, "meeting-minutes")
    submit(alice, "#submit-minutes")
    _no_error(alice)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert meeting.agenda.get().decision == "同意提交居民表决"
    assert alice.locator("#meeting-state").get_attribute("data-state") == MeetingState.HELD
    fits_phone(alice, "the held meeting")
    assert elsewhere == []
