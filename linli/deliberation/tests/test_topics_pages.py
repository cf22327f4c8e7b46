"""The topics pages: the list with its filters and counts, raising a topic with files,
the topic page as a resident and as staff, every POST action with its refusal shown in
place (the text kept), scoped files."""

import pytest

from linli.cases.models import Case
from linli.cases.tests.factories import category
from linli.deliberation.models import Comment, Topic, TopicState
from linli.deliberation.tests import test_topics_kit as kit
from linli.deliberation.tests.factories import topic

media_root = kit.media_root
pytestmark = pytest.mark.django_db
LIST = "/deliberation/topics/"


def url(t, tail: str = "") -> str:
    return f"/deliberation/topics/{t.pk}/{tail}"


def test_the_list_open_first_with_counts_and_filters(client, world):
    done = topic(world, title="路灯已修", state=TopicState.DONE)
    open_ = topic(world, title="加装电梯", category="lift")
    client.force_login(world.rita)
    body = client.get(LIST).content.decode()
    assert body.index("加装电梯") < body.index("路灯已修")
    assert 'id="topic-counts"' in body and 'id="raise-topic"' in body
    assert f'id="topic-{open_.pk}"' not in client.get(f"{LIST}?state=done").content.decode()
    assert f'id="topic-{done.pk}"' in client.get(f"{LIST}?state=done").content.decode()
    assert f'id="topic-{done.pk}"' not in client.get(f"{LIST}?category=lift").content.decode()
    assert f'id="topic-{open_.pk}"' in client.get(f"{LIST}?search=电梯").content.decode()
    assert f'id="topic-{open_.pk}"' in client.get(
        f"{LIST}?area_id={world.estate_a.pk}").content.decode()


@pytest.mark.parametrize("query", ["state=lost", "category=cats", "area_id=abc"])
def test_a_bad_filter_is_400(client, world, query):
    client.force_login(world.rita)
    page = client.get(f"{LIST}?{query}")
    assert page.status_code == 400 and 'id="filter-error"' in page.content.decode()


def test_another_community_sees_nothing(client, world):
    t = topic(world)
    client.force_login(world.bob)
    assert f'id="topic-{t.pk}"' not in client.get(LIST).content.decode()
    assert client.get(url(t)).status_code == 404
    assert client.get(url(t, "files/0/")).status_code == 404


def test_raise_a_topic_with_a_photo(client, world, media_root):
    client.force_login(world.rita)
    form = client.get("/deliberation/topics/new/")
    assert form.status_code == 200 and "花楼小区" in form.content.decode()
    made = client.post("/deliberation/topics/new/", {
        "area": world.estate_a.pk, "title": "加装电梯", "category": "lift",
        "description": "老人上下楼难。", "photos": kit.jpeg()})
    t = Topic.objects.get()
    assert made.status_code == 302 and made["Location"] == url(t)
    page = client.get(url(t)).content.decode()
    assert url(t, "files/0/thumb/") in page and 'id="support-button"' in page
    assert client.get(url(t, "files/0/thumb/")).status_code == 200
    assert client.get(url(t, "files/1/")).status_code == 404


def test_a_refused_topic_keeps_the_text(client, world, media_root):
    client.force_login(world.rita)
    page = client.post("/deliberation/topics/new/", {
        "area": world.community_b.pk, "title": "我的标题", "category": "lift",
        "description": "我的说明"})
    body = page.content.decode()
    assert page.status_code == 403 and "我的标题" in body and "我的说明" in body
    assert 'data-code="place_not_yours"' in body and not Topic.objects.exists()


def test_support_and_comment_as_residents(client, world):
    t = topic(world, supporters_needed=1)
    (fan,) = kit.neighbours(world, 1)
    client.force_login(fan)
    assert client.post(url(t, "support/")).status_code == 302
    t.refresh_from_db()
    assert t.state == TopicState.AGENDA
    again = client.post(url(t, "support/"))
    assert again.status_code == 409 and 'data-code="already_supported"' in again.content.decode()
    assert client.post(url(t, "comments/"), {"text": "好主意"}).status_code == 302
    refused = client.post(url(t, "comments/"), {"text": "长" * 1001})
    assert refused.status_code == 400 and Comment.objects.count() == 1
    page = client.get(url(t)).content.decode()
    assert "好主意" in page and "张**丰" in page


def test_hide_shows_the_author_their_text_and_others_the_reason(client, world):
    t = topic(world)
    author, reader = kit.neighbours(world, 2)
    c = Comment.objects.create(topic=t, author=author, text="骂人的话")
    client.force_login(author)
    assert client.post(url(t, f"comments/{c.pk}/hide/"), {"reason": "x"}).status_code == 403
    client.force_login(world.gina)
    assert f'id="hide-{c.pk}"' in client.get(url(t)).content.decode()
    blank = client.post(url(t, f"comments/{c.pk}/hide/"), {"reason": ""})
    assert blank.status_code == 400
    assert client.post(url(t, f"comments/{c.pk}/hide/"),
                       {"reason": "人身攻击"}).status_code == 302
    client.force_login(author)
    mine = client.get(url(t)).content.decode()
    assert "骂人的话" in mine and "人身攻击" in mine
    client.force_login(reader)
    theirs = client.get(url(t)).content.decode()
    assert "骂人的话" not in theirs and "人身攻击" in theirs


def test_staff_moves_only_the_offered_ones(client, world):
    t = topic(world)
    client.force_login(world.rita)
    assert 'id="topic-actions"' not in client.get(url(t)).content.decode()
    assert client.post(url(t, "act/agenda/"), {"version": 1}).status_code == 403
    client.force_login(world.leo)
    page = client.get(url(t)).content.decode()
    assert 'id="details-agenda"' in page and 'id="details-refer"' not in page
    client.force_login(world.alice)
    stale = client.post(url(t, "act/decline/"), {"version": 5, "note": "我的理由"})
    body = stale.content.decode()
    assert stale.status_code == 409 and 'id="reload-link"' in body and "我的理由" in body
    assert client.post(url(t, "act/fly/"), {}).status_code == 404
    done = client.post(url(t, "act/decline/"), {"version": 1, "note": "我的理由"})
    assert done.status_code == 302
    t.refresh_from_db()
    assert t.state == TopicState.DECLINED
    assert "我的理由" in client.get(url(t)).content.decode()


def test_refer_links_the_case_and_merge(client, world):
    t, into = topic(world), topic(world, title="停车难")
    client.force_login(world.alice)
    assert client.post(url(t, "act/refer/"), {"version": 1,
                                              "category": category().pk}).status_code == 302
    case = Case.objects.get()
    assert f"/cases/{case.pk}/" in client.get(url(t)).content.decode()
    other = topic(world, title="停车位")
    assert client.post(url(other, "act/merge/"), {"version": 1,
                                                  "into": into.pk}).status_code == 302
    assert 'id="topic-merged-into"' in client.get(url(other)).content.decode()


def test_progress_on_an_adopted_topic(client, world):
    t = topic(world, state=TopicState.ADOPTED)
    client.force_login(world.alice)
    assert 'id="progress-form"' in client.get(url(t)).content.decode()
    bad = client.post(url(t, "progress/"), {"note": "开工", "budget": "-5"})
    assert bad.status_code == 400 and "开工" in bad.content.decode()
    assert client.post(url(t, "progress/"), {"note": "电梯开工",
                                             "budget": "1000"}).status_code == 302
    client.force_login(world.rita)
    assert "电梯开工" in client.get(url(t)).content.decode()


def test_files_added_on_the_page(client, world, media_root):
    t = topic(world)
    client.force_login(world.rita)
    assert client.post(url(t, "files/"), {"attachments": kit.pdf()}).status_code == 302
    assert b"".join(client.get(url(t, "files/0/")).streaming_content).startswith(b"%PDF")
    bad = client.post(url(t, "files/"), {"attachments": kit.pdf(content=b"nope")})
    assert bad.status_code == 400 and t.files.count() == 1
