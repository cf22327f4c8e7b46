"""The problem ledger in the API (mounted under /api/inspections in linli/api.py): the same
filters, scope and figures as the page (/inspections/ledger/), through the same form."""

from typing import Annotated

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router

from linli.accounts import scope
from linli.core.bounds import Id, Page
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.inspections import exporters
from linli.inspections.forms_ledger import LedgerForm
from linli.inspections.ledger import LedgerQuery, ledger_figures, ledger_rows
from linli.inspections.permissions import INSPECTORS
from linli.inspections.schemas_ledger import LedgerLinesOut, LedgerOut

router = Router(tags=["inspections"])

Month = Annotated[str | None, Query(None, alias="from", description="YYYY-MM")]


def _query(request, **given) -> LedgerQuery:
    """The page's form over the parameters: one meaning for both (400 with the fields)."""
    if not scope.has_role(request.user, INSPECTORS):
        raise PermissionDenied(_("Only inspectors read the problem ledger."))
    data = QueryDict(mutable=True)
    for name, value in given.items():
        if value not in (None, ""):
            data[name] = str(value)
    form = LedgerForm(data, actor=request.user)  # someone else's campaign or area: 404
    if not form.is_valid():
        details = [{"field": name, "message": " ".join(str(e) for e in errors)}
                   for name, errors in form.errors.items()]
        raise ValidationFailed(_("These filters are not right."), details=details)
    return form.query()


@router.get("/ledger", response=LedgerOut)
def ledger(request, campaign_id: Id | None = None, area_id: Id | None = None,
           topic: str = "", since: Month = None,
           to: Annotated[str | None, Query(None, description="YYYY-MM")] = None):
    """The problem ledger (问题台账) of the orders the caller sees, by campaign, area (and
    everything under it) and topic, over the months `from` to `to` (YYYY-MM, default: this
    year; at most 36 months): found, rectified, overdue, open, signed off, and 整改完成率 =
    rectified / due by grid and month of the deadline. Every figure has its `orders_url`,
    the orders list that shows exactly those orders. For inspectors only (403)."""
    query = _query(request, campaign_id=campaign_id, area_id=area_id, topic=topic,
                   **{"from": since, "to": to})
    return ledger_figures(actor=request.user, query=query)


def _line(number: int, order, now) -> dict:
    cells = exporters.row(number, order, now)
    return {"number": number, "order_id": order.pk, "target": cells[1], "address": cells[2],
            "hazard": cells[3], "severity": order.severity, "severity_words": cells[4],
            "measures": cells[5], "responsible_party": cells[6], "due_on": cells[7],
            "state": order.state, "status": cells[8], "rechecked_by": cells[9],
            "signed_off_on": cells[10]}


@router.get("/ledger/rows", response=LedgerLinesOut)
def ledger_lines(request, campaign_id: Id | None = None, area_id: Id | None = None,
                 topic: str = "", since: Month = None,
                 to: Annotated[str | None, Query(None, description="YYYY-MM")] = None,
                 page: Page = 1, page_size: Annotated[int, Field(ge=1, le=200)] = 50):
    """The ledger's rows, one per order found, as the xlsx export writes them (序号 counts
    from the first row of the first page), in the orders list's order (by deadline)."""
    query = _query(request, campaign_id=campaign_id, area_id=area_id, topic=topic,
                   **{"from": since, "to": to})
    now = timezone.now()
    paginator = Paginator(ledger_rows(actor=request.user, query=query, now=now), page_size)
    start = (page - 1) * page_size + 1
    items = paginator.page(page).object_list if page <= paginator.num_pages else []
    return {"count": paginator.count, "page": page, "page_size": page_size,
            "items": [_line(start + i, order, now) for i, order in enumerate(items)]}
