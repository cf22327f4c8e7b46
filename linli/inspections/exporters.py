"""The problem ledger (问题台账) as a spreadsheet a street office hands in as it is: one row
per order found, in the columns of the usual form (序号 … 销号日期), read with the ledger
page's own filters, as the person who asked, when the file is written (core.exports).

The responsible party (责任人) is the premises' operator or their company, as printed on
the order itself, not a resident's personal data; the target's sealed contact person is
never in the file.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from linli.accounts import scope
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.exports.registry import Column, Kind, Prepared, register
from linli.inspections.forms_ledger import FILTERS, LedgerForm
from linli.inspections.ledger import ledger_rows
from linli.inspections.models import Order, Severity, State
from linli.inspections.permissions import INSPECTORS
from linli.inspections.transitions import OPEN
from linli.orgs.paths import common_path

KIND = "inspection_ledger"
COLUMNS = (
    Column(pgettext_lazy("inspections ledger", "No."), Kind.NUMBER, 6),
    Column(pgettext_lazy("inspections ledger", "Inspected premises"), Kind.TEXT, 20),
    Column(pgettext_lazy("inspections ledger", "Address"), Kind.TEXT, 28),
    Column(pgettext_lazy("inspections ledger", "Hazard"), Kind.TEXT, 36),
    Column(pgettext_lazy("inspections ledger", "Hazard level"), Kind.TEXT, 10),
    Column(pgettext_lazy("inspections ledger", "Rectification measures"), Kind.TEXT, 36),
    Column(pgettext_lazy("inspections ledger", "Responsible party"), Kind.TEXT, 14),
    Column(pgettext_lazy("inspections ledger", "Deadline"), Kind.DATE, 12),
    Column(pgettext_lazy("inspections ledger", "Rectification status"), Kind.TEXT, 30),
    Column(pgettext_lazy("inspections ledger", "Re-checked by"), Kind.TEXT, 10),
    Column(pgettext_lazy("inspections ledger", "Signed off on"), Kind.DATE, 12),
)
_CHUNK = 500


def state_words(order: Order, now: datetime) -> str:
    """整改情况 in the words of a street office's ledger."""
    if order.state == State.CLOSED:
        return pgettext("inspections ledger", "signed off")
    if order.state == State.RECTIFIED:
        return pgettext("inspections ledger", "rectified, waiting for the re-check")
    if order.state == State.ESCALATED:
        return pgettext("inspections ledger", "overdue, reported to the competent unit")
    if order.state in OPEN and order.due_at < now:
        return pgettext("inspections ledger", "overdue, not rectified")
    return pgettext("inspections ledger", "being rectified")


def status(order: Order, now: datetime) -> str:
    words = state_words(order, now)
    note = order.rectification_note.strip() if order.rectified_at else ""
    if not note:
        return words
    return pgettext("inspections ledger", "%(state)s: %(note)s") % {"state": words,
                                                                   "note": note}


def measures(order: Order) -> str:
    """整改措施: the requirement, and a major hazard's own measures (五落实)."""
    if order.severity == Severity.MAJOR and order.plan_measures.strip():
        return pgettext("inspections ledger", "%(requirement)s; measures: %(measures)s") % {
            "requirement": order.requirement, "measures": order.plan_measures.strip()}
    return order.requirement


def _address(order: Order) -> str:
    return order.target.address or order.target.area.name


def _day(value: datetime | None):
    return timezone.localdate(value) if value is not None else None


def row(number: int, order: Order, now: datetime) -> list[Any]:
    """One line of the ledger: the page shows these cells too."""
    return [number, order.target.name, _address(order), order.hazard,
            order.get_severity_display(), measures(order), order.responsible_party,
            _day(order.due_at), status(order, now),
            str(order.rechecked_by) if order.rechecked_by else "", _day(order.closed_at)]


def _form(actor, parameters: dict[str, str]) -> LedgerForm:
    data = QueryDict(mutable=True)
    for name, value in parameters.items():
        if name in FILTERS and value:
            data[name] = value
    return LedgerForm(data, actor=actor)


def prepare(actor, parameters: dict[str, str]) -> Prepared:
    if not scope.has_role(actor, INSPECTORS):
        raise PermissionDenied(_("Only inspectors export the problem ledger."))
    form = _form(actor, parameters)
    if not form.is_valid():
        raise ValidationFailed(_("These filters are not right. Correct them on the ledger, "
                                 "then export again."))
    query = form.query()
    orders = ledger_rows(actor=actor, query=query)

    def rows() -> Iterator[list[Any]]:
        now = timezone.now()
        for number, order in enumerate(orders.all().iterator(chunk_size=_CHUNK), start=1):
            yield row(number, order, now)

    return Prepared(columns=COLUMNS, count=orders.count, rows=rows,
                    filename=str(pgettext_lazy("export file", "problem ledger")),
                    area_path=common_path(scope.area_paths(actor, INSPECTORS)),
                    summary=form.parameters())


register(KIND, prepare)
