"""What each order move writes, or why it is refused (the kit's `effects`), and what follows
it (`after`): declared on `workflow.ORDERS`.

- rectify: evidence first — at least one photo after the rectification (and, optionally,
  before); records who recorded it.
- sign_off (销号) after the on-site re-check: the phone's position, when it gives one, within
  `RECHECK_RADIUS_M` of the target (when the target's position is known).
- reject: the re-check found it not fixed: back to issued, the rectification forgotten, and
  the deadline watched again (a new one may be given).
- escalate: the competent unit to tell, when given. raise_case: the case, linked.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from linli.core.clocks import due_and_warn
from linli.core.errors import ValidationFailed
from linli.core.geo import metres_between
from linli.inspections.models import Order, OrderPhoto, PhotoPhase, SeverityLimit
from linli.inspections.shipped import LIMITS

Effects = dict[str, Any]

RECHECK_RADIUS_M = 50


def deadline_for(severity: str, issued_at: datetime) -> tuple[datetime, datetime]:
    """The rectification deadline and its 80 % point, by severity (SeverityLimit), on the
    working calendar."""
    limit = SeverityLimit.objects.filter(severity=severity).first()
    amount, unit = (limit.amount, limit.unit) if limit else LIMITS[severity]
    return due_and_warn(issued_at, Decimal(amount), unit)


def photos_store(order: Order, phase: str, images, actor) -> None:
    for index, image in enumerate(images):
        full, thumb = image.files(f"order{order.pk}-{phase}-{index}")
        OrderPhoto.objects.create(
            order=order, phase=phase, image=full, thumbnail=thumb,
            content_type=image.content_type, size=len(image.content), width=image.width,
            height=image.height,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)


def _rectify(order: Order, actor, now: datetime, data: dict) -> Effects:
    if not data.get("after"):
        raise ValidationFailed(_("Add at least one photo taken after the rectification: "
                                 "an order is not rectified without evidence."),
                               code="evidence_required")
    return {"rectified_by": actor, "rectification_note": data["note"]}


def recheck_distance(order: Order, lat, lng) -> int | None:
    """Metres between the phone and the target; None when either position is unknown."""
    target = order.target
    if lat is None or lng is None or target.lat is None or target.lng is None:
        return None
    return round(metres_between(lat, lng, target.lat, target.lng))


def _sign_off(order: Order, actor, now: datetime, data: dict) -> Effects:
    lat, lng = data.get("lat"), data.get("lng")
    distance = recheck_distance(order, lat, lng)
    if distance is not None and distance > RECHECK_RADIUS_M:
        raise ValidationFailed(
            _("Your phone is %(m)d m from the target: a re-check is made on site, within "
              "%(limit)d m.") % {"m": distance, "limit": RECHECK_RADIUS_M}, code="too_far")
    return {"rechecked_by": actor, "recheck_lat": lat, "recheck_lng": lng,
            "recheck_distance_m": distance}


def _reject(order: Order, actor, now: datetime, data: dict) -> Effects:
    updates: Effects = {"rectified_at": None, "rectified_by": None, "overdue_for": None,
                        "rechecked_by": actor}
    due = data.get("due_at")
    if due is not None:
        if due <= now:
            raise ValidationFailed(_("The new deadline must be in the future."),
                                   code="deadline_past")
        updates |= {"due_at": due, "warn_at": None}
    return updates


def _escalate(order: Order, actor, now: datetime, data: dict) -> Effects:
    unit = data.get("competent_unit")
    return {"competent_unit": unit} if unit is not None else {}


def _raise_case(order: Order, actor, now: datetime, data: dict) -> Effects:
    return {"case": data["case"]}


EFFECTS = {"rectify": _rectify, "sign_off": _sign_off, "reject": _reject,
           "escalate": _escalate, "raise_case": _raise_case}


def _after_rectify(order: Order, actor, now: datetime, data: dict) -> None:
    photos_store(order, PhotoPhase.BEFORE, data.get("before") or (), actor)
    photos_store(order, PhotoPhase.AFTER, data["after"], actor)


def _after_sign_off(order: Order, actor, now: datetime, data: dict) -> None:
    photos_store(order, PhotoPhase.RECHECK, data.get("recheck") or (), actor)


AFTER = {"rectify": _after_rectify, "sign_off": _after_sign_off}


def applicable(order: Order, action: str) -> bool:
    if action == "raise_case":
        return order.case_id is None
    return True


def event_data(action: str, updates: Effects, data: dict) -> dict:
    """What the history keeps of a move beyond the state change."""
    if action == "rectify":
        return {"before": len(data.get("before") or ()), "after": len(data["after"])}
    if action == "sign_off":
        return {"distance_m": updates.get("recheck_distance_m")}
    if action == "reject" and "due_at" in updates:
        return {"due_at": updates["due_at"].isoformat()}
    if action == "escalate" and updates.get("competent_unit") is not None:
        return {"competent_unit": updates["competent_unit"].pk}
    if action == "raise_case":
        return {"case": updates["case"].pk}
    return {}
