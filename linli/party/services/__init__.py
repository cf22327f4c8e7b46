"""Every write of party work: one module per part, gathered here."""

from linli.party.services.contacts import contact_assign, contact_visit_record
from linli.party.services.meetings import resolution_add
from linli.party.services.members import membership_join
from linli.party.services.property import property_rate

__all__ = ["contact_assign", "contact_visit_record", "membership_join", "property_rate",
           "resolution_add"]
