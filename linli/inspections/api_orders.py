"""The inspections API: rectification orders (mounted under /api/inspections in
linli/api.py): the list with the list page's filters, one order, its moves, the
rectification with its photos, a case for a serious hazard, and the printable notice.

Parse, call a selector or a service, serialize. An order named in the path is loaded
through `selectors.order_get`, so one out of scope is a 404 before any service runs; the
service then decides whether the caller may take the move (403).
"""

from datetime import date
from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.cases.models import Category
from linli.core.bounds import Id, Int32, Pages
from linli.core.errors import ValidationFailed
from linli.core.listing import filter_words, unknown_value
from linli.inspections import selectors, services
from linli.inspections.models import Order, Severity, State, Topic
from linli.inspections.schemas_orders import (
    OrderActionIn,
    OrderCaseIn,
    OrderDetailOut,
    OrderOut,
)
from linli.inspections.services.printing import notice_filename

router = Router(tags=["inspections"])


def _order(request, order_id: int) -> Order:
    return selectors.order_get(actor=request.user, order_id=order_id)


@router.get("/orders", response=list[OrderOut])
@paginate(Pages, page_size=20)
def order_list(request, state: Annotated[list[str] | None, Query()] = None,
               severity: Annotated[list[str] | None, Query()] = None, topic: str = "",
               campaign_id: Id | None = None, area_id: Id | None = None,
               grid_id: Id | None = None, target_id: Id | None = None,
               open: bool | None = None, overdue: bool | None = None,
               rectified: bool | None = None, due_from: date | None = None,
               due_to: date | None = None, due_reached: bool | None = None,
               issued_from: date | None = None, issued_to: date | None = None,
               search: str = ""):
    """Orders the caller may see (inspectors of their places, a responsible party's own),
    by deadline. The parameters are the list page's (/inspections/orders/?...) and the
    ledger's links: `state` and `severity` repeat or take a comma list; `area_id` keeps
    that area and everything under it; `open`, `overdue`, `rectified`, `due_reached` are
    true/false; the day ranges are inclusive; `search` looks in the hazard and the
    target's name and address."""
    if topic and topic not in Topic.values:
        raise unknown_value("topic")
    filters = selectors.OrderFilters(
        state=filter_words(state, State.values, "state"),
        severity=filter_words(severity, Severity.values, "severity"), topic=topic,
        campaign_id=campaign_id, area_id=area_id, grid_id=grid_id, target_id=target_id,
        open=open, overdue=overdue, rectified=rectified, due_from=due_from, due_to=due_to,
        due_reached=due_reached, issued_from=issued_from, issued_to=issued_to,
        search=search[:100])
    return selectors.order_list(actor=request.user, filters=filters)


@router.get("/orders/{order_id}", response=OrderDetailOut)
def order_detail(request, order_id: Id):
    """The order with its five fixes, photos (scoped URLs), history and the moves the
    caller may take now."""
    return _order(request, order_id)


@router.post("/orders/{order_id}/actions/{action}", response=OrderDetailOut)
def order_act(request, order_id: Id, action: str, payload: OrderActionIn):
    """Move the order: sign_off (after the on-site re-check, `lat`/`lng` when the phone
    gives them), reject (a reason, maybe `due_on`), escalate (an overdue order: a reason,
    maybe `competent_unit_id`). Rectifying needs photos: POST .../rectification. The
    responsible party or the rectifier re-checking: 403 `recheck_by_responsible` /
    `recheck_by_rectifier`; too far from the target: 400 `too_far`; a state that does not
    allow it: 400; `expected_version` older than the order's: 409 `stale`."""
    order = _order(request, order_id)
    if action == "rectify":
        raise ValidationFailed(_("Record the rectification with its photos: POST "
                                 "/rectification."), code="unknown_action")
    services.order_transition(
        actor=request.user, order=order, action=action, note=payload.note,
        expected_version=payload.expected_version, lat=payload.lat, lng=payload.lng,
        due_on=payload.due_on, competent_unit_id=payload.competent_unit_id)
    return _order(request, order_id)


@router.post("/orders/{order_id}/rectification", response=OrderDetailOut)
def order_rectify(request, order_id: Id, after: Annotated[list[UploadedFile], File()],
                  before: Annotated[list[UploadedFile] | None, File()] = None,
                  note: Annotated[str, Form(max_length=2000)] = "",
                  expected_version: Annotated[Int32 | None, Form()] = None):
    """Record the rectification (multipart): `after` photos (at least one, JPEG/PNG/WebP up
    to 10 MB each, EXIF removed), `before` photos, a `note`. By an inspector of the place
    or the responsible party's account; without an after photo: 400
    `evidence_required`."""
    order = _order(request, order_id)
    services.order_transition(actor=request.user, order=order, action="rectify", note=note,
                              expected_version=expected_version, after=after,
                              before=before or ())
    return _order(request, order_id)


@router.post("/orders/{order_id}/case", response={201: OrderDetailOut})
def order_case(request, order_id: Id, payload: OrderCaseIn):
    """Raise a case for a serious hazard, linked to the order (`case_id`): the target's
    place and address, the hazard as description, the finding's photos. Coordinators of
    the place only (403); once (400 `case_already_raised`); `category_id` an active leaf
    category (400 `bad_category`)."""
    order = _order(request, order_id)
    category = Category.objects.filter(pk=payload.category_id).first()
    services.order_raise_case(actor=request.user, order=order, category=category,
                              note=payload.note)
    return Status(201, _order(request, order_id))


@router.get("/orders/{order_id}/notice.pdf",
            openapi_extra={"responses": {200: {
                "description": "The rectification order (整改通知书) as a PDF.",
                "content": {"application/pdf": {"schema": {"type": "string",
                                                           "format": "binary"}}}}}})
def order_pdf(request, order_id: Id):
    """The printable rectification order; each print is audited. 503
    `pdf_font_missing` when the server has no Chinese font."""
    order = _order(request, order_id)
    response = HttpResponse(services.order_print(actor=request.user, order=order),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice_filename(order)}"'
    response["Cache-Control"] = "private, no-store"
    return response
