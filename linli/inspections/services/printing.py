"""Printing the rectification order (整改通知书): whoever sees the order may print it, and
each print is written down (audit "inspection_order.print"), as every document that leaves
the office with a party's name on it is."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from linli.core.audit import audit_record
from linli.inspections.models import Order
from linli.inspections.notice_pdf import notice_document
from linli.inspections.services.orders import visible_or_404


def notice_filename(order: Order) -> str:
    return f"rectification-{order.number}.pdf"


def order_print(*, actor, order: Order, now: datetime | None = None) -> bytes:
    """The order as a PDF. Out of view: 404; without the font: 503 (`core.pdf.FontMissing`),
    and nothing is written then: the document is made before the audit entry."""
    now = now or timezone.now()
    visible_or_404(actor, order)
    content = notice_document(order).render(now=now)
    with transaction.atomic():
        audit_record(actor=actor, action="inspection_order.print", obj=order,
                     changes={"number": order.number}, area_path=order.area_path)
    return content
