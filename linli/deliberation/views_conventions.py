"""The hall (the app's home) and the convention pages. `urlpatterns` is gathered by urls.py.

- `home` (/deliberation/): the hall, what a resident and what staff have to look at now.
- `conventions`: in force first, then drafts (to staff).
- `convention_new`: an organiser drafts a convention (from a topic with ?topic=<id>).
- `convention`: the text in force with its date and the vote that adopted it; the versions
  the person may see, the latest compared line by line with the one in force; for
  organisers a form for a new version, a draft's correction and "put to a vote".

A refused form shows the page again with the reason and what the person typed.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts import scope
from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.core.refusals import render_refused
from linli.deliberation import selectors, selectors_conventions, selectors_hall, services
from linli.deliberation.forms_conventions import (
    ConventionForm,
    VersionEditForm,
    VersionForm,
    first_error,
)
from linli.deliberation.models import Convention, ConventionVersion
from linli.deliberation.permissions import ORGANISERS
from linli.orgs.models import Area
from linli.orgs.selectors import area_list

FORM_KINDS = ("street", "community", "grid", "estate")


@login_required
@require_GET
def home(request):
    return render(request, "deliberation/hall.html", {"hall": selectors_hall.hall(request.user)})


def organiser_areas(user) -> list[Area]:
    """The places where the person drafts conventions (dispatchers and leaders)."""
    if not scope.has_role(user, ORGANISERS):
        return []
    return list(area_list(actor=user).filter(
        scope.scope_q(user, roles=ORGANISERS, area_field=""), kind__in=FORM_KINDS))


@login_required
@require_GET
def convention_list(request):
    state = request.GET.get("state", "")
    if state and state not in selectors_conventions.STATES:
        state = ""
    conventions = selectors_conventions.conventions_for(request.user, state)
    return render(request, "deliberation/conventions/list.html", {
        "conventions": conventions, "state": state,
        "may_draft": scope.has_role(request.user, ORGANISERS)})


def _topic(user, topic_id):
    if not topic_id:
        return None
    try:
        return selectors.topic_get(actor=user, topic_id=topic_id)
    except Http404:
        raise ValidationFailed(_("That topic is not one you can see."),
                               code="bad_topic") from None


@login_required
@require_http_methods(["GET", "POST"])
def convention_new(request):
    user = request.user
    areas = organiser_areas(user)
    if not areas:
        return render_refused(request, PermissionDenied(
            _("Only dispatchers and leaders draft conventions."), code="not_organiser"),
            reverse("deliberation:conventions"))
    initial: dict[str, Any] = {}
    topic = None
    if request.method == "GET" and request.GET.get("topic", "").isdigit():
        try:
            topic = _topic(user, int(request.GET["topic"]))
        except ValidationFailed:
            topic = None
        if topic is not None:
            initial = {"topic": topic.pk, "title": topic.title[:80],
                       "area": topic.area_id if any(a.pk == topic.area_id for a in areas)
                       else None}
    form = ConventionForm(request.POST or None, initial=initial, areas=areas)
    error: ApplicationError | None = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed(first_error(form), code="invalid")
            data = form.cleaned_data
            topic = _topic(user, data["topic"])
            area = next(a for a in areas if a.pk == data["area"])
            made = services.convention_create(actor=user, area=area, title=data["title"],
                                              text=data["text"], note=data["note"],
                                              topic=topic)
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("The convention is drafted."))
            return redirect("deliberation:convention", made.pk)
    return render(request, "deliberation/conventions/new.html", {
        "form": form, "error": error, "topic": topic},
        status=error.status if error else 200)


def _detail_context(user, convention: Convention) -> dict[str, Any]:
    sel = selectors_conventions
    versions = list(sel.versions_for(user, convention))
    latest, base = sel.compared(user, convention)
    may_draft = sel.may_draft(user, convention)
    frozen = {v.pk: services.version_frozen(v) for v in versions} if may_draft else {}
    return {
        "convention": convention, "in_force": convention.adopted,
        "adopting_vote": sel.adopting_vote(convention.adopted),
        "versions": list(reversed(versions)), "latest": latest, "base": base,
        "diff": sel.diff_lines(base.text, latest.text) if latest and base else [],
        "sees_drafts": sel.sees_drafts(user, convention), "may_draft": may_draft,
        "frozen": frozen,
        "editable": latest if latest is not None and may_draft and not frozen.get(latest.pk)
        else None,
        "version_form": VersionForm(initial={"text": latest.text if latest else ""}),
    }


def render_detail(request, convention: Convention, error: ApplicationError | None = None,
                  posted: str = ""):
    context = _detail_context(request.user, convention)
    if error is not None:
        context |= {"error": error, "posted": posted}
        if posted == "add":
            context["version_form"] = VersionForm(request.POST)
        else:
            context["edit_form_data"] = request.POST
    return render(request, "deliberation/conventions/detail.html", context,
                  status=error.status if error is not None else 200)


def _get(request, convention_id: int) -> Convention:
    return selectors_conventions.convention_get(actor=request.user,
                                                convention_id=convention_id)


@login_required
@require_GET
def convention_detail(request, convention_id: int):
    return render_detail(request, _get(request, convention_id))


@login_required
@require_POST
def version_add(request, convention_id: int):
    convention = _get(request, convention_id)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_error(form), code="invalid")
        version = services.version_add(actor=request.user, convention=convention,
                                       text=form.cleaned_data["text"],
                                       note=form.cleaned_data["note"])
    except ApplicationError as exc:
        return render_detail(request, convention, error=exc, posted="add")
    messages.success(request, _("Version %(n)d is saved.") % {"n": version.number})
    return redirect("deliberation:convention", convention.pk)


@login_required
@require_POST
def version_edit(request, convention_id: int, version_id: int):
    convention = _get(request, convention_id)
    version: ConventionVersion = selectors_conventions.version_get(
        actor=request.user, convention=convention, version_id=version_id)
    form = VersionEditForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_error(form), code="invalid")
        services.version_edit(actor=request.user, version=version,
                              text=form.cleaned_data["text"], note=form.cleaned_data["note"])
    except ApplicationError as exc:
        return render_detail(request, convention, error=exc, posted="edit")
    messages.success(request, _("Version %(n)d is corrected.") % {"n": version.number})
    return redirect("deliberation:convention", convention.pk)


# The URL names are the contract other parts link to; keep them.
urlpatterns: list = [
    path("", home, name="home"),
    path("conventions/", convention_list, name="conventions"),
    path("conventions/new/", convention_new, name="convention_new"),
    path("conventions/<int:convention_id>/", convention_detail, name="convention"),
    path("conventions/<int:convention_id>/versions/", version_add,
         name="convention_version_add"),
    path("conventions/<int:convention_id>/versions/<int:version_id>/edit/", version_edit,
         name="convention_version_edit"),
]
