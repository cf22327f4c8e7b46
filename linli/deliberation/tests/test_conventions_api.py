"""The conventions and hall API: anonymous 401, another community 404, wrong role 403, bad
input 400 with nothing changed, the right role 200/201 on every operation."""

import pytest
from django.utils import timezone

from linli.core.models import AuditEntry
from linli.deliberation import services
from linli.deliberation.models import Convention, ConventionVersion
from linli.deliberation.tests.factories import dwellings, topic, vote, voter

pytestmark = pytest.mark.django_db
API = "/api/deliberation"


@pytest.fixture
def conv(world):
    return services.convention_create(actor=world.alice, area=world.community_a,
                                      title="花楼居民公约", text="第一条\n第二条")


def post(client, path, data):
    return client.post(f"{API}{path}", data, content_type="application/json")


def operations(world, c):
    v = c.versions.get()
    return [("get", "/conventions", None),
            ("post", "/conventions", {"area_id": world.community_a.pk, "title": "新公约",
                                      "text": "正文"}),
            ("get", f"/conventions/{c.pk}", None),
            ("post", f"/conventions/{c.pk}/versions", {"text": "第一条改", "note": "改"}),
            ("get", f"/conventions/{c.pk}/versions/{v.pk}", None),
            ("get", "/hall", None)]


def call(client, method, path, body):
    return client.get(f"{API}{path}") if method == "get" else post(client, path, body)


def test_anonymous_is_401_everywhere(client, world, conv):
    for method, path, body in operations(world, conv):
        assert call(client, method, path, body).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, world, conv):
    client.force_login(world.bob)
    for method, path, body in operations(world, conv)[2:5]:
        assert call(client, method, path, body).status_code == 404, path
    assert client.get(f"{API}/conventions").json()["count"] == 0
    refused = post(client, "/conventions", {"area_id": world.community_a.pk, "title": "x",
                                            "text": "y"})
    assert refused.status_code in (400, 403)
    assert Convention.objects.count() == 1 and ConventionVersion.objects.count() == 1


def test_wrong_roles_are_403(client, world, conv):
    for who in (world.gina, world.rita):
        client.force_login(who)
        assert post(client, "/conventions", {"area_id": world.estate_a.pk, "title": "x",
                                             "text": "y"}).status_code == 403
    client.force_login(world.gina)
    answer = post(client, f"/conventions/{conv.pk}/versions", {"text": "改", "note": "改"})
    assert answer.status_code == 403 and answer.json()["code"] == "not_organiser"
    assert Convention.objects.count() == 1 and ConventionVersion.objects.count() == 1


@pytest.mark.parametrize("path,body", [
    ("/conventions", {"area_id": 1, "title": "", "text": "y"}),
    ("/conventions", {"title": "x", "text": "y"}),
    ("/conventions", {"area_id": 0, "title": "x", "text": "y"}),
    ("/conventions", {"area_id": 10**9, "title": "x", "text": "y"}),
    ("/conventions", {"area_id": 1, "title": "x" * 81, "text": "y"}),
    ("/conventions", {"area_id": 1, "title": "x", "text": "y", "topic_id": 10**9}),
    ("VERSIONS", {"text": "第一条\n第二条", "note": "没改"}),
    ("VERSIONS", {"text": "", "note": "改"}),
    ("VERSIONS", {"text": "改", "note": ""}),
    ("VERSIONS", {"text": "字" * 20001, "note": "改"}),
])
def test_bad_input_is_400_and_nothing_changes(client, world, conv, path, body):
    client.force_login(world.alice)
    if body.get("area_id") == 1:
        body = body | {"area_id": world.community_a.pk}
    path = f"/conventions/{conv.pk}/versions" if path == "VERSIONS" else path
    audits = AuditEntry.objects.count()
    assert post(client, path, body).status_code == 400
    assert Convention.objects.count() == 1 and ConventionVersion.objects.count() == 1
    assert AuditEntry.objects.count() == audits


def test_an_unknown_filter_value_is_400(client, world, conv):
    client.force_login(world.alice)
    assert client.get(f"{API}/conventions?state=lost").status_code == 400
    assert client.get(f"{API}/conventions?state=draft").json()["count"] == 1
    assert client.get(f"{API}/conventions?state=in_force").json()["count"] == 0


def test_the_organiser_goes_all_the_way(client, world, conv):
    client.force_login(world.alice)
    t = topic(world)
    made = post(client, "/conventions", {"area_id": world.estate_a.pk, "title": "停车公约",
                                         "text": "车辆有序停放", "topic_id": t.pk})
    assert made.status_code == 201 and made.json()["topic_id"] == t.pk
    added = post(client, f"/conventions/{conv.pk}/versions", {"text": "第一条\n第三条",
                                                              "note": "改第二条"})
    assert added.status_code == 201 and added.json()["number"] == 2
    detail = client.get(f"{API}/conventions/{conv.pk}").json()
    assert [v["number"] for v in detail["versions"]] == [1, 2] and detail["may_draft"]
    assert detail["diff_from"] == 1 and {"kind": "added", "text": "第三条"} in detail["diff"]
    one = client.get(f"{API}/conventions/{conv.pk}/versions/{added.json()['id']}")
    assert one.status_code == 200 and one.json()["text"] == "第一条\n第三条"
    assert client.get(f"{API}/conventions").json()["count"] == 2


def test_a_resident_reads_the_text_in_force_only(client, world, conv):
    v1 = conv.versions.get()
    client.force_login(world.rita)
    assert client.get(f"{API}/conventions/{conv.pk}").status_code == 404  # a draft
    services.version_adopted(v1, timezone.now())
    v2 = services.version_add(actor=world.alice, convention=conv, text="草稿", note="改")
    detail = client.get(f"{API}/conventions/{conv.pk}").json()
    assert detail["in_force"]["number"] == 1 and detail["in_force_text"] == "第一条\n第二条"
    assert [v["number"] for v in detail["versions"]] == [1] and not detail["may_draft"]
    assert client.get(f"{API}/conventions/{conv.pk}/versions/{v2.pk}").status_code == 404
    assert client.get(f"{API}/conventions/{conv.pk}/versions/{v1.pk}").status_code == 200


def test_the_hall_for_a_resident_and_for_staff(client, world, conv):
    home = dwellings(world.entrance_a, 1)[0]
    hana = voter(world.alice, home, "hana")
    raised = topic(world, title="加装电梯")
    ballot = vote(world, question="是否同意加装电梯？")
    client.force_login(hana)
    mine = client.get(f"{API}/hall").json()
    assert mine["is_resident"] and not mine["is_staff"]
    assert [t["id"] for t in mine["collecting"]] == [raised.pk]
    assert mine["my_votes"] == [{"vote": mine["my_votes"][0]["vote"], "voted": False}]
    assert mine["my_votes"][0]["vote"]["id"] == ballot.pk
    assert mine["drafts"] == [] and mine["in_force"] == [] and mine["to_screen"] == []
    client.force_login(world.alice)
    staff = client.get(f"{API}/hall").json()
    assert staff["is_staff"] and [t["id"] for t in staff["to_screen"]] == [raised.pk]
    assert [d["id"] for d in staff["drafts"]] == [conv.pk]
    assert staff["votes_open"][0]["id"] == ballot.pk
    assert staff["votes_open"][0]["open_objections"] == 0
