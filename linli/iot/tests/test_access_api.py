"""The access API: a door's counts and the welfare watches (list, set up, read, withdraw),
each for the anonymous, staff of the other community (bob), a resident (rita), a unit
member (uma), a leader (leo) and the right staff; a refusal writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.tests.apitools import post_json
from linli.core.models import AuditEntry
from linli.iot.models import AccessCount, Kind, WelfareWatch
from linli.iot.services import access
from linli.iot.tests.factories import make_device
from linli.iot.tests.test_access import watched  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def body(w) -> dict:
    return {"resident_id": w.elder.pk, "device_id": w.door2.pk, "quiet_hours": 24,
            "consent_reference": "书面同意 2026-12-01"}


def written() -> tuple:
    return (list(WelfareWatch.objects.values_list("pk", "withdrawn_at")),
            AuditEntry.objects.filter(action__startswith="welfare_watch.").count())


def calls(w, watch) -> list[tuple[str, str, dict | None]]:
    return [("get", f"/api/iot/doors/{w.door.pk}/counts", None),
            ("get", "/api/iot/watches", None),
            ("post", "/api/iot/watches", body(w)),
            ("get", f"/api/iot/watches/{watch.pk}", None),
            ("post", f"/api/iot/watches/{watch.pk}/withdraw", {"reason": "本人撤回同意"})]


def send(client, method, url, data):
    return client.get(url) if method == "get" else post_json(client, url, data)


@pytest.fixture
def open_watch(watched):  # noqa: F811 (the fixture imported above)
    """A watch on her entrance's door; the POSTs set one up on her building's door."""
    watched.door2 = make_device(watched.building_a, kind=Kind.DOOR, identifier="DOOR-A2",
                                unit=watched.unit_a, name="花楼小区1栋大堂门禁")
    watch = access.watch_create(actor=watched.alice, resident=watched.elder,
                                device=watched.door, quiet_hours=12,
                                consent_reference="口头同意，2026-11-30 回访确认")
    return watched, watch


def test_anonymous_is_401_and_nothing_is_written(client, open_watch):
    w, watch = open_watch
    before = written()
    for method, url, data in calls(w, watch):
        response = send(client, method, url, data)
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated"), url
    assert written() == before


def test_staff_of_another_community_sees_nothing_and_changes_nothing(client, open_watch):
    w, watch = open_watch
    client.force_login(w.bob)
    before = written()
    assert client.get(f"/api/iot/doors/{w.door.pk}/counts").status_code == 404
    assert client.get("/api/iot/watches").json()["count"] == 0
    assert post_json(client, "/api/iot/watches", body(w)).status_code == 404
    assert client.get(f"/api/iot/watches/{watch.pk}").status_code == 404
    assert post_json(client, f"/api/iot/watches/{watch.pk}/withdraw",
                     {"reason": "撤回"}).status_code == 404
    # His own door, her resident: still not found.
    assert post_json(client, "/api/iot/watches", body(w) | {"device_id": w.door_b.pk}
                     ).status_code == 404
    assert written() == before


@pytest.mark.parametrize("who", ["rita", "uma", "nobody"])
def test_residents_and_unit_members_have_no_watches(client, open_watch, who):
    w, watch = open_watch
    client.force_login(getattr(w, who))
    before = written()
    assert client.get("/api/iot/watches").json()["count"] == 0
    assert post_json(client, "/api/iot/watches", body(w)).status_code == 404
    assert client.get(f"/api/iot/watches/{watch.pk}").status_code == 404
    assert post_json(client, f"/api/iot/watches/{watch.pk}/withdraw",
                     {"reason": "撤回"}).status_code == 404
    assert written() == before


def test_the_owner_unit_reads_its_doors_counts_and_a_resident_does_not(client, open_watch):
    w, _watch = open_watch
    AccessCount.objects.create(device=w.door, count=4, hour=timezone.localtime().replace(
        minute=0, second=0, microsecond=0))
    client.force_login(w.uma)
    answer = client.get(f"/api/iot/doors/{w.door.pk}/counts").json()
    assert answer["hours"][-1]["count"] == 4 and answer["days"][-1]["count"] == 4
    client.force_login(w.rita)
    assert client.get(f"/api/iot/doors/{w.door.pk}/counts").status_code == 404
    client.force_login(w.alice)  # a smoke detector is no door
    assert client.get(f"/api/iot/doors/{w.smoke.pk}/counts").status_code == 404


def test_a_leader_reads_the_watches_and_may_not_change_them(client, open_watch):
    w, watch = open_watch
    client.force_login(w.leo)
    before = written()
    listed = client.get("/api/iot/watches").json()
    assert [row["id"] for row in listed["items"]] == [watch.pk]
    response = post_json(client, "/api/iot/watches", body(w))
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    response = post_json(client, f"/api/iot/watches/{watch.pk}/withdraw", {"reason": "撤回"})
    assert response.status_code == 403
    assert written() == before


def test_counts_by_hour_and_by_day(client, open_watch):
    w, _watch = open_watch
    now = timezone.localtime()
    hour = now.replace(minute=0, second=0, microsecond=0)
    for back, count in ((0, 3), (2, 5), (30, 7), (24 * 8, 100)):
        AccessCount.objects.create(device=w.door, hour=hour - timedelta(hours=back),
                                   count=count)
    client.force_login(w.alice)
    answer = client.get(f"/api/iot/doors/{w.door.pk}/counts").json()
    assert answer["identifier"] == "DOOR-A"
    hours = [row["count"] for row in answer["hours"]]
    assert len(hours) == 24 and hours[-1] == 3 and hours[-3] == 5 and sum(hours) == 8
    days = answer["days"]
    assert len(days) == 7 and days[-1]["day"] == str(now.date())
    assert sum(row["count"] for row in days) == 15  # eight days back is out of the week


@pytest.mark.parametrize("who", ["alice", "gina"])
def test_the_places_staff_set_up_and_withdraw_a_watch(client, open_watch, who):
    w, first = open_watch
    client.force_login(getattr(w, who))
    response = post_json(client, "/api/iot/watches", body(w))
    assert response.status_code == 201
    made = response.json()
    assert made["resident_name"] == "张*兰" and made["place"] == "花楼小区 1栋 1单元 101"
    assert made["consent_reference"] == "书面同意 2026-12-01" and made["quiet_hours"] == 24
    assert made["check_raised"] is False and made["withdrawn_at"] is None
    assert "张秀兰" not in response.content.decode()
    listed = client.get("/api/iot/watches").json()
    assert {row["id"] for row in listed["items"]} == {first.pk, made["id"]}
    again = post_json(client, "/api/iot/watches", body(w))
    assert (again.status_code, again.json()["code"]) == (409, "duplicate")
    stopped = post_json(client, f"/api/iot/watches/{made['id']}/withdraw",
                        {"reason": "本人撤回同意"})
    assert stopped.status_code == 200 and stopped.json()["withdrawn_at"] is not None
    assert stopped.json()["due_at"] is None
    gone = client.get("/api/iot/watches?withdrawn=true").json()
    assert [row["id"] for row in gone["items"]] == [made["id"]]


def test_bad_bodies_are_refused_with_the_reason(client, open_watch):
    w, watch = open_watch
    client.force_login(w.alice)
    before = written()
    for changes, code in (({"consent_reference": ""}, "consent_required"),
                          ({"quiet_hours": 500}, "bad_quiet_hours"),
                          ({"device_id": w.smoke.pk}, "not_found"),
                          ({"quiet_hours": 99999}, "invalid")):
        response = post_json(client, "/api/iot/watches", body(w) | changes)
        assert (response.status_code, response.json()["code"]) == (
            404 if code == "not_found" else 400, code), changes
    response = post_json(client, f"/api/iot/watches/{watch.pk}/withdraw", {"reason": "  "})
    assert (response.status_code, response.json()["code"]) == (400, "reason_required")
    assert written() == before


def test_a_watch_shows_its_welfare_check(client, open_watch):
    w, watch = open_watch
    access.welfare_sweep(watch.due_at + timedelta(minutes=1))
    client.force_login(w.gina)
    assert client.get(f"/api/iot/watches/{watch.pk}").json()["check_raised"] is True
