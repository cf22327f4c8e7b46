"""Activities (services.activities, reminders, notify_activities) on exact fixtures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community import services
from linli.community.models import Activity, ActivityPhoto, SignUpState
from linli.community.services.reminders import activities_remind
from linli.community.tests.factories import activity, household_member, signup
from linli.community.tests.test_activities_kit import data, jpeg, media_root  # noqa: F401
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notifications.models import Notification
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_create_draft_with_a_code(world):
    made = services.activity_create(actor=world.alice, area=world.community_a, data=data())
    assert made.state == "draft" and len(made.check_in_code) == 4
    assert made.area_path == world.community_a.path and made.taken == 0


@pytest.mark.parametrize(("change", "code"), [
    ({"title": " "}, "title_required"), ({"title": "x" * 81}, "too_long"),
    ({"kind": "party"}, "bad_kind"), ({"capacity": 0}, "bad_capacity"),
    ({"capacity": 2001}, "bad_capacity"), ({"venue": ""}, "bad_venue"),
    ({"ends_before": True}, "bad_times"), ({"organiser": "x"}, "bad_organiser"),
])
def test_create_refuses_bad_input(world, change, code):
    with pytest.raises(ValidationFailed) as refused:
        services.activity_create(actor=world.alice, area=world.community_a, data=data(**change))
    assert refused.value.code == code
    assert not Activity.objects.exists()


def test_create_only_where_managed(world):
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=world.bob, area=world.community_a, data=data())
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=world.rita, area=world.community_a, data=data())
    with pytest.raises(ValidationFailed):
        services.activity_create(actor=world.alice, area=world.dwelling_a, data=data())
    made = services.activity_create(actor=world.gina, area=world.building_a, data=data())
    assert made.area == world.building_a


def test_update_capacity_never_below_taken_and_raise_promotes(world, rita):
    act = activity(world, capacity=1)
    kid = household_member(world.alice, rita, "李小明")
    services.signup_create(actor=world.rita, activity=act, resident=rita)
    waiting = services.signup_create(actor=world.rita, activity=act, resident=kid)
    assert waiting.state == SignUpState.WAITING
    act.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        services.activity_update(actor=world.alice, activity=act, data=data(capacity=0))
    assert refused.value.code == "bad_capacity"
    services.activity_update(actor=world.alice, activity=act,
                             data=data(capacity=2, starts_at=act.starts_at))
    waiting.refresh_from_db()
    act.refresh_from_db()
    assert waiting.state == SignUpState.CONFIRMED and act.taken == 2 and act.capacity == 2
    with pytest.raises(ValidationFailed) as refused:
        services.activity_update(actor=world.alice, activity=act, data=data(capacity=1))
    assert refused.value.code == "below_taken"
    with pytest.raises(Conflict):
        services.activity_update(actor=world.alice, activity=act, data=data(),
                                 expected_version=act.version - 1)


def test_publish_cancel_and_no_edit_after(world, rita, django_capture_on_commit_callbacks):
    made = services.activity_create(actor=world.alice, area=world.community_a, data=data())
    services.activity_transition(actor=world.alice, activity=made, action="publish")
    assert made.state == "published" and made.published_at is not None
    signup(made, rita, by=world.rita)
    with pytest.raises(ValidationFailed):
        services.activity_transition(actor=world.alice, activity=made, action="cancel")
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_transition(actor=world.alice, activity=made, action="cancel",
                                     note="暴雨预警")
    assert made.state == "cancelled"
    told = Notification.objects.get(kind="community.activity_cancelled")
    assert told.recipient == world.rita and "暴雨预警" in told.body
    with pytest.raises(ValidationFailed) as refused:
        services.activity_update(actor=world.alice, activity=made, data=data())
    assert refused.value.code == "not_editable"


def test_report_with_photos_after_the_end(world, media_root):  # noqa: F811
    now = timezone.now()
    act = activity(world, starts_at=now - timedelta(hours=3), signup_opens_at=now
                   - timedelta(days=2))
    with pytest.raises(ValidationFailed) as refused:
        services.activity_transition(actor=world.alice, activity=act, action="report")
    assert refused.value.code == "report_required"
    with pytest.raises(PermissionDenied):
        services.activity_transition(actor=world.bob, activity=act, action="report",
                                     report="好")
    services.activity_transition(actor=world.alice, activity=act, action="report",
                                 report="三十人参加。", photos=[jpeg(gps=True), jpeg()])
    act.refresh_from_db()
    assert act.state == "reported" and act.report == "三十人参加。"
    photos = list(ActivityPhoto.objects.filter(activity=act))
    assert len(photos) == 2 and all(p.thumbnail for p in photos)
    from PIL import Image

    with photos[0].file.open("rb") as f, Image.open(f) as image:
        assert not image.getexif()
    with pytest.raises(ValidationFailed) as refused:
        services.activity_photos_add(actor=world.alice, activity=act,
                                     photos=[jpeg() for _ in range(8)])
    assert refused.value.code == "too_many_photos"


def test_report_not_before_the_end(world):
    act = activity(world)
    with pytest.raises(ValidationFailed) as refused:
        services.activity_transition(actor=world.alice, activity=act, action="report",
                                     report="好")
    assert refused.value.code == "not_ended"


def test_new_code(world):
    act = activity(world)
    changed = services.activity_new_code(actor=world.alice, activity=act)
    assert changed.check_in_code != "2468"
    with pytest.raises(PermissionDenied):
        services.activity_new_code(actor=world.rita, activity=act)


def test_reminders_once(world, rita):
    now = timezone.now()
    soon = activity(world, starts_at=now + timedelta(hours=20))
    later = activity(world, starts_at=now + timedelta(days=3))
    kid = household_member(world.alice, rita, "李小明")
    signup(soon, rita, by=world.rita)
    signup(soon, kid, by=world.rita)
    assert activities_remind(now=now) == 1
    assert activities_remind(now=now) == 0
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None
    # Two sign-ups, one account: one message for each sign-up (their own key).
    assert Notification.objects.filter(kind="community.activity_reminder",
                                       recipient=world.rita).count() == 2
