"""The people API: residents (masked), reveal with a purpose, the caller's own record, legal
basis, care tags, care plans, visits, completion and the access log.

Parse, call a selector or a service, serialize. A resident, household or dwelling named in a
request is loaded through the scoped selectors, so one out of scope is a 404 before any
service runs. Unit members, volunteers and mediators get 404 everywhere; a resident sees
their own record only. A reveal answers once, with `Cache-Control: no-store`.
"""

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.accounts import scope
from linli.accounts.models import Role, User
from linli.cases.models import Category
from linli.core.bounds import Id, Pages
from linli.core.errors import NotFound, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.people import permissions, selectors, services
from linli.people.models import CareTag, Resident
from linli.people.schemas import (
    AccessLogOut,
    CarePlanIn,
    CarePlanOut,
    CompletionOut,
    ConsentIn,
    ConsentOut,
    MoveOutIn,
    ResidentIn,
    ResidentOut,
    ResidentPatch,
    RevealIn,
    RevealOut,
    SearchIn,
    SelfOut,
    TagIn,
    TagOut,
    VisitIn,
    VisitOut,
)
from linli.people.services import KEEP

router = Router(tags=["people"])
NO_STORE = "no-store"


def _staff(request) -> None:
    if not permissions.is_registry_staff(request.user):
        raise Http404


def _reader(request) -> None:
    """Staff, or a resident (who sees only their own record)."""
    if not (permissions.is_registry_staff(request.user)
            or scope.has_role(request.user, Role.RESIDENT)):
        raise Http404


def _resident(request, resident_id: Id) -> Resident:
    return selectors.resident_get(actor=request.user, resident_id=resident_id)


def _staff_resident(request, resident_id: Id) -> Resident:
    _staff(request)
    resident = _resident(request, resident_id)
    if not permissions.can_reveal(request.user, resident):
        raise Http404  # a staff member's own record, outside their areas
    return resident


def _dwelling(request, dwelling_id: Id | None) -> Area | None:
    if dwelling_id is None:
        return None
    area = Area.objects.filter(pk=dwelling_id, kind=AreaKind.DWELLING).first()
    if area is None or not permissions.holds_at(request.user, permissions.REGISTRY_ROLES,
                                                area.path):
        raise Http404
    return area


# --- residents -------------------------------------------------------------------------

@router.get("/residents", response=list[ResidentOut])
@paginate(Pages, page_size=20)
def resident_list(request, q: str = "", include_moved_out: bool = False):
    """Residents the caller may see, masked. `q`: part of a name. Look up an ID number or a
    phone with `POST /residents/search`, which keeps it out of URLs and server logs."""
    _reader(request)
    if selectors.is_number_query(q):
        raise ValidationFailed(_("Send ID numbers and phones in the body of POST "
                                 "/api/people/residents/search, not in the URL."),
                               code="number_in_url")
    return selectors.resident_list(actor=request.user, search=q,
                                   include_moved_out=include_moved_out)


@router.post("/residents/search", response=list[ResidentOut])
def resident_search(request, payload: SearchIn):
    """Residents by exact ID number or phone (looked up by keyed hash), or part of a name;
    at most 50, masked."""
    _reader(request)
    return list(selectors.resident_list(actor=request.user, search=payload.q,
                                        include_moved_out=payload.include_moved_out)[:50])


@router.post("/residents", response={201: ResidentOut})
def resident_create(request, payload: ResidentIn):
    _staff(request)
    household = (selectors.household_get(actor=request.user, household_id=payload.household_id)
                 if payload.household_id is not None else None)
    data = payload.model_dump(exclude={"household_id", "dwelling_id"})
    resident = services.resident_create(actor=request.user, household=household,
                                        dwelling=_dwelling(request, payload.dwelling_id), **data)
    return Status(201, _resident(request, resident.pk))


@router.get("/residents/{resident_id}", response=ResidentOut)
def resident_detail(request, resident_id: Id):
    _reader(request)
    return _resident(request, resident_id)


@router.patch("/residents/{resident_id}", response=ResidentOut)
def resident_update(request, resident_id: Id, payload: ResidentPatch):
    resident = _staff_resident(request, resident_id)
    given = payload.model_dump(exclude_unset=True)
    for key in ("name", "id_number", "phone", "gender", "relation", "tenure"):
        if key in given and given[key] is None:
            given[key] = KEEP
    services.resident_update(actor=request.user, resident=resident, **given)
    return _resident(request, resident_id)


@router.post("/residents/{resident_id}/move-out", response=ResidentOut)
def resident_move_out(request, resident_id: Id, payload: MoveOutIn):
    resident = _staff_resident(request, resident_id)
    services.resident_move_out(actor=request.user, resident=resident,
                               moved_out=payload.moved_out)
    return _resident(request, resident_id)


@router.post("/residents/{resident_id}/reveal", response=RevealOut)
def resident_reveal(request, resident_id: Id, payload: RevealIn, response: HttpResponse):
    """The clear value of one field, once. Needs a purpose; every attempt, refused or not,
    is written to the access log. The answer must not be cached or stored."""
    response["Cache-Control"] = NO_STORE
    # Loaded without scope on purpose: the service decides, and records a refusal too.
    resident = Resident.objects.filter(pk=resident_id).first()
    if resident is None:
        raise Http404
    value = services.resident_reveal(actor=request.user, resident=resident,
                                     field=payload.field, purpose=payload.purpose)
    return {"field": payload.field, "value": value}


@router.get("/me", response=SelfOut)
def me(request, response: HttpResponse):
    """What Linli holds about the caller, in clear (audited as self-access)."""
    response["Cache-Control"] = NO_STORE
    record = services.resident_self_view(actor=request.user)
    if record is None:
        raise NotFound(_("No resident record is linked to your login."))
    r = record.resident
    return {"id": r.pk, "name": r.name, "place": r.household.dwelling.full_name(),
            "id_number": record.id_number, "phone": record.phone, "birth_date": r.birth_date,
            "gender": r.gender, "relation": r.relation, "tenure": r.tenure,
            "moved_in": r.moved_in, "moved_out": r.moved_out, "tags": record.tags,
            "emergency_contact": record.emergency_contact, "needs": record.needs,
            "next_visit_due": record.next_visit_due,
            "visits": record.visits,
            "consents": list(r.consents.order_by("-id"))}


# --- care ------------------------------------------------------------------------------

@router.post("/residents/{resident_id}/consents", response={201: ConsentOut})
def consent_create(request, resident_id: Id, payload: ConsentIn):
    consent = services.consent_record(actor=request.user,
                                           resident=_staff_resident(request, resident_id),
                                           **payload.model_dump())
    return Status(201, consent)


@router.post("/residents/{resident_id}/tags", response={201: TagOut})
def tag_create(request, resident_id: Id, payload: TagIn):
    resident = _staff_resident(request, resident_id)
    tag = CareTag.objects.filter(code=payload.tag).first()
    if tag is None:
        raise ValidationFailed(_("Unknown care tag."), code="bad_tag")
    row = services.resident_tag_add(actor=request.user, resident=resident, tag=tag,
                                         note=payload.note)
    return Status(201, row)


@router.get("/care-plans", response=list[CarePlanOut])
@paginate(Pages, page_size=50)
def care_plan_list(request, overdue: bool | None = None, mine: bool = False,
                   grid_id: Id | None = None):
    """Care plans of residents in the caller's areas, the soonest due first."""
    _staff(request)
    return selectors.care_plan_list(actor=request.user, overdue=overdue, mine=mine,
                                    grid_id=grid_id).prefetch_related("resident__tags")


@router.put("/residents/{resident_id}/care-plan", response=CarePlanOut)
def care_plan_save(request, resident_id: Id, payload: CarePlanIn):
    """Create or change the care plan (一人一策)."""
    resident = _staff_resident(request, resident_id)
    services.care_plan_save(
        actor=request.user, resident=resident,
        grid_worker=User.objects.filter(pk=payload.grid_worker_id).first(),
        visit_every_days=payload.visit_every_days, next_visit_due=payload.next_visit_due,
        emergency_contact=KEEP if payload.emergency_contact is None else (
            payload.emergency_contact),
        needs=KEEP if payload.needs is None else payload.needs)
    return selectors.care_plan_get(actor=request.user, resident=resident)


@router.get("/residents/{resident_id}/visits", response=list[VisitOut])
def visit_list(request, resident_id: Id):
    resident = _staff_resident(request, resident_id)
    return selectors.visit_list(actor=request.user, resident=resident)


@router.post("/residents/{resident_id}/visits", response={201: VisitOut})
def visit_create(request, resident_id: Id, payload: VisitIn):
    """Record a visit (photos: on the visit page). With `raise_case`, a grid patrol case is
    reported in the same step and linked."""
    resident = _staff_resident(request, resident_id)
    data = payload.model_dump()
    code = data.pop("case_category")
    category = Category.objects.filter(code=code).first() if code else None
    visit = services.visit_record(actor=request.user, resident=resident,
                                       case_category=category, **data)
    return Status(201, selectors.visit_list(actor=request.user, resident=resident).get(
        pk=visit.pk))


@router.get("/completion", response=list[CompletionOut])
def completion(request, month: date | None = None):
    """Monthly visit completion per grid; `month` is any day of the month (default: now)."""
    _staff(request)
    return selectors.visit_completion(actor=request.user,
                                      month=month or timezone.localdate())


@router.get("/access-log", response=list[AccessLogOut])
@paginate(Pages, page_size=50)
def access_log(request, actor: str = "", resident_id: Id | None = None,
               since: date | None = None, until: date | None = None, outcome: str = ""):
    """Reveals, exports and refusals in the caller's areas (dispatchers, leaders, admins)."""
    if not permissions.can_view_access_log(request.user):
        raise Http404
    return selectors.access_log_list(actor=request.user, actor_label=actor,
                                     resident_id=resident_id, since=since, until=until,
                                     outcome=outcome)
