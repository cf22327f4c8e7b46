"""The cases API: report, list, read, act, photos, extensions, categories.

Parse, call a selector or a service, serialize. A case named in the path is loaded through
`selectors.case_get`, so a case out of scope is a 404 before any service runs; the service
then decides whether the caller's role allows the write (403).
"""

from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import File, Header, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.cases import selectors, services
from linli.cases.models import Case, Category
from linli.cases.routing import suggested_unit
from linli.cases.schemas import (
    ActionIn,
    CaseIn,
    CaseOut,
    CategoryOut,
    DecisionIn,
    DuplicateOut,
    EventOut,
    ExtensionIn,
    ExtensionOut,
    SuggestedUnitsOut,
    SupportOut,
)
from linli.cases.selectors import publication
from linli.cases.services import extension_decide, extension_request
from linli.core.bounds import Id, Pages
from linli.core.errors import NotFound, ValidationFailed
from linli.orgs.models import Unit
from linli.orgs.selectors import area_get, units_serving

router = Router(tags=["cases"])
# /categories and /extensions/...: the same domain, outside the /cases prefix.
extras_router = Router(tags=["cases"])


def _case(request, case_id: Id) -> Case:
    return selectors.case_get(actor=request.user, case_id=case_id)


def _via_token(request) -> bool:
    # TokenAuth runs first and refuses any bad bearer token, so a request that reaches an
    # endpoint carrying one was authenticated by it.
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def _category(code: str) -> Category:
    category = selectors.category_by_code(code)
    if category is None:
        raise ValidationFailed(_("Unknown category."), code="bad_category")
    return category


@router.post("", response={200: CaseOut, 201: CaseOut})
def case_create(request, payload: CaseIn,
                idempotency_key: Annotated[str, Header(alias="Idempotency-Key")] = ""):
    """Report a problem. A retry with the same `Idempotency-Key` and body answers 200 with
    the first case; the same key with another body is 409 `idempotency_mismatch`."""
    actor = request.user
    area = area_get(actor=actor, area_id=payload.area_id)
    reported = services.case_report_outcome(
        actor=actor, category=_category(payload.category), area=area,
        description=payload.description, title=payload.title, address=payload.address,
        lat=payload.lat, lng=payload.lng, is_public=payload.is_public,
        priority=payload.priority,
        channel=services.report_channel(actor=actor, area=area, via_token=_via_token(request),
                                        requested=payload.channel),
        idempotency_key=idempotency_key,
        fingerprint=services.request_fingerprint(payload.model_dump()))
    # The service's case is complete for CaseOut (category, area and units loaded), and
    # the reporter always sees their own case: no second read.
    return Status(200 if reported.replayed else 201, reported.case)


def _states(values: list[str] | None) -> list[str] | None:
    states = [s.strip() for value in values or [] for s in value.split(",") if s.strip()]
    return states or None


@router.get("", response=list[CaseOut])
@paginate(Pages, page_size=20)
def case_list(request, state: Annotated[list[str] | None, Query()] = None, category: str = "",
              area_id: Id | None = None, unit_id: Id | None = None,
              overdue: bool | None = None, since: date | None = None,
              until: date | None = None, q: str = "", mine: bool = False):
    """Cases the caller may see, newest first. `state` repeats or takes a comma list."""
    filters = selectors.CaseFilters(
        state=_states(state), category=category, area_id=area_id, unit_id=unit_id,
        overdue=overdue, since=since, until=until, q=q, mine=mine)
    return selectors.case_list(actor=request.user, filters=filters).select_related(
        "suggested_unit")


@router.get("/{case_id}", response=CaseOut)
def case_detail(request, case_id: Id):
    return _case(request, case_id)


@router.get("/{case_id}/events", response=list[EventOut])
def case_events(request, case_id: Id):
    """The timeline; residents see its public events."""
    return selectors.timeline_for(actor=request.user, case=_case(request, case_id))


@router.get("/{case_id}/duplicates", response=list[DuplicateOut])
def case_duplicates(request, case_id: Id):
    return selectors.case_duplicates(actor=request.user, case=_case(request, case_id))


@router.get("/{case_id}/suggested-units", response=SuggestedUnitsOut)
def case_suggested_units(request, case_id: Id):
    case = _case(request, case_id)
    return {"suggested": suggested_unit(case.category, case.area),
            "units": list(units_serving(case.area))}


def _unit(unit_id: Id | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("No such handling unit."))
    return unit


@router.post("/{case_id}/actions/{action}", response=CaseOut)
def case_act(request, case_id: Id, action: str, payload: ActionIn):
    """Move the case: accept, reject, advise, dispatch (`unit_id`), acknowledge, return,
    resolve, verify, fail, close, rate (`rating`, `comment`), reopen, hold, unhold,
    merge (`master_id`); supervision by hand: urge, notice (`respond_by`), answer_notice,
    reassign (`unit_id`), escalate."""
    case = _case(request, case_id)
    master = _case(request, payload.master_id) if payload.master_id is not None else None
    services.case_transition(
        actor=request.user, case=case, action=action, note=payload.note,
        expected_version=payload.version, triage=payload.triage, priority=payload.priority,
        unit=_unit(payload.unit_id), rating=payload.rating, comment=payload.comment,
        master=master, respond_by=payload.respond_by)
    return _case(request, case_id)


@router.post("/{case_id}/support", response={201: SupportOut})
def case_support(request, case_id: Id):
    """Say "me too" (支持): the caller, a resident of the case's community, has the same
    problem. Once per person (a second time is 409 `already_supported`); only an open
    public case of a community that publishes them (closed, rejected or merged: 400
    `transition_not_allowed`; the caller's own report: 400 `own_case`; not a resident there:
    403; a case the caller may not read publicly: 404). Supporters are notified when the
    case is handled and when it is closed."""
    case = publication.public_case_get(actor=request.user, case_id=case_id)
    services.case_support(actor=request.user, case=case)
    return Status(201, {"case_id": case.pk, "supported": True,
                        "supporters": publication.supporter_count(case)})


@router.post("/{case_id}/photos", response={201: list[int]})
def case_photos_add(request, case_id: Id, photos: Annotated[list[UploadedFile], File()]):
    """Attach photos (multipart field `photos`, JPEG/PNG/WebP up to 10 MB each): the
    reporter's while the case waits, the unit's as evidence while handling."""
    stored = services.case_photos_add(actor=request.user, case=_case(request, case_id),
                                      photos=photos)
    return Status(201, [photo.pk for photo in stored])


@router.post("/{case_id}/extensions", response={201: ExtensionOut})
def extension_create(request, case_id: Id, payload: ExtensionIn):
    extension = extension_request(actor=request.user, case=_case(request, case_id),
                                  amount=payload.amount, reason=payload.reason)
    return Status(201, extension)


@extras_router.get("/extensions", response=list[ExtensionOut])
def extension_pending(request):
    """Requests for more time waiting for a decision, on cases the caller sees."""
    return selectors.pending_extensions(actor=request.user)


@extras_router.post("/extensions/{extension_id}/decision", response=CaseOut)
def extension_decision(request, extension_id: Id, payload: DecisionIn):
    extension = selectors.extension_get(actor=request.user, extension_id=extension_id)
    case = extension_decide(actor=request.user, extension=extension,
                            approve=payload.approve, note=payload.note)
    return _case(request, case.pk)


def _category_node(category: Category, children: dict) -> dict:
    return {"code": category.code, "name": category.name, "name_zh": category.name_zh,
            "name_en": category.name_en, "is_leaf": not category.is_group,
            "triage": category.triage, "priority": category.priority,
            "accept_limit": category.accept_limit, "handle_limit": category.handle_limit,
            "limit_unit": category.limit_unit, "is_public": category.is_public,
            "children": [_category_node(c, children) for c in children.get(category.pk, [])]}


@extras_router.get("/categories", response=list[CategoryOut])
def category_tree(request):
    """The active category tree with each category's default triage, priority and limits.
    Only leaves (`is_leaf`) can be reported."""
    children: dict[int | None, list[Category]] = {}
    for category in Category.objects.filter(is_active=True).order_by("code"):
        children.setdefault(category.parent_id, []).append(category)
    return [_category_node(c, children) for c in children.get(None, [])]
