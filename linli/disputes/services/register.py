"""Registering a dispute (登记受理): its parties, its grade, its first event.

Parties are registry residents in the actor's areas (linked, their data stays in the
registry) or outsiders, sealed by the registry's own `identity_seal`. The grade comes from
the rules as data (`grading`); a repeat between the same parties is looked up by identity
keys, never by decrypting. A case can become a dispute in one step (`dispute_from_case`):
the dispute keeps the case, and the case's page lists the dispute.

Registration is idempotent with a key (an API client's `Idempotency-Key`, the register
form's per-render token): a retry with the same key and request answers with the first
dispute and writes nothing; the same key with another request is refused (409).
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.cases.models import Case
from linli.cases.selectors import case_list
from linli.core.audit import audit_record
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.core.idempotency import key_checked, request_fingerprint
from linli.disputes import effects, grading, permissions
from linli.disputes.models import (
    Dispute,
    Grade,
    Kind,
    Party,
    PartyRole,
    RegistrationKey,
    Source,
    State,
)
from linli.disputes.workflow import DISPUTES
from linli.orgs.models import Area, AreaKind
from linli.people.models import Resident
from linli.people.selectors import has_care_tag
from linli.people.services import identity_seal

MAX_PARTIES = 20
MAX_PEOPLE = 100_000
MAX_SUMMARY = 2000


@dataclass(frozen=True)
class PartyInput:
    """A registry resident (`resident_id`) or an outsider (`name`, optional `phone` and
    `id_number`)."""

    role: str = PartyRole.APPLICANT
    resident_id: int | None = None
    name: str = ""
    phone: str = ""
    id_number: str = ""


def _resident_in_scope(actor, resident_id: int) -> Resident:
    paths = scope.area_paths(actor, permissions.STAFF)
    resident = Resident.objects.filter(pk=resident_id, anonymised_at__isnull=True).first()
    if resident is None or not any(resident.area_path.startswith(p) for p in paths):
        raise ValidationFailed(_("A party is not a resident of your areas. Pick them from "
                                 "the registry of your areas, or enter them as an outside "
                                 "party."), code="party_out_of_scope")
    return resident


def _party(actor, given: PartyInput, position: int) -> Party:
    if given.role not in PartyRole.values:
        raise ValidationFailed(_("Unknown party role."), code="bad_party_role")
    if given.resident_id is not None:
        resident = _resident_in_scope(actor, given.resident_id)
        return Party(role=given.role, resident=resident, position=position,
                     is_vulnerable=has_care_tag(resident))
    sealed = identity_seal(name=given.name, phone=given.phone, id_number=given.id_number)
    return Party(role=given.role, position=position, name_cipher=sealed.name_cipher,
                 name_hash=sealed.name_hash, phone_cipher=sealed.phone_cipher,
                 phone_hash=sealed.phone_hash, id_number_cipher=sealed.id_number_cipher,
                 id_number_hash=sealed.id_number_hash)


def _parties(actor, given: Sequence[PartyInput]) -> list[Party]:
    if not given:
        raise ValidationFailed(_("Name at least one party."), code="parties_required")
    if len(given) > MAX_PARTIES:
        raise ValidationFailed(_("At most %(n)d parties.") % {"n": MAX_PARTIES},
                               code="too_many_parties")
    parties = [_party(actor, p, i) for i, p in enumerate(given)]
    residents = [p.resident_id for p in parties if p.resident_id]
    if len(residents) != len(set(residents)):
        raise ValidationFailed(_("The same resident is named twice."), code="party_twice")
    return parties


def _check(actor, area: Area, kind: str, summary: str, people_involved: int,
           source: str) -> None:
    if not permissions.may_register(actor, area):
        raise PermissionDenied(_("You may register disputes only in your own areas."))
    if kind not in Kind.values:
        raise ValidationFailed(_("Choose the type of dispute."), code="bad_kind")
    if source not in Source.values:
        raise ValidationFailed(_("Unknown source."), code="bad_source")
    if not summary.strip():
        raise ValidationFailed(_("Describe the dispute."), code="summary_required")
    if len(summary) > MAX_SUMMARY:
        raise ValidationFailed(_("The summary is at most 2000 characters."),
                               code="summary_too_long")
    if not 1 <= people_involved <= MAX_PEOPLE:
        raise ValidationFailed(_("The number of people involved must be between 1 and "
                                 "100000."), code="bad_people_involved")


def _place(area: Area) -> tuple[Area, Area | None]:
    """(community, grid) of the place; the grid is None above grid level."""
    community = area.ancestor_of_kind(AreaKind.COMMUNITY)
    if community is None:
        raise ValidationFailed(_("Choose a place inside a community."), code="bad_area")
    return community, area.ancestor_of_kind(AreaKind.GRID)


def _replayed(actor, key: str, fingerprint: str) -> Dispute | None:
    found = RegistrationKey.objects.filter(user=actor, key=key).first()
    if found is None:
        return None
    if found.request_hash != fingerprint:
        raise Conflict(_("This registration was already sent once with other details (the "
                         "same Idempotency-Key or form). Start a new registration."),
                       code="idempotency_mismatch")
    return Dispute.objects.get(pk=found.dispute_id)


class RegisterOutcome(NamedTuple):
    dispute: Dispute
    replayed: bool  # an earlier registration with the same key made `dispute`


@dataclass(frozen=True)
class _Registration:
    """One registration as checked: what is written, and what its fingerprint covers."""

    area: Area
    kind: str
    summary: str
    people_involved: int
    source: str
    parties: Sequence[PartyInput]
    violence_threat: bool
    petition_risk: bool
    address: str
    lat: Decimal | None
    lng: Decimal | None
    case: Case | None

    def fingerprint(self) -> str:
        """The fields and parties, not the moment: a retry a minute later is the same."""
        return request_fingerprint({
            "area": self.area.pk, "kind": self.kind, "summary": self.summary,
            "people_involved": self.people_involved, "source": self.source,
            "parties": [asdict(p) for p in self.parties],
            "violence_threat": self.violence_threat, "petition_risk": self.petition_risk,
            "address": self.address, "lat": self.lat, "lng": self.lng,
            "case": self.case.pk if self.case else None})


def dispute_register_outcome(*, actor, area: Area, kind: str, summary: str,
                             people_involved: int, source: str,
                             parties: Sequence[PartyInput], violence_threat: bool = False,
                             petition_risk: bool = False, address: str = "",
                             lat: Decimal | None = None, lng: Decimal | None = None,
                             case: Case | None = None, idempotency_key: str = "",
                             fingerprint: str = "",
                             now: datetime | None = None) -> RegisterOutcome:
    """Register a dispute in its first state, graded by the rules. Refused, with nothing
    written, when the place or a party is outside the actor's areas or a field is bad.
    With an idempotency key, a retry (same key, same request) answers with the first
    dispute, `replayed`, and writes nothing: no event, no audit entry, no second grading
    (which would count the first as a repeat). The API passes the hash of its body as
    `fingerprint`; other callers get one of the fields and parties."""
    reg = _Registration(
        area=area, kind=kind, summary=(summary or "").strip(),
        people_involved=people_involved, source=source, parties=tuple(parties),
        violence_threat=violence_threat, petition_risk=petition_risk, address=address,
        lat=lat, lng=lng, case=case)
    if idempotency_key:
        key_checked(idempotency_key)
        fingerprint = fingerprint or reg.fingerprint()
        existing = _replayed(actor, idempotency_key, fingerprint)
        if existing is not None:
            return RegisterOutcome(existing, replayed=True)
    try:
        dispute = _register(actor, reg, idempotency_key, fingerprint, now or timezone.now())
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its dispute.
        existing = _replayed(actor, idempotency_key, fingerprint) if idempotency_key else None
        if existing is None:
            raise
        return RegisterOutcome(existing, replayed=True)
    return RegisterOutcome(dispute, replayed=False)


def dispute_register(*, actor, area: Area, kind: str, summary: str, people_involved: int,
                     source: str, parties: Sequence[PartyInput],
                     violence_threat: bool = False, petition_risk: bool = False,
                     address: str = "", lat: Decimal | None = None,
                     lng: Decimal | None = None, case: Case | None = None,
                     idempotency_key: str = "", fingerprint: str = "",
                     now: datetime | None = None) -> Dispute:
    """`dispute_register_outcome` for the callers that only want the dispute."""
    return dispute_register_outcome(
        actor=actor, area=area, kind=kind, summary=summary, people_involved=people_involved,
        source=source, parties=parties, violence_threat=violence_threat,
        petition_risk=petition_risk, address=address, lat=lat, lng=lng, case=case,
        idempotency_key=idempotency_key, fingerprint=fingerprint, now=now).dispute


def _register(actor, reg: _Registration, idempotency_key: str, fingerprint: str,
              now: datetime) -> Dispute:
    _check(actor, reg.area, reg.kind, reg.summary, reg.people_involved, reg.source)
    if len(reg.address) > 200:
        raise ValidationFailed(_("The address is at most 200 characters."),
                               code="address_too_long")
    community, grid = _place(reg.area)
    party_rows = _parties(actor, reg.parties)
    facts = grading.Facts(
        people_involved=reg.people_involved, violence_threat=reg.violence_threat,
        petition_risk=reg.petition_risk,
        vulnerable_party=any(p.is_vulnerable for p in party_rows),
        repeat_after_days=grading.repeat_after_days(grading.party_keys(party_rows), at=now))
    grade, reasons = grading.grade_for(facts)
    case = reg.case
    with transaction.atomic():
        dispute = Dispute.objects.create(
            community=community, grid=grid, area=reg.area, area_path=reg.area.path,
            address=reg.address, lat=reg.lat, lng=reg.lng, kind=reg.kind,
            summary=reg.summary, people_involved=reg.people_involved,
            violence_threat=reg.violence_threat, petition_risk=reg.petition_risk,
            source=reg.source, case=case, registered_by=actor, grade=grade,
            computed_grade=grade, grade_reasons=reasons, state=State.REGISTERED,
            registered_at=now)
        for party in party_rows:
            party.dispute = dispute
        Party.objects.bulk_create(party_rows)
        if idempotency_key:  # unique (user, key): a concurrent twin fails here, rolled back
            RegistrationKey.objects.create(user=actor, key=idempotency_key,
                                           request_hash=fingerprint, dispute=dispute)
        if grade == Grade.RED:  # 三所联动: the joint units hear of it at once (notify)
            effects.joint_units_set(dispute)
        data = {"grade": grade, "reasons": reasons, "source": reg.source,
                **({"case": case.pk} if case else {})}
        DISPUTES.write_event(dispute, actor=actor, action="register", from_state="",
                             to_state=State.REGISTERED, at=now, data=data)
        audit_record(actor=actor, action="dispute.register", obj=dispute,
                     changes={"kind": reg.kind, "people_involved": reg.people_involved,
                              **data},
                     area_path=dispute.area_path)
    return dispute


def dispute_from_case_outcome(*, actor, case_id: int, kind: str,
                              parties: Sequence[PartyInput], people_involved: int = 2,
                              summary: str = "", violence_threat: bool = False,
                              petition_risk: bool = False, idempotency_key: str = "",
                              fingerprint: str = "",
                              now: datetime | None = None) -> RegisterOutcome:
    """A case becomes a dispute in one step: its place, address and description carry
    over, and both stay linked. A case outside the actor's view is not found (404).
    Idempotent with a key, as `dispute_register_outcome`."""
    case = case_list(actor=actor).filter(pk=case_id).select_related("area").first()
    if case is None:
        raise NotFound(_("No such case in your areas."))
    return dispute_register_outcome(
        actor=actor, area=case.area, kind=kind, summary=summary or case.description,
        people_involved=people_involved, source=Source.CASE, parties=parties,
        violence_threat=violence_threat, petition_risk=petition_risk, address=case.address,
        lat=case.lat, lng=case.lng, case=case, idempotency_key=idempotency_key,
        fingerprint=fingerprint, now=now)


def dispute_from_case(*, actor, case_id: int, kind: str, parties: Sequence[PartyInput],
                      people_involved: int = 2, summary: str = "",
                      violence_threat: bool = False, petition_risk: bool = False,
                      idempotency_key: str = "", fingerprint: str = "",
                      now: datetime | None = None) -> Dispute:
    """`dispute_from_case_outcome` for the callers that only want the dispute."""
    return dispute_from_case_outcome(
        actor=actor, case_id=case_id, kind=kind, parties=parties,
        people_involved=people_involved, summary=summary, violence_threat=violence_threat,
        petition_risk=petition_risk, idempotency_key=idempotency_key,
        fingerprint=fingerprint, now=now).dispute
