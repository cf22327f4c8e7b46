"""The agreements API (mounted under /api/party): agreements (list, one, sign, deliveries
recorded and voided, ended early), the fulfilment per unit, property results, a rating,
supervision items (and resolving one).

Parse, call a selector or a service, serialize. A row named in the path is loaded through
`selectors_agreements`, so one out of sight is a 404 before any service runs; the service
then decides whether the caller may act (403).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Int16, Pages
from linli.core.errors import ValidationFailed
from linli.orgs.models import Area, Unit
from linli.party import rates
from linli.party import selectors_agreements as sel
from linli.party.models import Agreement, PropertySupervision
from linli.party.schemas_agreements import (
    PartyAgreementDetailOut,
    PartyAgreementIn,
    PartyAgreementOut,
    PartyDeliveryIn,
    PartyDeliveryOut,
    PartyMonthOut,
    PartyRatingIn,
    PartyRatingOut,
    PartyReasonIn,
    PartySupervisionOut,
    PartyUnitRateOut,
)
from linli.party.selectors import agreements_visible, supervisions_visible
from linli.party.services import agreements as svc
from linli.party.services.property import property_rate, supervision_resolve
from linli.party.workflow import AGREEMENTS, SUPERVISIONS

router = Router(tags=["party"])


def _year(year: int | None) -> int:
    today = timezone.localdate()
    if year is None:
        return today.year
    if not 2000 <= year <= today.year + 1:
        raise ValidationFailed(_("Choose a year from 2000 to next year."), code="bad_year")
    return year


def _tally(t: rates.Tally) -> dict:
    return {"expected": t.expected, "fulfilled": t.fulfilled, "delivered": t.delivered,
            "rate": t.rate, "colour": t.colour}


def _out(a: Agreement) -> dict:
    return {"id": a.pk, "community_id": a.community_id, "unit_id": a.unit_id,
            "unit_name": a.unit.name, "title": a.title, "signed_on": a.signed_on,
            "starts_on": a.starts_on, "ends_on": a.ends_on, "state": a.state,
            "version": a.version}


def _detail(request, agreement_id: int, year: int | None = None) -> dict:
    a = sel.agreement_get(actor=request.user, agreement_id=agreement_id)
    y = _year(year)
    tally = rates.agreement_tallies([a], y, rates.as_of_for(y, timezone.localdate()))[a.pk]
    return _out(a) | {
        "commitments": [{"id": c.pk, "what": c.what, "for_whom": c.for_whom,
                         "frequency": c.frequency, "times": c.times}
                        for c in a.commitments.all()],
        "allowed_actions": AGREEMENTS.actions_for(request.user, a), "year": y,
        "fulfilment": _tally(tally)}


@router.get("/agreements", response=list[PartyAgreementOut])
@paginate(Pages, page_size=50)
def agreement_list(request):
    """The agreements the caller may see: joint-work staff of the place, the unit's
    people."""
    return [_out(a) for a in agreements_visible(request.user).select_related("unit")]


@router.post("/agreements", response={201: PartyAgreementDetailOut})
def agreement_create(request, payload: PartyAgreementIn):
    """Party-work staff of the community sign an agreement with a unit serving it."""
    community = Area.objects.filter(pk=payload.community_id).first()
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if community is None or unit is None:
        raise ValidationFailed(_("Choose the community and the unit."), code="bad_unit")
    made = svc.agreement_create(
        actor=request.user, community=community, unit=unit, title=payload.title,
        signed_on=payload.signed_on, starts_on=payload.starts_on, ends_on=payload.ends_on,
        commitments=[svc.CommitmentIn(what=c.what, for_whom=c.for_whom,
                                      frequency=c.frequency, times=c.times)
                     for c in payload.commitments])
    return Status(201, _detail(request, made.pk))


@router.get("/agreements/{agreement_id}", response=PartyAgreementDetailOut)
def agreement_detail(request, agreement_id: Id, year: Int16 | None = None):
    """The agreement, its commitments and the year's fulfilment (this year by default)."""
    return _detail(request, agreement_id, year)


@router.get("/agreements/{agreement_id}/deliveries", response=list[PartyDeliveryOut])
def delivery_list(request, agreement_id: Id, year: Int16 | None = None):
    """The deliveries of a year (voided ones too, marked): the ones not voided are the
    figure's `delivered`."""
    a = sel.agreement_get(actor=request.user, agreement_id=agreement_id)
    return list(sel.deliveries_of(a, _year(year)))


@router.post("/agreements/{agreement_id}/deliveries", response={201: PartyDeliveryOut})
def delivery_create(request, agreement_id: Id, payload: PartyDeliveryIn):
    """Party staff or the unit's people record a delivery of one of its commitments."""
    a = sel.agreement_get(actor=request.user, agreement_id=agreement_id)
    commitment = a.commitments.filter(pk=payload.commitment_id).first()
    if commitment is None:
        raise ValidationFailed(_("Choose a commitment of this agreement."),
                               code="bad_commitment")
    made = svc.delivery_record(actor=request.user, commitment=commitment,
                               delivered_on=payload.delivered_on, given=payload.given,
                               people_served=payload.people_served)
    return Status(201, made)


@router.post("/agreements/{agreement_id}/deliveries/{delivery_id}/void", response=PartyDeliveryOut)
def delivery_void(request, agreement_id: Id, delivery_id: Id, payload: PartyReasonIn):
    """Void a delivery with a reason (never edited or deleted)."""
    a = sel.agreement_get(actor=request.user, agreement_id=agreement_id)
    delivery = sel.deliveries_of(a).filter(pk=delivery_id).first()
    if delivery is None:
        delivery = sel.delivery_get(actor=request.user, delivery_id=delivery_id)
        raise ValidationFailed(_("Choose a delivery of this agreement."), code="bad_delivery")
    return svc.delivery_void(actor=request.user, delivery=delivery, reason=payload.reason)


@router.post("/agreements/{agreement_id}/end", response=PartyAgreementDetailOut)
def agreement_end(request, agreement_id: Id, payload: PartyReasonIn):
    """End the agreement early with a reason (party-work staff of the place)."""
    a = sel.agreement_get(actor=request.user, agreement_id=agreement_id)
    svc.agreement_end(actor=request.user, agreement=a, reason=payload.reason,
                      expected_version=payload.expected_version)
    return _detail(request, agreement_id)


@router.get("/fulfilment", response=list[PartyUnitRateOut])
def fulfilment(request, year: Int16 | None = None):
    """Per unit: the year's fulfilment over all its agreements the caller may see."""
    y = _year(year)
    agreements = [a for a in agreements_visible(request.user).select_related("unit")
                  if a.starts_on.year <= y <= a.ends_on.year]
    tallies = rates.unit_tallies(agreements, y, rates.as_of_for(y, timezone.localdate()))
    names = {a.unit_id: a.unit.name for a in agreements}
    return [{"unit_id": pk, "unit_name": names[pk],
             "agreement_ids": [a.pk for a in agreements if a.unit_id == pk],
             "fulfilment": _tally(t)} for pk, t in sorted(tallies.items())]


@router.get("/property/results", response=list[PartyMonthOut])
def property_results(request):
    """Per estate and month (the last 12 months): ratings, item averages, overall score
    (the mean of the five item averages) and whether the month is low."""
    since = sel.months_back(timezone.localdate())
    figures = sel.month_figures(sel.ratings_visible(request.user).filter(month__gte=since))
    names = dict(Area.objects.filter(pk__in={f.estate_id for f in figures})
                 .values_list("pk", "name"))
    return [{"estate_id": f.estate_id, "estate_name": names[f.estate_id], "month": f.month,
             "ratings": f.count, "averages": f.averages, "overall": f.overall,
             "low": f.low} for f in figures]


@router.post("/property/ratings", response={201: PartyRatingOut})
def property_rating(request, payload: PartyRatingIn):
    """The caller's household rates its estate's property company for this month (once:
    400 `already_rated`)."""
    made = property_rate(actor=request.user, scores={
        "cleanliness": payload.cleanliness, "order": payload.order,
        "repairs": payload.repairs, "attitude": payload.attitude,
        "response": payload.response}, comment=payload.comment)
    return Status(201, {"id": made.pk, "estate_id": made.estate_id, "unit_id": made.unit_id,
                        "month": made.month})


def _supervision(request, item: PropertySupervision) -> dict:
    return {"id": item.pk, "estate_id": item.estate_id, "estate_name": item.estate.name,
            "unit_id": item.unit_id, "month": item.month, "score": item.score,
            "ratings": item.ratings, "state": item.state, "version": item.version,
            "allowed_actions": SUPERVISIONS.actions_for(request.user, item)}


@router.get("/property/supervisions", response=list[PartySupervisionOut])
@paginate(Pages, page_size=50)
def supervision_list(request, state: str = ""):
    """Supervision items of low months the caller may see (`state`: open or resolved)."""
    qs = supervisions_visible(request.user).select_related("estate")
    if state:
        if state not in ("open", "resolved"):
            from linli.core.listing import unknown_value

            raise unknown_value("state")
        qs = qs.filter(state=state)
    return [_supervision(request, item) for item in qs]


@router.get("/property/supervisions/{supervision_id}", response=PartySupervisionOut)
def supervision_detail(request, supervision_id: Id):
    return _supervision(request, sel.supervision_get(actor=request.user,
                                                     supervision_id=supervision_id))


@router.post("/property/supervisions/{supervision_id}/resolve", response=PartySupervisionOut)
def supervision_resolve_op(request, supervision_id: Id, payload: PartyReasonIn):
    """Resolve with what was done (party staff or a dispatcher of the place)."""
    item = sel.supervision_get(actor=request.user, supervision_id=supervision_id)
    supervision_resolve(actor=request.user, item=item, note=payload.reason,
                        expected_version=payload.expected_version)
    return _supervision(request, sel.supervision_get(actor=request.user,
                                                     supervision_id=supervision_id))
