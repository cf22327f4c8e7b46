"""Who hears about what, through the inbox: the wish published (its requester), a task
claimed or given up (the publisher and the requester), hours to confirm (the same), work
confirmed (the volunteer, with the points and why fewer) or rejected (the volunteer, with
the reason). Nobody is told of their own act; a rerun adds nothing."""


import pytest

from linli.notifications.models import Notification
from linli.points.models import EarningRule
from linli.volunteering import services
from linli.volunteering.models import ClaimState, Event
from linli.volunteering.notify import event_notify
from linli.volunteering.services_claims import claim_create
from linli.volunteering.tests.factories import claim, task, wish, wish_task

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


def _english(*users) -> None:
    """Read the bodies as their msgids: these readers chose English."""
    for user in users:
        type(user).objects.filter(pk=user.pk).update(language="en")


def test_rejected_hours_tell_the_volunteer_why(vw, django_capture_on_commit_callbacks):
    _english(vw.vera)
    with django_capture_on_commit_callbacks(execute=True):
        c = claim(vw, task(vw), state=ClaimState.REPORTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(actor=vw.alice, obj=c, action="reject", note="当天没有来")
    note = Notification.objects.get(kind="volunteering.work_rejected")
    assert (note.recipient, note.link) == (vw.vera, "/volunteering/claims/mine/")
    assert note.title.startswith("Your hours were not confirmed") and "当天没有来" in note.body


def test_a_volunteer_withdrawing_tells_the_confirmers(vw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        t = wish_task(vw)
        c = claim_create(actor=vw.vera, task=t)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(actor=vw.vera, obj=c, action="withdraw")
    told = Notification.objects.filter(kind="volunteering.claim_withdrawn")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["alice", "rita"]
    assert all(n.link == f"/volunteering/tasks/{t.pk}/" for n in told)


def test_a_cancelled_task_tells_its_volunteers_once(vw, django_capture_on_commit_callbacks):
    """Cancelling withdraws the claims too; the volunteers hear of the cancellation only,
    and the staff who cancelled hear nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        t = task(vw)
        claim_create(actor=vw.vera, task=t)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(actor=vw.alice, obj=t, action="cancel", note="下雨")
    assert not Notification.objects.filter(kind="volunteering.claim_withdrawn").exists()
    assert list(Notification.objects.filter(kind="volunteering.task_cancelled")
                .values_list("recipient__username", flat=True)) == ["vera"]


def _confirmed_body(vw, hours: str, callbacks) -> str:
    with callbacks(execute=True):
        claim(vw, task(vw), state=ClaimState.CONFIRMED, hours=hours)
    return Notification.objects.filter(kind="volunteering.work_confirmed").latest("id").body


def test_points_held_back_by_the_cap_are_explained(vw, django_capture_on_commit_callbacks):
    """10 points an hour, at most 200 a month: 15 hours pay 150, the next 10 pay 50, the
    next pay nothing; the volunteer is told why rather than left to wonder."""
    _english(vw.vera)
    full = _confirmed_body(vw, "15", django_capture_on_commit_callbacks)
    assert full == "15.0 hours confirmed, 150 points earned. Thank you!"
    part = _confirmed_body(vw, "10", django_capture_on_commit_callbacks)
    assert part.startswith("10.0 hours confirmed, 50 points earned: you have reached")
    none = _confirmed_body(vw, "2", django_capture_on_commit_callbacks)
    assert none.startswith("2.0 hours confirmed, 0 points earned: you have reached")


def test_hours_without_an_hourly_rule_say_so(vw, django_capture_on_commit_callbacks):
    _english(vw.vera)
    EarningRule.objects.filter(pk=vw.rule_a.pk).update(is_active=False)
    body = _confirmed_body(vw, "2", django_capture_on_commit_callbacks)
    assert body.startswith("2.0 hours confirmed. This community gives no points")


def test_fixed_points_are_never_called_capped(vw, django_capture_on_commit_callbacks):
    _english(vw.vera)
    with django_capture_on_commit_callbacks(execute=True):
        claim(vw, task(vw, points=5), state=ClaimState.CONFIRMED, hours="8")
    body = Notification.objects.get(kind="volunteering.work_confirmed").body
    assert body == "8.0 hours confirmed, 5 points earned. Thank you!"
