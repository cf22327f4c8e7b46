"""The honours pages: boards, a board's period, nominating, review, reply, board forms;
refusals re-render with the reason and what was typed."""

import pytest
from django.urls import reverse

from linli.community.models import Board, BoardKind, HonourEntry, Reply
from linli.community.tests.factories import board, entry
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_boards_and_a_board_show_only_approved_entries(client, world, rita):
    b = board(world)
    entry(b, actor=world.alice, subject_name="王阿姨", state="approved")
    entry(b, actor=world.alice, subject_name="待审核的人")
    client.force_login(world.rita)
    page = client.get(reverse("community:boards")).content.decode()
    assert "善行义举榜" in page
    page = client.get(reverse("community:board", args=[b.pk])).content.decode()
    assert "王阿姨" in page and "待审核的人" not in page
    assert client.get(reverse("community:board", args=[b.pk]) + "?period=bad").status_code \
        == 200


def test_a_board_of_another_community_is_404(client, world):
    b = board(world, area=world.community_b, actor=world.bob)
    e = entry(b, actor=world.bob, state="approved")
    client.force_login(world.alice)
    assert client.get(reverse("community:board", args=[b.pk])).status_code == 404
    assert client.get(reverse("community:entry", args=[e.pk])).status_code == 404
    assert client.post(reverse("community:honours_reply", args=[e.pk]),
                       {"text": "x"}).status_code == 404


def test_nominate_refused_keeps_the_text_then_approve(client, world, rita):
    black = board(world, kind=BoardKind.BLACK, title="黑榜")
    client.force_login(world.rita)
    url = reverse("community:honours_nominate", args=[black.pk])
    refused = client.post(url, {"subject_kind": "behaviour", "subject_name": "高空抛物",
                                "reason": "请拨打13812345678举报"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="nominate-error"' in page and "13812345678" in page
    done = client.post(url, {"subject_kind": "behaviour", "subject_name": "高空抛物",
                             "reason": "3栋有人高空抛物"})
    made = HonourEntry.objects.get()
    assert done.status_code == 302
    client.force_login(world.alice)
    assert "高空抛物" in client.get(reverse("community:honours_review")).content.decode()
    declined = client.post(reverse("community:honours_entry_act", args=[made.pk, "decline"]),
                           {"note": ""})
    assert declined.status_code == 400
    client.post(reverse("community:honours_entry_act", args=[made.pk, "approve"]),
                {"version": made.version})
    made.refresh_from_db()
    assert made.state == "approved"


def test_reply_forms(client, world, rita):
    b = board(world, kind=BoardKind.BLACK, title="黑榜")
    e = entry(b, actor=world.alice, subject_kind="unit", subject_name="花楼物业",
              unit=world.unit_a, state="approved")
    client.force_login(world.alice)
    page = client.get(reverse("community:entry", args=[e.pk])).content.decode()
    assert 'id="reply-on-behalf"' in page
    refused = client.post(reverse("community:honours_reply", args=[e.pk]),
                          {"text": "纸面回复内容"})
    assert refused.status_code == 400 and "纸面回复内容" in refused.content.decode()
    client.force_login(world.uma)
    client.post(reverse("community:honours_reply", args=[e.pk]), {"text": "已清理通道"})
    assert Reply.objects.get().text == "已清理通道"
    client.force_login(world.rita)
    page = client.get(reverse("community:entry", args=[e.pk])).content.decode()
    assert "已清理通道" in page and 'id="reply-form"' not in page


def test_board_create_and_edit(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("community:honours_board_new"))
    assert page.status_code == 200
    refused = client.post(reverse("community:honours_board_new"),
                          {"area": world.community_a.pk, "kind": "red", "title": "",
                           "period": "month"})
    assert refused.status_code == 400
    client.post(reverse("community:honours_board_new"),
                {"area": world.community_a.pk, "kind": "red", "title": "红榜",
                 "period": "quarter"})
    made = Board.objects.get()
    assert made.period == "quarter"
    client.post(reverse("community:honours_board_edit", args=[made.pk]),
                {"title": "红榜2026", "period": "month"})
    made.refresh_from_db()
    assert made.title == "红榜2026" and not made.is_active
    client.force_login(world.rita)
    assert client.post(reverse("community:honours_board_edit", args=[made.pk]),
                       {"title": "x", "period": "month"}).status_code in (403, 404)
