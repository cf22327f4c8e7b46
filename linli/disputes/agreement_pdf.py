"""The mediation agreement (人民调解协议书) as a printable PDF, laid out on `core.pdf`.

It carries what 人民调解法 art. 29 asks of it: the parties with their identity (name,
gender, age, ID number, address, phone), the main facts and disputed matters, each side's
responsibilities, the agreed terms, the manner and deadline of performance; then the
mediator, the people's mediation committee, the signature lines, the date it was signed and
how many copies there are (one per party, one kept by the committee, art. 29 para. 2).

This module only lays the document out from values it is given; the parties' identities
in clear come from `services.agreement_print`, the audited reveal that calls it.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core.pdf import Document
from linli.disputes.models import Agreement, Dispute


@dataclass(frozen=True)
class PartyIdentity:
    """One party as the agreement names them; "" where nothing is known (left blank on
    paper, to be filled in by hand)."""

    role: str
    name: str
    gender: str = ""
    age: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""


def committee_name(dispute: Dispute) -> str:
    """The people's mediation committee of the dispute's community (人民调解委员会)."""
    return _("%(community)s People's Mediation Committee") % {
        "community": dispute.community.name}


def copies(parties: list[PartyIdentity]) -> int:
    """One copy for each party and one kept by the committee (art. 29)."""
    return len(parties) + 1


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _party_rows(party: PartyIdentity) -> list[tuple[str, str]]:
    return [(pgettext("person", "Name"), party.name), (_("Gender"), party.gender),
            (_("Age"), party.age), (_("ID number"), party.id_number),
            (_("Residence"), party.address), (_("Phone"), party.phone)]


def _closing(dispute: Dispute, agreement: Agreement, parties: list[PartyIdentity]) -> str:
    text = _("This agreement takes effect when every party has signed, sealed or "
             "fingerprinted it and the mediator has signed it under the committee's seal. "
             "It is made in %(copies)d copies: each party holds one and the people's "
             "mediation committee keeps one.") % {"copies": copies(parties)}
    if agreement.judicial_wanted:
        text += "\n\n" + _(
            "The parties may jointly apply to the people's court for judicial confirmation "
            "of this agreement within 30 days of its taking effect.")
    return text


def agreement_document(*, dispute: Dispute, agreement: Agreement,
                       parties: list[PartyIdentity], mediator_name: str) -> Document:
    committee = committee_name(dispute)
    doc = Document(title=_("People's mediation agreement"),
                   reference=_("No. %(number)s") % {"number": dispute.number},
                   issuer=committee)
    doc.rows([(_("People's mediation committee"), committee),
              (_("Type of dispute"), dispute.get_kind_display()),
              (_("People's mediator"), mediator_name)])
    for n, party in enumerate(parties, start=1):
        doc.rows(_party_rows(party), heading=_("Party %(n)d: %(role)s") % {
            "n": n, "role": party.role})
    doc.section(_("Main facts of the dispute and the matters disputed"), agreement.facts)
    doc.section(_("Responsibilities of each side"), agreement.responsibilities)
    doc.section(_("Through mediation the parties agree of their own free will"),
                agreement.terms)
    doc.section(_("Manner and deadline of performance"), "\n\n".join([
        agreement.performance_manner,
        _("To be performed by %(date)s.") % {"date": _day(agreement.performance_deadline)}]))
    doc.paragraph(_closing(dispute, agreement, parties))
    doc.signatures([_("%(role)s %(name)s (signature, seal or fingerprint)") % {
        "role": party.role, "name": party.name} for party in parties]
        + [_("People's mediator (signature)")], date_label=_("Date"))
    doc.paragraph(_("%(committee)s (seal)") % {"committee": committee}, align="R")
    doc.paragraph(_("Signed on %(date)s") % {"date": _day(agreement.signed_on)}, align="R")
    return doc
