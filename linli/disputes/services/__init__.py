"""Every write to disputes. Registration (`register`) starts a dispute; the workflow moves
(`moves`) and the acts around them (`mediation`: sessions, the agreement, its performance
and 司法确认; `reveal`: a party's identity, audited; `printing`: the agreement as a PDF,
an audited reveal too) live beside it.

The public functions are re-exported here: `from linli.disputes.services import X`.
"""

from linli.disputes.services.mediation import (
    agreement_performance,
    agreement_save,
    judicial_applied,
    session_add,
)
from linli.disputes.services.moves import dispute_regrade, dispute_transition
from linli.disputes.services.printing import PrintedAgreement, agreement_print
from linli.disputes.services.register import (
    MAX_PARTIES,
    PartyInput,
    RegisterOutcome,
    dispute_from_case,
    dispute_from_case_outcome,
    dispute_register,
    dispute_register_outcome,
    request_fingerprint,
)
from linli.disputes.services.reveal import party_reveal

__all__ = ["MAX_PARTIES", "PartyInput", "PrintedAgreement", "RegisterOutcome",
           "agreement_performance", "agreement_print", "agreement_save", "dispute_from_case",
           "dispute_from_case_outcome", "dispute_register", "dispute_register_outcome",
           "dispute_regrade", "dispute_transition", "judicial_applied", "party_reveal",
           "request_fingerprint",
           "session_add"]
