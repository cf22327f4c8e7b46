"""The rectification order's moves (`transitions.TABLE`, declared in `workflow.py`): every
move but raising a case goes through `order_transition`; raising a case has its own service
because it writes a case too. What each move writes is in `effects.py`.

Refusals, in the order a person meets them, each with nothing written: an order out of
view looks missing (404); the responsible party or whoever recorded the rectification
asking to re-check it is told why not (403, before the kit's generic refusal); then the
kit's checks (role, version, state, note); then the inputs (photos, deadline, unit).
"""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases.models import Category, Channel
from linli.cases.services import case_report
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.images import MAX_FILES, CleanImage, images_clean
from linli.inspections import selectors
from linli.inspections.models import Order, OrderEvent, PhotoPhase
from linli.inspections.services.inspect import DEADLINE_TIME
from linli.inspections.workflow import ORDERS
from linli.orgs.selectors import units_serving

RECHECKS = ("sign_off", "reject")
MAX_CASE_TEXT = 2000
SIX_PLACES = Decimal("0.000001")


def visible_or_404(actor, order: Order) -> None:
    """Out of the actor's view an order looks missing, whatever they try on it."""
    if not selectors.orders_visible(actor).filter(pk=order.pk).exists():
        raise NotFound(_("No such rectification order in your areas."))


def _recheck_refused(actor, order: Order, action: str) -> None:
    """The re-check is independent: say so plainly rather than "you may not"."""
    if action not in RECHECKS:
        return
    pk = getattr(actor, "pk", None)
    if pk is not None and pk == order.responsible_user_id:
        raise PermissionDenied(_("You are the party responsible for this order: another "
                                 "inspector re-checks the rectification on site."),
                               code="recheck_by_responsible")
    if pk is not None and pk == order.rectified_by_id:
        raise PermissionDenied(_("You recorded this rectification: another inspector "
                                 "re-checks it on site."), code="recheck_by_rectifier")


def _images(files: Sequence, label: str) -> list[CleanImage]:
    """Uploads cleaned here (EXIF and GPS dropped), and photos a form held cleaned already."""
    clean = [f for f in files if isinstance(f, CleanImage)]
    images = clean + images_clean([f for f in files if not isinstance(f, CleanImage)])
    if len(images) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d photos %(phase)s.") % {
            "n": MAX_FILES, "phase": label}, code="too_many_photos")
    return images


def deadline_from(day: date | None) -> datetime | None:
    """A deadline given as a date ends at the end of that working day (18:00)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, DEADLINE_TIME))


def _position(lat: Decimal | None, lng: Decimal | None
              ) -> tuple[Decimal | None, Decimal | None]:
    if (lat is None) != (lng is None):
        raise ValidationFailed(_("The phone's position needs both latitude and longitude."),
                               code="bad_position")
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationFailed(_("The phone's position is not a place on Earth."),
                               code="bad_position")
    if lat is None or lng is None:
        return None, None
    # The columns keep six places (about 0.1 m): a phone's longer fractions are cut there.
    return lat.quantize(SIX_PLACES), lng.quantize(SIX_PLACES)


def _unit(order: Order, unit_id: int | None):
    """The competent unit told of an escalation: one serving the target's place."""
    if unit_id is None:
        return None
    unit = units_serving(order.target.area).filter(pk=unit_id).first()
    if unit is None:
        raise ValidationFailed(_("Choose a unit that serves this target's place."),
                               code="unit_not_serving")
    return unit


def order_transition(*, actor, order: Order, action: str, note: str = "",
                     expected_version: int | None = None, after: Sequence = (),
                     before: Sequence = (), recheck: Sequence = (),
                     lat: Decimal | None = None, lng: Decimal | None = None,
                     due_on: date | None = None, competent_unit_id: int | None = None,
                     now: datetime | None = None) -> OrderEvent:
    """Move `order` by `action` (rectify, sign_off, reject, escalate); `order` is reloaded.
    rectify: `after` photos (at least one) and `before`; sign_off: the phone's `lat`/`lng`
    when it gives them and `recheck` photos; reject: a reason and maybe a new deadline
    `due_on`; escalate: a reason and maybe the competent unit."""
    now = now or timezone.now()
    note = (note or "").strip()
    visible_or_404(actor, order)
    if action == "raise_case":
        raise ValidationFailed(_("Raise a case with its own form, choosing a category."),
                               code="unknown_action")
    _recheck_refused(actor, order, action)
    ORDERS.check(actor, order, action, note, expected_version)
    lat, lng = _position(lat, lng)
    data = {"after": _images(after, _("after the rectification")),
            "before": _images(before, _("before the rectification")),
            "recheck": _images(recheck, _("at the re-check")), "lat": lat, "lng": lng,
            "due_at": deadline_from(due_on) if action == "reject" else None,
            "competent_unit": _unit(order, competent_unit_id) if action == "escalate"
            else None}
    with transaction.atomic():
        return ORDERS.transition(actor=actor, obj=order, action=action, note=note,
                                 expected_version=expected_version, now=now, data=data)


# --- a case for a serious hazard -------------------------------------------------------------

def _leaf(category: Category | None) -> Category:
    if category is None or category.is_group or not category.is_active or not category.triage:
        raise ValidationFailed(_("Choose a specific, active category for the case."),
                               code="bad_category")
    return category


def _finding_photos(order: Order) -> list[CleanImage]:
    """The photos taken at the inspection, for the case: already cleaned when stored."""
    images = []
    for photo in order.photos.filter(phase=PhotoPhase.FINDING)[:MAX_FILES]:
        try:
            with photo.image.open("rb") as full, photo.thumbnail.open("rb") as thumb:
                content, small = full.read(), thumb.read()
        except (FileNotFoundError, ValueError):
            continue  # a file lost from storage: the case is raised without it
        images.append(CleanImage(content, small, photo.content_type,
                                 PurePath(photo.image.name or "").suffix.lstrip(".") or "jpg",
                                 photo.width, photo.height))
    return images


def _case_text(order: Order, note: str) -> str:
    text = _("Safety inspection of %(target)s found a hazard (rectification order "
             "%(number)s, %(severity)s): %(hazard)s\nRequirement: %(requirement)s") % {
        "target": order.target.name, "number": order.number,
        "severity": order.get_severity_display(), "hazard": order.hazard,
        "requirement": order.requirement}
    if note:
        text += "\n" + note
    return text[:MAX_CASE_TEXT]


def _case(actor, order: Order, category: Category, note: str, now: datetime):
    target = order.target
    return case_report(actor=actor, category=category, area=target.area,
                       description=_case_text(order, note),
                       title=(_("Safety hazard: %(target)s") % {"target": target.name})[:100],
                       channel=Channel.GRID_PATROL, address=target.address,
                       lat=target.lat, lng=target.lng,
                       clean_photos=_finding_photos(order), is_public=False, now=now)


def order_raise_case(*, actor, order: Order, category: Category | None, note: str = "",
                     now: datetime | None = None) -> OrderEvent:
    """A serious hazard becomes a case in one step (channel grid patrol, the target's place
    and address, the hazard as description, the finding's photos), linked from the order
    (`Order.case`). Coordinators only; once per order. The case is not public: a hazard at
    a named business is the office's to handle, not a noticeboard item."""
    now = now or timezone.now()
    note = (note or "").strip()
    visible_or_404(actor, order)
    if order.case_id is not None:
        raise ValidationFailed(_("A case was already raised for this order."),
                               code="case_already_raised")
    ORDERS.check(actor, order, "raise_case", note)
    category = _leaf(category)
    with transaction.atomic():
        case = _case(actor, order, category, note, now)
        return ORDERS.transition(actor=actor, obj=order, action="raise_case", note=note,
                                 now=now, data={"case": case})
