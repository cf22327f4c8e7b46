"""Activities at phone width (375 px) in real Chromium: a dispatcher publishes an activity
with two places, three residents sign up on their phones (the third waits), one cancels and
the waiting one moves up, the dispatcher ticks both present at the door, and their points
rise. Every page fits the phone; nothing is fetched from elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.community.models import Activity, SignUp
from linli.community.tests.factories import homes, resident_user
from linli.points.models import Account, EarningAction, EarningRule

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _no_error(page) -> None:
    errors = page.locator("#activity-error")
    assert errors.count() == 0, errors.inner_text()


def _points(user) -> int:
    return sum(Account.objects.filter(owner=user).values_list("balance", flat=True))


def test_publish_sign_up_wait_promote_and_check_in(new_page, live_server, world):
    EarningRule.objects.create(community=world.community_a,
                               action=EarningAction.ACTIVITY_ATTENDANCE, points_per_unit=5)
    people = [resident_user(world.alice, home, f"r{i}", name=f"居民{i}")
              for i, home in enumerate(homes(world.entrance_a, 3))]
    enrol_otp(world.alice)
    alice = new_page(phone=True)
    elsewhere = offsite_requests(alice, live_server.url)
    log_in(alice, "alice", PASSWORD)
    alice.goto("/community/")
    fits_phone(alice, "the hub")
    submit(alice, "#hub-new-activity")
    fits_phone(alice, "the new activity form")
    now = timezone.now()
    starts = now + timedelta(minutes=30)
    alice.select_option("#activity-area", str(world.community_a.pk))
    alice.fill("#activity-title", "反诈讲座")
    alice.select_option("#activity-kind", "lecture")
    alice.fill("#activity-venue", "社区活动室")
    alice.fill("#activity-starts", _local(starts))
    alice.fill("#activity-ends", _local(starts + timedelta(hours=1)))
    alice.fill("#activity-opens", _local(now - timedelta(minutes=5)))
    alice.fill("#activity-closes", _local(starts))
    alice.fill("#activity-capacity", "2")
    submit(alice, "#activity-submit")
    _no_error(alice)
    submit(alice, "#publish")
    _no_error(alice)
    act = Activity.objects.get(title="反诈讲座")
    assert act.state == "published" and act.capacity == 2
    fits_phone(alice, "the activity for staff")

    phones = []
    for user in people:
        phone = new_page(phone=True)
        elsewhere += offsite_requests(phone, live_server.url)
        log_in(phone, user.username, PASSWORD)
        phone.goto(f"/community/activities/{act.pk}/")
        submit(phone, f"#signup-{user.resident_record.pk}")
        _no_error(phone)
        fits_phone(phone, "the activity for a resident")
        phones.append(phone)
    states = [SignUp.objects.get(resident__user=u).state for u in people]
    assert states == ["confirmed", "confirmed", "waiting"]

    first = SignUp.objects.get(resident__user=people[0])
    submit(phones[0], f"#cancel-{first.pk}")
    _no_error(phones[0])
    assert SignUp.objects.get(resident__user=people[2]).state == "confirmed"

    before = [_points(u) for u in people]
    alice.reload()
    for user in people[1:]:
        row = SignUp.objects.get(resident__user=user)
        submit(alice, f"#present-{row.pk}")
        _no_error(alice)
        assert alice.locator(f"#attended-{row.pk}").count() == 1
    assert "100%" in alice.locator("#attendance-rate").inner_text()
    fits_phone(alice, "the sign-up list")
    after = [_points(u) for u in people]
    assert after[1] == before[1] + 5 and after[2] == before[2] + 5 and after[0] == before[0]
    submit(alice, "#door-link")
    assert alice.locator("#door-code").inner_text() == act.check_in_code
    fits_phone(alice, "the door code")
    assert elsewhere == []
