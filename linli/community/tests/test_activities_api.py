"""The activities API: anonymous 401, another community 404, wrong role 403, bad input 400
with nothing changed, and each action all the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community.models import Activity, ActivityPhoto, SignUp
from linli.community.tests.factories import activity, household_member, signup
from linli.community.tests.test_activities_kit import jpeg, media_root  # noqa: F401
from linli.people.tests.factories import resident
from linli.points.models import EarningAction, EarningRule, Entry

pytestmark = pytest.mark.django_db
API = "/api/community/activities"


def post(client, path: str, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def body(world, **fields) -> dict:
    now = timezone.now()
    starts = now + timedelta(days=2)
    return {"area_id": world.community_a.pk, "title": "义诊", "kind": "clinic",
            "venue": "社区卫生站", "capacity": 2, "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "signup_opens_at": (now - timedelta(minutes=5)).isoformat(),
            "signup_closes_at": starts.isoformat(), **fields}


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_anonymous_401(client, world):
    act = activity(world)
    for response in (client.get(API), client.get(f"{API}/{act.pk}"),
                     post(client, f"/{act.pk}/actions/cancel", {"note": "x"})):
        assert response.status_code == 401


def test_other_community_404_and_nothing_changes(client, world, rita):
    act = activity(world, area=world.community_b, actor=world.bob)
    client.force_login(world.alice)
    assert client.get(f"{API}/{act.pk}").status_code == 404
    assert post(client, f"/{act.pk}/actions/cancel", {"note": "x"}).status_code == 404
    assert post(client, f"/{act.pk}/signups", {"resident_id": rita.pk}).status_code == 404
    assert Activity.objects.get(pk=act.pk).state == "published"


def test_create_publish_update_flow(client, world):
    client.force_login(world.alice)
    made = post(client, "", body(world))
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["state"] == "draft" and made.json()["check_in_code"]
    bad = post(client, "", body(world, capacity=0))
    assert bad.status_code == 400 and bad.json()["code"] == "bad_capacity"
    assert post(client, "", body(world, kind="x")).json()["code"] == "bad_kind"
    published = post(client, f"/{pk}/actions/publish")
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert post(client, f"/{pk}/actions/publish").status_code == 400
    changed = client.put(f"{API}/{pk}", body(world, capacity=5, title="义诊（加场）"),
                         content_type="application/json")
    assert changed.status_code == 200 and changed.json()["capacity"] == 5
    stale = client.put(f"{API}/{pk}", body(world, expected_version=1),
                       content_type="application/json")
    assert stale.status_code == 409
    assert post(client, f"/{pk}/actions/cancel").status_code == 400  # a reason is needed
    assert post(client, f"/{pk}/actions/cancel", {"note": "医生临时有事"}).json()[
        "state"] == "cancelled"
    assert Activity.objects.count() == 1


def test_wrong_role_403(client, world, rita):
    act = activity(world)
    client.force_login(world.rita)
    assert post(client, "", body(world)).status_code == 403
    assert post(client, f"/{act.pk}/actions/cancel", {"note": "x"}).status_code == 403
    assert client.get(f"{API}/{act.pk}/signups").status_code == 403
    assert client.get(f"{API}/{act.pk}").json()["check_in_code"] is None
    mine = signup(act, rita, by=world.rita)
    assert post(client, f"/{act.pk}/signups/{mine.pk}/present").status_code == 403
    client.force_login(world.uma)
    assert client.get(f"{API}/{act.pk}").status_code == 404


def test_signups_waiting_cancel_present_and_points(client, world, rita):
    EarningRule.objects.create(community=world.community_a,
                               action=EarningAction.ACTIVITY_ATTENDANCE, points_per_unit=5)
    now = timezone.now()
    act = activity(world, capacity=1, starts_at=now + timedelta(minutes=30),
                   signup_opens_at=now - timedelta(days=1))
    kid = household_member(world.alice, rita, "李小明")
    client.force_login(world.rita)
    first = post(client, f"/{act.pk}/signups", {"resident_id": rita.pk})
    assert first.status_code == 201 and first.json()["state"] == "confirmed"
    second = post(client, f"/{act.pk}/signups", {"resident_id": kid.pk})
    assert second.json()["state"] == "waiting"
    again = post(client, f"/{act.pk}/signups", {"resident_id": rita.pk})
    assert again.status_code == 409
    assert client.get(f"{API}/{act.pk}").json()["signups"][1]["name"] == "李小明"
    cancelled = post(client, f"/{act.pk}/signups/{first.json()['id']}/cancel")
    assert cancelled.json()["state"] == "cancelled"
    assert SignUp.objects.get(pk=second.json()["id"]).state == "confirmed"
    assert post(client, f"/{act.pk}/check-in", {"code": "0000"}).json()["code"] == "bad_code"
    client.force_login(world.gina)
    present = post(client, f"/{act.pk}/signups/{second.json()['id']}/present")
    assert present.status_code == 200 and present.json()["checked_in_via"] == "staff"
    listed = client.get(f"{API}/{act.pk}/signups").json()
    assert (listed["confirmed"], listed["attended"], listed["rate"]) == (1, 1, 100)
    assert Entry.objects.count() == 0  # the child has no account
    client.force_login(world.rita)
    again = post(client, f"/{act.pk}/signups", {"resident_id": rita.pk})
    assert again.json()["state"] == "waiting"


def test_check_in_by_code_earns_points(client, world, rita):
    EarningRule.objects.create(community=world.community_a,
                               action=EarningAction.ACTIVITY_ATTENDANCE, points_per_unit=5)
    now = timezone.now()
    act = activity(world, starts_at=now + timedelta(minutes=30),
                   signup_opens_at=now - timedelta(days=1))
    signup(act, rita, by=world.rita)
    client.force_login(world.rita)
    done = post(client, f"/{act.pk}/check-in", {"code": "2468"})
    assert done.status_code == 200 and len(done.json()) == 1
    assert post(client, f"/{act.pk}/check-in", {"code": "2468"}).status_code == 409
    assert list(Entry.objects.values_list("amount", flat=True)) == [5]


def test_report_and_photos(client, world, media_root):  # noqa: F811
    now = timezone.now()
    act = activity(world, starts_at=now - timedelta(hours=3),
                   signup_opens_at=now - timedelta(days=2))
    client.force_login(world.alice)
    assert post(client, f"/{act.pk}/actions/report").json()["code"] == "report_required"
    done = post(client, f"/{act.pk}/actions/report", {"report": "二十位老人参加。"})
    assert done.json()["state"] == "reported"
    added = client.post(f"{API}/{act.pk}/photos", {"photos": [jpeg(), jpeg("b.jpg")]})
    assert added.status_code == 201 and len(added.json()["photos"]) == 2
    assert ActivityPhoto.objects.count() == 2
    url = added.json()["photos"][0]["thumbnail_url"]
    assert client.get(url).status_code == 200
    client.force_login(world.bob)
    assert client.get(url).status_code == 404


def test_list_views_and_bad_filter(client, world, rita):
    activity(world, title="开放")
    activity(world, title="草稿", state="draft")
    client.force_login(world.rita)
    titles = [a["title"] for a in client.get(f"{API}?view=open").json()["items"]]
    assert titles == ["开放"]
    assert client.get(f"{API}?view=nope").status_code == 400
    client.force_login(world.alice)
    assert client.get(f"{API}?state=draft").json()["count"] == 1
