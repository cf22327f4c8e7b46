"""The dispute page and the forms on it: the moves (one button per allowed move, from
`DISPUTES.actions_for`), the grade override, sessions, the agreement, its performance check
and 司法确认, and revealing a party's identity for a stated purpose.

Every form posts to its own address; a refusal shows the dispute page again with the
reason, the status the API would answer, and the person's input kept in the form they used.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from linli.core.crypto import mask_name
from linli.core.errors import ApplicationError, ValidationFailed
from linli.disputes import permissions, selectors, services
from linli.disputes.forms import (
    ActionForm,
    AgreementForm,
    JudicialForm,
    PerformanceForm,
    RegradeForm,
    RevealForm,
    SessionForm,
)
from linli.disputes.models import Agreement, Dispute, Grade, Party, ReferralTo, State
from linli.disputes.similar import similar_to
from linli.disputes.templatetags.disputes_tags import event_label, place_name
from linli.disputes.transitions import CLOCKS, TABLE
from linli.disputes.views import require_reader
from linli.disputes.workflow import DISPUTES

# The order of the buttons; moves not listed (escalate: the sweep's) are never buttons.
ACTION_ORDER = ["accept", "mediate", "agree", "follow_up", "close", "refer", "fail",
                "withdraw", "reassign"]
# Moves that name an owner.
OWNER_ACTIONS = {"accept", "reassign"}
SESSION_STATES = {State.ACCEPTED, State.MEDIATING}
RELOAD_CODES = {"stale", "conflict"}


def _agreement(dispute: Dispute) -> Agreement | None:
    try:
        return dispute.agreement
    except Agreement.DoesNotExist:
        return None


def _party_rows(dispute: Dispute) -> list[dict]:
    """Each party as the page shows it: masked name and phone, the resident's building."""
    rows = []
    for party in selectors.party_list(dispute=dispute).select_related(
            "resident__household__dwelling"):
        if party.resident is not None:
            dwelling = party.resident.household.dwelling
            building = dwelling.ancestor_of_kind("building") or dwelling
            rows.append({"party": party, "name": mask_name(party.resident.name),
                         "where": place_name(building), "resident": True})
        else:
            rows.append({"party": party, "name": str(party.name),
                         "phone": str(party.phone), "id_number": str(party.id_number)})
    return rows


def _actions(user, dispute: Dispute) -> list[str]:
    allowed = set(DISPUTES.actions_for(user, dispute))
    return [action for action in ACTION_ORDER if action in allowed]


def _detail_context(user, dispute: Dispute) -> dict[str, Any]:
    agreement = _agreement(dispute)
    handler = permissions.is_handler(user, dispute)
    allowed = set(DISPUTES.actions_for(user, dispute))
    context: dict[str, Any] = {
        "dispute": dispute, "parties": _party_rows(dispute),
        "light": CLOCKS.light(dispute, timezone.now()), "due": CLOCKS.running_due(dispute),
        "actions": _actions(user, dispute), "owner_actions": OWNER_ACTIONS,
        "can_regrade": "regrade" in allowed, "grade_choices": Grade.choices,
        "can_reveal": permissions.is_coordinator(user, dispute) or handler,
        "sessions": dispute.sessions.select_related("mediator"),
        "can_add_session": handler and dispute.state in SESSION_STATES,
        "agreement": agreement,
        "can_save_agreement": handler and dispute.state == State.MEDIATING
        and agreement is None,
        "can_check_performance": handler and agreement is not None
        and agreement.performance_checked_at is None,
        "can_apply_judicial": handler and agreement is not None
        and agreement.judicial_wanted and agreement.judicial_applied_on is None,
        "referrals": dispute.referrals.select_related("referred_by"),
        "referral_choices": ReferralTo.choices,
        "events": selectors.event_list(dispute=dispute),
        "today": timezone.localdate(),
        "similar": similar_to(actor=user, dispute=dispute, limit=5),
    }
    if handler or context["actions"]:
        context["handlers"] = selectors.handler_choices(dispute=dispute)
    return context


def render_detail(request, dispute: Dispute, error: ApplicationError | None = None,
                  posted_action: str = "", extra: dict | None = None):
    context = _detail_context(request.user, dispute) | (extra or {})
    if error is not None:
        context |= {"error": error, "error_reload": error.code in RELOAD_CODES,
                    "posted": request.POST, "posted_action": posted_action}
    return render(request, "disputes/detail.html", context,
                  status=error.status if error is not None else 200)


def _get(request, dispute_id: int) -> Dispute:
    require_reader(request.user)
    return selectors.dispute_get(actor=request.user, dispute_id=dispute_id)


@login_required
def dispute_detail(request, dispute_id: int):
    return render_detail(request, _get(request, dispute_id))


def _invalid(form) -> ValidationFailed:
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    message = f"{label}: {errors[0]}" if label else str(errors[0])
    return ValidationFailed(message, code="invalid")


def _done(request, dispute: Dispute, what: str):
    messages.success(request, what)
    if selectors.dispute_list(actor=request.user).filter(pk=dispute.pk).exists():
        return redirect("disputes:detail", dispute.pk)
    return redirect("disputes:list")


def _handle(request, dispute: Dispute, form, posted_action: str, write, done: str,
            invalid: ValidationFailed | None = None):
    """One posted form of the dispute page: check it, let `write(cleaned_data)` call the
    service, then back to the page with `done`; a refusal re-renders the page with its
    status and reason (`invalid`: the words for a bad form, else the first field's)."""
    try:
        if not form.is_valid():
            raise invalid or _invalid(form)
        write(form.cleaned_data)
    except ApplicationError as exc:
        return render_detail(request, dispute, error=exc, posted_action=posted_action)
    return _done(request, dispute, done)


@login_required
@require_POST
def dispute_act(request, dispute_id: int, action: str):
    dispute = _get(request, dispute_id)
    if action not in TABLE or action in ("regrade", "escalate"):
        raise Http404
    return _handle(request, dispute, ActionForm(request.POST), action, lambda data:
                   services.dispute_transition(
                       actor=request.user, dispute=dispute, action=action,
                       note=data["note"], expected_version=data["version"],
                       owner_id=data["owner"], referral_to=data["referral_to"],
                       referral_name=data["referral_name"]),
                   event_label(action))


@login_required
@require_POST
def dispute_regrade(request, dispute_id: int):
    dispute = _get(request, dispute_id)
    return _handle(request, dispute, RegradeForm(request.POST), "regrade", lambda data:
                   services.dispute_regrade(actor=request.user, dispute=dispute,
                                            grade=data["grade"], note=data["note"],
                                            expected_version=data["version"]),
                   _("Grade changed."))


@login_required
@require_POST
def session_add(request, dispute_id: int):
    dispute = _get(request, dispute_id)
    return _handle(request, dispute, SessionForm(request.POST), "session", lambda data:
                   services.session_add(actor=request.user, dispute=dispute,
                                        held_on=data["held_on"],
                                        mediator_id=data["mediator"],
                                        attendees=data["attendees"], record=data["record"]),
                   _("Mediation session recorded."))


@login_required
@require_POST
def agreement_save(request, dispute_id: int):
    dispute = _get(request, dispute_id)
    return _handle(request, dispute, AgreementForm(request.POST), "agreement", lambda data:
                   services.agreement_save(actor=request.user, dispute=dispute, **data),
                   _("Agreement recorded."))


def _agreement_or_404(dispute: Dispute) -> Agreement:
    agreement = _agreement(dispute)
    if agreement is None:
        raise Http404
    return agreement


@login_required
@require_POST
def agreement_performance(request, dispute_id: int):
    dispute = _get(request, dispute_id)
    agreement = _agreement_or_404(dispute)
    return _handle(request, dispute, PerformanceForm(request.POST), "performance",
                   lambda data: services.agreement_performance(
                       actor=request.user, agreement=agreement,
                       performed=data["performed"], note=data["note"]),
                   _("Performance check recorded."),
                   invalid=ValidationFailed(_("Say whether the agreement was performed."),
                                            code="invalid"))


@login_required
@require_POST
def agreement_judicial(request, dispute_id: int):
    dispute = _get(request, dispute_id)
    agreement = _agreement_or_404(dispute)
    return _handle(request, dispute, JudicialForm(request.POST), "judicial",
                   lambda data: services.judicial_applied(
                       actor=request.user, agreement=agreement,
                       applied_on=data["applied_on"]),
                   _("Application for judicial confirmation recorded."),
                   invalid=ValidationFailed(_("Give the date of the application."),
                                            code="invalid"))


@never_cache
@login_required
@require_POST
def party_reveal(request, dispute_id: int):
    """A party's identity in clear, for a stated purpose: rendered into this answer only
    (never stored, `no-store`), and recorded by the service."""
    dispute = _get(request, dispute_id)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render_detail(request, dispute, posted_action="reveal", error=ValidationFailed(
            _("Choose the party and state the purpose."), code="invalid"))
    party = Party.objects.filter(dispute=dispute, pk=form.cleaned_data["party"]).first()
    if party is None:
        raise Http404
    try:
        revealed = services.party_reveal(actor=request.user, party=party,
                                         purpose=form.cleaned_data["purpose"])
    except ApplicationError as exc:
        return render_detail(request, dispute, error=exc, posted_action="reveal")
    return render_detail(request, dispute, extra={"revealed": revealed,
                                                  "revealed_party": party.pk})
