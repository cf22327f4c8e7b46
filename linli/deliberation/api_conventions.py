"""The conventions API and the hall (mounted under /api/deliberation): conventions with
their versions, and what the hall page lists, for an app.

Parse, call a selector or a service, serialize. A convention or version named in the path
is loaded through `selectors_conventions`, so one out of sight is a 404 before any service
runs; the service then decides whether the caller may write (403).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.deliberation import selectors, selectors_conventions, selectors_hall, services
from linli.deliberation.models import Convention
from linli.deliberation.schemas_conventions import (
    ConventionDetailOut,
    ConventionIn,
    ConventionOut,
    HallOut,
    VersionDetailOut,
    VersionIn,
)
from linli.orgs.selectors import area_list

router = Router(tags=["deliberation"])


def _convention(request, convention_id: int) -> Convention:
    return selectors_conventions.convention_get(actor=request.user,
                                                convention_id=convention_id)


def _detail(request, convention: Convention) -> Convention:
    """The convention with what the detail shape adds, as attributes."""
    sel, user = selectors_conventions, request.user
    latest, base = sel.compared(user, convention)
    vote = sel.adopting_vote(convention.adopted)
    extra = {
        "in_force_text": convention.adopted.text if convention.adopted else None,
        "adopted_by_vote_id": vote.pk if vote else None,
        "versions_seen": list(sel.versions_for(user, convention)),
        "diff_from": base.number if base else None,
        "diff": sel.diff_lines(base.text, latest.text) if latest and base else [],
        "may_draft": sel.may_draft(user, convention),
    }
    for name, value in extra.items():
        setattr(convention, name, value)
    return convention


@router.get("/conventions", response=list[ConventionOut])
@paginate(Pages, page_size=20)
def convention_list(request, state: str = ""):
    """Conventions the caller may see: in force first, then drafts (drafts to staff of the
    place only). `state`: `in_force` or `draft` (a convention with no version in force, or
    with a newer version than the one in force); another value is 400."""
    if state and state not in selectors_conventions.STATES:
        raise ValidationFailed(_("Some fields are missing or invalid."), code="invalid",
                               details=[{"field": "state", "message": _("Unknown value.")}])
    return selectors_conventions.conventions_for(request.user, state)


@router.post("/conventions", response={201: ConventionDetailOut})
def convention_create(request, payload: ConventionIn):
    """Draft a convention with its first version: dispatchers and leaders of the place
    (403 `not_organiser`). A place the caller does not see: 400 `bad_place`; a topic they
    do not see or of another place: 400 `bad_topic`; an empty title or text: 400."""
    area = area_list(actor=request.user).filter(pk=payload.area_id).first()
    if area is None:
        raise ValidationFailed(_("Choose a place you organise."), code="bad_place")
    topic = None
    if payload.topic_id is not None:
        try:
            topic = selectors.topic_get(actor=request.user, topic_id=payload.topic_id)
        except Http404:
            raise ValidationFailed(_("That topic is not one you can see."),
                                   code="bad_topic") from None
    made = services.convention_create(actor=request.user, area=area, title=payload.title,
                                      text=payload.text, note=payload.note, topic=topic)
    return Status(201, _detail(request, _convention(request, made.pk)))


@router.get("/conventions/{convention_id}", response=ConventionDetailOut)
def convention_detail(request, convention_id: Id):
    """A convention: the text in force, the vote that adopted it, the versions the caller
    may see and the latest compared line by line with the one in force."""
    return _detail(request, _convention(request, convention_id))


@router.post("/conventions/{convention_id}/versions", response={201: VersionDetailOut})
def version_add(request, convention_id: Id, payload: VersionIn):
    """Add the next version (the full text and what changed). Organisers of the place only
    (403 `not_organiser`); the same text as the latest: 400 `unchanged`. To put it to a
    vote, create a vote with `convention_version_id` (the votes API)."""
    convention = _convention(request, convention_id)
    version = services.version_add(actor=request.user, convention=convention,
                                   text=payload.text, note=payload.note)
    return Status(201, version)


@router.get("/conventions/{convention_id}/versions/{version_id}", response=VersionDetailOut)
def version_detail(request, convention_id: Id, version_id: Id):
    """One version with its full text: drafts to staff of the place only."""
    convention = _convention(request, convention_id)
    return selectors_conventions.version_get(actor=request.user, convention=convention,
                                             version_id=version_id)


@router.get("/hall", response=HallOut)
def hall(request):
    """The hall's lists (/deliberation/): for a resident the topics collecting support,
    the open votes they are in the electorate of (voted or not), upcoming meetings, recent
    results and conventions in force; for staff the topics to screen, votes open and in
    公示 with their open objections, and convention drafts. Up to 10 of each."""
    return selectors_hall.hall(request.user)
