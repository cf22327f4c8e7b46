"""Dual registration (双报到): `register` (the in-service resident reports to the community
where they live), `registrations` (party staff: reported first; a member: their own) and
`registration` (accept / decline with a reason / end, the member's withdraw)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.party import permissions
from linli.party import selectors_members as sel
from linli.party.events import timeline
from linli.party.forms_members import ActForm, RegisterForm, first_invalid
from linli.party.models import LIVE_REGISTRATION, RegistrationState
from linli.party.services.members import (
    home_community,
    registration_report,
    registration_transition,
)
from linli.party.transitions import REGISTRATIONS as TABLE
from linli.party.views_common import done, refused
from linli.party.workflow import REGISTRATIONS

DONE = {"accept": _("The registration is accepted."),
        "decline": _("The registration is declined."),
        "withdraw": _("Your registration is withdrawn."),
        "end": _("The registration has ended.")}
PAGE_SIZE = 30


def _register_context(user, form=None, error=None) -> dict:
    from linli.people.selectors import own_record

    resident = own_record(user)
    community = home_community(resident) if resident is not None else None
    posts = list(sel.open_posts(community)) if community is not None else []
    member = permissions.own_member(user)
    live = (member.registrations.filter(state__in=LIVE_REGISTRATION).first()
            if member is not None else None)
    initial = {"employer": member.employer} if member is not None else {}
    return {"form": form or RegisterForm(posts=posts, initial=initial),
            "community": community, "resident": resident, "member": member, "live": live,
            "posts": posts, "error": error}


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    user = request.user
    if request.method == "GET":
        return render(request, "party/registrations/register.html", _register_context(user))
    context = _register_context(user)
    form = RegisterForm(request.POST, posts=context["posts"])
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        chosen = [p for p in context["posts"] if str(p.pk) in data["posts"]]
        made = registration_report(actor=user, employer=data["employer"],
                                   employer_org=data["employer_org"], posts=chosen,
                                   note=data["note"])
    except ApplicationError as exc:
        return render(request, "party/registrations/register.html",
                      _register_context(user, form, exc), status=exc.status)
    return done(request, _("You reported to the community. Party staff will answer soon."),
                "party:registration", made.pk)


@login_required
@require_GET
def registration_list(request):
    user = request.user
    if not permissions.is_party_staff(user) and permissions.own_member(user) is None:
        raise Http404  # party data: party staff and members only
    state = request.GET.get("state", "")
    if state not in RegistrationState.values:
        state = ""
    rows = sel.registration_list(actor=user, state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/registrations/list.html", {
        "page": page, "state": state, "states": RegistrationState.choices,
        "is_staff": permissions.is_party_staff(user)})


@login_required
@require_GET
def registration_detail(request, registration_id: int):
    user = request.user
    registration = sel.registration_get(actor=user, registration_id=registration_id)
    staff = permissions.keeps(user, registration.area_path)
    return render(request, "party/registrations/detail.html", {
        "registration": registration, "is_staff": staff,
        "posts": registration.posts_chosen.order_by("name"),
        "actions": [(a, TABLE[a].needs_note)
                    for a in REGISTRATIONS.actions_for(user, registration)],
        "history": timeline(registration, show_actor=staff)})


@login_required
@require_POST
def registration_act(request, registration_id: int, action: str):
    user = request.user
    registration = sel.registration_get(actor=user, registration_id=registration_id)
    back = reverse("party:registration", args=[registration.pk])
    form = ActForm(request.POST)
    form.is_valid()
    try:
        if action not in TABLE:
            raise ValidationFailed(str(_("Unknown action.")), code="bad_action")
        registration_transition(actor=user, registration=registration, action=action,
                                note=form.cleaned_data.get("note") or "",
                                expected_version=form.cleaned_data.get("expected_version"))
    except ApplicationError as exc:
        return refused(request, exc, back)
    return done(request, DONE[action], "party:registration", registration.pk)


urlpatterns = [
    path("register/", register, name="register"),
    path("registrations/", registration_list, name="registrations"),
    path("registrations/<int:registration_id>/", registration_detail, name="registration"),
    path("registrations/<int:registration_id>/act/<str:action>/", registration_act,
         name="registration_act"),
]
