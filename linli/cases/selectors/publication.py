"""Reads of a community's published cases: who may read them, the list and map, one case as
the public reads it, and its supporters ("me too").

What is public is the rule of `public`; whether and to whom a community shows it is its
`Publication`. A case that may not be read answers like one that does not exist (404).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases.models import OPEN_STATES, Case, Publication, State, Supporter
from linli.cases.selectors.public import (
    event_text,
    merged_into_public,
    public_chain,
    public_events,
    public_point,
    public_q,
)
from linli.cases.transitions import CLOCKS
from linli.orgs.models import Area, AreaKind
from linli.orgs.selectors import community_path

# Shown on the list and the map: what is being or was dealt with. A rejected report is no
# problem the community has; a merged one is counted in its master.
LISTED_STATES = tuple(s for s in State.values if s not in (State.REJECTED, State.MERGED))
# "Me too" joins a problem that is still there: not one closed, rejected or merged.
SUPPORTABLE_STATES = (*OPEN_STATES, State.ON_HOLD)
PLACE_KINDS = (AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING)
MAP_LIMIT = 500  # markers on one map; the list pages through the rest


def publication_of(community: Area) -> Publication | None:
    return Publication.objects.filter(community=community).first()


def is_resident_of(actor, community: Area) -> bool:
    """The actor lives in `community` (a resident assignment inside it)."""
    return any(a.role == Role.RESIDENT and community_path(a.area) == community.path
               for a in scope.assignments(actor))


def _works_in(actor, community: Area) -> bool:
    """Staff whose area holds the community or lies inside it."""
    return any(a.role != Role.RESIDENT and a.area is not None
               and (community.path.startswith(a.area.path) or a.area.path.startswith(
                   community.path)) for a in scope.assignments(actor))


def can_read(actor, community: Area, publication: Publication | None = None) -> bool:
    """Published, and either open to everyone or the actor lives or works there."""
    publication = publication or publication_of(community)
    if publication is None or not publication.is_published:
        return False
    if publication.anonymous_allowed:
        return True
    return getattr(actor, "is_authenticated", False) and (
        actor.is_superuser or is_resident_of(actor, community) or _works_in(actor, community))


def community_get(*, actor, community_id: int) -> Area:
    """A community whose public cases the actor may read; else 404."""
    community = Area.objects.filter(pk=community_id, kind=AreaKind.COMMUNITY).first()
    if community is None or not can_read(actor, community):
        raise Http404
    return community


def publishable_communities(actor) -> QuerySet[Area]:
    """Communities whose publication the actor decides (`permissions.can_publish`)."""
    communities = Area.objects.filter(kind=AreaKind.COMMUNITY).order_by("path")
    if getattr(actor, "is_superuser", False):
        return communities
    return scope.in_scope(communities, actor, roles=[Role.ADMIN, Role.LEADER], area_field="")


def published_communities(actor) -> list[Area]:
    """Communities whose public cases the actor may read, by name."""
    rows = (Publication.objects.filter(is_published=True).select_related("community")
            .order_by("community__path"))
    return [p.community for p in rows if can_read(actor, p.community, p)]


@dataclass(frozen=True)
class PublicFilters:
    state: str = ""      # a listed state, or "open" for every state not yet settled
    category: str = ""   # a category code; its children are included


def _with_counts(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.annotate(supporter_count=Count("supporters", distinct=True))


def public_case_list(*, community: Area, filters: PublicFilters | None = None
                     ) -> QuerySet[Case]:
    """The community's public cases, newest first, with `supporter_count`. Readability of
    the community is the caller's check (`community_get`)."""
    f = filters or PublicFilters()
    qs = Case.objects.filter(public_q(), community=community, state__in=LISTED_STATES)
    if f.state == "open":
        qs = qs.filter(state__in=SUPPORTABLE_STATES)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    return _with_counts(qs.select_related("category", "area")).order_by("-reported_at", "-id")


def public_case_get(*, actor, case_id: int, community: Area | None = None) -> Case:
    """A public case of a community the actor may read (merged and rejected ones too: their
    page says what became of them); else 404."""
    case = (_with_counts(Case.objects.filter(public_q(), pk=case_id))
            .select_related("category", "area", "community", "master__category").first())
    if case is None or (community is not None and case.community_id != community.pk):
        raise Http404
    if not can_read(actor, case.community):
        raise Http404
    return case


def area_chains(cases: list[Case]) -> dict[int, list[Area]]:
    """Each case's area chain, top down, loaded in one query."""
    ids = {i for case in cases for i in case.area.ancestor_ids}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    return {case.pk: [areas[i] for i in case.area.ancestor_ids if i in areas]
            for case in cases}


def place_text(chain: list[Area]) -> str:
    """The place as the public reads it: grid, estate, building; never an entrance or a
    home, never the free-text address (it may name a flat)."""
    public = public_chain(chain)
    names = [a.name for a in public if a.kind in PLACE_KINDS]
    return " ".join(names) or (public[-1].name if public else "")


@dataclass(frozen=True)
class Step:
    at: datetime
    action: str
    text: str


@dataclass(frozen=True)
class PublicCase:
    case: Case
    place: str
    light: str
    lat: Decimal | None
    lng: Decimal | None
    settled_at: datetime | None  # closed, rejected or merged
    steps: list[Step]
    supporter_count: int
    master_public: bool

    @property
    def title(self) -> str:
        """The case as the public names it: its category and place. Never the reporter's
        own title or description: residents write their flat, name or phone into them."""
        name = self.case.category.name
        return f"{name} · {self.place}" if self.place else name


def _settled_at(case: Case) -> datetime | None:
    return {State.CLOSED: case.closed_at, State.REJECTED: case.rejected_at,
            State.MERGED: case.merged_at}.get(State(case.state))


def public_view(case: Case, chain: list[Area], *, steps: bool = True) -> PublicCase:
    """One case as the public reads it: no reporter, no words of theirs (title, description,
    address), no home; only the
    public steps, each in the words `public.event_text` gives (a unit, never a person)."""
    master_public = merged_into_public(case)
    lat, lng = public_point(case.area, chain, case.lat, case.lng)
    events = list(public_events().filter(case=case).order_by("at", "id")) if steps else []
    count = getattr(case, "supporter_count", None)
    return PublicCase(
        case=case, place=place_text(chain), light=CLOCKS.light(case, timezone.now()) or "",
        lat=lat, lng=lng, settled_at=_settled_at(case),
        steps=[Step(e.at, e.action, event_text(e, master_public)) for e in events],
        supporter_count=count if count is not None else case.supporters.count(),
        master_public=master_public)


def public_title(case: Case) -> str:
    """How the public (and a supporter) names the case: `PublicCase.title`."""
    return public_view(case, area_chains([case])[case.pk], steps=False).title


def public_views(cases: list[Case]) -> list[PublicCase]:
    chains = area_chains(cases)
    return [public_view(case, chains[case.pk], steps=False) for case in cases]


def supporter_count(case: Case) -> int:
    return Supporter.objects.filter(case=case).count()


def supported_ids(actor, case_ids: list[int]) -> set[int]:
    """Which of these cases the actor has said "me too" to."""
    if not getattr(actor, "is_authenticated", False):
        return set()
    return set(Supporter.objects.filter(user=actor, case_id__in=case_ids)
               .values_list("case_id", flat=True))


def rounded(value: Decimal | None) -> float | None:
    """A coordinate to about 10 m: enough to find the spot, no finer than a phone's fix."""
    return None if value is None else float(value.quantize(Decimal("0.0001"),
                                                             rounding=ROUND_HALF_UP))


def map_cases(*, community: Area, filters: PublicFilters | None = None) -> list[PublicCase]:
    """The listed cases that can be drawn, newest first, MAP_LIMIT at most."""
    cases = list(public_case_list(community=community, filters=filters)[:MAP_LIMIT])
    return [v for v in public_views(cases) if v.lat is not None]
