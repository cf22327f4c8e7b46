"""Reads of community life, limited to what the actor may see. Another app reads community
life only through here (and `services`).

- Staff (grid workers, dispatchers, leaders) see what is placed at, under or above their
  areas: a grid worker sees the community's activities and notices and their grid's
  buildings'.
- Residents see what is placed at or above their dwelling, and of that only what is out:
  published activities, notices whose time has come and not passed, approved entries.
  A care-group activity or notice is seen only by the residents carrying its tag.

Each part's own reads live in `selectors_<part>.py` and build on these.
"""

from django.db.models import Q
from django.http import Http404

from linli.accounts import scope
from linli.accounts.models import Role
from linli.community.models import Activity, Board, HonourEntry, Notice
from linli.community.permissions import STAFF
from linli.people.selectors import care_q


def staff_q(actor, path_field: str = "area_path") -> Q:
    """Rows at, under or above one of the actor's staff areas."""
    return scope.reach_q(actor, STAFF, path_field=path_field)


def resident_q(actor, path_field: str = "area_path") -> Q:
    """Rows at or above one of the actor's dwellings."""
    return scope.reach_q(actor, [Role.RESIDENT], path_field=path_field, below=False)


def activities_visible(actor):
    from linli.community.models import ActivityState

    out = resident_q(actor) & ~Q(state=ActivityState.DRAFT) & care_q(actor)
    return Activity.objects.filter(staff_q(actor) | out)


def notices_visible(actor, now=None):
    """Staff see every notice of their reach; residents those out now (published, the time
    come, not expired)."""
    from django.utils import timezone

    from linli.community.models import NoticeState

    now = now or timezone.now()
    out = (resident_q(actor) & Q(state=NoticeState.PUBLISHED, publish_at__lte=now)
           & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)) & care_q(actor))
    return Notice.objects.filter(staff_q(actor) | out)


def boards_visible(actor):
    return Board.objects.filter(staff_q(actor) | (resident_q(actor) & Q(is_active=True)))


def entries_visible(actor):
    """Staff see every entry of their boards; others the approved ones and their own
    nominations."""
    from linli.community.models import EntryState

    mine = Q(nominated_by=actor) if getattr(actor, "is_authenticated", False) else Q(pk__in=[])
    out = resident_q(actor) & (Q(state=EntryState.APPROVED) | mine)
    return HonourEntry.objects.filter(staff_q(actor) | out)


def _one(qs, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def activity_get(*, actor, activity_id: int) -> Activity:
    return _one(activities_visible(actor).select_related("area", "care_tag"), activity_id)


def notice_get(*, actor, notice_id: int) -> Notice:
    return _one(notices_visible(actor).select_related("area", "care_tag"), notice_id)


def board_get(*, actor, board_id: int) -> Board:
    return _one(boards_visible(actor).select_related("area"), board_id)


def entry_get(*, actor, entry_id: int) -> HonourEntry:
    return _one(entries_visible(actor).select_related("board__area"), entry_id)
