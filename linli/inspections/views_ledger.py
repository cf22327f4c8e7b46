"""The problem ledger page (问题台账): the figures over the orders of the person's areas, each
a link to the orders list behind it, and the ledger's rows with the 导出 Excel button.
For inspectors (grid workers, dispatchers, leaders); for anyone else the page does not
exist (404). `urlpatterns` is gathered by urls.py."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from linli.accounts import scope
from linli.core.errors import NotFound
from linli.core.listing import known_filters
from linli.inspections import exporters
from linli.inspections.forms_ledger import FILTERS, LedgerForm
from linli.inspections.ledger import ledger_figures, ledger_rows
from linli.inspections.permissions import INSPECTORS

PAGE_SIZE = 30


def _form(request) -> LedgerForm:
    data = known_filters(request, FILTERS, drop_empty=True)
    try:
        return LedgerForm(data or None, actor=request.user)
    except NotFound:  # a campaign or area of someone else's: 404, as everywhere
        raise Http404 from None


def _rows(request, query, now):
    page = Paginator(ledger_rows(actor=request.user, query=query, now=now),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    start = page.start_index()
    return page, [[_shown(cell) for cell in exporters.row(start + i, order, now)]
                  for i, order in enumerate(page)]


def _shown(cell) -> str:
    """A cell as the spreadsheet shows it: dates as 2026-03-05."""
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, date) else str(cell)


@login_required
@require_GET
def ledger_page(request):
    if not scope.has_role(request.user, INSPECTORS):
        raise Http404
    form = _form(request)
    query, now = form.query(), timezone.now()
    page, rows = _rows(request, query, now)
    parameters = form.parameters()
    ledger = ledger_figures(actor=request.user, query=query, now=now)
    return render(request, "inspections/ledger/page.html", {
        "form": form, "ledger": ledger, "summary_rows": [ledger.summary],
        "page": page, "rows": rows, "export_fields": list(parameters.items()),
        "query": urlencode(parameters),
        "columns": exporters.COLUMNS,
    }, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("ledger/", ledger_page, name="ledger"),
]
