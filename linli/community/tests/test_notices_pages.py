"""The notices pages: the list, writing and publishing, the detail with receipts, the
unread list for urgent notices, withdrawing with a reason, the home list."""

import pytest
from django.urls import reverse

from linli.community.models import Notice, NoticeKind, NoticeRead, NoticeState
from linli.community.tests import factories as life
from linli.community.tests.test_notices_services import media_root, pdf  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_resident_opening_a_notice_records_the_receipt(client, world):
    life.rita_record(world)
    n = life.notice(world)
    client.force_login(world.rita)
    page = client.get(reverse("community:notices"))
    assert page.status_code == 200 and "notice-unread" in page.content.decode()
    assert client.get(reverse("community:notice", args=[n.pk])).status_code == 200
    assert NoticeRead.objects.filter(notice=n).count() == 1
    assert "id=\"notice-reads\"" not in client.get(
        reverse("community:notice", args=[n.pk])).content.decode()


def test_the_home_page_lists_the_residents_current_notices(client, world):
    life.rita_record(world)
    life.notice(world, title="停水通知")
    client.force_login(world.rita)
    home = client.get("/").content.decode()
    assert "community-notices-home" in home and "停水通知" in home


def test_staff_write_and_publish_and_a_refused_form_keeps_the_text(client, world,
                                                                    media_root):  # noqa: F811
    client.force_login(world.alice)
    assert client.get(reverse("community:notice_new")).status_code == 200
    refused = client.post(reverse("community:notice_new"), {
        "area": world.community_b.pk, "kind": "safety", "title": "保留的标题", "body": "x",
        "then": "publish"})
    assert refused.status_code == 403 and "保留的标题" in refused.content.decode()
    made = client.post(reverse("community:notice_new"), {
        "area": world.community_a.pk, "kind": "urgent", "title": "燃气泄漏排查",
        "body": "请在家等候。", "then": "publish", "attachments": pdf()})
    n = Notice.objects.get()
    assert made.status_code == 302 and n.state == NoticeState.PUBLISHED
    assert n.files.count() == 1
    detail = client.get(reverse("community:notice", args=[n.pk])).content.decode()
    assert "notice-rate" in detail and "notice-unread" in detail
    listed = client.get(reverse("community:notices")).content.decode()
    assert f"notice-rate-{n.pk}" in listed


def test_withdraw_needs_a_reason_and_then_works(client, world):
    n = life.notice(world)
    client.force_login(world.alice)
    url = reverse("community:notice_act", args=[n.pk, "withdraw"])
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 400
    assert client.post(url, {"note": "内容有误"}).status_code == 302
    n.refresh_from_db()
    assert n.state == NoticeState.WITHDRAWN


def test_edit_a_published_notice_only_pin_and_expiry(client, world):
    n = life.notice(world, kind=NoticeKind.POLICY)
    client.force_login(world.alice)
    url = reverse("community:notice_edit", args=[n.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"pinned": "on"}).status_code == 302
    n.refresh_from_db()
    assert n.pinned


def test_other_roles_and_places(client, world):
    n = life.notice(world)
    client.force_login(world.bob)
    assert client.get(reverse("community:notice", args=[n.pk])).status_code == 404
    client.force_login(world.rita)
    assert client.get(reverse("community:notice_edit", args=[n.pk])).status_code == 404
    assert client.post(reverse("community:notice_act", args=[n.pk, "withdraw"]),
                       {"note": "x"}).status_code == 403
