"""The hub (`home`), members (`members`, `member`, `member_new` and the membership
forms), `me` (my party work), and the gathering of the members part's page modules
(organisations, 双报到, posts and hours); urls.py gathers `urlpatterns`.

Party data is seen only by party-work staff at or above its place and by the member
themselves: names appear to them alone; anyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.crypto import mask_name
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.listing import query_without_page
from linli.party import permissions, views_imports, views_orgs, views_posts, views_registrations
from linli.party import selectors_members as sel
from linli.party.forms_members import MemberForm, PickForm, first_invalid
from linli.party.models import LIVE_REGISTRATION, MemberKind, Membership
from linli.party.selectors import member_get
from linli.party.services.members import (
    member_leave,
    member_register,
    membership_join,
    membership_leave,
    membership_move,
)
from linli.party.views_common import done, int_or_none, refused

PAGE_SIZE = 30
WORK_ROLES = (Role.DISPATCHER, Role.LEADER)


@login_required
@require_GET
def home(request):
    """The hub: what each role does in party work (the nav's 党建 target)."""
    from linli.people.selectors import own_record

    user = request.user
    staff = permissions.is_party_staff(user)
    member = permissions.own_member(user)
    resident = own_record(user)
    live = (member.registrations.filter(state__in=LIVE_REGISTRATION).first()
            if member is not None else None)
    return render(request, "party/home.html", {
        "is_staff": staff, "member": member, "live": live,
        "is_resident": resident is not None,
        "may_register": resident is not None and live is None and (
            member is None or member.kind == MemberKind.IN_SERVICE),
        "follows": permissions.is_work_staff(user) or bool(scope.unit_ids(user)),
        "works": permissions.is_work_staff(user),
        "tiles": sel.home_tiles(user)})


@login_required
@require_GET
def me(request):
    user = request.user
    member = permissions.own_member(user)
    if member is None:
        return render(request, "party/members/me.html", {"member": None})
    facts = sel.member_facts(member)
    accepted = member.registrations.filter(state="accepted").exists()
    held = {h.post_id for h in facts.holdings}
    takeable = ([p for p in sel.open_posts(member.community) if p.pk not in held]
                if accepted and member.kind == MemberKind.IN_SERVICE else [])
    return render(request, "party/members/me.html", {
        "member": member, "facts": facts, "takeable": takeable,
        "orgs": sel.organisations_visible(user).filter(is_active=True)})


@login_required
@require_GET
def member_list(request):
    user = request.user
    if not permissions.is_party_staff(user):
        raise Http404
    kind = request.GET.get("kind", "")
    if sel.bad_member_filter(kind):
        kind = ""
    org = int_or_none(request.GET.get("organisation"))
    community = int_or_none(request.GET.get("community"))
    rows = sel.member_list(actor=user, kind=kind, organisation=org, community=community)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {"kind": kind, "organisation": org or "", "community": community or ""}
    return render(request, "party/members/list.html", {
        "page": page, "filters": filters, "kinds": MemberKind.choices,
        "orgs": sel.organisations_for_members(user),
        "communities": sel.staff_communities(user), "query": query_without_page(request),
        "export_kind": "party_members",
        "export_fields": [(k, v) for k, v in filters.items() if v]})


def _candidates(user, who: str) -> list[dict]:
    from linli.people.selectors import place_labels, residents_named

    paths = scope.area_paths(user, permissions.PARTY)
    found = residents_named(paths=paths, name=who, limit=10) if who.strip() else []
    labels = place_labels([r.household.dwelling for r in found])
    return [{"pk": r.pk, "name": mask_name(r.name),
             "address": labels.get(r.household.dwelling_id, "")} for r in found]


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request):
    from linli.accounts.models import User
    from linli.people.selectors import resident_at

    user = request.user
    if not permissions.is_party_staff(user):
        raise Http404
    who = request.GET.get("who", "")[:64]
    context = {"who": who, "candidates": _candidates(user, who) if who else [],
               "communities": sel.staff_communities(user), "kinds": MemberKind.choices,
               "form": MemberForm(initial={"resident": int_or_none(request.GET.get(
                   "resident"))})}
    if request.method == "GET":
        return render(request, "party/members/new.html", context)
    form = MemberForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        community = next((c for c in context["communities"] if c.pk == data["community"]),
                         None)
        if community is None:
            raise ValidationFailed(str(_("Choose a community where you keep party work.")),
                                   code="bad_area")
        resident = None
        if data["resident"]:
            resident = resident_at(paths=[community.path], resident_id=data["resident"])
            if resident is None:
                raise ValidationFailed(str(_("Unknown resident.")), code="bad_resident")
        account = (User.objects.filter(username=data["user"].strip(), is_active=True).first()
                   if data["user"].strip() else None)
        if data["user"].strip() and account is None:
            raise ValidationFailed(str(_("Unknown user.")), code="bad_user")
        made = member_register(actor=user, community=community, kind=data["kind"],
                               resident=resident, user=account, employer=data["employer"],
                               joined_party_on=data["joined_party_on"])
    except ApplicationError as exc:
        return render(request, "party/members/new.html", context | {"form": form,
                                                                    "error": exc},
                      status=exc.status)
    return done(request, _("The member is registered."), "party:member", made.pk)


@login_required
@require_GET
def member_detail(request, party_member_id: int):
    user = request.user
    member = member_get(actor=user, member_id=party_member_id)
    keeps = permissions.keeps(user, member.area_path)
    return render(request, "party/members/detail.html", {
        "member": member, "facts": sel.member_facts(member), "keeps": keeps,
        "orgs": sel.organisations_for_members(user) if keeps else [],
        "year": timezone.localdate().year})


def _kept_member(request, party_member_id: int):
    member = member_get(actor=request.user, member_id=party_member_id)
    if not permissions.keeps(request.user, member.area_path):
        raise Http404  # the member themselves reads, party staff keep
    return member


def _membership_act(request, party_member_id: int, act: str):
    member = _kept_member(request, party_member_id)
    form = PickForm(request.POST)
    form.is_valid()
    back = reverse("party:member", args=[member.pk])
    try:
        if act == "leave":
            held = Membership.objects.filter(member=member, until__isnull=True,
                                             pk=form.cleaned_data.get("membership") or 0).first()
            if held is None:
                raise ValidationFailed(str(_("Choose a current membership.")), code="invalid")
            membership_leave(actor=request.user, membership=held)
        else:
            org = sel.organisations_for_members(request.user).filter(
                pk=form.cleaned_data.get("organisation") or 0).first()
            if org is None:
                raise ValidationFailed(str(_("Choose an organisation.")), code="invalid")
            (membership_join if act == "join" else membership_move)(
                actor=request.user, member=member, organisation=org)
    except ApplicationError as exc:
        return refused(request, exc, back)
    return done(request, _("The membership is updated."), "party:member", member.pk)


@login_required
@require_POST
def member_join(request, party_member_id: int):
    return _membership_act(request, party_member_id, "join")


@login_required
@require_POST
def member_move(request, party_member_id: int):
    return _membership_act(request, party_member_id, "move")


@login_required
@require_POST
def member_leave_org(request, party_member_id: int):
    return _membership_act(request, party_member_id, "leave")


@login_required
@require_POST
def member_left(request, party_member_id: int):
    member = _kept_member(request, party_member_id)
    try:
        member_leave(actor=request.user, member=member)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:member", args=[member.pk]))
    return done(request, _("The member has left."), "party:members")


urlpatterns = [
    path("", home, name="home"),
    path("me/", me, name="me"),
    path("members/", member_list, name="members"),
    path("members/new/", member_new, name="member_new"),
    path("members/<int:party_member_id>/", member_detail, name="member"),
    path("members/<int:party_member_id>/join/", member_join, name="member_join"),
    path("members/<int:party_member_id>/move/", member_move, name="member_move"),
    path("members/<int:party_member_id>/leave-org/", member_leave_org,
         name="member_leave_org"),
    path("members/<int:party_member_id>/leave/", member_left, name="member_leave"),
    *views_orgs.urlpatterns,
    *views_imports.urlpatterns,
    *views_registrations.urlpatterns,
    *views_posts.urlpatterns,
]
