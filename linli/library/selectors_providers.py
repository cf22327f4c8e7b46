"""Reads of the providers part: the list with its filters (kind, kind of service, a word of
the name or skills, partners only), one provider, its record (contributions, bookings
served, ratings, matches delivered or not: `provider_record`, also read by the needs part
for ranking), the places and units staff may choose, the residents staff may list, and the
home tiles.

Every read starts from `selectors.providers_visible`: residents see listed providers of
the places they live in; staff those of their areas."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.tiles import Tile
from linli.library import permissions
from linli.library.models import (
    GIVES_UNITS,
    Booking,
    BookingState,
    Contribution,
    Gives,
    Match,
    MatchOutcome,
    Provider,
    ServiceKind,
)
from linli.library.selectors import one, providers_visible


def provider_list(*, actor, kind: str = "", service_kind: str = "", q: str = "",
                  partners: bool = False, listed_only: bool = False) -> QuerySet[Provider]:
    """Providers the actor sees, narrowed. `q` finds a word of the name or the skills."""
    qs = providers_visible(actor).select_related("area")
    if listed_only or not permissions.is_staff(actor):
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if partners:
        qs = qs.exclude(modes=[])
    words = (q or "").split()[:5]
    for word in words:
        qs = qs.filter(Q(name__icontains=word[:40]) | Q(skills__icontains=word[:40])
                       | Q(description__icontains=word[:40]))
    if service_kind:
        # A JSON list: filtered in Python on SQLite and PostgreSQL alike (few hundred rows).
        ids = [pk for pk, kinds in qs.values_list("pk", "service_kinds")
               if service_kind in (kinds or [])]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("-is_active", "name", "pk")


def provider_get(*, actor, provider_id: int) -> Provider:
    return one(providers_visible(actor).select_related("area", "unit", "resident"),
               provider_id)


def may_manage(actor, provider: Provider) -> bool:
    return permissions.manages(actor, provider.area)


@dataclass
class Record:
    """What a provider has given and how it served."""

    contributions: list = field(default_factory=list)  # every row, voided ones marked
    totals: list = field(default_factory=list)  # (gives, label, amount, unit label)
    served: int = 0
    rating: float | None = None
    ratings: int = 0
    delivered: int = 0
    failed: int = 0
    pending: int = 0

    @property
    def delivery_rate(self) -> int | None:
        decided = self.delivered + self.failed
        return round(self.delivered * 100 / decided) if decided else None


def contribution_totals(provider: Provider) -> list[tuple[str, str, Decimal, str]]:
    """(gives, its label, the sum, the unit label) of the counted contributions."""
    sums = dict(Contribution.objects.filter(provider=provider, voided_at__isnull=True)
                .values_list("gives").annotate(total=Sum("amount")).values_list("gives",
                                                                                 "total"))
    return [(g, str(Gives(g).label), sums[g], str(GIVES_UNITS[Gives(g)]))
            for g in Gives.values if sums.get(g)]


def track_records(provider_ids) -> tuple[dict, dict]:
    """The providers' ratings ({id: (average, how many)}, of their served bookings) and
    match records ({id: (delivered, did not deliver, pending)}), in two aggregate queries:
    the provider's page and the matching suggestions read the same numbers."""
    rated = (Booking.objects.filter(service__provider_id__in=provider_ids,
                                    state=BookingState.COMPLETED, rating__isnull=False)
             .values("service__provider_id").annotate(avg=Avg("rating"), n=Count("pk")))
    ratings = {r["service__provider_id"]: (float(r["avg"]), r["n"]) for r in rated}
    decided = (Match.objects.filter(provider_id__in=provider_ids).values("provider_id")
               .annotate(d=Count("pk", filter=Q(outcome=MatchOutcome.DELIVERED)),
                         f=Count("pk", filter=Q(outcome=MatchOutcome.FAILED)),
                         p=Count("pk", filter=Q(outcome=MatchOutcome.PENDING))))
    return ratings, {r["provider_id"]: (r["d"], r["f"], r["p"]) for r in decided}


def provider_record(provider: Provider, *, with_contributions: bool = True) -> Record:
    """The provider's record: contributions (totals by what was given, voided ones not
    counted), bookings served, the average rating of the served bookings, and the matches
    delivered, not delivered and pending."""
    ratings, matches = track_records([provider.pk])
    avg, rated = ratings.get(provider.pk, (None, 0))
    delivered, failed, pending = matches.get(provider.pk, (0, 0, 0))
    rows = (list(Contribution.objects.filter(provider=provider).select_related("recorded_by"))
            if with_contributions else [])
    served = Booking.objects.filter(service__provider=provider,
                                    state=BookingState.COMPLETED).count()
    return Record(
        contributions=rows, totals=contribution_totals(provider), served=served,
        rating=round(avg, 1) if avg is not None else None, ratings=rated,
        delivered=delivered, failed=failed, pending=pending)


def contribution_get(*, actor, contribution_id: int) -> Contribution:
    qs = Contribution.objects.filter(provider__in=providers_visible(actor)).select_related(
        "provider")
    return one(qs, contribution_id)


def provider_services(actor, provider: Provider):
    from linli.library.selectors import services_visible

    return services_visible(actor).filter(provider=provider).order_by("title", "pk")


def kind_labels(provider: Provider) -> list[str]:
    return [str(ServiceKind(k).label) for k in provider.service_kinds
            if k in ServiceKind.values]


# --- for staff ---------------------------------------------------------------------------------

def place_choices(actor) -> list:
    """Communities, grids and estates the actor manages: where a provider may serve."""
    from linli.accounts import scope
    from linli.library.services.providers import PLACE_KINDS
    from linli.orgs.models import Area

    if not getattr(actor, "is_authenticated", False):
        return []
    areas = Area.objects.filter(kind__in=PLACE_KINDS).filter(
        scope.scope_q(actor, roles=permissions.STAFF, path_field="path"))
    return list(areas.order_by("depth", "path")[:300])


def unit_choices(actor) -> list:
    """Active handling units serving a community the actor manages."""
    from linli.orgs.models import AreaKind, Unit

    communities = [a for a in place_choices(actor) if a.kind == AreaKind.COMMUNITY]
    ids: set[int] = set()
    for community in communities:
        ids.update([*community.ancestor_ids, community.pk])
    for area in place_choices(actor):
        ids.update(area.ancestor_ids)
    if not ids:
        return []
    return list(Unit.objects.filter(is_active=True, service_areas__id__in=ids).distinct()
                .order_by("name")[:100])


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str     # masked
    address: str  # "花楼小区 1栋 1单元 101"


def resident_candidates(actor, who: str, limit: int = 10) -> list[Candidate]:
    """Registry residents of the actor's staff areas whose name contains `who` (masked)."""
    from linli.accounts import scope
    from linli.core.crypto import mask_name
    from linli.people.selectors import place_labels, residents_named

    paths = scope.area_paths(actor, permissions.STAFF)
    if not paths or not (who or "").strip():
        return []
    found = residents_named(paths=paths, name=who, limit=limit)
    labels = place_labels([r.household.dwelling for r in found])
    return [Candidate(r.pk, mask_name(r.name), labels.get(r.household.dwelling_id, ""))
            for r in found]


def own_listing(actor) -> Provider | None:
    """The actor's own skilled-resident row (listed or withdrawn)."""
    from linli.people.selectors import own_record

    person = own_record(actor)
    if person is None:
        return None
    return Provider.objects.filter(resident=person).order_by("-is_active", "-pk").first()


def home_tiles(user) -> list[Tile]:
    """Staff: the providers listed in their areas; a resident not listed: offer my skills."""
    if not getattr(user, "is_authenticated", False):
        return []
    if permissions.is_staff(user):
        count = providers_visible(user).filter(is_active=True).count()
        return [Tile("providers", _("Providers"), reverse("library:providers"), count)]
    from linli.people.selectors import own_record

    if own_record(user) is None:
        return []
    listing = own_listing(user)
    if listing is not None and listing.is_active:
        return []
    return [Tile("offer-skills", _("Offer my skills"), reverse("library:offer_skills"))]
