"""The disputes API: register (also from a case), list, read, every move, the grade
override, sessions, the agreement and its follow-through, and the audited reveal of a
party's identity.

Parse, call a selector or a service, serialize. A dispute named in the path is loaded
through `selectors.dispute_get`, so one out of scope is a 404 before any service runs; the
service then decides whether the caller's role allows the write (403).

Registration is idempotent with an `Idempotency-Key` header, like reporting a case: a retry
with the same key and body answers 200 with the first dispute and writes nothing (no second
dispute the repeat rule would grade up); the same key with another body is 409
`idempotency_mismatch`.
"""

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import Conflict, NotFound
from linli.core.listing import filter_words, unknown_value
from linli.disputes import selectors, services
from linli.disputes.models import Agreement, Dispute, Grade, Kind, Party, Source, State
from linli.disputes.schemas import (
    AgreementIn,
    AgreementOut,
    DisputeActionIn,
    DisputeDetailOut,
    DisputeEventOut,
    DisputeIn,
    DisputeOut,
    FromCaseIn,
    JudicialIn,
    PartyIn,
    PartyRevealIn,
    PartyRevealOut,
    PerformanceIn,
    RegradeIn,
    SessionIn,
    SessionOut,
    SimilarOut,
)
from linli.disputes.similar import MAX_LIMIT as MAX_SIMILAR
from linli.disputes.similar import similar_to
from linli.orgs.selectors import area_get

router = Router(tags=["disputes"])


def _dispute(request, dispute_id: int) -> Dispute:
    return selectors.dispute_get(actor=request.user, dispute_id=dispute_id)


def _agreement(request, dispute_id: int) -> Agreement:
    agreement = Agreement.objects.filter(dispute=_dispute(request, dispute_id)).first()
    if agreement is None:
        raise NotFound(_("This dispute has no agreement yet."))
    return agreement


def _parties(given: Sequence[PartyIn]) -> list[services.PartyInput]:
    return [services.PartyInput(role=p.role, resident_id=p.resident_id, name=p.name,
                                phone=p.phone, id_number=p.id_number) for p in given]


# --- list and read -----------------------------------------------------------------------


def _word(value: str, allowed: Sequence[str], field: str) -> str:
    if value and value not in allowed:
        raise unknown_value(field)
    return value


@router.get("", response=list[DisputeOut])
@paginate(Pages, page_size=20)
def dispute_list(request, state: Annotated[list[str] | None, Query()] = None,
                 grade: Annotated[list[str] | None, Query()] = None, kind: str = "",
                 area: Id | None = None, grid: Id | None = None, owner: Id | None = None,
                 source: str = "", open: bool | None = None, ended: bool | None = None,
                 overdue: bool | None = None, resolved: bool | None = None,
                 since: date | None = None, until: date | None = None, q: str = ""):
    """Disputes the caller may see (staff of their areas), newest first. The parameters
    are the list page's (/disputes/?...), so an indicator's link works here too: `state`
    and `grade` repeat or take a comma list; `area` keeps that area and everything under
    it; `open` (registered, accepted, in mediation), `ended` (waiting for the follow-up),
    `overdue`, `resolved` are true/false (1/0); `since`/`until` are registration days,
    inclusive; `q` searches the summary and address."""
    filters = selectors.DisputeFilters(
        state=filter_words(state, State.values, "state"),
        grade=filter_words(grade, Grade.values, "grade"),
        kind=_word(kind, Kind.values, "kind"), area_id=area, grid_id=grid,
        owner_id=owner, source=_word(source, Source.values, "source"),
        open=open, ended=ended, overdue=overdue, resolved=resolved, registered_since=since,
        registered_until=until, search=q[:100])
    return selectors.dispute_list(actor=request.user, filters=filters)


@router.get("/{dispute_id}", response=DisputeDetailOut)
def dispute_detail(request, dispute_id: Id):
    """The dispute with its parties (masked), sessions, referrals and agreement, the
    running clock's deadline and light, and the moves the caller may take now."""
    return _dispute(request, dispute_id)


@router.get("/{dispute_id}/events", response=list[DisputeEventOut])
def dispute_events(request, dispute_id: Id):
    """The history, oldest first: every move, grade change, session and agreement."""
    return selectors.event_list(dispute=_dispute(request, dispute_id))


@router.get("/{dispute_id}/similar", response=list[SimilarOut])
def dispute_similar(request, dispute_id: Id,
                    limit: Annotated[int, Field(ge=1, le=MAX_SIMILAR)] = 5):
    """Earlier disputes in the caller's areas like this one (same parties, same type at
    the same place, similar words), best first, with how each ended."""
    return similar_to(actor=request.user, dispute=_dispute(request, dispute_id), limit=limit)


# --- register ----------------------------------------------------------------------------

IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key")]


def _registered(request, outcome: services.RegisterOutcome):
    # A replay answers like a case report's: 200 with the first dispute instead of 201.
    return Status(200 if outcome.replayed else 201, _dispute(request, outcome.dispute.pk))


@router.post("", response={200: DisputeDetailOut, 201: DisputeDetailOut})
def dispute_create(request, payload: DisputeIn, idempotency_key: IdempotencyKey = ""):
    """Register a dispute (登记受理), graded by the rules. The place and every resident
    party must be in the caller's areas (a place out of sight: 404; a party outside them:
    400 `party_out_of_scope`). A retry with the same `Idempotency-Key` (at most 128
    characters) and body answers 200 with the first dispute and writes nothing; the same
    key with another body is 409 `idempotency_mismatch`."""
    actor = request.user
    outcome = services.dispute_register_outcome(
        actor=actor, area=area_get(actor=actor, area_id=payload.area_id), kind=payload.kind,
        summary=payload.summary, people_involved=payload.people_involved,
        source=payload.source, parties=_parties(payload.parties),
        violence_threat=payload.violence_threat, petition_risk=payload.petition_risk,
        address=payload.address, lat=payload.lat, lng=payload.lng,
        idempotency_key=idempotency_key,
        fingerprint=services.request_fingerprint(payload.model_dump()))
    return _registered(request, outcome)


@router.post("/from-case/{case_id}", response={200: DisputeDetailOut, 201: DisputeDetailOut})
def dispute_from_case(request, case_id: Id, payload: FromCaseIn,
                      idempotency_key: IdempotencyKey = ""):
    """A case becomes a dispute in one step (source `case`; both stay linked). A case the
    caller may not see is 404 and nothing is written. Idempotent with an
    `Idempotency-Key` as registering is (200 replays the first dispute; 409
    `idempotency_mismatch` for the same key with another case or body)."""
    outcome = services.dispute_from_case_outcome(
        actor=request.user, case_id=case_id, kind=payload.kind,
        parties=_parties(payload.parties), people_involved=payload.people_involved,
        summary=payload.summary, violence_threat=payload.violence_threat,
        petition_risk=payload.petition_risk, idempotency_key=idempotency_key,
        # The case is part of the request: the same key for another case is a mismatch.
        fingerprint=services.request_fingerprint({"case_id": case_id,
                                                  **payload.model_dump()}))
    return _registered(request, outcome)


# --- moves -------------------------------------------------------------------------------

@router.post("/{dispute_id}/actions/{action}", response=DisputeDetailOut)
def dispute_act(request, dispute_id: Id, action: str, payload: DisputeActionIn):
    """Move the dispute: accept (`owner_id` for yellow and red unless a mediator takes
    it), mediate, agree (needs the agreement), withdraw, fail, refer (`referral_to`,
    `referral_name`, a note), follow_up (a note), close (after the follow-up; yellow and
    red never by a grid worker), reassign (`owner_id`, a note). An unknown action or one
    the state does not allow: 400; not the caller's to take: 403; `version` older than
    the dispute's: 409 `stale`. The grade has its own endpoint (`regrade`)."""
    services.dispute_transition(
        actor=request.user, dispute=_dispute(request, dispute_id), action=action,
        note=payload.note, expected_version=payload.version, owner_id=payload.owner_id,
        referral_to=payload.referral_to, referral_name=payload.referral_name)
    return _dispute(request, dispute_id)


@router.post("/{dispute_id}/regrade", response=DisputeDetailOut)
def dispute_regrade(request, dispute_id: Id, payload: RegradeIn):
    """Override the rules' grade (a coordinator), with the reason in `note`."""
    services.dispute_regrade(actor=request.user, dispute=_dispute(request, dispute_id),
                             grade=payload.grade, note=payload.note,
                             expected_version=payload.version)
    return _dispute(request, dispute_id)


# --- mediation ---------------------------------------------------------------------------

@router.post("/{dispute_id}/sessions", response={201: SessionOut})
def session_create(request, dispute_id: Id, payload: SessionIn):
    """Record a mediation session (an accepted dispute moves into mediation with it)."""
    session = services.session_add(
        actor=request.user, dispute=_dispute(request, dispute_id), held_on=payload.held_on,
        mediator_id=payload.mediator_id, attendees=payload.attendees, record=payload.record)
    return Status(201, session)


def _agreement_save(request, dispute: Dispute, payload: AgreementIn) -> Agreement:
    return services.agreement_save(
        actor=request.user, dispute=dispute, facts=payload.facts,
        responsibilities=payload.responsibilities, terms=payload.terms,
        performance_manner=payload.performance_manner,
        performance_deadline=payload.performance_deadline, signed_on=payload.signed_on,
        judicial_wanted=payload.judicial_wanted)


@router.post("/{dispute_id}/agreement", response={201: AgreementOut})
def agreement_create(request, dispute_id: Id, payload: AgreementIn):
    """Write the agreement (调解协议书) while in mediation; then `agree` ends the
    mediation. One per dispute: if it exists already, 409 `agreement_exists` (correct it
    with PUT)."""
    dispute = _dispute(request, dispute_id)
    with transaction.atomic():
        # The dispute's row lock queues two creations at once, so the second one sees the
        # first agreement and is told instead of overwriting it.
        Dispute.objects.select_for_update().filter(pk=dispute.pk).first()
        if Agreement.objects.filter(dispute=dispute).exists():
            raise Conflict(_("This dispute has an agreement already; correct it instead."),
                           code="agreement_exists")
        return Status(201, _agreement_save(request, dispute, payload))


@router.put("/{dispute_id}/agreement", response=AgreementOut)
def agreement_update(request, dispute_id: Id, payload: AgreementIn):
    """Correct the agreement, while the dispute is still in mediation."""
    agreement = _agreement(request, dispute_id)
    return _agreement_save(request, agreement.dispute, payload)


@router.post("/{dispute_id}/agreement/performance", response=AgreementOut)
def agreement_performance(request, dispute_id: Id, payload: PerformanceIn):
    """The performance check (履行情况): performed or not (then say what, in `note`)."""
    return services.agreement_performance(
        actor=request.user, agreement=_agreement(request, dispute_id),
        performed=payload.performed, note=payload.note)


@router.post("/{dispute_id}/agreement/judicial", response=AgreementOut)
def agreement_judicial(request, dispute_id: Id, payload: JudicialIn):
    """司法确认 was applied for on `applied_on` (within 30 days of signing)."""
    return services.judicial_applied(actor=request.user,
                                     agreement=_agreement(request, dispute_id),
                                     applied_on=payload.applied_on)


# --- parties -----------------------------------------------------------------------------

@router.post("/{dispute_id}/parties/{party_id}/reveal", response=PartyRevealOut)
def party_reveal(request, dispute_id: Id, party_id: Id, payload: PartyRevealIn):
    """A party's name, phone and ID number in clear, for the dispute's coordinators and
    handlers, with a stated purpose; written to the access log (without the values)."""
    dispute = _dispute(request, dispute_id)
    party = Party.objects.filter(dispute=dispute, pk=party_id).select_related(
        "dispute", "resident").first()
    if party is None:
        raise NotFound(_("No such party of this dispute."))
    return services.party_reveal(actor=request.user, party=party, purpose=payload.purpose)
