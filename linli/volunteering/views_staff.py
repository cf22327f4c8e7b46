"""Volunteering pages of community staff (and of requesters confirming work): the wishes
inbox (publish as a task or decline), publishing a task, task actions, work to confirm,
volunteer search and the monthly honour list (which every member of a community sees)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.refusals import render_refused
from linli.orgs.models import AreaKind
from linli.orgs.selectors import area_list
from linli.volunteering import permissions, selectors, services
from linli.volunteering.forms import NoteForm, PublishForm, SearchForm, TaskForm
from linli.volunteering.forms import default_window as _default_window
from linli.volunteering.models import Skill, TaskState
from linli.volunteering.views import back, claim_context, is_task_staff, require


@login_required
def inbox(request):
    require(is_task_staff(request.user))
    wishes = selectors.wish_inbox(actor=request.user)[:100]
    return render(request, "volunteering/inbox.html", {
        "wishes": wishes, "publish_form": PublishForm(), "to_confirm": selectors.claim_list(
            actor=request.user, to_confirm=True).count()})


@login_required
@require_POST
def wish_publish(request, wish_id: int):
    wish = selectors.wish_get(actor=request.user, wish_id=wish_id)
    form = PublishForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Give the number of volunteers and points as numbers."))
        data = form.cleaned_data
        task = services.wish_publish(actor=request.user, wish=wish, title=data["title"],
                                     volunteers_needed=data["volunteers_needed"],
                                     points_offered=data["points_offered"])
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("volunteering:inbox"))
    messages.success(request, _("The wish was published as a task."))
    return redirect("volunteering:task", task.pk)


@login_required
@require_POST
def wish_decline(request, wish_id: int):
    wish = selectors.wish_get(actor=request.user, wish_id=wish_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.transition(actor=request.user, obj=wish, action="decline", note=note)
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("volunteering:inbox"))
    messages.success(request, _("The wish was declined; the resident is told why."))
    return redirect("volunteering:inbox")


def task_places(user) -> list:
    kinds = [AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE]
    return [a for a in area_list(actor=user).filter(kind__in=kinds)[:500]
            if permissions.can_publish_in(user, a)]


@login_required
def task_new(request):
    places = task_places(request.user)
    require(bool(places))
    form = TaskForm(request.POST or None, places=places,
                    initial={**_default_window(), "area": places[0].pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                actor=request.user, area=next(p for p in places if p.pk == data["area"]),
                title=data["title"], kind=data["kind"], starts_at=data["starts_at"],
                ends_at=data["ends_at"], volunteers_needed=data["volunteers_needed"],
                points_offered=data["points_offered"], description=data["description"],
                address=data["address"], publish=data["publish"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The task was saved."))
            return redirect("volunteering:task", task.pk)
    return render(request, "volunteering/task_new.html", {"form": form},
                  status=400 if form.errors else 200)


# The staff's task list: what is still under way first (drafts to publish, full tasks to
# start or complete), then drafts alone, then what is finished.
TASK_SHOWS = {
    "active": [TaskState.DRAFT, TaskState.PUBLISHED, TaskState.FULL, TaskState.IN_PROGRESS],
    "draft": [TaskState.DRAFT],
    "done": [TaskState.COMPLETED, TaskState.CANCELLED],
}
TASK_SHOW_LABELS = [("active", pgettext_lazy("tasks", "Under way")),
                    ("draft", pgettext_lazy("tasks", "Drafts")),
                    ("done", pgettext_lazy("tasks", "Finished"))]
MANAGE_LIMIT = 100


@login_required
def task_manage(request):
    """Every task of the staff member's areas, not only those still taking volunteers: a
    draft to publish, a full task to start or complete, what ended."""
    require(is_task_staff(request.user))
    show = request.GET.get("show", "")
    show = show if show in TASK_SHOWS else "active"
    found = selectors.staff_tasks(actor=request.user, states=TASK_SHOWS[show])
    order = ["-starts_at", "-id"] if show == "done" else ["starts_at", "id"]
    return render(request, "volunteering/task_manage.html", {
        "tasks": found.order_by(*order)[:MANAGE_LIMIT], "show": show,
        "shows": TASK_SHOW_LABELS, "limit": MANAGE_LIMIT})


@login_required
@require_POST
def task_act(request, task_id: int, action: str):
    task = selectors.task_get(actor=request.user, task_id=task_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.transition(actor=request.user, obj=task, action=action, note=note)
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("volunteering:task", args=[task.pk]))
    messages.success(request, _("The task was updated."))
    return back(request, f"/volunteering/tasks/{task.pk}/")


@login_required
def confirm_list(request):
    """Work waiting for this person to confirm: on their wishes, or in their areas."""
    claims = selectors.claim_list(actor=request.user, to_confirm=True).order_by(
        "reported_at", "id")
    return render(request, "volunteering/confirm.html", {
        "rows": [claim_context(request.user, c) for c in claims[:100]]})


@login_required
def volunteers(request):
    user = request.user
    require(is_task_staff(user))
    skills = list(Skill.objects.filter(is_active=True))
    grids = list(selectors.grids_for_search(actor=user))
    form = SearchForm(request.GET or None, skills=skills, grids=grids)
    skill = grid = None
    if form.is_valid():
        skill = next((s for s in skills if s.code == form.cleaned_data["skill"]), None)
        grid = next((g for g in grids if g.pk == form.cleaned_data["grid"]), None)
    found = selectors.volunteer_search(actor=user, skill=skill, grid=grid)[:100]
    return render(request, "volunteering/volunteers.html", {"form": form, "found": found})


def _month(value: str) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in value.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@login_required
def honour(request):
    communities = list(selectors.visible_communities(actor=request.user))
    require(bool(communities))
    chosen = next((c for c in communities if str(c.pk) == request.GET.get("community")),
                  communities[0])
    year, month = _month(request.GET.get("month", ""))
    rows = selectors.honour_list(actor=request.user, community_id=chosen.pk, year=year,
                                 month=month)
    return render(request, "volunteering/honour.html", {
        "communities": communities, "chosen": chosen, "rows": rows,
        "month": f"{year:04d}-{month:02d}"})
