"""The acts of mediation beside the moves: sessions (调解记录), the agreement (调解协议书,
人民调解法 art. 29), its performance check and the application for 司法确认.

Each writes its row, an event on the dispute's history and an audit entry holding ids and
dates only. The agreement's timers are data: `performance_due_at` and `judicial_remind_at`
are swept by `supervision.agreement_reminders`.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import scope
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.disputes import permissions
from linli.disputes.models import Agreement, Dispute, Session, State
from linli.disputes.services.moves import visible_or_404
from linli.disputes.workflow import DISPUTES

MAX_ATTENDEES = 500
MAX_RECORD = 5000
JUDICIAL_WINDOW_DAYS = 30  # 人民调解法 art. 33: apply within 30 days of the agreement
JUDICIAL_REMIND_DAYS = 5   # the parties and the mediator are reminded this long before
REMIND_AT = time(9, 0)     # reminders arrive at the start of a working morning

# field: (words, limit) of the agreement's art. 29 matters
AGREEMENT_TEXTS = {
    "facts": (gettext_lazy("the facts and disputed matters"), 5000),
    "responsibilities": (gettext_lazy("the responsibilities"), 3000),
    "terms": (gettext_lazy("the agreed terms"), 5000),
    "performance_manner": (gettext_lazy("the manner of performance"), 500),
}


def _morning(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, REMIND_AT))


def _locked(dispute: Dispute) -> Dispute:
    """The dispute's row, locked: two acts on one dispute at once run one after the other."""
    return Dispute.objects.select_for_update().get(pk=dispute.pk)


def _handler_or_403(actor, dispute: Dispute) -> None:
    visible_or_404(actor, dispute)
    if not permissions.is_handler(actor, dispute):
        raise PermissionDenied(_("You may not do this with this dispute."))


def _record_event(dispute: Dispute, actor, action: str, now: datetime, data: dict,
                  note: str = "") -> None:
    DISPUTES.write_event(dispute, actor=actor, action=action, from_state=dispute.state,
                         to_state=dispute.state, at=now, note=note, data=data)
    audit_record(actor=actor, action=f"dispute.{action}", obj=dispute, changes=data,
                 area_path=dispute.area_path)


# --- sessions ----------------------------------------------------------------------------

def _session_problem(dispute: Dispute, held_on: date, mediator, attendees: str,
                     record: str, today: date) -> ValidationFailed | None:
    if held_on is None or held_on > today:
        return ValidationFailed(_("A session's date cannot be in the future."),
                                code="bad_date")
    if mediator is None or not scope.has_role(mediator, permissions.STAFF, dispute.area):
        return ValidationFailed(_("The mediator must work at the dispute's place."),
                                code="bad_mediator")
    if not attendees:
        return ValidationFailed(_("Say who attended."), code="attendees_required")
    if len(attendees) > MAX_ATTENDEES:
        return ValidationFailed(_("The attendees are at most 500 characters."),
                                code="attendees_too_long")
    if not record:
        return ValidationFailed(_("Write the record of the session."),
                                code="record_required")
    if len(record) > MAX_RECORD:
        return ValidationFailed(_("The record is at most 5000 characters."),
                                code="record_too_long")
    return None


def session_add(*, actor, dispute: Dispute, held_on: date, mediator_id: int,
                attendees: str, record: str, now: datetime | None = None) -> Session:
    """Record a mediation session. The first one moves an accepted dispute into
    mediation."""
    now = now or timezone.now()
    attendees, record = (attendees or "").strip(), (record or "").strip()
    _handler_or_403(actor, dispute)
    if dispute.state not in (State.ACCEPTED, State.MEDIATING):
        raise ValidationFailed(_("Sessions are recorded once the dispute is accepted and "
                                 "until mediation ends."), code="transition_not_allowed")
    mediator = get_user_model().objects.filter(pk=mediator_id, is_active=True).first()
    problem = _session_problem(dispute, held_on, mediator, attendees, record,
                               timezone.localdate(now))
    if problem:
        raise problem
    assert mediator is not None  # checked above
    with transaction.atomic():
        if _locked(dispute).state == State.ACCEPTED:
            DISPUTES.transition(actor=actor, obj=dispute, action="mediate", now=now)
        session = Session.objects.create(dispute=dispute, held_on=held_on, mediator=mediator,
                                         attendees=attendees, record=record,
                                         created_by=actor)
        _record_event(dispute, actor, "session", now,
                      {"session": session.pk, "held_on": held_on.isoformat(),
                       "mediator": mediator.pk})
    return session


# --- the agreement -----------------------------------------------------------------------

def _agreement_texts(values: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for field, (words, limit) in AGREEMENT_TEXTS.items():
        text = (values.get(field) or "").strip()
        if not text:
            raise ValidationFailed(_("The agreement must state %(what)s.") % {"what": words},
                                   code=f"{field}_required")
        if len(text) > limit:
            raise ValidationFailed(_("%(what)s: at most %(n)d characters.")
                                   % {"what": words, "n": limit}, code=f"{field}_too_long")
        cleaned[field] = text
    return cleaned


def _agreement_dates(performance_deadline: date | None, signed_on: date | None,
                     today: date) -> None:
    if signed_on is None:
        raise ValidationFailed(_("Give the date the agreement was signed."),
                               code="signed_on_required")
    if signed_on > today:
        raise ValidationFailed(_("The agreement cannot be signed in the future."),
                               code="signed_on_future")
    if performance_deadline is None:
        raise ValidationFailed(_("Give the deadline of performance."),
                               code="performance_deadline_required")
    if performance_deadline < signed_on:
        raise ValidationFailed(_("The deadline of performance cannot be before the "
                                 "signing."), code="deadline_before_signing")


def _agreement_mediator(dispute: Dispute, actor):
    """Who mediated: the last session's mediator, else the owner, else the actor."""
    last = dispute.sessions.order_by("-held_on", "-id").select_related("mediator").first()
    return last.mediator if last else (dispute.owner or actor)


def _timers(performance_deadline: date, signed_on: date, judicial_wanted: bool) -> dict:
    window_ends = signed_on + timedelta(days=JUDICIAL_WINDOW_DAYS)
    return {
        "performance_due_at": _morning(performance_deadline + timedelta(days=1)),
        "judicial_window_ends": window_ends,
        "judicial_remind_at": (_morning(window_ends - timedelta(days=JUDICIAL_REMIND_DAYS))
                               if judicial_wanted else None),
    }


def agreement_save(*, actor, dispute: Dispute, facts: str, responsibilities: str,
                   terms: str, performance_manner: str, performance_deadline: date,
                   signed_on: date, judicial_wanted: bool = False,
                   now: datetime | None = None) -> Agreement:
    """Write (or correct, while still in mediation) the agreement with every matter art. 29
    requires; its performance check and 司法确认 reminder are scheduled from its dates."""
    now = now or timezone.now()
    _handler_or_403(actor, dispute)
    if dispute.state != State.MEDIATING:
        raise ValidationFailed(_("An agreement is recorded while the dispute is in "
                                 "mediation."), code="transition_not_allowed")
    texts = _agreement_texts({"facts": facts, "responsibilities": responsibilities,
                              "terms": terms, "performance_manner": performance_manner})
    _agreement_dates(performance_deadline, signed_on, timezone.localdate(now))
    fields = {**texts, "performance_deadline": performance_deadline, "signed_on": signed_on,
              "judicial_wanted": bool(judicial_wanted),
              **_timers(performance_deadline, signed_on, bool(judicial_wanted))}
    with transaction.atomic():
        if _locked(dispute).state != State.MEDIATING:
            raise ValidationFailed(_("An agreement is recorded while the dispute is in "
                                     "mediation."), code="transition_not_allowed")
        agreement, created = Agreement.objects.update_or_create(
            dispute=dispute, defaults=fields,
            create_defaults={**fields, "mediator": _agreement_mediator(dispute, actor),
                             "created_by": actor})
        _record_event(dispute, actor, "agreement", now,
                      {"agreement": agreement.pk, "created": created,
                       "signed_on": signed_on.isoformat(),
                       "performance_deadline": performance_deadline.isoformat(),
                       "judicial_wanted": bool(judicial_wanted)})
    return agreement


def agreement_performance(*, actor, agreement: Agreement, performed: bool, note: str,
                          now: datetime | None = None) -> Agreement:
    """Record whether the parties performed the agreement (履行情况); a note is required
    when they did not."""
    now = now or timezone.now()
    note = (note or "").strip()
    dispute = agreement.dispute
    _handler_or_403(actor, dispute)
    if not performed and not note:
        raise ValidationFailed(_("Say what was not performed."), code="note_required")
    if len(note) > 2000:
        raise ValidationFailed(_("The note is at most 2000 characters."),
                               code="note_too_long")
    with transaction.atomic():
        _locked(dispute)
        Agreement.objects.filter(pk=agreement.pk).update(
            performed=bool(performed), performance_note=note, performance_checked_at=now)
        _record_event(dispute, actor, "performance", now,
                      {"agreement": agreement.pk, "performed": bool(performed)}, note=note)
    agreement.refresh_from_db()
    return agreement


def judicial_applied(*, actor, agreement: Agreement, applied_on: date,
                     now: datetime | None = None) -> Agreement:
    """Record the day the parties applied for 司法确认: within the 30-day window."""
    now = now or timezone.now()
    dispute = agreement.dispute
    _handler_or_403(actor, dispute)
    window_ends = agreement.judicial_window_ends or (
        agreement.signed_on + timedelta(days=JUDICIAL_WINDOW_DAYS))
    if applied_on is None or applied_on > timezone.localdate(now):
        raise ValidationFailed(_("The application date cannot be in the future."),
                               code="applied_on_future")
    if not agreement.signed_on <= applied_on <= window_ends:
        raise ValidationFailed(_("Judicial confirmation must be applied for within 30 "
                                 "days of the agreement's signing."), code="outside_window")
    with transaction.atomic():
        _locked(dispute)
        Agreement.objects.filter(pk=agreement.pk).update(judicial_applied_on=applied_on)
        _record_event(dispute, actor, "judicial", now,
                      {"agreement": agreement.pk, "applied_on": applied_on.isoformat()})
    agreement.refresh_from_db()
    return agreement
