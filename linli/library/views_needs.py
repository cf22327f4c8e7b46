"""The needs pages; urls.py gathers `urlpatterns`. The names `needs`, `need_new` and
`need` are the contract other parts link to.

- `needs`: staff serving a place see the queue (live first, 急 → 难 → 愁 → 盼 →
  unclassified, then oldest) with filters and the counts per class; a resident sees their
  household's needs (我的需求).
- `need_new`: a resident posts a need for their household (`?service=<id>` prefills the
  kind); staff post for a resident where they serve (found by name, shown masked) or for
  a place.
- `need`: the need, its history; for staff the moves (classify with the suggested class
  preselected, match a suggested provider, meet, close) and the one-step hand over to a
  case, a task, a topic or a booking.

A refused form shows the page again with the reason and the status the API would answer.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts import scope
from linli.core.crypto import mask_name
from linli.core.errors import ApplicationError, ValidationFailed
from linli.library import permissions
from linli.library import selectors_needs as sel
from linli.library.events import timeline
from linli.library.forms_needs import ActForm, HandOverForm, NeedForm, first_invalid
from linli.library.models import NeedSource, NeedState, Provider, ServiceKind, Urgency
from linli.library.selectors import services_visible
from linli.library.services import need_post, need_transition
from linli.library.services.handover import topic_place
from linli.library.services.matching import suggest_providers
from linli.library.services.needs_handover import HandOver, need_hand_over
from linli.library.workflow import NEEDS

PAGE_ACTIONS = ("classify", "match", "meet", "close")
DONE = {"classify": _("The need is classified."),
        "match": _("The provider is matched to the need."),
        "meet": _("The need is marked met."),
        "close": _("The need is closed.")}


# --- the queue -------------------------------------------------------------------------------

def _places(user):
    from linli.orgs.models import Area, AreaKind

    paths = scope.area_paths(user, permissions.STAFF)
    if not paths:
        return []
    from django.db.models import Q

    within = Q()
    for p in paths:
        within |= Q(path__startswith=p)
    return list(Area.objects.filter(within, kind__in=(AreaKind.COMMUNITY, AreaKind.GRID,
                                                      AreaKind.ESTATE))
                .order_by("path")[:100])


@login_required
@require_GET
def need_list(request):
    user = request.user
    staff = sel.is_staff(user)
    got = {k: request.GET.get(k, "")[:16] for k in ("state", "urgency", "kind", "source")}
    if sel.bad_filter(**got):
        got = {k: "" for k in got}
    places = _places(user) if staff else []
    place = request.GET.get("place", "")
    place_path = next((a.path for a in places if str(a.pk) == place), "")
    if staff and not any(got.values()):
        got["state"] = "live"
    needs = sel.need_list(actor=user, area_path=place_path, mine=not staff, **got)
    counts = sel.urgency_counts(sel.need_list(actor=user, area_path=place_path,
                                              mine=not staff))
    return render(request, "library/needs/list.html", {
        "is_staff": staff, "needs": sel.with_places(needs[:200]), "filters": got, "place": place,
        "places": places, "counts": [(u, label, counts[u]) for u, label in Urgency.choices],
        "unclassified": counts[""],
        "states": [("live", _("Live")), *NeedState.choices], "urgencies": Urgency.choices,
        "kinds": ServiceKind.choices, "sources": NeedSource.choices,
    })


# --- posting -----------------------------------------------------------------------------

def _household_members(user):
    from linli.people.models import Resident
    from linli.people.selectors import own_record

    record = own_record(user)
    if record is None:
        return []
    return list(Resident.objects.filter(household_id=record.household_id,
                                        moved_out__isnull=True, anonymised_at__isnull=True)
                .order_by("pk"))


def _candidates(user, who: str) -> list[dict]:
    from linli.people.selectors import place_labels, residents_named

    paths = scope.area_paths(user, permissions.STAFF)
    found = residents_named(paths=paths, name=who, limit=10) if who.strip() else []
    labels = place_labels([r.household.dwelling for r in found])
    return [{"pk": r.pk, "name": mask_name(r.name),
             "address": labels.get(r.household.dwelling_id, "")} for r in found]


def _new_context(request, form: NeedForm) -> dict[str, Any]:
    user = request.user
    staff = sel.is_staff(user)
    who = request.GET.get("who", "")[:64] if staff else ""
    return {"form": form, "is_staff": staff, "members": _household_members(user),
            "who": who, "candidates": _candidates(user, who) if who else [],
            "places": _places(user) if staff else [], "kinds": ServiceKind.choices}


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request):
    from linli.orgs.models import Area
    from linli.people.models import Resident

    user = request.user
    if request.method == "GET":
        initial: dict[str, Any] = {}
        service_id = request.GET.get("service", "")
        if service_id.isdigit() and len(service_id) < 10:
            service = services_visible(user).filter(pk=int(service_id)).first()
            if service is not None:
                initial = {"kind": service.kind,
                           "text": str(_("About the service “%(title)s”: ")
                                       % {"title": service.title})}
        resident = request.GET.get("resident", "")
        if resident.isdigit() and len(resident) < 10:
            initial["resident"] = int(resident)
        return render(request, "library/needs/new.html",
                      _new_context(request, NeedForm(initial=initial)))
    form = NeedForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        resident = area = None
        if data["resident"]:
            resident = Resident.objects.filter(pk=data["resident"], moved_out__isnull=True,
                                               anonymised_at__isnull=True).first()
            if resident is None:
                raise ValidationFailed(str(_("Unknown resident.")), code="bad_resident")
        elif data["area"]:
            area = Area.objects.filter(pk=data["area"]).first()
        else:
            members = _household_members(user)
            resident = next((m for m in members if m.user_id == user.pk),
                            members[0] if members else None)
        if resident is None and area is None:
            raise ValidationFailed(str(_("Say whose need it is or where.")), code="bad_area")
        own = resident is not None and resident.user_id == user.pk
        source = (NeedSource.STAFF if sel.is_staff(user) and not own
                  else NeedSource.REQUEST)
        made = need_post(actor=user, text=data["text"], resident=resident, area=area,
                         kind=data["kind"], source=source)
    except ApplicationError as exc:
        context = _new_context(request, form) | {"error": exc}
        return render(request, "library/needs/new.html", context, status=exc.status)
    messages.success(request, str(_("The need is posted.")))
    return redirect("library:need", made.pk)


# --- one need ----------------------------------------------------------------------------

def _get(request, need_id: int):
    return sel.need_get(actor=request.user, need_id=need_id)


def _detail_context(user, need) -> dict[str, Any]:
    from linli.deliberation.models import Category as TopicCategory
    from linli.library.urgency import suggest

    staff = sel.serves(user, need)
    name = ""
    if need.resident is not None:
        name = need.resident.name if staff else mask_name(need.resident.name)
    actions = NEEDS.actions_for(user, need)
    context: dict[str, Any] = {
        "need": sel.with_places([need])[0], "name": name, "is_staff": staff, "actions": actions,
        "history": timeline(need, show_actor=staff),
    }
    if staff:
        now = timezone.now()
        suggested, words = suggest(need.text)
        context |= {
            "urgencies": Urgency.choices, "kinds": ServiceKind.choices,
            "suggested": need.urgency or suggested, "suggested_words": words,
            "suggestions": (suggest_providers(need) if "match" in actions
                            or "hand_over" in actions else []),
            "slots": sel.free_slots(need, now) if "hand_over" in actions else [],
            "rooms": sel.rooms(need) if "hand_over" in actions else [],
            "category_groups": sel.case_categories() if "hand_over" in actions else [],
            "topic_categories": TopicCategory.choices, "topic_place": topic_place(need),
        }
    return context


def render_detail(request, need, error: ApplicationError | None = None, form_id: str = ""):
    context = _detail_context(request.user, need)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "library/needs/detail.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def need_detail(request, need_id: int):
    return render_detail(request, _get(request, need_id))


@login_required
@require_POST
def need_act(request, need_id: int, action: str):
    need = _get(request, need_id)
    if action not in PAGE_ACTIONS:
        raise Http404
    form = ActForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        extra: dict[str, Any] = {}
        if action == "classify":
            extra = {"urgency": data["urgency"], "kind": data["kind"]}
        elif action == "match":
            NEEDS.check(request.user, need, action, "")
            provider = (Provider.objects.filter(pk=data["provider"]).first()
                        if data["provider"] else None)
            score = next((s.score for s in suggest_providers(need, limit=100)
                          if provider is not None and s.provider.pk == provider.pk), 0)
            extra = {"provider": provider, "score": score}
        need_transition(actor=request.user, need=need, action=action, note=data["note"],
                        expected_version=data["version"], **extra)
    except ApplicationError as exc:
        return render_detail(request, _get(request, need_id), error=exc,
                             form_id=f"act-{action}")
    messages.success(request, str(DONE[action]))
    return redirect("library:need", need.pk)


@login_required
@require_POST
def need_hand(request, need_id: int):
    need = _get(request, need_id)
    form = HandOverForm(request.POST)
    to = request.POST.get("to", "")[:8]
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        need_hand_over(actor=request.user, need=need, data=HandOver(
            to=data["to"], note=data["note"], category_id=data["category"],
            title=data["title"], starts_at=data["starts_at"], ends_at=data["ends_at"],
            volunteers_needed=data["volunteers_needed"] or 1,
            points_offered=data["points_offered"] or 0,
            topic_category=data["topic_category"], slot_id=data["slot"],
            room_id=data["room"]))
    except ApplicationError as exc:
        return render_detail(request, _get(request, need_id), error=exc,
                             form_id=f"hand-{to}")
    messages.success(request, str(_("The need is handed over.")))
    return redirect("library:need", need.pk)


urlpatterns = [
    path("needs/", need_list, name="needs"),
    path("needs/new/", need_new, name="need_new"),
    path("needs/<int:need_id>/", need_detail, name="need"),
    path("needs/<int:need_id>/act/<str:action>/", need_act, name="need_act"),
    path("needs/<int:need_id>/hand-over/", need_hand, name="need_hand"),
]
