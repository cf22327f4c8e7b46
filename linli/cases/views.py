"""The case page and its action forms, shared by every role.

Pages parse input, call a selector or a service and render; what a person may do comes from
`transitions.allowed_actions` and `permissions.can_take`, and every ApplicationError's message
is shown to them. Reporting lives in views_resident.py, the role lists in views_staff.py.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import permissions, selectors, services
from linli.cases.forms import (
    ACTION_LABELS,
    EVENT_LABELS,
    NOTE_LABELS,
    PHOTO_ACTIONS,
    ActionForm,
    ExtensionRequestForm,
)
from linli.cases.models import Case, Priority, Rating, Triage
from linli.cases.supervising import EARLIEST_ANSWER
from linli.cases.transitions import CLOCKS, HANDLING
from linli.cases.workflow import CASES
from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs.selectors import units_serving

# The order the action forms appear in on the case page.
ACTION_ORDER = ["accept", "dispatch", "advise", "reject", "merge", "hold", "unhold",
                "answer_notice", "acknowledge", "resolve", "return", "verify", "fail",
                "close", "rate", "reopen", "urge", "notice", "reassign", "escalate"]
# Codes after which the person should reload before trying again.
RELOAD_CODES = {"stale", "conflict"}


@login_required
def index(request):
    """`/cases/`: each role's main list."""
    roles = scope.roles_of(request.user)
    if request.user.is_superuser or roles & {Role.DISPATCHER, Role.LEADER, Role.ADMIN,
                                             Role.MEDIATOR}:
        return redirect("cases:queue")
    if Role.UNIT_MEMBER in roles:
        return redirect("cases:unit")
    if Role.GRID_WORKER in roles:
        return redirect("cases:verify")
    return redirect("cases:mine")


def actions_for(user, case: Case) -> list[str]:
    """The actions this person may take on this case now, in the page's order."""
    allowed = set(CASES.actions_for(user, case))
    return [action for action in ACTION_ORDER if action in allowed]


def _merge_candidates(user, case: Case) -> list:
    """The likely duplicates the dispatcher may merge this case into, best first, with
    their score and reasons (triage ranks them; triage imports cases, hence the late
    import)."""
    from linli.triage import selectors as triage_selectors

    return triage_selectors.duplicate_candidates(actor=user, case=case)


def _dispatch_context(case: Case) -> dict:
    """The units serving the case's area, the suggested ones first (with their reasons),
    and the unit to preselect: the best suggestion, else routing's at report time."""
    from linli.triage import selectors as triage_selectors

    units = list(units_serving(case.area))
    suggested = [s for s in triage_selectors.unit_suggestions(category=case.category,
                                                              area=case.area)
                 if any(u.pk == s.unit.pk for u in units)]
    first = {s.unit.pk for s in suggested}
    return {"units": [s.unit for s in suggested] + [u for u in units if u.pk not in first],
            "unit_suggestions": suggested,
            "dispatch_selected": suggested[0].unit.pk if suggested else case.suggested_unit_id}


def _extension_context(user, case: Case) -> dict:
    pending = selectors.pending_extensions(actor=user).filter(case=case).first()
    return {
        "pending_extension": pending,
        "can_decide_extension": pending is not None and permissions.can_decide_extension(
            user, case),
        "can_request_extension": pending is None and case.state in HANDLING
        and permissions.can_request_extension(user, case),
        "extension_form": ExtensionRequestForm(),
    }


def unit_id_q(case: Case) -> Q:
    return Q(pk=case.unit_id) if case.unit_id is not None else Q(pk__in=[])


def _detail_context(user, case: Case) -> dict:
    actions = actions_for(user, case)
    context: dict[str, Any] = {
        "case": case, "light": CLOCKS.light(case, timezone.now()), "actions": actions,
        "action_labels": ACTION_LABELS, "note_labels": NOTE_LABELS,
        "photo_actions": PHOTO_ACTIONS,
        "timeline": selectors.timeline_for(actor=user, case=case),
        "triage_choices": [c for c in Triage.choices if c[0] != Triage.PRIVATE],
        "priority_choices": Priority.choices, "rating_choices": Rating.choices,
        "default_triage": case.category.triage or Triage.MAJOR,
        "duplicates": selectors.case_list(actor=user).filter(master=case),
        "staff_view": selectors.sees_whole_case(user, case),
        # Residents who said "me too" on the public page: how many the problem touches.
        "supporter_count": case.supporters.count(),
        "master": selectors.case_list(actor=user).filter(pk=case.master_id).first()
        if case.master_id else None,
    }
    if "dispatch" in actions:
        context |= _dispatch_context(case)
    if "reassign" in actions:
        context["reassign_units"] = units_serving(case.area).exclude(unit_id_q(case))
        if not context["reassign_units"]:
            actions.remove("reassign")  # no other unit serves the area
    if context["staff_view"]:
        context["open_notice"] = selectors.open_notice(case)
        context["notice_min"] = timezone.localtime() + EARLIEST_ANSWER
        context["notice_late"] = (case.notice_due_at is not None
                                  and timezone.now() > case.notice_due_at)
    if "merge" in actions:
        # Shown with "no likely duplicates" when there are none: the dispatcher learns
        # that triage looked.
        context["merge_candidates"] = _merge_candidates(user, case)
    from linli.cases.views_map import case_map_context  # views_map imports this module

    return context | _extension_context(user, case) | case_map_context(user, case)


def render_detail(request, case: Case, error: ApplicationError | None = None,
                  posted_action: str = ""):
    """The case page; after a refused action, with its message (and the status the API
    would answer) and the person's input kept in the form they used."""
    context = _detail_context(request.user, case)
    if error is not None:
        context |= {"error": error, "error_reload": error.code in RELOAD_CODES,
                    "posted": request.POST, "posted_action": posted_action}
    return render(request, "cases/detail.html", context,
                  status=error.status if error is not None else 200)


@login_required
def case_detail(request, case_id: int):
    case = selectors.case_get(actor=request.user, case_id=case_id)
    return render_detail(request, case)


def _action_data(user, case: Case, action: str, data: dict) -> dict:
    """The service's inputs for `action`, looked up among what the page offered; a unit or
    case outside that is passed as None and the service explains what to choose."""
    if action == "accept":
        return {"triage": data["triage"], "priority": data["priority"]}
    if action in ("dispatch", "reassign"):
        # The units serving the case's area, as in the page's list: a street-wide unit
        # serves above the dispatcher's community, so the dispatcher's own units won't do.
        unit_id = data["unit"]
        return {"unit": units_serving(case.area).filter(pk=unit_id).first() if unit_id
                else None}
    if action == "notice":
        return {"respond_by": data["respond_by"]}
    if action == "rate":
        return {"rating": data["rating"], "comment": data["comment"]}
    if action == "merge":
        master_id = data["master"]
        return {"master": selectors.case_list(actor=user).filter(pk=master_id).first()
                if master_id else None}
    return {}


@login_required
@require_POST
def case_act(request, case_id: int, action: str):
    case = selectors.case_get(actor=request.user, case_id=case_id)
    form = ActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Give the answer time as a date and time, e.g. "
                                     "2026-12-08 17:00.") if "respond_by" in form.errors
                                   else _("Some fields are missing or invalid."))
        data = form.cleaned_data
        services.case_transition(
            actor=request.user, case=case, action=action, note=data["note"],
            expected_version=data["version"], photos=request.FILES.getlist("photos"),
            **_action_data(request.user, case, action, data))
    except ApplicationError as exc:
        return render_detail(request, case, error=exc, posted_action=action)
    messages.success(request, EVENT_LABELS.get(action, action))
    return redirect_after_action(request, case)


def redirect_after_action(request, case: Case):
    # After a move that takes the case out of the person's sight (a unit returning it), the
    # case page would be a 404: go to their list instead.
    if selectors.case_list(actor=request.user).filter(pk=case.pk).exists():
        return redirect("cases:detail", case.pk)
    return redirect("cases:index")


@login_required
@require_POST
def extension_request(request, case_id: int):
    case = selectors.case_get(actor=request.user, case_id=case_id)
    form = ExtensionRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Give the extra time as a number and a reason."))
        services.extension_request(actor=request.user, case=case,
                                              amount=form.cleaned_data["amount"],
                                              reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return render_detail(request, case, error=exc, posted_action="extension")
    messages.success(request, _("Your request for more time was sent to the dispatcher."))
    return redirect("cases:detail", case.pk)


def require(condition: bool) -> None:
    """Pages of a role the person does not hold do not exist for them."""
    if not condition:
        raise Http404
