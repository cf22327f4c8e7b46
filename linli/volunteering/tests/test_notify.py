"""Who hears about what, through the inbox: the wish published (its requester), a task
claimed (the publisher and the requester), hours to confirm (the same), work confirmed
(the volunteer, with the points). Nobody is told of their own act; a rerun adds nothing."""

import pytest

from linli.notifications.models import Notification
from linli.volunteering import services
from linli.volunteering.models import Event
from linli.volunteering.notify import event_notify
from linli.volunteering.services_claims import claim_create
from linli.volunteering.tests.factories import wish

pytestmark = pytest.mark.django_db


def _inbox() -> list[tuple[str, str, str]]:
    return sorted(Notification.objects.values_list("recipient__username", "kind", "link"))


def test_a_wish_walked_to_points_tells_each_person_once(vw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = wish(vw)
        task = services.wish_publish(actor=vw.alice, wish=w, title="陪同就医")
    url = f"/volunteering/tasks/{task.pk}/"
    assert _inbox() == [("rita", "volunteering.wish_published", url)]
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_create(actor=vw.vera, task=task)
    assert Notification.objects.filter(kind="volunteering.task_claimed").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.transition(actor=vw.vera, obj=claim, action="report", hours="2")
    to_confirm = Notification.objects.filter(kind="volunteering.hours_to_confirm")
    assert sorted(to_confirm.values_list("recipient__username", flat=True)) == [
        "alice", "rita"]
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(actor=vw.rita, obj=claim, action="confirm", rating=5)
    done = Notification.objects.get(kind="volunteering.work_confirmed")
    assert (done.recipient, done.link) == (vw.vera, "/volunteering/me/")
    assert "20" in done.body  # the points earned
    assert Notification.objects.filter(recipient=vw.vera).count() == 1
    before = Notification.objects.count()
    for event in Event.objects.all():
        event_notify(event.pk)  # a retried task
    assert Notification.objects.count() == before


def test_a_declined_wish_tells_the_requester_why(vw, django_capture_on_commit_callbacks):
    w = wish(vw)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(actor=vw.alice, obj=w, action="decline", note="请联系物业")
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (vw.rita, "volunteering.wish_declined")
    assert "请联系物业" in note.body
