"""Staff pages: the store's catalogue (add, edit, restock) and the earning rules. Parse,
call a selector or a service, render; the services check the role again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs.models import Area
from linli.points import catalogue, permissions, rules, selectors
from linli.points.forms import ItemForm, RestockForm, RuleForm
from linli.points.models import StoreItem
from linli.points.views import require


def _desk_communities(user) -> list[Area]:
    return [c for c in selectors.staff_communities(actor=user)
            if permissions.can_run_store(user, c)]


def _community(user, community_id: int) -> Area:
    return selectors.community_get(actor=user, community_id=community_id)


def render_items(request, error: ApplicationError | None = None,
                 posted_item: int | None = None):
    communities = _desk_communities(request.user)
    items = selectors.item_list(actor=request.user, include_inactive=True).filter(
        community__in=[c.pk for c in communities])
    return render(request, "points/items.html", {
        "items": items, "restock_form": RestockForm(), "error": error,
        "posted_item": posted_item}, status=error.status if error is not None else 200)


@login_required
def item_list(request):
    require(permissions.is_store_staff(request.user))
    return render_items(request)


def _item_fields(data: dict) -> dict:
    return {k: data[k] for k in ("name", "description", "kind", "price_points",
                                 "per_person_limit", "is_active") if k in data}


def _save_item(request, form: ItemForm, item: StoreItem | None) -> StoreItem:
    if not form.is_valid():
        raise ValidationFailed(_("Some fields are missing or invalid."))
    data = form.cleaned_data
    image = data.get("image") or None
    if item is None:
        return catalogue.item_create(
            actor=request.user, community=_community(request.user, data["community"]),
            stock=data["stock"], image=image, **_item_fields(data))
    return catalogue.item_update(actor=request.user, item=item, image=image,
                                 **_item_fields(data))


def _item_form(request, item: StoreItem | None):
    communities = _desk_communities(request.user)
    initial = {} if item is None else {f: getattr(item, f) for f in (
        "name", "description", "kind", "price_points", "per_person_limit", "is_active")}
    form = ItemForm(request.POST or None, request.FILES or None, initial=initial,
                    communities=communities, editing=item is not None)
    status = 200
    if request.method == "POST":
        try:
            saved = _save_item(request, form, item)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("points:items")
    return render(request, "points/item_form.html", {"form": form, "item": item},
                  status=status)


@login_required
def item_new(request):
    require(permissions.is_store_staff(request.user))
    return _item_form(request, None)


@login_required
def item_edit(request, item_id: int):
    item = selectors.item_get(actor=request.user, item_id=item_id)
    require(permissions.is_store_staff(request.user))
    return _item_form(request, item)


@login_required
@require_POST
def item_restock(request, item_id: int):
    item = selectors.item_get(actor=request.user, item_id=item_id)
    form = RestockForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Give the number to add (or, negative, to take off)."))
        item = catalogue.item_restock(actor=request.user, item=item,
                                      quantity=form.cleaned_data["quantity"],
                                      note=form.cleaned_data["note"])
    except ApplicationError as exc:
        return render_items(request, error=exc, posted_item=item.pk)
    messages.success(request, _("%(name)s: %(stock)d in stock.") % {"name": item.name,
                                                                   "stock": item.stock})
    return redirect("points:items")


# --- earning rules -----------------------------------------------------------------------

@login_required
def rule_list(request):
    require(permissions.is_store_staff(request.user))
    communities = _desk_communities(request.user)
    found = selectors.rule_list(actor=request.user).filter(
        community__in=[c.pk for c in communities])
    return render(request, "points/rules.html", {"rules": found})


def _save_rule(request, form: RuleForm, rule) -> None:
    if not form.is_valid():
        raise ValidationFailed(_("Some fields are missing or invalid."))
    data = form.cleaned_data
    fields = {k: data[k] for k in ("points_per_unit", "cap", "cap_period", "is_active")}
    if rule is None:
        rules.earning_rule_create(actor=request.user, action=data["action"],
                                  community=_community(request.user, data["community"]),
                                  **fields)
    else:
        rules.earning_rule_update(actor=request.user, rule=rule, **fields)


def _rule_form(request, rule):
    initial = {} if rule is None else {f: getattr(rule, f) for f in (
        "points_per_unit", "cap", "cap_period", "is_active")}
    form = RuleForm(request.POST or None, initial=initial,
                    communities=_desk_communities(request.user), editing=rule is not None)
    status = 200
    if request.method == "POST":
        try:
            _save_rule(request, form, rule)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("The earning rule was saved."))
            return redirect("points:rules")
    return render(request, "points/rule_form.html", {"form": form, "rule": rule},
                  status=status)


@login_required
def rule_new(request):
    require(permissions.is_store_staff(request.user))
    return _rule_form(request, None)


@login_required
def rule_edit(request, rule_id: int):
    rule = selectors.rule_get(actor=request.user, rule_id=rule_id)
    require(permissions.is_store_staff(request.user))
    return _rule_form(request, rule)
