"""Co-building agreements (共建协议) between a community and a unit: commitments (what, how
often, for whom) and each delivery recorded; the yearly fulfilment rate is `rates.py`.

- Party-work staff of the community sign an agreement with an active unit serving it,
  with at least one commitment; they add or remove commitments while the agreement has
  no deliveries (what was promised is not rewritten once work is counted against it),
  and end it early with a reason (AGREEMENTS workflow).
- Deliveries are recorded by party staff or by the unit's own people: a day within the
  term, not in the future, while the agreement is in force. A wrong one is voided with a
  reason, never edited or deleted.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind, Unit
from linli.party import permissions
from linli.party.models import (
    Agreement,
    AgreementState,
    Commitment,
    Delivery,
    Frequency,
)
from linli.party.workflow import AGREEMENTS


@dataclass
class CommitmentIn:
    what: str
    frequency: str
    times: int = 1
    for_whom: str = ""


def _staff(actor, path: str) -> None:
    if not permissions.keeps(actor, path):
        raise PermissionDenied(_("Only party-work staff of this community keep its "
                                 "agreements."), code="not_party_staff")


def serves_community(unit: Unit, community: Area) -> bool:
    """The unit serves the community, a place in it or a place above it."""
    ids = [community.pk, *community.ancestor_ids]
    return (unit.service_areas.filter(pk__in=ids).exists()
            or unit.service_areas.filter(path__startswith=community.path).exists())


def _clean_commitment(item: CommitmentIn) -> CommitmentIn:
    what = (item.what or "").strip()
    if not what:
        raise ValidationFailed(_("Say what is committed."), code="empty_what")
    if len(what) > 200 or len(item.for_whom or "") > 100:
        raise ValidationFailed(_("A commitment is at most 200 characters, its people 100."),
                               code="too_long")
    if item.frequency not in Frequency.values:
        raise ValidationFailed(_("Choose how often: monthly, quarterly or yearly."),
                               code="bad_frequency")
    if not isinstance(item.times, int) or not 1 <= item.times <= 31:
        raise ValidationFailed(_("Times each period is 1 to 31."), code="bad_times")
    return CommitmentIn(what=what, frequency=item.frequency, times=item.times,
                        for_whom=(item.for_whom or "").strip())


@transaction.atomic
def agreement_create(*, actor, community: Area, unit: Unit, title: str, signed_on: date,
                     starts_on: date, ends_on: date, commitments: list[CommitmentIn],
                     now: datetime | None = None) -> Agreement:
    now = now or timezone.now()
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("An agreement is signed by a community."),
                               code="not_community")
    _staff(actor, community.path)
    if not unit.is_active or not serves_community(unit, community):
        raise ValidationFailed(_("Choose an active unit serving the community."),
                               code="bad_unit")
    title = (title or "").strip()
    if not title or len(title) > 100:
        raise ValidationFailed(_("Give the agreement a title (at most 100 characters)."),
                               code="bad_title")
    if ends_on < starts_on:
        raise ValidationFailed(_("The term ends after it starts."), code="bad_term")
    if signed_on > timezone.localdate(now):
        raise ValidationFailed(_("An agreement is recorded once signed."), code="future")
    if not commitments:
        raise ValidationFailed(_("An agreement has at least one commitment."),
                               code="no_commitment")
    clean = [_clean_commitment(c) for c in commitments]
    agreement = Agreement.objects.create(
        community=community, unit=unit, area_path=community.path, title=title,
        signed_on=signed_on, starts_on=starts_on, ends_on=ends_on, created_by=actor)
    for position, c in enumerate(clean):
        Commitment.objects.create(agreement=agreement, what=c.what, for_whom=c.for_whom,
                                  frequency=c.frequency, times=c.times, position=position)
    AGREEMENTS.write_event(agreement, actor=actor, action="create", from_state="",
                           to_state=agreement.state, at=now, data={"unit": unit.pk})
    audit_record(actor=actor, action="agreement.create", obj=agreement,
                 area_path=agreement.area_path,
                 changes={"unit": unit.pk, "from": starts_on.isoformat(),
                          "until": ends_on.isoformat(), "commitments": len(clean)})
    return agreement


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _editable(actor, agreement: Agreement) -> Agreement:
    agreement = _locked(agreement)
    _staff(actor, agreement.area_path)
    if agreement.state != AgreementState.ACTIVE:
        raise ValidationFailed(_("This agreement has ended."), code="ended")
    if Delivery.objects.filter(commitment__agreement=agreement).exists():
        raise ValidationFailed(_("Commitments are fixed once deliveries are recorded."),
                               code="has_deliveries")
    return agreement


@transaction.atomic
def commitment_add(*, actor, agreement: Agreement, item: CommitmentIn) -> Commitment:
    agreement = _editable(actor, agreement)
    c = _clean_commitment(item)
    position = agreement.commitments.count()
    made = Commitment.objects.create(agreement=agreement, what=c.what, for_whom=c.for_whom,
                                     frequency=c.frequency, times=c.times, position=position)
    audit_record(actor=actor, action="agreement.commit", obj=agreement,
                 area_path=agreement.area_path,
                 changes={"commitment": made.pk, "frequency": c.frequency, "times": c.times})
    return made


@transaction.atomic
def commitment_remove(*, actor, commitment: Commitment) -> None:
    agreement = _editable(actor, commitment.agreement)
    if agreement.commitments.count() <= 1:
        raise ValidationFailed(_("An agreement keeps at least one commitment."),
                               code="last_commitment")
    audit_record(actor=actor, action="agreement.uncommit", obj=agreement,
                 area_path=agreement.area_path,
                 changes={"commitment": commitment.pk, "what": commitment.what})
    commitment.delete()


def may_deliver(actor, agreement: Agreement) -> bool:
    return (permissions.keeps(actor, agreement.area_path)
            or permissions.of_unit(actor, agreement.unit_id))


@transaction.atomic
def delivery_record(*, actor, commitment: Commitment, delivered_on: date, given: str,
                    people_served: int = 0, now: datetime | None = None) -> Delivery:
    now = now or timezone.now()
    agreement = _locked(commitment.agreement)
    if not may_deliver(actor, agreement):
        raise PermissionDenied(_("Only party-work staff or the unit's people record "
                                 "deliveries."), code="denied")
    if agreement.state != AgreementState.ACTIVE:
        raise ValidationFailed(_("This agreement has ended."), code="ended")
    if delivered_on > timezone.localdate(now):
        raise ValidationFailed(_("A delivery is recorded once it was made, not before."),
                               code="future")
    if not agreement.starts_on <= delivered_on <= agreement.ends_on:
        raise ValidationFailed(_("The date is outside the agreement's term."),
                               code="outside_term")
    given = (given or "").strip()
    if not given or len(given) > 200:
        raise ValidationFailed(_("Say what was given (at most 200 characters)."),
                               code="bad_given")
    if not isinstance(people_served, int) or not 0 <= people_served <= 100000:
        raise ValidationFailed(_("People served is a number from 0."), code="bad_people")
    delivery = Delivery.objects.create(
        commitment=commitment, delivered_on=delivered_on, given=given,
        people_served=people_served, area_path=agreement.area_path, recorded_by=actor)
    audit_record(actor=actor, action="delivery.record", obj=delivery,
                 area_path=agreement.area_path,
                 changes={"agreement": agreement.pk, "commitment": commitment.pk,
                          "on": delivered_on.isoformat()})
    return delivery


@transaction.atomic
def delivery_void(*, actor, delivery: Delivery, reason: str,
                  now: datetime | None = None) -> Delivery:
    now = now or timezone.now()
    delivery = Delivery.objects.select_for_update().select_related(
        "commitment__agreement").get(pk=delivery.pk)
    if not may_deliver(actor, delivery.commitment.agreement):
        raise PermissionDenied(_("Only party-work staff or the unit's people void "
                                 "deliveries."), code="denied")
    if delivery.voided_at is not None:
        raise ValidationFailed(_("This delivery is already voided."), code="voided")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise ValidationFailed(_("Give the reason (at most 200 characters)."),
                               code="no_reason")
    delivery.voided_at = now
    delivery.void_reason = reason
    delivery.save(update_fields=["voided_at", "void_reason"])
    audit_record(actor=actor, action="delivery.void", obj=delivery,
                 area_path=delivery.area_path, changes={"reason": reason})
    return delivery


@transaction.atomic
def agreement_end(*, actor, agreement: Agreement, reason: str,
                  expected_version: int | None = None,
                  now: datetime | None = None) -> Agreement:
    """End an agreement early (a reason): the workflow checks who and writes the audit."""
    AGREEMENTS.transition(actor=actor, obj=agreement, action="end", note=reason,
                          now=now or timezone.now(), expected_version=expected_version)
    return agreement
