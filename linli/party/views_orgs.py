"""Organisations: the tree per community (`orgs`), one organisation (`org`: its members
to party staff, children, a joint committee's seats) and its forms (set up, secretary,
seat, close)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs.models import Area, Unit
from linli.party import permissions
from linli.party import selectors_members as sel
from linli.party.forms_members import OrganisationForm, PickForm, first_invalid
from linli.party.models import Member, Organisation, OrgKind
from linli.party.services.organisations import (
    organisation_create,
    organisation_deactivate,
    organisation_set_secretary,
    seat_add,
)
from linli.party.views_common import done, int_or_none, refused


@login_required
@require_GET
def org_list(request):
    user = request.user
    communities = sel.staff_communities(user)
    chosen = next((c for c in communities
                   if str(c.pk) == request.GET.get("community", "")), None)
    staff = permissions.is_party_staff(user)
    if not staff and permissions.own_member(user) is None:
        raise Http404
    return render(request, "party/orgs/list.html", {
        "roots": sel.organisation_tree(actor=user, community=chosen),
        "communities": communities, "chosen": chosen, "is_staff": staff,
        "areas": sel.staff_areas(user) if staff else [],
        "parents": list(sel.organisations_for_members(user)) if staff else [],
        "units": Unit.objects.filter(is_active=True).order_by("name")[:300] if staff else [],
        "kinds": OrgKind.choices})


@login_required
@require_POST
def org_new(request):
    form = OrganisationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        area = Area.objects.filter(pk=data["area"]).first()
        if area is None:
            raise ValidationFailed(str(_("Unknown place.")), code="bad_area")
        parent = (sel.organisation_get(actor=request.user, organisation_id=data["parent"])
                  if data["parent"] else None)
        unit = Unit.objects.filter(pk=data["unit"]).first() if data["unit"] else None
        made = organisation_create(actor=request.user, name=data["name"], kind=data["kind"],
                                   area=area, parent=parent, unit=unit)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:orgs"))
    return done(request, _("The organisation is set up."), "party:org", made.pk)


@login_required
@require_GET
def org_detail(request, organisation_id: int):
    user = request.user
    org = sel.organisation_get(actor=user, organisation_id=organisation_id)
    keeps = permissions.keeps(user, org.area_path)
    seats = list(org.seats.filter(left_on__isnull=True).select_related("organisation"))
    candidates = []
    if keeps and org.kind == OrgKind.JOINT:
        seated = {s.organisation_id for s in seats}
        candidates = [o for o in Organisation.objects.filter(
            area_path__startswith=org.area_path, unit__isnull=False, is_active=True)
            if o.pk not in seated]
    return render(request, "party/orgs/detail.html", {
        "org": org, "keeps": keeps,
        "memberships": list(sel.organisation_members(org)) if keeps else [],
        "children": org.children.filter(is_active=True).order_by("name"),
        "seats": seats, "seat_candidates": candidates})


def _org_kept(request, organisation_id: int) -> Organisation:
    org = sel.organisation_get(actor=request.user, organisation_id=organisation_id)
    if not permissions.keeps(request.user, org.area_path):
        raise Http404  # a member sees their organisations but keeps nothing
    return org


@login_required
@require_POST
def org_secretary(request, organisation_id: int):
    org = _org_kept(request, organisation_id)
    form = PickForm(request.POST)
    form.is_valid()
    member_id = form.cleaned_data.get("member")
    try:
        member = Member.objects.filter(pk=member_id).first() if member_id else None
        organisation_set_secretary(actor=request.user, organisation=org, member=member)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:org", args=[org.pk]))
    return done(request, _("The secretary is set."), "party:org", org.pk)


@login_required
@require_POST
def org_seat(request, organisation_id: int):
    org = _org_kept(request, organisation_id)
    form = PickForm(request.POST)
    form.is_valid()
    other_id = int_or_none(request.POST.get("organisation"))
    other = Organisation.objects.filter(pk=other_id).first() if other_id else None
    try:
        if other is None:
            raise ValidationFailed(str(_("Choose an organisation.")), code="invalid")
        seat_add(actor=request.user, joint=org, organisation=other,
                 representative=form.cleaned_data.get("representative") or "")
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:org", args=[org.pk]))
    return done(request, _("The seat is added."), "party:org", org.pk)


@login_required
@require_POST
def org_close(request, organisation_id: int):
    org = _org_kept(request, organisation_id)
    try:
        organisation_deactivate(actor=request.user, organisation=org)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:org", args=[org.pk]))
    return done(request, _("The organisation is closed."), "party:orgs")


urlpatterns = [
    path("orgs/", org_list, name="orgs"),
    path("orgs/new/", org_new, name="org_new"),
    path("orgs/<int:organisation_id>/", org_detail, name="org"),
    path("orgs/<int:organisation_id>/secretary/", org_secretary, name="org_secretary"),
    path("orgs/<int:organisation_id>/seat/", org_seat, name="org_seat"),
    path("orgs/<int:organisation_id>/close/", org_close, name="org_close"),
]
