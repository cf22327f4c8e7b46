"""The convention pages: the list (in force first, drafts to staff), drafting (refusals
shown in place with the input kept), a new version, a draft's correction, and what a
resident sees."""

import pytest
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.models import Convention, ConventionVersion, VoteState
from linli.deliberation.tests.factories import topic, vote

pytestmark = pytest.mark.django_db
LIST, NEW = "/deliberation/conventions/", "/deliberation/conventions/new/"


@pytest.fixture
def conv(world):
    return services.convention_create(actor=world.alice, area=world.community_a,
                                      title="花楼居民公约", text="第一条 爱护环境")


def url(c, tail=""):
    return f"/deliberation/conventions/{c.pk}/{tail}"


def test_the_list_shows_drafts_to_staff_only(client, world, conv):
    client.force_login(world.alice)
    assert "花楼居民公约" in client.get(LIST).content.decode()
    client.force_login(world.rita)
    assert "花楼居民公约" not in client.get(LIST).content.decode()
    services.version_adopted(conv.versions.get(), timezone.now())
    assert "花楼居民公约" in client.get(LIST).content.decode()
    client.force_login(world.bob)
    assert "花楼居民公约" not in client.get(LIST).content.decode()
    assert client.get(url(conv)).status_code == 404


def test_drafting_from_a_topic(client, world):
    t = topic(world)
    client.force_login(world.alice)
    page = client.get(f"{NEW}?topic={t.pk}")
    assert page.status_code == 200 and t.title in page.content.decode()
    made = client.post(NEW, {"area": world.estate_a.pk, "title": "停车公约",
                             "text": "有序停放", "topic": t.pk})
    c = Convention.objects.get()
    assert made.status_code == 302 and made["Location"] == url(c) and c.topic == t


def test_a_refused_draft_keeps_the_input(client, world):
    client.force_login(world.alice)
    page = client.post(NEW, {"area": world.community_a.pk, "title": "", "text": "我写的正文"})
    assert page.status_code == 400 and "我写的正文" in page.content.decode()
    assert 'id="convention-error"' in page.content.decode()
    assert not Convention.objects.exists()


def test_residents_and_grid_workers_cannot_draft(client, world):
    for who in (world.rita, world.gina):
        client.force_login(who)
        assert client.get(NEW).status_code == 403


def test_a_new_version_and_its_diff(client, world, conv):
    client.force_login(world.alice)
    done = client.post(url(conv, "versions/"), {"text": "第一条 爱护公共环境", "note": "措辞"})
    assert done.status_code == 302
    body = client.get(url(conv)).content.decode()
    assert "conv-line conv-added" in body and "爱护公共环境" in body
    assert 'id="put-to-vote-2"' in body and "/deliberation/votes/new/?version=" in body


def test_a_refused_version_shows_the_page_again(client, world, conv):
    client.force_login(world.alice)
    page = client.post(url(conv, "versions/"), {"text": "我的新文本", "note": ""})
    assert page.status_code == 400 and "我的新文本" in page.content.decode()
    client.force_login(world.gina)
    page = client.post(url(conv, "versions/"), {"text": "我的新文本", "note": "改"})
    assert page.status_code == 403
    assert ConventionVersion.objects.count() == 1


def test_a_draft_is_corrected_until_voted(client, world, conv):
    v1 = conv.versions.get()
    client.force_login(world.alice)
    edit = url(conv, f"versions/{v1.pk}/edit/")
    assert client.post(edit, {"text": "第一条 爱护环境。", "note": ""}).status_code == 302
    v1.refresh_from_db()
    assert v1.text == "第一条 爱护环境。"
    vote(world, area=world.community_a, convention=v1, opened=False,
         state=VoteState.OPEN)
    page = client.post(edit, {"text": "再改", "note": ""})
    assert page.status_code == 400 and "version_frozen" in page.content.decode()
    assert 'id="details-edit"' not in client.get(url(conv)).content.decode()


def test_a_resident_sees_the_text_in_force_only(client, world, conv):
    v1 = conv.versions.get()
    services.version_adopted(v1, timezone.now())
    services.version_add(actor=world.alice, convention=conv, text="草稿第二版", note="改")
    client.force_login(world.rita)
    body = client.get(url(conv)).content.decode()
    assert "第一条 爱护环境" in body and "草稿第二版" not in body
    assert 'id="add-form"' not in body and 'id="in-force-text"' in body
    assert client.get(LIST).status_code == 200
    other = ConventionVersion.objects.get(number=2)
    assert client.post(url(conv, f"versions/{other.pk}/edit/"),
                       {"text": "x"}).status_code == 404
