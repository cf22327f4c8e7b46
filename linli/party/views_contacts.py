"""Contact households (党员联系户) and their visits; urls.py gathers `urlpatterns`. The
names `contacts`, `contact_rates`, `contact` and `contact_visit` are the contract other
parts link to.

- `contacts`: party staff see the contacts of their places (overdue first, filters, the
  members short of contacts); a member sees their own contacts with a "record a visit"
  button. `?organisation=&month=YYYY-MM&visited=0/1` is the list behind a rate figure.
- `contact_assign`: party staff assign a household of an organisation's area to a member.
- `contact`: the household, the visit history (what was raised, decrypted), the end form.
- `contact_visit`: the contact member records a visit and may raise one piece of work.
- `contact_rates`: the monthly contact-visit rate per organisation, rolled up the tree.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.party import permissions
from linli.party import selectors_contacts as sel
from linli.party.forms_contacts import RAISE_CHOICES, AssignForm, EndForm, VisitForm, first_invalid
from linli.party.models import LEVEL, Membership, OrgKind, VisitWay
from linli.party.selectors import members_visible, organisations_visible
from linli.party.services.contacts import (
    contact_assign,
    contact_end,
    contact_visit_raise,
    raise_from,
)

PAGE = 50


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _filters(request) -> tuple[sel.ContactFilters, dict[str, Any]]:
    user, get = request.user, request.GET
    org_id, member_id = _int(get.get("organisation")), _int(get.get("member"))
    org = organisations_visible(user).filter(pk=org_id).first() if org_id else None
    member = members_visible(user).filter(pk=member_id).first() if member_id else None
    month = sel.month_parse(get["month"]) if get.get("month") else None
    visited = {"1": True, "0": False}.get(get.get("visited", ""))
    overdue = get.get("overdue") == "1"
    shown = {"organisation": org, "member": member, "overdue": overdue,
             "month": month.strftime("%Y-%m") if month else "",
             "visited": get.get("visited", "") if visited is not None else ""}
    return sel.ContactFilters(organisation=org, member=member, overdue=overdue, month=month,
                              visited=visited), shown


@never_cache
@login_required
@require_GET
def contact_list(request):
    user = request.user
    staff = permissions.is_party_staff(user)
    own = permissions.own_member(user)
    if not staff and own is None:
        raise Http404
    filters, shown = _filters(request)
    if not staff:
        filters = sel.ContactFilters(member=own)
    qs = sel.contact_list(actor=user, filters=filters)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "party/contacts/list.html", {
        "is_staff": staff, "own": own, "page": page, "rows": sel.rows(page.object_list),
        "count": page.paginator.count, "shown": shown, "query": query.urlencode(),
        "organisations": list(organisations_visible(user).order_by("level", "name")[:200])
        if staff else [],
        "short": sel.members_short(actor=user) if staff else [],
    })


def _assign_context(request, form: AssignForm) -> dict[str, Any]:
    user = request.user
    # A joint committee keeps in touch through its units, not with households.
    orgs = list(organisations_visible(user).filter(sel.party_q_orgs(user))
                .exclude(kind=OrgKind.JOINT).order_by("area_path", "level", "name")[:200])
    org_id = _int(request.POST.get("organisation") or request.GET.get("organisation"))
    member_id = _int(request.GET.get("member") or request.POST.get("member"))
    org_id = org_id or _home_branch_id(member_id)
    org = next((o for o in orgs if o.pk == org_id), orgs[0] if orgs else None)
    search = request.GET.get("q", "")[:64]
    return {"form": form, "organisations": orgs, "organisation": org, "q": search,
            "members": list(members_visible(user).filter(left_on__isnull=True)
                            .order_by("name")[:500]),
            "member_id": member_id, "default_days": settings.PARTY_CONTACT_VISIT_DAYS,
            "households": sel.household_rows(
                sel.households_in(actor=user, organisation=org, search=search))
            if org else []}


def _home_branch_id(member_id: int | None) -> int | None:
    """The branch a member belongs to: where their contact households are usually found."""
    if member_id is None:
        return None
    return (Membership.objects.filter(member_id=member_id, until__isnull=True,
                                      level=LEVEL[OrgKind.BRANCH])
            .values_list("organisation_id", flat=True).first())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def contact_assign_page(request):
    user = request.user
    if not permissions.is_party_staff(user):
        raise Http404
    if request.method == "GET":
        return render(request, "party/contacts/assign.html",
                      _assign_context(request, AssignForm()))
    form = AssignForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        made = sel.assign_checked(actor=user, **form.cleaned_data)
        assignment = contact_assign(actor=user, **made)
    except ApplicationError as exc:
        context = _assign_context(request, form) | {"error": exc}
        return render(request, "party/contacts/assign.html", context, status=exc.status)
    messages.success(request, _("The household is assigned."))
    return redirect("party:contact", assignment.pk)


@never_cache
@login_required
@require_GET
def contact_detail(request, contact_id: int):
    user = request.user
    contact = sel.contact_get(actor=user, contact_id=contact_id)
    return render(request, "party/contacts/detail.html", _detail_context(user, contact))


def _detail_context(user, contact) -> dict[str, Any]:
    return {"row": sel.rows([contact])[0], "c": contact,
            "visits": sel.visit_history(actor=user, assignment=contact),
            "is_staff": permissions.keeps(user, contact.area_path),
            "is_member": permissions.is_member(user, contact.member),
            "end_form": EndForm()}


@login_required
@require_POST
def contact_end_page(request, contact_id: int):
    user = request.user
    contact = sel.contact_get(actor=user, contact_id=contact_id)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        contact_end(actor=user, assignment=contact, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        context = _detail_context(user, contact) | {"error": exc, "end_form": form}
        return render(request, "party/contacts/detail.html", context, status=exc.status)
    messages.success(request, _("The assignment has ended."))
    return redirect("party:contact", contact.pk)


def _visit_context(user, contact, form: VisitForm) -> dict[str, Any]:
    from linli.cases.selectors import leaf_categories
    from linli.disputes.models import Kind
    from linli.disputes.selectors import may_register
    from linli.volunteering.models import WishCategory

    return {"form": form, "row": sel.rows([contact])[0], "c": contact,
            "ways": VisitWay.choices, "raise_choices": RAISE_CHOICES,
            "categories": leaf_categories(), "dispute_kinds": Kind.choices,
            "wish_categories": WishCategory.choices,
            "has_care_plan": sel.has_care_plan(contact.household),
            "may_register_dispute": may_register(user, contact.household.dwelling),
            "today": timezone.localdate()}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def contact_visit(request, contact_id: int):
    user = request.user
    contact = sel.contact_get(actor=user, contact_id=contact_id)
    if request.method == "GET":
        form = VisitForm(initial={"visited_on": timezone.localdate(), "way": VisitWay.HOME})
        return render(request, "party/contacts/visit.html", _visit_context(user, contact, form))
    form = VisitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        d = form.cleaned_data
        also = raise_from(kind=d["also"], text=d["text"], category_id=d["category"],
                          dispute_kind=d["dispute_kind"],
                          people_involved=d["people_involved"],
                          wish_category=d["wish_category"], starts_at=d["starts_at"],
                          ends_at=d["ends_at"])
        contact_visit_raise(actor=user, assignment=contact, visited_on=d["visited_on"],
                            way=d["way"], raised=d["raised"], also=also)
    except ApplicationError as exc:
        context = _visit_context(user, contact, form) | {"error": exc}
        return render(request, "party/contacts/visit.html", context, status=exc.status)
    messages.success(request, _("The visit is recorded."))
    return redirect("party:contact", contact.pk)


@never_cache
@login_required
@require_GET
def contact_rates(request):
    user = request.user
    if not permissions.is_party_staff(user):
        raise Http404
    month = sel.month_parse(request.GET.get("month"))
    return render(request, "party/contacts/rates.html", {
        "month": month, "month_value": month.strftime("%Y-%m"),
        "rates": sel.contact_rates(actor=user, month=month)})


urlpatterns = [
    path("contacts/", contact_list, name="contacts"),
    path("contacts/assign/", contact_assign_page, name="contact_assign"),
    path("contacts/rates/", contact_rates, name="contact_rates"),
    path("contacts/<int:contact_id>/", contact_detail, name="contact"),
    path("contacts/<int:contact_id>/visit/", contact_visit, name="contact_visit"),
    path("contacts/<int:contact_id>/end/", contact_end_page, name="contact_end"),
]
