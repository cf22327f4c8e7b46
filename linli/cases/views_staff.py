"""The lists staff work from: the dispatcher's queue (with bulk accept) and extension
requests, a unit's inbox, a grid worker's cases awaiting on-site verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import permissions, selectors, services
from linli.cases.forms import QUEUE_FILTERS, ExtensionDecideForm, queue_filter_form
from linli.cases.models import Case, State
from linli.cases.selectors import UNIT_TODO, CaseFilters
from linli.cases.transitions import NOTICE_STATES
from linli.cases.views import require
from linli.cases.workflow import CASES
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.listing import query_without_page
from linli.core.redirects import local_url
from linli.core.refusals import render_refused
from linli.orgs.selectors import unit_list

BULK_LIMIT = 100


def _safe_next(request, fallback: str) -> str:
    return local_url(request, request.POST.get("next"), fallback)


@login_required
def queue(request):
    user = request.user
    require(permissions.is_case_staff(user))
    # Only the filters: a bare "?page=2" is the default list's second page, not every state.
    filters = {name: value for name, value in request.GET.items() if name in QUEUE_FILTERS}
    form = queue_filter_form(user, filters)
    cases = selectors.case_list(actor=user, filters=form.filters())
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    acceptable = {c.pk for c in page if c.state == State.REPORTED
                  and CASES.may(user, c, "accept")}
    return render(request, "cases/queue.html", {
        "form": form, "page": page, "acceptable": acceptable,
        "query": query_without_page(request), "full_path": request.get_full_path(),
        "export_fields": [("list", "queue"), *filters.items()],
    })


def _accept_one(user, case_id: int, version: int | None) -> str | None:
    """Accept one case with its category's defaults; the reason it failed, or None."""
    try:
        case = selectors.case_get(actor=user, case_id=case_id)
        services.case_transition(actor=user, case=case, action="accept",
                                 expected_version=version)
    except Http404:
        return _("Not found.")
    except ApplicationError as exc:
        return exc.message
    return None


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def bulk_accept(request):
    user = request.user
    target = _safe_next(request, reverse("cases:queue"))
    ids = list(dict.fromkeys(i for i in map(_int_or_none, request.POST.getlist("ids"))
                             if i is not None))[:BULK_LIMIT]
    if not ids:
        return render_refused(request, ValidationFailed(
            _("Select the cases to accept first.")), target)
    failures = []
    for case_id in ids:
        reason = _accept_one(user, case_id, _int_or_none(request.POST.get(f"version_{case_id}")))
        if reason is not None:
            failures.append((case_id, reason))
    accepted = len(ids) - len(failures)
    level = messages.SUCCESS if not failures else messages.WARNING
    messages.add_message(request, level, _("%(ok)d of %(total)d cases accepted.") % {
        "ok": accepted, "total": len(ids)})
    for case_id, reason in failures:
        messages.error(request, _("#%(id)d not accepted: %(reason)s") % {
            "id": case_id, "reason": reason})
    return redirect(target)


@login_required
def unit_inbox(request):
    user = request.user
    unit_ids = scope.unit_ids(user)
    require(bool(unit_ids))
    sections = []
    for unit in unit_list(actor=user).filter(pk__in=unit_ids).order_by("name"):
        cases = selectors.case_list(actor=user, filters=CaseFilters(unit_id=unit.pk,
                                                                    state=UNIT_TODO))
        sections.append((unit, list(cases[:200])))
    # Supervision notices wait for an answer on top, whatever the case's state (a
    # resolved case is no longer in the to-do lists, but its notice still wants one).
    notices = (selectors.case_list(actor=user).filter(
        unit_id__in=unit_ids, notice_due_at__isnull=False, state__in=NOTICE_STATES)
        .order_by("notice_due_at"))
    return render(request, "cases/unit_inbox.html", {"sections": sections,
                                                     "notices": list(notices[:200]),
                                                     "export_fields": [("list", "unit")]})


@login_required
def verify_list(request):
    user = request.user
    require(scope.has_role(user, Role.GRID_WORKER))
    resolved = selectors.case_list(actor=user, filters=CaseFilters(state=[State.RESOLVED]))
    cases: list[Case] = [c for c in resolved[:200] if permissions.can_verify(user, c)]
    return render(request, "cases/verify_list.html", {
        "cases": cases, "export_fields": [("list", "verify")]})


@login_required
def extension_list(request):
    user = request.user
    require(scope.has_role(user, Role.DISPATCHER) or user.is_superuser)
    pending = [(ext, permissions.can_decide_extension(user, ext.case))
               for ext in selectors.pending_extensions(actor=user).order_by("requested_at")]
    return render(request, "cases/extensions.html", {"pending": pending,
                                                     "form": ExtensionDecideForm()})


@login_required
@require_POST
def extension_decide(request, extension_id: int):
    user = request.user
    extension = selectors.extension_get(actor=user, extension_id=extension_id)
    target = _safe_next(request, reverse("cases:extensions"))
    form = ExtensionDecideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Choose approve or deny."))
        services.extension_decide(actor=user, extension=extension,
                                  approve=form.cleaned_data["approve"],
                                  note=form.cleaned_data["note"])
    except ApplicationError as exc:
        return render_refused(request, exc, target)
    messages.success(request, _("More time approved.") if form.cleaned_data["approve"]
                     else _("More time denied."))
    return redirect(target)
