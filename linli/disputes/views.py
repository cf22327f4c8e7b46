"""The dispute pages staff work from: the list with its filters, registering a dispute
(also from a case), and the resident search the register form's party rows use.

Pages parse input, call a selector or a service and render; every ApplicationError's
message is shown on the page with the status the API would answer. The dispute page and its
forms live in views_detail.py.
"""

import re
import uuid
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.accounts import scope
from linli.cases.models import Case
from linli.cases.selectors import case_list
from linli.core.crypto import mask_name
from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.core.listing import known_filters, query_without_page
from linli.disputes import permissions, selectors, services
from linli.disputes.forms import (
    FILTERS,
    RESIDENT,
    FilterForm,
    PartyForm,
    RegisterForm,
)
from linli.disputes.models import PartyRole, Source
from linli.disputes.services import MAX_PARTIES, PartyInput
from linli.disputes.templatetags.disputes_tags import place_name
from linli.orgs.models import Area, AreaKind
from linli.orgs.selectors import area_list
from linli.people.selectors import is_number_query, residents_named

PAGE_SIZE = 30
# The places a dispute is registered at: down to the building (a dwelling would name a
# household; the address field says the rest).
PLACE_KINDS = [AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING]
FIRST_ROWS = 2  # an applicant and a respondent
MAX_FOUND = 10
TOKEN = re.compile(r"[0-9a-f]{32}")  # the form token: uuid4().hex


def require_staff(user) -> None:
    """Pages for dispute staff only (the party search) do not exist for anyone else."""
    if not scope.has_role(user, permissions.STAFF):
        raise Http404


def require_reader(user) -> None:
    """The list and the dispute page exist for dispute staff and for members of units,
    who read the red disputes their unit handles jointly (三所联动); the selectors decide
    which disputes each sees."""
    if not (scope.has_role(user, permissions.STAFF) or scope.unit_ids(user)):
        raise Http404


def _staff_places(user, kinds: Sequence[str]) -> list[Area]:
    return selectors.staff_places(actor=user, kinds=kinds)


def _export_fields(request) -> list[tuple[str, str]]:
    """The list's filters for its 导出 Excel button: one field each, repeated values
    joined by commas (exporters.REPEATED)."""
    return [(name, ",".join(request.GET.getlist(name))) for name in FILTERS
            if any(request.GET.getlist(name))]


@login_required
def dispute_list(request):
    user = request.user
    require_reader(user)
    data = known_filters(request, FILTERS)
    form = FilterForm(data or None, areas=_staff_places(user, [AreaKind.COMMUNITY]),
                      grids=_staff_places(user, [AreaKind.GRID]))
    disputes = selectors.dispute_list(actor=user, filters=form.filters())
    page = Paginator(disputes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "disputes/list.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "export_fields": _export_fields(request),
        "may_register": bool(_staff_places(user, PLACE_KINDS)),
        "is_staff": scope.has_role(user, permissions.STAFF),
    }, status=400 if form.errors else 200)


# --- registering -----------------------------------------------------------------------

def _places(user) -> list[tuple[int, str]]:
    return [(a.pk, f"{'· ' * max(a.depth - 2, 0)}{a.name}")
            for a in _staff_places(user, PLACE_KINDS)]


def _source_case(user, raw) -> Case | None:
    """The case a dispute is made from (`?case=`); one outside the person's view is not
    found, exactly as on the case pages."""
    if raw in (None, ""):
        return None
    try:
        case_id = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    case = case_list(actor=user).filter(pk=case_id).select_related("area").first()
    if case is None:
        raise Http404
    return case


def _row_count(request) -> int:
    try:
        rows = int(request.POST.get("party_rows") or FIRST_ROWS)
    except ValueError:
        rows = FIRST_ROWS
    if "add_party" in request.POST:
        rows += 1
    return min(max(rows, FIRST_ROWS), MAX_PARTIES)


def _party_forms(request, rows: int) -> list[PartyForm]:
    if request.method != "POST":
        roles = [PartyRole.APPLICANT, PartyRole.RESPONDENT]
        return [PartyForm(prefix=f"party-{i}", initial={"role": roles[min(i, 1)]})
                for i in range(rows)]
    return [PartyForm(request.POST, prefix=f"party-{i}") for i in range(rows)]


def _party_inputs(party_forms: list[PartyForm]) -> list[PartyInput]:
    """The rows filled in, as the service takes them; a bad row is refused by name."""
    given = []
    for number, form in enumerate(party_forms, start=1):
        if not form.is_valid():
            raise ValidationFailed(_("Party %(n)d: check the fields.") % {"n": number},
                                   code="bad_party")
        data = form.cleaned_data
        if data["who"] == RESIDENT:
            if not data["resident"]:
                raise ValidationFailed(
                    _("Party %(n)d: pick the resident from the search results.")
                    % {"n": number}, code="resident_required")
            given.append(PartyInput(role=data["role"], resident_id=data["resident"]))
        elif not form.is_blank():
            given.append(PartyInput(role=data["role"], name=data["name"].strip(),
                                    phone=data["phone"].strip(),
                                    id_number=data["id_number"].strip()))
    return given


def _register(user, form: RegisterForm, parties: list[PartyInput], case: Case | None,
              token: str) -> services.RegisterOutcome:
    data = form.cleaned_data
    # The form's token is the idempotency key: a double tap or a resent post replays.
    common = {"actor": user, "kind": data["kind"], "parties": parties,
              "people_involved": data["people_involved"], "summary": data["summary"],
              "violence_threat": data["violence_threat"],
              "petition_risk": data["petition_risk"], "idempotency_key": token}
    if case is not None:
        return services.dispute_from_case_outcome(case_id=case.pk, **common)
    area = area_list(actor=user).filter(pk=data["area"]).first()
    if area is None:
        raise ValidationFailed(_("Choose the place."), code="bad_area")
    return services.dispute_register_outcome(area=area, source=data["source"],
                                             address=data["address"], **common)


def _form_token(request) -> str:
    """The register form's token, made when the form is first shown and carried by every
    post of it (an error or a party row added keeps it: nothing was registered yet)."""
    token = request.POST.get("idem", "")
    return token if TOKEN.fullmatch(token) else uuid.uuid4().hex


def _form_error(form: RegisterForm) -> ValidationFailed:
    """The first problem, named by its field's label ("涉及人数: ...")."""
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return ValidationFailed(f"{label}: {errors[0]}" if label else str(errors[0]),
                            code="invalid")


@login_required
def register(request):
    user = request.user
    case = _source_case(user, request.GET.get("case") or request.POST.get("case"))
    places = _places(user)
    if not places:
        denied = PermissionDenied(
            _("Only grid workers, dispatchers, mediators and leaders register disputes."))
        return render(request, "core/refused.html", {"error": denied, "back": "/"},
                      status=denied.status)
    # The first place offered (a grid worker's own grid) unless they choose another.
    initial: dict[str, Any] = {"party_rows": FIRST_ROWS, "area": places[0][0]}
    if case is not None:
        initial |= {"summary": case.description, "case": case.pk, "source": Source.CASE}
    form = RegisterForm(request.POST or None, places=places, initial=initial)
    if case is not None:  # the case's place carries over, and the source is the case
        form.fields["area"].required = form.fields["source"].required = False
    rows = _row_count(request) if request.method == "POST" else FIRST_ROWS
    party_forms = _party_forms(request, rows)
    token = _form_token(request)
    error: ApplicationError | None = None
    if request.method == "POST" and "add_party" not in request.POST:
        try:
            if not form.is_valid():
                raise _form_error(form)
            outcome = _register(user, form, _party_inputs(party_forms), case, token)
        except ApplicationError as exc:
            error = exc
            if exc.code == "idempotency_mismatch":  # changed after it was sent: a new form
                token = uuid.uuid4().hex
        else:
            messages.success(request, _("This dispute was registered already.")
                             if outcome.replayed else _("The dispute is registered."))
            return redirect("disputes:detail", outcome.dispute.pk)
    return render(request, "disputes/register.html", {
        "form": form, "party_forms": party_forms, "rows": rows, "case": case,
        "error": error, "token": token,
    }, status=error.status if error is not None else 200)


@login_required
@require_GET
def resident_search(request):
    """HTMX: residents of the person's areas matching a name, masked, with their building,
    to pick as a party. ID numbers and phones are not searched here: they would travel in
    the address."""
    user = request.user
    require_staff(user)
    # The row's own search field (`party-<row>-search`), or `q`.
    text = request.GET.get("q") or next(
        (value for name, value in request.GET.items() if name.endswith("-search")), "")
    text = text.strip()[:100]
    row = request.GET.get("row", "")
    found = []
    refused = ""
    if is_number_query(text):
        refused = _("Search by name here.")
    elif text:
        # The dispute staff's own areas, mediators included (they keep no registry).
        paths = scope.area_paths(user, permissions.STAFF)
        found = [(resident.pk, mask_name(resident.name),
                  place_name(resident.household.dwelling))
                 for resident in residents_named(paths=paths, name=text, limit=MAX_FOUND)]
    return render(request, "disputes/_residents.html", {
        "found": found, "row": row if row.isdigit() else "", "text": text,
        "refused": refused})
