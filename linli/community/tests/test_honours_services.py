"""Honour boards (services.honours): the black list's limits, approval before residents see
an entry, the right of reply, who hears."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.community.models import BoardKind, EntryState, HonourEntry, Period, SubjectKind
from linli.community.selectors import entries_visible
from linli.community.selectors_honours import board_entries, home_tiles, review_queue
from linli.community.services import honours as services
from linli.community.tests.factories import board, entry
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.notifications.models import Notification
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db


def jpeg(name="a.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (16, 16), "green")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_board_create_by_staff_of_the_place_only(world):
    made = services.board_create(actor=world.alice, area=world.community_a,
                                 kind=BoardKind.RED, title="红榜", period=Period.QUARTER)
    assert made.area_path == world.community_a.path
    with pytest.raises(PermissionDenied):
        services.board_create(actor=world.bob, area=world.community_a, kind="red", title="x")
    with pytest.raises(ValidationFailed):
        services.board_create(actor=world.alice, area=world.building_a, kind="red", title="x")
    with pytest.raises(ValidationFailed):
        services.board_create(actor=world.alice, area=world.community_a, kind="pink",
                              title="x")
    services.board_update(actor=world.alice, board=made, title="红黑榜", is_active=False)
    made.refresh_from_db()
    assert made.title == "红黑榜" and not made.is_active
    with pytest.raises(PermissionDenied):
        services.board_update(actor=world.rita, board=made, title="x")


def test_period_start():
    from datetime import date

    assert services.period_start("month", date(2026, 8, 17)) == date(2026, 8, 1)
    assert services.period_start("quarter", date(2026, 8, 17)) == date(2026, 7, 1)
    assert services.period_start("year", date(2026, 8, 17)) == date(2026, 1, 1)


def test_a_resident_nominates_with_photos_stripped_and_it_waits_for_approval(world, rita,
                                                                            settings,
                                                                            tmp_path):
    settings.MEDIA_ROOT = tmp_path
    good = board(world)
    made = services.entry_nominate(actor=world.rita, board=good, subject_kind="person",
                                   subject_name="王阿姨", reason="照顾独居老人",
                                   photos=[jpeg()])
    assert made.state == EntryState.NOMINATED and made.photos.count() == 1
    with Image.open(made.photos.get().file.path) as stored:
        assert not stored.getexif()
    neighbour = resident(world.alice, world.dwelling_a, "邻居")
    assert neighbour  # another resident without a login
    other = _resident_user(world, "ron")
    assert not entries_visible(other).filter(pk=made.pk).exists()
    assert entries_visible(world.rita).filter(pk=made.pk).exists()  # their own
    assert review_queue(world.alice).filter(pk=made.pk).exists()
    assert not board_entries(other, good).exists()
    services.entry_transition(actor=world.alice, entry=made, action="approve")
    assert board_entries(other, good).filter(pk=made.pk).exists()
    assert not review_queue(world.alice).exists()


def _resident_user(world, username):
    from linli.community.tests.factories import resident_user

    return resident_user(world.alice, world.dwelling_a, username)


def test_outsiders_may_not_nominate_and_a_resident_may_not_pick_registry_people(world, rita):
    good = board(world)
    with pytest.raises(PermissionDenied):
        services.entry_nominate(actor=world.bob, board=good, subject_kind="behaviour",
                                subject_name="x", reason="y")
    with pytest.raises(PermissionDenied):
        services.entry_nominate(actor=world.rita, board=good, subject_kind="person",
                                resident=rita, reason="y")
    made = services.entry_nominate(actor=world.alice, board=good, subject_kind="person",
                                   resident=rita, reason="热心")
    assert made.subject_name == "李丽" and made.household_id == rita.household_id


def test_the_period_is_never_in_the_future(world, rita):
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(ValidationFailed):
        services.entry_nominate(actor=world.rita, board=board(world), subject_kind="behaviour",
                                subject_name="x", reason="y",
                                period=timezone.localdate() + timedelta(days=40))


@pytest.mark.parametrize("kind", [SubjectKind.PERSON, SubjectKind.HOUSEHOLD])
def test_a_black_board_refuses_a_person_or_household(world, rita, kind):
    black = board(world, kind=BoardKind.BLACK, title="黑榜")
    with pytest.raises(ValidationFailed) as refused:
        services.entry_nominate(actor=world.alice, board=black, subject_kind=kind,
                                subject_name="张三", reason="乱停车")
    assert refused.value.code == "private_person"
    assert not HonourEntry.objects.exists()


@pytest.mark.parametrize("text", ["占用消防通道，联系电话13812345678",
                                  "车主身份证420103199001011234",
                                  "电话 027-85551234"])
def test_a_black_board_refuses_phone_and_id_numbers(world, text):
    black = board(world, kind=BoardKind.BLACK, title="黑榜")
    with pytest.raises(ValidationFailed) as refused:
        services.entry_nominate(actor=world.alice, board=black, subject_kind="unit",
                                unit=world.unit_a, reason=text)
    assert refused.value.code == "private_data"
    assert not HonourEntry.objects.exists()


def test_a_black_board_names_a_unit_or_behaviour(world):
    black = board(world, kind=BoardKind.BLACK, title="黑榜")
    unit = services.entry_nominate(actor=world.alice, board=black, subject_kind="unit",
                                   unit=world.unit_a, reason="占用消防通道")
    assert unit.subject_name == "花楼物业"
    services.entry_nominate(actor=world.alice, board=black, subject_kind="behaviour",
                            subject_name="高空抛物", reason="3栋高空抛物")
    with pytest.raises(ValidationFailed):
        services.entry_nominate(actor=world.alice, board=black, subject_kind="unit",
                                unit=world.unit_b, reason="不在本社区")


def test_approve_decline_and_who_hears(world, rita, django_capture_on_commit_callbacks):
    good = board(world)
    first = services.entry_nominate(actor=world.rita, board=good, subject_kind="unit",
                                    unit=world.unit_a, reason="维修及时")
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_transition(actor=world.alice, entry=first, action="approve")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "uma", "rita"}
    second = services.entry_nominate(actor=world.rita, board=good, subject_kind="behaviour",
                                     subject_name="捡到钱包", reason="归还失主")
    with pytest.raises(ValidationFailed):
        services.entry_transition(actor=world.alice, entry=second, action="decline")
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_transition(actor=world.alice, entry=second, action="decline",
                                  note="无法核实")
    assert Notification.objects.filter(recipient=world.rita).count() == 2
    with pytest.raises(PermissionDenied):
        services.entry_transition(actor=world.gina, entry=first, action="withdraw",
                                  note="x")


def test_reply_rights(world, rita):
    good = board(world, kind=BoardKind.RED, title="红榜")
    by_unit = entry(good, actor=world.alice, subject_kind="unit", subject_name="花楼物业",
                    unit=world.unit_a, state="approved")
    reply = services.reply_add(actor=world.uma, entry=by_unit, text="已整改")
    assert reply.on_behalf == ""
    with pytest.raises(PermissionDenied):
        services.reply_add(actor=world.rita, entry=by_unit, text="我也说两句")
    with pytest.raises(ValidationFailed) as refused:
        services.reply_add(actor=world.alice, entry=by_unit, text="纸面回复")
    assert refused.value.code == "on_behalf_required"
    paper = services.reply_add(actor=world.alice, entry=by_unit, text="纸面回复",
                               on_behalf="花楼物业 王经理")
    assert paper.on_behalf == "花楼物业 王经理"
    person = entry(good, actor=world.alice, subject_name="李丽", resident=rita,
                   household=rita.household, state="approved")
    services.reply_add(actor=world.rita, entry=person, text="谢谢")
    pending = entry(good, actor=world.alice, subject_kind="unit", subject_name="花楼物业",
                    unit=world.unit_a)
    with pytest.raises(ValidationFailed):
        services.reply_add(actor=world.uma, entry=pending, text="x")


def test_home_tiles(world, rita):
    good = board(world)
    assert [t.key for t in home_tiles(world.rita)] == ["honours-board"]
    entry(good, actor=world.rita)
    assert [t.key for t in home_tiles(world.alice)] == ["honours-review"]
