"""Every write to cases, by topic: `report` (intake from every channel), `moves` (the one
transition service, later photos), `extensions` (more time), `units` (default routes, and
the unit changes that depend on cases), `public` (what a community publishes, "me too").
Other apps and the pages import from here."""

from linli.cases.services.devices import case_device_alarm, case_route_to_unit
from linli.cases.services.extensions import extension_decide, extension_request
from linli.cases.services.moves import case_photos_add, case_remark, case_transition
from linli.cases.services.public import case_support, publication_save
from linli.cases.services.report import (
    MAX_DESCRIPTION,
    Report,
    ReportOutcome,
    case_report,
    case_report_outcome,
    report_channel,
    request_fingerprint,
)
from linli.cases.services.units import route_remove, route_set, unit_area_drop, unit_change

__all__ = [
    "MAX_DESCRIPTION", "Report", "ReportOutcome", "case_device_alarm", "case_photos_add",
    "case_remark", "case_report", "case_report_outcome", "case_route_to_unit", "case_support",
    "case_transition", "extension_decide", "extension_request", "publication_save",
    "report_channel", "request_fingerprint", "route_remove", "route_set", "unit_area_drop",
    "unit_change",
]
