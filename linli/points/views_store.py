"""Store pages (爱心超市): the catalogue and redeeming, my redemptions, and the desk where
staff hand items over or cancel. Parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.points import permissions, selectors, store
from linli.points.forms import NoteForm, RedeemForm, new_key
from linli.points.models import RedemptionState, StoreItem
from linli.points.offers import offers
from linli.points.views import require


def render_catalogue(request, error: ApplicationError | None = None,
                     posted_item: int | None = None, form: RedeemForm | None = None):
    """The store page; after a refused redemption, the same page with the reason at the
    item, the refusal's status, and the store's own address (store.js puts it back in the
    address bar, so a reload shows the store instead of posting again)."""
    communities = permissions.resident_communities(request.user)
    items = selectors.item_list(actor=request.user).filter(
        community__in=[c.pk for c in communities])
    balances = {a.community_id: a.balance for a in selectors.my_accounts(actor=request.user)}
    shown = offers(actor=request.user, items=items, balances=balances)
    return render(request, "points/catalogue.html", {
        "offers": shown, "communities": communities,
        # The reason goes to the item's card, or above the list when the item is not on it.
        "error_at_item": any(o.item.pk == posted_item for o in shown),
        "balances": [(c, balances.get(c.pk, 0)) for c in communities],
        "error": error, "posted_item": posted_item, "posted_form": form,
        "new_key": new_key(),
    }, status=error.status if error is not None else 200)


@login_required
def catalogue(request):
    return render_catalogue(request)


@login_required
@require_POST
def redeem(request, item_id: int):
    item = selectors.item_get(actor=request.user, item_id=item_id)
    form = RedeemForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Choose a quantity from 1 to 99."), code="bad_quantity")
        redemption = store.redemption_place(actor=request.user, item=item,
                                            quantity=form.cleaned_data["quantity"],
                                            key=form.cleaned_data["idem"])
    except ApplicationError as exc:
        return render_catalogue(request, error=exc, posted_item=item.pk, form=form)
    messages.success(request, _("Redeemed %(item)s × %(quantity)d for %(points)d points. "
                                "Collect it at the community's store desk.") % {
        "item": item.name, "quantity": redemption.quantity, "points": redemption.points})
    return redirect("points:mine")


def render_mine(request, error: ApplicationError | None = None):
    redemptions = selectors.redemption_list(actor=request.user, mine=True)
    page = Paginator(redemptions, 20).get_page(request.GET.get("page"))
    return render(request, "points/mine.html", {"page": page, "held": RedemptionState.HELD,
                                                "error": error},
                  status=error.status if error is not None else 200)


@login_required
def mine(request):
    return render_mine(request)


def _settle(request, redemption_id: int, action: str) -> str:
    redemption = selectors.redemption_get(actor=request.user, redemption_id=redemption_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if action == "complete":
        store.redemption_complete(actor=request.user, redemption=redemption)
        return _("Handed over: %(item)s × %(quantity)d.") % {
            "item": redemption.item.name, "quantity": redemption.quantity}
    store.redemption_cancel(actor=request.user, redemption=redemption, note=note)
    return _("Cancelled; %(points)d points went back to %(name)s.") % {
        "points": redemption.points, "name": redemption.resident}


@login_required
@require_POST
def settle(request, redemption_id: int, action: str):
    """Cancel (the resident while held, or the desk) or complete (the desk); back to the
    page the button was on, with what happened, or that page with why not."""
    require(action in ("complete", "cancel"))
    at_desk = request.POST.get("from") == "desk" and permissions.is_store_staff(request.user)
    try:
        done = _settle(request, redemption_id, action)
    except ApplicationError as exc:
        return render_desk(request, exc) if at_desk else render_mine(request, exc)
    messages.success(request, done)
    return redirect("points:desk" if at_desk else "points:mine")


def render_desk(request, error: ApplicationError | None = None):
    communities = [c for c in selectors.staff_communities(actor=request.user)
                   if permissions.can_run_store(request.user, c)]
    mine = selectors.redemption_list(actor=request.user).filter(
        community__in=[c.pk for c in communities])
    held = mine.filter(state=RedemptionState.HELD).order_by("id")
    search = request.GET.get("q", "").strip()[:50]
    if search:
        held = held.filter(Q(resident__display_name__icontains=search)
                           | Q(resident__username__icontains=search))
    page = Paginator(held, 50).get_page(request.GET.get("page"))
    recent = mine.exclude(state=RedemptionState.HELD).order_by("-handled_at", "-id")[:20]
    return render(request, "points/desk.html", {
        "page": page, "recent": recent, "search": search, "query": f"q={search}",
        "error": error}, status=error.status if error is not None else 200)


@login_required
def desk(request):
    """Held redemptions of the communities the person runs the store for, oldest first."""
    require(permissions.is_store_staff(request.user))
    return render_desk(request)


def _serve(item: StoreItem, thumb: bool) -> FileResponse:
    file = item.thumbnail if thumb else item.image
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=item.image_type or "image/jpeg")
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def item_image(request, item_id: int):
    return _serve(selectors.item_get(actor=request.user, item_id=item_id), thumb=False)


@login_required
@require_GET
def item_thumbnail(request, item_id: int):
    return _serve(selectors.item_get(actor=request.user, item_id=item_id), thumb=True)
