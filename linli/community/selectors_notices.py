"""Scoped reading of notices: what a resident sees now, the staff's list with states and
read rates, the exact read rate and, for urgent notices, who has not read.

The audience of a notice is counted in households: those with at least one current (not
moved out) resident under the notice's place, carrying the care tag for a care group. The
read rate is the households of the audience that read it, over the audience.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import Role
from linli.community.models import Notice, NoticeKind, NoticeRead, NoticeState
from linli.community.permissions import lives_in, manages, serves
from linli.community.selectors import notices_visible, resident_q, staff_q
from linli.core.crypto import mask_name
from linli.core.tiles import Tile
from linli.orgs.models import Area, AreaKind
from linli.people.models import Household, Relation, Resident
from linli.people.selectors import own_record, tagged_q

HOME_LIMIT = 3


class Shown:
    """A notice's state as people read it (published is split by its times)."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SHOWN = "shown"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


SHOWN_LABELS = {Shown.DRAFT: _("draft"), Shown.SCHEDULED: _("scheduled"),
                Shown.SHOWN: _("shown"), Shown.EXPIRED: _("expired"),
                Shown.WITHDRAWN: _("withdrawn")}


def shown_state(notice: Notice, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if notice.state == NoticeState.DRAFT:
        return Shown.DRAFT
    if notice.state == NoticeState.WITHDRAWN:
        return Shown.WITHDRAWN
    if notice.publish_at > now:
        return Shown.SCHEDULED
    if notice.expires_at is not None and notice.expires_at <= now:
        return Shown.EXPIRED
    return Shown.SHOWN


def is_out(notice: Notice, now: datetime | None = None) -> bool:
    return shown_state(notice, now) == Shown.SHOWN


def out_q(now: datetime) -> Q:
    return (Q(state=NoticeState.PUBLISHED, publish_at__lte=now)
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)))


# --- the audience ----------------------------------------------------------------------------

def audience_residents(notice: Notice) -> QuerySet[Resident]:
    """Current residents under the notice's place (with its care tag, if any)."""
    people = Resident.objects.filter(area_path__startswith=notice.area_path,
                                     moved_out__isnull=True)
    if notice.care_tag is not None:
        people = people.filter(tagged_q(notice.care_tag))
    return people


def audience_households(notice: Notice) -> QuerySet[Household]:
    return Household.objects.filter(pk__in=audience_residents(notice).values("household_id"))


def audience_record(actor, notice: Notice) -> Resident | None:
    """The actor's own registry record if they are a resident of the notice's audience:
    the resident role at a dwelling under its place and the record there."""
    if not getattr(actor, "is_authenticated", False) or not lives_in(actor, notice.area_path):
        return None
    return audience_residents(notice).filter(user=actor).first()


@dataclass(frozen=True)
class ReadRate:
    read: int
    audience: int

    @property
    def percent(self) -> int:
        return self.read * 100 // self.audience if self.audience else 0


def read_rate(notice: Notice) -> ReadRate:
    """Exact numbers: households of the audience now that read it, over the audience."""
    households = audience_households(notice)
    read = NoticeRead.objects.filter(notice=notice, household__in=households).count()
    return ReadRate(read=read, audience=households.count())


@dataclass(frozen=True)
class Unread:
    building: str
    address: str
    head: str  # masked: 张*兰


def may_see_unread(actor, notice: Notice) -> bool:
    return notice.kind == NoticeKind.URGENT and serves(actor, notice.area)


def unread_households(notice: Notice) -> list[tuple[str, list[Unread]]]:
    """The audience's households that have not read it, grouped by building (its estate
    and name), for knocking on doors: the entrance and dwelling, and the head of
    household's masked name only. A fixed number of queries, however many households."""
    read = NoticeRead.objects.filter(notice=notice).values("household_id")
    households = list(audience_households(notice).exclude(pk__in=read)
                      .select_related("dwelling").order_by("area_path"))
    ids = {int(part) for h in households for part in h.dwelling.path.strip("/").split("/")}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=ids).only("pk", "kind", "name")}
    heads = _heads([h.pk for h in households])
    rows = []
    for household in households:
        chain = [areas[int(p)] for p in household.dwelling.path.strip("/").split("/")
                 if int(p) in areas]
        kinds = [a.kind for a in chain]
        cut = kinds.index(AreaKind.BUILDING) + 1 if AreaKind.BUILDING in kinds else len(chain) - 1
        start = kinds.index(AreaKind.ESTATE) if AreaKind.ESTATE in kinds else max(cut - 1, 0)
        rows.append(Unread(building=" ".join(a.name for a in chain[start:cut]) or "—",
                           address=" ".join(a.name for a in chain[cut:]),
                           head=mask_name(heads.get(household.pk, ""))))
    return [(b, list(group)) for b, group in groupby(rows, key=lambda u: u.building)]


def _heads(household_ids: list[int]) -> dict[int, str]:
    """Each household's head (or its first current member) by name."""
    heads: dict[int, str] = {}
    members = (Resident.objects.filter(household_id__in=household_ids, moved_out__isnull=True)
               .order_by("pk").values_list("household_id", "relation", "name"))
    for household_id, relation, name in members:
        if household_id not in heads or relation == Relation.HEAD:
            heads[household_id] = name
    return heads


# --- lists -----------------------------------------------------------------------------------

def _household_ids(actor) -> list[int]:
    record = own_record(actor)
    return [record.household_id] if record is not None else []


def with_read(qs: QuerySet[Notice], actor) -> QuerySet[Notice]:
    """`is_read`: the actor's household has read it."""
    mine = NoticeRead.objects.filter(notice=OuterRef("pk"),
                                     household_id__in=_household_ids(actor))
    return qs.annotate(is_read=Exists(mine))


def is_staff(actor) -> bool:
    from linli.accounts import scope
    from linli.community.permissions import STAFF

    return bool(scope.area_paths(actor, STAFF)) if actor.is_authenticated else False


def resident_notices(actor, now: datetime | None = None) -> QuerySet[Notice]:
    """The notices out now at or above the actor's dwellings: pinned first, unread next."""
    now = now or timezone.now()
    qs = notices_visible(actor, now).filter(resident_q(actor), out_q(now))
    return with_read(qs, actor).order_by(  # type: ignore[misc]
        "-pinned", "is_read", "-publish_at", "-pk")


def notice_list(actor, now: datetime | None = None) -> QuerySet[Notice]:
    """Everything the actor sees: staff their reach in every state, residents what is out."""
    now = now or timezone.now()
    qs = notices_visible(actor, now).select_related("area", "care_tag")
    return with_read(qs, actor).order_by("-pinned", "-publish_at", "-pk")


def home_notices(actor, now: datetime | None = None) -> list[Notice]:
    """Up to three current notices for the home page: pinned or unread."""
    if not getattr(actor, "is_authenticated", False):
        return []
    qs = resident_notices(actor, now).filter(Q(pinned=True) | Q(is_read=False))
    return list(qs[:HOME_LIMIT])


def files_of(notice: Notice) -> list:
    return list(notice.files.order_by("pk"))


def file_get(*, notice: Notice, attachment_id: int):
    from django.http import Http404

    found = notice.files.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    return found


def may_manage(actor, notice: Notice) -> bool:
    return manages(actor, notice.area)


def staff_reach(actor) -> Q:
    return staff_q(actor)


# --- home tiles ------------------------------------------------------------------------------

def urgent_not_all_read(actor, now: datetime | None = None) -> list[Notice]:
    now = now or timezone.now()
    urgent = (Notice.objects.filter(staff_q(actor), out_q(now), kind=NoticeKind.URGENT)
              .select_related("area", "care_tag").order_by("-publish_at")[:50])
    return [n for n in urgent if serves(actor, n.area)
            and (rate := read_rate(n)).read < rate.audience]


def home_tiles(user) -> list[Tile]:
    """Residents: their unread notices; staff: urgent notices not read by everyone."""
    if not getattr(user, "is_authenticated", False):
        return []
    tiles = []
    url = reverse("community:notices")
    if is_staff(user):
        urgent = len(urgent_not_all_read(user))
        if urgent:
            tiles.append(Tile("notices-urgent", str(_("Urgent notices not read by all")),
                              url, urgent))
    from linli.accounts import scope

    if scope.area_paths(user, [Role.RESIDENT]):
        unread = resident_notices(user).filter(is_read=False).count()  # type: ignore[misc]
        if unread:
            tiles.append(Tile("notices-unread", str(_("Unread notices")), url, unread))
    return tiles


def may_see_reads(actor, notice: Notice) -> bool:
    return serves(actor, notice.area)
