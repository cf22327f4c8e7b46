"""The store's catalogue: the desk adds and edits items and restocks them.

Stock changes only by `item_restock` here (a conditional update: never below zero) and by
the redemption services; editing an item never touches its stock, so the stock always
equals what was put on the shelf minus what is held or handed over.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from linli.core.audit import audit_record, diff, snapshot
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.images import CleanImage, image_clean
from linli.orgs.models import Area, AreaKind
from linli.points import permissions
from linli.points.models import ItemKind, StoreItem
from linli.points.services import MAX_POSTING

MAX_STOCK = 1_000_000
MAX_LIMIT = 999
EDITABLE = ["name", "description", "kind", "price_points", "per_person_limit", "is_active"]


def _require_desk(actor, community: Area) -> None:
    if not permissions.can_run_store(actor, community):
        raise PermissionDenied(_("Only the store desk of this community can change its "
                                 "catalogue."))


def _whole(value, low: int, high: int, message: str, code: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationFailed(message, code=code)
    return value


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"] or len(out["name"]) > 100:
            raise ValidationFailed(_("Give the item a name of at most 100 characters."),
                                   code="bad_name")
    if "description" in out:
        out["description"] = (out["description"] or "").strip()
        if len(out["description"]) > 1000:
            raise ValidationFailed(_("Keep the description within 1000 characters."))
    if "kind" in out and out["kind"] not in ItemKind.values:
        raise ValidationFailed(_("Choose goods or a service."), code="bad_kind")
    if "price_points" in out:
        _whole(out["price_points"], 1, MAX_POSTING,
               _("The price is a whole number of points, at least 1."), "bad_price")
    if out.get("per_person_limit") is not None:
        _whole(out["per_person_limit"], 1, MAX_LIMIT,
               _("The monthly limit per person is a whole number from 1 to %(n)d, or empty "
                 "for no limit.") % {"n": MAX_LIMIT}, "bad_limit")
    if "is_active" in out:
        out["is_active"] = bool(out["is_active"])
    return out


def _attach_image(item: StoreItem, image: CleanImage) -> None:
    full, thumb = image.files(f"item{item.pk}")
    item.image.save(full.name or f"item{item.pk}", full, save=False)
    item.thumbnail.save(thumb.name or f"item{item.pk}-thumb", thumb, save=False)
    item.image_type = image.content_type
    item.save(update_fields=["image", "thumbnail", "image_type", "updated_at"])


def _clean_image(upload) -> CleanImage | None:
    return image_clean(upload.read(), upload.name) if upload is not None else None


def _save(item: StoreItem, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            item.save(update_fields=fields)
    except IntegrityError:
        raise Conflict(_("This store already has an item with that name."),
                       code="duplicate_name") from None


@transaction.atomic
def item_create(*, actor, community: Area, name: str, price_points: int,
                kind: str = ItemKind.GOODS, description: str = "", stock: int = 0,
                per_person_limit: int | None = None, is_active: bool = True,
                image=None) -> StoreItem:
    _require_desk(actor, community)
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("A store belongs to a community."), code="bad_community")
    fields = _clean_fields({"name": name, "description": description, "kind": kind,
                            "price_points": price_points, "per_person_limit": per_person_limit,
                            "is_active": is_active})
    stock = _whole(stock, 0, MAX_STOCK, _("The stock is a whole number from 0 to "
                                          "%(n)d.") % {"n": MAX_STOCK}, "bad_stock")
    cleaned = _clean_image(image)
    item = StoreItem(community=community, stock=stock, **fields)
    _save(item)
    if cleaned is not None:
        _attach_image(item, cleaned)
    audit_record(actor=actor, action="store.item_created", obj=item,
                 changes={**{k: str(v) for k, v in fields.items()}, "stock": stock},
                 area_path=community.path)
    return item


@transaction.atomic
def item_update(*, actor, item: StoreItem, image=None, **changes: Any) -> StoreItem:
    """Edit the item's description, price, limit or offer (not its stock: restock)."""
    _require_desk(actor, item.community)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed here: %(names)s.")
                               % {"names": ", ".join(sorted(unknown))})
    cleaned_image = _clean_image(image)
    item = StoreItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item, EDITABLE)
    for name, value in _clean_fields(changes).items():
        setattr(item, name, value)
    _save(item, [*EDITABLE, "updated_at"])
    if cleaned_image is not None:
        _attach_image(item, cleaned_image)
    changed = diff(item, EDITABLE, before)
    if cleaned_image is not None:
        changed["image"] = ["", item.image.name]
    audit_record(actor=actor, action="store.item_updated", obj=item, changes=changed,
                 area_path=item.community.path)
    return item


@transaction.atomic
def item_restock(*, actor, item: StoreItem, quantity: int, note: str = "") -> StoreItem:
    """Put `quantity` more on the shelf, or take some off (negative: broken, expired)."""
    _require_desk(actor, item.community)
    _whole(quantity, -MAX_STOCK, MAX_STOCK, _("Give the number to add (or, negative, to "
                                              "take off)."), "bad_quantity")
    if quantity == 0:
        raise ValidationFailed(_("Give the number to add (or, negative, to take off)."),
                               code="bad_quantity")
    moved = StoreItem.objects.filter(pk=item.pk, stock__gte=max(-quantity, 0),
                                     stock__lte=MAX_STOCK - max(quantity, 0)).update(
        stock=F("stock") + quantity)
    if not moved:
        raise ValidationFailed(_("The stock cannot go below zero or above %(n)d.")
                               % {"n": MAX_STOCK}, code="bad_stock")
    item = StoreItem.objects.get(pk=item.pk)
    audit_record(actor=actor, action="store.item_restocked", obj=item,
                 changes={"quantity": quantity, "stock": item.stock, "note": note[:200]},
                 area_path=item.community.path)
    return item


@transaction.atomic
def item_delete(*, actor, item: StoreItem) -> None:
    """Remove an item nobody ever redeemed (a typo); otherwise take it off offer instead."""
    _require_desk(actor, item.community)
    if item.redemptions.exists():
        raise Conflict(_("This item has redemptions: take it off offer instead of deleting "
                         "it."), code="has_redemptions")
    audit_record(actor=actor, action="store.item_deleted", obj=item,
                 changes={"name": item.name, "stock": item.stock},
                 area_path=item.community.path)
    item.delete()
