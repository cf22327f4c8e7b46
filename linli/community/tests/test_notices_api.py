"""The notices API: anonymous 401, another community 404, wrong role 403, bad input 400
with nothing changed, and the way through for the right roles."""

import pytest

from linli.community.models import Notice, NoticeKind, NoticeRead, NoticeState
from linli.community.tests import factories as life
from linli.community.tests.test_notices_services import jpeg, media_root, pdf  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/community/notices"


def post(client, path, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def operations(n, f):
    return [("get", "", None),
            ("post", "", {"area_id": 1, "kind": "safety", "title": "x", "body": "x"}),
            ("get", f"/{n.pk}", None), ("patch", f"/{n.pk}", {"pinned": True}),
            ("multipart", f"/{n.pk}/attachments", None),
            ("get", f"/{n.pk}/attachments/{f.pk}", None),
            ("post", f"/{n.pk}/actions/withdraw", {"note": "x"}),
            ("post", f"/{n.pk}/read", {}), ("get", f"/{n.pk}/reads", None)]


def call(client, method, path, body):
    if method == "get":
        return client.get(f"{API}{path}")
    if method == "patch":
        return client.patch(f"{API}{path}", body, content_type="application/json")
    if method == "multipart":
        return client.post(f"{API}{path}", {"attachments": pdf()})
    return post(client, path, body)


@pytest.fixture
def scene(world, media_root):  # noqa: F811
    n = life.notice(world, kind=NoticeKind.URGENT)
    return n, life.attachment(n, by=world.alice)


def snapshot():
    return (list(Notice.objects.values_list("state", "version", "pinned")),
            NoticeRead.objects.count())


def test_anonymous_is_401_everywhere(client, scene):
    for method, path, body in operations(*scene):
        assert call(client, method, path, body).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, world, scene):
    client.force_login(world.bob)
    before = snapshot()
    for method, path, body in operations(*scene)[2:]:
        assert call(client, method, path, body).status_code == 404, path
    assert snapshot() == before


def test_a_resident_may_read_but_not_write(client, world, scene):
    life.rita_record(world)
    client.force_login(world.rita)
    n, f = scene
    assert call(client, "patch", f"/{n.pk}", {"pinned": True}).status_code == 403
    assert post(client, f"/{n.pk}/actions/withdraw", {"note": "x"}).status_code == 403
    assert client.get(f"{API}/{n.pk}/reads").status_code == 403
    assert post(client, "", {"area_id": world.community_a.pk, "kind": "safety", "title": "x",
                             "body": "x"}).json()["code"] == "scope_not_yours"
    detail = client.get(f"{API}/{n.pk}").json()
    assert detail["is_read"] is True and detail["allowed_actions"] == []
    assert client.get(f"{API}/{n.pk}/attachments/{f.pk}").status_code == 200
    assert post(client, f"/{n.pk}/read").json()["counted"] is True
    assert NoticeRead.objects.count() == 1


def test_bad_input_is_400_and_nothing_changes(client, world, scene):
    client.force_login(world.alice)
    n, _f = scene
    before = snapshot()
    area = world.community_a.pk
    for body, code in [({"area_id": area, "kind": "gossip", "title": "x", "body": "x"},
                        "bad_kind"),
                       ({"area_id": area, "kind": "safety", "title": " ", "body": "x"},
                        "title_required"),
                       ({"area_id": area, "kind": "safety", "title": "x", "body": "x",
                         "care_tag": "nope"}, "bad_care_tag"),
                       ({"area_id": area, "kind": "safety", "title": "x", "body": "x",
                         "publish_at": "0001-01-01T00:00:00"}, "bad_time")]:
        answer = post(client, "", body)
        assert (answer.status_code, answer.json()["code"]) == (400, code), body
    assert post(client, f"/{n.pk}/actions/withdraw", {}).json()["code"] == "note_required"
    assert call(client, "patch", f"/{n.pk}", {"title": "改"}).json()["code"] == "published"
    assert post(client, f"/{n.pk}/actions/fly", {}).status_code == 400
    assert snapshot() == before


def test_staff_write_publish_and_see_the_read_rate(client, world, media_root):  # noqa: F811
    life.rita_record(world)
    life.readers(world, 3)
    client.force_login(world.alice)
    made = post(client, "", {"area_id": world.community_a.pk, "kind": "urgent",
                             "title": "燃气泄漏排查", "body": "请在家等候。"})
    assert made.status_code == 201, made.json()
    nid = made.json()["id"]
    assert made.json()["shown"] == "draft"
    files = client.post(f"{API}/{nid}/attachments", {"photos": jpeg(), "attachments": pdf()})
    assert files.status_code == 201 and len(files.json()["files"]) == 2
    published = post(client, f"/{nid}/actions/publish", {})
    assert published.json()["state"] == NoticeState.PUBLISHED
    client.force_login(world.rita)
    assert client.get(f"{API}/{nid}").status_code == 200
    client.force_login(world.gina)
    reads = client.get(f"{API}/{nid}/reads").json()
    assert (reads["read"], reads["audience"], reads["percent"]) == (1, 4, 25)
    assert len(reads["unread"]) == 3 and all("*" in u["head"] for u in reads["unread"])
    listed = client.get(API).json()["items"]
    assert [row["id"] for row in listed] == [nid]
