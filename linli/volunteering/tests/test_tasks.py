"""Staff publish tasks of their own; completing or cancelling a task settles its wish."""

import pytest

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.volunteering import services
from linli.volunteering.models import ClaimState, Task, TaskState, WishState
from linli.volunteering.tests.factories import claim, task, wish_task

pytestmark = pytest.mark.django_db


def test_staff_publish_a_task_of_their_own(vw):
    t = task(vw, needed=3, points=20)
    assert (t.state, t.community, t.volunteers_needed, t.claimed_count, t.points_offered,
            t.published_by, t.source_wish) == (
        TaskState.PUBLISHED, vw.community_a, 3, 0, 20, vw.alice, None)


def test_a_draft_is_published_later(vw):
    t = task(vw, publish=False)
    assert (t.state, t.published_by) == (TaskState.DRAFT, None)
    t = services.transition(actor=vw.gina, obj=t, action="publish")
    assert (t.state, t.published_by) == (TaskState.PUBLISHED, vw.gina)


@pytest.mark.parametrize("who", ["bob", "rita", "vera", "uma", "leo", "nobody"])
def test_only_staff_of_the_place_create_tasks(vw, who):
    with pytest.raises(PermissionDenied):
        task(vw, actor=getattr(vw, who))
    assert Task.objects.count() == 0


def test_a_grid_worker_publishes_only_within_their_grid(vw):
    with pytest.raises(PermissionDenied):
        task(vw, actor=vw.gina, area=vw.grid_a2)
    assert task(vw, actor=vw.gina, area=vw.grid_a1).published_by == vw.gina


@pytest.mark.parametrize(("fields", "code"), [
    ({"needed": 0}, "bad_volunteers"), ({"needed": 201}, "bad_volunteers"),
    ({"points": -1}, "bad_points"), ({"points": 1001}, "bad_points"),
    ({"kind": "party"}, "bad_kind"), ({"title": " "}, "empty"),
])
def test_bad_tasks_are_refused(vw, fields, code):
    with pytest.raises(ValidationFailed) as exc:
        task(vw, **fields)
    assert exc.value.code == code
    assert Task.objects.count() == 0


def test_completing_a_wish_task_fulfils_the_wish(vw):
    t = wish_task(vw)
    t = services.transition(actor=vw.alice, obj=t, action="start")
    t = services.transition(actor=vw.alice, obj=t, action="complete")
    wish = t.source_wish
    wish.refresh_from_db()
    assert (t.state, wish.state) == (TaskState.COMPLETED, WishState.FULFILLED)
    assert list(wish.events.values_list("action", "actor")) == [
        ("post", vw.rita.pk), ("publish", vw.alice.pk), ("fulfil", None)]


def test_cancelling_withdraws_waiting_claims_and_drops_the_wish(vw):
    t = wish_task(vw, needed=2)
    c = claim(vw, t)
    t.refresh_from_db()
    t = services.transition(actor=vw.alice, obj=t, action="cancel", note="天气原因取消")
    c.refresh_from_db()
    t.source_wish.refresh_from_db()
    assert (t.state, t.claimed_count, c.state, t.source_wish.state) == (
        TaskState.CANCELLED, 0, ClaimState.WITHDRAWN, WishState.CANCELLED)


def test_a_task_under_way_is_not_cancelled(vw):
    t = task(vw)
    claim(vw, t, state=ClaimState.REPORTED)
    t.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=vw.alice, obj=t, action="cancel", note="取消")
    t.refresh_from_db()
    assert (exc.value.code, t.state) == ("task_started", TaskState.PUBLISHED)


def test_a_completed_task_cannot_be_cancelled(vw):
    t = services.transition(actor=vw.alice, obj=task(vw), action="complete")
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=vw.alice, obj=t, action="cancel", note="取消")
    assert exc.value.code == "transition_not_allowed"


def test_a_stale_copy_loses_to_the_move_made_first(vw):
    t = task(vw)
    stale = Task.objects.get(pk=t.pk)
    services.transition(actor=vw.alice, obj=t, action="start")
    with pytest.raises(Exception) as exc:
        services.transition(actor=vw.gina, obj=stale, action="complete")
    assert getattr(exc.value, "code", "") == "conflict"
    t.refresh_from_db()
    assert t.state == TaskState.IN_PROGRESS
    assert t.events.filter(action="complete").count() == 0


def test_system_moves_of_a_task_cannot_be_asked_for(vw):
    t = task(vw)
    for action in ("fill", "reopen"):
        with pytest.raises(PermissionDenied):
            services.transition(actor=vw.alice, obj=t, action=action)
    t.refresh_from_db()
    assert (t.state, t.events.count()) == (TaskState.PUBLISHED, 2)
