"""The registry pages: the list with search, households, residents (masked), add and edit
forms, moving out, and a resident's own page "what Linli holds about me".

Pages parse input, call a selector or a service, and render. Every page is `never_cache`:
even masked, a register is not for shared caches or the browser's back button after logout.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.crypto import decrypt
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.refusals import render_refused
from linli.orgs.models import Area, AreaKind
from linli.people import permissions, selectors, sensitive, services
from linli.people.fields import age
from linli.people.forms import MoveOutForm, ResidentEditForm, ResidentForm
from linli.people.models import AccessLog, Consent, Outcome, Resident
from linli.people.services import KEEP, active_basis


def require(condition: bool) -> None:
    """Pages of a role the person does not hold do not exist for them."""
    if not condition:
        raise Http404


def with_places(items, dwelling_of) -> list:
    """Attach `place` (the short dwelling name) to each item, loading names in one query."""
    items = list(items)
    labels = selectors.place_labels({dwelling_of(i).pk: dwelling_of(i) for i in items}.values())
    for item in items:
        item.place = labels.get(dwelling_of(item).pk, "")
    return items


@never_cache
@login_required
def registry(request):
    user = request.user
    if not permissions.is_registry_staff(user):
        require(scope.has_role(user, Role.RESIDENT))
        return redirect("people:me")
    # The search form posts: an ID number or phone typed into it stays out of URLs (and so
    # out of server logs and browser history), and is not written back into the page.
    params = request.POST if request.method == "POST" else request.GET
    search = params.get("q", "").strip()
    include_all = params.get("all") == "1"
    residents = selectors.resident_list(actor=user, search=search,
                                        include_moved_out=include_all)
    page = Paginator(residents, 50).get_page(request.GET.get("page"))
    rows = with_places(page, lambda r: r.household.dwelling)
    by_number = selectors.is_number_query(search)
    return render(request, "people/registry.html", {
        "page": page, "rows": rows, "q": "" if by_number else search, "by_number": by_number,
        "all": include_all, "can_add": permissions.is_keeper(user),
        "can_view_log": permissions.can_view_access_log(user)})


# --- households ------------------------------------------------------------------------

@never_cache
@login_required
def household_detail(request, household_id: int):
    household = selectors.household_get(actor=request.user, household_id=household_id)
    members = selectors.resident_list(actor=request.user, household_id=household.pk,
                                      include_moved_out=True)
    return render(request, "people/household.html", {
        "household": household, "members": members, "place": household.dwelling.full_name(),
        "can_keep": permissions.can_keep(request.user, household.area_path)})


@never_cache
@login_required
@require_POST
def household_move_out(request, household_id: int):
    household = selectors.household_get(actor=request.user, household_id=household_id)
    form = MoveOutForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Enter a valid date."))
        moved = services.household_move_out(actor=request.user, household=household,
                                            moved_out=form.cleaned_data["moved_out"])
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("people:household", args=[household.pk]))
    messages.success(request, _("%(n)d residents moved out.") % {"n": moved})
    return redirect("people:household", household.pk)


# --- residents -------------------------------------------------------------------------

def _dwelling_from(request) -> Area | None:
    try:
        return Area.objects.filter(pk=int(request.POST.get("dwelling", "")),
                                   kind=AreaKind.DWELLING).first()
    except ValueError:
        return None


def _new_context(request, household, form, error=None) -> dict:
    search = request.GET.get("dq", "").strip()
    return {"form": form, "household": household, "error": error, "dq": search,
            "dwellings": [] if household else with_places(
                selectors.dwelling_choices(actor=request.user, search=search), lambda a: a),
            "picked": request.POST.get("dwelling", "")}


@never_cache
@login_required
def resident_new(request, household_id: int | None = None):
    user = request.user
    require(permissions.is_keeper(user))
    household = (selectors.household_get(actor=user, household_id=household_id)
                 if household_id is not None else None)
    form = ResidentForm(request.POST or None)
    if request.method != "POST":
        return render(request, "people/resident_form.html", _new_context(request, household, form))
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Some fields are missing or invalid."))
        resident = services.resident_create(
            actor=user, household=household,
            dwelling=None if household else _dwelling_from(request), **form.cleaned_data)
    except ApplicationError as exc:
        return render(request, "people/resident_form.html",
                      _new_context(request, household, form, exc), status=exc.status)
    messages.success(request, _("Resident registered."))
    return redirect("people:resident", resident.pk)


def reveal_fields(resident: Resident, names: list[str]) -> list[dict]:
    return [{"name": name, "label": services.REVEAL_FIELDS[name],
             "masked": sensitive.masked_value(resident, name)} for name in names]


def _care_notes(user, resident: Resident, plan) -> list[dict]:
    """Notes left for the plan by visitors from outside the registers, decrypted for the
    plan's keepers only."""
    if plan is None or not permissions.can_keep(user, resident.area_path):
        return []
    return [{"at": n.created_at, "author": n.author, "source": n.source,
             "text": decrypt(n.text_cipher)}
            for n in resident.care_notes.select_related("author")[:50]]


def _detail_context(user, resident: Resident) -> dict:
    plan = selectors.care_plan_get(actor=user, resident=resident)
    known = sensitive.tags_by_hash()
    rows = list(resident.tags.all().order_by("id"))
    tags = list(zip([row.pk for row in rows], sensitive.tag_display(rows, known), strict=True))
    return {
        "resident": resident, "place": resident.household.dwelling.full_name(),
        "age": age(resident.birth_date),
        "fields": reveal_fields(resident, ["id_number", "phone"]),
        "care_fields": reveal_fields(resident, ["tags", "plan", "findings"]),
        "can_reveal": permissions.can_reveal(user, resident),
        "can_view_log": permissions.can_view_access_log(user),
        "can_keep": permissions.can_keep(user, resident.area_path)
        and resident.anonymised_at is None,
        "tags": tags, "plan": plan, "has_basis": active_basis(resident) is not None,
        "consents": resident.consents.select_related("recorded_by").order_by("-id"),
        "visits": selectors.visit_list(actor=user, resident=resident)[:50],
        "care_notes": _care_notes(user, resident, plan),
        "basis_choices": Consent.Basis.choices,
        "tag_choices": list(known.values()),
    }


def render_detail(request, resident: Resident, error: ApplicationError | None = None):
    context = _detail_context(request.user, resident) | {"error": error}
    return render(request, "people/resident.html", context,
                  status=error.status if error is not None else 200)


def resident_for_staff(request, resident_id: int) -> Resident:
    """The resident for staff pages; a resident opening their own record goes to /me/."""
    resident = selectors.resident_get(actor=request.user, resident_id=resident_id)
    require(permissions.can_reveal(request.user, resident))
    return resident


@never_cache
@login_required
def resident_detail(request, resident_id: int):
    resident = selectors.resident_get(actor=request.user, resident_id=resident_id)
    if not permissions.can_reveal(request.user, resident):
        return redirect("people:me")  # their own record: the page that shows it to them
    return render_detail(request, resident)


def _edit_values(form: ResidentEditForm) -> dict:
    data = dict(form.cleaned_data)
    clear_id, clear_phone = data.pop("clear_id_number"), data.pop("clear_phone")
    data["id_number"] = "" if clear_id else (data["id_number"] or KEEP)
    data["phone"] = "" if clear_phone else (data["phone"] or KEEP)
    data["birth_date"] = data["birth_date"] or KEEP
    return data


@never_cache
@login_required
def resident_edit(request, resident_id: int):
    resident = resident_for_staff(request, resident_id)
    if request.method != "POST":
        require(permissions.can_keep(request.user, resident.area_path))
        # Not the birth date: with the masked ID number it would give the number away.
        initial = {f: getattr(resident, f) for f in services.PLAIN_FIELDS if f != "birth_date"}
        return render(request, "people/resident_edit.html", {
            "form": ResidentEditForm(initial=initial), "resident": resident})
    form = ResidentEditForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Some fields are missing or invalid."))
        services.resident_update(actor=request.user, resident=resident, **_edit_values(form))
    except ApplicationError as exc:
        resident.refresh_from_db()
        return render(request, "people/resident_edit.html", {
            "form": form, "resident": resident, "error": exc}, status=exc.status)
    messages.success(request, _("Saved."))
    return redirect("people:resident", resident.pk)


@never_cache
@login_required
@require_POST
def resident_move_out(request, resident_id: int):
    resident = resident_for_staff(request, resident_id)
    form = MoveOutForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Enter a valid date."))
        services.resident_move_out(actor=request.user, resident=resident,
                                   moved_out=form.cleaned_data["moved_out"])
    except ApplicationError as exc:
        resident.refresh_from_db()
        return render_detail(request, resident, exc)
    messages.success(request, _("Moved out."))
    return redirect("people:resident", resident.pk)


@never_cache
@login_required
@require_POST
def resident_link_user(request, resident_id: int):
    """Link the resident's own login (by username), or unlink it with an empty one."""
    from linli.accounts.models import User

    resident = resident_for_staff(request, resident_id)
    username = request.POST.get("username", "").strip()
    user = User.objects.filter(username__iexact=username).first() if username else None
    try:
        if username and user is None:
            raise ValidationFailed(_("No login has this username."), code="bad_user")
        services.resident_link_user(actor=request.user, resident=resident, user=user)
    except ApplicationError as exc:
        resident.refresh_from_db()
        return render_detail(request, resident, exc)
    messages.success(request, _("Login linked.") if user else _("Login unlinked."))
    return redirect("people:resident", resident.pk)


# --- the resident's own page -----------------------------------------------------------

def access_field_label(field: str) -> str:
    """What an access-log row is about, in words (the row stores a short code)."""
    if field in services.REVEAL_FIELDS:
        return capfirst(str(services.REVEAL_FIELDS[field]))
    kind, _sep, count = field.rpartition(":")
    if kind in ("export:masked", "export:clear") and count.isdigit():
        n = int(count)
        text = (ngettext("Masked export of %(n)d resident", "Masked export of %(n)d residents",
                         n) if kind == "export:masked" else
                ngettext("Full export of %(n)d resident", "Full export of %(n)d residents", n))
        return text % {"n": n}
    return str({
        "export": _("Full spreadsheet export"),
        "export:tag": _("Spreadsheet export by care tag"),
        "import": _("Spreadsheet import"),
        "record": capfirst(_("own record")),
        "dispute_agreement": _("Printed in a mediation agreement"),
    }.get(field, field))


def with_outcome_labels(entries) -> list[AccessLog]:
    labels = dict(Outcome.choices)
    entries = list(entries)
    for entry in entries:
        entry.outcome_label = labels.get(entry.outcome, entry.outcome)
        entry.field_label = access_field_label(entry.field)
    return entries


@never_cache
@login_required
def me(request):
    record = services.resident_self_view(actor=request.user)
    seen = []
    if record is not None:
        seen = with_outcome_labels(AccessLog.objects.filter(resident=record.resident)
                                   .exclude(outcome=Outcome.SELF).order_by("-at", "-id")[:50])
    return render(request, "people/me.html", {
        "record": record, "seen_by_staff": seen,
        "retention_days": settings.PEOPLE_RETENTION_DAYS,
        "consents": record.resident.consents.order_by("-id") if record else [],
        "place": record.resident.household.dwelling.full_name() if record else ""})
