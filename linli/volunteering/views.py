"""Volunteering pages of residents and volunteers: post a wish, my wishes, open tasks and
claiming, my claims (check in and out, report hours), my hours and points, my profile.

Pages parse, call a selector or a service and render. Action buttons post with HTMX and get
back the row they changed (with the service's message when it refused); without HTMX the
same forms post normally and redirect back. Staff pages are in views_staff.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.redirects import local_url
from linli.core.refusals import render_refused
from linli.orgs.models import AreaKind
from linli.volunteering import permissions, selectors, services
from linli.volunteering.forms import (
    ACTION_LABELS,
    EVENT_LABELS,
    ClaimActionForm,
    ProfileForm,
    WishForm,
)
from linli.volunteering.forms import default_window as _default_window
from linli.volunteering.models import Claim, Skill, Task, WishState
from linli.volunteering.services_claims import claim_create
from linli.volunteering.services_profiles import profile_update
from linli.volunteering.workflow import CLAIMS, TASKS

# Settled claims: nothing more to do in "my claims" but look.
SETTLED = ["confirmed", "rejected", "withdrawn"]
PLACE_KINDS = {AreaKind.DWELLING, AreaKind.ESTATE, AreaKind.GRID, AreaKind.COMMUNITY}


def require(condition: bool) -> None:
    """Pages of a role the person does not hold do not exist for them."""
    if not condition:
        raise Http404


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def back(request, fallback: str):
    return redirect(local_url(request, request.POST.get("next"), fallback))


def is_volunteer(user) -> bool:
    return bool(permissions.community_ids(user, [Role.VOLUNTEER]))


def is_task_staff(user) -> bool:
    return user.is_superuser or scope.has_role(user, permissions.STAFF)


@login_required
def index(request):
    """`/volunteering/`: each role's main page."""
    if is_task_staff(request.user):
        return redirect("volunteering:inbox")
    if is_volunteer(request.user):
        return redirect("volunteering:tasks")
    return redirect("volunteering:wishes_mine")


# --- wishes -----------------------------------------------------------------------------

def wish_places(user) -> list:
    """Where a resident may ask for help: their home and the areas above it, up to their
    community."""
    places = []
    for assignment in scope.assignments(user):
        if assignment.role != Role.RESIDENT:
            continue
        chain = list(assignment.area.ancestors())
        community = next((a for a in chain if a.kind == AreaKind.COMMUNITY), None)
        if community is not None:
            places += [a for a in reversed(chain)
                       if a.depth >= community.depth and a.kind in PLACE_KINDS]
    return places


@login_required
def wish_new(request):
    places = wish_places(request.user)
    require(bool(places))
    form = WishForm(request.POST or None, places=places,
                    initial={**_default_window(), "area": places[0].pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = next(p for p in places if p.pk == data["area"])
        try:
            services.wish_post(actor=request.user, area=area, category=data["category"],
                               description=data["description"], starts_at=data["starts_at"],
                               ends_at=data["ends_at"], address=data["address"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your wish was posted. The community office will "
                                        "find a volunteer."))
            return redirect("volunteering:wishes_mine")
    return render(request, "volunteering/wish_new.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def wishes_mine(request):
    wishes = selectors.wish_list(actor=request.user, mine=True).order_by("-created_at", "-id")
    return render(request, "volunteering/wishes_mine.html", {
        "wishes": wishes[:100], "can_post": bool(wish_places(request.user)),
        "posted": WishState.POSTED})


@login_required
@require_POST
def wish_cancel(request, wish_id: int):
    wish = selectors.wish_get(actor=request.user, wish_id=wish_id)
    try:
        services.transition(actor=request.user, obj=wish, action="cancel")
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("volunteering:wishes_mine"))
    messages.success(request, _("Your wish was cancelled."))
    return redirect("volunteering:wishes_mine")


# --- tasks ------------------------------------------------------------------------------

def task_context(user, task: Task, error: ApplicationError | None = None) -> dict:
    claim = selectors.claim_of(actor=user, task=task)
    return {"task": task, "my_claim": claim, "error": error,
            "can_claim": claim is None and task.state == "published"
            and permissions.can_claim(user, task)
            and not permissions.is_requester(user, task.source_wish),
            "staff_actions": [(a, ACTION_LABELS[a])
                              for a in TASKS.actions_for(user, task)]}


@login_required
def tasks(request):
    user = request.user
    open_tasks = selectors.task_list(actor=user, open_only=True).order_by("starts_at", "id")
    return render(request, "volunteering/tasks.html", {
        "cards": [task_context(user, t) for t in open_tasks[:100]],
        "is_volunteer": is_volunteer(user)})


@login_required
def task_detail(request, task_id: int):
    user = request.user
    task = selectors.task_get(actor=user, task_id=task_id)
    claims = selectors.claim_list(actor=user, task_id=task.pk).order_by("claimed_at", "id")
    return render(request, "volunteering/task_detail.html", {
        **task_context(user, task),
        "rows": [claim_context(user, c) for c in claims],
        "events": [(e, EVENT_LABELS.get(e.action, e.action))
                   for e in task.events.select_related("actor")]})


@login_required
@require_POST
def task_claim(request, task_id: int):
    task = selectors.task_get(actor=request.user, task_id=task_id)
    error = None
    try:
        claim_create(actor=request.user, task=task)
    except ApplicationError as exc:
        error = exc
    task.refresh_from_db()
    if is_htmx(request):
        return render(request, "volunteering/_task_card.html",
                      task_context(request.user, task, error))
    if error is not None:
        return render_refused(request, error, reverse("volunteering:task", args=[task.pk]))
    messages.success(request, _("You took on this task. Thank you!"))
    return back(request, "volunteering:claims_mine")


# --- claims -----------------------------------------------------------------------------

def claim_context(user, claim: Claim, error: ApplicationError | None = None) -> dict:
    actions = CLAIMS.actions_for(user, claim)
    if claim.rated_at is not None:
        actions = [a for a in actions if a != "rate"]
    return {"claim": claim, "actions": [(a, ACTION_LABELS[a]) for a in actions],
            "error": error}


@login_required
def claims_mine(request):
    claims = selectors.claim_list(actor=request.user, mine=True).order_by("-claimed_at", "-id")
    active = [c for c in claims if c.state not in SETTLED]
    settled = [c for c in claims if c.state in SETTLED][:50]
    return render(request, "volunteering/claims_mine.html", {
        "rows": [claim_context(request.user, c) for c in active],
        "settled": settled})


def _claim_inputs(action: str, data: dict) -> dict:
    if action == "report":
        return {"hours": data["hours"]}
    if action == "confirm":
        return {"hours": data["hours"] or None, "rating": data["rating"],
                "comment": data["comment"]}
    if action == "rate":
        return {"rating": data["rating"], "comment": data["comment"]}
    return {}


@login_required
@require_POST
def claim_act(request, claim_id: int, action: str):
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    form = ClaimActionForm(request.POST)
    error = None
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Some fields are missing or invalid."))
        data = form.cleaned_data
        claim = services.transition(actor=request.user, obj=claim, action=action,
                                    note=data["note"], **_claim_inputs(action, data))
    except ApplicationError as exc:
        error = exc
    if is_htmx(request):
        return render(request, "volunteering/_claim_row.html",
                      claim_context(request.user, claim, error))
    if error is not None:
        return render_refused(request, error, reverse("volunteering:claims_mine"))
    messages.success(request, _("Done: %(action)s.") % {
        "action": ACTION_LABELS.get(action, action)})
    return back(request, "volunteering:claims_mine")


# --- my hours and points, my profile ----------------------------------------------------

@login_required
def me(request):
    user = request.user
    confirmed = (selectors.claim_list(actor=user, mine=True).filter(state="confirmed")
                 .order_by("-confirmed_at", "-id"))
    return render(request, "volunteering/me.html", {
        "hours": selectors.hours_total(actor=user), "confirmed": confirmed[:50],
        "balances": selectors.points_balances(actor=user),
        "profile": selectors.profile_get(actor=user, user_id=user.pk),
        "is_volunteer": is_volunteer(user)})


@login_required
def profile_edit(request):
    user = request.user
    require(is_volunteer(user))
    profile = selectors.profile_get(actor=user, user_id=user.pk)
    skills = list(Skill.objects.filter(is_active=True))
    grids = list(selectors.grids_for_volunteer(actor=user))
    initial = {"availability": profile.availability, "grid": profile.grid_id,
               "skills": [s.code for s in profile.skills.all()] if profile.pk else []}
    form = ProfileForm(request.POST or None, skills=skills, grids=grids, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(actor=user, skills=[s for s in skills if s.code in data["skills"]],
                           availability=data["availability"],
                           grid=next((g for g in grids if g.pk == data["grid"]), None))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your volunteer profile was saved."))
            return redirect("volunteering:me")
    return render(request, "volunteering/profile.html", {"form": form, "profile": profile},
                  status=400 if form.errors else 200)
