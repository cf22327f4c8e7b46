"""The members API (mounted under /api/party): organisations, members, dual registrations
(report, read, moves), posts and the yearly service summary; the same rules as the pages.

A row named in the path is loaded through the selectors, so one out of sight is a 404
before any service runs; the service then decides whether the caller may act (403)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Int16, Pages
from linli.core.errors import ValidationFailed
from linli.core.listing import unknown_value
from linli.party import selectors_members as sel
from linli.party.models import RegistrationState
from linli.party.schemas_members import (
    HoursOut,
    OrganisationOut,
    PartyMemberOut,
    PostOut,
    RegistrationActionIn,
    RegistrationIn,
    RegistrationOut,
    ServiceSummaryOut,
)
from linli.party.selectors import member_get, organisations_visible
from linli.party.services.members import (
    home_community,
    registration_report,
    registration_transition,
)
from linli.party.transitions import REGISTRATIONS

router = Router(tags=["party"])


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Pages, page_size=50)
def organisation_list(request, community_id: Id | None = None):
    """The organisations the caller sees: party staff those of their places, a member
    theirs and the ones above them."""
    qs = organisations_visible(request.user).select_related("area")
    if community_id is not None:
        qs = qs.filter(area_path__contains=f"/{community_id}/")
    return qs.order_by("area_path", "level", "name")


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_detail(request, organisation_id: Id):
    return sel.organisation_get(actor=request.user, organisation_id=organisation_id)


@router.get("/members", response=list[PartyMemberOut])
@paginate(Pages, page_size=50)
def member_list(request, kind: str = "", organisation_id: Id | None = None,
                community_id: Id | None = None):
    """Party staff: the members of their places (filters: `kind`, `organisation_id`,
    `community_id`); a member: themselves. An unknown kind: 400."""
    if sel.bad_member_filter(kind):
        raise unknown_value("kind")
    return sel.member_list(actor=request.user, kind=kind, organisation=organisation_id,
                           community=community_id)


@router.get("/members/{party_member_id}", response=PartyMemberOut)
def member_detail(request, party_member_id: Id):
    return member_get(actor=request.user, member_id=party_member_id)


@router.get("/registrations", response=list[RegistrationOut])
@paginate(Pages, page_size=30)
def registration_list(request, state: str = ""):
    """Party staff: the registrations of their places, reported first; a member: theirs."""
    if state and state not in RegistrationState.values:
        raise unknown_value("state")
    return sel.registration_list(actor=request.user, state=state)


@router.post("/registrations", response={201: RegistrationOut})
def registration_create(request, payload: RegistrationIn):
    """The signed-in resident (an in-service member) reports to the community where they
    live, with the posts chosen (open to in-service members, of that community). A live
    registration already: 400 `live`."""
    from linli.people.selectors import own_record

    resident = own_record(request.user)
    community = home_community(resident) if resident is not None else None
    posts = list(sel.open_posts(community).filter(pk__in=payload.post_ids)) \
        if community is not None else []
    if len(posts) != len(set(payload.post_ids)):
        raise ValidationFailed(_("Choose among the community's posts open to in-service "
                                 "members."), code="bad_post")
    made = registration_report(actor=request.user, employer=payload.employer,
                               employer_org=payload.employer_org, posts=posts,
                               note=payload.note)
    return Status(201, sel.registration_get(actor=request.user, registration_id=made.pk))


@router.get("/registrations/{registration_id}", response=RegistrationOut)
def registration_detail(request, registration_id: Id):
    return sel.registration_get(actor=request.user, registration_id=registration_id)


@router.post("/registrations/{registration_id}/actions/{action}", response=RegistrationOut)
def registration_act(request, registration_id: Id, action: str,
                     payload: RegistrationActionIn):
    """accept, decline (`note`: the reason), end (`note`) — party staff of the place; or
    withdraw — the member. Not allowed: 403; a state that does not allow it: 400; an older
    `expected_version`: 409 `stale`."""
    registration = sel.registration_get(actor=request.user, registration_id=registration_id)
    if action not in REGISTRATIONS:
        raise unknown_value("action")
    registration_transition(actor=request.user, registration=registration, action=action,
                            note=payload.note, expected_version=payload.expected_version)
    return sel.registration_get(actor=request.user, registration_id=registration_id)


@router.get("/posts", response=list[PostOut])
def post_list(request):
    """Party staff: the posts of their places; a member: their community's."""
    return list(sel.post_list(actor=request.user))


@router.get("/service", response=ServiceSummaryOut)
def service_summary(request, year: Int16 | None = None):
    """Each in-service member's hours in `year` (this year by default): service records
    plus volunteering hours confirmed that year, against the target pro rata (see
    `selectors_members.expected_hours`); party staff: their places; a member: themselves."""
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= today.year:
        raise unknown_value("year")
    rows = sel.service_summary(actor=request.user, year=year, today=today)
    return {"year": year, "target": settings.PARTY_SERVICE_HOURS_TARGET,
            "expected": sel.expected_hours(year, today),
            "total": sum((r.total for r in rows), start=sel.Decimal(0)),
            "behind": sum(1 for r in rows if r.behind),
            "members": [HoursOut(member_id=r.member.pk, member_name=r.member.name,
                                 recorded=r.recorded, volunteered=r.volunteered,
                                 total=r.total, expected=r.expected, behind=r.behind)
                        for r in rows]}
