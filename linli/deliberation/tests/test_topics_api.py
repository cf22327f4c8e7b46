"""The topics API: anonymous 401, another community 404, wrong role 403, bad input 400
with nothing changed, and the right roles all the way on every operation."""

import pytest

from linli.cases.models import Case
from linli.cases.tests.factories import category
from linli.deliberation.models import Comment, Progress, Topic, TopicFile, TopicState
from linli.deliberation.tests import test_topics_kit as kit
from linli.deliberation.tests.factories import topic

media_root = kit.media_root
pytestmark = pytest.mark.django_db
API = "/api/deliberation/topics"


def post(client, path: str, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def snapshot() -> tuple:
    return (list(Topic.objects.values_list("state", "version", "supporter_count")),
            Comment.objects.filter(hidden_at__isnull=False).count(), Comment.objects.count(),
            Progress.objects.count(), TopicFile.objects.count())


def operations(t, c):
    return [("get", "", None), ("post", "", {"area_id": 1, "title": "x", "category": "other",
                                             "description": "x"}),
            ("get", f"/{t.pk}", None), ("multipart", f"/{t.pk}/files", None),
            ("post", f"/{t.pk}/support", {}), ("get", f"/{t.pk}/comments", None),
            ("post", f"/{t.pk}/comments", {"text": "好"}),
            ("post", f"/{t.pk}/comments/{c.pk}/hide", {"reason": "x"}),
            ("post", f"/{t.pk}/actions/agenda", {}), ("get", f"/{t.pk}/progress", None),
            ("post", f"/{t.pk}/progress", {"note": "x"})]


def call(client, method, path, body):
    if method == "get":
        return client.get(f"{API}{path}")
    if method == "multipart":
        return client.post(f"{API}{path}", {"photos": kit.jpeg()})
    return post(client, path, body)


@pytest.fixture
def scene(world):
    t = topic(world)
    return t, Comment.objects.create(topic=t, author=world.rita, text="同意")


def test_anonymous_is_401_everywhere(client, scene):
    for method, path, body in operations(*scene):
        assert call(client, method, path, body).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, world, scene, media_root):
    client.force_login(world.bob)
    before = snapshot()
    for method, path, body in operations(*scene)[2:]:
        assert call(client, method, path, body).status_code == 404, path
    assert snapshot() == before
    assert client.get(API).json()["count"] == 0


def test_wrong_roles_are_403(client, world, scene, media_root):
    t, c = scene
    client.force_login(world.rita)
    assert post(client, f"/{t.pk}/comments/{c.pk}/hide", {"reason": "x"}).status_code == 403
    assert post(client, f"/{t.pk}/actions/agenda").status_code == 403
    assert post(client, f"/{t.pk}/progress", {"note": "x"}).status_code == 403
    assert post(client, "", {"area_id": world.community_b.pk, "title": "x",
                             "category": "other", "description": "x"}).status_code == 403
    client.force_login(world.alice)
    assert post(client, f"/{t.pk}/support").json()["code"] == "not_resident"
    client.force_login(world.leo)
    assert post(client, f"/{t.pk}/actions/refer",
                {"category_id": category().pk}).status_code == 403
    other = kit.neighbours(world, 1)[0]
    client.force_login(other)
    assert client.post(f"{API}/{t.pk}/files", {"photos": kit.jpeg()}).status_code == 403


@pytest.mark.parametrize("path, body", [
    ("", {"area_id": "x", "title": "t", "category": "other", "description": "d"}),
    ("", {"title": "t", "category": "other", "description": "d"}),
    ("/{t}/comments", {"text": "长" * 1001}),
    ("/{t}/comments", {"text": " "}),
    ("/{t}/comments/{c}/hide", {"reason": ""}),
    ("/{t}/actions/decline", {"note": ""}),
    ("/{t}/actions/merge", {"into_id": 987654}),
    ("/{t}/actions/refer", {"category_id": 987654}),
    ("/{t}/actions/agenda", {"expected_version": "one"}),
    ("/{t}/actions/fly", {}),
    ("/{t}/progress", {"note": "x", "budget": -1}),
])
def test_bad_input_is_400_with_nothing_changed(client, world, scene, path, body):
    t, c = scene
    client.force_login(world.alice)
    before = snapshot()
    response = post(client, path.format(t=t.pk, c=c.pk), body)
    assert response.status_code == 400, response.content
    assert snapshot() == before


@pytest.mark.parametrize("query", ["state=lost", "category=cats", "area_id=0", "page=0"])
def test_unknown_filters_are_400(client, world, scene, query):
    client.force_login(world.rita)
    assert client.get(f"{API}?{query}").status_code == 400


def test_the_filters(client, world, scene):
    t, _c = scene
    declined = topic(world, title="路灯不亮", category="safety", state=TopicState.DECLINED)
    client.force_login(world.rita)
    ids = [i["id"] for i in client.get(API).json()["items"]]
    assert ids == [t.pk, declined.pk]  # open first
    assert [i["id"] for i in client.get(f"{API}?state=declined").json()["items"]] == [
        declined.pk]
    assert [i["id"] for i in client.get(f"{API}?category=safety").json()["items"]] == [
        declined.pk]
    assert [i["id"] for i in client.get(f"{API}?search=路灯").json()["items"]] == [declined.pk]
    assert client.get(f"{API}?area_id={world.building_a.pk}").json()["count"] == 0
    assert client.get(f"{API}?area_id={world.estate_a.pk}").json()["count"] == 2


def test_a_resident_raises_adds_files_supports_and_comments(client, world, media_root):
    client.force_login(world.rita)
    made = post(client, "", {"area_id": world.estate_a.pk, "title": "加装电梯",
                             "category": "lift", "description": "老人上下楼难。"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["allowed_actions"] == [] and body["supporters_needed"] == 10
    tid = body["id"]
    files = client.post(f"{API}/{tid}/files", {"photos": kit.jpeg(), "attachments": kit.pdf()})
    assert files.status_code == 201, files.content
    urls = [f["url"] for f in files.json()["files"]]
    assert urls == [f"/deliberation/topics/{tid}/files/0/", f"/deliberation/topics/{tid}/files/1/"]
    assert b"".join(client.get(urls[1]).streaming_content).startswith(b"%PDF")
    supported = post(client, f"/{tid}/support")
    assert supported.status_code == 200 and supported.json()["supported_by_me"]
    again = post(client, f"/{tid}/support")
    assert (again.status_code, again.json()["code"]) == (409, "already_supported")
    comment = post(client, f"/{tid}/comments", {"text": "支持！"})
    assert comment.status_code == 201 and comment.json()["mine"]
    client.force_login(world.bob)
    assert client.get(urls[0]).status_code == 404


def test_staff_screen_moderate_and_note_progress(client, world, scene):
    t, c = scene
    client.force_login(world.gina)
    hidden = post(client, f"/{t.pk}/comments/{c.pk}/hide", {"reason": "广告"})
    assert hidden.status_code == 200 and hidden.json()["hidden"]
    client.force_login(world.alice)
    detail = client.get(f"{API}/{t.pk}").json()
    assert detail["allowed_actions"] == ["agenda", "merge", "refer", "decline"]
    stale = post(client, f"/{t.pk}/actions/agenda", {"expected_version": 9})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale")
    moved = post(client, f"/{t.pk}/actions/agenda", {"expected_version": 1})
    assert moved.status_code == 200 and moved.json()["state"] == "agenda"
    other = topic(world, title="停车")
    referred = post(client, f"/{other.pk}/actions/refer", {"category_id": category().pk})
    assert referred.status_code == 200 and referred.json()["case_id"] == Case.objects.get().pk
    Topic.objects.filter(pk=t.pk).update(state=TopicState.ADOPTED)
    noted = post(client, f"/{t.pk}/progress", {"note": "已开工", "budget": "1200.50"})
    assert noted.status_code == 201 and noted.json()["budget"] == "1200.50"
    client.force_login(world.rita)
    assert client.get(f"{API}/{t.pk}/progress").json()["count"] == 1
    comments = client.get(f"{API}/{t.pk}/comments").json()["items"]
    assert comments[0]["text"] == "同意" and comments[0]["hidden_reason"] == "广告"
