"""The needs API (mounted under /api/library): the list (filters), one need, post a need,
its moves (classify, match, meet, close), the one-step hand over and the suggested
providers.

Parse, call a selector or a service, serialize. A need named in the path is loaded through
`selectors_needs.need_get`, so one out of sight is a 404 before any service runs; the
service then decides whether the caller may act (403). Error answers ({code, message})
are documented on every operation by core.openapi.
"""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.listing import unknown_value
from linli.library import selectors_needs as sel
from linli.library.models import NeedSource, Provider, ServiceKind
from linli.library.schemas_needs import (
    NeedActionIn,
    NeedDetailOut,
    NeedHandOverIn,
    NeedIn,
    NeedOut,
    SuggestionOut,
)
from linli.library.services import need_post, need_transition
from linli.library.services.matching import suggest_providers
from linli.library.services.needs_handover import HandOver, need_hand_over

router = Router(tags=["library"])

ACTIONS = ("classify", "match", "meet", "close")


def _need(request, need_id: int):
    return sel.need_get(actor=request.user, need_id=need_id)


@router.get("/needs", response=list[NeedOut])
@paginate(Pages, page_size=20)
def need_list(request, state: str = "", urgency: str = "", kind: str = "", source: str = "",
              mine: bool = False):
    """The needs the caller may see, the queue's order: live first (open, matched, in
    hand), 急 → 难 → 愁 → 盼 → unclassified, then oldest. `state` (or "live"), `urgency`
    (or "none": unclassified), `kind`, `source` (survey, request, staff); `mine`: only
    the caller's household's. An unknown value: 400."""
    bad = sel.bad_filter(state, urgency, kind, source)
    if bad:
        raise unknown_value(bad)
    return sel.need_list(actor=request.user, state=state, urgency=urgency, kind=kind,
                         source=source, mine=mine)


@router.post("/needs", response={201: NeedDetailOut})
def need_create(request, payload: NeedIn):
    """Post a need: a resident for themselves or their household (403 `not_household`),
    staff for anyone living where they serve or for a place they serve (`area_id`)."""
    from linli.orgs.models import Area
    from linli.people.models import Resident

    resident = area = None
    if payload.resident_id is not None:
        resident = Resident.objects.filter(pk=payload.resident_id, moved_out__isnull=True,
                                           anonymised_at__isnull=True).first()
        if resident is None:
            raise ValidationFailed(_("Unknown resident."), code="bad_resident")
    elif payload.area_id is not None:
        area = Area.objects.filter(pk=payload.area_id).first()
        if area is None:
            raise ValidationFailed(_("Unknown place."), code="bad_area")
    else:
        from linli.people.selectors import own_record

        resident = own_record(request.user)
        if resident is None:
            raise ValidationFailed(_("Say whose need it is or where."), code="bad_area")
    if payload.kind and payload.kind not in ServiceKind.values:
        raise unknown_value("kind")
    source = NeedSource.STAFF if (sel.is_staff(request.user) and (
        area is not None or resident is None or resident.user_id != request.user.pk)) \
        else NeedSource.REQUEST
    made = need_post(actor=request.user, text=payload.text, resident=resident, area=area,
                     kind=payload.kind, source=source)
    return Status(201, _need(request, made.pk))


@router.get("/needs/{need_id}", response=NeedDetailOut)
def need_detail(request, need_id: Id):
    """The need and the moves the caller may take (the name masked but for staff serving
    its place)."""
    return _need(request, need_id)


@router.post("/needs/{need_id}/actions/{action}", response=NeedDetailOut)
def need_act(request, need_id: Id, action: str, payload: NeedActionIn):
    """classify (`urgency`, maybe `kind`), match (`provider_id`, a listed provider of the
    community), meet, or close (`note`: the reason). Staff serving the need's place only
    (403); a state that does not allow it: 400; an older `expected_version`: 409
    `stale`. Hand over with POST .../hand-over."""
    need = _need(request, need_id)
    if action not in ACTIONS:
        raise unknown_value("action")
    data: dict = {}
    if action == "classify":
        data = {"urgency": payload.urgency, "kind": payload.kind}
    elif action == "match":
        if not sel.serves(request.user, need):
            raise PermissionDenied(_("You may not do this with this need."), code="denied")
        provider = (Provider.objects.filter(pk=payload.provider_id).first()
                    if payload.provider_id else None)
        score = next((s.score for s in suggest_providers(need, limit=100)
                      if provider is not None and s.provider.pk == provider.pk), 0)
        data = {"provider": provider, "score": score}
    need_transition(actor=request.user, need=need, action=action, note=payload.note,
                    expected_version=payload.expected_version, **data)
    return _need(request, need_id)


@router.post("/needs/{need_id}/hand-over", response=NeedDetailOut)
def need_hand(request, need_id: Id, payload: NeedHandOverIn):
    """Turn the need into a case (`category_id`), a volunteering task (`title`,
    `starts_at`, `ends_at`, `volunteers_needed`, `points_offered`), a deliberation topic
    (`title`, `topic_category`) or a booking (`slot_id`, or `room_id` with `starts_at`
    and `ends_at`), in one step. Staff serving the need's place only (403); the other
    app's rules apply on top (400 with their reason)."""
    need = _need(request, need_id)
    if payload.to not in ("case", "task", "topic", "booking"):
        raise unknown_value("to")
    need_hand_over(actor=request.user, need=need, data=HandOver(**payload.dict()))
    return _need(request, need_id)


@router.get("/needs/{need_id}/suggestions", response=list[SuggestionOut])
def need_suggestions(request, need_id: Id):
    """The listed providers of the need's community, best first, with the score and its
    reasons (same kind, nearness, rating, delivery record). Staff serving the place only
    (403)."""
    need = _need(request, need_id)
    if not sel.serves(request.user, need):
        raise PermissionDenied(_("Only staff serving this place see the suggestions."),
                               code="not_staff")
    return [{"provider_id": s.provider.pk, "provider_name": s.provider.name,
             "score": s.score, "reasons": s.reasons, "rating": s.rating,
             "ratings": s.ratings, "delivered": s.delivered, "failed": s.failed}
            for s in suggest_providers(need)]
