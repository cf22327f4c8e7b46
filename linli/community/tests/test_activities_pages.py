"""The hub and the activities pages: who sees what, refused forms keep what was typed and
answer the API's status, each POST action does its work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community.models import Activity, SignUp
from linli.community.tests.factories import activity, household_member, signup
from linli.community.tests.test_activities_kit import jpeg, media_root  # noqa: F401
from linli.core.models import AuditEntry
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form(world, **fields) -> dict:
    now = timezone.now()
    starts = now + timedelta(days=1)
    return {"area": world.community_a.pk, "title": "消防演练", "kind": "drill",
            "organiser": "staff", "venue": "小区广场", "capacity": 20,
            "starts_at": _local(starts), "ends_at": _local(starts + timedelta(hours=1)),
            "signup_opens_at": _local(now - timedelta(minutes=5)),
            "signup_closes_at": _local(starts), **fields}


def test_hub_for_resident_and_staff(client, world, rita):
    act = activity(world, title="百家宴")
    activity(world, title="草稿", state="draft")
    client.force_login(world.rita)
    page = client.get("/community/")
    assert page.status_code == 200 and "百家宴" in page.text and "草稿" not in page.text
    assert 'id="hub-new-activity"' not in page.text
    client.force_login(world.alice)
    page = client.get("/community/")
    assert 'id="hub-new-activity"' in page.text
    assert client.get(f"/community/activities/{act.pk}/").status_code == 200


def test_new_refused_keeps_input_then_saved(client, world):
    client.force_login(world.alice)
    assert client.get("/community/activities/new/").status_code == 200
    refused = client.post("/community/activities/new/", form(world, capacity=0))
    assert refused.status_code == 400 and "消防演练" in refused.text
    refused = client.post("/community/activities/new/", form(world, ends_at=form(world)[
        "starts_at"]))
    assert refused.status_code == 400 and 'data-code="bad_times"' in refused.text
    done = client.post("/community/activities/new/", form(world))
    made = Activity.objects.get()
    assert done.status_code == 302 and made.state == "draft"
    edit = client.get(f"/community/activities/{made.pk}/edit/")
    assert edit.status_code == 200 and "消防演练" in edit.text
    saved = client.post(f"/community/activities/{made.pk}/edit/",
                        form(world, title="消防演练（二）", version=made.version))
    assert saved.status_code == 302
    client.post(f"/community/activities/{made.pk}/act/publish/", {"version": 2})
    assert Activity.objects.get().state == "published"


def test_resident_may_not_create(client, world, rita):
    client.force_login(world.rita)
    assert client.get("/community/activities/new/").status_code == 403
    assert client.post("/community/activities/new/", form(world)).status_code == 403
    assert not Activity.objects.exists()


def test_sign_up_cancel_and_check_in(client, world, rita):
    now = timezone.now()
    act = activity(world, capacity=1, starts_at=now + timedelta(minutes=30),
                   signup_opens_at=now - timedelta(days=1))
    kid = household_member(world.alice, rita, "李小明")
    client.force_login(world.rita)
    page = client.get(f"/community/activities/{act.pk}/")
    assert f'id="signup-{rita.pk}"' in page.text and f'id="signup-{kid.pk}"' in page.text
    client.post(f"/community/activities/{act.pk}/signups/", {"resident": rita.pk})
    client.post(f"/community/activities/{act.pk}/signups/", {"resident": kid.pk})
    assert sorted(SignUp.objects.values_list("state", flat=True)) == ["confirmed", "waiting"]
    refused = client.post(f"/community/activities/{act.pk}/check-in/", {"code": "9999"})
    assert refused.status_code == 400 and 'value="9999"' in refused.text
    done = client.post(f"/community/activities/{act.pk}/check-in/", {"code": "2468"})
    assert done.status_code == 302
    assert SignUp.objects.get(resident=rita).checked_in_via == "code"


def test_staff_list_present_door_and_export(client, world, rita):
    now = timezone.now()
    act = activity(world, starts_at=now + timedelta(minutes=30),
                   signup_opens_at=now - timedelta(days=1))
    row = signup(act, rita, by=world.rita)
    client.force_login(world.gina)
    page = client.get(f"/community/activities/{act.pk}/")
    assert f'id="present-{row.pk}"' in page.text and "李丽" in page.text
    assert client.get(f"/community/activities/{act.pk}/door/").status_code == 200
    client.post(f"/community/activities/{act.pk}/signups/{row.pk}/present/")
    row.refresh_from_db()
    assert row.checked_in_via == "staff"
    page = client.get(f"/community/activities/{act.pk}/")
    assert 'id="attendance-rate"' in page.text and "100%" in page.text
    export = client.get(f"/community/activities/{act.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="activity.exported").exists()
    client.force_login(world.rita)
    assert client.get(f"/community/activities/{act.pk}/export/").status_code == 403
    assert client.get(f"/community/activities/{act.pk}/door/").status_code == 403
    client.force_login(world.bob)
    assert client.get(f"/community/activities/{act.pk}/").status_code == 404


def test_cancel_with_reason_and_report(client, world, media_root):  # noqa: F811
    act = activity(world)
    client.force_login(world.alice)
    refused = client.post(f"/community/activities/{act.pk}/act/cancel/", {"note": ""})
    assert refused.status_code == 400
    client.post(f"/community/activities/{act.pk}/act/cancel/", {"note": "场地维修"})
    assert Activity.objects.get(pk=act.pk).state == "cancelled"
    now = timezone.now()
    held = activity(world, starts_at=now - timedelta(hours=3),
                    signup_opens_at=now - timedelta(days=2))
    done = client.post(f"/community/activities/{held.pk}/act/report/",
                       {"report": "居民踊跃参加。", "photos": [jpeg()]})
    assert done.status_code == 302
    page = client.get(f"/community/activities/{held.pk}/")
    assert "居民踊跃参加。" in page.text and 'id="activity-photos"' in page.text


def test_lists(client, world, rita):
    activity(world, title="开放报名")
    client.force_login(world.rita)
    for view in ("open", "mine", "past", "bogus"):
        assert client.get(f"/community/activities/?view={view}").status_code == 200
    assert "开放报名" in client.get("/community/activities/?view=open").text
    client.force_login(world.alice)
    for view in ("upcoming", "to_report", "all"):
        assert client.get(f"/community/activities/?view={view}&state=draft").status_code == 200


def test_staff_sign_up_a_resident_who_phones_in(client, world, rita):
    act = activity(world)
    other = resident(world.alice, world.dwelling_a, "李强", relation="spouse")
    resident(world.bob, world.dwelling_b, "李四")  # community B: not in the audience
    signup(act, rita, by=world.rita)
    client.force_login(world.gina)
    page = client.get(f"/community/activities/{act.pk}/", {"who": "李"}).text
    assert f'id="desk-signup-{other.pk}"' in page and "李*" in page
    assert f'id="desk-signup-{rita.pk}"' not in page  # already signed up
    assert "李四" not in page and "李强" not in page  # out of the audience; names masked
    client.post(f"/community/activities/{act.pk}/signups/", {"resident": other.pk})
    made = SignUp.objects.get(resident=other)
    assert made.state == "confirmed" and made.signed_up_by == world.gina
    client.force_login(world.rita)  # a resident gets no desk
    page = client.get(f"/community/activities/{act.pk}/", {"who": "李"}).text
    assert 'id="desk-candidates"' not in page
