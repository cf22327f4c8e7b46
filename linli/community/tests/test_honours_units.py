"""A unit named on a black list finds what is said of it: on the home page, on the boards
page, and on the entry (whose board, of a place it only serves, it does not open)."""

import pytest
from django.urls import reverse

from linli.community.models import BoardKind, SubjectKind
from linli.community.tests.factories import board, entry

pytestmark = pytest.mark.django_db


def test_a_unit_member_finds_the_entries_naming_their_unit(client, world):
    black = board(world, kind=BoardKind.BLACK, title="黑榜")
    named = entry(black, actor=world.alice, subject_kind=SubjectKind.UNIT, unit=world.unit_a,
                  subject_name="花楼物业", reason="消防通道堵塞", state="approved")
    entry(black, actor=world.alice, subject_kind=SubjectKind.UNIT, unit=world.unit_a,
          subject_name="花楼物业", reason="还在审核", state="nominated")
    entry(black, actor=world.alice, subject_kind=SubjectKind.BEHAVIOUR,
          subject_name="高空抛物", state="approved")
    client.force_login(world.uma)
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="community-tile-honours-named"' in home
    page = client.get(reverse("community:boards")).content.decode()
    assert f'id="named-{named.pk}"' in page and "高空抛物" not in page
    assert page.count('id="named-') == 1
    detail = client.get(reverse("community:entry", args=[named.pk])).content.decode()
    assert "消防通道堵塞" in detail
    assert reverse("community:board", args=[black.pk]) not in detail
    assert client.get(reverse("community:board", args=[black.pk])).status_code == 404


def test_others_see_no_such_section(client, world):
    black = board(world, kind=BoardKind.BLACK, title="黑榜")
    entry(black, actor=world.alice, subject_kind=SubjectKind.UNIT, unit=world.unit_a,
          subject_name="花楼物业", state="approved")
    client.force_login(world.alice)
    page = client.get(reverse("community:boards")).content.decode()
    assert 'id="about-my-unit"' not in page
