"""Posting a wish, and what staff and the requester may do with it."""

from datetime import timedelta

import pytest

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.volunteering import services
from linli.volunteering.models import Event, Task, TaskKind, TaskState, Wish, WishState
from linli.volunteering.tests.factories import window, wish

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Wish.objects.count(), Task.objects.count(), Event.objects.count()


def test_a_resident_posts_a_wish_in_their_own_community(vw):
    w = wish(vw)
    assert (w.state, w.community, w.area, w.requester) == (
        WishState.POSTED, vw.community_a, vw.dwelling_a, vw.rita)
    assert list(w.events.values_list("action", "from_state", "to_state")) == [
        ("post", "", "posted")]
    assert AuditEntry.objects.filter(action="volunteering.wish_posted").count() == 1


def test_a_resident_may_name_any_place_in_their_community(vw):
    assert wish(vw, area=vw.grid_a2).community == vw.community_a


@pytest.mark.parametrize("who", ["bob", "alice", "nobody", "val"])
def test_only_residents_of_the_community_post_wishes(vw, who):
    before = _counts()
    with pytest.raises(PermissionDenied) as exc:
        wish(vw, actor=getattr(vw, who))
    assert exc.value.code == "outside_community"
    assert _counts() == before


def test_a_resident_cannot_post_in_another_community(vw):
    with pytest.raises(PermissionDenied):
        wish(vw, area=vw.dwelling_b)
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize(("field", "value", "code"), [
    ("description", "   ", "empty"),
    ("description", "长" * 1001, "too_long"),
    ("category", "gardening", "bad_category"),
    ("area", None, "bad_area"),
])
def test_bad_wishes_are_refused(vw, field, value, code):
    with pytest.raises(ValidationFailed) as exc:
        wish(vw, **{field: value})
    assert exc.value.code == code
    assert _counts() == (0, 0, 0)


def test_a_window_that_ends_before_it_starts_or_is_over_is_refused(vw):
    start, end = window()
    for starts_at, ends_at in [(end, start), (start, start),
                               (start - timedelta(days=3), end - timedelta(days=3))]:
        with pytest.raises(ValidationFailed) as exc:
            wish(vw, starts_at=starts_at, ends_at=ends_at)
        assert exc.value.code == "bad_window"
    assert _counts() == (0, 0, 0)


def test_a_dispatcher_publishes_a_wish_as_a_task(vw):
    w = wish(vw)
    task = services.wish_publish(actor=vw.alice, wish=w, title="陪同就医", volunteers_needed=2,
                                 points_offered=30)
    w.refresh_from_db()
    assert w.state == WishState.PUBLISHED and w.published_at is not None
    assert (task.state, task.kind, task.source_wish, task.volunteers_needed,
            task.points_offered, task.published_by) == (
        TaskState.PUBLISHED, TaskKind.WISH, w, 2, 30, vw.alice)
    assert (task.starts_at, task.ends_at, task.area) == (w.starts_at, w.ends_at, w.area)
    assert list(task.events.values_list("action", flat=True)) == ["create", "publish"]
    assert list(w.events.values_list("action", flat=True)) == ["post", "publish"]


def test_the_grid_worker_of_the_place_publishes_too(vw):
    task = services.wish_publish(actor=vw.gina, wish=wish(vw))
    assert task.published_by == vw.gina
    assert task.title == "想请人陪我去医院复查"  # the wish's first line


@pytest.mark.parametrize("who", ["bob", "rita", "uma", "leo", "vera"])
def test_others_may_not_publish_a_wish(vw, who):
    w = wish(vw)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.wish_publish(actor=getattr(vw, who), wish=w)
    w.refresh_from_db()
    assert w.state == WishState.POSTED and _counts() == before


def test_a_wish_is_published_once(vw):
    w = wish(vw)
    services.wish_publish(actor=vw.alice, wish=w)
    with pytest.raises(ValidationFailed) as exc:
        services.wish_publish(actor=vw.gina, wish=Wish.objects.get(pk=w.pk))
    assert exc.value.code == "transition_not_allowed"
    assert Task.objects.count() == 1


def test_declining_needs_a_reason_and_tells_the_requester(vw):
    w = wish(vw)
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=vw.alice, obj=w, action="decline", note=" ")
    assert exc.value.code == "note_required"
    w = services.transition(actor=vw.alice, obj=w, action="decline", note="请联系物业维修")
    assert (w.state, w.closed_at is not None) == (WishState.DECLINED, True)


def test_the_requester_cancels_a_posted_wish_and_nobody_else(vw):
    w = wish(vw)
    with pytest.raises(PermissionDenied):
        services.transition(actor=vw.alice, obj=w, action="cancel")
    w = services.transition(actor=vw.rita, obj=w, action="cancel")
    assert w.state == WishState.CANCELLED


def test_the_requester_may_not_publish_their_own_wish(vw):
    with pytest.raises(PermissionDenied):
        services.transition(actor=vw.rita, obj=wish(vw), action="publish")


def test_system_moves_cannot_be_asked_for(vw):
    w = wish(vw)
    services.wish_publish(actor=vw.alice, wish=w)
    w.refresh_from_db()
    for who in (vw.alice, vw.rita):
        with pytest.raises(PermissionDenied):
            services.transition(actor=who, obj=w, action="fulfil")
    w.refresh_from_db()
    assert w.state == WishState.PUBLISHED
