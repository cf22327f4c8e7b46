"""Reads of the needs part: the queue (live first, 急 → 难 → 愁 → 盼 → unclassified,
then oldest), its filters and counts, one need, and the home tiles.

Staff serving a place see its needs; a resident sees their household's (and those they
posted). Built on `selectors.needs_visible`."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.tiles import Tile
from linli.library import permissions
from linli.library.models import Need, NeedSource, NeedState, ServiceKind, Urgency
from linli.library.selectors import needs_visible, one, staff_q

LIVE = (NeedState.OPEN, NeedState.MATCHED, NeedState.IN_HAND)
FILTERS = ("state", "urgency", "kind", "source")


def _ordered(qs):
    return qs.annotate(
        live_rank=Case(When(state__in=LIVE, then=Value(0)), default=Value(1),
                       output_field=IntegerField()),
        urgency_rank=Case(When(urgency=Urgency.URGENT, then=Value(0)),
                          When(urgency=Urgency.HARD, then=Value(1)),
                          When(urgency=Urgency.WORRYING, then=Value(2)),
                          When(urgency=Urgency.HOPED, then=Value(3)),
                          default=Value(4), output_field=IntegerField()),
    ).order_by("live_rank", "urgency_rank", "created_at", "pk")


def bad_filter(state: str = "", urgency: str = "", kind: str = "", source: str = "") -> str:
    """The name of the first filter with an unknown value, or ""."""
    if state and state not in NeedState.values and state != "live":
        return "state"
    if urgency and urgency not in Urgency.values and urgency != "none":
        return "urgency"
    if kind and kind not in ServiceKind.values:
        return "kind"
    if source and source not in NeedSource.values:
        return "source"
    return ""


def need_list(*, actor, state: str = "", urgency: str = "", kind: str = "",
              source: str = "", area_path: str = "", mine: bool = False):
    """The needs the actor may see, filtered, queue order. `state` "live": open, matched
    or in hand; `urgency` "none": unclassified; `area_path`: at or under that place;
    `mine`: only the actor's household's (and posted by them)."""
    qs = needs_visible(actor)
    if mine:
        qs = qs.filter(own_q(actor))
    if state == "live":
        qs = qs.filter(state__in=LIVE)
    elif state:
        qs = qs.filter(state=state)
    if urgency == "none":
        qs = qs.filter(urgency="")
    elif urgency:
        qs = qs.filter(urgency=urgency)
    if kind:
        qs = qs.filter(kind=kind)
    if source:
        qs = qs.filter(source=source)
    if area_path:
        qs = qs.filter(area_path__startswith=area_path)
    return _ordered(qs.select_related("resident", "area", "provider"))


def own_q(actor) -> Q:
    from linli.library.selectors import _household_id

    q = Q(posted_by=actor)
    household = _household_id(actor)
    if household is not None:
        q |= Q(household_id=household)
    return q


def is_staff(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and permissions.is_staff(actor)


def urgency_counts(qs) -> dict[str, int]:
    """Live needs per confirmed class ("" for unclassified)."""
    rows = (qs.filter(state__in=LIVE).order_by().values("urgency")
            .annotate(n=Count("pk")))
    counts = {u: 0 for u in [*Urgency.values, ""]}
    for row in rows:
        counts[row["urgency"]] = row["n"]
    return counts


def need_get(*, actor, need_id: int) -> Need:
    """A need the actor may see, or 404."""
    qs = needs_visible(actor).select_related("resident", "household", "area", "community",
                                             "provider", "case", "task", "topic", "booking",
                                             "posted_by")
    return one(qs, need_id)


def serves(actor, need: Need) -> bool:
    """Staff serving the need's place: they see the name and handle the need."""
    return permissions.serves(actor, need.area)


def home_tiles(user) -> list[Tile]:
    if not getattr(user, "is_authenticated", False):
        return []
    url = reverse("library:needs")
    if is_staff(user):
        live = needs_visible(user).filter(staff_q(user), state__in=LIVE)
        return [Tile("needs-urgent", _("Urgent open needs"), f"{url}?urgency=urgent",
                     live.filter(urgency=Urgency.URGENT).count()),
                Tile("needs-open", _("Open needs"), f"{url}?state=live", live.count())]
    if Role.RESIDENT not in scope.roles_of(user):
        return []  # a unit's member or a volunteer without a home here posts no needs
    mine = needs_visible(user).filter(state__in=LIVE).count()
    return [Tile("needs-mine", _("My open needs"), url, mine)]


def free_slots(need: Need, now, limit: int = 30):
    """Slots with a free place, ahead, of the open services of the need's community (the
    matched provider's first)."""
    from django.db.models import F

    from linli.library.models import Slot

    qs = (Slot.objects.filter(service__provider__community_id=need.community_id,
                              service__provider__is_active=True, service__is_active=True,
                              is_active=True, starts_at__gt=now, taken__lt=F("capacity"))
          .select_related("service__provider"))
    if need.provider_id:
        qs = qs.annotate(mine=Case(When(service__provider_id=need.provider_id,
                                        then=Value(0)), default=Value(1),
                                   output_field=IntegerField()))
        return list(qs.order_by("mine", "starts_at", "pk")[:limit])
    return list(qs.order_by("starts_at", "pk")[:limit])


def rooms(need: Need):
    from linli.library.models import Room

    return list(Room.objects.filter(service__provider__community_id=need.community_id,
                                    service__is_active=True, is_active=True)
                .select_related("service").order_by("service__title", "name"))


def case_categories():
    from linli.cases.selectors import leaf_categories

    return leaf_categories()


def with_places(needs) -> list[Need]:
    """The needs, each with its `place` in words ("花楼小区 1栋 1单元 101"): every estate
    has a 101."""
    from linli.people.selectors import place_labels

    needs = list(needs)
    labels = place_labels({n.area for n in needs})
    for need in needs:
        need.place = labels[need.area_id]
    return needs
