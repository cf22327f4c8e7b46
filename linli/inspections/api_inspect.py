"""The inspections API: on-site inspection (mounted under /api/inspections in linli/api.py).

Recording is idempotent with an `Idempotency-Key` header, like registering a dispute: a
phone that sends again after a timeout gets 200 with the first inspection and nothing is
written; the same key with another body is 409 `idempotency_mismatch`. A campaign or target
out of the caller's view is 404 before any service runs.
"""

from datetime import date, datetime, time, timedelta
from typing import Annotated

from django.utils import timezone
from ninja import Header, Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.idempotency import request_fingerprint
from linli.inspections import selectors, services
from linli.inspections.schemas_inspect import InspectionDetailOut, InspectionIn, InspectionOut
from linli.inspections.services import AnswerInput, InspectionInput

router = Router(tags=["inspections"])

IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key")]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _input(payload: InspectionIn) -> InspectionInput:
    answers = [AnswerInput(item_id=a.item_id, result=a.result, note=a.note,
                           deadline=a.deadline, measures=a.measures,
                           responsibility=a.responsibility, funds=a.funds,
                           contingency=a.contingency) for a in payload.answers]
    return InspectionInput(answers=answers, acknowledged_name=payload.acknowledged_name,
                           responsible_party=payload.responsible_party, note=payload.note,
                           lat=payload.lat, lng=payload.lng)


@router.post("/campaigns/{campaign_id}/targets/{target_id}/inspection",
             response={200: InspectionDetailOut, 201: InspectionDetailOut})
def inspection_create(request, campaign_id: Id, target_id: Id, payload: InspectionIn,
                      idempotency_key: IdempotencyKey = ""):
    """Record the target's inspection in the campaign: every item of the campaign answered
    once (pass, fail, na); each failed item becomes a rectification order at once. A
    failed item needs a `note` (this JSON endpoint takes no photos); a failed major item
    its four written fixes (the deadline is the time limit); `acknowledged_name` is
    required when something failed. Refusals (400): `items_missing`, `unknown_item`,
    `item_twice`, `bad_result`, `failure_undescribed`, `deadline_past`,
    `major_plan_required`, `acknowledgement_required`, `campaign_not_running`. A target
    inspected already in the campaign is 409 `already_inspected`. 201: recorded; 200: a
    retry with the same `Idempotency-Key` (at most 128 characters) and body, answered with
    the first inspection; the same key with another body: 409 `idempotency_mismatch`."""
    actor = request.user
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    target = selectors.target_get(actor=actor, target_id=target_id)
    outcome = services.inspection_submit(
        actor=actor, campaign=campaign, target=target, data=_input(payload),
        idempotency_key=idempotency_key,
        # The place is part of the request: the same key for another target is a mismatch.
        fingerprint=request_fingerprint({"campaign": campaign.pk, "target": target.pk,
                                         **payload.model_dump()}))
    inspection = selectors.inspection_get(actor=actor, inspection_id=outcome.inspection.pk)
    return Status(200 if outcome.replayed else 201, inspection)


@router.get("/inspections", response=list[InspectionOut])
@paginate(Pages, page_size=20)
def inspection_list(request, campaign_id: Id | None = None, target_id: Id | None = None,
                    grid_id: Id | None = None, since: date | None = None,
                    until: date | None = None):
    """Inspections in the caller's areas, newest first; `since`/`until` are days of the
    inspection, inclusive."""
    qs = selectors.inspections_visible(request.user).select_related("target")
    for name, value in (("campaign_id", campaign_id), ("target_id", target_id),
                        ("grid_id", grid_id)):
        if value is not None:
            qs = qs.filter(**{name: value})
    if since is not None:
        qs = qs.filter(inspected_at__gte=_day_start(since))
    if until is not None:
        qs = qs.filter(inspected_at__lt=_day_start(until + timedelta(days=1)))
    return qs.order_by("-inspected_at", "-id")


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut)
def inspection_detail(request, inspection_id: Id):
    """The inspection with every answer and the order each failed item became (its id,
    number, state, deadline). The owner's acknowledgement is masked."""
    return selectors.inspection_get(actor=request.user, inspection_id=inspection_id)
