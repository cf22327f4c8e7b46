"""Recording an inspection on site (`inspection_submit`): a target's answers in one
campaign, and an order at once for every failed item (no retyping).

Checked before anything is written: the campaign runs today, the target is one of it and in
the inspector's areas, every item of the campaign is answered once and no other, a failed
item says what was found (a note or a photo), a major hazard carries its five fixes, a
deadline given is in the future, and the owner typed their name when something failed.

A phone on a flaky connection sends the same form again after a timeout: the form's token
(or the API's `Idempotency-Key`) with the same answers replays the first inspection; the
same key with other answers, or a second inspection of the target in the campaign, is
refused. Nothing is half-written: one transaction.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.crypto import encrypt
from linli.core.errors import Conflict, NotFound, ValidationFailed
from linli.core.idempotency import key_checked, request_fingerprint
from linli.core.images import MAX_FILES, CleanImage, images_clean
from linli.inspections import effects, permissions, selectors
from linli.inspections.models import (
    MAX_NOTE,
    Answer,
    Campaign,
    CampaignItem,
    Inspection,
    Order,
    PhotoPhase,
    Result,
    Severity,
    State,
    Target,
)
from linli.inspections.workflow import ORDERS
from linli.orgs.models import AreaKind

MAX_PLAN = 1000
MAX_NAME = 64
# A deadline given as a date ends at this hour that day (the end of a working day).
DEADLINE_TIME = time(18, 0)


@dataclass
class AnswerInput:
    item_id: int
    result: str
    note: str = ""
    photos: Sequence = ()                   # uploads, checked and stripped here
    clean_photos: Sequence[CleanImage] = ()  # already cleaned (held by a form)
    deadline: date | None = None            # else by severity on the working calendar
    # A major hazard's five fixes (the time limit is the deadline).
    measures: str = ""
    responsibility: str = ""
    funds: str = ""
    contingency: str = ""
    # The photos by content (core.held digests), when the caller knows them: a form sent
    # again names photos its first send saved and released already; counting what is
    # still held would then differ, naming them by content does not.
    photo_keys: Sequence[str] = ()

    def fingerprint(self) -> dict[str, Any]:
        photos: Any = (sorted(self.photo_keys) if self.photo_keys
                       else len(self.photos) + len(self.clean_photos))
        return {"item": self.item_id, "result": self.result, "note": self.note.strip(),
                "deadline": self.deadline, "plan": [self.measures, self.responsibility,
                                                    self.funds, self.contingency],
                "photos": photos}


@dataclass
class InspectionInput:
    answers: list[AnswerInput]
    acknowledged_name: str = ""   # the owner's acknowledgement, typed
    note: str = ""
    responsible_party: str = ""   # else the target's operator
    responsible_user_id: int | None = None
    lat: Decimal | None = None
    lng: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self, campaign: Campaign, target: Target) -> str:
        return request_fingerprint({
            "campaign": campaign.pk, "target": target.pk,
            "answers": sorted((a.fingerprint() for a in self.answers),
                              key=lambda a: a["item"]),
            "acknowledged": self.acknowledged_name.strip(), "note": self.note.strip(),
            "responsible": [self.responsible_party.strip(), self.responsible_user_id]})


@dataclass
class InspectionOutcome:
    inspection: Inspection
    replayed: bool = False


# --- checks ------------------------------------------------------------------------------

def _check_campaign(campaign: Campaign, target: Target, today: date) -> None:
    if not selectors.campaign_targets(campaign).filter(pk=target.pk).exists():
        raise ValidationFailed(_("This target is not one of the campaign's targets."),
                               code="target_not_in_campaign")
    if not selectors.campaign_is_running(campaign, today):
        raise ValidationFailed(
            _("The campaign runs from %(start)s to %(end)s: inspections are recorded "
              "within it.") % {"start": campaign.starts_on, "end": campaign.ends_on},
            code="campaign_not_running")


def _item_label(item: CampaignItem) -> str:
    return f"{item.position}. {item.text}"


def _check_answers(data: InspectionInput, items: dict[int, CampaignItem],
                   today: date) -> None:
    seen: set[int] = set()
    for answer in data.answers:
        item = items.get(answer.item_id)
        if item is None:
            raise ValidationFailed(_("An answer is for a check item that is not on this "
                                     "campaign's checklist."), code="unknown_item")
        if answer.item_id in seen:
            raise ValidationFailed(_("Item %(item)s is answered twice.")
                                   % {"item": _item_label(item)}, code="item_twice")
        seen.add(answer.item_id)
        if answer.result not in Result.values:
            raise ValidationFailed(_("An answer is pass, fail or not applicable."),
                                   code="bad_result")
        if len(answer.note) > MAX_NOTE:
            raise ValidationFailed(_("A note is at most %(n)d characters.") % {"n": MAX_NOTE},
                                   code="note_too_long")
        if answer.result == Result.FAIL:
            _check_failure(answer, item, today)
    missing = [items[pk] for pk in items if pk not in seen]
    if missing:
        raise ValidationFailed(_("Answer every item of the checklist; missing: %(items)s.")
                               % {"items": "; ".join(_item_label(i) for i in missing[:3])},
                               code="items_missing")


def _check_failure(answer: AnswerInput, item: CampaignItem, today: date) -> None:
    label = _item_label(item)
    if not answer.note.strip() and not (answer.photos or answer.clean_photos):
        raise ValidationFailed(_("Item %(item)s failed: say what you found or add a photo.")
                               % {"item": label}, code="failure_undescribed")
    if answer.deadline is not None and answer.deadline <= today:
        raise ValidationFailed(_("The deadline of item %(item)s must be after today.")
                               % {"item": label}, code="deadline_past")
    if item.severity == Severity.MAJOR:
        plan = (answer.measures, answer.responsibility, answer.funds, answer.contingency)
        if not all(part.strip() for part in plan):
            raise ValidationFailed(
                _("Item %(item)s is a major hazard: give its measures, responsibility, "
                  "funds and contingency plan (the deadline is the time limit).")
                % {"item": label}, code="major_plan_required")
        if any(len(part) > MAX_PLAN for part in plan):
            raise ValidationFailed(_("Each of the five fixes is at most %(n)d characters.")
                                   % {"n": MAX_PLAN}, code="plan_too_long")


def _responsible(data: InspectionInput, target: Target, failed: bool):
    party = " ".join((data.responsible_party or target.operator).split())
    if failed and not party:
        raise ValidationFailed(_("Name the party responsible for the rectification (the "
                                 "owner or operator)."), code="responsible_required")
    if len(party) > 100:
        raise ValidationFailed(_("The responsible party is at most 100 characters."),
                               code="responsible_too_long")
    user = None
    if data.responsible_user_id is not None:
        user = get_user_model().objects.filter(pk=data.responsible_user_id,
                                               is_active=True).first()
        # The account sees the order: only someone who works at the place (a unit serving
        # it, its staff), never a person of another community or a resident.
        if user is None or not permissions.may_answer_for(user, target.area):
            raise ValidationFailed(_("The responsible account must belong to a handling "
                                     "unit or the staff of this place."),
                                   code="unknown_user")
    return party, user


def _acknowledged(data: InspectionInput, failed: bool) -> str:
    name = " ".join(data.acknowledged_name.split())
    if failed and not name:
        raise ValidationFailed(_("Something failed: the owner or operator types their name "
                                 "to acknowledge the findings."), code="acknowledgement_required")
    if len(name) > MAX_NAME:
        raise ValidationFailed(_("A name is at most %(n)d characters.") % {"n": MAX_NAME},
                               code="name_too_long")
    return name


# --- writing -----------------------------------------------------------------------------

def _due(answer: AnswerInput, severity: str, now: datetime) -> tuple[datetime, datetime]:
    if answer.deadline is None:
        return effects.deadline_for(severity, now)
    due = timezone.make_aware(datetime.combine(answer.deadline, DEADLINE_TIME))
    return due, now + (due - now) * 4 / 5


def _order(inspection: Inspection, answer: Answer, given: AnswerInput, party: str, user,
           images: list[CleanImage], actor, now: datetime) -> Order:
    item = answer.item
    due, warn = _due(given, item.severity, now)
    hazard = item.text + (f"：{given.note.strip()}" if given.note.strip() else "")
    order = Order.objects.create(
        answer=answer, inspection=inspection, campaign=inspection.campaign,
        target=inspection.target, community=inspection.community, grid=inspection.grid,
        area_path=inspection.area_path, topic=inspection.campaign.topic,
        severity=item.severity, hazard=hazard, requirement=item.requirement,
        responsible_party=party, responsible_user=user,
        plan_measures=given.measures.strip(), plan_responsibility=given.responsibility.strip(),
        plan_funds=given.funds.strip(), plan_contingency=given.contingency.strip(),
        issued_by=actor, issued_at=now, due_at=due, warn_at=warn)
    effects.photos_store(order, PhotoPhase.FINDING, images, actor)
    ORDERS.write_event(order, actor=actor, action="issue", from_state="",
                       to_state=State.ISSUED, at=now,
                       data={"due_at": due.isoformat(), "severity": item.severity})
    return order


def _replayed(actor, key: str, fingerprint: str) -> Inspection | None:
    first = Inspection.objects.filter(inspector=actor, submission_key=key).first()
    if first is None:
        return None
    if first.request_hash != fingerprint:
        raise Conflict(_("This form was already sent with other answers. Reload the "
                         "target's page to see what was recorded."),
                       code="idempotency_mismatch")
    return first


def _already(campaign: Campaign, target: Target) -> None:
    done = Inspection.objects.filter(campaign=campaign, target=target).first()
    if done is not None:
        raise Conflict(_("%(target)s was already inspected in this campaign on %(day)s.")
                       % {"target": target.name,
                          "day": timezone.localtime(done.inspected_at).strftime("%Y-%m-%d")},
                       code="already_inspected")


def inspection_submit(*, actor, campaign: Campaign, target: Target, data: InspectionInput,
                      idempotency_key: str = "", fingerprint: str = "",
                      now: datetime | None = None) -> InspectionOutcome:
    """Record `target`'s inspection in `campaign` and issue an order per failed item.
    `fingerprint`: the API's hash of its request body; else one of the answers."""
    now = now or timezone.now()
    if not permissions.is_inspector(actor, target.area):
        # Outside the inspector's grids a target looks missing, as on every read.
        raise NotFound(_("This target is outside your grids: only the inspectors of its "
                         "place inspect it."))
    key = key_checked(idempotency_key) if idempotency_key else f"auto-{uuid.uuid4().hex}"
    fingerprint = fingerprint or data.fingerprint(campaign, target)
    existing = _replayed(actor, key, fingerprint)
    if existing is not None:
        return InspectionOutcome(existing, replayed=True)
    _check_campaign(campaign, target, timezone.localdate(now))
    items = {item.pk: item for item in selectors.campaign_items(campaign)}
    _check_answers(data, items, timezone.localdate(now))
    failed = [a for a in data.answers if a.result == Result.FAIL]
    party, user = _responsible(data, target, bool(failed))
    name = _acknowledged(data, bool(failed))
    if len(data.note) > 1000:
        raise ValidationFailed(_("The note is at most 1000 characters."),
                               code="note_too_long")
    images = {a.item_id: [*a.clean_photos, *images_clean(a.photos)] for a in failed}
    for answer in failed:
        if len(images[answer.item_id]) > MAX_FILES:
            raise ValidationFailed(_("At most %(n)d photos per item.") % {"n": MAX_FILES},
                                   code="too_many_photos")
    _already(campaign, target)
    try:
        with transaction.atomic():
            inspection = _write(actor, campaign, target, data, items, party, user, name,
                                images, key, fingerprint, now)
    except IntegrityError:
        # Two sends of the same form at once: the other one won; answer as it did.
        existing = _replayed(actor, key, fingerprint)
        if existing is not None:
            return InspectionOutcome(existing, replayed=True)
        _already(campaign, target)
        raise
    return InspectionOutcome(inspection)


def _write(actor, campaign, target, data, items, party, user, name, images, key,
           fingerprint, now) -> Inspection:
    grid = target.grid or target.area.ancestor_of_kind(AreaKind.GRID)
    inspection = Inspection.objects.create(
        campaign=campaign, target=target, community=target.community, grid=grid,
        area_path=target.area_path, inspector=actor, inspected_at=now,
        note=data.note.strip(), acknowledged_name_cipher=encrypt(name) if name else "",
        lat=data.lat, lng=data.lng,
        failed_count=sum(1 for a in data.answers if a.result == Result.FAIL),
        submission_key=key, request_hash=fingerprint)
    orders = []
    for given in data.answers:
        answer = Answer.objects.create(inspection=inspection, item=items[given.item_id],
                                       result=given.result, note=given.note.strip())
        if given.result == Result.FAIL:
            orders.append(_order(inspection, answer, given, party, user,
                                 images[given.item_id], actor, now))
    audit_record(actor=actor, action="inspection.record", obj=inspection,
                 changes={"campaign": campaign.pk, "target": target.pk,
                          "failed": len(orders), "orders": [o.pk for o in orders]},
                 area_path=target.area_path)
    return inspection


