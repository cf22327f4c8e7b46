import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from linli.core.errors import PermissionDenied
from linli.notifications.models import Delivery, Notification
from linli.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from linli.notifications.tests.factories import note
from linli.notifications.text import Text

pytestmark = pytest.mark.django_db


def test_notify_writes_one_row_per_distinct_active_recipient(world):
    world.nobody.is_active = False
    world.nobody.save()
    ids = notify(recipients=[world.rita, world.uma, world.rita, world.nobody, None],
                 kind="case.rate", title="标题", body="正文", link="/cases/7/")
    rows = Notification.objects.filter(pk__in=ids)
    assert sorted(r.recipient.username for r in rows) == ["rita", "uma"]
    assert {(r.kind, r.title, r.body, r.link, r.read_at) for r in rows} == {
        ("case.rate", "标题", "正文", "/cases/7/", None)}


def test_notify_names_its_subject_by_model_label_and_key(world):
    notify(recipients=[world.rita], kind="t", title="x", subject=world.uma)
    notify(recipients=[world.uma], kind="t", title="y")
    assert sorted(Notification.objects.values_list("title", "subject_type", "subject_id")) == [
        ("x", world.uma._meta.label_lower, world.uma.pk), ("y", "", None)]


def test_notify_renders_in_each_recipients_language(world):
    world.uma.language = "en"
    world.uma.save()
    # "%(rating)s!" is not marked for translation, so it reads the same in both languages;
    # its parameter and the body are translated ones.
    notify(recipients=[world.rita, world.uma], kind="t",
           title=Text("%(rating)s!", {"rating": gettext_lazy("satisfied")}),
           body=gettext_lazy("urgent"))
    by_user = {n.recipient.username: (n.title, n.body) for n in Notification.objects.all()}
    assert by_user == {"rita": ("满意!", "加急"), "uma": ("satisfied!", "urgent")}


def test_notify_with_a_source_key_adds_nothing_the_second_time(world):
    first = notify(recipients=[world.rita, world.uma], kind="t", title="x",
                   source_key="case_event:1")
    again = notify(recipients=[world.rita, world.uma], kind="t", title="x",
                   source_key="case_event:1")
    assert sorted(first) == sorted(again)
    assert Notification.objects.count() == 2


def test_notify_queues_delivery_after_commit(world, settings,
                                             django_capture_on_commit_callbacks):
    settings.EMAIL_ENABLED = True
    settings.NOTIFY_CHANNELS = ["in_app", "email"]
    world.rita.email = "rita@example.cn"
    world.rita.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[world.rita, world.uma], kind="t", title="x")
    assert len(callbacks) == 2 and Delivery.objects.count() == 0
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(state="sent").count() == 3
    assert Delivery.objects.filter(state="skipped").count() == 1


def test_notify_without_recipients_does_nothing(world):
    assert notify(recipients=[], kind="t", title="x") == []
    assert Notification.objects.count() == 0


def test_mark_read_refuses_someone_elses_notification(world):
    theirs = note(world.alice)
    with pytest.raises(PermissionDenied):
        notification_mark_read(actor=world.rita, notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_counts_only_mine(world):
    note(world.rita)
    note(world.rita)
    note(world.alice)
    assert notifications_mark_all_read(actor=world.rita) == 2
    assert notifications_mark_all_read(actor=world.rita) == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
