"""Revealing a party's identity (name, phone, ID number) in clear: only to the
coordinators and handlers of the dispute, for a stated purpose, audited. The audit entry
names the party and the purpose, never a value; a registry resident's reveal is also
written to the registry's access log, where the resident sees it."""

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.disputes import permissions
from linli.disputes.models import Party
from linli.disputes.services.moves import visible_or_404
from linli.people.models import Outcome
from linli.people.services import access_record, purpose_acceptable

FIELD = "dispute_party"  # the registry access log's field for this reveal


def _clear(party: Party) -> dict[str, str]:
    resident = party.resident
    if resident is not None:
        return {"name": resident.name, "phone": resident.phone.reveal_unaudited(),
                "id_number": resident.id_number.reveal_unaudited()}
    return {"name": party.name.reveal_unaudited(), "phone": party.phone.reveal_unaudited(),
            "id_number": party.id_number.reveal_unaudited()}


def party_reveal(*, actor, party: Party, purpose: str) -> dict[str, str]:
    """The party's name, phone and ID number in clear ("" where none is held)."""
    purpose = (purpose or "").strip()
    dispute = party.dispute
    visible_or_404(actor, dispute)
    if not (permissions.is_coordinator(actor, dispute)
            or permissions.is_handler(actor, dispute)):
        raise PermissionDenied(_("Only the dispute's handlers and coordinators may see a "
                                 "party's identity."))
    if not purpose_acceptable(purpose):
        raise ValidationFailed(_("State why you need to see it, in words (2 to 200 "
                                 "characters)."), code="purpose_required")
    with transaction.atomic():
        if party.resident_id is not None:
            access_record(actor=actor, resident=party.resident, field=FIELD,
                          outcome=Outcome.REVEALED, purpose=purpose)
        audit_record(actor=actor, action="dispute.party_reveal", obj=dispute,
                     changes={"party": party.pk, "purpose": purpose},
                     area_path=dispute.area_path)
        return _clear(party)
