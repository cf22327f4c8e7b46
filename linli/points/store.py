"""Redemptions at the points store (爱心超市): place, complete (hand over), cancel.

Placing a redemption takes the stock with a conditional update and moves the points from
the resident to the community's hold account, in one transaction: either both happen or
neither. At the desk, completing moves the held points on to the store account; cancelling
gives them back and returns the stock. Each move out of `held` claims the row with a
conditional update, so a redemption is completed or cancelled once, whoever clicks first.

Lock order, the same on every path so that none can deadlock with another: the redemption
row (its claim), then the account rows in id order, then the item row (stock).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.points import permissions
from linli.points.models import (
    Account,
    AccountKind,
    EntryKind,
    Redemption,
    RedemptionState,
    StoreItem,
)
from linli.points.services import MAX_POSTING, account_for, accounts_lock, posting

MAX_QUANTITY = 99
COUNTED_STATES = [RedemptionState.HELD, RedemptionState.COMPLETED]


def _check_quantity(quantity) -> int:
    if (not isinstance(quantity, int) or isinstance(quantity, bool)
            or not 1 <= quantity <= MAX_QUANTITY):
        raise ValidationFailed(_("Choose a quantity from 1 to %(n)d.") % {"n": MAX_QUANTITY},
                               code="bad_quantity")
    return quantity


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 100:
        raise ValidationFailed(_("A redemption needs a request key of at most 100 "
                                 "characters."), code="bad_key")
    return key


def _replayed(actor, key: str, item: StoreItem, quantity: int) -> Redemption | None:
    existing = Redemption.objects.filter(resident=actor, key=key).first()
    if existing is None:
        return None
    if (existing.item_id, existing.quantity) != (item.pk, quantity):
        raise Conflict(_("This request key was already used for a different redemption."),
                       code="idempotency_mismatch")
    return existing


def month_start(now: datetime) -> datetime:
    return timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _check_limit(actor, item: StoreItem, quantity: int) -> None:
    if item.per_person_limit is None:
        return
    taken = Redemption.objects.filter(
        resident=actor, item=item, state__in=COUNTED_STATES,
        created_at__gte=month_start(timezone.now())).aggregate(n=Sum("quantity"))["n"] or 0
    if taken + quantity > item.per_person_limit:
        raise ValidationFailed(
            _("Each person may redeem %(limit)d of this item a month; you already have "
              "%(taken)d.") % {"limit": item.per_person_limit, "taken": taken},
            code="over_limit")


def _out_of_stock(left: int) -> ValidationFailed:
    return ValidationFailed(_("Only %(left)d left in stock.") % {"left": left},
                            code="out_of_stock")


def _check_stock(item: StoreItem, quantity: int) -> None:
    """The readable refusal, before the balance's: asking for more than the shelf holds is
    answered with the shelf, whatever the balance. `_take_stock` still has the last word."""
    if item.stock < quantity:
        raise _out_of_stock(item.stock)


def _take_stock(item: StoreItem, quantity: int) -> None:
    taken = StoreItem.objects.filter(pk=item.pk, stock__gte=quantity).update(
        stock=F("stock") - quantity)
    if not taken:
        raise _out_of_stock(StoreItem.objects.values_list("stock", flat=True).get(pk=item.pk))


def _priced(item: StoreItem, quantity: int) -> int:
    points = item.price_points * quantity
    if points > MAX_POSTING:
        raise ValidationFailed(_("That is too many at once."), code="bad_quantity")
    return points


def _check_balance(account: Account, points: int) -> None:
    if account.balance < points:
        raise ValidationFailed(
            _("Not enough points: you have %(balance)d, this costs %(points)d.")
            % {"balance": account.balance, "points": points}, code="insufficient_points")


@transaction.atomic
def redemption_place(*, actor, item: StoreItem, quantity: int, key: str) -> Redemption:
    """Redeem `quantity` of `item`: hold the points and take the stock. A retry with the
    same key returns the first redemption; over the balance, the stock or the monthly limit
    nothing moves."""
    if not permissions.can_redeem(actor, item.community):
        raise PermissionDenied(_("Only residents of this community can redeem at its store."))
    quantity, key = _check_quantity(quantity), _check_key(key)
    replay = _replayed(actor, key, item, quantity)
    if replay is not None:
        return replay
    account = account_for(kind=AccountKind.RESIDENT, community=item.community, owner=actor)
    hold = account_for(kind=AccountKind.HOLD, community=item.community)
    fresh = accounts_lock(account, hold)[account.pk]
    # Holding the resident's lock: a twin request with the same key has committed by now.
    replay = _replayed(actor, key, item, quantity)
    if replay is not None:
        return replay
    item = StoreItem.objects.get(pk=item.pk)
    if not item.is_active:
        raise ValidationFailed(_("This item is no longer on offer."), code="not_on_offer")
    points = _priced(item, quantity)
    _check_limit(actor, item, quantity)
    _check_stock(item, quantity)
    _check_balance(fresh, points)
    _take_stock(item, quantity)
    redemption = Redemption.objects.create(item=item, community=item.community, resident=actor,
                                           key=key, quantity=quantity, points=points)
    entry = posting(key=f"store.hold:{redemption.pk}", kind=EntryKind.HOLD, debit=account,
                    credit=hold, amount=points, actor=actor, memo=_memo(redemption),
                    source=_source(redemption))
    Redemption.objects.filter(pk=redemption.pk).update(hold_entry=entry)
    redemption.hold_entry = entry
    audit_record(actor=actor, action="store.redemption_placed", obj=redemption,
                 changes={"item": item.name, "quantity": quantity, "points": points},
                 area_path=item.community.path)
    return redemption


def _memo(redemption: Redemption) -> str:
    return f"{redemption.item.name} × {redemption.quantity}"


def _source(redemption: Redemption) -> str:
    return f"store.redemption:{redemption.pk}"


_ALREADY: dict[str, object] = {
    RedemptionState.COMPLETED: gettext_lazy("This redemption was already handed over."),
    RedemptionState.CANCELLED: gettext_lazy("This redemption was already cancelled."),
}


def _claim(redemption: Redemption, target: str, actor, note: str) -> None:
    """Move the redemption out of `held`, once: a second click (or a colleague's) is told
    what happened first and changes nothing."""
    claimed = Redemption.objects.filter(pk=redemption.pk, state=RedemptionState.HELD).update(
        state=target, handled_by=actor, handled_at=timezone.now(), note=note[:200])
    if not claimed:
        state = Redemption.objects.values_list("state", flat=True).get(pk=redemption.pk)
        raise Conflict(str(_ALREADY.get(state) or _("This redemption has changed.")),
                       code="conflict")


@transaction.atomic
def redemption_complete(*, actor, redemption: Redemption) -> Redemption:
    """At the desk: the item is handed over and the held points go to the store."""
    if not permissions.can_run_store(actor, redemption.community):
        raise PermissionDenied(_("Only the store desk of this community can hand items over."))
    _claim(redemption, RedemptionState.COMPLETED, actor, "")
    entry = posting(
        key=f"store.redeem:{redemption.pk}", kind=EntryKind.REDEEM,
        debit=account_for(kind=AccountKind.HOLD, community=redemption.community),
        credit=account_for(kind=AccountKind.STORE, community=redemption.community),
        amount=redemption.points, actor=actor, memo=_memo(redemption),
        source=_source(redemption))
    return _settled(actor, redemption, entry, "store.redemption_completed")


@transaction.atomic
def redemption_cancel(*, actor, redemption: Redemption, note: str = "") -> Redemption:
    """The resident changes their mind, or the desk cannot serve it: the points go back to
    the resident and the stock back to the shelf."""
    if not permissions.can_cancel(actor, redemption):
        raise PermissionDenied(_("Only the resident or the store desk can cancel this."))
    _claim(redemption, RedemptionState.CANCELLED, actor, note.strip())
    entry = posting(
        key=f"store.release:{redemption.pk}", kind=EntryKind.RELEASE,
        debit=account_for(kind=AccountKind.HOLD, community=redemption.community),
        credit=account_for(kind=AccountKind.RESIDENT, community=redemption.community,
                           owner=redemption.resident),
        amount=redemption.points, actor=actor, memo=note.strip() or _memo(redemption),
        source=_source(redemption))
    StoreItem.objects.filter(pk=redemption.item_id).update(
        stock=F("stock") + redemption.quantity)
    return _settled(actor, redemption, entry, "store.redemption_cancelled")


def _settled(actor, redemption: Redemption, entry, action: str) -> Redemption:
    Redemption.objects.filter(pk=redemption.pk).update(settle_entry=entry)
    fresh = Redemption.objects.select_related("item", "community", "resident").get(
        pk=redemption.pk)
    audit_record(actor=actor, action=action, obj=fresh,
                 changes={"state": [RedemptionState.HELD, fresh.state],
                          "points": fresh.points, "note": fresh.note},
                 area_path=fresh.community.path)
    if actor.pk != fresh.resident_id:
        _notify(fresh)
    return fresh


def _notify(redemption: Redemption) -> None:
    from linli.core.tasks import enqueue
    from linli.points.tasks import redemption_notify

    enqueue(redemption_notify, redemption.pk)
