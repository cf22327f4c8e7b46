"""The honours API: anonymous 401, another community 404, wrong role 403, bad input 400
with nothing changed, and the whole way: nominate, photos, approve, see, reply."""

import pytest

from linli.community.models import Board, BoardKind, HonourEntry, Reply
from linli.community.tests.factories import board, entry
from linli.community.tests.test_honours_services import jpeg
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db
API = "/api/community"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post(client, path, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def operations(b, e):
    return [("get", "/boards", None),
            ("post", "/boards", {"area_id": 1, "kind": "red", "title": "x"}),
            ("get", f"/boards/{b.pk}", None), ("patch", f"/boards/{b.pk}", {"title": "x"}),
            ("get", f"/boards/{b.pk}/entries", None),
            ("post", f"/boards/{b.pk}/entries", {"subject_kind": "behaviour", "reason": "x",
                                                  "subject_name": "x"}),
            ("get", "/entries/review", None), ("get", f"/entries/{e.pk}", None),
            ("get", f"/entries/{e.pk}/replies", None),
            ("post", f"/entries/{e.pk}/replies", {"text": "x"}),
            ("post", f"/entries/{e.pk}/actions/withdraw", {"note": "x"})]


def call(client, method, path, body):
    if method == "get":
        return client.get(f"{API}{path}")
    if method == "patch":
        return client.patch(f"{API}{path}", body, content_type="application/json")
    return post(client, path, body)


def snapshot():
    return (list(Board.objects.values_list("title", "is_active")),
            list(HonourEntry.objects.values_list("state", "version")), Reply.objects.count())


def test_anonymous_is_401_everywhere(client, world):
    b = board(world)
    e = entry(b, actor=world.alice, state="approved")
    for method, path, body in operations(b, e):
        assert call(client, method, path, body).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, world):
    b = board(world, area=world.community_b, actor=world.bob)
    e = entry(b, actor=world.bob, state="approved")
    client.force_login(world.alice)
    before = snapshot()
    for method, path, body in operations(b, e):
        if f"/{b.pk}" in path or f"/{e.pk}" in path:
            assert call(client, method, path, body).status_code == 404, path
    assert snapshot() == before


def test_wrong_role_is_403(client, world):
    resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    b = board(world)
    e = entry(b, actor=world.alice, subject_kind="unit", subject_name="花楼物业",
              unit=world.unit_a, state="approved")
    client.force_login(world.rita)
    before = snapshot()
    assert post(client, "/boards", {"area_id": world.community_a.pk, "kind": "red",
                                     "title": "红榜"}).status_code == 403
    assert client.patch(f"{API}/boards/{b.pk}", {"title": "x"},
                        content_type="application/json").status_code == 403
    assert post(client, f"/entries/{e.pk}/actions/withdraw", {"note": "x"}).status_code == 403
    assert post(client, f"/entries/{e.pk}/replies", {"text": "x"}).status_code == 403
    assert snapshot() == before


def test_bad_input_is_400_or_422_and_nothing_changes(client, world):
    black = board(world, kind=BoardKind.BLACK, title="黑榜")
    client.force_login(world.alice)
    before = snapshot()
    answer = post(client, f"/boards/{black.pk}/entries",
                  {"subject_kind": "person", "subject_name": "张三", "reason": "乱扔垃圾"})
    assert answer.status_code == 400 and answer.json()["code"] == "private_person"
    answer = post(client, f"/boards/{black.pk}/entries",
                  {"subject_kind": "unit", "unit_id": world.unit_a.pk,
                   "reason": "电话13812345678"})
    assert answer.status_code == 400 and answer.json()["code"] == "private_data"
    assert post(client, f"/boards/{black.pk}/entries",
                {"subject_kind": "unit", "reason": "x" * 4001}).status_code in (400, 422)
    assert post(client, "/boards", {"area_id": world.community_a.pk, "kind": "pink",
                                     "title": "x"}).status_code == 400
    e = entry(black, actor=world.alice, subject_kind="behaviour", subject_name="高空抛物")
    before = snapshot()
    assert post(client, f"/entries/{e.pk}/actions/decline", {}).status_code == 400
    assert post(client, f"/entries/{e.pk}/actions/fly", {}).status_code == 400
    assert snapshot() == before


def test_the_whole_way(client, world, media):
    rita = resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    assert rita
    client.force_login(world.alice)
    made = post(client, "/boards", {"area_id": world.community_a.pk, "kind": "good_deeds",
                                     "title": "善行义举榜"})
    assert made.status_code == 201
    board_id = made.json()["id"]
    client.force_login(world.rita)
    nominated = post(client, f"/boards/{board_id}/entries",
                     {"subject_kind": "unit", "unit_id": world.unit_a.pk,
                      "reason": "雨夜抢修水管"})
    assert nominated.status_code == 201, nominated.content
    entry_id = nominated.json()["id"]
    photos = client.post(f"{API}/entries/{entry_id}/photos", {"photos": [jpeg()]})
    assert photos.status_code == 201 and len(photos.json()["photos"]) == 1
    assert client.get(photos.json()["photos"][0]["url"]).status_code == 200
    assert client.get(f"/community/entries/{entry_id}/photos/3/").status_code == 404
    client.force_login(world.alice)
    assert [e["id"] for e in client.get(f"{API}/entries/review").json()["items"]] == [entry_id]
    approved = post(client, f"/entries/{entry_id}/actions/approve", {})
    assert approved.json()["state"] == "approved"
    client.force_login(world.uma)
    assert client.get(f"{API}/entries/{entry_id}").json()["may_reply"] is True
    replied = post(client, f"/entries/{entry_id}/replies", {"text": "感谢居民认可"})
    assert replied.status_code == 201 and replied.json()["by"] == "花楼物业"
    client.force_login(world.rita)
    listed = client.get(f"{API}/boards/{board_id}/entries").json()["items"]
    assert [e["id"] for e in listed] == [entry_id]
    assert listed[0]["replies"][0]["text"] == "感谢居民认可"
