"""Reads for the public GeoReport interface.

Nobody logs in here, so there is no actor to scope by: what may be read is fixed instead.
A request is visible when its case is public (`cases.selectors.public.public_q`: the case
and its category are public) and it lies in the community of the jurisdiction asked about.
Anything else answers exactly like a case that does not exist (404).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from linli.cases.models import Case, CaseEvent, Category, Photo
from linli.cases.selectors.public import public_events, public_q
from linli.core.errors import NotFound, ValidationFailed
from linli.open311.dates import MAX_RESULTS, Window
from linli.open311.models import Jurisdiction, ServiceAttribute, Submission
from linli.open311.status import closing_action, status_q


def jurisdictions_published() -> list[Jurisdiction]:
    """Every active jurisdiction, production and sandbox, for the discovery document."""
    return list(Jurisdiction.objects.filter(is_active=True).select_related("community")
                .order_by("is_sandbox", "-is_default", "jurisdiction_id"))


def jurisdiction_resolve(raw: str, *, sandbox: bool = False) -> Jurisdiction:
    """The jurisdiction a client named; with none named, the default one, or the only one.
    The production endpoint serves only production jurisdictions and the test endpoint
    (`sandbox`) only sandboxes: one named at the wrong endpoint is not found there."""
    active = (Jurisdiction.objects.filter(is_active=True, is_sandbox=sandbox)
              .select_related("community"))
    raw = (raw or "").strip()
    if raw:
        found = active.filter(jurisdiction_id__iexact=raw).first()
        if found is None:
            raise NotFound(_("jurisdiction_id %(id)s was not found.") % {"id": raw[:100]},
                           code="unknown_jurisdiction")
        return found
    default = active.filter(is_default=True).first()
    rows = [default] if default else list(active[:2])
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFound(_("No community is published through Open311 here."),
                       code="unknown_jurisdiction")
    raise ValidationFailed(_("jurisdiction_id was not provided, and this endpoint serves "
                             "several jurisdictions."), code="jurisdiction_required")


def service_list() -> QuerySet[Category]:
    """Categories a request can be filed under: active, public, not a group."""
    return (Category.objects.filter(is_active=True, is_public=True).exclude(triage="")
            .select_related("parent").annotate(attribute_count=Count("open311_attributes"))
            .order_by("code"))


def service_get(code: str) -> Category:
    category = service_list().filter(code=code).first()
    if category is None:
        raise NotFound(_("service_code %(code)s was not found.") % {"code": code[:50]},
                       code="unknown_service")
    return category


def service_attributes(category: Category) -> list[ServiceAttribute]:
    return list(category.open311_attributes.order_by("order", "code"))


def _events() -> Prefetch:
    return Prefetch("events", to_attr="public_events",
                    queryset=public_events().order_by("at", "id"))


def public_cases(jurisdiction: Jurisdiction) -> QuerySet[Case]:
    return (Case.objects.filter(public_q(), community=jurisdiction.community)
            .select_related("category", "area", "unit", "community", "open311",
                            "master__category")
            .prefetch_related(_events()))


@dataclass(frozen=True)
class RequestFilters:
    """What GET requests may filter by besides ids. Empty means "any"; `has_photo` None
    means either."""

    codes: Sequence[str] = ()
    statuses: Sequence[str] = ()
    window: Window | None = None
    agencies: Sequence[str] = ()
    has_photo: bool | None = None


@dataclass(frozen=True)
class Paging:
    """Which slice of the newest-first list to answer. `cap` (FixMyStreet's max_requests)
    cuts the list itself to its newest `cap` requests before it is paged."""

    page: int = 1
    size: int | None = None  # None: MAX_RESULTS, read when the list is made
    cap: int | None = None


@dataclass(frozen=True)
class RequestPage:
    cases: list[Case]
    total: int  # every matching request (at most `cap`), not only this page's
    page: int
    size: int

    @property
    def has_next(self) -> bool:
        return self.page * self.size < self.total


def _agency_q(names: Sequence[str]) -> Q:
    """`agency_responsible` as request_out prints it: the handling unit's name, or the
    community's name while no unit handles the case."""
    found = Q(pk__in=[])
    for name in names:
        found |= Q(unit__name__iexact=name) | Q(unit__isnull=True,
                                                  community__name__iexact=name)
    return found


def _photo_q() -> Q:
    """A photo uploaded with the case (or added later), or a media URL an app sent."""
    photos = Photo.objects.filter(case=OuterRef("pk"))
    # media_url is the first of the app's URLs (and the only one of older requests).
    urls = Submission.objects.filter(case=OuterRef("pk")).exclude(media_url="")
    return Q(Exists(photos)) | Q(Exists(urls))


def _filtered(cases: QuerySet[Case], filters: RequestFilters) -> QuerySet[Case]:
    if filters.codes:
        cases = cases.filter(category__code__in=list(filters.codes))
    if filters.statuses:
        cases = cases.annotate(closing_action=closing_action()).filter(
            status_q(filters.statuses))
    if filters.window is not None:
        cases = cases.filter(reported_at__gte=filters.window.start,
                             reported_at__lte=filters.window.end)
    if filters.agencies:
        cases = cases.filter(_agency_q(filters.agencies))
    if filters.has_photo is not None:
        cases = cases.filter(_photo_q() if filters.has_photo else ~_photo_q())
    return cases


def request_list(jurisdiction: Jurisdiction, *, ids: Sequence[int] | None = None,
                 filters: RequestFilters | None = None,
                 paging: Paging | None = None) -> RequestPage:
    """GET requests: ids, when given (even none that can exist), override every filter;
    otherwise the filters, the window 90 days at most. Newest first; one page of the
    list (the first MAX_RESULTS when no page is asked for) and the count of all of it,
    each in one query."""
    paging = paging or Paging()
    size = paging.size or MAX_RESULTS
    cases = public_cases(jurisdiction).order_by("-reported_at", "-id")
    if ids is not None:
        cases = cases.filter(pk__in=list(ids))
    else:
        cases = _filtered(cases, filters or RequestFilters())
    total = cases.count()
    if paging.cap is not None:
        total = min(total, paging.cap)
    start = (paging.page - 1) * size
    rows = list(cases[start:min(start + size, total)]) if start < total else []
    return RequestPage(cases=rows, total=total, page=paging.page, size=size)


def request_get(jurisdiction: Jurisdiction, case_id: int) -> Case:
    case = public_cases(jurisdiction).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("Service request %(id)s was not found.") % {"id": case_id},
                       code="unknown_request")
    return case


def token_list(jurisdiction: Jurisdiction, token: str) -> list[Submission]:
    found = list(Submission.objects.filter(token=token, case__in=public_cases(jurisdiction))
                 .order_by("pk"))
    if not found:
        raise NotFound(_("Token %(token)s was not found.") % {"token": token[:128]},
                       code="unknown_token")
    return found


def update_list(jurisdiction: Jurisdiction, window: Window) -> list[CaseEvent]:
    """Public steps of public requests within the window, oldest first, 1000 at most."""
    return list(public_events().filter(
        Q(case__in=public_cases(jurisdiction).values("pk")),
        at__gte=window.start, at__lte=window.end)
        .select_related("case__master__category", "open311_update")
        .order_by("at", "id")[:MAX_RESULTS])
