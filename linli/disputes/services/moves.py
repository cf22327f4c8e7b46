"""The dispute's moves along the table (`transitions.TABLE`, declared in `workflow.py`):
every move but the grade override goes through `dispute_transition`; the override has its
own service because it carries a grade. What each move writes is in `effects.py`."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import NotFound, ValidationFailed
from linli.disputes import selectors
from linli.disputes.models import Dispute, Event
from linli.disputes.workflow import DISPUTES


def visible_or_404(actor, dispute: Dispute) -> None:
    """Out of the actor's view, a dispute looks missing (404), whatever they try on it."""
    if not Dispute.objects.filter(selectors.visible_q(actor), pk=dispute.pk).exists():
        raise NotFound(_("No such dispute in your areas."))


def dispute_transition(*, actor, dispute: Dispute, action: str, note: str = "",
                       expected_version: int | None = None, owner_id: int | None = None,
                       referral_to: str = "", referral_name: str = "",
                       now: datetime | None = None) -> Event:
    """Move `dispute` by `action`; `dispute` is reloaded. Refused with nothing written
    when the actor may not, the state does not allow it, or an input is missing."""
    visible_or_404(actor, dispute)
    if action == "regrade":
        raise ValidationFailed(_("Change the grade with its own form, giving a reason."),
                               code="unknown_action")
    data = {"owner_id": owner_id, "referral_to": referral_to,
            "referral_name": referral_name}
    with transaction.atomic():
        return DISPUTES.transition(actor=actor, obj=dispute, action=action, note=note,
                                   expected_version=expected_version, now=now, data=data)


def dispute_regrade(*, actor, dispute: Dispute, grade: str, note: str,
                    expected_version: int | None = None,
                    now: datetime | None = None) -> Event:
    """Override the computed grade, with a reason (event "regrade", from → to). Turning
    red while open brings in the joint units (三所联动), who are told at once."""
    visible_or_404(actor, dispute)
    with transaction.atomic():
        return DISPUTES.transition(actor=actor, obj=dispute, action="regrade", note=note,
                                   expected_version=expected_version, now=now,
                                   data={"grade": grade})
