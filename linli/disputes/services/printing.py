"""Printing the mediation agreement (调解协议书): an audited reveal.

The printed agreement is the one place the parties' names, ID numbers, addresses and phones
stand in clear, as the law's form wants them. So only the dispute's coordinators and
handlers print it, and each print is written down: an audit entry
("dispute.agreement_print", naming the dispute and the agreement, never a value) and, for
each registry resident among the parties, a row in the registry's access log, where the
community office and the resident see who printed their data.
"""

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import NotFound, PermissionDenied
from linli.disputes import permissions
from linli.disputes.agreement_pdf import PartyIdentity, agreement_document
from linli.disputes.models import Agreement, Dispute, Party
from linli.orgs.models import AreaKind
from linli.people.models import Outcome, Resident
from linli.people.selectors import place_labels
from linli.people.services import access_record

# The registry access log's field for this reveal (people's pages name it in words).
ACCESS_FIELD = "dispute_agreement"


@dataclass(frozen=True)
class PrintedAgreement:
    content: bytes
    filename: str        # ASCII, for clients that read only `filename=`
    filename_utf8: str   # the Chinese name, for `filename*=UTF-8''`

    def content_disposition(self) -> str:
        """Shown in the browser (inline), saved under the Chinese name where it can be."""
        return (f'inline; filename="{self.filename}"; '
                f"filename*=UTF-8''{quote(self.filename_utf8)}")


def _age(birth_date: date | None, on: date) -> str:
    if birth_date is None:
        return ""
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month,
                                                               birth_date.day))
    return str(years)


def _resident_address(resident: Resident) -> str:
    dwelling = resident.household.dwelling
    community = dwelling.ancestor_of_kind(AreaKind.COMMUNITY)
    place = place_labels([dwelling]).get(dwelling.pk, "")
    return " ".join(part for part in (community.name if community else "", place) if part)


def _identity(party: Party, on: date) -> PartyIdentity:
    """The party in clear. Only `agreement_print`, which audits, calls this."""
    role = party.get_role_display()
    resident = party.resident
    if resident is not None:
        return PartyIdentity(
            role=role, name=resident.name, gender=resident.get_gender_display(),
            age=_age(resident.birth_date, on),
            id_number=resident.id_number.reveal_unaudited(),
            address=_resident_address(resident), phone=resident.phone.reveal_unaudited())
    # An outsider's name, ID number and phone are all the registry sealed of them.
    return PartyIdentity(role=role, name=party.name.reveal_unaudited(),
                         id_number=party.id_number.reveal_unaudited(),
                         phone=party.phone.reveal_unaudited())


def _may_print(actor, dispute: Dispute) -> bool:
    return permissions.is_coordinator(actor, dispute) or permissions.is_handler(actor, dispute)


def agreement_print(*, actor, dispute: Dispute, now: datetime | None = None
                    ) -> PrintedAgreement:
    """The agreement of a dispute the actor sees (`selectors.dispute_get`) as a PDF.

    Refused: 403 for staff who see the dispute but neither coordinate nor handle it; 404
    when there is no agreement yet; 503 (`core.pdf.FontMissing`) when the font is not
    installed. A refusal writes nothing; a print writes its audit entry and access rows.
    """
    now = now or timezone.now()
    if not _may_print(actor, dispute):
        raise PermissionDenied(_("Only the dispute's handlers and coordinators may print "
                                 "its agreement."))
    agreement = (Agreement.objects.filter(dispute=dispute).select_related("mediator")
                 .first())
    if agreement is None:
        raise NotFound(_("This dispute has no agreement yet."))
    parties = list(dispute.parties.select_related("resident__household__dwelling")
                   .order_by("position", "id"))
    today = timezone.localdate(now)
    document = agreement_document(
        dispute=dispute, agreement=agreement,
        parties=[_identity(party, today) for party in parties],
        mediator_name=str(agreement.mediator))
    # Made before anything is written: without the font nothing is printed or logged.
    content = document.render(now=now)
    with transaction.atomic():
        purpose = _("printing the mediation agreement %(number)s") % {
            "number": dispute.number}
        for party in parties:
            if party.resident is not None:
                access_record(actor=actor, resident=party.resident, field=ACCESS_FIELD,
                              outcome=Outcome.REVEALED, purpose=purpose)
        audit_record(actor=actor, action="dispute.agreement_print", obj=dispute,
                     changes={"agreement": agreement.pk, "parties": len(parties)},
                     area_path=dispute.area_path)
    return PrintedAgreement(
        content=content, filename=f"agreement-{dispute.number}.pdf",
        filename_utf8=_("mediation-agreement-%(number)s.pdf") % {"number": dispute.number})
