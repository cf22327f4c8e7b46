"""Every write to cases, by topic: `report` (intake from every channel), `moves` (the one
transition service, later photos), `extensions` (more time), `public` (what a community
publishes, "me too"). Other apps and the pages import from here."""

from linli.cases.services.extensions import extension_decide, extension_request
from linli.cases.services.moves import case_photos_add, case_transition
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

__all__ = [
    "MAX_DESCRIPTION", "Report", "ReportOutcome", "case_photos_add", "case_report",
    "case_report_outcome", "case_support", "case_transition", "extension_decide",
    "extension_request", "publication_save", "report_channel", "request_fingerprint",
]
