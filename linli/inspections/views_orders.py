"""Inspection pages: the rectification orders (整改通知书). `urlpatterns` is gathered by
urls.py.

- `orders`: the list, filtered by every field of `selectors.OrderFilters` from the query
  string (the ledger links here); a bad value answers 400 with the form's message.
- `order`: all of an order (the five fixes, photos by phase, the history) and one form per
  move the person may take now (`ORDERS.actions_for`), each posting to `order_act`.
- `order_pdf`: the printable notice; `photo`/`photo_thumb`: photos, only to those who see
  the order.

A refused move shows the order page again with the reason and the status the API would
answer, the person's text kept and the photos they chose held (core/held.py).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from linli.accounts import scope
from linli.cases.models import Category
from linli.cases.selectors import leaf_categories
from linli.core.clocks import Light
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.held import HeldPhotos, too_many
from linli.core.images import MAX_FILES
from linli.core.listing import known_filters, query_without_page
from linli.core.media import private_file
from linli.core.refusals import render_refused
from linli.inspections import selectors, services
from linli.inspections.forms_orders import FILTERS, OrderActionForm, OrderFilterForm
from linli.inspections.models import Order, OrderEvent, OrderPhoto, PhotoPhase, State
from linli.inspections.permissions import INSPECTORS
from linli.inspections.services.printing import notice_filename
from linli.inspections.transitions import TABLE
from linli.inspections.workflow import ORDERS
from linli.orgs.selectors import units_serving

PAGE_SIZE = 20
RELOAD_CODES = {"stale", "conflict"}
# The photos a move's form takes, each held while the form comes back with an error.
PHASES = {"rectify": ("before", "after"), "sign_off": ("recheck",)}
HELD = {phase: HeldPhotos(f"order-{phase}") for phase in ("before", "after", "recheck")}
HELD_VIEWS = {phase: held.thumbnail_view() for phase, held in HELD.items()}
# The moves a person asks for on the page (the sweep's "overdue" is never a button).
PAGE_ACTIONS = [a for a in TABLE if a != "overdue"]
ACTION_LABELS = {"rectify": _("Record the rectification"),
                 "sign_off": _("Sign off after the on-site re-check"),
                 "reject": _("Not fixed: reject the rectification"),
                 "escalate": _("Escalate the overdue order"), "raise_case": _("Raise a case")}
EVENT_LABELS = {"issue": _("Issued"), "rectify": _("Rectification recorded"),
                "sign_off": pgettext_lazy("rectification order", "Signed off"),
                "reject": _("Rejected at the re-check"),
                "overdue": pgettext_lazy("rectification order", "Overdue"),
                "escalate": pgettext_lazy("rectification order", "Escalated"),
                "raise_case": _("Case raised")}


def _require_reader(user) -> None:
    """The order pages are for inspectors and for the accounts of responsible parties;
    the selectors decide which orders each sees."""
    if scope.has_role(user, INSPECTORS):
        return
    if not selectors.orders_visible(user).exists():
        raise Http404


# --- the list ----------------------------------------------------------------------------

@login_required
@require_GET
def order_list(request):
    user = request.user
    _require_reader(user)
    data = known_filters(request, FILTERS)
    form = OrderFilterForm(data or None)
    error = None
    if form.is_bound and not form.is_valid():
        error = ValidationFailed(form.first_error(), code="invalid")
        orders = Order.objects.none()
    else:
        orders = selectors.order_list(actor=user, filters=form.filters())
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    lights = [(order, selectors.order_light(order, now)) for order in page]
    rows = [(order, colour, Light.words(colour)) for order, colour in lights]
    return render(request, "inspections/orders/list.html", {
        "form": form, "page": page, "rows": rows, "query": query_without_page(request),
        "error": error}, status=400 if error else 200)


# --- one order ---------------------------------------------------------------------------

def _photos(order: Order) -> list[tuple[str, list[OrderPhoto]]]:
    by_phase: dict[str, list[OrderPhoto]] = {}
    for photo in order.photos.all():
        by_phase.setdefault(photo.phase, []).append(photo)
    return [(str(label), by_phase[value]) for value, label in PhotoPhase.choices
            if value in by_phase]


def _state(value: str) -> str:
    return str(State(value).label) if value in State.values else ""


def _history(order: Order) -> list[dict[str, Any]]:
    return [{"event": e, "label": EVENT_LABELS.get(e.action, e.action),
             "from": _state(e.from_state), "to": _state(e.to_state)}
            for e in OrderEvent.objects.filter(order=order).select_related("actor")]


def _detail_context(user, order: Order) -> dict[str, Any]:
    actions = ORDERS.actions_for(user, order)
    light = selectors.order_light(order, timezone.now())
    context: dict[str, Any] = {
        "order": order, "light": light, "light_words": Light.words(light),
        "photos": _photos(order), "actions": [(a, ACTION_LABELS[a]) for a in actions],
        "events": _history(order), "max_photos": MAX_FILES,
        "is_major": order.severity == "major", "today": timezone.localdate(),
    }
    if "escalate" in actions:
        context["units"] = units_serving(order.target.area)
    if "raise_case" in actions:
        context["category_groups"] = leaf_categories()
    return context


def render_detail(request, order: Order, error: ApplicationError | None = None,
                  posted_action: str = "", held: dict[str, list[str]] | None = None):
    context = _detail_context(request.user, order)
    if error is not None:
        context |= {"error": error, "error_reload": error.code in RELOAD_CODES,
                    "posted": request.POST, "posted_action": posted_action,
                    "held": held or {}}
    return render(request, "inspections/orders/detail.html", context,
                  status=error.status if error is not None else 200)


def _get(request, order_id: int) -> Order:
    _require_reader(request.user)
    return selectors.order_get(actor=request.user, order_id=order_id)


@login_required
@require_GET
def order_detail(request, order_id: int):
    return render_detail(request, _get(request, order_id))


def _hold(request, phase: str) -> tuple[list[str], ValidationFailed | None]:
    """The photos of `phase` the posted form holds: those held before (less those ticked
    for removal) and the ones chosen now; and the first upload refused, if any."""
    store, user = HELD[phase], request.user
    removed = request.POST.getlist(f"remove_{phase}")
    store.release(user, removed)
    earlier = [t for t in dict.fromkeys(request.POST.getlist(f"held_{phase}"))
               if t not in set(removed)]
    fresh, refused = store.hold_uploads(user, request.FILES.getlist(phase))
    return store.valid(user, earlier) + fresh, refused


def _first_invalid(form) -> ValidationFailed:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return ValidationFailed(f"{label}: {errors[0]}" if label else str(errors[0]),
                            code="invalid")


def _move(request, order: Order, action: str, data: dict, images: dict[str, list]):
    if action == "raise_case":
        category = (Category.objects.filter(pk=data["category"]).first()
                    if data["category"] else None)
        return services.order_raise_case(actor=request.user, order=order, category=category,
                                         note=data["note"])
    return services.order_transition(
        actor=request.user, order=order, action=action, note=data["note"],
        expected_version=data["version"], after=images.get("after", ()),
        before=images.get("before", ()), recheck=images.get("recheck", ()),
        lat=data["lat"], lng=data["lng"], due_on=data["due_on"],
        competent_unit_id=data["competent_unit"])


DONE = {"rectify": _("Rectification recorded: an inspector will re-check it on site."),
        "sign_off": _("Signed off after the re-check."),
        "reject": _("Rectification not accepted: the order is issued again."),
        "escalate": _("Escalated."), "raise_case": _("Case raised and linked.")}


@login_required
@require_POST
def order_act(request, order_id: int, action: str):
    order = _get(request, order_id)
    if action not in PAGE_ACTIONS:
        raise Http404
    held: dict[str, list[str]] = {}
    refusals: list[ValidationFailed | None] = []
    for phase in PHASES.get(action, ()):
        # Every phase held first: a refused photo of one never loses the other's.
        held[phase], refused = _hold(request, phase)
        refusals += [refused, too_many(len(held[phase]))]
    try:
        refused = next((r for r in refusals if r is not None), None)
        if refused is not None:
            raise refused
        form = OrderActionForm(request.POST)
        if not form.is_valid():
            raise _first_invalid(form)
        images = {phase: HELD[phase].images(request.user, tokens)
                  for phase, tokens in held.items()}
        _move(request, order, action, form.cleaned_data, images)
    except ApplicationError as exc:
        return render_detail(request, order, error=exc, posted_action=action, held=held)
    for phase, tokens in held.items():
        HELD[phase].release(request.user, tokens)
    messages.success(request, str(DONE.get(action, "")))
    return redirect("inspections:order", order.pk)


@login_required
@require_GET
def order_pdf(request, order_id: int):
    order = _get(request, order_id)
    try:
        content = services.order_print(actor=request.user, order=order)
    except ApplicationError as error:
        return render_refused(request, error, reverse("inspections:order", args=[order.pk]))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice_filename(order)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- photos ------------------------------------------------------------------------------

def _photo(request, photo_id: int) -> OrderPhoto:
    return selectors.photo_get(actor=request.user, photo_id=photo_id)


@login_required
@require_GET
def photo_file(request, photo_id: int):
    photo = _photo(request, photo_id)
    return private_file(photo.image, photo.content_type)


@login_required
@require_GET
def photo_thumbnail(request, photo_id: int):
    photo = _photo(request, photo_id)
    return private_file(photo.thumbnail, photo.content_type)


def held_thumbnail(request, phase: str, token: str):
    view = HELD_VIEWS.get(phase)
    if view is None:
        raise Http404
    return view(request, token=token)


urlpatterns = [
    path("orders/", order_list, name="orders"),
    path("orders/<int:order_id>/", order_detail, name="order"),
    path("orders/<int:order_id>/act/<str:action>/", order_act, name="order_act"),
    path("orders/<int:order_id>/notice.pdf", order_pdf, name="order_pdf"),
    path("orders/held/<str:phase>/<str:token>/", held_thumbnail, name="order_held"),
    path("photos/<int:photo_id>/", photo_file, name="photo"),
    path("photos/<int:photo_id>/thumb/", photo_thumbnail, name="photo_thumb"),
]
