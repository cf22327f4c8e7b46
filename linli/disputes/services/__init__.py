"""Every write to disputes. Registration (`register`) starts a dispute; the workflow moves
and the acts around them (sessions, agreement, referral, follow-up) live beside it.

The public functions are re-exported here: `from linli.disputes.services import X`.
"""

from linli.disputes.services.printing import PrintedAgreement, agreement_print
from linli.disputes.services.register import (
    MAX_PARTIES,
    PartyInput,
    dispute_from_case,
    dispute_register,
)

__all__ = ["MAX_PARTIES", "PartyInput", "PrintedAgreement", "agreement_print",
           "dispute_from_case", "dispute_register"]
