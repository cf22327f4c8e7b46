"""Reads for the public GeoReport interface.

Nobody logs in here, so there is no actor to scope by: what may be read is fixed instead.
A request is visible when its case is public (`cases.selectors.public.public_q`: the case
and its category are public) and it lies in the community of the jurisdiction asked about.
Anything else answers exactly like a case that does not exist (404).
"""

from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from linli.cases.models import Case, CaseEvent, Category
from linli.cases.selectors.public import public_events, public_q
from linli.core.errors import NotFound, ValidationFailed
from linli.open311.dates import MAX_RESULTS, Window
from linli.open311.models import Jurisdiction, ServiceAttribute, Submission
from linli.open311.status import states_for


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


def request_list(jurisdiction: Jurisdiction, *, ids: Sequence[int] = (),
                 codes: Sequence[str] = (), statuses: Sequence[str] = (),
                 window: Window | None = None) -> list[Case]:
    """GET requests: ids, when given, override every other filter; otherwise the window
    (90 days at most) with optional service codes and statuses; newest first, 1000 at most."""
    cases = public_cases(jurisdiction).order_by("-reported_at", "-id")
    if ids:
        return list(cases.filter(pk__in=list(ids))[:MAX_RESULTS])
    if codes:
        cases = cases.filter(category__code__in=list(codes))
    if statuses:
        cases = cases.filter(state__in=states_for(statuses))
    if window is not None:
        cases = cases.filter(reported_at__gte=window.start, reported_at__lte=window.end)
    return list(cases[:MAX_RESULTS])


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
        .select_related("case__master__category").order_by("at", "id")[:MAX_RESULTS])
