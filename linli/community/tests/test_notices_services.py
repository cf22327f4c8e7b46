"""Notices: writing them in scope, their files, schedule and expiry, delivery once, read
receipts once per household and read rates on exact fixtures."""

import io
from datetime import timedelta
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.community import selectors_notices as sel
from linli.community import services
from linli.community.models import Notice, NoticeFile, NoticeKind, NoticeRead, NoticeState
from linli.community.selectors import notices_visible
from linli.community.tests import factories as life
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.notifications.models import Notification
from linli.people import services as people
from linli.people.tests.factories import cared_for, standard_tags, tag

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def jpeg(name="photo.jpg", gps=False):
    image = Image.new("RGB", (40, 30), "red")
    buffer = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0), 3: "E", 4: (114.0, 17.0, 0.0)}
        image.save(buffer, "JPEG", exif=exif.tobytes())
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def create(world, actor=None, **fields):
    values = {"area": world.community_a, "kind": NoticeKind.SAFETY, "title": "防火提示",
              "body": "冬季用电注意安全。"} | fields
    return services.notice_create(actor=actor or world.alice, **values)


def publish(world, notice, actor=None, **kw):
    return services.notice_transition(actor=actor or world.alice, notice=notice,
                                      action="publish", **kw)


# --- writing ---------------------------------------------------------------------------------

def test_a_notice_to_a_place_outside_the_authors_is_refused(world):
    with pytest.raises(PermissionDenied) as refused:
        create(world, area=world.community_b)
    assert refused.value.code == "scope_not_yours"
    with pytest.raises(PermissionDenied):
        create(world, actor=world.rita)
    with pytest.raises(ValidationFailed):
        create(world, area=world.dwelling_a)  # a dwelling is not an audience
    assert Notice.objects.count() == 0


def test_a_grid_worker_writes_to_a_building_of_the_grid_not_to_the_community(world):
    assert create(world, actor=world.gina, area=world.building_a).area == world.building_a
    with pytest.raises(PermissionDenied):
        create(world, actor=world.gina, area=world.community_a)


@pytest.mark.parametrize("fields, code", [
    ({"title": ""}, "title_required"), ({"title": "长" * 81}, "title_too_long"),
    ({"body": "x" * 4001}, "text_too_long"), ({"kind": "gossip"}, "bad_kind")])
def test_bad_fields_are_refused(world, fields, code):
    with pytest.raises(ValidationFailed) as refused:
        create(world, **fields)
    assert refused.value.code == code
    assert Notice.objects.count() == 0


def test_the_expiry_must_follow_the_publishing(world):
    now = timezone.now()
    with pytest.raises(ValidationFailed) as refused:
        create(world, publish_at=now + timedelta(days=1), expires_at=now)
    assert refused.value.code == "bad_expiry"


def test_attachments_photos_lose_exif_pdfs_are_checked(world, media_root):
    n = create(world, photos=[jpeg(gps=True)], attachments=[pdf()])
    photo, document = n.files.order_by("pk")
    with Image.open(photo.file) as image:
        assert not image.getexif()
    assert document.content_type == "application/pdf"


@pytest.mark.parametrize("files, code", [
    ({"attachments": [pdf(content=b"<html>")]}, "file_type"),
    ({"photos": [SimpleUploadedFile("x.jpg", b"not an image")]}, "photo_type"),
    ({"photos": [jpeg() for _ in range(4)], "attachments": [pdf(), pdf()]},
     "too_many_files")])
def test_bad_attachments_are_refused_and_nothing_is_written(world, media_root, files, code):
    with pytest.raises(ValidationFailed) as refused:
        create(world, **files)
    assert refused.value.code == code
    assert (Notice.objects.count(), NoticeFile.objects.count()) == (0, 0)


def test_a_large_pdf_is_refused(world, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.core.documents import MAX_PDF_BYTES

    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * MAX_PDF_BYTES,
                             content_type="application/pdf")
    with pytest.raises(ValidationFailed) as refused:
        create(world, attachments=[big])
    assert refused.value.code == "file_too_large"


def test_a_published_notice_changes_only_its_pin_and_expiry(world):
    n = create(world)
    n = services.notice_update(actor=world.alice, notice=n, changes={"title": "新标题"})
    publish(world, n)
    with pytest.raises(ValidationFailed) as refused:
        services.notice_update(actor=world.alice, notice=n, changes={"title": "再改"})
    assert refused.value.code == "published"
    later = timezone.now() + timedelta(days=3)
    n = services.notice_update(actor=world.alice, notice=n,
                               changes={"pinned": True, "expires_at": later})
    assert (n.title, n.pinned, n.expires_at) == ("新标题", True, later)
    with pytest.raises(PermissionDenied):
        services.notice_update(actor=world.bob, notice=n, changes={"pinned": False})


def test_withdraw_needs_a_reason(world):
    n = create(world)
    publish(world, n)
    with pytest.raises(ValidationFailed):
        services.notice_transition(actor=world.alice, notice=n, action="withdraw")
    services.notice_transition(actor=world.alice, notice=n, action="withdraw", note="发错了")
    assert n.state == NoticeState.WITHDRAWN
    assert sel.shown_state(n) == sel.Shown.WITHDRAWN


# --- schedule, expiry, delivery --------------------------------------------------------------

def test_a_scheduled_notice_shows_and_is_delivered_when_its_time_comes(world):
    life.rita_record(world)
    now = timezone.now()
    n = create(world, publish_at=now + timedelta(hours=2))
    publish(world, n)
    assert sel.shown_state(n) == sel.Shown.SCHEDULED
    assert not notices_visible(world.rita).filter(pk=n.pk).exists()
    assert services.notices_deliver(now=now) == 0
    later = now + timedelta(hours=3)
    assert services.notices_deliver(now=later) == 1
    assert services.notices_deliver(now=later) == 0
    assert Notification.objects.filter(recipient=world.rita).count() == 1
    n.refresh_from_db()
    assert (n.delivered_at, n.audience) == (later, 1)
    assert notices_visible(world.rita, now=later).filter(pk=n.pk).exists()


def test_publishing_now_delivers_once_and_urgent_says_so(world, django_capture_on_commit_callbacks):
    life.rita_record(world)
    n = create(world, kind=NoticeKind.URGENT, title="燃气泄漏排查")
    with django_capture_on_commit_callbacks(execute=True):
        publish(world, n)
    assert services.notice_deliver(n.pk) is False  # already delivered
    message = Notification.objects.get(recipient=world.rita)
    assert "燃气泄漏排查" in message.title and message.title != "燃气泄漏排查"
    assert not Notification.objects.filter(recipient=world.alice).exists()


def test_an_expired_notice_is_gone_for_residents(world):
    life.rita_record(world)
    now = timezone.now()
    n = life.notice(world, publish_at=now - timedelta(days=2),
                    expires_at=now - timedelta(days=1))
    assert sel.shown_state(n) == sel.Shown.EXPIRED
    assert not notices_visible(world.rita).filter(pk=n.pk).exists()
    assert notices_visible(world.alice).filter(pk=n.pk).exists()
    assert services.notice_read(actor=world.rita, notice=n) is None


def test_a_care_group_notice_reaches_only_residents_with_the_tag(world):
    standard_tags()
    record = life.rita_record(world)
    other = life.readers(world, 1)[0]
    cared_for(world.alice, record, world.gina)
    n = life.notice(world, care_tag=tag("lonely_elderly"))
    services.notice_deliver(n.pk)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["rita"]
    assert not notices_visible(other).filter(pk=n.pk).exists()
    assert sel.read_rate(n).audience == 1


# --- read receipts ---------------------------------------------------------------------------

def test_a_households_first_reader_is_its_receipt_and_reading_again_changes_nothing(world):
    record = life.rita_record(world)
    n = life.notice(world)
    first = services.notice_read(actor=world.rita, notice=n)
    again = services.notice_read(actor=world.rita, notice=n)
    assert first is not None and again is not None and first.pk == again.pk
    partner = cast(User, UserFactory(username="partner"))
    assign(partner, Role.RESIDENT, world.dwelling_a)
    life.household_member(world.alice, record, "李大伟", user=partner, relation="spouse")
    third = services.notice_read(actor=partner, notice=n)
    assert third is not None and third.user == world.rita
    assert NoticeRead.objects.count() == 1


def test_staff_reading_do_not_count(world):
    n = life.notice(world)
    assert services.notice_read(actor=world.alice, notice=n) is None
    assert services.notice_read(actor=world.gina, notice=n) is None
    assert NoticeRead.objects.count() == 0


def test_the_read_rate_is_exact_3_of_8_households(world):
    users = life.readers(world, 8)
    n = life.notice(world, kind=NoticeKind.URGENT)
    for user in users[:3]:
        services.notice_read(actor=user, notice=n)
    rate = sel.read_rate(n)
    assert (rate.read, rate.audience, rate.percent) == (3, 8, 37)
    unread = sel.unread_households(n)
    assert [b for b, _rows in unread] == ["花楼小区 1栋"]
    assert len(unread[0][1]) == 5
    assert {row.head for row in unread[0][1]} == {"张*兰"}
    assert [row.address for row in unread[0][1]] == [f"1单元 r{n}" for n in range(1004, 1009)]


def test_buildings_of_the_same_name_in_two_estates_are_two_groups(world):
    from linli.orgs.tests.factories import make_area

    other = make_area("building", "1栋", make_area("estate", "统一街小区", world.grid_a2))
    life.readers(world, 2)
    life.readers(world, 1, parent=make_area("entrance", "2单元", other), prefix="o")
    n = life.notice(world, kind=NoticeKind.URGENT)
    unread = sel.unread_households(n)
    assert [(b, len(rows)) for b, rows in unread] == [("花楼小区 1栋", 2), ("统一街小区 1栋", 1)]


def test_a_household_moved_out_leaves_the_audience_and_its_read_too(world):
    users = life.readers(world, 4)
    n = life.notice(world)
    services.notice_read(actor=users[0], notice=n)
    services.notice_read(actor=users[1], notice=n)
    record = users[0].resident_record
    people.household_move_out(actor=world.alice, household=record.household)
    rate = sel.read_rate(n)
    assert (rate.read, rate.audience) == (1, 3)


def test_a_building_notice_counts_only_its_households(world):
    inside = life.readers(world, 2)
    from linli.orgs.tests.factories import make_area

    other_building = make_area("building", "9栋", world.estate_a)
    life.readers(world, 3, parent=other_building, prefix="o")
    n = life.notice(world, area=world.building_a)
    services.notice_read(actor=inside[0], notice=n)
    assert (sel.read_rate(n).read, sel.read_rate(n).audience) == (1, 2)


def test_the_unread_list_is_for_urgent_notices_and_staff_serving_the_place(world):
    urgent = life.notice(world, kind=NoticeKind.URGENT)
    plain = life.notice(world)
    assert sel.may_see_unread(world.gina, urgent)
    assert not sel.may_see_unread(world.gina, plain)
    assert not sel.may_see_unread(world.bob, urgent)
    assert not sel.may_see_unread(world.rita, urgent)


def test_home_tiles(world):
    life.rita_record(world)
    life.readers(world, 1)
    n = life.notice(world, kind=NoticeKind.URGENT)
    assert [t.key for t in sel.home_tiles(world.rita)] == ["notices-unread"]
    assert [t.count for t in sel.home_tiles(world.alice)] == [1]
    services.notice_read(actor=world.rita, notice=n)
    assert sel.home_tiles(world.rita) == []
    assert [t.key for t in sel.home_tiles(world.gina)] == ["notices-urgent"]
