"""The rectification order (整改通知书) as a printable PDF, laid out on `core.pdf`.

It carries what the office hands the responsible party on site or after: the number, the
target and its address, the hazard found, its severity, what must be done and by when, who
is responsible, and for a major hazard the five fixes (五落实: measures, responsibility,
funds, time limit, contingency plan); then who issued it and when, and the two signature
lines (责任人签收 / 检查人). This module only lays the document out; `services.order_print`
decides who may print and audits it.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.pdf import Document
from linli.inspections.models import Order, Severity


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _issuer_name(order: Order) -> str:
    user = order.issued_by
    return getattr(user, "display_name", "") or user.get_username()


def notice_document(order: Order) -> Document:
    target = order.target
    doc = Document(title=_("Rectification order"),
                   reference=_("No. %(number)s") % {"number": order.number},
                   issuer=order.community.name)
    doc.rows([(_("Inspected premises"), target.name),
              (_("Address"), target.address or target.area.name),
              (_("Responsible party"), order.responsible_party),
              (_("Inspection topic"), order.get_topic_display()),
              (_("Severity"), order.get_severity_display()),
              (_("Rectification deadline"), _moment(order.due_at))])
    doc.section(_("Hazard found"), order.hazard)
    doc.section(_("Rectification requirement"), order.requirement)
    if order.severity == Severity.MAJOR:
        doc.rows([(_("Measures"), order.plan_measures or "—"),
                  (_("Responsibility"), order.plan_responsibility or "—"),
                  (_("Funds"), order.plan_funds or "—"),
                  (_("Time limit"), _moment(order.due_at)),
                  (_("Contingency plan"), order.plan_contingency or "—")],
                 heading=_("Five fixes of a major hazard"))
    doc.paragraph(_("Rectify the hazard above by the deadline and keep photos of it before "
                    "and after. An inspector will re-check it on site; a hazard not "
                    "rectified in time is reported to the competent unit."))
    doc.rows([(_("Issued by"), _issuer_name(order)),
              (_("Issued on"), _moment(order.issued_at)),
              (_("Issuing office"), order.community.name)])
    doc.signatures([_("Received by the responsible party (signature)"),
                    _("Inspector (signature)")], date_label=_("Date"))
    return doc
